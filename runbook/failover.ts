// Failover: the reference's procedure for the configured tier, as idempotent steps on the dr region. The
// tier's TierSpec lists the steps (model/tiers/); each is one small function here.
//
// The recovery path's rule (docs/deploying.md, "The recovery path"; docs/reference.md, "Control planes and data planes"): every call here goes to the dr region's own regional endpoints. No Route 53 API
// (the context has no client of it for a failover), no IAM, nothing in the lost region. The primary region
// is called only by a planned switchover's readiness check, which needs it to answer; an unplanned failover
// never calls it.
import { canaryNames } from "../model/canary";
import { fullCapacity } from "../model/capacity";
import { backendWarning } from "../model/tooling/stateBackend";
import type { DrCanary, FailoverStepId } from "../model/tiers";
import { FULL_CACHE } from "../model/regionPlan";
import { configSetCommand, shellCommand } from "../model/tooling/shell";
import { TIERS } from "../model/tiers";
import {
    AlarmState, alarmState, asgCapacity, cacheDatastore, cacheSize, clusterArn, failoverWithDataLoss, fenceState, healthyTargets, isWriter,
    leaveDatastore, promotionUnderWay, reachable, replicationLagMs, resizeCache, setAsgCapacity, setFence, switchover,
} from "./operations";
import { Procedure, expected, procedure } from "./procedure";
import { NotReadyError, RunbookContext, RunbookStep, SIMULATED_NOTE, waitUntil } from "./types";
import { regionSet } from "../model/regionSet";

/** Aurora global lag above which a planned switchover is refused: it would wait, and the lag says something is wrong. */
export const MAX_READY_LAG_MS = 5000;

/** The commands that make the IaC describe the promoted region (docs/runbook.md, "Failover and failback"). */
export function reconcileCommands(ctx: Pick<RunbookContext, "cfg" | "stack">, restoreFrom?: string): string[] {
    return [
        ...(restoreFrom ? [configSetCommand("dr:restoreFrom", restoreFrom, ctx.stack)] : []),
        configSetCommand("dr:failover", "true", ctx.stack),
        shellCommand("pulumi", "up", "-s", ctx.stack, "--yes"),
    ];
}

/** The failover deploy's commands for the configured tier: the IaC step prints them, the smoke check names them. */
export function failoverDeployCommands(ctx: Pick<RunbookContext, "cfg" | "stack">): string[] {
    const iac = TIERS[ctx.cfg.strategy].iacFailover;
    return reconcileCommands(ctx, iac.restoresFromBackup ? (ctx.cfg.restoreFrom ?? "<newest recovery point ARN in the dr vault>") : undefined);
}

/** The state backend warning, from the person's environment and Pulumi.yaml (model/tooling/stateBackend.ts). */
export function stateBackendNote(c: Pick<RunbookContext, "backend" | "cfg">): string | undefined {
    return backendWarning(c.backend, regionSet(c.cfg).primary);
}

/**
 * The dr region answers, what the failover acts on exists and fits N, the fence is there to close, and
 * (planned only) the primary answers too. An unplanned failover treats the primary as lost and never calls it.
 */
