// The guardrails of the multi-region DR program, as Pulumi policies. No PolicyPack here: constructing one
// starts the analyzer's gRPC server and waits for the engine (index.ts does that), so tests import this file.
//
// Every number is from the project's docs/reference.md ("Recovery steps (rule of thumb)" and each service's
// section); each description says why its rule exists.
//
// Preview: values AWS computes (ids, ARNs) are unknown during `pulumi preview`, and reading one through the
// policy SDK's proxy throws. A literal setting (storageEncrypted, ttl, ...) is read directly: if it is ever
// unknown, the engine reports the policy as "can't run during preview" (advisory) and checks it at update.
// References (healthCheckId, a bucket id, a vault ARN) are read with `peek`, where unknown means "set, but
// not known yet", so one unknown id does not switch off a whole stack policy.
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
} from "@pulumi/policy";

/** The resource types the rules look at (tokens of @pulumi/aws 7; the V2 S3 tokens are v6-era aliases). */
export const TYPES = {
    auroraCluster: "aws:rds/cluster:Cluster",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketEncryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    table: "aws:dynamodb/table:Table",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    record: "aws:route53/record:Record",
    backupPlan: "aws:backup/plan:Plan",
    backupVault: "aws:backup/vault:Vault",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketLogging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    regionSwitchPlan: "aws:arcregionswitch/plan:Plan",
    canary: "aws:synthetics/canary:Canary",
    autoScalingGroup: "aws:autoscaling/group:Group",
    vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    restoreTestingPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreTestingSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    awsProvider: "pulumi:providers:aws",
} as const;

const REF = "docs/reference.md";

// ---------------------------------------------------------------------------------------------------------
// Reading props

/** A value the engine does not know yet (preview): set, but computed by AWS. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
type Peeked = unknown;

/** Reads a nested prop without letting an unknown value throw: returns UNKNOWN instead. */
export function peek(obj: unknown, ...path: (string | number)[]): Peeked {
    let current: any = obj;
    for (const key of path) {
        if (current === undefined || current === null || current === UNKNOWN) {
            return current === UNKNOWN ? UNKNOWN : undefined;
        }
        try {
            current = current[key];
        } catch (err) {
            if (err instanceof UnknownValueError) {
                return UNKNOWN;
            }
            throw err;
        }
    }
    return current;
}

/** A list prop as an array (absent: empty). Elements are read through the proxy, so unknown ones stay UNKNOWN. */
function list(obj: unknown, ...path: (string | number)[]): Peeked[] {
    const value = peek(obj, ...path);
    if (!Array.isArray(value)) {
        return [];
    }
    const out: Peeked[] = [];
    for (let i = 0; i < value.length; i++) {
        out.push(peek(value, i));
    }
    return out;
}

/** A string reference that is set: a non-empty string, or unknown (AWS will fill it in). */
function isSet(value: Peeked): boolean {
    return value === UNKNOWN || (typeof value === "string" ? value !== "" : value !== undefined && value !== null);
}

function show(value: unknown): string {
    return value === undefined ? "not set" : JSON.stringify(value);
}

function oneOf(type: string, types: readonly string[]): boolean {
    return types.includes(type);
}

/**
 * The `dr:tier` default tag of the resource's aws provider (model/tags.ts puts it on every resource through
 * the provider). Provider config reaches the engine as strings, so `defaultTags` is usually JSON.
 */
export function tierOf(provider: { props: Record<string, any> } | undefined, props?: Record<string, any>): string | undefined {
    const own = peek(props, "tags", "dr:tier");
    if (typeof own === "string") {
        return own;
    }
    let defaultTags = peek(provider?.props, "defaultTags");
    if (typeof defaultTags === "string") {
        try {
            defaultTags = JSON.parse(defaultTags);
        } catch {
            return undefined;
        }
    }
    const tier = peek(defaultTags, "tags", "dr:tier");
    return typeof tier === "string" ? tier : undefined;
}

/** The region of an AWS Backup vault ARN (`arn:<partition>:backup:<region>:<account>:backup-vault:<name>`). */
export function backupVaultRegion(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts.length >= 7 && parts[0] === "arn" && parts[2] === "backup" && parts[5] === "backup-vault" && parts[3] !== ""
        ? parts[3]
        : undefined;
}

/**
 * The region a stack resource lives in: its own `region` input (@pulumi/aws 7 per-resource region), else its
 * provider's `region`, else the one region all aws providers of the stack agree on. Undefined when none says
 * (e.g. a default provider configured only through AWS_REGION).
 */
export function regionOf(resource: PolicyResource, stack: readonly PolicyResource[]): string | undefined {
    for (const candidate of [peek(resource.props, "region"), peek(resource.provider?.props, "region")]) {
        if (typeof candidate === "string" && candidate !== "") {
            return candidate;
        }
    }
    const regions = new Set<string>();
    for (const r of stack) {
        const provider = r.type === TYPES.awsProvider ? r.props : r.provider?.type === TYPES.awsProvider ? r.provider.props : undefined;
        const region = peek(provider, "region");
        if (typeof region === "string" && region !== "") {
            regions.add(region);
        }
    }
    return regions.size === 1 ? [...regions][0] : undefined;
}

