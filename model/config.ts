// The config contract: one keyed table (CONTRACT) of every key the program reads, each entry with its
// schema, its default, its description, what is allowed (the problem text) and the value a fix suggests.
// The typed DrConfig, the validation, Pulumi.yaml's config block and the README's key table are all
// derived from it (npm run contract writes the last two; tests/config.test.ts fails when they differ).
//
// Every problem is collected and reported at once, before any resource exists; each names the key, the bad
// value, what is allowed and the `pulumi config set` that fixes it. `config.requireObject<T>()` would only
// cast. Pure: the program, the runbook, the plan and the tests all validate through parseDrConfig.
import { AWS_REGIONS, OTHER_PARTITION_REGIONS } from "./awsRegions";
import { MAX_CONTINUOUS_RETENTION_DAYS, MIN_COMPLIANCE_CHANGEABLE_DAYS } from "./backups";
import { backupCronProblem } from "./cron";
import { EC2_INSTANCE_TYPES } from "./ec2InstanceTypes";
import { loopbackUrlProblem } from "./emulator";
import { emailSubscriptionName } from "./naming";
import { approvalTrustPolicy } from "./regionSwitch";
import { configRmCommand, configSetCommand, shellCommand } from "./shell";
import { AUTO_FAILOVER_MODES, CACHE_REPLICATION, STANDBY_DATABASES, WARM_POOL_STATES, hibernationProblem } from "./levers";
import { ROLES, Role, STRATEGIES, Strategy } from "./strategy";
import { TIERS } from "./tiers";
import { RATE_LIMIT_RANGE } from "./waf";

export { ROLES, STRATEGIES };
export type { Role, Strategy };

// ---------- schemas: a raw string in, a typed value or the reason it is not allowed out ----------

/** A refusal may say why, and suggest the value its fix sets instead of the key's example (the value meant, by its spelling). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why?: string; readonly suggest?: string };
export type Schema<T> = (raw: string) => Parsed<T>;

const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refuse = (why?: string, suggest?: string): Parsed<never> => ({ ok: false, why, suggest });

function oneOf<const V extends string>(values: readonly V[]): Schema<V> {
    return (raw) => ((values as readonly string[]).includes(raw) ? accept(raw as V) : refuse());
}

function wholeNumber(min: number, max: number): Schema<number> {
    return (raw) => (/^-?\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? accept(Number(raw)) : refuse());
}

/**
 * A list of strings: a JSON array, as Pulumi passes a list set with `pulumi config set --path 'dr:key[0]' ...`,
 * or the items separated by commas (`--set` on the command line). Each item must match `pattern`.
 */
function listOf(pattern: RegExp, what: string): Schema<readonly string[]> {
    return (raw) => {
        let items: unknown;
        try {
            items = raw.trim().startsWith("[") ? JSON.parse(raw) : raw.split(",").map((x) => x.trim()).filter((x) => x !== "");
        } catch {
            return refuse("it starts like a JSON list but is not one");
        }
        if (!Array.isArray(items) || items.some((x) => typeof x !== "string")) {
            return refuse("it is not a list of strings");
        }
        const bad = (items as string[]).filter((x) => !pattern.test(x));
        return bad.length > 0 ? refuse(`${bad.map((b) => JSON.stringify(b)).join(", ")} ${bad.length === 1 ? "is" : "are"} not ${what}`) : accept(items as string[]);
    };
}

const trueOrFalse: Schema<boolean> = (raw) => (raw === "true" || raw === "false" ? accept(raw === "true") : refuse());

function matching(pattern: RegExp): Schema<string> {
    return (raw) => (pattern.test(raw) ? accept(raw) : refuse());
}

/** A schema that explains its refusals: `problem` says why a value is wrong, or undefined. */
function explained(problem: (raw: string) => string | undefined): Schema<string> {
    return (raw) => {
        const why = problem(raw);
        return why === undefined ? accept(raw) : refuse(why);
    };
}

/**
 * A Region of the aws partition, as @pulumi/aws knows them (model/awsRegions.ts, copied from its Region enum).
 * Only the aws partition in this release: the ARNs the program builds name it (arn:aws:...), and the recovery
 * path is reasoned for its global services, whose control planes are in us-east-1 (docs/reference.md, "Control
 * planes and data planes"). A Region of another partition is refused as such; any other name as no Region,
 * with the Region it is a misspelling of where `guess` (aws:region's fix sets the stack's own region instead).
 */
