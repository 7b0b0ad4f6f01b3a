// Wires the building blocks of one region to a RegionPlan. Every active/passive tier composes the same
// blocks; what differs between tiers is the plan, decided by pure functions in the tier's own file.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppTier, APP_PORT, HEALTH_CHECK_PATH } from "../components/appTier";
import { Cache } from "../components/cache";
import { DataKey } from "../components/dataKey";
import { Database } from "../components/database";
import { FailoverDns } from "../components/failoverDns";
import { Network } from "../components/network";
import { ObjectStore, REPLICATION_RULE_ID } from "../components/objectStore";
import { ReplicationAlarms } from "../components/replicationAlarms";
import { Capacity } from "../lib/capacity";
import { DrConfig } from "../lib/config";
import {
    bucketName, globalClusterIdentifier, kmsAliasArn, regionNames, replicationRoleName,
} from "../lib/naming";
import {
    AURORA_ENGINE_VERSION, DB_BACKUP_RETENTION_DAYS, DB_INSTANCE_CLASS, RegionPlan,
} from "../lib/regionPlan";

/** What a strategy component exposes as stack outputs. */
export interface RegionOutputs {
    readonly albDnsName: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly capacity: Capacity;
    readonly dbClusterIdentifier: pulumi.Output<string>;
    readonly globalClusterIdentifier: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly healthCheckId: pulumi.Output<string>;
    readonly alarmTopicArn: pulumi.Output<string>;
    readonly cacheEndpoint?: pulumi.Output<string>;
}

/**
 * Creates one region's resources under `parent`. Child names do not include the tier, so that changing
 * `dr:strategy` updates resources in place (the strategy components alias each other's types).
 */
export function buildRegion(parent: pulumi.ComponentResource, name: string, cfg: DrConfig, plan: RegionPlan): RegionOutputs {
    const opts = { parent };
    const names = regionNames(cfg.appName, cfg.region);
    // STS of this stack's own region: the dr stack never calls the primary region.
    const accountId = aws.getCallerIdentityOutput({}, opts).accountId;

    const key = new DataKey(`${name}-data-key`, {
        alias: names.dataKeyAlias,
        description: `${cfg.appName} data at rest in ${cfg.region} (DR ${cfg.role})`,
    }, opts);
    const network = new Network(`${name}-network`, {
        vpcName: names.vpc,
        cidrBlock: plan.vpcCidr,
        natGateways: plan.natGateways,
    }, opts);
    const app = new AppTier(`${name}-app`, {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albName: names.alb,
        targetGroupName: names.targetGroup,
        launchTemplateName: names.launchTemplate,
        autoScalingGroupName: names.autoScalingGroup,
        capacity: plan.capacity,
        instanceType: cfg.instanceType,
    }, opts);
    const database = new Database(`${name}-db`, {
        membership: plan.database.membership,
        globalClusterIdentifier: globalClusterIdentifier(cfg.appName),
        clusterIdentifier: names.dbCluster,
        subnetGroupName: names.dbSubnetGroup,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId: app.appSecurityGroupId,
        kmsKeyArn: key.keyArn,
        engineVersion: AURORA_ENGINE_VERSION,
        instanceClass: DB_INSTANCE_CLASS,
        instances: plan.database.instances,
        backupRetentionDays: DB_BACKUP_RETENTION_DAYS,
    }, opts);
    const cache = plan.cache && new Cache(`${name}-cache`, {
        replicationGroupId: names.cache,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId: app.appSecurityGroupId,
        kmsKeyArn: key.keyArn,
        size: plan.cache,
    }, opts);

    // The primary replicates to the dr bucket, whose name both stacks derive; the dr bucket is the replica.
    // S3 refuses a rule whose destination does not exist yet, hence dr:replicateObjects for the first deploy.
    const replicates = cfg.role === "primary" && cfg.replicateObjects;
    const replicaBucket = accountId.apply((account) => bucketName(cfg.appName, cfg.drRegion, account));
    const store = new ObjectStore(`${name}-objects`, {
        bucketName: accountId.apply((account) => bucketName(cfg.appName, cfg.region, account)),
        kmsKeyArn: key.keyArn,
        replicateTo: replicates ? {
            bucketName: replicaBucket,
            kmsKeyAliasArn: accountId.apply((account) => kmsAliasArn(cfg.drRegion, account, names.dataKeyAlias)),
            region: cfg.drRegion,
            roleName: replicationRoleName(cfg.appName),
        } : undefined,
    }, opts);

    const dns = new FailoverDns(`${name}-dns`, {
        zoneId: cfg.dnsZoneId,
        recordName: cfg.dnsName,
        failoverRole: plan.dnsFailover,
        setIdentifier: names.dnsSetIdentifier,
        healthCheckName: names.healthCheck,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        healthCheckPath: HEALTH_CHECK_PATH,
        port: APP_PORT,
        intervalSeconds: cfg.healthCheckIntervalSeconds,
        failureThreshold: cfg.healthCheckFailureThreshold,
    }, opts);

    const alarms = new ReplicationAlarms(`${name}-alarms`, {
        topicName: names.alarmTopic,
        // Lag is published by the region that receives the replication, and means something while it does.
        auroraSecondaryClusterId: plan.database.writer ? undefined : database.clusterIdentifier,
        s3Replication: replicates
            ? { sourceBucket: store.bucketName, destinationBucket: replicaBucket, ruleId: REPLICATION_RULE_ID }
            : undefined,
    }, opts);

    return {
        albDnsName: app.albDnsName,
        autoScalingGroupName: app.autoScalingGroupName,
        capacity: plan.capacity,
        dbClusterIdentifier: database.clusterIdentifier,
        globalClusterIdentifier: database.globalClusterIdentifier,
        bucketName: store.bucketName,
        healthCheckId: dns.healthCheckId,
        alarmTopicArn: alarms.topicArn,
        cacheEndpoint: cache ? cache.primaryEndpoint : undefined,
    };
}
