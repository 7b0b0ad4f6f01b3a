// Recovery objectives from the configuration the program emits: an RTO as timed steps and an RPO per data
// store, each with its source. Pure: no Pulumi, no AWS. Every constant is from ../shared/DR-REFERENCE.md
// ("Failover procedures and their usual durations", "AWS numbers"); where the reference gives a range the
// model takes its upper end, as a plan that meets its targets should hold on a bad day too.
import { Strategy } from "./config";

/** The settings of a DR pair that decide its RTO and RPO. */
export interface RecoverySettings {
    readonly strategy: Strategy;
    /** N: app instances at full production capacity. */
    readonly capacity: number;
    /** App instances already running in the DR region before a failover (0 for pilot light). */
    readonly standbyInstances: number;
    /** The DR region's cache before a failover. */
    readonly standbyCache: "none" | "reduced" | "full";
    readonly healthCheckIntervalSeconds: number;
    readonly healthCheckFailureThreshold: number;
    /** What resolvers cache the record for: an alias to an ALB takes the ELB's 60 s. */
    readonly dnsTtlSeconds: number;
    /** Gap between scheduled backups (from dr:backupSchedule). */
    readonly backupIntervalSeconds: number;
    /** Objects replicate to the DR region with Replication Time Control. */
    readonly objectsReplicated: boolean;
    /** Data in a DynamoDB global table (active-active). */
    readonly globalTable: boolean;
    /** Team-known numbers that replace the reference's. */
    readonly overrides: { readonly decisionSeconds?: number; readonly instanceBootSeconds?: number };
}

export interface RecoveryStep {
    readonly step: "detect" | "decide" | "provision" | "promote-database" | "scale-compute" | "warm-cache" | "shift-traffic" | "validate";
    readonly seconds: number;
    /** Why this many seconds: the arithmetic and where its numbers come from. */
    readonly source: string;
}

export interface DataStoreRpo {
    readonly store: "aurora" | "s3" | "dynamodb";
    readonly seconds: number;
    readonly source: string;
}

export interface RecoveryEstimate {
    readonly rtoSeconds: number;
    readonly rtoSteps: readonly RecoveryStep[];
    readonly rpoSeconds: number;
    readonly rpoByStore: readonly DataStoreRpo[];
}

const REF = "DR-REFERENCE.md";
const MIN = 60;
const HOUR = 3600;

/** A person declares the disaster and approves the failover; active-active needs no one. */
export const DECISION_SECONDS: Readonly<Record<Strategy, number>> = {
    "backup-restore": 30 * MIN, // "declare (15-30 min)"
    "pilot-light": 30 * MIN, // "declare (15-30 min)"
    "warm-standby": 15 * MIN, // "declare or automatic health-check trigger (0-15 min)"
    "active-active": 0, // "health check detects ... global routing stops sending to the failed region"
};
/** A new instance in service: "usually within 2-5 min (boot + health-check grace)". */
export const INSTANCE_BOOT_SECONDS = 5 * MIN;
/** Aurora global database: "Switchover ... and failover ... take minutes"; per tier from the procedures. */
const PROMOTE_SECONDS = { "pilot-light": 15 * MIN, "warm-standby": 5 * MIN } as const;
/** Backup & restore: "provision infra from IaC (30-60 min)", "restore DB ... (1-4 h)", "deploy app (15-30 min)". */
const PROVISION_SECONDS = 60 * MIN + 30 * MIN;
const RESTORE_SECONDS = 4 * HOUR;
/** Pilot light: "provision and warm cache (10-30 min)"; a reduced cache is resized and warmed: the lower end. */
const CACHE_SECONDS = { none: 30 * MIN, reduced: 10 * MIN, full: 0 } as const;
/** Smoke test: backup & restore 15-30 min, pilot light 10-15 min, warm standby 5-10 min. */
const VALIDATE_SECONDS: Readonly<Record<Strategy, number>> = {
    "backup-restore": 30 * MIN, "pilot-light": 15 * MIN, "warm-standby": 10 * MIN, "active-active": 0,
};
/** Aurora global database lag "typically under 1 s". */
const AURORA_LAG_SECONDS = 1;
/** S3 RTC: "99.99 % of objects within 15 min (SLA)". */
const S3_RTC_SECONDS = 15 * MIN;
/** DynamoDB global tables: "replication usually within a second". */
const DYNAMODB_LAG_SECONDS = 1;