function readiness(p: Procedure): RunbookStep {
    const { cfg, mode, standby } = p;
    return {
        id: "readiness",
        title: mode === "planned"
            ? "Check DR readiness: both regions answer, resources exist, capacity fits, the fence is there, replication lag"
            : "Check DR readiness in the dr region alone: it answers, resources exist, capacity fits, the fence is there",
        expectedSeconds: expected(p, "readiness"),
        readOnly: true,
        done: async () => false,
        run: async (c) => {
            const reasons: string[] = [];
            /** The reasons --force does not go past: the steps after this one need what they name. */
            const needed: string[] = [];
            const notes: string[] = [];
            const dr = await reachable(c.dr);
            if ("unreachable" in dr) {
                // Every step after this one acts in the dr region: --force would change nothing.
                const reason = `the dr region does not answer: ${dr.unreachable}`;
                throw new NotReadyError([reason], [reason]);
            }
            // What the standby runs is what must be there (backup & restore's fleet stands by at 0, ready for N).
            if (standby.app) {
                const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
                if (!asg) {
                    reasons.push(`no Auto Scaling group ${c.names.dr.autoScalingGroup} in ${c.dr.region}: deploy the dr stack first`);
                } else if (asg.max < cfg.capacity) {
                    reasons.push(`${c.names.dr.autoScalingGroup} allows at most ${asg.max} instances, fewer than N = ${cfg.capacity}`);
                }
            }
            if (p.primary.fencedBy === undefined) {
                reasons.push(`no traffic fence: the prod stack was deployed with dr:replicateObjects=false (the first deploy), which leaves it out; ` +
                    "finish the first deploy (docs/deploying.md, \"First deploy\") so the old primary's record can be taken out of DNS");
            } else if ((await fenceState(c.dr, c.names.fence.alarmName)) === undefined) {
                reasons.push(`no traffic fence alarm ${c.names.fence.alarmName} in ${c.dr.region}: run ${shellCommand("pulumi", "up", "-s", c.stack)}, then ${shellCommand("pulumi", "up", "-s", c.primaryStack)}`);
            }
            if (standby.database) {
                if (!(await clusterArn(c.dr, c.names.dr.dbCluster))) {
                    reasons.push(`no Aurora cluster ${c.names.dr.dbCluster} in ${c.dr.region}`);
                } else {
                    const lag = await replicationLagMs(c.dr, c.names.dr.dbCluster);
                    c.facts.set("replication lag at readiness", lag === undefined ? "no data" : `${lag} ms`);
                    if (lag === undefined) {
                        notes.push("no AuroraGlobalDBReplicationLag data in the last 10 minutes");
                    } else if (mode === "planned" && lag > MAX_READY_LAG_MS) {
                        reasons.push(`Aurora replication lag is ${lag} ms (> ${MAX_READY_LAG_MS} ms): a switchover would wait on it`);
                    }
                }
            }
            if (mode === "planned") {
                const primary = await reachable(c.primary);
                c.facts.set("primary region", "unreachable" in primary ? "unreachable" : "reachable");
                if ("unreachable" in primary) {
                    // The switchover itself needs it: past this, --force would only fail the promotion.
                    needed.push(`a planned switchover needs the primary region, which does not answer (${primary.unreachable}): use --unplanned`);
                    reasons.push(needed[needed.length - 1]);
                }
            } else {
                c.facts.set("primary region", `not called (unplanned: ${c.primary.region} is treated as lost)`);
            }
            const backend = stateBackendNote(c);
            if (backend !== undefined) {
                notes.push(`warning: ${backend}`);
                c.facts.set("state backend", backend);
            }
            if (reasons.length > 0) {
                throw new NotReadyError(reasons, needed);
            }
            return notes;
        },
    };
}

/** The dr cluster becomes the writer: a switchover when planned (RPO 0), a failover with data loss when not. */
function promoteDatabase(p: Procedure): RunbookStep {
    const { mode } = p;
    return {
        id: "promote-database",
        title: mode === "planned"
            ? "Promote the Aurora secondary: planned switchover (RPO 0)"
            : "Promote the Aurora secondary: failover with data loss (RPO = lag now)",
        expectedSeconds: expected(p, "promote-database"),
        done: (c) => isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster),
        run: async (c) => {
            const target = await clusterArn(c.dr, c.names.dr.dbCluster);
            if (!target) {
                throw new Error(`no Aurora cluster ${c.names.dr.dbCluster} in ${c.dr.region}`);
            }
            // A run killed mid-promotion left it running in AWS: wait on it, never start a second one.
            const underWay = await promotionUnderWay(c.dr, c.names.globalCluster);
            if (underWay && underWay.toClusterArn !== target) {
                throw new Error(`a promotion of ${c.names.globalCluster} to ${underWay.toClusterArn ?? "another cluster"} is under way ` +
                    `(${underWay.status}): wait for it to end, then re-run`);
            }
            if (underWay) {
                await waitUntil(c, `${c.names.dr.dbCluster} to become the writer`, () => isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster));
                return [`a promotion to ${c.names.dr.dbCluster} was already under way (${underWay.status}): waited on it, did not start another`];
            }
            // Sent once: an answer that does not come is followed by a read of the global cluster, not a second request.
            let lost: string | undefined;
            if (mode === "planned") {
                lost = await switchover(c.dr, c.names.globalCluster, c.names.dr.dbCluster, target);
            } else {
                const lag = await replicationLagMs(c.dr, c.names.dr.dbCluster);
                c.facts.set("RPO exposure (lag at promotion)", lag === undefined ? "unknown (no lag data)" : `${lag} ms`);
                lost = await failoverWithDataLoss(c.dr, c.names.globalCluster, c.names.dr.dbCluster, target);
            }
            await waitUntil(c, `${c.names.dr.dbCluster} to become the writer`, () => isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster));
            return lost ? [lost] : [];
        },
    };
}