function ofType(args: StackValidationArgs, ...types: string[]): PolicyResource[] {
    return args.resources.filter((r) => types.includes(r.type));
}

/** The CloudWatch metrics an alarm watches: its metricName, or those of its metric-math queries. */
function watchedMetrics(alarm: PolicyResource): { namespace: Peeked; metricName: Peeked; dimensions: Peeked }[] {
    const metrics = [{
        namespace: peek(alarm.props, "namespace"),
        metricName: peek(alarm.props, "metricName"),
        dimensions: peek(alarm.props, "dimensions"),
    }];
    for (const query of list(alarm.props, "metricQueries")) {
        metrics.push({
            namespace: peek(query, "metric", "namespace"),
            metricName: peek(query, "metric", "metricName"),
            dimensions: peek(query, "metric", "dimensions"),
        });
    }
    return metrics;
}

/** Both known and different: the only case in which two references certainly name different things. */
function differ(a: Peeked, b: Peeked): boolean {
    return a !== UNKNOWN && b !== UNKNOWN && a !== undefined && b !== undefined && a !== b;
}

/** Alarms on `namespace`/`metricName` whose `dimension` (when both are known) is `value`. */
function alarmsOn(args: StackValidationArgs, namespace: string, metricName: string, dimension: string, value: Peeked): PolicyResource[] {
    return ofType(args, TYPES.alarm).filter((alarm) => watchedMetrics(alarm).some((m) =>
        m.namespace === namespace && m.metricName === metricName && !differ(peek(m.dimensions, dimension), value)));
}

// ---------------------------------------------------------------------------------------------------------
// Encryption

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const statefulDataEncrypted: ResourceValidationPolicy = {
    name: "stateful-data-encrypted",
    description:
        "Aurora clusters and global clusters have storageEncrypted, DynamoDB tables serverSideEncryption.enabled, " +
        "ElastiCache replication groups encryption at rest and in transit. Storage encryption can only be chosen " +
        "when a cluster is created, an encrypted global database needs encrypted members in every region, and " +
        `cross-region copies of encrypted snapshots need a KMS key in the destination region (${REF}, "KMS").`,
    enforcementLevel: "mandatory",
    remediationSteps: "Set the encryption inputs named in the message; for an existing Aurora cluster, restore an encrypted copy.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const p = args.props;
        switch (args.type) {
            case TYPES.auroraCluster:
            case TYPES.globalCluster: {
                // A global cluster made from an existing cluster takes that cluster's encryption (checked there).
                if (args.type === TYPES.globalCluster && isSet(peek(p, "sourceDbClusterIdentifier"))) {
                    return;
                }
                if (p.storageEncrypted !== true) {
                    report(`${kind(args.type)} ${args.name}: storageEncrypted is ${show(p.storageEncrypted)}, must be true ` +
                        "(fixed at creation; an encrypted global database needs encrypted members).");
                }
                return;
            }
            case TYPES.table:
                if (p.serverSideEncryption?.enabled !== true) {
                    report(`DynamoDB table ${args.name}: serverSideEncryption.enabled is ${show(p.serverSideEncryption?.enabled)}, ` +
                        "must be true (encrypted with a KMS key, not the AWS-owned key).");
                }
                return;
            case TYPES.cache:
                for (const key of ["atRestEncryptionEnabled", "transitEncryptionEnabled"]) {
                    if (p[key] !== true) {
                        report(`ElastiCache replication group ${args.name}: ${key} is ${show(p[key])}, must be true.`);
                    }
                }
                return;
            default:
                return;
        }
    },
};

