// The AWS reads and writes the runbook's steps are made of. Each write has a read that verifies it.
import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeReplicationGroupsCommand, DisassociateGlobalReplicationGroupCommand, IncreaseReplicaCountCommand, ModifyReplicationGroupCommand,
    ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
    DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
    cacheResizeRequests, cacheSizeOf, datastoreOf, describeCacheRequest, fenceDatapointRequest, fenceStateRequest, leaveDatastoreRequest,
} from "../functions/requests";
import { Capacity } from "../model/capacity";
import { FenceSpec } from "../model/fence";
import { CacheSize } from "../model/regionPlan";
import { AwsClients, once, outcomeUnknown, unlessNotFound } from "./aws";

/** What reading the state back after a change shows, in words: whether the change was made (or is under way), or undefined when the state cannot tell yet. */
export interface ReadBack {
    readonly made: boolean | undefined;
    readonly seen: string;
}

/**
 * A change sent once (aws.ts `once`), never again blindly. When its answer does not come (or comes as AWS's own
 * failure), it may have been made all the same: the state is read back, and what it shows is reported. Made
 * (or under way): returns a note for the report, and the step goes on. Not made, or not readable: throws,
 * saying so; a re-run reads the state first and sends the change only where it was not made.
 */
export async function changeOnce(send: () => Promise<unknown>, readBack: () => Promise<ReadBack>): Promise<string | undefined> {
    try {
        await send();
        return undefined;
    } catch (err) {
        if (!outcomeUnknown(err)) {
            throw err;
        }
        const lost = `${(err as Error).message}: sent once, not again`;
        let shown: ReadBack;
        try {
            shown = await readBack();
        } catch (readErr) {
            throw new Error(`${lost}. Reading the state back failed too (${(readErr as Error).message}): whether the change was made is not known; ` +
                "a re-run reads the state first, and sends the change only where it was not made");
        }
        if (shown.made === undefined) {
            throw new Error(`${lost}. Read back: ${shown.seen}: whether the change was made does not show yet; ` +
                "a re-run reads the state first, and sends the change only where it was not made");
        }
        if (!shown.made) {
            throw new Error(`${lost}. Read back: ${shown.seen}: the change was not made`);
        }
        return `${lost}. Read back: ${shown.seen}: the change was made`;
    }
}

/** The account id, or why the region does not answer (a lost region), naming the region and the service. */
export async function reachable(clients: AwsClients): Promise<{ account: string } | { unreachable: string }> {
    try {
        return { account: (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? "" };
    } catch (err) {
        return { unreachable: (err as Error).message };
    }
}

export async function asgCapacity(clients: AwsClients, name: string): Promise<Capacity | undefined> {
    const out = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const g = out.AutoScalingGroups?.[0];
    return g ? { min: g.MinSize ?? 0, desired: g.DesiredCapacity ?? 0, max: g.MaxSize ?? 0 } : undefined;
}

export async function setAsgCapacity(clients: AwsClients, name: string, capacity: Capacity): Promise<void> {
    await clients.autoscaling.send(new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name, MinSize: capacity.min, DesiredCapacity: capacity.desired, MaxSize: capacity.max,
    }));
}

/** Targets the load balancer considers healthy in the named target group. */
export async function healthyTargets(clients: AwsClients, targetGroupName: string): Promise<number> {
    const groups = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [targetGroupName] }));
    const arn = groups.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn) {
        return 0;
    }
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return (health.TargetHealthDescriptions ?? []).filter((t) => t.TargetHealth?.State === "healthy").length;
}

export async function clusterArn(clients: AwsClients, clusterId: string): Promise<string | undefined> {
    const out = await unlessNotFound("DBClusterNotFoundFault", () => clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })));
    return out?.DBClusters?.[0]?.DBClusterArn;
}

/** DescribeGlobalClusters of one global cluster; undefined when there is no such global cluster. */
/**
 * The global cluster of that id, or undefined. Picked out of the answer by its id: moto answers every global
 * cluster whatever the identifier asked (tests/moto.test.ts), and with two apps' in one emulator (a portfolio's
 * drill) the first would be another app's. An answer that names none (a test's fake) is taken as the one asked.
 */
async function globalCluster(clients: AwsClients, globalClusterId: string) {
    const answer = await unlessNotFound("GlobalClusterNotFoundFault",
        () => clients.rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterId })));
    const found = answer?.GlobalClusters ?? [];
    return found.find((g) => g.GlobalClusterIdentifier === globalClusterId) ?? (found.every((g) => g.GlobalClusterIdentifier === undefined) ? found[0] : undefined);
}

/** The global cluster's members and which one writes; undefined when there is no such global cluster. */
export async function globalMembers(clients: AwsClients, globalClusterId: string): Promise<{ arn: string; writer: boolean }[] | undefined> {
    const g = await globalCluster(clients, globalClusterId);
    return g ? (g.GlobalClusterMembers ?? []).map((m) => ({ arn: m.DBClusterArn ?? "", writer: m.IsWriter === true })) : undefined;
}