/** The dr fleet to N (never lowering a larger maximum), and N healthy targets behind its ALB. */
function scaleCompute(p: Procedure): RunbookStep {
    const { cfg } = p;
    const full = fullCapacity(cfg.capacity);
    return {
        id: "scale-compute",
        title: `Scale ${p.standby.serving ? "the app" : "the DR app"} to N = ${cfg.capacity} and wait for healthy targets`,
        expectedSeconds: expected(p, "scale-compute"),
        done: async (c) => {
            const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
            return asg !== undefined && asg.min >= full.min && asg.desired >= full.desired
                && (await healthyTargets(c.dr, c.names.dr.targetGroup)) >= cfg.capacity;
        },
        run: async (c) => {
            const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
            await setAsgCapacity(c.dr, c.names.dr.autoScalingGroup, { ...full, max: Math.max(full.max, asg?.max ?? 0) });
            await waitUntil(c, `${cfg.capacity} healthy targets in ${c.names.dr.targetGroup}`,
                async () => (await healthyTargets(c.dr, c.names.dr.targetGroup)) >= cfg.capacity);
        },
    };
}

/**
 * The dr cache to production: the standby's reduced cache resized (pilot light has none: the IaC step creates
 * it), or, where it is a Global Datastore member (dr:cacheReplication), promoted by leaving the datastore in the
 * dr region: with the primary gone, nothing else makes it take writes.
 */
function warmCache(p: Procedure): RunbookStep {
    const member = p.standby.cache?.global;
    if (member?.role === "secondary") {
        return {
            id: "warm-cache",
            title: `Promote the dr cache: leave the Global Datastore ${member.globalDatastoreId} (DisassociateGlobalReplicationGroup in the dr region)`,
            expectedSeconds: expected(p, "warm-cache"),
            done: async (c) => (await cacheSize(c.dr, c.names.dr.cache)) !== undefined && (await cacheDatastore(c.dr, c.names.dr.cache)) === undefined,
            run: async (c) => {
                if ((await cacheSize(c.dr, c.names.dr.cache)) === undefined) {
                    throw new Error(`no cache ${c.names.dr.cache} in ${c.dr.region}: run pulumi up -s ${c.stack}`);
                }
                const lost = await leaveDatastore(c.dr, member.globalDatastoreId, c.names.dr.cache);
                await waitUntil(c, `${c.names.dr.cache} to leave ${member.globalDatastoreId}`, async () => (await cacheDatastore(c.dr, c.names.dr.cache)) === undefined);
                return [...(lost ? [lost] : []), `${c.names.dr.cache} left ${member.globalDatastoreId}: a standalone cache that takes writes; the failover deploy keeps it so`];
            },
        };
    }
    return {
        id: "warm-cache",
        title: `Resize the standby cache to ${FULL_CACHE.nodes} x ${FULL_CACHE.nodeType}`,
        expectedSeconds: expected(p, "warm-cache"),
        done: async (c) => {
            const size = await cacheSize(c.dr, c.names.dr.cache);
            return size !== undefined && size.nodeType === FULL_CACHE.nodeType && size.nodes >= FULL_CACHE.nodes;
        },
        run: (c) => resizeCache(c.dr, c.names.dr.cache, FULL_CACHE),
    };
}

/**
 * Traffic to the dr region, for every routing policy: the fence closes with two CloudWatch calls in the dr
 * region (model/fence.ts); Route 53's checkers read the alarm, the primary's record turns unhealthy, and
 * every answer is the dr record. Weights stay as configured: a fenced record gets no traffic whatever its weight.
 */
function closeFence(p: Procedure): RunbookStep {
    const weighted = p.standby.app?.routing.policy === "weighted";
    return {
        id: "shift-traffic",
        title: "Close the traffic fence in the dr region: the old primary's record leaves DNS (CloudWatch there, no Route 53 API)",
        expectedSeconds: expected(p, "shift-traffic"),
        done: async (c) => {
            for (const fence of [c.names.fence, ...c.names.otherFences]) {
                if ((await fenceState(c.dr, fence.alarmName)) !== "ALARM") {
                    return false;
                }
            }
            return true;
        },
        run: async (c) => {
            const fences = [c.names.fence, ...c.names.otherFences];
            for (const fence of fences) {
                if ((await fenceState(c.dr, fence.alarmName)) === undefined) {
                    throw new Error(`no traffic fence alarm ${fence.alarmName} in ${c.dr.region}: run pulumi up -s ${c.stack}`);
                }
            }
            // The primary's first: it is the record serving. Then the other recovery regions' (three or more regions), so
            // that this region's record is the one left to answer.
            for (const fence of fences) {
                await setFence(c.dr, fence, true, `closed by the ${c.mode} failover runbook at ${new Date().toISOString()}`);
            }
            const others = c.names.otherFences.map((f) => f.alarmName);
            return [`${c.names.fence.alarmName} in ${c.dr.region} is ALARM: Route 53's checkers take ${c.names.primary.dnsSetIdentifier}'s record out ` +
                `(data plane), and it stays out until failback opens the fence${weighted ? "; the weights are left as configured" : ""}`,
                ...(others.length > 0 ? [`${others.join(", ")} in ${c.dr.region}: ALARM too, so the other recovery regions' records stay out while this region serves`] : [])];
        },
    };
}

