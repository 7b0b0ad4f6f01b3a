// The AWS requests that two callers send: the runbook (runbook/operations.ts) and a Lambda of functions/. One
// builder per action, so a failover run by the runbook and one run by ARC Region switch's custom actions send
// the same requests. Pure: it imports only types, so its transpiled file requires nothing and travels in the
// functions' zips as it is (components/functionCode.ts).
import type { PutMetricDataCommandInput, SetAlarmStateCommandInput } from "@aws-sdk/client-cloudwatch";
import type {
    DescribeReplicationGroupsCommandInput, DisassociateGlobalReplicationGroupCommandInput, IncreaseReplicaCountCommandInput,
    ModifyReplicationGroupCommandInput, ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import type { FenceSpec } from "../model/fence";
import type { CacheSize } from "../model/regionPlan";

/**
 * The fence's datapoint (model/fence.ts): 1 closed, 0 open, the alarm's own rule. It keeps the alarm where its
 * state is set when the alarm next evaluates.
 */
export function fenceDatapointRequest(fence: FenceSpec, closed: boolean, timestamp: Date): PutMetricDataCommandInput {
    return {
        Namespace: fence.namespace,
        MetricData: [{
            MetricName: fence.metricName, Value: closed ? 1 : 0, Unit: "Count", Timestamp: timestamp,
            Dimensions: Object.entries(fence.dimensions).map(([Name, Value]) => ({ Name, Value })),
        }],
    };
}

/** The fence's state itself (ALARM closed, OK open), so Route 53's checkers see it now, not at the next evaluation. */
export function fenceStateRequest(fence: FenceSpec, closed: boolean, reason: string): SetAlarmStateCommandInput {
    return { AlarmName: fence.alarmName, StateValue: closed ? "ALARM" : "OK", StateReason: reason };
}

export function describeCacheRequest(replicationGroupId: string): DescribeReplicationGroupsCommandInput {
    return { ReplicationGroupId: replicationGroupId };
}

/** A replication group's size as the model counts it: its node type and its cache clusters (1 = no replica). */
export function cacheSizeOf(group: ReplicationGroup): CacheSize {
    return { nodeType: group.CacheNodeType ?? "", nodes: (group.MemberClusters ?? []).length };
}

/**
 * What takes a cache from its size now to the target: the node type first, then the replicas (each a request,
 * absent when that part is there already). A cache larger than the target is left alone: a resize is the
 * failover's, and it only grows a standby.
 */
export function cacheResizeRequests(replicationGroupId: string, now: CacheSize, target: CacheSize): {
    readonly nodeType?: ModifyReplicationGroupCommandInput;
    readonly replicas?: IncreaseReplicaCountCommandInput;
} {
    return {
        nodeType: now.nodeType === target.nodeType ? undefined
            : { ReplicationGroupId: replicationGroupId, CacheNodeType: target.nodeType, ApplyImmediately: true },
        replicas: now.nodes >= target.nodes ? undefined
            : { ReplicationGroupId: replicationGroupId, NewReplicaCount: target.nodes - 1, ApplyImmediately: true },
    };
}

/** The Global Datastore a replication group belongs to, or undefined where it stands alone. */
export function datastoreOf(group: ReplicationGroup): string | undefined {
    return group.GlobalReplicationGroupInfo?.GlobalReplicationGroupId || undefined;
}

/**
 * The dr member leaves the Global Datastore and becomes a standalone cluster that takes writes: the way to
 * promote it when the primary region is gone, as FailoverGlobalReplicationGroup needs the primary (ElastiCache
 * User Guide, "Replication across AWS Regions using global datastores"; docs/reference.md, ElastiCache Global
 * Datastore). Sent to the dr region's own endpoint, naming the member's region.
 */
export function leaveDatastoreRequest(globalDatastoreId: string, replicationGroupId: string, region: string): DisassociateGlobalReplicationGroupCommandInput {
    return { GlobalReplicationGroupId: globalDatastoreId, ReplicationGroupId: replicationGroupId, ReplicationGroupRegion: region };
}
