// The ARC Region switch plan of the pair, from the same step lists the runbook runs (TierSpec.failover and
// .failback) and the same graph of which step waits for which (model/failoverGraph.ts): one description of the
// tier's procedure, two engines. Pure: plain objects shaped like @pulumi/aws's arcregionswitch.Plan inputs,
// the policies of the roles it needs, and the environment of its custom actions (their code is
// functions/fence.ts and functions/cacheResize.ts). Sources: the ARC Developer Guide ("Region switch
// components", "Create Region switch plan workflows", "Add execution blocks", the EC2 Auto Scaling and Aurora
// Global Database blocks and their sample policies) and the API reference (Ec2AsgCapacityIncreaseConfiguration:
// exactly two groups).
import { Waits, failbackGraph, failoverGraph, transitiveWaits } from "./failoverGraph";
import type { FenceSpec } from "./fence";
import type { CacheSize } from "./regionPlan";
import type { FailbackStepId, FailoverStepId, TierSpec } from "./tiers/tierSpec";

/** What the plan's steps act on: ARNs and names, resolved by the caller. */
export interface RegionSwitchTargets {
    readonly primaryRegion: string;
    readonly drRegion: string;
    /** The role the approval step's approver assumes (the decision authority, `dr:approverArns`). */
    readonly approvalRoleArn: string;
    /** Both regions' Auto Scaling groups, primary first (the block takes exactly two). */
    readonly asgArns?: readonly [string, string];
    /** The global database and both member clusters, primary first; absent where the tier has none. */
    readonly aurora?: { readonly globalClusterIdentifier: string; readonly clusterArns: readonly [string, string] };
    /** The custom actions, in the dr region: close and open the traffic fence, resize the cache. */
    readonly fenceCloseLambdaArn: string;
    readonly fenceOpenLambdaArn: string;
    readonly cacheLambdaArn?: string;
}

export type BlockType = "ManualApproval" | "AuroraGlobalDatabase" | "EC2AutoScaling" | "CustomActionLambda" | "Parallel" | "ARCRegionSwitchPlan";

/** A step as the provider takes it (only the configs this program uses). */
export interface PlanStep {
    readonly name: string;
    readonly description: string;
    readonly executionBlockType: BlockType;
    readonly executionApprovalConfigs?: { approvalRole: string; timeoutMinutes: number }[];
    readonly globalAuroraConfigs?: {
        behavior: "switchoverOnly"; globalClusterIdentifier: string; databaseClusterArns: string[];
        timeoutMinutes: number; ungracefuls: { ungraceful: "failover" }[];
    }[];
    readonly ec2AsgCapacityIncreaseConfigs?: {
        asgs: { arn: string }[]; targetPercent: number; capacityMonitoringApproach: "sampledMaxInLast24Hours"; timeoutMinutes: number;
    }[];
    readonly customActionLambdaConfigs?: {
        lambdas: { arn: string }[]; regionToRun: "activatingRegion" | "deactivatingRegion"; retryIntervalMinutes: number; timeoutMinutes: number;
    }[];
    readonly parallelConfigs?: { steps: PlanStep[] }[];
    /** A child plan (a portfolio's parent plan, model/portfolio/parentPlan.ts). */
    readonly regionSwitchPlanConfigs?: { arn: string }[];
}

export interface PlanWorkflow {
    readonly workflowTargetAction: "activate" | "deactivate";
    readonly workflowTargetRegion: string;
    readonly workflowDescription: string;
    readonly steps: PlanStep[];
}

/** How long a person has to approve before the execution gives up: the reference's decision time is 30 min. */
export const APPROVAL_TIMEOUT_MINUTES = 60;
/** The blocks' own timeouts: Aurora's managed switchover or failover (minutes; "1-2 min" typical), a fleet's launch (2-5 min each). */
export const AURORA_TIMEOUT_MINUTES = 30;
export const ASG_TIMEOUT_MINUTES = 30;
export const LAMBDA_TIMEOUT_MINUTES = 5;
export const LAMBDA_RETRY_MINUTES = 1;

/** One direction of the procedure: the runbook's step ids, what each becomes in the plan, and what is left to others. */
export interface WorkflowPlan {
    readonly workflow: PlanWorkflow;
    /** Runbook steps with no block of their own, and who does them instead. */
    readonly leftToOthers: { readonly step: FailoverStepId | FailbackStepId; readonly by: string }[];
}

