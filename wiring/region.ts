// Wires the building blocks of one region to the stack's plan (model/stackPlan.ts), which has decided
// everything: every tier composes the same blocks, and what differs between tiers is the plan, decided by pure
// functions in the tier's own file (model/tiers/). The region is built by concern, in this order: its base
// (base.ts), its edge, its data, what protects them, and the operations that prove and run the recovery.
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Capacity } from "../model/capacity";
import type { DrConfig } from "../model/config";
import type { StackPlan } from "../model/stackPlan";
import { buildBase } from "./base";
import { buildData } from "./data";
import { buildEdge } from "./edge";
import { buildOperations } from "./operations";
import { buildProtection } from "./protection";

/** What the tier's component exposes as stack outputs; absent where the region does not run that part. */
export interface RegionOutputs {
    readonly capacity?: Capacity;
    readonly albDnsName?: pulumi.Output<string>;
    readonly autoScalingGroupName?: pulumi.Output<string>;
    /** The health check of this region's record (CALCULATED over the endpoint's and the fence's where fenced). */
    readonly healthCheckId?: pulumi.Output<string>;
    /** The alarm this region holds as the fence of the primary's record. */
    readonly fenceAlarmName?: pulumi.Output<string>;
    readonly dbClusterIdentifier?: pulumi.Output<string>;
    readonly globalClusterIdentifier?: pulumi.Output<string>;
    readonly bucketName?: pulumi.Output<string>;
    readonly cacheEndpoint?: pulumi.Output<string>;
    /** The Global Datastore prod's cache created (`dr:cacheReplication global-datastore`): the dr stack's dr:globalDatastoreId. */
    readonly globalDatastoreId?: pulumi.Output<string>;
    readonly globalTableName?: pulumi.Output<string>;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly backupVaultName: pulumi.Output<string>;
    readonly backupPlanId?: pulumi.Output<string>;
    readonly regionSwitchPlanArn?: pulumi.Output<string>;
    readonly canaryName?: pulumi.Output<string>;
    /** The detector's alarm (the dr stack with dr:autoFailover approve or auto, in normal times). */
    readonly detectorAlarmName?: pulumi.Output<string>;
    readonly restoreTestingPlanName?: pulumi.Output<string>;
}

/** What the program resolved from the config before any resource: read once, in index.ts. */
export interface Resolved {
    /** The text of `dr:userDataFile` (model/workload.ts, readUserData); undefined: the placeholder app. */
    readonly userData?: string;
    /** The pair's RTO target (model/objectives.ts, assessObjectives): the Region switch plan's objective. */
    readonly rtoTargetSeconds: number;
}

/** What a region is built from: the stack's config and plan, and what index.ts resolved and built before it. */
export interface RegionInputs {
    readonly cfg: DrConfig;
    readonly plan: StackPlan;
    readonly resolved: Resolved;
    /** The read provider of the primary region, where the plan reads it (wiring/providers.ts). */
    readonly primaryRead?: Provider;
}

/**
 * Creates one region's resources under `parent`. Child names do not include the tier, so that changing
 * `dr:strategy` updates resources in place (the tiers' components alias each other's types).
 */
export function buildRegion(parent: pulumi.ComponentResource, name: string, { cfg, plan, resolved, primaryRead }: RegionInputs): RegionOutputs {
    const base = buildBase(parent, name, cfg, plan, primaryRead);
    const edge = buildEdge(base, resolved.userData);
    const app = edge.app;
    // The data tier only exists with the app tier it serves.
    const data = buildData(base, app ? app.appSecurityGroupId : pulumi.output(""));
    const protection = buildProtection(base, data);
    const { vault, backupPlan, alarms, fences } = protection;
    const operations = buildOperations(base, edge, data, protection, resolved.rtoTargetSeconds);
    return {
        regionSwitchPlanArn: operations.regionSwitch?.planArn,
        canaryName: operations.canary?.canaryName,
        detectorAlarmName: operations.detector?.alarmName,
        restoreTestingPlanName: operations.restoreTests?.planName,
        capacity: plan.app?.capacity,
        albDnsName: app?.albDnsName,
        autoScalingGroupName: app?.autoScalingGroupName,
        healthCheckId: edge.dns?.recordHealthCheckId,
        fenceAlarmName: fences[0]?.alarmName, // the primary's: fencesHeldBy lists it first
        dbClusterIdentifier: data.database?.clusterIdentifier,
        globalClusterIdentifier: data.database?.globalClusterIdentifier,
        bucketName: data.store?.bucketName,
        cacheEndpoint: data.cache?.primaryEndpoint,
        globalDatastoreId: data.cache?.globalDatastoreId,
        globalTableName: data.table?.tableName,
        alarmTopicArn: alarms.topicArn,
        backupVaultName: vault.vaultName,
        backupPlanId: backupPlan.planId,
    };
}
