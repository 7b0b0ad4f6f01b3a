// Wires the building blocks of one region to a RegionPlan. Every tier composes the same blocks; what
// differs between tiers is the plan, decided by pure functions in the tier's own file (model/tiers/).
import { getGroupOutput } from "@pulumi/aws/autoscaling";
import { getParameterOutput } from "@pulumi/aws/ssm";
import { getLoadBalancerOutput } from "@pulumi/aws/lb";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { Provider } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { AppRole } from "../components/appRole";
import { AppTier } from "../components/appTier";
import { BackupPlan } from "../components/backupPlan";
import { BackupVault } from "../components/backupVault";
import { Cache } from "../components/cache";
import { RegionCanary } from "../components/canary";
import { Certificate } from "../components/certificate";
import { DataKey } from "../components/dataKey";
import { ExecutionPages } from "../components/executionPages";
import type { FunctionLogs } from "../components/functionLogGroup";
import { Database, DatabaseMonitoringRole } from "../components/database";
import { GlobalTable } from "../components/globalTable";
import { Network } from "../components/network";
import { ObjectStore, REPLICATION_RULE_ID } from "../components/objectStore";
import { RegionDns } from "../components/regionDns";
import { RegionSwitchPlan } from "../components/regionSwitchPlan";
import { RestoreTests } from "../components/restoreTests";
import { ReplicationAlarms } from "../components/replicationAlarms";
import { TrafficFence } from "../components/trafficFence";
import { LogBucket } from "../components/logBucket";
import { WebFirewall } from "../components/webFirewall";
import { HEALTH_CHECK_PATH, HTTPS_PORT, albDeletionProtection } from "../model/app";
import { ALB_LOG_PREFIX, FLOW_LOG_PREFIX, S3_LOG_PREFIX } from "../model/bucketPolicy";
import { backupVaultArn, vaultLockSettings } from "../model/backups";
import { fenceOf } from "../model/fence";
import { Capacity } from "../model/capacity";
import type { DrConfig } from "../model/config";
import { CanaryNames, canaryNames, detectorNames, detectorPage, rateExpression } from "../model/canary";
import { DETECTOR_ALARM, DETECTOR_RATE_MINUTES, canaryAlarmAt, hibernationVolumeGib } from "../model/levers";
import { emulatorProviderArgs } from "../model/emulator";
import {
    RegionNames, alarmArn, bucketName, clusterArn, globalClusterIdentifier, globalTableName, kmsAliasArn, logBucketName, regionNames, regionSwitchNames, regionSwitchPlanName,
} from "../model/naming";
import { TIERS, pairPlans } from "../model/tiers";
import { restoreCheckLogRetentionDays, restoreTestNames } from "../model/restoreTests";
import {
    AURORA_ENGINE_VERSION, DB_BACKUP_RETENTION_DAYS, DB_INSTANCE_CLASS, RegionPlan, promotedRegionPlan,
} from "../model/regionPlan";
import { launchImage } from "../model/workload";
import { stackTags } from "../model/tags";

/** What a strategy component exposes as stack outputs; absent where the region does not run that part. */
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

/**
 * Creates one region's resources under `parent`. Child names do not include the tier, so that changing
 * `dr:strategy` updates resources in place (the strategy components alias each other's types).
 */