const BY_OTHERS: Readonly<Record<string, string>> = {
    "readiness": "the plan's evaluation, which AWS runs every 30 minutes against the real resources",
    "verify-consistency": "the approver, from the replication-lag alarm associated with the plan",
    "reconcile-iac": "`pulumi up -s dr` with dr:failover set to the promoted state, after the execution",
    "smoke-check": "the canaries, whose alarms are the plan's application-health alarms",
    "scale-dr-down": "`pulumi up -s dr` with dr:failover=false, after the execution (a block only scales up)",
};

function approval(t: RegionSwitchTargets, what: string): PlanStep {
    return {
        name: "approve", description: `a person with the approval role decides: ${what}`, executionBlockType: "ManualApproval",
        executionApprovalConfigs: [{ approvalRole: t.approvalRoleArn, timeoutMinutes: APPROVAL_TIMEOUT_MINUTES }],
    };
}

function lambda(name: string, description: string, arn: string): PlanStep {
    return {
        name, description, executionBlockType: "CustomActionLambda",
        // The fence and the cache live in the dr region; the activating region in a failover to it.
        customActionLambdaConfigs: [{ lambdas: [{ arn }], regionToRun: "activatingRegion", retryIntervalMinutes: LAMBDA_RETRY_MINUTES, timeoutMinutes: LAMBDA_TIMEOUT_MINUTES }],
    };
}

function auroraStep(name: string, t: RegionSwitchTargets): PlanStep | undefined {
    return t.aurora && {
        name, description: "the Aurora global database's writer moves: a switchover when graceful, a failover (data loss up to the lag) when ungraceful",
        executionBlockType: "AuroraGlobalDatabase",
        globalAuroraConfigs: [{
            behavior: "switchoverOnly", globalClusterIdentifier: t.aurora.globalClusterIdentifier,
            databaseClusterArns: [...t.aurora.clusterArns], timeoutMinutes: AURORA_TIMEOUT_MINUTES, ungracefuls: [{ ungraceful: "failover" }],
        }],
    };
}

function blockFor(id: FailoverStepId | FailbackStepId, direction: "failover" | "failback", t: RegionSwitchTargets): PlanStep | undefined {
    switch (id) {
        case "promote-database":
        case "switch-database-back":
            return auroraStep(id, t);
        case "scale-compute":
            return t.asgArns && {
                name: id, description: "the activated region's fleet to 100 % of the region it replaces", executionBlockType: "EC2AutoScaling",
                ec2AsgCapacityIncreaseConfigs: [{
                    asgs: t.asgArns.map((arn) => ({ arn })), targetPercent: 100,
                    capacityMonitoringApproach: "sampledMaxInLast24Hours", timeoutMinutes: ASG_TIMEOUT_MINUTES,
                }],
            };
        case "warm-cache":
            return t.cacheLambdaArn === undefined ? undefined
                : lambda(id, "the dr region's cache to production: resized, or promoted out of the Global Datastore", t.cacheLambdaArn);
        case "shift-traffic":
            return direction === "failover"
                ? lambda(id, "close the traffic fence: the primary's record leaves DNS", t.fenceCloseLambdaArn)
                : lambda(id, "open the traffic fence: the primary's record is answered again", t.fenceOpenLambdaArn);
        default:
            return undefined;
    }
}

/**
 * The first Parallel block's name, which the plans already deployed carry (it once grouped the database, the
 * fleet and the cache); any further block is side-by-side-2, -3, ...
 */
const PARALLEL_NAME = "database-compute-cache";

/**
 * The plan's blocks in the tier's order, the steps that run side by side in one Parallel block: a workflow is
 * a sequence of blocks, and a Parallel block takes no Parallel. The graph is the tier's (model/failoverGraph.ts),
 * projected onto the steps the plan runs: each step waits for the plan's steps it waits for directly or through
 * steps the plan leaves to others (readiness, the IaC, the smoke check). Steps that wait for exactly the same
 * of the plan's steps wait for none of each other, and share a block, placed where its first step was; every
 * step it waits for is in an earlier block, as each is listed after the steps it waits for.
 */
export function grouped(steps: readonly PlanStep[], graph: readonly Waits[]): PlanStep[] {
    const names = new Set(steps.map((s) => s.name));
    const waits = transitiveWaits(graph);
    const key = (step: PlanStep) => [...(waits.get(step.name) ?? [])].filter((id) => names.has(id)).sort().join(" ");
    const groups = new Map<string, PlanStep[]>();
    for (const step of steps) {
        groups.set(key(step), [...(groups.get(key(step)) ?? []), step]);
    }
    let parallel = 0;
    return [...groups.values()].map((group): PlanStep => {
        if (group.length === 1) {
            return group[0];
        }
        parallel++;
        return {
            name: parallel === 1 ? PARALLEL_NAME : `side-by-side-${parallel}`,
            description: `side by side: ${group.map((s) => s.name).join(", ")} (independent of each other)`,
            executionBlockType: "Parallel", parallelConfigs: [{ steps: group }],
        };
    });
}

