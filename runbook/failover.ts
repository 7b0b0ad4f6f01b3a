// Failover: the reference's procedure for the configured tier, as idempotent steps on the dr region. The
// tier's TierSpec lists the steps (model/tiers/); each is one small function here. The primary region is
// used only where it is reachable and useful; nothing here needs it.
import { fullCapacity } from "../model/capacity";
import type { FailoverStepId } from "../model/tiers";
import { FULL_CACHE } from "../model/regionPlan";
import { configSetCommand, shellCommand } from "../model/shell";
import { TIERS } from "../model/tiers";
import {
    asgCapacity, cacheSize, clusterArn, failoverWithDataLoss, healthCheckByName, healthyTargets, isWriter, reachable,
    replicationLagMs, resizeCache, setAsgCapacity, setInverted, setWeight, switchover, weightedRecords,
} from "./operations";
import { Procedure, expected, procedure } from "./procedure";
import { NotReadyError, RunbookContext, RunbookStep, waitUntil } from "./types";

/** Aurora global lag above which a planned switchover is refused: it would wait, and the lag says something is wrong. */
export const MAX_READY_LAG_MS = 5000;

/** The commands that make the IaC describe the promoted region (README, "Failover and failback"). */
export function reconcileCommands(ctx: Pick<RunbookContext, "cfg" | "stack">, restoreFrom?: string): string[] {
    return [
        ...(restoreFrom ? [configSetCommand("dr:restoreFrom", restoreFrom, ctx.stack)] : []),
        configSetCommand("dr:failover", "true", ctx.stack),
        shellCommand("pulumi", "up", "-s", ctx.stack, "--yes"),
    ];
}

