// Failback: harder than failover (DR-REFERENCE.md): reverse the replication, check consistency, move traffic
// back gradually with a health gate at each step, scale the DR region back down, re-establish replication.
import { configRmCommand, configSetCommand, shellCommand } from "../model/shell";
import { tierPlan } from "../model/tiers";
import { MAX_READY_LAG_MS } from "./failover";
import {
    asgCapacity, clusterArn, globalMembers, healthCheckByName, healthyTargets, isWriter, reachable, replicationLagMs,
    setAsgCapacity, setInverted, setWeight, switchover, weightedRecords,
} from "./operations";
import { NotReadyError, RunbookContext, RunbookStep, waitUntil } from "./types";

/** Traffic returns in these shares of the total, each behind a health gate (DR-REFERENCE.md). */
export const FAILBACK_SHARES = [10, 25, 50, 100] as const;

/** Route 53 weights (0-255) for a share of traffic to the primary, the rest to the dr region. */
export function weightsForShare(percent: number): { primary: number; dr: number } {
    return { primary: percent, dr: 100 - percent };
}

export function failbackSteps(ctx: Pick<RunbookContext, "cfg">): RunbookStep[] {
    const { cfg } = ctx;
    const standby = tierPlan({ ...cfg, role: "secondary", region: cfg.drRegion, failover: false });
    const weighted = cfg.strategy === "active-active" && cfg.routingPolicy === "weighted";
    const steps: RunbookStep[] = [];

    steps.push({
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
    });

    steps.push({
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
    });

    steps.push({
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
    });

    if (weighted) {
        for (const share of FAILBACK_SHARES) {
            const w = weightsForShare(share);
            steps.push({
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
            });
        }
    } else {
        steps.push({
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
        });
    }

    // Active-active keeps N in both regions, and backup & restore's standby runs no app: nothing to scale down.
    if (cfg.strategy !== "backup-restore" && cfg.strategy !== "active-active") {
        steps.push({
            id: "scale-dr-down",
            title: `Scale the DR app back to its standby size ${standby.app!.capacity.min}/${standby.app!.capacity.desired}/${standby.app!.capacity.max}`,
            expectedSeconds: 60,
            done: async (c) => {
                const asg = await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
                return asg !== undefined && asg.desired <= standby.app!.capacity.desired && asg.min <= standby.app!.capacity.min;
            },
            run: (c) => setAsgCapacity(c.dr, c.names.dr.autoScalingGroup, standby.app!.capacity),
        });
    }

    steps.push({
        id: "reconcile-iac",
        title: "Re-establish replication and the standby through the IaC: dr:failover=false, pulumi up for dr, then prod",
        expectedSeconds: 0,
        selfVerifying: true,
        done: async () => false,
        run: async (c) => {
            const commands = [
                ...(cfg.strategy === "backup-restore" ? [configRmCommand("dr:restoreFrom", c.stack)] : []),
                configSetCommand("dr:failover", "false", c.stack), shellCommand("pulumi", "up", "-s", c.stack, "--yes"), "pulumi up -s prod --yes",
            ];
            c.facts.set("IaC commands", commands.join(" && "));
            return [`run: ${commands.join(" && ")}`, "backups copy to the dr vault again and the dr region's own plan is removed"];
        },
    });
    return steps;
}

/** Traffic only moves on while the primary's app stays healthy. */
async function healthGate(c: RunbookContext): Promise<void> {
    const healthy = await healthyTargets(c.primary, c.names.primary.targetGroup);
    if (healthy < c.cfg.capacity) {
        throw new Error(`health gate: ${healthy} of ${c.cfg.capacity} targets healthy in ${c.names.primary.targetGroup}; traffic stays where it is`);
    }
}
