// The cache's custom action in the ARC Region switch plan (model/regionSwitch.ts): resizes the dr region's
// standby cache to production size, node type first, then replicas, as the runbook's resizeCache does; or,
// where the cache is a Global Datastore member, promotes it by leaving the datastore, as the runbook's
// leaveDatastore does. The same requests (functions/requests.ts); the group, its size and the datastore are
// in the function's environment.
import {
    DescribeReplicationGroupsCommand, DisassociateGlobalReplicationGroupCommand, ElastiCacheClient, IncreaseReplicaCountCommand,
    ModifyReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { cacheActionOf } from "../model/regionSwitch";
import { cacheResizeRequests, cacheSizeOf, datastoreOf, describeCacheRequest, leaveDatastoreRequest } from "./requests";

// Made on the first invocation and kept for the next ones; loading the module makes no client.
let elasticache: ElastiCacheClient | undefined;

export async function handler(): Promise<{ cache: string; nodeType: string; nodes: number; leftDatastore?: string }> {
    const { replicationGroupId, target, globalDatastoreId } = cacheActionOf(process.env);
    elasticache ??= new ElastiCacheClient({});
    const group = (await elasticache.send(new DescribeReplicationGroupsCommand(describeCacheRequest(replicationGroupId)))).ReplicationGroups?.[0];
    // The runbook skips a missing cache; a custom action fails instead, so the plan's execution shows the step failed.
    if (group === undefined) {
        throw new Error(`replication group ${replicationGroupId} not found`);
    }
    if (globalDatastoreId !== undefined) {
        // A member already has production's size; a retry after it left changes nothing.
        if (datastoreOf(group) !== undefined) {
            await elasticache.send(new DisassociateGlobalReplicationGroupCommand(
                leaveDatastoreRequest(globalDatastoreId, replicationGroupId, process.env.AWS_REGION ?? "")));
        }
        return { cache: replicationGroupId, nodeType: target.nodeType, nodes: target.nodes, leftDatastore: globalDatastoreId };
    }
    const requests = cacheResizeRequests(replicationGroupId, cacheSizeOf(group), target);
    if (requests.nodeType) {
        await elasticache.send(new ModifyReplicationGroupCommand(requests.nodeType));
    }
    if (requests.replicas) {
        await elasticache.send(new IncreaseReplicaCountCommand(requests.replicas));
    }
    return { cache: replicationGroupId, nodeType: target.nodeType, nodes: target.nodes };
}
