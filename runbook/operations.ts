// The AWS reads and writes the runbook's steps are made of. Each write has a read that verifies it.
import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeReplicationGroupsCommand, IncreaseReplicaCountCommand, ModifyReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
    DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import {
    ChangeResourceRecordSetsCommand, GetHealthCheckCommand, ListHealthChecksCommand, ListResourceRecordSetsCommand,
    ListTagsForResourcesCommand, ResourceRecordSet, UpdateHealthCheckCommand,
} from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Capacity } from "../model/capacity";
import { CacheSize } from "../model/regionPlan";
import { AwsClients } from "./aws";

/** The account id, or undefined when the region does not answer (a lost primary region). */
export async function reachable(clients: AwsClients): Promise<string | undefined> {
    try {
        return (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
    } catch {
        return undefined;
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
    try {
        const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
        return out.DBClusters?.[0]?.DBClusterArn;
    } catch (err) {
        if ((err as { name?: string }).name === "DBClusterNotFoundFault") {
            return undefined;
        }
        throw err;
    }
}

/** The global cluster's members and which one writes; undefined when there is no such global cluster. */
export async function globalMembers(clients: AwsClients, globalClusterId: string): Promise<{ arn: string; writer: boolean }[] | undefined> {
    try {
        const out = await clients.rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterId }));
        const g = out.GlobalClusters?.[0];
        return g ? (g.GlobalClusterMembers ?? []).map((m) => ({ arn: m.DBClusterArn ?? "", writer: m.IsWriter === true })) : undefined;
    } catch (err) {
        if ((err as { name?: string }).name === "GlobalClusterNotFoundFault") {
            return undefined;
        }
        throw err;
    }
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

/** Planned: switchover, no data loss (Aurora waits until the secondary has caught up). */
export async function switchover(clients: AwsClients, globalClusterId: string, targetClusterArn: string): Promise<void> {
    await clients.rds.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn }));
}

/** Unplanned: managed failover with data loss up to the lag; Aurora re-adds the old primary as a secondary once it is back. */
export async function failoverWithDataLoss(clients: AwsClients, globalClusterId: string, targetClusterArn: string): Promise<void> {
    await clients.rds.send(new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: globalClusterId, TargetDbClusterIdentifier: targetClusterArn, AllowDataLoss: true,
    }));
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

/** The Route 53 health check the program tagged with this Name. */
export async function healthCheckByName(clients: AwsClients, name: string): Promise<{ id: string; inverted: boolean } | undefined> {
    // Every page of health checks (100 a page), their tags 10 ids at a time (ListTagsForResources' limit).
    const ids: string[] = [];
    let marker: string | undefined;
    do {
        const page = await clients.route53.send(new ListHealthChecksCommand({ Marker: marker }));
        ids.push(...(page.HealthChecks ?? []).map((c) => c.Id!));
        marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
    for (let i = 0; i < ids.length; i += 10) {
        const tagged = await clients.route53.send(new ListTagsForResourcesCommand({ ResourceType: "healthcheck", ResourceIds: ids.slice(i, i + 10) }));
        const match = tagged.ResourceTagSets?.find((set) => set.Tags?.some((t) => t.Key === "Name" && t.Value === name));
        if (match?.ResourceId) {
            const check = await clients.route53.send(new GetHealthCheckCommand({ HealthCheckId: match.ResourceId }));
            return { id: match.ResourceId, inverted: check.HealthCheck?.HealthCheckConfig?.Inverted === true };
        }
    }
    return undefined;
}

/**
 * Inverting a health check makes Route 53 treat the endpoint as unhealthy whatever it answers: the fence
 * that keeps traffic off the old primary until failback, even if it comes back on its own.
 */
export async function setInverted(clients: AwsClients, healthCheckId: string, inverted: boolean): Promise<void> {
    await clients.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: healthCheckId, Inverted: inverted }));
}

export async function cacheSize(clients: AwsClients, replicationGroupId: string): Promise<CacheSize | undefined> {
    try {
        const out = await clients.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId }));
        const g = out.ReplicationGroups?.[0];
        return g ? { nodeType: g.CacheNodeType ?? "", nodes: (g.MemberClusters ?? []).length } : undefined;
    } catch (err) {
        if ((err as { name?: string }).name === "ReplicationGroupNotFoundFault") {
            return undefined;
        }
        throw err;
    }
}

/** Resize a standby cache to production size: the node type, then the replicas. */
export async function resizeCache(clients: AwsClients, replicationGroupId: string, target: CacheSize): Promise<void> {
    const now = await cacheSize(clients, replicationGroupId);
    if (now && now.nodeType !== target.nodeType) {
        await clients.elasticache.send(new ModifyReplicationGroupCommand({
            ReplicationGroupId: replicationGroupId, CacheNodeType: target.nodeType, ApplyImmediately: true,
        }));
    }
    if (now && now.nodes < target.nodes) {
        await clients.elasticache.send(new IncreaseReplicaCountCommand({
            ReplicationGroupId: replicationGroupId, NewReplicaCount: target.nodes - 1, ApplyImmediately: true,
        }));
    }
}

/** The weighted A records of a name, by set identifier. */
export async function weightedRecords(clients: AwsClients, zoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const out = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: "A" }));
    const fqdn = name.endsWith(".") ? name : `${name}.`;
    return (out.ResourceRecordSets ?? []).filter((r) => r.Name === fqdn && r.Type === "A" && r.Weight !== undefined);
}

export async function setWeight(clients: AwsClients, zoneId: string, record: ResourceRecordSet, weight: number): Promise<void> {
    await clients.route53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { ...record, Weight: weight } }] },
    }));
}
