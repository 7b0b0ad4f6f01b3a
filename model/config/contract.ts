// The config contract: one keyed table (CONTRACT) of every key the program reads, each entry with its
// schema, its default, its description, what is allowed (the problem text), the value a fix suggests and
// its scope: where it applies (a stack role, a tier, another key's value) and whether it is one stack's
// rather than the pair's. A new key is one entry here (and its tests).
// The typed DrConfig, the validation (model/config/validation.ts), Pulumi.yaml's config block and the
// README's key table (model/config/generation.ts) are all derived from it (npm run contract writes the last
// two; tests/config.test.ts fails when they differ).
//
// This file imports no validation and no tier: the tiers and the region plan import DrConfig from here, and
// the validation imports them, so the dependency runs one way.
import { MAX_CONTINUOUS_RETENTION_DAYS, MIN_COMPLIANCE_CHANGEABLE_DAYS } from "../backups";
import { backupCronProblem } from "../cron";
import { loopbackUrlProblem } from "../tooling/emulator";
import { AUTO_FAILOVER_MODES, CACHE_REPLICATION, STANDBY_DATABASES, WARM_POOL_STATES } from "../levers";
import { ROLES, STRATEGIES } from "../strategy";
import { RATE_LIMIT_RANGE } from "../waf";
import {
    AMI_ID_PATTERN, CERTIFICATE_ARN_PATTERN, DNS_NAME_PATTERN, EMAIL_PATTERN, GLOBAL_DATASTORE_ID_PATTERN, PRINCIPAL_ARN_PATTERN,
    RELATIVE_PATH_PATTERN, SNAPSHOT_ARN_PATTERN, SSM_PARAMETER_PATTERN, STACK_NAME_PATTERN, Schema, TOPIC_ARN_PATTERN, ZONE_ID_PATTERN, accept,
    appNameSchema, explained, instanceTypeSchema, listOf, matching, oneOf, portfolioAppsSchema, refuse, regionListSchema, regionSchema, trueOrFalse, wholeNumber,
} from "./schemas";

const MAX_CAPACITY = 1000;
const MAX_RETENTION_DAYS = 36500;
const MAX_SECONDS = 7 * 24 * 3600;

interface KeyCommon<T> {
    readonly schema: Schema<T>;
    /**
     * Pulumi.yaml's type. Optional numbers are declared as strings: Pulumi.yaml cannot give an integer an empty
     * default. A list is an array of strings, with an empty list as its default.
     */
    readonly type: "string" | "integer" | "boolean" | "array";
    /** Pulumi.yaml's description, and the README's "meaning". */
    readonly description: string;
    /** What is allowed, in words: a problem says "must be <allowed>". */
    readonly allowed: string;
    /** The value a fix command suggests. */
    readonly example: string;
    /**
     * Where the key applies (a stack role, a tier, another key's value): why it is ignored in this stack's
     * config, or undefined where it applies. The validation warns about a key that is set where it is ignored.
     * Each rule declares its return type: DrConfig is derived from this table, and TypeScript can check a rule
     * against it only when it need not infer the rule's type while it infers the table's.
     */
    readonly applies?: (c: DrConfig, tier: TierFacts) => string | undefined;
    /** The key describes one stack rather than the pair: an override of it is not copied to the peer (model/stackPair.ts). */
    readonly stackOnly?: true;
}

/**
 * What a key's scope reads of the stack's tier. The validation passes the tier's TierSpec (model/tiers), which
 * has these; they are declared here rather than imported, since the tiers import DrConfig from this file.
 */
export interface TierFacts {
    readonly bothRegionsServe: boolean;
    readonly multiActiveWrites?: object;
    readonly iacFailover: { readonly restoresFromBackup: boolean };
}
/** A key with a default (as Pulumi passes it: a string). An empty value is an error, not the default. */
export interface DefaultedKey<T> extends KeyCommon<T> { readonly presence: "default"; readonly default: string }
/** A key every stack must set. */
export interface RequiredKey<T> extends KeyCommon<T> { readonly presence: "required" }
/** A key that may stay unset; `unset` says what that means, for the README. */
export interface OptionalKey<T> extends KeyCommon<T> { readonly presence: "optional"; readonly unset: string }
export type KeySpec<T = unknown> = DefaultedKey<T> | RequiredKey<T> | OptionalKey<T>;

