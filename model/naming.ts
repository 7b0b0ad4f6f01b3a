// Deterministic physical names: the only link between the prod and the dr stack.
//
// The dr stack must deploy while the primary region and the prod stack's state are gone, so it can
// neither read a StackReference nor call the primary region. Both stacks therefore derive every name
// the other side (and the failover runbook) needs from `dr:appName`, the region and the account, here.

/** Words in region names and their usual short forms (us-east-1 -> use1, ap-southeast-2 -> apse2). */
const REGION_WORDS: Readonly<Record<string, string>> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
    gov: "g",
    iso: "i",
    isob: "ib",
};

/**
 * A short, stable code for a region, used inside names with tight length limits (an ALB or target
 * group name is at most 32 characters).
 */
export function regionCode(region: string): string {
    return region
        .split("-")
        .map((part, i) => (i === 0 || /^\d+$/.test(part) ? part : REGION_WORDS[part] ?? part[0]))
        .join("");
}

/** The names of one region's resources. Both stacks compute both regions' names with this. */
export interface RegionNames {
    /** `<app>-<regioncode>`: the prefix of every name below. */
    readonly prefix: string;
    readonly vpc: string;
    readonly alb: string;
    readonly targetGroup: string;
    readonly launchTemplate: string;
    readonly autoScalingGroup: string;
    readonly dbCluster: string;
    readonly dbSubnetGroup: string;
    /** The cluster parameter group (regional: one per region, same settings). */
    readonly dbParameterGroup: string;
    readonly cache: string;
    /** The SSM SecureString parameter holding the cache's AUTH token, in this region (the app reads it at boot). */
    readonly cacheAuthTokenParameter: string;
    readonly alarmTopic: string;
    /** AWS Backup vault: the other region's plan copies into it by this name. */
    readonly backupVault: string;
    /** AWS Backup plan, and its IAM role (IAM is global: the region code keeps the two regions' roles apart). */
    readonly backupPlan: string;
    /** The app instances' IAM role and instance profile (IAM is global: the region code keeps them apart). */
    readonly appRole: string;
    /** IAM role S3 replicates this region's bucket as (IAM is global: one per source region). */
    readonly replicationRole: string;
    /**
     * IAM role RDS's enhanced monitoring publishes this region's Aurora instances' OS metrics as (IAM is global: one
     * per region). Every region's stack has it in every tier, so the failover deploy that creates a database creates no IAM.
     */
    readonly dbMonitoringRole: string;
    /** The region's WAF web ACL (regional: one per region, associated with the region's ALB). */
    readonly webAcl: string;
    readonly healthCheck: string;
    /** Route 53 check on this region's traffic fence (a CloudWatch alarm in the dr region: model/fence.ts). */
    readonly fenceCheck: string;
    /** The CALCULATED check this region's record uses where it is fenced: endpoint and fence both healthy. */
    readonly recordCheck: string;
    /** The CloudWatch alarm, in the region that recovers, that fences this region's record. */
    readonly fenceAlarm: string;
    /** Route 53 set identifier of this region's record. */
    readonly dnsSetIdentifier: string;
    /** The Aurora replication-lag alarm (the Region switch plan associates it by ARN). */
    readonly auroraLagAlarm: string;
    /** The KMS alias of this region's data key (aliases are per region, so the name is the same in both). */
    readonly dataKeyAlias: string;
}