function workflowOf(ids: readonly (FailoverStepId | FailbackStepId)[], graph: readonly Waits[], direction: "failover" | "failback",
    t: RegionSwitchTargets, action: "activate" | "deactivate", targetRegion: string, description: string, approve = true): WorkflowPlan {
    const blocks: PlanStep[] = [];
    const leftToOthers: WorkflowPlan["leftToOthers"] = [];
    for (const id of ids) {
        const block = blockFor(id, direction, t);
        if (block) {
            blocks.push(block);
        } else {
            leftToOthers.push({ step: id, by: BY_OTHERS[id] ?? "the runbook (no execution block does this)" });
        }
    }
    // The approval is the decision: every block waits for it. Started by the detector's trigger
    // (dr:autoFailover auto), the failover has no approval: the trigger was the decision.
    const steps = [...(approve ? [approval(t, description)] : []), ...grouped(blocks, graph)];
    return { workflow: { workflowTargetAction: action, workflowTargetRegion: targetRegion, workflowDescription: description, steps }, leftToOthers };
}

export interface RegionSwitchPlanSpec {
    readonly recoveryApproach: "activePassive" | "activeActive";
    readonly failover: WorkflowPlan;
    readonly failback: WorkflowPlan;
    /** dr:autoFailover auto: the trigger that starts the failover workflow. */
    readonly triggers?: PlanTrigger[];
}

/** A plan trigger as the provider takes it (arcregionswitch.Plan `triggers`). */
export interface PlanTrigger {
    readonly action: "activate" | "deactivate";
    readonly targetRegion: string;
    readonly description: string;
    readonly minDelayMinutesBetweenExecutions: number;
    readonly conditions: { associatedAlarmName: string; condition: "red" | "green" }[];
}

/**
 * The least time between two executions a trigger starts. An ASSUMPTION of the program's, not an AWS figure:
 * an hour, so a flapping detector starts at most one failover an hour; the fence's condition disarms the
 * trigger anyway once a failover has closed it.
 */
export const AUTO_TRIGGER_MIN_DELAY_MINUTES = 60;

/**
 * dr:autoFailover auto: the detector's alarm starts the failover when it is red while the fence is still open
 * (green). After a failover the primary stays down and the detector red, but the fence is closed (red): the
 * trigger's second condition no longer holds, so it starts no second failover; failback opens the fence only
 * once the primary serves again. Conditions of a trigger are all required (ARC Developer Guide, Region switch
 * triggers; docs/reference.md, ARC Region switch plan triggers).
 */
export function autoFailoverTrigger(t: Pick<RegionSwitchTargets, "primaryRegion" | "drRegion">, recoveryApproach: RegionSwitchPlanSpec["recoveryApproach"],
    alarms: { readonly detector: string; readonly fence: string }): PlanTrigger {
    return {
        action: recoveryApproach === "activeActive" ? "deactivate" : "activate",
        targetRegion: recoveryApproach === "activeActive" ? t.primaryRegion : t.drRegion,
        description: `dr:autoFailover auto: ${t.primaryRegion} fails the dr region's detector and the fence is still open`,
        minDelayMinutesBetweenExecutions: AUTO_TRIGGER_MIN_DELAY_MINUTES,
        conditions: [{ associatedAlarmName: alarms.detector, condition: "red" }, { associatedAlarmName: alarms.fence, condition: "green" }],
    };
}

/**
 * The tier's two workflows. Active/passive: one activation workflow per region (the dr region's is the
 * failover, the primary's the failback). Active/active: deactivating the primary is the failover,
 * activating it again the failback.
 */
