// Failback: harder than failover (docs/reference.md): reverse the replication, check consistency, move traffic
// back gradually with a health gate at each step, scale the DR region back down, re-establish replication.
// The tier's TierSpec lists the steps (model/tiers/); each is one small function here. It runs when nothing
// is down, so it may use the control planes: Route 53's API walks weighted records back to their weights.
import { configRmCommand, configSetCommand, shellCommand } from "../model/tooling/shell";
import type { FailbackStepId } from "../model/tiers";
import { TIERS } from "../model/tiers";
import { MAX_READY_LAG_MS } from "./failover";
import {
    asgCapacity, clusterArn, fenceIsOpen, fenceState, globalMembers, healthyTargets, isWriter, reachable, replicationLagMs,
    setAsgCapacity, setFence, setWeight, switchover, weightedRecords,
} from "./operations";
import { Procedure, procedure } from "./procedure";
import { NotReadyError, RunbookContext, RunbookStep, waitUntil } from "./types";

/** Traffic returns in these steps, each behind a health gate (docs/reference.md): percent of the primary's configured weight. */
export const FAILBACK_SHARES = [10, 25, 50, 100] as const;

export interface Weights {
    readonly primary: number;
    readonly dr: number;
}

/**
 * Route 53 weights (0-255) at a step of the walk back: the primary's weight is `percent` of its configured
 * one (at least 1 while it has one, so the step sends it traffic), the dr region keeps its configured weight,
 * and the last step is the configured weights exactly. The primary's weight only grows along the walk, so a
 * resumed walk knows which steps are behind it.
 */
export function weightsForShare(percent: number, configured: Weights): Weights {
    const primary = configured.primary === 0 ? 0 : Math.max(1, Math.round((configured.primary * percent) / 100));
    return { primary, dr: configured.dr };
}

/** The share of DNS answers the primary gets with these weights (all of them when the dr region's weight is 0). */
export function primaryShare(w: Weights): number {
    return w.primary + w.dr === 0 ? 0.5 : w.dr === 0 ? 1 : w.primary / (w.primary + w.dr);
}

/** Raised when there is nothing to fail back: not forced past by --force, since the failback would undo a healthy pair. */
export class NothingToFailBackError extends Error {}

/** Traffic only moves on while the primary's app stays healthy. */
async function healthGate(c: RunbookContext): Promise<void> {
    const healthy = await healthyTargets(c.primary, c.names.primary.targetGroup);
    if (healthy < c.cfg.capacity) {
        throw new Error(`health gate: ${healthy} of ${c.cfg.capacity} targets healthy in ${c.names.primary.targetGroup}; traffic stays where it is`);
    }
}

/**
 * What a failover leaves behind, read from AWS: a closed fence, the dr cluster as the writer, the dr fleet
 * above its standby size, the primary's weight below its configured one. None of them: a failback would
 * only disturb a healthy pair (in active-active, move its traffic), so it refuses. A failback killed half
 * way still shows one of them (the walk's weights, the fleet not yet scaled down), so a re-run goes on.
 */
async function somethingFailedOver(p: Procedure, c: RunbookContext): Promise<void> {
    const fence = await fenceState(c.dr, c.names.fence.alarmName);
    if (fence === "ALARM") {
        return;
    }
    if (p.standby.database && await isWriter(c.dr, c.names.globalCluster, c.names.dr.dbCluster)) {
        return;
    }
    const standbyDesired = p.standby.app?.capacity.desired;
    const asg = standbyDesired === undefined ? undefined : await asgCapacity(c.dr, c.names.dr.autoScalingGroup);
    if (asg && standbyDesired !== undefined && asg.desired > standbyDesired) {
        return;
    }
    if (p.standby.app?.routing.policy === "weighted") {
        const primary = (await weightedRecords(c.route53(), p.cfg.dnsZoneId, p.cfg.dnsName)).find((r) => r.SetIdentifier === c.names.primary.dnsSetIdentifier);
        if (primary && (primary.Weight ?? 0) < c.configuredWeights.primary) {
            return;
        }
    }
    throw new NothingToFailBackError(`nothing to fail back: the traffic fence ${c.names.fence.alarmName} is ${fence ?? "missing"} (not ALARM)` +
        (p.standby.database ? `, ${c.names.dr.dbCluster} is not the writer` : "") +
        (standbyDesired !== undefined ? `, the dr fleet is at its standby size` : "") +
        (p.standby.app?.routing.policy === "weighted" ? ", the primary's record has its configured weight" : "") +
        ". Failback undoes a failover; run npm run failover first, or npm run plan to see the pair as it stands.");
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
            const primary = await reachable(c.primary);
            if ("unreachable" in primary) {
                // Every step after this one acts on the primary: --force would change nothing.
                const reason = `failback needs the primary region, which does not answer: ${primary.unreachable}`;
                throw new NotReadyError([reason], [reason]);
            }
            await somethingFailedOver(p, c);
            const primaryArn = await clusterArn(c.primary, c.names.primary.dbCluster);
            const members = await globalMembers(c.dr, c.names.globalCluster);
            if (!primaryArn) {
                reasons.push(`no Aurora cluster ${c.names.primary.dbCluster} in ${c.primary.region}: run ${shellCommand("pulumi", "up", "-s", c.primaryStack)} to recreate it`);
            } else if (!members?.some((m) => m.arn === primaryArn)) {
                reasons.push(`${c.names.primary.dbCluster} is not in the global cluster ${c.names.globalCluster}: replication is not reversed yet ` +
                    "(a managed failover re-adds it by itself once the region is back; a detached cluster must be recreated as a secondary)");
            }
            if ((await healthyTargets(c.primary, c.names.primary.targetGroup)) < cfg.capacity) {
                reasons.push(`fewer than N = ${cfg.capacity} healthy targets in ${c.names.primary.targetGroup}: run ${shellCommand("pulumi", "up", "-s", c.primaryStack)}`);
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
                throw new Error(`no Aurora cluster ${c.names.primary.dbCluster} in ${c.primary.region}: run ${shellCommand("pulumi", "up", "-s", c.primaryStack)} first`);
            }
            // Sent once: an answer that does not come is followed by a read of the global cluster, not a second request.
            const lost = await switchover(c.primary, c.names.globalCluster, c.names.primary.dbCluster, target);
            await waitUntil(c, `${c.names.primary.dbCluster} to become the writer`, () => isWriter(c.primary, c.names.globalCluster, c.names.primary.dbCluster));
            return lost ? [lost] : [];
        },
    }];
}

