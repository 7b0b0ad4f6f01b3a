// The config contract, read and validated in one place before any resource exists.
//
// Every problem is collected and reported at once; each names the key, the bad value, what is
// allowed and the `pulumi config set` that fixes it. `config.requireObject<T>()` would only cast.
import { z } from "zod";
import { LOOPBACK_URL } from "./emulator";
import { ROLES, Role, STRATEGIES, Strategy } from "./strategy";
import { TIERS } from "./tiers";

export { ROLES, STRATEGIES };
export type { Role, Strategy };

/** The validated configuration of one stack. */
export interface DrConfig {
    /** The stack's region (`aws:region`). */
    readonly region: string;
    readonly strategy: Strategy;
    readonly role: Role;
    readonly primaryRegion: string;
    readonly drRegion: string;
    readonly appName: string;
    /** N: app instances at full production capacity. */
    readonly capacity: number;
    /** On the dr stack: the DR region is promoted and serves production. */
    readonly failover: boolean;
    readonly dnsZoneId: string;
    readonly dnsName: string;
    /** Route 53 health-check request interval: 10 or 30 s (DR-REFERENCE.md, "AWS numbers"). */
    readonly healthCheckIntervalSeconds: 10 | 30;
    /** Consecutive failed checks before Route 53 calls the endpoint unhealthy: 1-10. */
    readonly healthCheckFailureThreshold: number;
    readonly instanceType: string;
    /** On the prod stack: replicate the bucket to the dr region (false only for the very first deploy). */
    readonly replicateObjects: boolean;
    /** AWS Backup schedule of the writer region's plan (cron, at most hourly). */
    readonly backupSchedule: string;
    /** Days scheduled recovery points (and their cross-region copies) are kept. */
    readonly backupRetentionDays: number;
    readonly vaultLockMode: "governance" | "compliance";
    /** Compliance mode's grace period before the lock is immutable (>= 3). */
    readonly vaultLockChangeableForDays: number;
    /** backup-restore, dr stack, failover: the cluster snapshot / recovery point ARN (in the dr region) to restore. */
    readonly restoreFrom?: string;
    /** active-active: latency-based or weighted records. */
    readonly routingPolicy: "latency" | "weighted";
    /** active-active with weighted routing: this region's weight, 0-255 (0 drains it). */
    readonly routingWeight: number;
    /** active-active: each region's app capacity as a share of N, 50-100 %. */
    readonly activeActiveCapacityPercent: number;
    /** RTO target; undefined: the top of the tier's typical range (model/objectives.ts, DEFAULT_TARGETS). */
    readonly rtoTargetSeconds?: number;
    /** RPO target; undefined: the tier's default. */
    readonly rpoTargetSeconds?: number;
    /** false: a missed objective warns instead of failing the preview. */
    readonly enforceObjectives: boolean;
    /** The team's own time to declare a disaster and approve failover; undefined: the reference's. */
    readonly decisionSeconds?: number;
    /** The team's own time for a new instance to be in service; undefined: the reference's. */
    readonly instanceBootSeconds?: number;
    /** A local AWS emulator (loopback URL) instead of AWS: the local stacks. */
    readonly awsEndpoint?: string;
}