export function regionSwitchPlan(spec: Pick<TierSpec, "failover" | "failoverAfter" | "failback" | "bothRegionsServe">, t: RegionSwitchTargets,
    auto?: { readonly detector: string; readonly fence: string }, options: { readonly child?: boolean } = {}): RegionSwitchPlanSpec {
    const forward = failoverGraph(spec), back = failbackGraph(spec);
    // A portfolio's child plan (dr:portfolio) has no approval of its own either way: the parent's approval decided,
    // and AWS runs a child's steps as they are, so an approval step would stop the parent's execution.
    const approve = auto === undefined && !options.child;
    const approveBack = !options.child;
    const plan: RegionSwitchPlanSpec = spec.bothRegionsServe
        ? {
            recoveryApproach: "activeActive",
            failover: workflowOf(spec.failover, forward, "failover", t, "deactivate", t.primaryRegion, `failover: take ${t.primaryRegion} out, ${t.drRegion} serves alone`, approve),
            failback: workflowOf(spec.failback, back, "failback", t, "activate", t.primaryRegion, `failback: ${t.primaryRegion} serves again`, approveBack),
        }
        : {
            recoveryApproach: "activePassive",
            failover: workflowOf(spec.failover, forward, "failover", t, "activate", t.drRegion, `failover: activate ${t.drRegion}`, approve),
            failback: workflowOf(spec.failback, back, "failback", t, "activate", t.primaryRegion, `failback: activate ${t.primaryRegion} again`, approveBack),
        };
    return auto === undefined ? plan : { ...plan, triggers: [autoFailoverTrigger(t, plan.recoveryApproach, auto)] };
}

/** Region switch's recovery time objective: the pair's RTO target, in whole minutes, rounded up. */
export function rtoMinutes(rtoTargetSeconds: number): number {
    return Math.ceil(rtoTargetSeconds / 60);
}

// ---------------------------------------------------------------------------------------------------------
// The custom actions: functions/fence.ts and functions/cacheResize.ts, on Node.js with the AWS SDK v3 the
// Lambda runtime provides. What they act on is in their environment, so one code serves both fences.

/** The Lambda runtime of the custom actions: the program's one runtime (model/reference.ts). */
export { LAMBDA_RUNTIME } from "./reference";

/** A function's environment as the handler reads it (process.env). */
export type FunctionEnvironment = Readonly<Record<string, string | undefined>>;

/** The fence action's environment: the fence (model/fence.ts) as JSON, and which way it moves. */
export function fenceActionEnvironment(fence: FenceSpec, closed: boolean): Record<string, string> {
    return { FENCE: JSON.stringify(fence), FENCE_ACTION: closed ? "close" : "open" };
}

/** What the fence action does, read back from its environment; a function set up otherwise fails, naming why. */
export function fenceActionOf(env: FunctionEnvironment): { readonly fence: FenceSpec; readonly closed: boolean } {
    const action = env.FENCE_ACTION;
    let fence: Partial<FenceSpec> | undefined;
    try {
        fence = JSON.parse(env.FENCE ?? "null") ?? undefined;
    } catch {
        fence = undefined;
    }
    if (typeof fence?.alarmName !== "string" || typeof fence.namespace !== "string" || typeof fence.metricName !== "string"
        || typeof fence.dimensions !== "object" || (action !== "close" && action !== "open")) {
        throw new Error(`the fence action needs FENCE (the fence as JSON) and FENCE_ACTION (close or open) in its environment; ` +
            `it has FENCE=${env.FENCE} FENCE_ACTION=${action}`);
    }
    return { fence: fence as FenceSpec, closed: action === "close" };
}

/**
 * The cache action's environment: the replication group and the size a failover gives it; for a Global
 * Datastore member, the datastore it leaves instead (the promotion).
 */
export function cacheActionEnvironment(replicationGroupId: string, target: CacheSize, globalDatastoreId?: string): Record<string, string> {
    return {
        REPLICATION_GROUP_ID: replicationGroupId, NODE_TYPE: target.nodeType, NODES: String(target.nodes),
        ...(globalDatastoreId !== undefined ? { GLOBAL_DATASTORE_ID: globalDatastoreId } : {}),
    };
}

export function cacheActionOf(env: FunctionEnvironment): {
    readonly replicationGroupId: string; readonly target: CacheSize; readonly globalDatastoreId?: string;
} {
    const nodes = Number(env.NODES);
    if (!env.REPLICATION_GROUP_ID || !env.NODE_TYPE || !Number.isInteger(nodes) || nodes < 1) {
        throw new Error("the cache action needs REPLICATION_GROUP_ID, NODE_TYPE and NODES (1 or more) in its environment; " +
            `it has REPLICATION_GROUP_ID=${env.REPLICATION_GROUP_ID} NODE_TYPE=${env.NODE_TYPE} NODES=${env.NODES}`);
    }
    return {
        replicationGroupId: env.REPLICATION_GROUP_ID, target: { nodeType: env.NODE_TYPE, nodes },
        ...(env.GLOBAL_DATASTORE_ID ? { globalDatastoreId: env.GLOBAL_DATASTORE_ID } : {}),
    };
}