/** The dr region answers, what the failover acts on exists and fits N, and (planned) the primary answers too. */
function readiness(p: Procedure): RunbookStep {
    const { cfg, mode, standby } = p;
    return {
        id: "readiness",
        title: "Check DR readiness: dr region answers, resources exist, capacity fits, replication lag",
        expectedSeconds: expected(p, "detect"),
        readOnly: true,
        done: async () => false,
        run: async (c) => {
            const reasons: string[] = [];
            const notes: string[] = [];
            if (!(await reachable(c.dr))) {
                throw new NotReadyError([`the dr region ${c.dr.region} does not answer (STS GetCallerIdentity)`]);
            }
            // What the standby runs is what must be there: backup & restore's has neither fleet nor cluster yet.
            if (standby.app) {
                const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
                if (!asg) {
                    reasons.push(`no Auto Scaling group ${c.names.dr.autoScalingGroup} in ${c.dr.region}: deploy the dr stack first`);
                } else if (asg.max < cfg.capacity) {
                    reasons.push(`${c.names.dr.autoScalingGroup} allows at most ${asg.max} instances, fewer than N = ${cfg.capacity}`);
                }
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
            const primaryUp = await reachable(c.primary);
            c.facts.set("primary region", primaryUp ? "reachable" : "unreachable");
            if (mode === "planned" && !primaryUp) {
                reasons.push(`a planned switchover needs the primary region ${c.primary.region}, which does not answer: use --unplanned`);
            }
            if (reasons.length > 0) {
                throw new NotReadyError(reasons);
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
        expectedSeconds: expected(p, "decide", "promote-database"),
        done: (c) => isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster),
        run: async (c) => {
            const target = await clusterArn(c.dr, c.names.dr.dbCluster);
            if (!target) {
                throw new Error(`no Aurora cluster ${c.names.dr.dbCluster} in ${c.dr.region}`);
            }
            if (mode === "planned") {
                await switchover(c.dr, c.names.globalCluster, target);
            } else {
                const lag = await replicationLagMs(c.dr, c.names.dr.dbCluster);
                c.facts.set("RPO exposure (lag at promotion)", lag === undefined ? "unknown (no lag data)" : `${lag} ms`);
                await failoverWithDataLoss(c.dr, c.names.globalCluster, target);
            }
            await waitUntil(c, `${c.names.dr.dbCluster} to become the writer`, () => isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster));
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

/** The standby's reduced cache to production size (pilot light has none: the IaC step creates it). */
function warmCache(p: Procedure): RunbookStep {
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

/** Weighted records: the primary's weight to 0, the dr region's above 0. */
function shiftWeights(p: Procedure): RunbookStep {
    const { cfg } = p;
    return {
        id: "shift-traffic",
        title: "Shift all traffic to the dr region: primary's weight to 0",
        expectedSeconds: expected(p, "shift-traffic"),
        done: async (c) => {
            const records = await weightedRecords(c.dr, cfg.dnsZoneId, cfg.dnsName);
            const primary = records.filter((r) => r.SetIdentifier === c.names.primary.dnsSetIdentifier);
            const dr = records.filter((r) => r.SetIdentifier === c.names.dr.dnsSetIdentifier);
            return primary.length > 0 && primary.every((r) => r.Weight === 0) && dr.some((r) => (r.Weight ?? 0) > 0);
        },
        run: async (c) => {
            const records = await weightedRecords(c.dr, cfg.dnsZoneId, cfg.dnsName);
            const primary = records.find((r) => r.SetIdentifier === c.names.primary.dnsSetIdentifier);
            const dr = records.find((r) => r.SetIdentifier === c.names.dr.dnsSetIdentifier);
            if (!primary || !dr) {
                throw new Error(`no weighted records ${c.names.primary.dnsSetIdentifier} and ${c.names.dr.dnsSetIdentifier} for ${cfg.dnsName} in zone ${cfg.dnsZoneId}`);
            }
            // An all-zero group is answered as if equally weighted: the dr record must keep a weight.
            if ((dr.Weight ?? 0) === 0) {
                await setWeight(c.dr, cfg.dnsZoneId, dr, 100);
            }
            await setWeight(c.dr, cfg.dnsZoneId, primary, 0);
        },
    };
}

/** Failover and latency records: fence the old primary by inverting its health check. */
function fencePrimary(p: Procedure): RunbookStep {
    return {
        id: "shift-traffic",
        title: "Fence the old primary: invert its Route 53 health check, so every answer is the dr record",
        expectedSeconds: expected(p, "shift-traffic"),
        done: async (c) => (await healthCheckByName(c.dr, c.names.primary.healthCheck))?.inverted === true,
        run: async (c) => {
            const check = await healthCheckByName(c.dr, c.names.primary.healthCheck);
            if (!check) {
                throw new Error(`no Route 53 health check named ${c.names.primary.healthCheck}`);
            }
            await setInverted(c.dr, check.id, true);
            return ["health-checked records then move by themselves (Route 53 data plane); the fence keeps them there until failback"];
        },
    };
}

/** Traffic follows the records the region has: weighted records move by weight, the others by the fence. */
function shiftTraffic(p: Procedure): RunbookStep {
    return p.standby.app?.routing.policy === "weighted" ? shiftWeights(p) : fencePrimary(p);
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
        expectedSeconds: expected(p, ...iac.modelSteps),
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const commands = reconcileCommands(c, iac.restoresFromBackup ? (cfg.restoreFrom ?? "<newest recovery point ARN in the dr vault>") : undefined);
            c.facts.set("IaC commands", commands.join(" && "));
            return [`run: ${commands.join(" && ")}`];
        },
    };
}

/** GET the endpoint; a 2xx/3xx passes (the Route 53 check's own rule, DR-REFERENCE.md). */
export async function smokeCheck(url: string): Promise<string> {
    const started = Date.now();
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(6000) });
    if (response.status >= 400) {
        throw new Error(`smoke check ${url} answered ${response.status}`);
    }
    return `${url} answered ${response.status} in ${Date.now() - started} ms`;
}

function smokeCheckStep(p: Procedure): RunbookStep {
    return {
        id: "smoke-check",
        title: "Smoke-check the endpoint",
        expectedSeconds: expected(p, "validate"),
        selfVerifying: true,
        done: async () => false,
        run: async (c) => [await smokeCheck(c.smokeUrl)],
    };
}

/** Every failover step, by the id a TierSpec lists it under. */
export const FAILOVER_STEPS: Readonly<Record<FailoverStepId, (p: Procedure) => RunbookStep>> = {
    "readiness": readiness,
    "promote-database": promoteDatabase,
    "scale-compute": scaleCompute,
    "warm-cache": warmCache,
    "shift-traffic": shiftTraffic,
    "reconcile-iac": reconcileIac,
    "smoke-check": smokeCheckStep,
};

/** The configured tier's failover, in its TierSpec's order. */
export function failoverSteps(ctx: Pick<RunbookContext, "cfg" | "mode">): RunbookStep[] {
    const p = procedure(ctx);
    return TIERS[ctx.cfg.strategy].failover.map((id) => FAILOVER_STEPS[id](p));
}