/** One documented key of the contract; Pulumi.yaml declares the same keys with the same defaults (tested). */
export interface ConfigKey {
    /** Key without the `dr:` namespace. */
    readonly name: string;
    readonly type: "string" | "integer" | "boolean";
    /**
     * The default as Pulumi passes it to the program (a string); "" means unset: required for some keys,
     * optional for others. Optional numbers are declared as strings, as Pulumi.yaml cannot give an integer
     * an empty default; model/config.ts still requires whole numbers.
     */
    readonly default: string;
    readonly description: string;
    /** What is allowed, in words, for error messages. */
    readonly allowed: string;
    /** A value to show in the `pulumi config set` hint when the default cannot serve. */
    readonly example: string;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const APP_NAME_PATTERN = /^[a-z](?!.*--)[a-z0-9-]{0,14}[a-z0-9]$/;
/** Route 53 hosted zone ids: a Z and up to 31 capitals or digits. */
export const ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
const DNS_NAME_PATTERN = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/;
const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const MAX_CAPACITY = 1000;
const MAX_RETENTION_DAYS = 36500;
const MAX_SECONDS = 7 * 24 * 3600;
/** cron(minute hour day-of-month month day-of-week year), with one fixed minute: at most hourly. */
const BACKUP_CRON_PATTERN = /^cron\(([0-5]?\d) \S+ \S+ \S+ \S+ \S+\)$/;
const SNAPSHOT_ARN_PATTERN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:cluster-snapshot:\S+$/;

export const CONFIG_KEYS: readonly ConfigKey[] = [
    {
        name: "strategy", type: "string", default: "pilot-light",
        description: "DR tier: backup-restore | pilot-light | warm-standby | active-active.",
        allowed: `one of ${STRATEGIES.join(", ")}`, example: "pilot-light",
    },
    {
        name: "role", type: "string", default: "",
        description: "primary for the prod stack, secondary for the dr stack.",
        allowed: "primary (the prod stack) or secondary (the dr stack)", example: "secondary",
    },
    {
        name: "primaryRegion", type: "string", default: "us-east-1",
        description: "The region that serves production in normal operation.",
        allowed: "an AWS region name such as us-east-1", example: "us-east-1",
    },
    {
        name: "drRegion", type: "string", default: "us-west-2",
        description: "The recovery region.",
        allowed: "an AWS region name such as us-west-2, other than dr:primaryRegion", example: "us-west-2",
    },
    {
        name: "appName", type: "string", default: "app",
        description: "Short name that every deterministic physical name starts with (2-16 characters).",
        allowed: "2-16 lowercase letters, digits and single hyphens, starting with a letter", example: "shop",
    },
    {
        name: "capacity", type: "integer", default: "4",
        description: "N: app instances at full production capacity.",
        allowed: `a whole number from 1 to ${MAX_CAPACITY}`, example: "4",
    },
    {
        name: "failover", type: "boolean", default: "false",
        description: "true on the dr stack: the DR region is promoted and serves production.",
        allowed: "true or false", example: "false",
    },
    {
        name: "dnsZoneId", type: "string", default: "",
        description: "Route 53 hosted zone id that holds dr:dnsName.",
        allowed: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", example: "Z0123456789ABCDEFGHIJ",
    },
    {
        name: "dnsName", type: "string", default: "",
        description: "The record users reach the app by, e.g. app.example.com.",
        allowed: "a lowercase DNS name such as app.example.com", example: "app.example.com",
    },
    {
        name: "healthCheckIntervalSeconds", type: "integer", default: "10",
        description: "Route 53 health-check request interval in seconds: 10 (fast) or 30 (standard).",
        allowed: "10 or 30", example: "10",
    },
    {
        name: "healthCheckFailureThreshold", type: "integer", default: "3",
        description: "Consecutive failed health checks before Route 53 fails over (1-10).",
        allowed: "a whole number from 1 to 10", example: "3",
    },
    {
        name: "instanceType", type: "string", default: "t3.medium",
        description: "EC2 instance type of the app tier.",
        allowed: "an EC2 instance type such as t3.medium", example: "t3.medium",
    },
    {
        name: "replicateObjects", type: "boolean", default: "true",
        description: "prod stack: replicate the bucket to the dr region. Set false only for the first deploy, before the dr bucket exists.",
        allowed: "true or false", example: "true",
    },
    {
        name: "backupSchedule", type: "string", default: "cron(0 * * * ? *)",
        description: "AWS Backup schedule of the writer region's plan, a cron expression running at most hourly (default: every hour).",
        allowed: "an AWS Backup cron expression with a single minute, e.g. cron(0 * * * ? *) (AWS Backup runs at most hourly)",
        example: "\"cron(0 * * * ? *)\"",
    },
    {
        name: "backupRetentionDays", type: "integer", default: "14",
        description: "Days scheduled recovery points and their copies in the other region are kept (continuous backups: at most 35).",
        allowed: `a whole number from 1 to ${MAX_RETENTION_DAYS}`, example: "14",
    },
    {
        name: "vaultLockMode", type: "string", default: "governance",
        description: "Vault Lock on the dr region's backup vault: governance (removable with permission) or compliance (immutable after the grace period).",
        allowed: "governance or compliance", example: "governance",
    },
    {
        name: "vaultLockChangeableForDays", type: "integer", default: "3",
        description: "compliance mode: days the lock can still be removed before it becomes immutable (AWS requires at least 3).",
        allowed: "a whole number from 3 to 36500 (AWS Vault Lock compliance mode needs ChangeableForDays >= 3)", example: "3",
    },
    {
        name: "restoreFrom", type: "string", default: "",
        description: "backup-restore, dr stack, with dr:failover=true: ARN of the Aurora cluster snapshot (recovery point) in the dr region to restore.",
        allowed: "an Aurora cluster snapshot ARN in dr:drRegion, e.g. arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1234",
        example: "<cluster-snapshot-arn>",
    },
    {
        name: "routingPolicy", type: "string", default: "latency",
        description: "active-active: latency (each user to the nearest healthy region) or weighted (dr:routingWeight per region).",
        allowed: "latency or weighted", example: "latency",
    },
    {
        name: "routingWeight", type: "integer", default: "50",
        description: "active-active with weighted routing: this region's weight, 0-255 (0 drains the region).",
        allowed: "a whole number from 0 to 255", example: "50",
    },
    {
        name: "activeActiveCapacityPercent", type: "integer", default: "100",
        description: "active-active: each region's app capacity as a percentage of N (100: either region absorbs all traffic alone).",
        allowed: "a whole number from 50 to 100", example: "100",
    },
    {
        name: "rtoTargetSeconds", type: "string", default: "",
        description: "RTO target in seconds; the preview fails when the estimate exceeds it (unset: the top of the tier's typical range).",
        allowed: `a whole number of seconds from 1 to ${MAX_SECONDS}`, example: "3600",
    },
    {
        name: "rpoTargetSeconds", type: "string", default: "",
        description: "RPO target in seconds; the preview fails when the estimate exceeds it (unset: the tier's default).",
        allowed: `a whole number of seconds from 1 to ${MAX_SECONDS}`, example: "900",
    },
    {
        name: "enforceObjectives", type: "boolean", default: "true",
        description: "false: an estimated RTO or RPO above its target warns instead of failing the preview.",
        allowed: "true or false", example: "true",
    },
    {
        name: "decisionSeconds", type: "string", default: "",
        description: "Your measured time to declare a disaster and approve failover (unset: the reference's per tier).",
        allowed: `a whole number of seconds from 0 to ${MAX_SECONDS}`, example: "1200",
    },
    {
        name: "instanceBootSeconds", type: "string", default: "",
        description: "Your measured time for a new app instance to be in service (unset: 300, the reference's upper bound).",
        allowed: "a whole number of seconds from 1 to 3600", example: "240",
    },
    {
        name: "awsEndpoint", type: "string", default: "",
        description: "Local stacks only: the loopback URL of an AWS emulator (moto_server) that every AWS call goes to.",
        allowed: "a loopback URL such as http://127.0.0.1:5000 (an emulator on this machine)", example: "http://127.0.0.1:5000",
    },
];

const KEY_BY_NAME = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

/** Raw values as Pulumi passes them: strings, keyed `aws:region` and `dr:<name>`; undefined when unset. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

function keyInfo(fullKey: string): ConfigKey | undefined {
    return KEY_BY_NAME.get(fullKey.replace(/^dr:/, ""));
}

const required = (what: string) =>
    z.string({ error: `is not set: must be ${what}` }).min(1, { error: `is not set: must be ${what}` });

function patterned(what: string, pattern: RegExp) {
    return required(what).regex(pattern, { error: `must be ${what}` });
}

function wholeNumber(min: number, max: number, allowed?: string) {
    const what = allowed ?? `a whole number from ${min} to ${max}`;
    return required(what)
        .regex(/^-?\d+$/, { error: `must be ${what}` })
        .transform(Number)
        .refine((n) => n >= min && n <= max, { error: `must be ${what}` });
}

const trueOrFalse = z.enum(["true", "false"], { error: "must be true or false" }).transform((v) => v === "true");

const rawSchema = z.object({
    "aws:region": patterned("an AWS region name such as us-east-1", REGION_PATTERN),
    "dr:strategy": z.enum(STRATEGIES, { error: `must be one of ${STRATEGIES.join(", ")}` }),
    "dr:role": z.enum(ROLES, { error: "must be primary (the prod stack) or secondary (the dr stack)" }),
    "dr:primaryRegion": patterned("an AWS region name such as us-east-1", REGION_PATTERN),
    "dr:drRegion": patterned("an AWS region name such as us-west-2", REGION_PATTERN),
    "dr:appName": patterned(keyInfo("appName")!.allowed, APP_NAME_PATTERN),
    "dr:capacity": wholeNumber(1, MAX_CAPACITY),
    "dr:failover": trueOrFalse,
    "dr:dnsZoneId": patterned(keyInfo("dnsZoneId")!.allowed, ZONE_ID_PATTERN),
    "dr:dnsName": patterned(keyInfo("dnsName")!.allowed, DNS_NAME_PATTERN),
    "dr:healthCheckIntervalSeconds": z.enum(["10", "30"], { error: "must be 10 or 30 (the intervals Route 53 offers)" })
        .transform((v) => Number(v) as 10 | 30),
    "dr:healthCheckFailureThreshold": wholeNumber(1, 10),
    "dr:instanceType": patterned(keyInfo("instanceType")!.allowed, INSTANCE_TYPE_PATTERN),
    "dr:replicateObjects": trueOrFalse,
    "dr:backupSchedule": patterned(keyInfo("backupSchedule")!.allowed, BACKUP_CRON_PATTERN),
    "dr:backupRetentionDays": wholeNumber(1, MAX_RETENTION_DAYS),
    "dr:vaultLockMode": z.enum(["governance", "compliance"], { error: "must be governance or compliance" }),
    "dr:vaultLockChangeableForDays": wholeNumber(3, 36500, keyInfo("vaultLockChangeableForDays")!.allowed),
    "dr:restoreFrom": z.string().regex(SNAPSHOT_ARN_PATTERN, { error: `must be ${keyInfo("restoreFrom")!.allowed}` }).optional(),
    "dr:routingPolicy": z.enum(["latency", "weighted"], { error: "must be latency or weighted" }),
    "dr:routingWeight": wholeNumber(0, 255),
    "dr:activeActiveCapacityPercent": wholeNumber(50, 100),
    "dr:rtoTargetSeconds": wholeNumber(1, MAX_SECONDS, keyInfo("rtoTargetSeconds")!.allowed).optional(),
    "dr:rpoTargetSeconds": wholeNumber(1, MAX_SECONDS, keyInfo("rpoTargetSeconds")!.allowed).optional(),
    "dr:enforceObjectives": trueOrFalse,
    "dr:decisionSeconds": wholeNumber(0, MAX_SECONDS, keyInfo("decisionSeconds")!.allowed).optional(),
    "dr:instanceBootSeconds": wholeNumber(1, 3600, keyInfo("instanceBootSeconds")!.allowed).optional(),
    "dr:awsEndpoint": z.string().regex(LOOPBACK_URL, { error: `must be ${keyInfo("awsEndpoint")!.allowed}` }).optional(),
});

type ParsedRaw = z.output<typeof rawSchema>;

/** A problem with one key: what is wrong and the command that fixes it. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string | undefined;
    readonly message: string;
    readonly fix: string;
}

export type ConfigResult =
    | { readonly ok: true; readonly config: DrConfig }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

function fixCommand(key: string, value: string, stack: string): string {
    return `pulumi config set ${key} ${value} -s ${stack}`;
}

/**
 * The value to suggest for a bad key: the documented example, except for dr:role, which follows from
 * the stack's region when that matches one of the two configured regions.
 */
function suggestion(key: string, raw: RawConfig): string {
    if (key === "dr:role") {
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:primaryRegion"]) return "primary";
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:drRegion"]) return "secondary";
    }
    if (key === "aws:region") {
        return "us-east-1";
    }
    return keyInfo(key)?.example ?? "<value>";
}

/** Checks between keys, on values that are each valid on their own. */
function crossKeyProblems(c: ParsedRaw, stack: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (key: string, value: string, message: string, fixValue: string, fix = fixCommand(key, fixValue, stack)) =>
        problems.push({ key, value, message, fix });

    if (c["dr:primaryRegion"] === c["dr:drRegion"]) {
        add("dr:drRegion", c["dr:drRegion"], "must differ from dr:primaryRegion: DR needs a second region", "<another-region>");
    }
    const expected = c["dr:role"] === "primary" ? "dr:primaryRegion" : "dr:drRegion";
    if (c["aws:region"] !== c[expected]) {
        add("aws:region", c["aws:region"],
            `must equal ${expected} (${c[expected]}) on a stack with dr:role ${c["dr:role"]}: each stack deploys only its own region`,
            c[expected]);
    }
    if (c["dr:failover"] && c["dr:role"] === "primary") {
        add("dr:failover", "true",
            "applies only to the dr stack (dr:role secondary), which it promotes; the prod stack always describes the primary region",
            "false");
    }
    const restoreFrom = c["dr:restoreFrom"];
    const restores = TIERS[c["dr:strategy"]].iacFailover.restoresFromBackup;
    const restoring = restores && c["dr:role"] === "secondary" && c["dr:failover"];
    if (restoring && restoreFrom === undefined) {
        add("dr:restoreFrom", "",
            "is required when a backup-restore dr stack fails over (dr:failover=true): name the recovery point to restore, " +
            `an Aurora cluster snapshot ARN in ${c["dr:drRegion"]} (aws backup list-recovery-points-by-backup-vault)`,
            "<cluster-snapshot-arn>");
    }
    if (restoreFrom !== undefined && !restores) {
        add("dr:restoreFrom", restoreFrom,
            `applies only to dr:strategy backup-restore; ${c["dr:strategy"]} promotes its live replica instead`, "",
            `pulumi config rm dr:restoreFrom -s ${stack}`);
    }
    const snapshotRegion = restoreFrom?.match(SNAPSHOT_ARN_PATTERN)?.[1];
    if (restoreFrom !== undefined && snapshotRegion !== c["dr:drRegion"]) {
        add("dr:restoreFrom", restoreFrom,
            `is in ${snapshotRegion}, not in dr:drRegion (${c["dr:drRegion"]}): restore from the copy in the dr region's vault`,
            "<cluster-snapshot-arn>");
    }
    return problems;
}

/**
 * Validates the raw config of one stack. Pure: takes the values, returns the typed config or every
 * problem at once.
 */
export function parseDrConfig(raw: RawConfig, stack: string): ConfigResult {
    const withDefaults: Record<string, string | undefined> = { "aws:region": raw["aws:region"] };
    for (const k of CONFIG_KEYS) {
        const v = raw[`dr:${k.name}`];
        // An empty value is an unset one: Pulumi.yaml's default "" marks the keys that must be set (or are optional).
        withDefaults[`dr:${k.name}`] = v === undefined || v === "" ? (k.default === "" ? undefined : k.default) : v;
    }
    const parsed = rawSchema.safeParse(withDefaults);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue): ConfigProblem => {
            const key = String(issue.path[0]);
            return { key, value: withDefaults[key], message: issue.message, fix: fixCommand(key, suggestion(key, withDefaults), stack) };
        });
        return { ok: false, problems };
    }
    const problems = crossKeyProblems(parsed.data, stack);
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const c = parsed.data;
    return {
        ok: true,
        config: {
            region: c["aws:region"],
            strategy: c["dr:strategy"],
            role: c["dr:role"],
            primaryRegion: c["dr:primaryRegion"],
            drRegion: c["dr:drRegion"],
            appName: c["dr:appName"],
            capacity: c["dr:capacity"],
            failover: c["dr:failover"],
            dnsZoneId: c["dr:dnsZoneId"],
            dnsName: c["dr:dnsName"].replace(/\.$/, ""),
            healthCheckIntervalSeconds: c["dr:healthCheckIntervalSeconds"],
            healthCheckFailureThreshold: c["dr:healthCheckFailureThreshold"],
            instanceType: c["dr:instanceType"],
            replicateObjects: c["dr:replicateObjects"],
            backupSchedule: c["dr:backupSchedule"],
            backupRetentionDays: c["dr:backupRetentionDays"],
            vaultLockMode: c["dr:vaultLockMode"],
            vaultLockChangeableForDays: c["dr:vaultLockChangeableForDays"],
            restoreFrom: c["dr:restoreFrom"],
            routingPolicy: c["dr:routingPolicy"],
            routingWeight: c["dr:routingWeight"],
            activeActiveCapacityPercent: c["dr:activeActiveCapacityPercent"],
            rtoTargetSeconds: c["dr:rtoTargetSeconds"],
            rpoTargetSeconds: c["dr:rpoTargetSeconds"],
            enforceObjectives: c["dr:enforceObjectives"],
            decisionSeconds: c["dr:decisionSeconds"],
            instanceBootSeconds: c["dr:instanceBootSeconds"],
            awsEndpoint: c["dr:awsEndpoint"],
        },
    };
}

/** One readable report of every problem, for the error `pulumi preview` prints. */
export function formatProblems(problems: readonly ConfigProblem[], stack: string): string {
    const lines = problems.map((p, i) => {
        const shown = p.value === undefined || p.value === "" ? "(not set)" : JSON.stringify(p.value);
        return `  ${i + 1}. ${p.key} = ${shown}: ${p.message}.\n     fix: ${p.fix}`;
    });
    const count = problems.length === 1 ? "1 configuration problem" : `${problems.length} configuration problems`;
    return `Stack "${stack}" has ${count}:\n${lines.join("\n")}`;
}

/** Every key the program reads, with its namespace. */
export function configKeyNames(): string[] {
    return ["aws:region", ...CONFIG_KEYS.map((k) => `dr:${k.name}`)];
}