/** The `sseAlgorithm`s of a server-side encryption configuration (`rules` list, or the older inline `rule`). */
function sseAlgorithms(config: unknown): Peeked[] {
    const rules = [...list(config, "rules"), ...list(config, "rule")];
    const single = peek(config, "rule");
    if (single !== undefined && single !== UNKNOWN && !Array.isArray(single)) {
        rules.push(single);
    }
    return rules.map((rule) => peek(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
}

/**
 * Whether `resource` names this bucket in its input `prop` (at `path` inside it): the engine's property
 * dependencies say so directly (preview included, while the bucket's id is unknown); otherwise the value is
 * the bucket's id, which for S3 is the bucket's name.
 */
function refersTo(resource: PolicyResource, bucket: PolicyResource, prop: string, ...path: string[]): boolean {
    if ((resource.propertyDependencies?.[prop] ?? []).some((dep) => dep.urn === bucket.urn)) {
        return true;
    }
    const target = peek(resource.props, prop, ...path);
    if (typeof target !== "string") {
        return false;
    }
    return [peek(bucket.props, "bucket"), peek(bucket.props, "id")].some((id) => typeof id === "string" && id === target);
}

/** Whether a bucket configuration (encryption, policy, logging) is for this bucket: its `bucket` input. */
function configures(config: PolicyResource, bucket: PolicyResource): boolean {
    return refersTo(config, bucket, "bucket");
}

/** A bucket that receives access logs: an ALB's accessLogs.bucket or a bucket logging's targetBucket. */
function receivesLogs(args: StackValidationArgs, bucket: PolicyResource): boolean {
    return ofType(args, ...TYPES.loadBalancers).some((lb) => refersTo(lb, bucket, "accessLogs", "bucket"))
        || ofType(args, ...TYPES.bucketLogging).some((logging) => refersTo(logging, bucket, "targetBucket"));
}

export const s3BucketsEncryptedWithKms: StackValidationPolicy = {
    name: "s3-buckets-encrypted-with-kms",
    description:
        "Every S3 bucket has a server-side encryption configuration (a BucketServerSideEncryptionConfiguration " +
        "whose bucket is this bucket) with sseAlgorithm aws:kms. Objects replicate to the DR region re-encrypted " +
        `with that region's key, and encrypted copies need a KMS key in the destination region (${REF}, "KMS"); ` +
        "a KMS key also puts who may read the data, and the audit trail, under the account's control. A bucket " +
        "that receives access logs (an ALB's or S3's) may use AES256 instead, the only encryption those deliveries " +
        "support (README, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm \"aws:kms\" and the region's key.",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const configs = ofType(args, ...TYPES.bucketEncryption);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            const accepted = receivesLogs(args, bucket) ? [...KMS_ALGORITHMS, "AES256"] : KMS_ALGORITHMS;
            const algorithms = [
                ...configs.filter((c) => configures(c, bucket)).flatMap((c) => sseAlgorithms(c.props)),
                // A bucket that still declares encryption inline (the deprecated argument) counts too.
                ...sseAlgorithms(peek(bucket.props, "serverSideEncryptionConfiguration")),
            ];
            if (algorithms.some((a) => a === UNKNOWN || accepted.includes(a as string))) {
                continue;
            }
            report(algorithms.length === 0
                ? `S3 bucket ${bucket.name} has no server-side encryption configuration: add one with sseAlgorithm aws:kms.`
                : `S3 bucket ${bucket.name} is encrypted with ${algorithms.map(show).join(", ")}, not aws:kms.`,
            bucket.urn);
        }
    },
};

// ---------------------------------------------------------------------------------------------------------
// Deletion protection

export const statefulDataDeletionProtected: ResourceValidationPolicy = {
    name: "stateful-data-deletion-protected",
    description:
        "Aurora clusters and global clusters have deletionProtection, DynamoDB tables (and each replica) " +
        "deletionProtectionEnabled, and these and S3 buckets carry Pulumi's `protect`. The data is what a DR " +
        "region exists to keep: replication copies a deletion to the other region within seconds (Aurora " +
        `lag under 1 s, DynamoDB within a second; ${REF}, "DynamoDB"), so a stray delete or a replacing ` +
        "diff must be refused twice, by AWS and by the engine.",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the deletion-protection input and pass { protect: true } to the resource.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const p = args.props;
        const what = `${kind(args.type)} ${args.name}`;
        const requireProtect = () => {
            if (args.opts?.protect !== true) {
                report(`${what}: not protected (resource option protect is ${show(args.opts?.protect)}); ` +
                    "a replacement or `pulumi destroy` would delete the data.");
            }
        };
        switch (args.type) {
            case TYPES.auroraCluster:
            case TYPES.globalCluster:
                if (p.deletionProtection !== true) {
                    report(`${what}: deletionProtection is ${show(p.deletionProtection)}, must be true.`);
                }
                requireProtect();
                return;
            case TYPES.table: {
                if (p.deletionProtectionEnabled !== true) {
                    report(`${what}: deletionProtectionEnabled is ${show(p.deletionProtectionEnabled)}, must be true.`);
                }
                // The table's flag covers only this region's copy; each replica has its own.
                list(p, "replicas").forEach((replica, i) => {
                    const enabled = peek(replica, "deletionProtectionEnabled");
                    if (enabled !== true && enabled !== UNKNOWN) {
                        report(`${what}: replica ${show(peek(replica, "regionName") ?? i)} has deletionProtectionEnabled ${show(enabled)}, must be true.`);
                    }
                });
                requireProtect();
                return;
            }
            default:
                if (oneOf(args.type, TYPES.buckets)) {
                    requireProtect(); // S3 has no deletion protection of its own
                }
                return;
        }
    },
};

// ---------------------------------------------------------------------------------------------------------
// Backups

function copyDestinations(plan: PolicyResource): Peeked[] {
    return list(plan.props, "rules").flatMap((rule) => list(rule, "copyActions").map((action) => peek(action, "destinationVaultArn")));
}

export const backupCopiesLeaveTheRegion: StackValidationPolicy = {
    name: "backup-copies-leave-the-region",
    description:
        "Every copy action of an AWS Backup plan targets a backup vault ARN in another region than the plan's. " +
        "Replication copies deletions and corruption too; only point-in-time backups undo them, and only copies " +
        `in another region survive the loss of this one (${REF}, "Tiers (rule of thumb)" and "AWS Backup": copy actions ` +
        "to a vault in another region). The plan's region is its provider's `region` (or its own `region` input, " +
        "or the one region of the stack's aws providers); copies are not judged while it is unknown.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const plan of ofType(args, TYPES.backupPlan)) {
            const region = regionOf(plan, args.resources);
            for (const destination of copyDestinations(plan)) {
                if (destination === UNKNOWN) {
                    continue; // computed: judged at update
                }
                const destinationRegion = typeof destination === "string" ? backupVaultRegion(destination) : undefined;
                if (destinationRegion === undefined) {
                    report(`Backup plan ${plan.name}: copy destination ${show(destination)} is not a backup vault ARN ` +
                        "(arn:aws:backup:<region>:<account>:backup-vault:<name>).", plan.urn);
                } else if (region !== undefined && destinationRegion === region) {
                    report(`Backup plan ${plan.name}: copies to ${destination}, in the plan's own region ${region}; ` +
                        "a regional outage takes the copies with the originals.", plan.urn);
                }
            }
        }
    },
};