export function buildRegion(parent: pulumi.ComponentResource, name: string, cfg: DrConfig, plan: RegionPlan, resolved: Resolved): RegionOutputs {
    const opts = { parent };
    // The dr stack's reads of the primary region, in normal times only: one provider, created on first use.
    let reader: Provider | undefined;
    const primaryReader = () => reader ??= primaryReadProvider(cfg);
    const names = regionNames(cfg.appName, cfg.region);
    // STS of this stack's own region: the dr stack never calls the primary region.
    const accountId = getCallerIdentityOutput({}, opts).accountId;
    const inAccount = (f: (account: string) => string) => accountId.apply(f);

    const key = new DataKey(`${name}-data-key`, {
        alias: names.dataKeyAlias,
        description: `${cfg.appName} data at rest in ${cfg.region} (DR ${cfg.role})`,
        accountId,
        region: cfg.region,
        // The dr region's alarm topic also carries the Region switch plan's execution pages (EventBridge).
        eventsPublish: plan.operations?.regionSwitch ?? false,
    }, opts);
    // The log groups of the functions and canaries: the region's key, and the region's log retention.
    const functionLogs = { kmsKeyArn: key.keyArn, retentionDays: cfg.logRetentionDays };
    // Every region keeps its own access and flow logs, in normal times and after a failover alike.
    const logs = new LogBucket(`${name}-logs`, {
        bucketName: inAccount((account) => logBucketName(cfg.appName, cfg.region, account)),
        region: cfg.region,
        accountId,
        retentionDays: cfg.logRetentionDays,
    }, opts);
    const network = new Network(`${name}-network`, {
        vpcName: names.vpc,
        cidrBlock: plan.vpcCidr,
        natGateways: plan.natGateways,
        flowLogs: { bucketName: logs.bucketName, prefix: FLOW_LOG_PREFIX },
    }, opts);

    // The HTTPS listener's certificate: the one given for this region, or one requested and validated in
    // normal times, standing by with the app tier (the failover deploy requests none).
    const certificateArn = !plan.app ? undefined : cfg.certificateArn !== undefined ? pulumi.output(cfg.certificateArn)
        : new Certificate(`${name}-certificate`, { domainName: cfg.dnsName, zoneId: cfg.dnsZoneId }, opts).certificateArn;
    const role = plan.app && new AppRole(`${name}-app-role`, {
        name: names.appRole, accountId, region: cfg.region, prefix: names.prefix, kmsKeyArn: key.keyArn,
    }, opts);
    const app = plan.app && certificateArn && role && new AppTier(`${name}-app`, {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albName: names.alb,
        targetGroupName: names.targetGroup,
        launchTemplateName: names.launchTemplate,
        autoScalingGroupName: names.autoScalingGroup,
        capacity: plan.app.capacity,
        instanceType: cfg.instanceType,
        imageId: launchImage(cfg),
        userData: resolved.userData,
        rootDeviceName: cfg.rootDeviceName,
        kmsKeyArn: key.keyArn,
        instanceProfileName: role.instanceProfileName,
        certificateArn,
        deletionProtection: albDeletionProtection(cfg.role),
        accessLogs: { bucket: logs.bucketName, prefix: ALB_LOG_PREFIX },
        warmPool: plan.app.warmPool,
        instanceTags: { ...stackTags(cfg), Name: names.autoScalingGroup },
        hibernationVolumeGib: plan.app.warmPool?.state === "hibernated" ? hibernationVolumeGib(cfg.instanceType) : undefined,
    }, opts);
    // The web ACL stands wherever dr:waf is on, with or without an ALB to guard yet: the failover deploy creates none.
    if (plan.waf) {
        new WebFirewall(`${name}-waf`, { name: names.webAcl, healthPath: HEALTH_CHECK_PATH, rateLimit: plan.waf.rateLimit, albArn: app?.albArn }, opts);
    }
    const dns = plan.app && app && new RegionDns(`${name}-dns`, {
        zoneId: cfg.dnsZoneId,
        recordName: cfg.dnsName,
        routing: plan.app.routing,
        region: cfg.region,
        setIdentifier: names.dnsSetIdentifier,
        healthCheckName: names.healthCheck,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        healthCheckPath: HEALTH_CHECK_PATH,
        port: HTTPS_PORT,
        intervalSeconds: cfg.healthCheckIntervalSeconds,
        failureThreshold: cfg.healthCheckFailureThreshold,
        // The fence the recovering region holds for this region's record: its alarm, by its deterministic name.
        fence: plan.fencedBy === undefined ? undefined : {
            alarmName: fenceOf(cfg.appName, cfg.region, plan.fencedBy).alarmName, alarmRegion: plan.fencedBy,
            checkName: names.fenceCheck, recordCheckName: names.recordCheck,
        },
    }, opts);

    // The data tier only exists with the app tier it serves.
    const clientSecurityGroupId = app ? app.appSecurityGroupId : pulumi.output("");
    // Enhanced monitoring's role, in every region and every tier, database or not: a database may appear here at the
    // failover deploy (backup & restore's restored cluster), which must create no IAM (docs/reference.md, "Control planes and data planes").
    const dbMonitoring = new DatabaseMonitoringRole(`${name}-db-monitoring`, { roleName: names.dbMonitoringRole, accountId }, opts);
    const database = plan.database && new Database(`${name}-db`, {
        membership: plan.database.membership,
        restoreFrom: plan.database.restoreFrom,
        writeForwarding: plan.database.writeForwarding,
        globalClusterIdentifier: globalClusterIdentifier(cfg.appName),
        clusterIdentifier: names.dbCluster,
        subnetGroupName: names.dbSubnetGroup,
        parameterGroupName: names.dbParameterGroup,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId,
        kmsKeyArn: key.keyArn,
        engineVersion: AURORA_ENGINE_VERSION,
        instanceClass: DB_INSTANCE_CLASS,
        instances: plan.database.instances,
        serverless: plan.database.serverless,
        backupRetentionDays: DB_BACKUP_RETENTION_DAYS,
        monitoringRoleArn: dbMonitoring.roleArn,
    }, opts);
    const cache = plan.cache && new Cache(`${name}-cache`, {
        replicationGroupId: names.cache,
        authTokenParameterName: names.cacheAuthTokenParameter,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        clientSecurityGroupId,
        kmsKeyArn: key.keyArn,
        size: plan.cache,
        global: plan.cache.global,
        // A member signs in with the datastore's token: prod's, read from prod's parameter in normal times only.
        primaryAuthToken: plan.cache.global?.role === "secondary"
            ? getParameterOutput({ name: regionNames(cfg.appName, cfg.primaryRegion).cacheAuthTokenParameter, withDecryption: true },
                { parent, provider: primaryReader() }).value
            : undefined,
    }, opts);

    // Buckets replicate to the other region's bucket, whose name both stacks derive.
    const replicateTo = plan.objects?.replicateToRegion;
    const targetBucket = replicateTo && inAccount((account) => bucketName(cfg.appName, replicateTo, account));
    const store = plan.objects && new ObjectStore(`${name}-objects`, {
        bucketName: inAccount((account) => bucketName(cfg.appName, cfg.region, account)),
        kmsKeyArn: key.keyArn,
        accessLogs: { bucket: logs.bucketName, prefix: `${S3_LOG_PREFIX}/data/` },
        noncurrentVersionDays: cfg.backupRetentionDays,
        replicateTo: replicateTo && targetBucket ? {
            bucketName: targetBucket,
            kmsKeyAliasArn: inAccount((account) => kmsAliasArn(replicateTo, account, names.dataKeyAlias)),
            kmsKeyAlias: names.dataKeyAlias,
            accountId,
            region: replicateTo,
            roleName: names.replicationRole,
        } : undefined,
    }, opts);

    const table = plan.globalTable && new GlobalTable(`${name}-table`, {
        tableName: globalTableName(cfg.appName),
        replicaRegions: [...plan.globalTable.replicaRegions],
    }, opts);

    // Backups in every tier: replication copies deletions and corruption too (docs/reference.md).
    const vault = new BackupVault(`${name}-backup-vault`, {
        vaultName: names.backupVault,
        kmsKeyArn: key.keyArn,
        lock: plan.lockVault ? vaultLockSettings(cfg.vaultLockMode, cfg.backupRetentionDays, cfg.vaultLockChangeableForDays) : undefined,
    }, opts);
    const copyTo = plan.backups?.copyToRegion;
    const backedUp = [database?.clusterArn, store?.bucketArn, table?.tableArn].filter((arn): arn is pulumi.Output<string> => arn !== undefined);
    // Every region has the plan's role, a region that is not the writer yet the role only: IAM is a control
    // plane in us-east-1, which the dr region's failover deploy must not need (docs/reference.md, the recovery path).
    const backupPlan = new BackupPlan(`${name}-backup`, {
        planName: names.backupPlan,
        roleName: names.backupPlan,
        vaultName: vault.vaultName,
        schedule: cfg.backupSchedule,
        retentionDays: cfg.backupRetentionDays,
        copyToVaultArn: copyTo && inAccount((account) => backupVaultArn(copyTo, account, regionNames(cfg.appName, copyTo).backupVault)),
        resourceArns: backedUp,
        roleOnly: !(plan.backups && backedUp.length > 0),
    }, opts);

    const alarms = new ReplicationAlarms(`${name}-alarms`, {
        topicName: names.alarmTopic,
        auroraLagAlarmName: names.auroraLagAlarm,
        kmsKeyArn: key.keyArn,
        emails: cfg.alarmEmails,
        forwardTo: cfg.alarmTopicArns,
        // Lag is published by the region that receives the replication, and means something while it does.
        auroraSecondaryClusterId: database && plan.database && !plan.database.writer ? database.clusterIdentifier : undefined,
        s3Replication: store && targetBucket
            ? { sourceBucket: store.bucketName, destinationBucket: targetBucket, ruleId: REPLICATION_RULE_ID }
            : undefined,
    }, opts);

    // The fence of the primary's record, held here: the runbook closes it with this region's CloudWatch.
    const fenced = plan.holdsFenceOf;
    const fence = fenced === undefined ? undefined : new TrafficFence(`${name}-fence`, {
        fence: fenceOf(cfg.appName, fenced, cfg.region),
        fencedRecord: regionNames(cfg.appName, fenced).dnsSetIdentifier,
        alarmActions: alarms.alarmActions,
    }, opts);

    // The region's canary on its own endpoint, where it serves or stands warm; its role stands by wherever there
    // is an app tier, so the failover deploy that starts a canary creates no IAM.
    const canary = app && cfg.canaries ? new RegionCanary(`${name}-canary`, {
        ...namesOfCanary(cfg),
        schedule: rateExpression(cfg.canaryRateMinutes),
        alarm: canaryAlarmAt(cfg.canaryRateMinutes),
        region: cfg.region,
        accountId,
        albDnsName: app.albDnsName,
        hostName: cfg.dnsName,
        artifactBucketName: logs.bucketName,
        alarmActions: alarms.alarmActions,
        running: plan.operations?.canary ?? false,
        logs: functionLogs,
    }, opts) : undefined;

    // The detector (dr:autoFailover approve or auto): this region's own view of the primary, which needs nothing in
    // us-east-1 (Route 53 publishes its checks' metrics there only). Its alarm pages the approvers, or triggers the
    // Region switch plan. It watches in normal times; promoted, there is nothing left to watch: the canary and its
    // alarm go (regional deletes) and its role stays, so a failback's deploy creates no IAM.
    const watched = plan.holdsFenceOf;
    const detector = plan.operations?.detector && app && watched !== undefined ? new RegionCanary(`${name}-detector`, {
        ...namesOf(detectorNames(cfg.appName, cfg.region, watched)),
        region: cfg.region,
        accountId,
        albDnsName: cfg.failover ? pulumi.output(`(${watched} is lost: nothing to watch)`)
            : getLoadBalancerOutput({ name: regionNames(cfg.appName, watched).alb }, { parent, provider: primaryReader() }).dnsName,
        hostName: cfg.dnsName,
        artifactBucketName: logs.bucketName,
        schedule: rateExpression(DETECTOR_RATE_MINUTES),
        alarm: DETECTOR_ALARM,
        alarmDescription: detectorPage({
            watched, region: cfg.region, stack: pulumi.getStack(), regionSwitch: cfg.regionSwitch, starts: plan.operations.detector.starts,
        }),
        alarmActions: alarms.alarmActions,
        running: !cfg.failover,
        logs: functionLogs,
    }, opts) : undefined;

    // Monthly restore tests of what the dr vault holds: the primary's copies, and this region's own backups once promoted.
    const restoreTests = plan.operations?.restoreTests ? newRestoreTests(name, cfg, { accountId, vaultArn: vault.vaultArn, network, alarmActions: alarms.alarmActions, kmsKeyArn: key.keyArn }, opts) : undefined;

    // The pair's ARC Region switch plan, held by the dr stack: the tier's runbook steps as execution blocks.
    const regionSwitch = plan.operations?.regionSwitch && app && fence && plan.holdsFenceOf !== undefined
        ? regionSwitchPlan(parent, name, cfg, names, resolved.rtoTargetSeconds, primaryReader, {
            accountId, app, database: database || undefined, cache: cache || undefined, fence: fence, fencedRegion: plan.holdsFenceOf,
            // From the config, standing by and promoted alike: the action's role must not change at the failover deploy.
            cacheDatastore: plan.cache?.global !== undefined ? cfg.globalDatastoreId : undefined,
            detector: plan.operations?.detector?.starts && detector?.alarmName && detector.alarmArn
                ? { name: detectorNames(cfg.appName, cfg.region, plan.holdsFenceOf).alarm, arn: detector.alarmArn } : undefined,
            lagAlarmArn: alarms.auroraLagAlarmArn, logs, canaryAlarmArn: canary?.alarmArn, functionLogs,
        })
        : undefined;

    // Whoever must approve hears that an execution waits: the approval step notifies nobody.
    if (regionSwitch) {
        new ExecutionPages(`${name}-execution-pages`, {
            ruleName: `${names.prefix}-region-switch-executions`, topicArn: alarms.topicArn, accountId,
        }, opts);
    }

    return {
        regionSwitchPlanArn: regionSwitch?.planArn,
        canaryName: canary?.canaryName,
        detectorAlarmName: detector?.alarmName,
        restoreTestingPlanName: restoreTests?.planName,
        capacity: plan.app?.capacity,
        albDnsName: app?.albDnsName,
        autoScalingGroupName: app?.autoScalingGroupName,
        healthCheckId: dns?.recordHealthCheckId,
        fenceAlarmName: fence?.alarmName,
        dbClusterIdentifier: database?.clusterIdentifier,
        globalClusterIdentifier: database?.globalClusterIdentifier,
        bucketName: store?.bucketName,
        cacheEndpoint: cache?.primaryEndpoint,
        globalDatastoreId: cache?.globalDatastoreId,
        globalTableName: table?.tableName,
        alarmTopicArn: alarms.topicArn,
        backupVaultName: vault.vaultName,
        backupPlanId: backupPlan?.planId,
    };
}