const defaulted = <T>(value: string, spec: KeyCommon<T>): DefaultedKey<T> => ({ ...spec, presence: "default", default: value });
const required = <T>(spec: KeyCommon<T>): RequiredKey<T> => ({ ...spec, presence: "required" });
const optional = <T>(unset: string, spec: KeyCommon<T>): OptionalKey<T> => ({ ...spec, presence: "optional", unset });

/** Every key, by its DrConfig field; `aws:region` is `region`, every other key is `dr:<field>`. */
export const CONTRACT = {
    region: required({
        type: "string", schema: regionSchema(false),
        description: "the stack's region (of the aws partition); must equal `dr:primaryRegion` on the primary, `dr:drRegion` on the secondary",
        allowed: "a Region of the aws partition, such as us-east-1", example: "us-east-1",
        stackOnly: true, // each stack deploys its own region
    }),
    strategy: defaulted("pilot-light", {
        type: "string", schema: oneOf(STRATEGIES),
        description: "the DR tier: `backup-restore` | `pilot-light` | `warm-standby` | `active-active`",
        allowed: `one of ${STRATEGIES.join(", ")}`, example: "pilot-light",
    }),
    role: required({
        type: "string", schema: oneOf(ROLES),
        description: "`primary` (the prod stack) | `secondary` (the dr stack) | `portfolio` (a portfolio of apps' DR pairs, docs/portfolio.md: it reads only the keys that page lists)",
        allowed: "primary (the prod stack) or secondary (the dr stack); a portfolio stack is `portfolio` (docs/portfolio.md)", example: "secondary",
        stackOnly: true, // the pair is one stack of each role
    }),
    primaryRegion: defaulted("us-east-1", {
        type: "string", schema: regionSchema(true),
        description: "the region that serves production in normal operation (a Region of the aws partition)",
        allowed: "a Region of the aws partition, such as us-east-1", example: "us-east-1",
    }),
    drRegion: defaulted("us-west-2", {
        type: "string", schema: regionSchema(true),
        description: "the recovery region (a Region of the aws partition; must differ from `dr:primaryRegion`)",
        allowed: "a Region of the aws partition, such as us-west-2, other than dr:primaryRegion", example: "us-west-2",
    }),
    regions: optional("(`[dr:primaryRegion, dr:drRegion]`)", {
        type: "array", schema: regionListSchema,
        description: "the region set, primary first, one stack per region (model/regionSet.ts); where set it wins, and a `dr:primaryRegion` or `dr:drRegion` that differs from it is an error. Three or more: a primary and several recovery regions, each recovery region's stack like the dr stack (docs/regions.md)",
        allowed: "a list of Regions of the aws partition, the primary first, such as [\"us-east-1\", \"us-west-2\"]", example: "us-east-1",
    }),
    backupCopyRegions: optional("(every recovery region)", {
        type: "array", schema: regionListSchema,
        description: "the recovery regions the writer region's backups are copied to, where a set of three or more regions should copy to fewer than all (model/regionPlan.ts); each must be a recovery region of the set",
        allowed: "a list of recovery regions of the set (dr:regions, after the primary), such as [\"us-west-2\"]", example: "us-west-2",
    }),
    appName: defaulted("app", {
        type: "string", schema: appNameSchema,
        description: "2-16 lowercase letters, digits, single hyphens, not beginning with a word AWS reserves in names (internal, sthree, amzn-s3-demo); every physical name starts with it",
        allowed: "2-16 lowercase letters, digits and single hyphens, starting with a letter", example: "shop",
    }),
    capacity: defaulted("4", {
        type: "integer", schema: wholeNumber(1, MAX_CAPACITY),
        description: "N: app instances at full production capacity (1-1000)",
        allowed: `a whole number from 1 to ${MAX_CAPACITY}`, example: "4",
    }),
    failover: defaulted("false", {
        type: "boolean", schema: trueOrFalse,
        description: "`true` on the dr stack: the DR region is promoted and serves production",
        allowed: "true or false", example: "false",
        stackOnly: true, // the dr stack's alone
    }),
    dnsZoneId: required({
        type: "string", schema: matching(ZONE_ID_PATTERN),
        description: "the Route 53 hosted zone id that holds `dr:dnsName`",
        allowed: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", example: "Z0123456789ABCDEFGHIJ",
    }),
    dnsName: required({
        type: "string", schema: (raw) => (DNS_NAME_PATTERN.test(raw) ? accept(raw.replace(/\.$/, "")) : refuse()),
        description: "the record users reach the app by, e.g. app.example.com",
        allowed: "a lowercase DNS name such as app.example.com", example: "app.example.com",
    }),
    healthCheckIntervalSeconds: defaulted("10", {
        type: "integer", schema: (raw) => (raw === "10" || raw === "30" ? accept(Number(raw) as 10 | 30) : refuse()),
        description: "Route 53 health-check interval: 10 or 30 (fixed once created)",
        allowed: "10 or 30 (the intervals Route 53 offers)", example: "10",
    }),
    healthCheckFailureThreshold: defaulted("3", {
        type: "integer", schema: wholeNumber(1, 10),
        description: "consecutive failed health checks before Route 53 fails over: 1-10",
        allowed: "a whole number from 1 to 10", example: "3",
    }),
    instanceType: defaulted("t3.medium", {
        type: "string", schema: instanceTypeSchema,
        description: "EC2 instance type of the app tier (one of @pulumi/aws's InstanceType enum)",
        allowed: "an EC2 instance type @pulumi/aws knows, such as t3.medium", example: "t3.medium",
    }),
    replicateObjects: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "prod only: replicate the bucket to the DR region; `false` only for the first deploy",
        allowed: "true or false", example: "true",
        applies: (c): string | undefined => (c.role === "primary" ? undefined : "it applies to the prod stack (dr:role primary), whose bucket replicates; the dr stack holds the replica"),
    }),
    backupSchedule: defaulted("cron(0 * * * ? *)", {
        type: "string", schema: explained(backupCronProblem),
        description: "AWS Backup schedule of the writer region's plan; one fixed minute (AWS Backup runs at most hourly)",
        allowed: "an AWS Backup cron expression with a single minute, e.g. cron(0 * * * ? *) (AWS Backup runs at most hourly)",
        example: "cron(0 * * * ? *)",
    }),
    backupRetentionDays: defaulted("14", {
        type: "integer", schema: wholeNumber(1, MAX_RETENTION_DAYS),
        description: `days recovery points and their cross-region copies are kept (1-${MAX_RETENTION_DAYS}; continuous backups at most ${MAX_CONTINUOUS_RETENTION_DAYS})`,
        allowed: `a whole number from 1 to ${MAX_RETENTION_DAYS}`, example: "14",
    }),
    vaultLockMode: defaulted("governance", {
        type: "string", schema: oneOf(["governance", "compliance"] as const),
        description: "Vault Lock on the dr vault: `governance` (removable with permission) or `compliance` (immutable after the grace period)",
        allowed: "governance or compliance", example: "governance",
    }),
    vaultLockChangeableForDays: defaulted(String(MIN_COMPLIANCE_CHANGEABLE_DAYS), {
        type: "integer", schema: wholeNumber(MIN_COMPLIANCE_CHANGEABLE_DAYS, MAX_RETENTION_DAYS),
        description: `compliance mode's grace period before the lock is immutable (at least ${MIN_COMPLIANCE_CHANGEABLE_DAYS})`,
        allowed: `a whole number from ${MIN_COMPLIANCE_CHANGEABLE_DAYS} to ${MAX_RETENTION_DAYS} ` +
            `(AWS Vault Lock compliance mode needs ChangeableForDays >= ${MIN_COMPLIANCE_CHANGEABLE_DAYS})`,
        example: String(MIN_COMPLIANCE_CHANGEABLE_DAYS),
        applies: (c): string | undefined => (c.vaultLockMode === "compliance" ? undefined : "it applies to Vault Lock's compliance mode only (dr:vaultLockMode compliance); governance mode has no grace period"),
    }),
    restoreFrom: optional("(unset)", {
        type: "string", schema: matching(SNAPSHOT_ARN_PATTERN),
        description: "backup-restore dr stack with `dr:failover=true`: the Aurora cluster snapshot (recovery point) ARN in the dr region to restore",
        allowed: "an Aurora cluster snapshot ARN in dr:drRegion, e.g. arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1234",
        example: "<cluster-snapshot-arn>",
        applies: (c, tier): string | undefined => (!tier.iacFailover.restoresFromBackup ? undefined // a problem there (model/config/crossKey.ts)
            : c.role === "primary" ? "it applies to the dr stack (dr:role secondary), which restores from it"
            : !c.failover ? "it is read only when the dr stack restores (dr:failover=true); the standby creates no database" : undefined),
    }),
    routingPolicy: defaulted("latency", {
        type: "string", schema: oneOf(["latency", "weighted"] as const),
        description: "active-active: `latency` or `weighted` records",
        allowed: "latency or weighted", example: "latency",
        applies: (c, tier): string | undefined => (tier.bothRegionsServe ? undefined : `routing policies apply where both regions serve (dr:strategy active-active), not to ${c.strategy}`),
    }),
    routingWeight: defaulted("50", {
        type: "integer", schema: wholeNumber(0, 255),
        description: "active-active, weighted: this region's weight 0-255 (0 drains it)",
        allowed: "a whole number from 0 to 255", example: "50",
        applies: (c, tier): string | undefined => (!tier.bothRegionsServe ? `a routing weight applies where both regions serve (dr:strategy active-active), not to ${c.strategy}`
            : c.routingPolicy !== "weighted" ? "a routing weight applies to weighted records only (dr:routingPolicy weighted); this stack's are latency records" : undefined),
    }),
    activeActiveWrites: defaulted("aurora", {
        type: "string", schema: oneOf(["aurora", "dynamodb"] as const),
        description: "active-active: where the app writes. `aurora`: writes wait for the Aurora promotion after a region is lost; " +
            "`dynamodb`: the global table only, which takes writes again in seconds (the RTO estimate follows)",
        allowed: "aurora or dynamodb", example: "aurora",
        applies: (c, tier): string | undefined => (tier.multiActiveWrites ? undefined : `it applies where writes can skip the promotion (dr:strategy active-active), not to ${c.strategy}`),
    }),
    tableConsistency: defaulted("eventual", {
        type: "string", schema: oneOf(["eventual", "strong"] as const),
        description: "active-active: the DynamoDB global table's consistency. `strong`: multi-Region strong consistency, for a set of exactly " +
            "three regions of one of DynamoDB's region sets (US, EU, AP; model/regionSet.ts); chosen when the table is created, so changing it replaces the table",
        allowed: "eventual or strong", example: "eventual",
        applies: (c, tier): string | undefined => (tier.multiActiveWrites ? undefined : `it applies to active-active's DynamoDB global table, not to ${c.strategy}`),
    }),
    activeActiveCapacityPercent: defaulted("100", {
        type: "integer", schema: wholeNumber(50, 100),
        description: "active-active: each region's app capacity as % of N (50-100)",
        allowed: "a whole number from 50 to 100", example: "100",
        applies: (c, tier): string | undefined => (tier.bothRegionsServe ? undefined : `it sizes active-active's regions; ${c.strategy} sizes its regions by the tier (model/capacity.ts)`),
    }),
    rtoTargetSeconds: optional("(tier default)", {
        type: "string", schema: wholeNumber(1, MAX_SECONDS),
        description: "RTO target; the preview fails when the estimate exceeds it",
        allowed: `a whole number of seconds from 1 to ${MAX_SECONDS}`, example: "3600",
    }),
    rpoTargetSeconds: optional("(tier default)", {
        type: "string", schema: wholeNumber(1, MAX_SECONDS),
        description: "RPO target; the preview fails when the estimate exceeds it",
        allowed: `a whole number of seconds from 1 to ${MAX_SECONDS}`, example: "900",
    }),
    enforceObjectives: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "`false`: a missed objective warns instead of failing the preview",
        allowed: "true or false", example: "true",
    }),
    decisionSeconds: optional("(reference, per tier)", {
        type: "string", schema: wholeNumber(0, MAX_SECONDS),
        description: "your measured time to declare a disaster and approve failover",
        allowed: `a whole number of seconds from 0 to ${MAX_SECONDS}`, example: "1200",
    }),
    instanceBootSeconds: optional("`300`", {
        type: "string", schema: wholeNumber(1, 3600),
        description: "your measured time for a new app instance to be in service",
        allowed: "a whole number of seconds from 1 to 3600", example: "240",
    }),
    autoFailover: defaulted("off", {
        type: "string", schema: oneOf(AUTO_FAILOVER_MODES),
        description: "detection that starts the failover: `off` (a person notices), `approve` (a detector in the dr region pages the approvers " +
            "with the command to run) or `auto` (the detector starts the Region switch plan, no approval: warm-standby and active-active only)",
        allowed: "off, approve or auto", example: "approve",
    }),
    approvalSeconds: optional("(required with `dr:autoFailover approve`)", {
        type: "string", schema: wholeNumber(0, MAX_SECONDS),
        description: "with `dr:autoFailover approve`: the on-call's committed time to approve the failover once paged (the RTO model's decide step)",
        allowed: `a whole number of seconds from 0 to ${MAX_SECONDS}`, example: "300",
        applies: (c): string | undefined => (c.autoFailover === "approve" ? undefined : "it is the approval time of dr:autoFailover approve"),
    }),
    warmPool: defaulted("off", {
        type: "string", schema: oneOf(WARM_POOL_STATES),
        description: "an EC2 Auto Scaling warm pool on the dr group, pre-initialized up to N: `off` | `stopped` | `hibernated` | `running`",
        allowed: "off, stopped, hibernated or running", example: "stopped",
    }),
    warmStartSeconds: optional("(assumed: 180 stopped, 120 hibernated, 60 running)", {
        type: "string", schema: wholeNumber(1, 3600),
        description: "your measured time for a warm pool instance to be in service (AWS publishes none)",
        allowed: "a whole number of seconds from 1 to 3600", example: "90",
        applies: (c): string | undefined => (c.warmPool !== "off" ? undefined : "it times a warm pool's start (dr:warmPool stopped, hibernated or running)"),
    }),
    cacheReplication: defaulted("none", {
        type: "string", schema: oneOf(CACHE_REPLICATION),
        description: "warm-standby: `global-datastore` keeps the dr cache a live member of prod's ElastiCache Global Datastore (two nodes of prod's type), promoted at failover",
        allowed: "none or global-datastore", example: "global-datastore",
    }),
    cachePromotionSeconds: optional("(assumed: 300)", {
        type: "string", schema: wholeNumber(1, 3600),
        description: "your measured time to promote the dr cache out of the Global Datastore (AWS publishes none)",
        allowed: "a whole number of seconds from 1 to 3600", example: "120",
        applies: (c): string | undefined => (c.cacheReplication === "global-datastore" ? undefined : "it times the Global Datastore's promotion (dr:cacheReplication global-datastore)"),
    }),
    globalDatastoreId: optional("(required on the dr stack with `dr:cacheReplication global-datastore`)", {
        type: "string", schema: matching(GLOBAL_DATASTORE_ID_PATTERN),
        description: "dr stack: the id of prod's Global Datastore, as prod exports it (`pulumi stack output globalDatastoreId -s <prod stack>`): AWS prefixes it, so it cannot be derived",
        allowed: "a Global Datastore id such as ldgnf-shop-cache (prod's output globalDatastoreId)", example: "<prod's globalDatastoreId>",
        applies: (c): string | undefined => (c.cacheReplication !== "global-datastore" ? "it names prod's Global Datastore, used with dr:cacheReplication global-datastore"
            : c.role !== "secondary" ? "it applies to the dr stack, whose cache joins prod's Global Datastore; prod creates it" : undefined),
        stackOnly: true, // prod's Global Datastore, as the dr stack names it
    }),
    standbyDatabase: defaulted("provisioned", {
        type: "string", schema: oneOf(STANDBY_DATABASES),
        description: "pilot-light and warm-standby: the dr Aurora secondary as `provisioned` instances or `serverless` (Aurora Serverless v2, 0.5-16 ACU standing by, 8-16 promoted)",
        allowed: "provisioned or serverless", example: "serverless",
    }),
    restoreSeconds: optional("(reference: 4 h)", {
        type: "string", schema: wholeNumber(60, MAX_SECONDS),
        description: "backup-restore: your measured restore time of the database, from the restore tests' job durations",
        allowed: `a whole number of seconds from 60 to ${MAX_SECONDS}`, example: "3600",
        applies: (c, tier): string | undefined => (tier.iacFailover.restoresFromBackup ? undefined : `it times a restore from backup (dr:strategy backup-restore); ${c.strategy} promotes its live replica`),
    }),
    canaryRateMinutes: defaulted("5", {
        type: "integer", schema: wholeNumber(1, 60),
        description: "minutes between the region canaries' runs (1-60): the validation after a failover waits for their alarm, and each run is priced",
        allowed: "a whole number from 1 to 60 (Synthetics runs a canary at most every minute, at least every hour)", example: "1",
    }),
    certificateArn: optional("(a certificate the stack requests for `dr:dnsName`, validated in `dr:dnsZoneId`)", {
        type: "string", schema: matching(CERTIFICATE_ARN_PATTERN),
        description: "per stack: an ACM certificate in this stack's region for `dr:dnsName`, instead of the one the stack requests",
        allowed: "an ACM certificate ARN in this stack's region, e.g. arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab",
        example: "<acm-certificate-arn>",
        stackOnly: true, // a certificate belongs to one region
    }),
    imageId: optional("(Amazon Linux 2023 serving the placeholder app)", {
        type: "string", schema: matching(AMI_ID_PATTERN),
        description: "per stack: the app's AMI id in this stack's region (each region needs its own copy); excludes `dr:imageParameter`",
        allowed: "an AMI id such as ami-0123456789abcdef0 (of this stack's region)", example: "ami-0123456789abcdef0",
        stackOnly: true, // an AMI belongs to one region
    }),
    imageParameter: optional("(Amazon Linux 2023's public parameter)", {
        type: "string", schema: matching(SSM_PARAMETER_PATTERN),
        description: "an SSM parameter holding the app's AMI id, resolved by EC2 in the stack's own region at launch; excludes `dr:imageId`",
        allowed: "an SSM parameter name starting with /, e.g. /shop/app/ami", example: "/app/ami",
    }),
    rootDeviceName: defaulted("/dev/xvda", {
        type: "string", schema: matching(/^\/dev\/[a-z0-9]{2,16}$/),
        description: "the image's root device, whose volume the launch template encrypts with the region's key (Amazon Linux: /dev/xvda; Ubuntu: /dev/sda1)",
        allowed: "a device name such as /dev/xvda or /dev/sda1", example: "/dev/xvda",
    }),
    userDataFile: optional("(the placeholder app's script)", {
        type: "string", schema: matching(RELATIVE_PATH_PATTERN),
        description: "a file of the project (path relative to Pulumi.yaml) given to each instance as user data, at most 16 KB; read at preview",
        allowed: "a path relative to the project's folder, without \"..\", e.g. app/user-data.sh", example: "app/user-data.sh",
    }),
    alarmEmails: optional("(none)", {
        type: "array", schema: listOf(EMAIL_PATTERN, "an email address"),
        description: "addresses subscribed to the alarm topic (each confirms once by email)",
        allowed: "a list of email addresses (pulumi config set --path 'dr:alarmEmails[0]' oncall@example.com)", example: "oncall@example.com",
    }),
    alarmTopicArns: optional("(none)", {
        type: "array", schema: listOf(TOPIC_ARN_PATTERN, "an SNS topic ARN"),
        description: "per stack: SNS topics of this stack's region that every alarm notifies too (your pager's or chat's)",
        allowed: "a list of SNS topic ARNs in this stack's region", example: "arn:aws:sns:us-east-1:123456789012:pager",
        stackOnly: true, // a topic belongs to one region
    }),
    regionSwitch: defaulted("false", {
        type: "boolean", schema: trueOrFalse,
        description: "dr stack: an ARC Region switch plan for the pair, built from the tier's runbook steps (created and changed in normal times only)",
        allowed: "true or false", example: "true",
        applies: (c): string | undefined => (c.role === "secondary" ? undefined : "the Region switch plan is the dr stack's (dr:role secondary): it activates the recovery region"),
        stackOnly: true, // the dr stack's operations
    }),
    approverArns: optional("(none)", {
        type: "array", schema: listOf(PRINCIPAL_ARN_PATTERN, "an IAM role, user or account ARN"),
        description: "dr stack with dr:regionSwitch: the principals allowed to assume the plan's approval role (the decision authority)",
        allowed: "a list of IAM role, user or account-root ARNs, or assumed-role session ARNs (assumed-role/<role>/<session>), e.g. arn:aws:iam::123456789012:role/incident-commander", example: "arn:aws:iam::123456789012:role/incident-commander",
        applies: (c): string | undefined => (c.role !== "secondary" ? "it applies to the dr stack's Region switch plan (dr:role secondary)"
            : !c.regionSwitch ? "it is read only with dr:regionSwitch=true" : undefined),
        stackOnly: true, // the dr stack's Region switch plan
    }),
    portfolio: optional("(none)", {
        type: "string", schema: matching(STACK_NAME_PATTERN),
        description: "dr stack of an app in a portfolio (docs/portfolio.md): the portfolio stack whose parent Region switch plan runs this app's plan; the app's plan then has no approval step of its own (the portfolio's approval decides) and no trigger",
        allowed: "the name of a stack with dr:role portfolio, such as portfolio", example: "portfolio",
        applies: (c): string | undefined => (c.role !== "secondary" ? "an app joins a portfolio through its dr stack (dr:role secondary)"
            : !c.regionSwitch ? "it changes only the app's Region switch plan, which needs dr:regionSwitch=true" : undefined),
        stackOnly: true, // the dr stack's Region switch plan
    }),
    portfolioApps: optional("(none)", {
        type: "array", schema: portfolioAppsSchema,
        description: "portfolio stack (dr:role portfolio): the apps' dr stacks and the wave each comes back in, most important first, as `<dr stack>:<wave>` (wave 1 when left out)",
        allowed: "a list of \"<dr stack>:<wave>\" entries, each wave a whole number from 1 to 999, such as [\"dr:1\", \"pay-dr:2\"]", example: "dr:1",
        applies: (): string | undefined => "it is a portfolio stack's (dr:role portfolio), which lists its apps' dr stacks",
        stackOnly: true, // the portfolio stack's alone
    }),
    childPlanLimit: defaulted("10", {
        type: "integer", schema: wholeNumber(1, 100),
        description: "portfolio stack with dr:regionSwitch: the most child plans its parent plan may run. ASSUMED: AWS documents that the number is limited, not the number (docs/reference.md, \"ARC Region switch\"); set your account's figure",
        allowed: "a whole number from 1 to 100", example: "10",
        applies: (): string | undefined => "it limits a portfolio stack's parent plan (dr:role portfolio)",
        stackOnly: true, // the portfolio stack's alone
    }),
    canaries: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "a Synthetics canary on the region's own endpoint wherever it serves or stands warm (prod in every tier; dr in warm standby and active-active); `false` turns them off",
        allowed: "true or false", example: "true",
    }),
    waf: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "a WAF web ACL per region (AWS's IP reputation, known bad inputs and common rule sets, a rate limit per address) on the region's ALB, standing in the dr region from normal times; the health checks pass before any rule; `false` turns it off",
        allowed: "true or false", example: "true",
    }),
    wafRateLimit: defaulted("2000", {
        type: "integer", schema: wholeNumber(RATE_LIMIT_RANGE.min, RATE_LIMIT_RANGE.max),
        description: "requests one address may send in 5 minutes before the web ACL blocks it (`dr:waf`); raise it where many users share an address",
        allowed: `a whole number from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max} (AWS WAF's range for a rate-based rule)`, example: "2000",
        applies: (c): string | undefined => (c.waf ? undefined : "it is the rate limit of the web ACL, which dr:waf=false turns off"),
    }),
    restoreTests: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "dr stack: a monthly AWS Backup restore test of the newest Aurora and S3 recovery points in the dr vault, alarmed when it fails or does not run",
        allowed: "true or false", example: "true",
        applies: (c): string | undefined => (c.role === "secondary" ? undefined : "restore tests run in the dr region, whose vault holds the copies (dr:role secondary)"),
        stackOnly: true, // the dr stack's operations
    }),
    logRetentionDays: defaulted("90", {
        type: "integer", schema: wholeNumber(1, 3650),
        description: "days the log bucket keeps ALB and S3 access logs (1-3650)",
        allowed: "a whole number from 1 to 3650", example: "90",
    }),
    awsEndpoint: optional("(unset)", {
        type: "string", schema: explained(loopbackUrlProblem),
        description: "local stacks only: loopback URL of an AWS emulator that every AWS call goes to",
        allowed: "a loopback URL such as http://127.0.0.1:5000 (an emulator on this machine)", example: "http://127.0.0.1:5000",
    }),
} as const;

type Contract = typeof CONTRACT;
type ValueOf<K> = K extends KeySpec<infer T> ? T : never;
type PresentField = { [F in keyof Contract]: Contract[F] extends OptionalKey<unknown> ? never : F }[keyof Contract];
type OptionalField = Exclude<keyof Contract, PresentField>;

type ContractValues =
    & { readonly [F in PresentField]: ValueOf<Contract[F]> }
    & { readonly [F in OptionalField]?: ValueOf<Contract[F]> };

/**
 * The validated configuration of one stack, derived from CONTRACT: optional keys may be undefined. An
 * interface, not a type alias, because the contract's own rules (`applies`) take it: TypeScript resolves an
 * interface's members only when they are used, so the table can refer to the type it defines.
 */
export interface DrConfig extends ContractValues {}

export type ConfigField = keyof Contract;