function regionSchema(guess: boolean): Schema<string> {
    return (raw) => {
        if (AWS_REGIONS.includes(raw)) {
            return accept(raw);
        }
        const partition = OTHER_PARTITION_REGIONS[raw];
        if (partition !== undefined) {
            return refuse(`${raw} is a Region of the ${partition} partition, which this release does not support: it deploys to the aws partition ` +
                "only (the ARNs it builds name the aws partition, and its recovery path is reasoned for the aws partition's global control planes, in us-east-1)");
        }
        const near = closest(raw, AWS_REGIONS);
        return guess && near.close ? refuse(`${raw} is not one: did you mean ${near.value}?`, near.value) : refuse(`${raw} is not one`);
    };
}
const APP_NAME_PATTERN = /^[a-z](?!.*--)[a-z0-9-]{0,14}[a-z0-9]$/;

/**
 * The app's name: the pattern, and none AWS would refuse in a name derived from it. Every physical name starts
 * with it: an ALB's name may not begin with `internal-` (`<app>-<code>-alb`), and S3 reserves bucket names
 * beginning with `sthree-` and `amzn-s3-demo-` (`<app>-data-...`, `<app>-logs-...`) (ELB and S3 naming rules).
 * S3's third reserved prefix, `xn--`, the pattern refuses (no double hyphen). S3's reserved suffixes (`-s3alias`,
 * `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`) need no check: no bucket name ends with the app name, each ends
 * with its region (model/naming.ts), whose last character is a digit.
 */
const appNameSchema: Schema<string> = (raw) => {
    if (!APP_NAME_PATTERN.test(raw)) {
        return refuse();
    }
    const reserved = [["internal", "an ALB's name may not begin with internal-"], ["sthree", "S3 reserves bucket names beginning with sthree-"],
        ["amzn-s3-demo", "S3 reserves bucket names beginning with amzn-s3-demo-"]] as const;
    const hit = reserved.find(([prefix]) => raw === prefix || raw.startsWith(`${prefix}-`));
    return hit ? refuse(`AWS would refuse the names made from it: ${hit[1]}`) : accept(raw);
};
/** Route 53 hosted zone ids: a Z and up to 31 capitals or digits. */
export const ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
const DNS_NAME_PATTERN = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/;
const INSTANCE_TYPES: ReadonlySet<string> = new Set(EC2_INSTANCE_TYPES);

/**
 * An EC2 instance type @pulumi/aws knows (model/ec2InstanceTypes.ts, copied from its ec2.InstanceType enum). Any
 * other value is refused naming the nearest type; the fix sets that one where it is close enough to be the one
 * meant, and the example otherwise (a far guess could be any size: a fix should not launch one blindly).
 */
const instanceTypeSchema: Schema<string> = (raw) => {
    if (INSTANCE_TYPES.has(raw)) {
        return accept(raw);
    }
    const near = closest(raw, EC2_INSTANCE_TYPES);
    return near.close ? refuse(`${raw} is not one: did you mean ${near.value}?`, near.value)
        : refuse(`${raw} is not one, nor close to one (the nearest is ${near.value})`);
};
/**
 * An Aurora cluster snapshot ARN: partition, region, account, then an RDS identifier (a letter, then
 * letters, digits and single hyphens, at most 255) or AWS Backup's `awsbackup:<job id>`. Nothing else:
 * the runbook prints this value in a command for a person to run.
 */
export const SNAPSHOT_ARN_PATTERN =
    /^arn:aws(?:-cn|-us-gov)?:rds:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:cluster-snapshot:(?:awsbackup:)?[a-zA-Z](?:-?[a-zA-Z0-9]){0,254}$/;