export const backupsCopiedCrossRegion: StackValidationPolicy = {
    name: "backups-copied-cross-region",
    description:
        "Every AWS Backup plan copies its recovery points to a vault in another region (at least one copy action " +
        `whose destination vault ARN names another region; ${REF}, "AWS Backup"). Advisory: a promoted or restored ` +
        "DR region keeps its backups local by design, so its deploy never depends on the lost primary region " +
        "(README, Backups), and failback re-establishes the copies. Anywhere else, a plan without a cross-region " +
        "copy leaves the backups in the region whose loss they are for.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const plan of ofType(args, TYPES.backupPlan)) {
            const region = regionOf(plan, args.resources);
            const destinations = copyDestinations(plan);
            if (region === undefined && destinations.length > 0) {
                report(`Backup plan ${plan.name}: can't tell the plan's region (no region on it, its provider or the stack's aws ` +
                    "providers), so its copies can't be shown to leave it.", plan.urn);
                continue;
            }
            const offsite = destinations.some((d) => d === UNKNOWN
                || (typeof d === "string" && backupVaultRegion(d) !== undefined && backupVaultRegion(d) !== region));
            if (!offsite) {
                report(`Backup plan ${plan.name} keeps every recovery point in ${region ?? "its own region"}: no rule copies to ` +
                    "another region's vault. Expected only on a promoted or restored DR region.", plan.urn);
            }
        }
    },
};

export const statefulDataBackedUp: StackValidationPolicy = {
    name: "stateful-data-backed-up",
    description:
        "A stack with an Aurora cluster, an S3 bucket (other than one that receives access logs) or a DynamoDB table also has an AWS Backup plan or a backup " +
        "vault (a standby region's vault receives the writer region's copies). Every tier takes backups: " +
        `replication copies deletions and corruption too, and only point-in-time backups undo them (${REF}, "Tiers (rule of thumb)").`,
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        // A bucket that receives access logs holds no data a restore needs: its objects expire by design.
        const stateful = ofType(args, TYPES.auroraCluster, TYPES.table, ...TYPES.buckets).filter((r) => !receivesLogs(args, r));
        if (stateful.length === 0 || ofType(args, TYPES.backupPlan, TYPES.backupVault).length > 0) {
            return;
        }
        report(`No AWS Backup plan and no backup vault in a stack holding ${stateful.map((r) => `${kind(r.type)} ${r.name}`).join(", ")}: ` +
            "nothing here takes or receives point-in-time backups.");
    },
};

// ---------------------------------------------------------------------------------------------------------
// Failover detection and DNS

/** Route 53's request intervals and failure threshold range, and its defaults (docs/reference.md, "Route 53"). */
export const HEALTH_CHECK_INTERVALS = [10, 30];
export const DEFAULT_REQUEST_INTERVAL = 30;
export const DEFAULT_FAILURE_THRESHOLD = 3;
export const MAX_FAILURE_THRESHOLD = 10;
/** Detection (interval x threshold) allowed by default in every tier: 5 minutes. */
export const MAX_DETECTION_SECONDS = 300;
/**
 * Tiers whose recovery time cannot afford the default: active-active's whole RTO is 30-90 s, of which
 * "health check detects (10-30 s)" (docs/reference.md, failover procedures); the alias's 60 s TTL takes the rest.
 */
export const TIER_DETECTION_SECONDS: Readonly<Record<string, number>> = { "active-active": 30 };
/** Health checks that probe an endpoint; CALCULATED / CLOUDWATCH_METRIC / RECOVERY_CONTROL ones have no interval. */
const ENDPOINT_CHECK_TYPES = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP"];

export interface DetectionConfig {
    /** Detection budget in seconds for every tier. Default 300. */
    maxDetectionSeconds?: number;
    /** Detection budget for active-active. Default 30. */
    activeActiveMaxDetectionSeconds?: number;
}