interface RegionSwitchParts {
    readonly accountId: pulumi.Output<string>;
    readonly app: AppTier;
    readonly database?: Database;
    readonly cache?: Cache;
    /** The Global Datastore the dr cache is a member of, which the failover leaves. */
    readonly cacheDatastore?: string;
    /** dr:autoFailover auto: the detector's alarm, which triggers the plan's failover. */
    readonly detector?: { readonly name: string; readonly arn: pulumi.Output<string> };
    readonly fence: TrafficFence;
    readonly fencedRegion: string;
    readonly lagAlarmArn?: pulumi.Output<string>;
    readonly logs: LogBucket;
    /** This region's canary alarm, where its canary runs. */
    readonly canaryAlarmArn?: pulumi.Output<string>;
    /** The custom actions' log groups. */
    readonly functionLogs: FunctionLogs;
}

/**
 * The provider of the dr stack's reads of the primary region (its Auto Scaling group's ARN, its cache's token),
 * made in normal times only: nothing is created through it, and with dr:failover=true nothing asks for it.
 */
function primaryReadProvider(cfg: DrConfig): Provider {
    return new Provider(`aws-${cfg.primaryRegion}-read`, {
        region: cfg.primaryRegion as Region,
        ...(cfg.awsEndpoint ? emulatorProviderArgs(cfg.awsEndpoint) : {}),
    });
}