/** An ACM certificate ARN; the region is captured (it must be the stack's: an ALB uses a certificate of its own region). */
export const CERTIFICATE_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:acm:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate\/[0-9a-f-]{36}$/;
/** An AMI id: ami- and 8 or 17 hex digits. */
const AMI_ID_PATTERN = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** An SSM parameter name, as a path (AWS's public image parameters are /aws/service/...). */
const SSM_PARAMETER_PATTERN = /^\/[a-zA-Z0-9_.\-/]{1,1010}$/;
/** A project-relative path: no absolute path, no "..", no shell characters (the README's commands quote it anyway). */
const RELATIVE_PATH_PATTERN = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_.\-/]{1,255}$/;
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** An SNS topic ARN; the region is captured (a CloudWatch alarm notifies topics of its own region). */
/** An IAM principal that may assume a role: an account root, a role or a user (no wildcards: IAM refuses them in a trust policy). */
export const PRINCIPAL_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:(?:iam::\d{12}:(?:root|role\/[\w+=,.@\/-]{1,512}|user\/[\w+=,.@\/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64})$/;
export const TOPIC_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
/** An ElastiCache Global Datastore id: AWS's region prefix, a hyphen, the suffix (letters, digits, hyphens). */
export const GLOBAL_DATASTORE_ID_PATTERN = /^[a-z]{5}-[a-z0-9][a-z0-9-]{0,39}$/;
/** CloudWatch: at most 5 actions per alarm state (PutMetricAlarm, AlarmActions); one is the region's own topic. */
const MAX_ALARM_ACTIONS = 5;
const MAX_FORWARDED_TOPICS = MAX_ALARM_ACTIONS - 1;
/** IAM: a role's trust policy may hold 2,048 characters by default (IAM and STS quotas, "Role trust policy length"). */
const MAX_TRUST_POLICY_CHARS = 2048;
const MAX_CAPACITY = 1000;
const MAX_RETENTION_DAYS = 36500;
const MAX_SECONDS = 7 * 24 * 3600;

// ---------- the table ----------

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
    }),
    strategy: defaulted("pilot-light", {
        type: "string", schema: oneOf(STRATEGIES),
        description: "the DR tier: `backup-restore` | `pilot-light` | `warm-standby` | `active-active`",
        allowed: `one of ${STRATEGIES.join(", ")}`, example: "pilot-light",
    }),
    role: required({
        type: "string", schema: oneOf(ROLES),
        description: "`primary` (the prod stack) | `secondary` (the dr stack)",
        allowed: "primary (the prod stack) or secondary (the dr stack)", example: "secondary",
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
    }),
    restoreFrom: optional("(unset)", {
        type: "string", schema: matching(SNAPSHOT_ARN_PATTERN),
        description: "backup-restore dr stack with `dr:failover=true`: the Aurora cluster snapshot (recovery point) ARN in the dr region to restore",
        allowed: "an Aurora cluster snapshot ARN in dr:drRegion, e.g. arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1234",
        example: "<cluster-snapshot-arn>",
    }),
    routingPolicy: defaulted("latency", {
        type: "string", schema: oneOf(["latency", "weighted"] as const),
        description: "active-active: `latency` or `weighted` records",
        allowed: "latency or weighted", example: "latency",
    }),
    routingWeight: defaulted("50", {
        type: "integer", schema: wholeNumber(0, 255),
        description: "active-active, weighted: this region's weight 0-255 (0 drains it)",
        allowed: "a whole number from 0 to 255", example: "50",
    }),
    activeActiveWrites: defaulted("aurora", {
        type: "string", schema: oneOf(["aurora", "dynamodb"] as const),
        description: "active-active: where the app writes. `aurora`: writes wait for the Aurora promotion after a region is lost; " +
            "`dynamodb`: the global table only, which takes writes again in seconds (the RTO estimate follows)",
        allowed: "aurora or dynamodb", example: "aurora",
    }),
    activeActiveCapacityPercent: defaulted("100", {
        type: "integer", schema: wholeNumber(50, 100),
        description: "active-active: each region's app capacity as % of N (50-100)",
        allowed: "a whole number from 50 to 100", example: "100",
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
    }),
    globalDatastoreId: optional("(required on the dr stack with `dr:cacheReplication global-datastore`)", {
        type: "string", schema: matching(GLOBAL_DATASTORE_ID_PATTERN),
        description: "dr stack: the id of prod's Global Datastore, as prod exports it (`pulumi stack output globalDatastoreId -s prod`): AWS prefixes it, so it cannot be derived",
        allowed: "a Global Datastore id such as ldgnf-shop-cache (prod's output globalDatastoreId)", example: "<prod's globalDatastoreId>",
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
    }),
    imageId: optional("(Amazon Linux 2023 serving the placeholder app)", {
        type: "string", schema: matching(AMI_ID_PATTERN),
        description: "per stack: the app's AMI id in this stack's region (each region needs its own copy); excludes `dr:imageParameter`",
        allowed: "an AMI id such as ami-0123456789abcdef0 (of this stack's region)", example: "ami-0123456789abcdef0",
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
    }),
    regionSwitch: defaulted("false", {
        type: "boolean", schema: trueOrFalse,
        description: "dr stack: an ARC Region switch plan for the pair, built from the tier's runbook steps (created and changed in normal times only)",
        allowed: "true or false", example: "true",
    }),
    approverArns: optional("(none)", {
        type: "array", schema: listOf(PRINCIPAL_ARN_PATTERN, "an IAM role, user or account ARN"),
        description: "dr stack with dr:regionSwitch: the principals allowed to assume the plan's approval role (the decision authority)",
        allowed: "a list of IAM role, user or account-root ARNs, or assumed-role session ARNs (assumed-role/<role>/<session>), e.g. arn:aws:iam::123456789012:role/incident-commander", example: "arn:aws:iam::123456789012:role/incident-commander",
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
    }),
    restoreTests: defaulted("true", {
        type: "boolean", schema: trueOrFalse,
        description: "dr stack: a monthly AWS Backup restore test of the newest Aurora and S3 recovery points in the dr vault, alarmed when it fails or does not run",
        allowed: "true or false", example: "true",
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

/** The validated configuration of one stack, derived from CONTRACT: optional keys may be undefined. */
export type DrConfig =
    & { readonly [F in PresentField]: ValueOf<Contract[F]> }
    & { readonly [F in OptionalField]?: ValueOf<Contract[F]> };

export type ConfigField = keyof Contract;
export const CONFIG_FIELDS = Object.keys(CONTRACT) as ConfigField[];

/** The key as Pulumi names it: `aws:region`, `dr:<field>`. */
export function configKey(field: ConfigField): string {
    return field === "region" ? "aws:region" : `dr:${field}`;
}

/** The keys of the project's own namespace, as Pulumi.yaml declares them (without `dr:`). */
export const PROJECT_KEYS: readonly { readonly name: ConfigField; readonly spec: KeySpec }[] =
    CONFIG_FIELDS.filter((f) => f !== "region").map((name) => ({ name, spec: CONTRACT[name] as KeySpec }));

/** Every key the program reads, with its namespace. */
export function configKeyNames(): string[] {
    return CONFIG_FIELDS.map(configKey);
}

// ---------- validation ----------

/** Raw values as Pulumi passes them: strings, keyed `aws:region`, `dr:<name>` and any other namespace's keys. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** A problem with one key: what is wrong and the command that fixes it. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string | undefined;
    readonly message: string;
    readonly fix: string;
}

/** A key that is set but ignored in this configuration, and why. */
export interface ConfigWarning {
    readonly key: string;
    readonly value: string;
    readonly message: string;
    readonly fix: string;
}

export type ConfigResult =
    | { readonly ok: true; readonly config: DrConfig; readonly warnings: readonly ConfigWarning[] }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Edit distance of two keys, case-insensitive (the usual typo is a case or one letter). */
function distance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    const row = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= y.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] === y[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[y.length];
}

/**
 * The candidate closest to a value (the first of equals, in the candidates' order), and whether it is close
 * enough to be the one meant: a case or a letter or two, more in a longer value.
 */
function closest(value: string, candidates: readonly string[]): { readonly value: string; readonly close: boolean } {
    let best = { value: candidates[0], d: Infinity };
    for (const candidate of candidates) {
        const d = distance(value, candidate);
        if (d < best.d) {
            best = { value: candidate, d };
        }
    }
    return { value: best.value, close: best.d <= Math.max(2, Math.floor(value.length / 4)) };
}

/** The known key closest to an unknown one, when it is close enough to be the one meant. */
export function closestKey(unknown: string): string | undefined {
    const best = closest(unknown.replace(/^dr:/, ""), PROJECT_KEYS.map((k) => k.name));
    return best.close ? `dr:${best.value}` : undefined;
}

/**
 * The value a fix suggests: the example, except for dr:role, which follows from the stack's region, and for
 * aws:region, which follows from the role: the region the stack deploys (dr:primaryRegion or dr:drRegion, or
 * its default where that one is not valid).
 */
function suggestion(field: ConfigField, raw: RawConfig): string {
    if (field === "role") {
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:primaryRegion"]) return "primary";
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:drRegion"]) return "secondary";
    }
    if (field === "region" && (raw["dr:role"] === "primary" || raw["dr:role"] === "secondary")) {
        const own = raw["dr:role"] === "primary" ? [raw["dr:primaryRegion"], CONTRACT.primaryRegion.default] : [raw["dr:drRegion"], CONTRACT.drRegion.default];
        return own.find((r) => r !== undefined && AWS_REGIONS.includes(r))!;
    }
    return CONTRACT[field].example;
}

/** The command that sets a key: a list's first item by path, as Pulumi.yaml declares lists as arrays. */
function setCommand(field: ConfigField, value: string, stack: string): string {
    return (CONTRACT[field] as KeySpec).type === "array"
        ? shellCommand("pulumi", "config", "set", "--path", `${configKey(field)}[0]`, value, "-s", stack)
        : configSetCommand(configKey(field), value, stack);
}

/** Keys in the `dr` namespace that the program does not read: a typo would silently deploy the default. */
function unknownKeyProblems(raw: RawConfig, stack: string): ConfigProblem[] {
    const known = new Set(configKeyNames());
    return Object.keys(raw).filter((key) => key.startsWith("dr:") && !known.has(key)).sort().map((key) => {
        const meant = closestKey(key);
        const value = raw[key] ?? "";
        return meant
            ? { key, value, message: `is not a key of this program: did you mean ${meant}?`,
                fix: `${configRmCommand(key, stack)} && ${configSetCommand(meant, value, stack)}` }
            : { key, value, message: "is not a key of this program (README.md, \"Config reference\", lists them)", fix: configRmCommand(key, stack) };
    });
}

/** Checks between keys, on values that are each valid on their own. */
function crossKeyProblems(c: DrConfig, stack: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (key: string, value: string | undefined, message: string, fix: string) => problems.push({ key, value, message, fix });

    if (c.primaryRegion === c.drRegion) {
        add("dr:drRegion", c.drRegion, "must differ from dr:primaryRegion: DR needs a second region", configSetCommand("dr:drRegion", "<another-region>", stack));
    }
    const expected = c.role === "primary" ? "primaryRegion" : "drRegion";
    if (c.region !== c[expected]) {
        add("aws:region", c.region,
            `must equal dr:${expected} (${c[expected]}) on a stack with dr:role ${c.role}: each stack deploys only its own region`,
            configSetCommand("aws:region", c[expected], stack));
    }
    if (c.failover && c.role === "primary") {
        add("dr:failover", "true",
            "applies only to the dr stack (dr:role secondary), which it promotes; the prod stack always describes the primary region",
            configSetCommand("dr:failover", "false", stack));
    }
    const restores = TIERS[c.strategy].iacFailover.restoresFromBackup;
    if (restores && c.role === "secondary" && c.failover && c.restoreFrom === undefined) {
        add("dr:restoreFrom", undefined,
            `is required when a ${c.strategy} dr stack fails over (dr:failover=true): name the recovery point to restore, ` +
            `an Aurora cluster snapshot ARN in ${c.drRegion} (aws backup list-recovery-points-by-backup-vault)`,
            configSetCommand("dr:restoreFrom", CONTRACT.restoreFrom.example, stack));
    }
    if (c.restoreFrom !== undefined && !restores) {
        add("dr:restoreFrom", c.restoreFrom,
            `applies only to dr:strategy backup-restore; ${c.strategy} promotes its live replica instead`, configRmCommand("dr:restoreFrom", stack));
    }
    const snapshotRegion = c.restoreFrom?.match(SNAPSHOT_ARN_PATTERN)?.[1];
    if (c.restoreFrom !== undefined && snapshotRegion !== c.drRegion) {
        add("dr:restoreFrom", c.restoreFrom,
            `is in ${snapshotRegion}, not in dr:drRegion (${c.drRegion}): restore from the copy in the dr region's vault`,
            configSetCommand("dr:restoreFrom", CONTRACT.restoreFrom.example, stack));
    }
    if (c.imageId !== undefined && c.imageParameter !== undefined) {
        add("dr:imageParameter", c.imageParameter, "excludes dr:imageId: the app's image comes from one of them",
            `${configRmCommand("dr:imageParameter", stack)}  (or ${configRmCommand("dr:imageId", stack)})`);
    }
    const certRegion = c.certificateArn?.match(CERTIFICATE_ARN_PATTERN)?.[1];
    if (certRegion !== undefined && certRegion !== c.region) {
        add("dr:certificateArn", c.certificateArn,
            `is in ${certRegion}, not in this stack's region ${c.region}: an ALB takes a certificate of its own region (request or import one there)`,
            configSetCommand("dr:certificateArn", CONTRACT.certificateArn.example, stack));
    }
    if (c.regionSwitch && c.role === "secondary" && (c.approverArns ?? []).length === 0) {
        add("dr:approverArns", "(none)", "must name at least one principal when dr:regionSwitch is true: the plan's approval step needs a decision authority",
            setCommand("approverArns", CONTRACT.approverArns.example, stack));
    }
    const approvers = c.approverArns ?? [];
    const twice = approvers.filter((arn, i) => approvers.indexOf(arn) !== i);
    if (twice.length > 0) {
        add("dr:approverArns", [...new Set(twice)].join(", "), "names a principal more than once: keep one", setCommand("approverArns", twice[0], stack));
    }
    const trustSize = JSON.stringify(approvalTrustPolicy([...new Set(approvers)])).length;
    if (c.regionSwitch && c.role === "secondary" && trustSize > MAX_TRUST_POLICY_CHARS) {
        add("dr:approverArns", `${approvers.length} principals`,
            `make the approval role's trust policy ${trustSize} characters, over IAM's default limit of ${MAX_TRUST_POLICY_CHARS}: ` +
            "name a role your approvers assume instead of each of them", setCommand("approverArns", CONTRACT.approverArns.example, stack));
    }
    const refused = TIERS[c.strategy].refusedLevers;
    if (c.autoFailover === "approve" && c.approvalSeconds === undefined) {
        add("dr:approvalSeconds", undefined,
            "is required with dr:autoFailover approve: the on-call's committed time to approve once paged, the RTO model's decide step",
            configSetCommand("dr:approvalSeconds", CONTRACT.approvalSeconds.example, stack));
    }
    if (c.autoFailover === "auto" && refused.autoFailover !== undefined) {
        add("dr:autoFailover", "auto", `is not allowed for ${c.strategy}: ${refused.autoFailover}`, configSetCommand("dr:autoFailover", "approve", stack));
    }
    if (c.autoFailover === "auto" && refused.autoFailover === undefined && c.role === "secondary" && !c.regionSwitch) {
        add("dr:autoFailover", "auto",
            "starts the pair's ARC Region switch plan, which the dr stack creates with dr:regionSwitch true (and dr:approverArns, for the failback's approval)",
            configSetCommand("dr:regionSwitch", "true", stack));
    }
    if (c.warmPool !== "off" && refused.warmPool !== undefined) {
        add("dr:warmPool", c.warmPool, `does not apply to ${c.strategy}: ${refused.warmPool}`, configSetCommand("dr:warmPool", "off", stack));
    }
    const hibernation = c.warmPool === "hibernated" ? hibernationProblem(c.instanceType) : undefined;
    if (hibernation !== undefined) {
        add("dr:warmPool", "hibernated", `needs an instance type that can hibernate: ${hibernation}; keep the pool stopped, or pick a type such as m7g.large`,
            configSetCommand("dr:warmPool", "stopped", stack));
    }
    if (c.cacheReplication === "global-datastore" && refused.globalDatastore !== undefined) {
        add("dr:cacheReplication", "global-datastore", `does not apply to ${c.strategy}: ${refused.globalDatastore}`,
            configSetCommand("dr:cacheReplication", "none", stack));
    }
    if (c.cacheReplication === "global-datastore" && refused.globalDatastore === undefined && c.role === "secondary" && c.globalDatastoreId === undefined) {
        add("dr:globalDatastoreId", undefined,
            "is required on the dr stack with dr:cacheReplication global-datastore: prod creates the Global Datastore and AWS prefixes its id, " +
            "so copy it from prod's outputs (deploy prod first)",
            `${configSetCommand("dr:globalDatastoreId", "<id>", stack)}  (the id: pulumi stack output globalDatastoreId -s <prod stack>)`);
    }
    if (c.standbyDatabase === "serverless" && refused.serverlessStandby !== undefined) {
        add("dr:standbyDatabase", "serverless", `does not apply to ${c.strategy}: ${refused.serverlessStandby}`,
            configSetCommand("dr:standbyDatabase", "provisioned", stack));
    }
    // Addresses that would be one subscription: the same address, or ones that differ in case or punctuation
    // only (their resource names are the same, and the preview would stop on a duplicate name).
    const bySubscription = new Map<string, string[]>();
    for (const email of c.alarmEmails ?? []) {
        const key = emailSubscriptionName("", email);
        bySubscription.set(key, [...(bySubscription.get(key) ?? []), email]);
    }
    for (const same of [...bySubscription.values()].filter((emails) => emails.length > 1)) {
        add("dr:alarmEmails", same.join(", "), `name one subscription ${same.length} times (the same address, or addresses that differ only in ` +
            "case or punctuation): keep one of them", setCommand("alarmEmails", same[0], stack));
    }
    const topics = c.alarmTopicArns ?? [];
    const repeated = topics.filter((arn, i) => topics.indexOf(arn) !== i);
    if (repeated.length > 0) {
        add("dr:alarmTopicArns", [...new Set(repeated)].join(", "), "names a topic more than once: keep one", setCommand("alarmTopicArns", repeated[0], stack));
    }
    if (topics.length > MAX_FORWARDED_TOPICS) {
        add("dr:alarmTopicArns", `${topics.length} topics`,
            `names more than ${MAX_FORWARDED_TOPICS}: every alarm notifies the region's own topic and these, and CloudWatch takes at most ` +
            `${MAX_ALARM_ACTIONS} actions per alarm state; subscribe the others to one topic, or to the region's alarm topic`,
            setCommand("alarmTopicArns", topics[0], stack));
    }
    for (const arn of c.alarmTopicArns ?? []) {
        const topicRegion = arn.match(TOPIC_ARN_PATTERN)?.[1];
        if (topicRegion !== c.region) {
            add("dr:alarmTopicArns", arn, `is in ${topicRegion}, not in this stack's region ${c.region}: a CloudWatch alarm notifies topics of its own region`,
                setCommand("alarmTopicArns", `arn:aws:sns:${c.region}:<account>:<topic>`, stack));
        }
    }
    return problems;
}

/**
 * Keys that do not apply to this tier or stack: why each is ignored, or undefined where it applies. A key
 * counts as set when its value differs from its default (the program cannot tell a default it was given
 * from the same value set by hand).
 */
const APPLIES: Partial<Record<ConfigField, (c: DrConfig) => string | undefined>> = {
    routingPolicy: (c) => (TIERS[c.strategy].bothRegionsServe ? undefined : `routing policies apply where both regions serve (dr:strategy active-active), not to ${c.strategy}`),
    routingWeight: (c) => (!TIERS[c.strategy].bothRegionsServe ? `a routing weight applies where both regions serve (dr:strategy active-active), not to ${c.strategy}`
        : c.routingPolicy !== "weighted" ? "a routing weight applies to weighted records only (dr:routingPolicy weighted); this stack's are latency records" : undefined),
    activeActiveCapacityPercent: (c) => (TIERS[c.strategy].bothRegionsServe ? undefined : `it sizes active-active's regions; ${c.strategy} sizes its regions by the tier (model/capacity.ts)`),
    activeActiveWrites: (c) => (TIERS[c.strategy].multiActiveWrites ? undefined : `it applies where writes can skip the promotion (dr:strategy active-active), not to ${c.strategy}`),
    replicateObjects: (c) => (c.role === "primary" ? undefined : "it applies to the prod stack (dr:role primary), whose bucket replicates; the dr stack holds the replica"),
    regionSwitch: (c) => (c.role === "secondary" ? undefined : "the Region switch plan is the dr stack's (dr:role secondary): it activates the recovery region"),
    approverArns: (c) => (c.role !== "secondary" ? "it applies to the dr stack's Region switch plan (dr:role secondary)"
        : !c.regionSwitch ? "it is read only with dr:regionSwitch=true" : undefined),
    restoreTests: (c) => (c.role === "secondary" ? undefined : "restore tests run in the dr region, whose vault holds the copies (dr:role secondary)"),
    wafRateLimit: (c) => (c.waf ? undefined : "it is the rate limit of the web ACL, which dr:waf=false turns off"),
    approvalSeconds: (c) => (c.autoFailover === "approve" ? undefined : "it is the approval time of dr:autoFailover approve"),
    warmStartSeconds: (c) => (c.warmPool !== "off" ? undefined : "it times a warm pool's start (dr:warmPool stopped, hibernated or running)"),
    cachePromotionSeconds: (c) => (c.cacheReplication === "global-datastore" ? undefined : "it times the Global Datastore's promotion (dr:cacheReplication global-datastore)"),
    globalDatastoreId: (c) => (c.cacheReplication !== "global-datastore" ? "it names prod's Global Datastore, used with dr:cacheReplication global-datastore"
        : c.role !== "secondary" ? "it applies to the dr stack, whose cache joins prod's Global Datastore; prod creates it" : undefined),
    restoreSeconds: (c) => (TIERS[c.strategy].iacFailover.restoresFromBackup ? undefined : `it times a restore from backup (dr:strategy backup-restore); ${c.strategy} promotes its live replica`),
    vaultLockChangeableForDays: (c) => (c.vaultLockMode === "compliance" ? undefined : "it applies to Vault Lock's compliance mode only (dr:vaultLockMode compliance); governance mode has no grace period"),
    restoreFrom: (c) => (!TIERS[c.strategy].iacFailover.restoresFromBackup ? undefined // refused above
        : c.role === "primary" ? "it applies to the dr stack (dr:role secondary), which restores from it"
        : !c.failover ? "it is read only when the dr stack restores (dr:failover=true); the standby creates no database" : undefined),
};

function ignoredKeyWarnings(c: DrConfig, raw: RawConfig, stack: string): ConfigWarning[] {
    const warnings: ConfigWarning[] = [];
    for (const [field, rule] of Object.entries(APPLIES) as [ConfigField, (c: DrConfig) => string | undefined][]) {
        const key = configKey(field);
        const value = raw[key];
        const spec = CONTRACT[field] as KeySpec;
        // An empty list is a list key left at Pulumi.yaml's default (the CLI passes it as `[]`): not set.
        const emptyList = spec.type === "array" && value !== undefined && /^\s*\[\s*\]\s*$/.test(value);
        const set = value !== undefined && value !== "" && !emptyList && (spec.presence !== "default" || value !== spec.default);
        const why = set ? rule(c) : undefined;
        if (why !== undefined) {
            warnings.push({ key, value: value!, message: `is ignored: ${why}`, fix: configRmCommand(key, stack) });
        }
    }
    return warnings;
}

/**
 * Validates the raw config of one stack. Pure: takes the values, returns the typed config and its warnings,
 * or every problem at once.
 */
export function parseDrConfig(raw: RawConfig, stack: string): ConfigResult {
    const problems: ConfigProblem[] = unknownKeyProblems(raw, stack);
    const values: Record<string, unknown> = {};
    for (const field of CONFIG_FIELDS) {
        const spec = CONTRACT[field] as KeySpec;
        const key = configKey(field);
        const given = raw[key];
        const fix = setCommand(field, suggestion(field, raw), stack);
        const problem = (message: string) => problems.push({ key, value: given, message, fix });
        const notSet = (message: string) => problems.push({ key, value: undefined, message, fix });
        // Pulumi.yaml declares "" as the default of the keys without one, so that the program, not the CLI,
        // reports a missing key: for those, empty is unset. Elsewhere an empty value is a mistake.
        if (given === undefined || (given === "" && spec.presence !== "default")) {
            if (spec.presence === "required") {
                notSet(`is not set: must be ${spec.allowed}`);
            } else if (spec.presence === "default") {
                values[field] = (spec.schema(spec.default) as { value: unknown }).value;
            }
            continue;
        }
        if (given === "" && spec.presence === "default") {
            problem(`is empty: must be ${spec.allowed}; an empty value does not mean the default (${spec.default}): set one, or remove the key`);
            continue;
        }
        const parsed = spec.schema(given);
        if (parsed.ok) {
            values[field] = parsed.value;
        } else {
            const message = `must be ${spec.allowed}${parsed.why ? `; ${parsed.why}` : ""}`;
            problems.push({ key, value: given, message, fix: parsed.suggest !== undefined ? setCommand(field, parsed.suggest, stack) : fix });
        }
    }
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const config = values as DrConfig;
    const cross = crossKeyProblems(config, stack);
    if (cross.length > 0) {
        return { ok: false, problems: cross };
    }
    return { ok: true, config, warnings: ignoredKeyWarnings(config, raw, stack) };
}

/** One readable report of every problem, for the error `pulumi preview` prints. */
export function formatProblems(problems: readonly ConfigProblem[], stack: string): string {
    const lines = problems.map((p, i) => {
        const shown = p.value === undefined ? "(not set)" : JSON.stringify(p.value);
        return `  ${i + 1}. ${p.key} = ${shown}: ${p.message}.\n     fix: ${p.fix}`;
    });
    const count = problems.length === 1 ? "1 configuration problem" : `${problems.length} configuration problems`;
    return `Stack "${stack}" has ${count}:\n${lines.join("\n")}`;
}

/** A warning, as `pulumi preview` shows it. */
export function formatWarning(w: ConfigWarning): string {
    return `${w.key} = ${JSON.stringify(w.value)} ${w.message}. To remove it: ${w.fix}`;
}

// ---------- what is derived from the table: Pulumi.yaml's config block, the README's key table ----------

/** Pulumi.yaml's `config:` block: every dr: key with its type, description and default ("" where it has none). */
export function pulumiYamlConfig(): string {
    return PROJECT_KEYS.map(({ name, spec }) => {
        const value = spec.presence === "default" ? spec.default : "";
        if (spec.type === "array") {
            return `  ${name}:\n    type: array\n    items:\n      type: string\n    description: ${JSON.stringify(spec.description)}\n    default: []\n`;
        }
        const shown = spec.type === "string" ? JSON.stringify(value) : value;
        return `  ${name}:\n    type: ${spec.type}\n    description: ${JSON.stringify(spec.description)}\n    default: ${shown}\n`;
    }).join("");
}

/** The README's table of keys: key, default, meaning. */
export function readmeKeyTable(): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const rows = CONFIG_FIELDS.map((field) => {
        const spec = CONTRACT[field] as KeySpec;
        const shown = spec.presence === "default" ? `\`${spec.default}\`` : spec.presence === "required" ? "(required)" : spec.unset;
        return `| \`${configKey(field)}\` | ${cell(shown)} | ${cell(spec.description)} |`;
    });
    return ["| key | default | meaning |", "|---|---|---|", ...rows].join("\n") + "\n";
}

/** The commands a fix may print, exported for the runbook's own. */
export { configRmCommand, configSetCommand, shellCommand };