/** Is this cluster the writer: of the global cluster, or standalone (detached and promoted)? */
export async function isWriter(clients: AwsClients, globalClusterId: string, clusterId: string): Promise<boolean> {
    const arn = await clusterArn(clients, clusterId);
    if (!arn) {
        return false;
    }
    const members = await globalMembers(clients, globalClusterId);
    const member = members?.find((m) => m.arn === arn);
    return member ? member.writer : true;
}

/**
 * What the global cluster shows of a promotion of the cluster: it is the writer, or a promotion to it is under
 * way (made), or neither.
 */
export async function promotionShown(clients: AwsClients, globalClusterId: string, clusterId: string, targetClusterArn: string): Promise<ReadBack> {
    if (await isWriter(clients, globalClusterId, clusterId)) {
        return { made: true, seen: `${clusterId} is the writer` };
    }
    const underWay = await promotionUnderWay(clients, globalClusterId);
    return underWay?.toClusterArn === targetClusterArn
        ? { made: true, seen: `${globalClusterId} shows a promotion to ${clusterId} under way (${underWay.status})` }
        : { made: false, seen: `${globalClusterId} shows no promotion to ${clusterId} under way, and ${clusterId} is not the writer` };
}

/**
 * Planned: switchover, no data loss (Aurora waits until the secondary has caught up). Sent once: a second
 * switchover would fail on the first one under way, or switch back. Returns a note when its answer was lost.
 */
export async function switchover(clients: AwsClients, globalClusterId: string, clusterId: string, targetClusterArn: string): Promise<string | undefined> {
    return changeOnce(
        () => clients.rds.send(once(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn }))),
        () => promotionShown(clients, globalClusterId, clusterId, targetClusterArn));
}

/**
 * Unplanned: managed failover with data loss up to the lag; Aurora re-adds the old primary as a secondary once
 * it is back. Sent once, as the switchover. Returns a note when its answer was lost.
 */
export async function failoverWithDataLoss(clients: AwsClients, globalClusterId: string, clusterId: string, targetClusterArn: string): Promise<string | undefined> {
    return changeOnce(
        () => clients.rds.send(once(new FailoverGlobalClusterCommand({
            GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn, AllowDataLoss: true,
        }))),
        () => promotionShown(clients, globalClusterId, clusterId, targetClusterArn));
}

/** The newest AuroraGlobalDBReplicationLag (ms) the region reported in the last 10 minutes; undefined: no data. */
export async function replicationLagMs(clients: AwsClients, clusterId: string, now = new Date()): Promise<number | undefined> {
    const out = await clients.cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag",
        Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }],
        StartTime: new Date(now.getTime() - 10 * 60_000), EndTime: now, Period: 60, Statistics: ["Maximum"],
    }));
    const points = (out.Datapoints ?? []).filter((d) => d.Timestamp && d.Maximum !== undefined)
        .sort((a, b) => b.Timestamp!.getTime() - a.Timestamp!.getTime());
    return points[0]?.Maximum;
}

/**
 * Open: the alarm is OK, or INSUFFICIENT_DATA as a new one is before any datapoint (its health check counts
 * that as the last status Route 53 saw, healthy for a new check). Closed: ALARM.
 */
export const fenceIsOpen = (state: string | undefined): boolean => state === "OK" || state === "INSUFFICIENT_DATA";

/** The traffic fence's alarm state in its region (ALARM: closed), or undefined when there is no such alarm. */
export async function fenceState(clients: AwsClients, alarmName: string): Promise<string | undefined> {
    return (await alarmState(clients, alarmName))?.state;
}

/** A metric alarm's state, as CloudWatch last set it: when, and why (its StateReason). */
export interface AlarmState {
    readonly state: string;
    readonly updatedAt?: Date;
    readonly reason?: string;
}

/**
 * A metric alarm's state in the clients' region (the dr canary's, the fence's), or undefined when there is no
 * such alarm there: one regional CloudWatch read, nothing in another region.
 */
export async function alarmState(clients: AwsClients, alarmName: string): Promise<AlarmState | undefined> {
    const out = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ["MetricAlarm"] }));
    const alarm = out.MetricAlarms?.[0];
    return alarm?.StateValue === undefined ? undefined : { state: alarm.StateValue, updatedAt: alarm.StateUpdatedTimestamp, reason: alarm.StateReason };
}

/**
 * Closes or opens the fence (model/fence.ts) with two regional CloudWatch calls in the region that holds it:
 * a datapoint that keeps the alarm where it is set (1 closed, 0 open: the alarm's own rule), and the state
 * itself, so Route 53's checkers see it now rather than at the alarm's next evaluation.
 */