function namesOfCanary(cfg: DrConfig): { canaryName: string; roleName: string; alarmName: string } {
    return namesOf(canaryNames(cfg.appName, cfg.region));
}

function namesOf(n: CanaryNames): { canaryName: string; roleName: string; alarmName: string } {
    return { canaryName: n.canary, roleName: n.role, alarmName: n.alarm };
}

/** The dr region's restore tests, of what its vault holds: the primary's copies and, once promoted, its own backups. */
function newRestoreTests(name: string, cfg: DrConfig, p: {
    accountId: pulumi.Output<string>; vaultArn: pulumi.Output<string>; network: Network; alarmActions: pulumi.Input<string>[]; kmsKeyArn: pulumi.Output<string>;
}, opts: pulumi.CustomResourceOptions): RestoreTests | undefined {
    const primary = pairPlans(cfg).primary;
    const n = restoreTestNames(cfg.appName, cfg.region);
    if (!primary.database && !primary.objects) {
        return undefined;
    }
    return new RestoreTests(`${name}-restore-tests`, {
        planName: n.plan,
        restoreRoleName: n.restoreRole,
        checkFunctionName: n.checkFunction,
        region: cfg.region,
        accountId: p.accountId,
        vaultArn: p.vaultArn,
        aurora: primary.database ? {
            vpcId: p.network.vpcId,
            subnetIds: p.network.privateSubnetIds,
            subnetGroupName: n.subnetGroup,
            securityGroupName: n.securityGroup,
        } : undefined,
        // Every protected resource whose recovery points are in this vault (the selection's includeVaults): the
        // primary's copies and this region's own, without naming the primary region's resources.
        s3: primary.objects ? {} : undefined,
        alarmNamePrefix: n.alarmPrefix,
        alarmActions: p.alarmActions,
        logs: { kmsKeyArn: p.kmsKeyArn, retentionDays: restoreCheckLogRetentionDays(cfg.logRetentionDays) },
    }, opts);
}