export const healthCheckDetectionWithinTier: ResourceValidationPolicy = {
    name: "health-check-detection-within-tier",
    description:
        "Route 53 endpoint health checks use a request interval of 10 or 30 s and a failure threshold of 1-10 " +
        `(${REF}, "Route 53"), and interval x threshold, the time to detect a failed region, stays within the ` +
        "tier's budget: 300 s by default, 30 s for active-active (tier from the provider's dr:tier default tag). " +
        "Detection is the first step of every failover, so it adds to the RTO one for one; active-active's whole " +
        `RTO is 30-90 s, of which "health check detects (10-30 s)" (${REF}, failover procedures).`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxDetectionSeconds: { type: "integer", minimum: 10, default: MAX_DETECTION_SECONDS },
            activeActiveMaxDetectionSeconds: { type: "integer", minimum: 10, default: TIER_DETECTION_SECONDS["active-active"] },
        },
    },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.healthCheck) {
            return;
        }
        const p = args.props;
        if (!ENDPOINT_CHECK_TYPES.includes(p.type)) {
            return;
        }
        const interval: unknown = p.requestInterval ?? DEFAULT_REQUEST_INTERVAL;
        const threshold: unknown = p.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
        let valid = true;
        if (typeof interval !== "number" || !HEALTH_CHECK_INTERVALS.includes(interval)) {
            report(`Route 53 health check ${args.name}: requestInterval ${show(interval)} must be 10 or 30 s.`);
            valid = false;
        }
        if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 1 || threshold > MAX_FAILURE_THRESHOLD) {
            report(`Route 53 health check ${args.name}: failureThreshold ${show(threshold)} must be a whole number from 1 to ${MAX_FAILURE_THRESHOLD}.`);
            valid = false;
        }
        if (!valid) {
            return;
        }
        const config = args.getConfig<DetectionConfig>();
        const tier = tierOf(args.provider, p);
        const budget = tier === "active-active"
            ? config.activeActiveMaxDetectionSeconds ?? TIER_DETECTION_SECONDS["active-active"]
            : config.maxDetectionSeconds ?? MAX_DETECTION_SECONDS;
        const detection = (interval as number) * (threshold as number);
        if (detection > budget) {
            report(`Route 53 health check ${args.name}: detects a failure after ${interval} s x ${threshold} = ${detection} s, ` +
                `over the ${budget} s budget of the ${tier ?? "default"} tier; detection is the first RTO step.`);
        }
    },
};

export const healthChecksNeverInverted: ResourceValidationPolicy = {
    name: "health-checks-never-inverted",
    description:
        "No Route 53 health check is inverted or disabled: an inverted check reports a dead endpoint as healthy, and " +
        `a disabled one is always healthy (${REF}, "Control planes and data planes"), so either ` +
        "keeps a lost region in DNS. Fencing a region is the dr region's alarm's job (the traffic fence), not its check's.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.healthCheck) {
            return;
        }
        for (const key of ["invertHealthcheck", "disabled"]) {
            if (args.props[key] === true) {
                report(`Route 53 health check ${args.name}: ${key} is true, so a dead endpoint can count as healthy; ` +
                    "take a region out with the traffic fence (README, \"The traffic fence\").");
            }
        }
    },
};

/** Failover DNS: TTL of 60 s or less (docs/reference.md, "Route 53"). */
export const MAX_ROUTED_TTL_SECONDS = 60;
const ROUTING_POLICIES = ["failoverRoutingPolicies", "latencyRoutingPolicies", "weightedRoutingPolicies"];

export const routedRecordsFailOverFast: ResourceValidationPolicy = {
    name: "routed-records-fail-over-fast",
    description:
        "A Route 53 record with a failover, latency or weighted routing policy has a health check (healthCheckId), " +
        `so a failed region drops out of DNS by itself, on Route 53's data plane (${REF}, "Route 53"), and a TTL ` +
        "of 60 s or less, since resolvers keep serving the failed region for the TTL. An alias record (no TTL of " +
        "its own) passes: an alias to an ELB takes the ELB's 60 s.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.record) {
            return;
        }
        const p = args.props;
        const policies = ROUTING_POLICIES.filter((key) => list(p, key).length > 0 || peek(p, key) === UNKNOWN);
        if (policies.length === 0) {
            return;
        }
        const routing = policies.map((k) => k.replace("RoutingPolicies", "")).join("/");
        // An alias record has no ttl (resolvers get its target's, the ELB's 60 s), so only plain records are checked.
        if (typeof p.ttl === "number" && p.ttl > MAX_ROUTED_TTL_SECONDS) {
            report(`Route 53 record ${args.name} (${routing} routing): ttl ${p.ttl} s is over ${MAX_ROUTED_TTL_SECONDS} s; ` +
                "resolvers would keep sending users to a failed region that long.");
        }
        if (!isSet(peek(p, "healthCheckId"))) {
            report(`Route 53 record ${args.name} (${routing} routing) has no healthCheckId: Route 53 can't take a failed region out by itself.`);
        }
    },
};

// ---------------------------------------------------------------------------------------------------------
// Replication-lag alarms

export const s3ReplicationAlarmed: StackValidationPolicy = {
    name: "s3-replication-alarmed",
    description:
        "A bucket that replicates (BucketReplicationConfig) has CloudWatch alarms on its AWS/S3 ReplicationLatency " +
        "and OperationsFailedReplication metrics. Replication Time Control promises 99.99 % of objects within " +
        `15 min (${REF}, "S3 replication"): that is the objects' RPO, and without the alarms a breach, or objects ` +
        "that never replicate, go unnoticed until the day they are needed.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const replication of ofType(args, TYPES.bucketReplication)) {
            const source = peek(replication.props, "bucket");
            for (const metric of ["ReplicationLatency", "OperationsFailedReplication"]) {
                if (alarmsOn(args, "AWS/S3", metric, "SourceBucket", source).length === 0) {
                    report(`Bucket ${typeof source === "string" ? source : replication.name} replicates (${replication.name}) ` +
                        `but no alarm watches its AWS/S3 ${metric}.`, replication.urn);
                }
            }
        }
    },
};