export async function setFence(clients: AwsClients, fence: FenceSpec, closed: boolean, why: string): Promise<void> {
    await clients.cloudwatch.send(new PutMetricDataCommand(fenceDatapointRequest(fence, closed, new Date())));
    await clients.cloudwatch.send(new SetAlarmStateCommand(fenceStateRequest(fence, closed, why)));
}

/** A managed failover or switchover of the global cluster under way, and the cluster it promotes; undefined when none. */
export async function promotionUnderWay(clients: AwsClients, globalClusterId: string): Promise<{ status: string; toClusterArn?: string } | undefined> {
    const state = (await globalCluster(clients, globalClusterId))?.FailoverState;
    return state?.Status ? { status: state.Status, toClusterArn: state.ToDbClusterArn } : undefined;
}

/** The replication group as ElastiCache describes it, or undefined where there is none. */
async function replicationGroup(clients: AwsClients, replicationGroupId: string): Promise<ReplicationGroup | undefined> {
    const out = await unlessNotFound("ReplicationGroupNotFoundFault",
        () => clients.elasticache.send(new DescribeReplicationGroupsCommand(describeCacheRequest(replicationGroupId))));
    return out?.ReplicationGroups?.[0];
}

export async function cacheSize(clients: AwsClients, replicationGroupId: string): Promise<CacheSize | undefined> {
    const g = await replicationGroup(clients, replicationGroupId);
    return g ? cacheSizeOf(g) : undefined;
}

/** The Global Datastore the cache belongs to: undefined once it left (or never was a member, or is missing). */
export async function cacheDatastore(clients: AwsClients, replicationGroupId: string): Promise<string | undefined> {
    const g = await replicationGroup(clients, replicationGroupId);
    return g ? datastoreOf(g) : undefined;
}

/** The dr cache leaves the Global Datastore: a standalone cluster that takes writes (functions/requests.ts). */
export async function leaveDatastore(clients: AwsClients, globalDatastoreId: string, replicationGroupId: string): Promise<string | undefined> {
    // Sent once: a second request fails on the first one's effect. Read back, a member may still show for a while.
    return changeOnce(
        () => clients.elasticache.send(once(new DisassociateGlobalReplicationGroupCommand(leaveDatastoreRequest(globalDatastoreId, replicationGroupId, clients.region)))),
        async () => {
            const g = await replicationGroup(clients, replicationGroupId);
            const member = g ? datastoreOf(g) : undefined;
            return member === undefined
                ? { made: true, seen: `${replicationGroupId} is in no Global Datastore` }
                : { made: undefined, seen: `${replicationGroupId} is still a member of ${member} (status ${g?.Status ?? "unknown"})` };
        });
}

/** Resize a standby cache to production size: the node type, then the replicas (functions/requests.ts). */
export async function resizeCache(clients: AwsClients, replicationGroupId: string, target: CacheSize): Promise<string[]> {
    const now = await cacheSize(clients, replicationGroupId);
    if (!now) {
        return [];
    }
    const requests = cacheResizeRequests(replicationGroupId, now, target);
    // Each sent once: a second request fails on the first one's modification under way.
    const shown = async (done: (size: CacheSize) => boolean): Promise<ReadBack> => {
        const g = await replicationGroup(clients, replicationGroupId);
        const size = g && cacheSizeOf(g);
        return g === undefined || size === undefined ? { made: false, seen: `there is no replication group ${replicationGroupId}` }
            : done(size) || g.Status === "modifying" ? { made: true, seen: `${replicationGroupId} is ${g.Status ?? "?"}, ${size.nodes} x ${size.nodeType}` }
            : { made: false, seen: `${replicationGroupId} is ${g.Status ?? "?"}, still ${size.nodes} x ${size.nodeType}` };
    };
    const notes: string[] = [];
    if (requests.nodeType) {
        const nodeType = requests.nodeType;
        notes.push(...[await changeOnce(() => clients.elasticache.send(once(new ModifyReplicationGroupCommand(nodeType))),
            () => shown((s) => s.nodeType === target.nodeType))].filter((n): n is string => n !== undefined));
    }
    if (requests.replicas) {
        const replicas = requests.replicas;
        notes.push(...[await changeOnce(() => clients.elasticache.send(once(new IncreaseReplicaCountCommand(replicas))),
            () => shown((s) => s.nodes >= target.nodes))].filter((n): n is string => n !== undefined));
    }
    return notes;
}

/** The weighted A records of a name, by set identifier (Route 53's API: failback only). */
export async function weightedRecords(route53: Route53Client, zoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: "A" }));
    const fqdn = name.endsWith(".") ? name : `${name}.`;
    return (out.ResourceRecordSets ?? []).filter((r) => r.Name === fqdn && r.Type === "A" && r.Weight !== undefined);
}

export async function setWeight(route53: Route53Client, zoneId: string, record: ResourceRecordSet, weight: number): Promise<void> {
    await route53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { ...record, Weight: weight } }] },
    }));
}
