// Failover: the reference's procedure for the configured tier, as idempotent steps on the dr region.
// The primary region is used only where it is reachable and useful; nothing here needs it.
import { fullCapacity } from "../model/capacity";
import { RecoveryStep } from "../model/objectives";
import { FULL_CACHE } from "../model/regionPlan";
import { configSetCommand, shellCommand } from "../model/shell";
import { assessObjectives } from "../model/objectives";
import {
    asgCapacity, cacheSize, clusterArn, failoverWithDataLoss, healthCheckByName, healthyTargets, isWriter, reachable,
    replicationLagMs, resizeCache, setAsgCapacity, setInverted, setWeight, switchover, weightedRecords,
} from "./operations";
import { NotReadyError, RunbookContext, RunbookStep, waitUntil } from "./types";

/** Aurora global lag above which a planned switchover is refused: it would wait, and the lag says something is wrong. */
export const MAX_READY_LAG_MS = 5000;

/** Expected seconds of a model step (model/objectives.ts), so the report compares measured with expected. */
function expected(steps: readonly RecoveryStep[], ...ids: RecoveryStep["step"][]): number {
    return steps.filter((s) => ids.includes(s.step)).reduce((sum, s) => sum + s.seconds, 0);
}

/** The commands that make the IaC describe the promoted region (README, "Failover and failback"). */
export function reconcileCommands(ctx: Pick<RunbookContext, "cfg" | "stack">, restoreFrom?: string): string[] {
    return [
        ...(restoreFrom ? [configSetCommand("dr:restoreFrom", restoreFrom, ctx.stack)] : []),
        configSetCommand("dr:failover", "true", ctx.stack),
        shellCommand("pulumi", "up", "-s", ctx.stack, "--yes"),
    ];
}

export function failoverSteps(ctx: Pick<RunbookContext, "cfg" | "mode">): RunbookStep[] {
    const { cfg, mode } = ctx;
    const model = assessObjectives(cfg).estimate.rtoSteps;
    const hasReplica = cfg.strategy !== "backup-restore";
    const steps: RunbookStep[] = [];

    steps.push({
        id: "readiness",
        title: "Check DR readiness: dr region answers, resources exist, capacity fits, replication lag",
        expectedSeconds: expected(model, "detect"),
        readOnly: true,
        done: async () => false,
        run: async (c) => {
            const reasons: string[] = [];
            const notes: string[] = [];
            if (!(await reachable(c.dr))) {
                throw new NotReadyError([`the dr region ${c.dr.region} does not answer (STS GetCallerIdentity)`]);
            }
            if (hasReplica) {
                const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
                if (!asg) {
                    reasons.push(`no Auto Scaling group ${c.names.dr.autoScalingGroup} in ${c.dr.region}: deploy the dr stack first`);
                } else if (asg.max < cfg.capacity) {
                    reasons.push(`${c.names.dr.autoScalingGroup} allows at most ${asg.max} instances, fewer than N = ${cfg.capacity}`);
                }
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
    });

    if (hasReplica) {
        steps.push({
            id: "promote-database",
            title: mode === "planned"
                ? "Promote the Aurora secondary: planned switchover (RPO 0)"
                : "Promote the Aurora secondary: failover with data loss (RPO = lag now)",
            expectedSeconds: expected(model, "decide", "promote-database"),
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
        });
    }

    if (hasReplica) {
        const full = fullCapacity(cfg.capacity);
        steps.push({
            id: "scale-compute",
            title: `Scale ${cfg.strategy === "active-active" ? "the app" : "the DR app"} to N = ${cfg.capacity} and wait for healthy targets`,
            expectedSeconds: expected(model, "scale-compute"),
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
        });
    }

    if (cfg.strategy === "warm-standby") {
        steps.push({
            id: "warm-cache",
            title: `Resize the standby cache to ${FULL_CACHE.nodes} x ${FULL_CACHE.nodeType}`,
            expectedSeconds: expected(model, "warm-cache"),
            done: async (c) => {
                const size = await cacheSize(c.dr, c.names.dr.cache);
                return size !== undefined && size.nodeType === FULL_CACHE.nodeType && size.nodes >= FULL_CACHE.nodes;
            },
            run: (c) => resizeCache(c.dr, c.names.dr.cache, FULL_CACHE),
        });
    }

    if (cfg.strategy === "active-active" && cfg.routingPolicy === "weighted") {
        steps.push({
            id: "shift-traffic",
            title: "Shift all traffic to the dr region: primary's weight to 0",
            expectedSeconds: expected(model, "shift-traffic"),
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
        });
    } else if (hasReplica) {
        steps.push({
            id: "shift-traffic",
            title: "Fence the old primary: invert its Route 53 health check, so every answer is the dr record",
            expectedSeconds: expected(model, "shift-traffic"),
            done: async (c) => (await healthCheckByName(c.dr, c.names.primary.healthCheck))?.inverted === true,
            run: async (c) => {
                const check = await healthCheckByName(c.dr, c.names.primary.healthCheck);
                if (!check) {
                    throw new Error(`no Route 53 health check named ${c.names.primary.healthCheck}`);
                }
                await setInverted(c.dr, check.id, true);
                return ["health-checked records then move by themselves (Route 53 data plane); the fence keeps them there until failback"];
            },
        });
    }

    steps.push({
        id: "reconcile-iac",
        title: cfg.strategy === "backup-restore"
            ? "Restore through the IaC: dr:restoreFrom + dr:failover=true, then pulumi up (provisions the stack and the database)"
            : "Reconcile the IaC: dr:failover=true, then pulumi up (cache, NAT, instance count match the promoted state)",
        // The IaC does the tier's slow parts: backup & restore provisions and restores, pilot light creates its cache.
        expectedSeconds: cfg.strategy === "backup-restore" ? expected(model, "decide", "provision", "promote-database")
            : cfg.strategy === "pilot-light" ? expected(model, "warm-cache") : 0,
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const commands = reconcileCommands(c, cfg.strategy === "backup-restore" ? (cfg.restoreFrom ?? "<newest recovery point ARN in the dr vault>") : undefined);
            c.facts.set("IaC commands", commands.join(" && "));
            return [`run: ${commands.join(" && ")}`];
        },
    });

    steps.push({
        id: "smoke-check",
        title: "Smoke-check the endpoint",
        expectedSeconds: expected(model, "validate"),
        selfVerifying: true,
        done: async () => false,
        run: async (c) => [await smokeCheck(c.smokeUrl)],
    });
    return steps;
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