/**
 * A cluster that is a global database's secondary: it names a global cluster it did not create (no
 * GlobalCluster in this stack) and has no master password (a secondary's credentials are the writer's).
 */
export function isGlobalSecondary(cluster: PolicyResource, stack: readonly PolicyResource[]): boolean {
    return isSet(peek(cluster.props, "globalClusterIdentifier"))
        && !isSet(peek(cluster.props, "masterPassword"))
        && !stack.some((r) => r.type === TYPES.globalCluster);
}

export const auroraReplicationLagAlarmed: StackValidationPolicy = {
    name: "aurora-replication-lag-alarmed",
    description:
        "An Aurora global database secondary has a CloudWatch alarm on AWS/RDS AuroraGlobalDBReplicationLag: the lag " +
        `(typically under 1 s; ${REF}, "Aurora") is the RPO of an unplanned failover. Advisory: a promoted DR ` +
        "cluster keeps the same inputs (the program ignores the attributes a promotion changes), so a writer can't " +
        "be told from a secondary here, and a writer has no lag to watch.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const cluster of ofType(args, TYPES.auroraCluster)) {
            if (!isGlobalSecondary(cluster, args.resources)) {
                continue;
            }
            const id = peek(cluster.props, "clusterIdentifier");
            if (alarmsOn(args, "AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", id).length === 0) {
                report(`Aurora cluster ${typeof id === "string" ? id : cluster.name} is a global database secondary without an ` +
                    "AuroraGlobalDBReplicationLag alarm (fine only if it has been promoted to writer).", cluster.urn);
            }
        }
    },
};

// ---------------------------------------------------------------------------------------------------------
// The edge: HTTPS, access logs, launch templates, TLS-only buckets

/** The ALB security policies that negotiate TLS 1.3 (and 1.2 at most below it): the current ones. */
export const CURRENT_TLS_POLICY = /^ELBSecurityPolicy-TLS13-/;

export const albHttpsListenersCurrentTls: ResourceValidationPolicy = {
    name: "alb-https-listeners-current-tls",
    description:
        "A load balancer's HTTPS listener has a certificate and a TLS 1.3 security policy (ELBSecurityPolicy-TLS13-*): " +
        "the older defaults still accept TLS 1.0 and 1.1. The dr region serves the same users on the day, so its " +
        "edge must be as strict as the primary's (README, HTTPS).",
    enforcementLevel: "mandatory",
    remediationSteps: "Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a newer TLS13 policy) and certificateArn to a certificate of the listener's region.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.listeners) || args.props.protocol !== "HTTPS") {
            return;
        }
        const policy = args.props.sslPolicy;
        if (typeof policy !== "string" || !CURRENT_TLS_POLICY.test(policy)) {
            report(`Listener ${args.name}: sslPolicy is ${show(policy)}, must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*).`);
        }
        if (!isSet(peek(args.props, "certificateArn"))) {
            report(`Listener ${args.name}: HTTPS without a certificateArn.`);
        }
    },
};

export const albHttpRedirectsToHttps: ResourceValidationPolicy = {
    name: "alb-http-redirects-to-https",
    description:
        "A load balancer listener is HTTPS, or HTTP whose every default action redirects to HTTPS: nothing is served " +
        "in clear text, yet a user who types http:// still arrives (README, HTTPS). TLS and TCP listeners of network " +
        "load balancers are not judged.",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the HTTP listener one default action: { type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.listeners) || args.props.protocol !== "HTTP") {
            return;
        }
        const actions = list(args.props, "defaultActions");
        const redirects = (a: Peeked) => peek(a, "type") === "redirect" && peek(a, "redirect", "protocol") === "HTTPS";
        if (actions.length === 0 || !actions.every(redirects)) {
            report(`Listener ${args.name}: HTTP on port ${show(args.props.port)} with default actions ` +
                `${show(actions.map((a) => peek(a, "type")))}: it must only redirect to HTTPS.`);
        }
    },
};

export const albAccessLogsEnabled: ResourceValidationPolicy = {
    name: "alb-access-logs-enabled",
    description:
        "An application load balancer writes access logs (accessLogs.enabled with a bucket): on the day, they show " +
        "which region served whom and when the traffic moved, the measured side of the RTO (README, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Set accessLogs: { bucket: <the region's log bucket>, enabled: true }.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!oneOf(args.type, TYPES.loadBalancers) || (args.props.loadBalancerType ?? "application") !== "application") {
            return;
        }
        const enabled = peek(args.props, "accessLogs", "enabled");
        if (enabled !== true || !isSet(peek(args.props, "accessLogs", "bucket"))) {
            report(`Load balancer ${args.name}: access logs are off (accessLogs ${show(peek(args.props, "accessLogs") === UNKNOWN ? "unknown" : args.props.accessLogs)}).`);
        }
    },
};