/**
 * The fences open (CloudWatch calls in the dr region), if the walk or the gate before it has not opened them yet:
 * the other recovery regions' first (three or more regions; they stand by behind the primary's record), then the
 * primary's, whose record serves again.
 */
export async function openFences(c: RunbookContext): Promise<void> {
    for (const fence of [...c.names.otherFences, c.names.fence]) {
        if ((await fenceState(c.dr, fence.alarmName)) === "ALARM") {
            await setFence(c.dr, fence, false, `opened by the failback runbook at ${new Date().toISOString()}`);
        }
    }
}

/**
 * Weighted records: the primary's weight back in 10/25/50/100 % steps of its configured weight, each behind
 * the health gate; the first step opens the fence (the weights are set first, so the primary's first answers
 * are the step's share), and the last ends at the weights both stack files configure.
 */
function shiftWeightsBack(p: Procedure): RunbookStep[] {
    const { cfg } = p;
    return FAILBACK_SHARES.map((share): RunbookStep => ({
        id: `shift-traffic-${share}`,
        title: share === 100
            ? "Back to the configured weights, then check the primary stays healthy"
            : `Primary's weight to ${share} % of its configured weight, then check it stays healthy`,
        expectedSeconds: 60,
        done: async (c) => {
            const w = weightsForShare(share, c.configuredWeights);
            const primary = (await weightedRecords(c.route53(), cfg.dnsZoneId, cfg.dnsName)).find((r) => r.SetIdentifier === c.names.primary.dnsSetIdentifier);
            return fenceIsOpen(await fenceState(c.dr, c.names.fence.alarmName)) && primary !== undefined && (primary.Weight ?? 0) >= w.primary;
        },
        run: async (c) => {
            const w = weightsForShare(share, c.configuredWeights);
            await healthGate(c);
            for (const r of await weightedRecords(c.route53(), cfg.dnsZoneId, cfg.dnsName)) {
                const weight = r.SetIdentifier === c.names.primary.dnsSetIdentifier ? w.primary : r.SetIdentifier === c.names.dr.dnsSetIdentifier ? w.dr : undefined;
                if (weight !== undefined && r.Weight !== weight) {
                    await setWeight(c.route53(), cfg.dnsZoneId, r, weight);
                }
            }
            await openFences(c);
            await healthGate(c);
            return [`weights ${c.names.primary.dnsSetIdentifier} ${w.primary}, ${c.names.dr.dnsSetIdentifier} ${w.dr}: ` +
                `${Math.round(primaryShare(w) * 100)} % of answers to the primary`];
        },
    }));
}

/** Failover and latency records: the fence opens after the health gate, all traffic at once. */
function removeFence(): RunbookStep[] {
    return [{
        id: "shift-traffic",
        title: "Open the traffic fence in the dr region once the primary is healthy: its record returns to DNS",
        expectedSeconds: 60,
        done: async (c) => fenceIsOpen(await fenceState(c.dr, c.names.fence.alarmName)),
        run: async (c) => {
            await healthGate(c);
            await openFences(c);
            return [`${c.names.fence.alarmName} is OK: Route 53's checkers let ${c.names.primary.dnsSetIdentifier}'s record back; ` +
                "failover and latency records move all traffic at once (the 10/25/50/100 % steps need weighted records: active-active with dr:routingPolicy weighted)"];
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
                configSetCommand("dr:failover", "false", c.stack), shellCommand("pulumi", "up", "-s", c.stack, "--yes"), shellCommand("pulumi", "up", "-s", c.primaryStack, "--yes"),
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
    // One after another, each waiting for the one before (the model's failbackGraph, which the Region switch
    // plan follows too): traffic moves back only once the writer is back, the weighted walk is a sequence of
    // health-gated steps, and the dr fleet shrinks only once traffic has left it.
    const steps = TIERS[ctx.cfg.strategy].failback.flatMap((id) => FAILBACK_STEPS[id](p));
    return steps.map((step, i) => ({ ...step, after: i === 0 ? [] : [steps[i - 1].id] }));
}