/** Default targets when dr:rtoTargetSeconds / dr:rpoTargetSeconds are unset: the top of the tier's typical range. */
export const DEFAULT_TARGETS: Readonly<Record<Strategy, { rtoSeconds: number; rpoSeconds: number }>> = {
    "backup-restore": { rtoSeconds: 24 * HOUR, rpoSeconds: 24 * HOUR }, // 12-24 h / 1-24 h
    "pilot-light": { rtoSeconds: 4 * HOUR, rpoSeconds: HOUR }, // 1-4 h / minutes-1 h
    // seconds-minutes / near zero for the databases; S3's RTC promise (15 min) bounds the objects
    "warm-standby": { rtoSeconds: HOUR, rpoSeconds: S3_RTC_SECONDS },
    "active-active": { rtoSeconds: 90, rpoSeconds: S3_RTC_SECONDS }, // 30-90 s
};

/**
 * Scaling from the standby fleet to N: none when the fleet is already N; otherwise one instance boot for
 * instances launched in parallel, stretched toward three boots by the share of capacity missing (launching
 * the whole fleet at once is where capacity runs short and targets queue to register), which spans the
 * reference's "scale ASG min 0 to N (5-15 min)" at the default boot time.
 */
export function scaleSeconds(capacity: number, standbyInstances: number, bootSeconds: number): number {
    const missing = Math.max(0, capacity - standbyInstances) / capacity;
    return missing === 0 ? 0 : Math.round(bootSeconds * (1 + 2 * missing));
}

/** The RTO as timed steps, in the order a failover runs them. */
export function rtoSteps(s: RecoverySettings): RecoveryStep[] {
    const decide = s.overrides.decisionSeconds ?? DECISION_SECONDS[s.strategy];
    const boot = s.overrides.instanceBootSeconds ?? INSTANCE_BOOT_SECONDS;
    const detect = s.healthCheckIntervalSeconds * s.healthCheckFailureThreshold;
    const steps: RecoveryStep[] = [
        { step: "detect", seconds: detect, source: `Route 53 health check: ${s.healthCheckIntervalSeconds} s interval x ${s.healthCheckFailureThreshold} failures (${REF}, AWS numbers)` },
        { step: "decide", seconds: decide, source: s.overrides.decisionSeconds !== undefined ? "dr:decisionSeconds" : `declare the disaster, a person approves (${REF}, ${s.strategy} procedure)` },
    ];
    if (s.strategy === "backup-restore") {
        steps.push(
            { step: "provision", seconds: PROVISION_SECONDS, source: `provision infra from IaC 30-60 min + deploy app 15-30 min (${REF}, backup & restore)` },
            { step: "promote-database", seconds: RESTORE_SECONDS, source: `restore the database from the newest copied backup, 1-4 h by size (${REF})` },
        );
    } else if (s.strategy === "active-active") {
        steps.push({ step: "promote-database", seconds: 0, source: "both regions serve: the DynamoDB global table is multi-active; Aurora writes are forwarded" });
    } else {
        steps.push({ step: "promote-database", seconds: PROMOTE_SECONDS[s.strategy], source: `promote the Aurora secondary (${REF}, ${s.strategy} procedure)` });
    }
    const scale = s.strategy === "backup-restore" ? 0 : scaleSeconds(s.capacity, s.standbyInstances, boot);
    steps.push({
        step: "scale-compute", seconds: scale,
        source: s.strategy === "backup-restore" ? "part of provisioning"
            : `${s.standbyInstances} of ${s.capacity} instances running; boot ${boot} s x (1 + 2 x share missing) (${REF}, EC2 Auto Scaling 2-5 min)`,
    });
    const cache = s.strategy === "backup-restore" ? 0 : CACHE_SECONDS[s.standbyCache];
    steps.push({ step: "warm-cache", seconds: cache, source: s.strategy === "backup-restore" ? "part of provisioning" : `${s.standbyCache} cache in standby (${REF}, provision and warm cache 10-30 min)` });
    steps.push({ step: "shift-traffic", seconds: s.dnsTtlSeconds, source: `health-checked records move by themselves; resolvers hold the answer for the ${s.dnsTtlSeconds} s TTL (${REF}, AWS numbers)` });
    steps.push({ step: "validate", seconds: VALIDATE_SECONDS[s.strategy], source: `smoke test (${REF}, ${s.strategy} procedure)` });
    return steps;
}