export const launchTemplatesEncrypted: ResourceValidationPolicy = {
    name: "launch-templates-encrypted",
    description:
        "A launch template maps the root volume, and every EBS volume it maps is encrypted with a KMS key named in the " +
        "template (kmsKeyId): an image's snapshot can be unencrypted, and a region's instances must not depend on " +
        "the account-wide EBS default being set in a region that rarely runs them (README, Your workload).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add blockDeviceMappings: [{ deviceName: <the image's root device>, ebs: { encrypted: \"true\", kmsKeyId: <the region's key> } }].",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.launchTemplate) {
            return;
        }
        const volumes = list(args.props, "blockDeviceMappings").filter((m) => peek(m, "ebs") !== undefined);
        if (volumes.length === 0) {
            report(`Launch template ${args.name}: no EBS block device mapping, so the root volume is as the image's snapshot is.`);
        }
        for (const mapping of volumes) {
            const encrypted = peek(mapping, "ebs", "encrypted");
            const device = show(peek(mapping, "deviceName"));
            if (encrypted !== "true" && encrypted !== true && encrypted !== UNKNOWN) {
                report(`Launch template ${args.name}: volume ${device} has encrypted ${show(encrypted)}, must be "true".`);
            } else if (!isSet(peek(mapping, "ebs", "kmsKeyId"))) {
                report(`Launch template ${args.name}: volume ${device} is encrypted without a kmsKeyId (the account's default key).`);
            }
        }
    },
};

/** Whether a policy document (JSON text) denies every S3 action when aws:SecureTransport is false. */
export function deniesPlainHttp(document: string): boolean {
    let parsed: any;
    try {
        parsed = JSON.parse(document);
    } catch {
        return false;
    }
    const statements = Array.isArray(parsed?.Statement) ? parsed.Statement : [parsed?.Statement];
    return statements.some((st: any) => st?.Effect === "Deny"
        && (st.Principal === "*" || st.Principal?.AWS === "*")
        && [st.Action].flat().some((a: unknown) => a === "s3:*" || a === "*")
        && String(st.Condition?.Bool?.["aws:SecureTransport"]) === "false");
}

export const s3BucketsTlsOnly: StackValidationPolicy = {
    name: "s3-buckets-tls-only",
    description:
        "Every S3 bucket has a bucket policy that denies all S3 actions on requests without TLS (aws:SecureTransport " +
        "false): the data, the replicas and the logs are not readable or writable in clear text by anyone (README, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketPolicy with a Deny of s3:* for Principal \"*\" when Bool aws:SecureTransport is \"false\".",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const bucketPolicies = ofType(args, TYPES.bucketPolicy);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            const documents = bucketPolicies.filter((p) => configures(p, bucket)).map((p) => peek(p.props, "policy"));
            if (documents.some((d) => d === UNKNOWN || (typeof d === "string" && deniesPlainHttp(d)))) {
                continue;
            }
            report(documents.length === 0
                ? `S3 bucket ${bucket.name} has no bucket policy: it accepts requests without TLS.`
                : `S3 bucket ${bucket.name}: its bucket policy does not deny requests without TLS (aws:SecureTransport false).`,
            bucket.urn);
        }
    },
};

export const s3BucketsAccessLogged: StackValidationPolicy = {
    name: "s3-buckets-access-logged",
    description:
        "Every S3 bucket that does not itself receive access logs has server access logging (a BucketLogging whose " +
        "bucket is this bucket): who read or deleted which object is what a restore after corruption needs to know " +
        "(README, Logs). The log bucket is exempt: logging it to itself would log its own deliveries without end.",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketLogging for the bucket with targetBucket the region's log bucket.",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const loggings = ofType(args, ...TYPES.bucketLogging);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            if (receivesLogs(args, bucket) || loggings.some((l) => configures(l, bucket))) {
                continue;
            }
            report(`S3 bucket ${bucket.name} has no server access logging.`, bucket.urn);
        }
    },
};

// ---------------------------------------------------------------------------------------------------------
// DR operations: the Region switch plan, canaries, restore tests

export const regionSwitchPlanComplete: ResourceValidationPolicy = {
    name: "region-switch-plan-complete",
    description:
        "An ARC Region switch plan starts every workflow with a manual approval (a person declares the disaster: " +
        `${REF}, "Recovery steps (rule of thumb)"), unless a trigger starts that workflow on alarms that include one that must ` +
        "be green (dr:autoFailover auto: the detector red while the fence is open, so a failover disarms it; README, Recovering " +
        "in minutes); has a recovery time objective, associates at least one application-health " +
        "alarm, and writes its execution reports to S3: the measured run is the evidence the drill exists for (README, Operations).",
    enforcementLevel: "mandatory",
    remediationSteps: "Build the plan with components/regionSwitchPlan.ts, or add the missing part named in the message.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.regionSwitchPlan) {
            return;
        }
        const what = `Region switch plan ${args.name}`;
        // A workflow a trigger starts unattended: the trigger must have a condition that a failover turns off (a green one).
        const triggered = (workflow: unknown) => list(args.props, "triggers").some((t) =>
            peek(t, "action") === peek(workflow, "workflowTargetAction") && peek(t, "targetRegion") === peek(workflow, "workflowTargetRegion")
            && list(t, "conditions").some((c) => peek(c, "condition") === "green"));
        list(args.props, "workflows").forEach((workflow, i) => {
            const first = peek(workflow, "steps", 0, "executionBlockType");
            if (first !== "ManualApproval" && first !== UNKNOWN && !triggered(workflow)) {
                report(`${what}: workflow ${show(peek(workflow, "workflowTargetAction"))} ${show(peek(workflow, "workflowTargetRegion") ?? i)} ` +
                    `starts with ${show(first)}, not a ManualApproval step.`);
            }
        });
        if (!isSet(peek(args.props, "recoveryTimeObjectiveMinutes"))) {
            report(`${what}: no recoveryTimeObjectiveMinutes.`);
        }
        const health = list(args.props, "associatedAlarms").filter((a) => peek(a, "alarmType") === "applicationHealth" || peek(a, "alarmType") === UNKNOWN);
        if (health.length === 0) {
            report(`${what}: no application-health alarm associated.`);
        }
        const s3 = list(args.props, "reportConfigurations").flatMap((c) => list(c, "reportOutputs")).flatMap((o) => list(o, "s3Configurations"));
        if (!s3.some((c) => isSet(peek(c, "bucketPath")))) {
            report(`${what}: no S3 report output: executions leave no report.`);
        }
    },
};

