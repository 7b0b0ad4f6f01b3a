// Failback: harder than failover (DR-REFERENCE.md): reverse the replication, check consistency, move traffic
// back gradually with a health gate at each step, scale the DR region back down, re-establish replication.
// The tier's TierSpec lists the steps (model/tiers/); each is one small function here.
import { configRmCommand, configSetCommand, shellCommand } from "../model/shell";
import type { FailbackStepId } from "../model/tiers";
import { TIERS } from "../model/tiers";
import { MAX_READY_LAG_MS } from "./failover";
import {
    asgCapacity, clusterArn, globalMembers, healthCheckByName, healthyTargets, isWriter, reachable, replicationLagMs,
    setAsgCapacity, setInverted, setWeight, switchover, weightedRecords,
} from "./operations";
import { Procedure, procedure } from "./procedure";
import { NotReadyError, RunbookContext, RunbookStep, waitUntil } from "./types";

/** Traffic returns in these shares of the total, each behind a health gate (DR-REFERENCE.md). */
export const FAILBACK_SHARES = [10, 25, 50, 100] as const;

/** Route 53 weights (0-255) for a share of traffic to the primary, the rest to the dr region. */
export function weightsForShare(percent: number): { primary: number; dr: number } {
    return { primary: percent, dr: 100 - percent };
}

/** Traffic only moves on while the primary's app stays healthy. */
async function healthGate(c: RunbookContext): Promise<void> {
    const healthy = await healthyTargets(c.primary, c.names.primary.targetGroup);
    if (healthy < c.cfg.capacity) {
        throw new Error(`health gate: ${healthy} of ${c.cfg.capacity} targets healthy in ${c.names.primary.targetGroup}; traffic stays where it is`);
    }
}

/** The primary region is back: it answers, its cluster is in the global cluster again, its app is healthy at N. */
function readiness(p: Procedure): RunbookStep[] {
    const { cfg } = p;
    return [{
        id: "readiness",
        title: "Check the primary region is back: it answers, its cluster replicates from the dr writer, its app is healthy",
        expectedSeconds: 60,
        readOnly: true,
        done: async () => false,
        run: async (c) => {
            const reasons: string[] = [];
            if (!(await reachable(c.primary))) {
                throw new NotReadyError([`the primary region ${c.primary.region} does not answer: failback needs it`]);
            }
            const primaryArn = await clusterArn(c.primary, c.names.primary.dbCluster);
            const members = await globalMembers(c.dr, c.names.globalCluster);
            if (!primaryArn) {
                reasons.push(`no Aurora cluster ${c.names.primary.dbCluster} in ${c.primary.region}: run pulumi up -s prod to recreate it`);
            } else if (!members?.some((m) => m.arn === primaryArn)) {
                reasons.push(`${c.names.primary.dbCluster} is not in the global cluster ${c.names.globalCluster}: replication is not reversed yet ` +
                    "(a managed failover re-adds it by itself once the region is back; a detached cluster must be recreated as a secondary)");
            }
            if ((await healthyTargets(c.primary, c.names.primary.targetGroup)) < cfg.capacity) {
                reasons.push(`fewer than N = ${cfg.capacity} healthy targets in ${c.names.primary.targetGroup}: run pulumi up -s prod`);
            }
            if (reasons.length > 0) {
                throw new NotReadyError(reasons);
            }
        },
    }];
}

/** The primary's replica has caught up with the dr writer. */
function verifyConsistency(): RunbookStep[] {
    return [{
        id: "verify-consistency",
        title: "Verify the primary has caught up: replication lag at or near 0",
        expectedSeconds: 60,
        readOnly: true,
        done: async () => false,
        run: async (c) => {
            const lag = await replicationLagMs(c.primary, c.names.primary.dbCluster);
            c.facts.set("replication lag before switchback", lag === undefined ? "no data" : `${lag} ms`);
            if (lag !== undefined && lag > MAX_READY_LAG_MS) {
                throw new NotReadyError([`the primary's replication lag is ${lag} ms: wait until it catches up`]);
            }
            return [lag === undefined ? "no lag data: the switchover itself waits for the secondary to be in sync" : `lag ${lag} ms`];
        },
    }];
}

/** The writer back to the primary region, by a planned switchover (RPO 0). */
function switchDatabaseBack(): RunbookStep[] {
    return [{
        id: "switch-database-back",
        title: "Switch the Aurora writer back to the primary region (planned switchover, RPO 0)",
        expectedSeconds: 300,
        done: (c) => isWriter(c.primary, c.names.globalCluster, c.names.primary.dbCluster),
        run: async (c) => {
            const target = await clusterArn(c.primary, c.names.primary.dbCluster);
            if (!target) {
                throw new Error(`no Aurora cluster ${c.names.primary.dbCluster} in ${c.primary.region}: run pulumi up -s prod first`);
            }
            await switchover(c.primary, c.names.globalCluster, target);
            await waitUntil(c, `${c.names.primary.dbCluster} to become the writer`, () => isWriter(c.primary, c.names.globalCluster, c.names.primary.dbCluster));
        },
    }];
}