/** The commands that make the IaC describe the promoted region; the IaC does the tier's slow parts. */
function reconcileIac(p: Procedure): RunbookStep {
    const { cfg } = p;
    const iac = TIERS[cfg.strategy].iacFailover;
    return {
        id: "reconcile-iac",
        title: iac.restoresFromBackup
            ? `Restore through the IaC: dr:restoreFrom + dr:failover=true, then pulumi up (${iac.does})`
            : `Reconcile the IaC: dr:failover=true, then pulumi up (${iac.does})`,
        expectedSeconds: expected(p, "reconcile-iac"),
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const commands = failoverDeployCommands(c);
            c.facts.set("IaC commands", commands.join(" && "));
            return [`run: ${commands.join(" && ")}`];
        },
    };
}

/** How long the smoke check's GET waits for an answer. */
const SMOKE_TIMEOUT_MS = 6000;

/** GET the endpoint; a 2xx/3xx passes (the Route 53 check's own rule, docs/reference.md). */
export async function smokeCheck(url: string): Promise<string> {
    const started = Date.now();
    let response: Response;
    try {
        response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(SMOKE_TIMEOUT_MS) });
    } catch (err) {
        // fetch's own words ("fetch failed") say neither what nor where: the URL, and the network's reason.
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const why = e.name === "TimeoutError" ? `no answer in ${SMOKE_TIMEOUT_MS / 1000} s` : `no answer (${e.cause?.code ?? e.cause?.message ?? e.message})`;
        throw new Error(`smoke check GET ${url}: ${why}`);
    }
    if (response.status >= 400) {
        throw new Error(`smoke check ${url} answered ${response.status}`);
    }
    return `${url} answered ${response.status} in ${Date.now() - started} ms`;
}

/**
 * The key, in the engine's `simulate` map, of the smoke check's wait for a canary the failover deploy starts:
 * the drill runs no `pulumi up`, so that alarm never appears in its emulator (offline/moto.ts EMULATOR_GAPS).
 */
export const DEPLOYED_CANARY_WAIT = "smoke-check:deployed-canary";

/** The smoke check's title: what it checks, and where the canary comes from when the failover deploy starts it. */
export function smokeCheckTitle(canary: DrCanary, alarm: string): string {
    switch (canary) {
        case "none":
            return "Smoke-check the endpoint";
        case "running":
            return `Smoke-check the endpoint through DNS, and wait for the dr canary's alarm ${alarm} to be OK`;
        case "starts-with-deploy":
            return `Smoke-check the endpoint through DNS, and wait for the dr canary's alarm ${alarm} to be OK ` +
                "(the canary starts with the failover deploy's pulumi up: run the IaC step's commands meanwhile)";
    }
}

/** What a canary alarm's state says, for the report: the state, since when, and CloudWatch's reason. */
export function alarmStateText(alarm: string, region: string, seen: AlarmState): string {
    const since = seen.updatedAt ? `, state updated ${seen.updatedAt.toISOString()}` : "";
    return `${alarm} in ${region} is ${seen.state}${since}${seen.reason ? ` (${seen.reason})` : ""}`;
}

/**
 * Why the smoke check gave up on the dr canary: what it last saw of the alarm, and what the person does. An
 * alarm that is not there is the failover deploy's to create (it starts the canary where the standby has only
 * its role; where the canary ran in standby, the dr stack lost it, and the same deploy puts it back).
 */