export const replicasHaveRegionSwitchPlan: StackValidationPolicy = {
    name: "replicas-have-region-switch-plan",
    description:
        "A stack that holds an Aurora global database secondary (the dr stack of pilot light, warm standby and active-active) " +
        "has an ARC Region switch plan, whose evaluation every 30 minutes checks the recovery against the real resources. " +
        "Advisory: the plan is opt-in (dr:regionSwitch; README, Operations).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const secondaries = ofType(args, TYPES.auroraCluster).filter((c) => isGlobalSecondary(c, args.resources));
        if (secondaries.length > 0 && ofType(args, TYPES.regionSwitchPlan).length === 0) {
            report(`No ARC Region switch plan in a stack holding the global database secondary ${secondaries.map((c) => c.name).join(", ")} ` +
                "(set dr:regionSwitch=true and dr:approverArns on the dr stack).");
        }
    },
};

export const canariesAlarmed: StackValidationPolicy = {
    name: "canaries-alarmed",
    description:
        "Every Synthetics canary has a CloudWatch alarm on its CloudWatchSynthetics SuccessPercent: a canary nobody is " +
        "told about proves nothing (README, Operations).",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const canary of ofType(args, TYPES.canary)) {
            const name = peek(canary.props, "name");
            if (alarmsOn(args, "CloudWatchSynthetics", "SuccessPercent", "CanaryName", name).length === 0) {
                report(`Canary ${typeof name === "string" ? name : canary.name} has no SuccessPercent alarm.`, canary.urn);
            }
        }
    },
};

export const warmRegionsHaveCanaries: StackValidationPolicy = {
    name: "warm-regions-have-canaries",
    description:
        "A stack whose Auto Scaling group runs instances (a region that serves or stands warm) has a Synthetics canary on " +
        "its own endpoint, so a warm standby is proven to serve before the day. Advisory: dr:canaries=false turns them off (README, Operations).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const running = ofType(args, TYPES.autoScalingGroup).filter((g) => {
            const desired = peek(g.props, "desiredCapacity");
            return typeof desired === "number" && desired > 0;
        });
        if (running.length > 0 && ofType(args, TYPES.canary).length === 0) {
            report(`Auto Scaling group ${running.map((g) => g.name).join(", ")} runs instances, and no canary proves the region serves.`);
        }
    },
};

export const restoreTestsExist: StackValidationPolicy = {
    name: "restore-tests-exist",
    description:
        "The stack whose vault is locked (the dr region's, which receives the primary's copies) has an AWS Backup restore " +
        `testing plan with a selection: a backup never restored is not known to restore (${REF}, testing cadence). ` +
        "Advisory: dr:restoreTests=false turns them off (README, Operations).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        if (ofType(args, TYPES.vaultLock).length === 0) {
            return;
        }
        if (ofType(args, TYPES.restoreTestingPlan).length === 0 || ofType(args, TYPES.restoreTestingSelection).length === 0) {
            report("A locked backup vault receives recovery points, and no restore testing plan with a selection restores them.");
        }
    },
};

// ---------------------------------------------------------------------------------------------------------

function kind(type: string): string {
    switch (type) {
        case TYPES.auroraCluster: return "Aurora cluster";
        case TYPES.globalCluster: return "Aurora global cluster";
        case TYPES.table: return "DynamoDB table";
        default: return oneOf(type, TYPES.buckets) ? "S3 bucket" : type;
    }
}

/** The pack's policies, in the order they are reported. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    statefulDataEncrypted,
    s3BucketsEncryptedWithKms,
    statefulDataDeletionProtected,
    statefulDataBackedUp,
    backupCopiesLeaveTheRegion,
    backupsCopiedCrossRegion,
    healthCheckDetectionWithinTier,
    healthChecksNeverInverted,
    routedRecordsFailOverFast,
    s3ReplicationAlarmed,
    auroraReplicationLagAlarmed,
    albHttpsListenersCurrentTls,
    albHttpRedirectsToHttps,
    albAccessLogsEnabled,
    launchTemplatesEncrypted,
    s3BucketsTlsOnly,
    s3BucketsAccessLogged,
    regionSwitchPlanComplete,
    replicasHaveRegionSwitchPlan,
    canariesAlarmed,
    warmRegionsHaveCanaries,
    restoreTestsExist,
];