/** Weighted records: traffic back in 10/25/50/100 % steps, each behind the health gate. */
function shiftWeightsBack(p: Procedure): RunbookStep[] {
    const { cfg } = p;
    return FAILBACK_SHARES.map((share): RunbookStep => {
        const w = weightsForShare(share);
        return {
            id: `shift-traffic-${share}`,
            title: `Move ${share} % of traffic back to the primary, then check it stays healthy`,
            expectedSeconds: 60,
            done: async (c) => (await weightedRecords(c.dr, cfg.dnsZoneId, cfg.dnsName))
                .some((r) => r.SetIdentifier === c.names.primary.dnsSetIdentifier && (r.Weight ?? 0) >= w.primary),
            run: async (c) => {
                for (const r of await weightedRecords(c.dr, cfg.dnsZoneId, cfg.dnsName)) {
                    await setWeight(c.dr, cfg.dnsZoneId, r, r.SetIdentifier === c.names.primary.dnsSetIdentifier ? w.primary : w.dr);
                }
                await healthGate(c);
            },
        };
    });
}

/** Failover and latency records: the fence comes down after the health gate, all traffic at once. */
function removeFence(): RunbookStep[] {
    return [{
        id: "shift-traffic",
        title: "Remove the fence: un-invert the primary's health check (failover records move all traffic at once)",
        expectedSeconds: 60,
        done: async (c) => (await healthCheckByName(c.dr, c.names.primary.healthCheck))?.inverted === false,
        run: async (c) => {
            await healthGate(c);
            const check = await healthCheckByName(c.dr, c.names.primary.healthCheck);
            if (!check) {
                throw new Error(`no Route 53 health check named ${c.names.primary.healthCheck}`);
            }
            await setInverted(c.dr, check.id, false);
            return ["failover records are all-or-nothing: the 10/25/50/100 % steps need weighted records (active-active with dr:routingPolicy weighted)"];
        },
    }];
}

function shiftTrafficBack(p: Procedure): RunbookStep[] {
    return p.standby.app?.routing.policy === "weighted" ? shiftWeightsBack(p) : removeFence();
}

/** The dr fleet back to what the tier keeps standing by. */
function scaleDrDown(p: Procedure): RunbookStep[] {
    const capacity = p.standby.app?.capacity;
    if (!capacity) {
        return [];
    }
    return [{
        id: "scale-dr-down",
        title: `Scale the DR app back to its standby size ${capacity.min}/${capacity.desired}/${capacity.max}`,
        expectedSeconds: 60,
        done: async (c) => {
            const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
            return asg !== undefined && asg.desired <= capacity.desired && asg.min <= capacity.min;
        },
        run: (c) => setAsgCapacity(c.dr, c.names.dr.autoScalingGroup, capacity),
    }];
}

/** The commands that put the IaC back to standby and the copies and replication back to the dr region. */
function reconcileIac(p: Procedure): RunbookStep[] {
    const restored = TIERS[p.cfg.strategy].iacFailover.restoresFromBackup;
    return [{
        id: "reconcile-iac",
        title: "Re-establish replication and the standby through the IaC: dr:failover=false, pulumi up for dr, then prod",
        expectedSeconds: 0,
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const commands = [
                ...(restored ? [configRmCommand("dr:restoreFrom", c.stack)] : []),
                configSetCommand("dr:failover", "false", c.stack), shellCommand("pulumi", "up", "-s", c.stack, "--yes"), "pulumi up -s prod --yes",
            ];
            c.facts.set("IaC commands", commands.join(" && "));
            return [`run: ${commands.join(" && ")}`, "backups copy to the dr vault again and the dr region's own plan is removed"];
        },
    }];
}

/** Every failback step, by the id a TierSpec lists it under; "shift-traffic" is four steps where records are weighted. */
export const FAILBACK_STEPS: Readonly<Record<FailbackStepId, (p: Procedure) => RunbookStep[]>> = {
    "readiness": readiness,
    "verify-consistency": verifyConsistency,
    "switch-database-back": switchDatabaseBack,
    "shift-traffic": shiftTrafficBack,
    "scale-dr-down": scaleDrDown,
    "reconcile-iac": reconcileIac,
};

/** The configured tier's failback, in its TierSpec's order (always planned: the primary region must be back). */
export function failbackSteps(ctx: Pick<RunbookContext, "cfg">): RunbookStep[] {
    const p = procedure({ cfg: ctx.cfg, mode: "planned" });
    return TIERS[ctx.cfg.strategy].failback.flatMap((id) => FAILBACK_STEPS[id](p));
}