/**
 * The dr stack's Region switch plan. Its EC2 Auto Scaling block needs the primary's group by ARN, which holds
 * an id only AWS knows: the one read of the primary region the dr stack makes, in normal times only. With
 * dr:failover=true the plan is kept as it is (frozen), and nothing is read from the lost region.
 */
function regionSwitchPlan(parent: pulumi.ComponentResource, name: string, cfg: DrConfig, mine: RegionNames, rtoTargetSeconds: number,
    primaryReader: () => Provider, p: RegionSwitchParts): RegionSwitchPlan {
    const opts = { parent };
    const primary = regionNames(cfg.appName, cfg.primaryRegion);
    const rs = regionSwitchNames(cfg.appName, cfg.region);
    const primaryAsgArn = cfg.failover
        ? pulumi.output("(kept as it is: dr:failover=true does not change the plan)")
        : getGroupOutput({ name: primary.autoScalingGroup }, { parent, provider: primaryReader() }).arn;
    const tier = TIERS[cfg.strategy];
    const promotedCache = promotedRegionPlan(cfg).cache;
    const warmsCache = tier.failover.includes("warm-cache") && p.cache !== undefined && promotedCache !== undefined;
    return new RegionSwitchPlan(`${name}-region-switch`, {
        planName: regionSwitchPlanName(cfg.appName),
        roleNames: rs.roles,
        functionNames: rs.functions,
        accountId: p.accountId,
        primaryRegion: cfg.primaryRegion,
        drRegion: cfg.region,
        approverArns: cfg.approverArns ?? [],
        tier,
        asgArns: [primaryAsgArn, p.app.autoScalingGroupArn],
        aurora: p.database ? {
            globalClusterIdentifier: globalClusterIdentifier(cfg.appName),
            clusterArns: [
                p.accountId.apply((account) => clusterArn(cfg.primaryRegion, account, primary.dbCluster)),
                p.accountId.apply((account) => clusterArn(cfg.region, account, mine.dbCluster)),
            ],
        } : undefined,
        fence: fenceOf(cfg.appName, p.fencedRegion, cfg.region),
        fenceAlarmArn: p.fence.alarmArn,
        cache: warmsCache && p.cache && promotedCache ? {
            replicationGroupId: mine.cache, arn: p.cache.arn, target: promotedCache,
            globalDatastoreId: p.cacheDatastore,
        } : undefined,
        healthAlarms: [
            // The canaries are the application's health: the primary's (every tier runs it there) and this region's.
            ...(cfg.canaries ? [{ name: canaryNames(cfg.appName, cfg.primaryRegion).alarm,
                arn: p.accountId.apply((account) => alarmArn(cfg.primaryRegion, account, canaryNames(cfg.appName, cfg.primaryRegion).alarm)) }] : []),
            ...(p.canaryAlarmArn ? [{ name: canaryNames(cfg.appName, cfg.region).alarm, arn: p.canaryAlarmArn }] : []),
            ...(p.lagAlarmArn ? [{ name: mine.auroraLagAlarm, arn: p.lagAlarmArn }] : []),
        ],
        report: { bucketName: p.logs.bucketName, bucketArn: p.logs.bucketArn, prefix: rs.reportPrefix },
        autoTrigger: p.detector && { detector: p.detector, fence: { name: fenceOf(cfg.appName, p.fencedRegion, cfg.region).alarmName, arn: p.fence.alarmArn } },
        rtoTargetSeconds,
        frozen: cfg.failover,
        logs: p.functionLogs,
    }, opts);
}