export function regionNames(appName: string, region: string): RegionNames {
    const prefix = `${appName}-${regionCode(region)}`;
    return {
        prefix,
        vpc: `${prefix}-vpc`,
        alb: `${prefix}-alb`,
        targetGroup: `${prefix}-tg`,
        launchTemplate: `${prefix}-app`,
        autoScalingGroup: `${prefix}-app`,
        dbCluster: `${prefix}-aurora`,
        dbSubnetGroup: `${prefix}-db`,
        dbParameterGroup: `${prefix}-aurora-tls`,
        cache: `${prefix}-cache`,
        cacheAuthTokenParameter: `/${prefix}/cache/auth-token`,
        alarmTopic: `${prefix}-dr-alarms`,
        backupVault: `${prefix}-backups`,
        backupPlan: `${prefix}-backup`,
        appRole: `${prefix}-app`,
        replicationRole: `${prefix}-s3-replication`,
        dbMonitoringRole: `${prefix}-rds-monitoring`,
        webAcl: `${prefix}-web-acl`,
        healthCheck: `${prefix}-endpoint`,
        fenceCheck: `${prefix}-fence`,
        recordCheck: `${prefix}-record`,
        fenceAlarm: `${prefix}-traffic-fence`,
        dnsSetIdentifier: `${prefix}`,
        auroraLagAlarm: `${prefix}-aurora-lag`,
        dataKeyAlias: `alias/${appName}-dr-data`,
    };
}

/**
 * The data bucket of a region. Bucket names are global across all of AWS: the account id makes them
 * ours, the region tells the two apart. Ending with the region (a digit), neither bucket name can end with a
 * suffix S3 reserves (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`), whatever the app name; S3's
 * reserved prefixes, which the app name begins, model/config.ts refuses.
 */
export function bucketName(appName: string, region: string, accountId: string): string {
    return `${appName}-data-${accountId}-${region}`;
}

/** The Aurora global cluster spans both regions; its identifier is the same from either stack. */
export function globalClusterIdentifier(appName: string): string {
    return `${appName}-global`;
}

/** The ARN of a bucket from its name (S3 ARNs carry neither region nor account). */
export function bucketArn(bucketName: string): string {
    return `arn:aws:s3:::${bucketName}`;
}

/** The ARN of a KMS alias: S3 replication accepts it as the replica key, so no key id must be shared. */
export function kmsAliasArn(region: string, accountId: string, alias: string): string {
    return `arn:aws:kms:${region}:${accountId}:${alias}`;
}

/** The deterministic name of the app's global table: the dr region's app finds its local replica by it. */
export function globalTableName(appName: string): string {
    return `${appName}-data`;
}

/** The ARN of a table (or of a global table's replica, which has the same name) in a region. */
export function tableArn(region: string, accountId: string, tableName: string): string {
    return `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;
}

/** A Pulumi name for an email subscription, stable per address: `<prefix>-email-oncall-example-com`. */
export function emailSubscriptionName(prefix: string, email: string): string {
    return `${prefix}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

/** A region's log bucket: ALB and S3 access logs (global name, like the data bucket's). */
export function logBucketName(appName: string, region: string, accountId: string): string {
    return `${appName}-logs-${accountId}-${region}`;
}

/**
 * The ARC Region switch plan of the pair (created by the dr stack). Plan names are unique per account; the
 * runbook finds the plan by this name through the activating region's data plane (ListPlansInRegion).
 */
export function regionSwitchPlanName(appName: string): string {
    return `${appName}-region-switch`;
}

/** A CloudWatch alarm's ARN from its name: how one stack names another's alarm without reading it. */
export function alarmArn(region: string, accountId: string, alarmName: string): string {
    return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`;
}

/** An Aurora cluster's ARN from its identifier. */
export function clusterArn(region: string, accountId: string, clusterIdentifier: string): string {
    return `arn:aws:rds:${region}:${accountId}:cluster:${clusterIdentifier}`;
}

/** The IAM roles and the functions of the Region switch plan (IAM is global; functions live in the dr region). */
export function regionSwitchNames(appName: string, drRegion: string) {
    const prefix = regionNames(appName, drRegion).prefix;
    return {
        roles: { execution: `${prefix}-rs-execution`, approval: `${prefix}-rs-approval`, fence: `${prefix}-rs-fence`, cache: `${prefix}-rs-cache` },
        functions: { fenceClose: `${prefix}-rs-fence-close`, fenceOpen: `${prefix}-rs-fence-open`, cache: `${prefix}-rs-cache-resize` },
        reportPrefix: "region-switch/",
    };
}