/** The RPO of each data store the tier keeps in the other region. */
export function rpoByStore(s: RecoverySettings): DataStoreRpo[] {
    const backups = `the newest copied backup is up to one backup interval old: ${s.backupIntervalSeconds} s (dr:backupSchedule)`;
    const stores: DataStoreRpo[] = [
        s.strategy === "backup-restore"
            ? { store: "aurora", seconds: s.backupIntervalSeconds, source: backups }
            : { store: "aurora", seconds: AURORA_LAG_SECONDS, source: `Aurora global database lag, typically under 1 s (${REF}); 0 for a planned switchover` },
        s.objectsReplicated
            ? { store: "s3", seconds: S3_RTC_SECONDS, source: `S3 Replication Time Control: 99.99 % of objects within 15 min (${REF})` }
            : { store: "s3", seconds: s.backupIntervalSeconds, source: backups },
    ];
    if (s.globalTable) {
        stores.push({ store: "dynamodb", seconds: DYNAMODB_LAG_SECONDS, source: `DynamoDB global table replication, usually within a second (${REF})` });
    }
    return stores;
}

export function estimateRecovery(s: RecoverySettings): RecoveryEstimate {
    const rtoStepsList = rtoSteps(s);
    const rpo = rpoByStore(s);
    return {
        rtoSeconds: rtoStepsList.reduce((sum, x) => sum + x.seconds, 0),
        rtoSteps: rtoStepsList,
        rpoSeconds: Math.max(...rpo.map((x) => x.seconds)),
        rpoByStore: rpo,
    };
}

/**
 * The longest gap between two runs of an AWS Backup cron expression, cron(min hour day-of-month month
 * day-of-week year). The hour field decides it (`*`, `* /k`, a list or a single hour); a restricted day
 * field makes it weekly at best, which the model takes as the conservative gap.
 */
export function backupIntervalSeconds(cron: string): number {
    const fields = cron.replace(/^cron\(|\)$/g, "").trim().split(/\s+/);
    const [, hour, dayOfMonth, , dayOfWeek] = fields;
    const everyDay = (dayOfMonth === "*" || dayOfMonth === "?") && (dayOfWeek === "*" || dayOfWeek === "?");
    if (!everyDay) {
        return 7 * 24 * HOUR;
    }
    if (hour === "*") {
        return HOUR;
    }
    const step = hour.match(/^(?:\*|\d+)\/(\d+)$/);
    if (step) {
        return Number(step[1]) * HOUR;
    }
    const hours = hour.split(",").map((h) => Number(h.split("-")[0])).filter((h) => !Number.isNaN(h)).sort((a, b) => a - b);
    if (hour.includes("-") || hours.length === 0) {
        return HOUR; // a range of hours runs hourly within it; the gap around it is not modelled
    }
    const gaps = hours.map((h, i) => ((i + 1 < hours.length ? hours[i + 1] : hours[0] + 24) - h));
    return Math.max(...gaps) * HOUR;
}

/** A readable breakdown for an error or warning: the steps, then what would move the estimate. */
export function formatEstimate(e: RecoveryEstimate, targets: { rtoSeconds: number; rpoSeconds: number }): string {
    const lines = [`estimated RTO ${e.rtoSeconds} s (target ${targets.rtoSeconds} s):`];
    for (const step of e.rtoSteps) {
        lines.push(`  ${step.step.padEnd(17)} ${String(step.seconds).padStart(6)} s  ${step.source}`);
    }
    lines.push(`estimated RPO ${e.rpoSeconds} s (target ${targets.rpoSeconds} s):`);
    for (const store of e.rpoByStore) {
        lines.push(`  ${store.store.padEnd(17)} ${String(store.seconds).padStart(6)} s  ${store.source}`);
    }
    return lines.join("\n");
}

/** What a team can change when an estimate misses its target, from the steps that weigh most. */
export function remedies(e: RecoveryEstimate, targets: { rtoSeconds: number; rpoSeconds: number }): string[] {
    const out: string[] = [];
    if (e.rtoSeconds > targets.rtoSeconds) {
        const biggest = [...e.rtoSteps].sort((a, b) => b.seconds - a.seconds).slice(0, 3).map((x) => x.step);
        out.push(`RTO: the largest steps are ${biggest.join(", ")}. A faster tier (dr:strategy), a larger standby fleet, ` +
            "a shorter health-check interval or threshold, or your own measured dr:decisionSeconds / dr:instanceBootSeconds " +
            "bring it down; or set dr:rtoTargetSeconds to what the business accepts.");
    }
    if (e.rpoSeconds > targets.rpoSeconds) {
        const worst = e.rpoByStore.filter((x) => x.seconds > targets.rpoSeconds).map((x) => x.store);
        out.push(`RPO: ${worst.join(", ")} exceed the target. More frequent backups (dr:backupSchedule), a replicating tier ` +
            "(pilot-light or above), or dr:rpoTargetSeconds set to what the business accepts.");
    }
    return out;
}