export function canaryNotOk(p: { readonly alarm: string; readonly region: string; readonly canary: DrCanary; readonly seen?: AlarmState; readonly commands: readonly string[] }): string {
    const rerun = "then re-run the failover (its finished steps are skipped)";
    if (p.seen === undefined) {
        const why = p.canary === "starts-with-deploy"
            ? "the dr canary starts with the failover deploy"
            : "the dr stack runs the canary in standby, yet its alarm is gone";
        return `there is no alarm ${p.alarm} in ${p.region}: ${why}; run ${p.commands.join(" && ")}, ${rerun}`;
    }
    return `${alarmStateText(p.alarm, p.region, p.seen)}: the canary's runs on ${p.region}'s own load balancer do not pass yet; ` +
        `look at them (CloudWatch Synthetics in ${p.region}), ${rerun}`;
}

/**
 * The validation once traffic has moved (model/objectives.ts times it as the dr canary's alarm): a GET through
 * DNS, which proves what users reach, then, where the dr stack has canaries, the dr canary's alarm OK, which
 * proves the region's own load balancer answers for the app's name with a valid certificate (model/canary.ts).
 * The GET goes first: it fails in seconds where DNS or the app is wrong, rather than after the canary's wait.
 * The alarm is read in the dr region only. Where the canary runs in standby (warm standby, active-active) its
 * OK is enough, however old: it probes the region's own load balancer, whichever region DNS names. Where the
 * failover deploy starts it (pilot light, backup & restore) the alarm appears only with that `pulumi up`, and
 * is OK after its first passing periods: the step waits for both, the person running the deploy meanwhile.
 */
function smokeCheckStep(p: Procedure): RunbookStep {
    const { canary, cfg } = p;
    const alarm = canaryNames(cfg.appName, cfg.region).alarm;
    return {
        id: "smoke-check",
        title: smokeCheckTitle(canary, alarm),
        expectedSeconds: expected(p, "smoke-check"),
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const get = await smokeCheck(c.smokeUrl);
            c.facts.set("smoke check (GET through DNS)", get);
            if (canary === "none") {
                c.facts.set("dr canary", "none (dr:canaries=false): the GET alone validates the region");
                return [get];
            }
            const region = c.dr.region;
            const simulated = canary === "starts-with-deploy" ? c.simulate?.get(DEPLOYED_CANARY_WAIT) : undefined;
            if (simulated !== undefined) {
                const note = `${SIMULATED_NOTE}the wait for the dr canary's alarm ${alarm} in ${region} to be OK: ${simulated}`;
                c.facts.set("dr canary", note);
                return [get, note];
            }
            const commands = failoverDeployCommands(c);
            if (canary === "starts-with-deploy") {
                c.log(`waiting for ${alarm} in ${region}: the canary starts with the failover deploy (${commands.join(" && ")})`);
            }
            let seen: AlarmState | undefined;
            await waitUntil(c, `the dr canary's alarm ${alarm} in ${region} to be OK`, async () => {
                seen = await alarmState(c.dr, alarm);
                return seen?.state === "OK";
            }, () => canaryNotOk({ alarm, region, canary, seen, commands }));
            const ok = alarmStateText(alarm, region, seen!);
            c.facts.set("dr canary", ok);
            return [get, canary === "starts-with-deploy" ? `${ok}: the failover deploy started the canary` : ok];
        },
    };
}

/** Every failover step, by the id a TierSpec lists it under. */
export const FAILOVER_STEPS: Readonly<Record<FailoverStepId, (p: Procedure) => RunbookStep>> = {
    "readiness": readiness,
    "promote-database": promoteDatabase,
    "scale-compute": scaleCompute,
    "warm-cache": warmCache,
    "shift-traffic": closeFence,
    "reconcile-iac": reconcileIac,
    "smoke-check": smokeCheckStep,
};

/**
 * The configured tier's failover, in its TierSpec's order, each step waiting for what the tier's graph says
 * (TierSpec.failoverAfter, the graph the RTO model times): the engine runs the others side by side.
 */
export function failoverSteps(ctx: Pick<RunbookContext, "cfg" | "mode">): RunbookStep[] {
    const p = procedure(ctx);
    const tier = TIERS[ctx.cfg.strategy];
    // A step the graph lists no wait for waits for nothing here: the decision the model puts before it is
    // the person's confirmation, which the engine asks before the first change.
    // The model's timeline from the procedure's first step (after detection and the decision, which come before it).
    const first = Math.min(...tier.failover.map((id) => p.model.find((m) => m.step === id)?.start ?? 0));
    return tier.failover.map((id) => ({
        ...FAILOVER_STEPS[id](p), after: [...(tier.failoverAfter[id] ?? [])],
        expectedStart: (p.model.find((m) => m.step === id)?.start ?? first) - first,
    }));
}
