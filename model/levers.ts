// The levers that make a tier recover faster, as pure decisions: detection that starts the failover, EC2 Auto
// Scaling warm pools, an ElastiCache Global Datastore, an Aurora Serverless v2 standby, and the canary's
// schedule. Each number names its source, or is an assumption with the key that overrides it. Their prices
// are in model/cost.ts, their effect on the RTO in model/objectives.ts.
import { CANARY_ALARM } from "./canary";
import { MINUTE } from "./reference";

export const AUTO_FAILOVER_MODES = ["off", "approve", "auto"] as const;
export type AutoFailover = (typeof AUTO_FAILOVER_MODES)[number];
export const WARM_POOL_STATES = ["off", "stopped", "hibernated", "running"] as const;
export type WarmPoolState = (typeof WARM_POOL_STATES)[number];
export const CACHE_REPLICATION = ["none", "global-datastore"] as const;
export type CacheReplication = (typeof CACHE_REPLICATION)[number];
export const STANDBY_DATABASES = ["provisioned", "serverless"] as const;
export type StandbyDatabase = (typeof STANDBY_DATABASES)[number];

/**
 * The detector: a canary in the dr region on the primary region's own endpoint, and an alarm on it in the dr
 * region. Route 53 publishes its health checks' metrics in us-east-1 only (Route 53 Developer Guide,
 * "Monitoring health checks using CloudWatch"), which is the region that may be lost; the dr region's own
 * view of the primary needs nothing there. One run a minute (the shortest Synthetics schedule: CreateCanary,
 * Schedule.Expression); two failed runs of three alarm, so one lost request does not start a failover.
 */
export const DETECTOR_RATE_MINUTES = 1;
export const DETECTOR_ALARM = {
    statistic: "Average",
    period: DETECTOR_RATE_MINUTES * MINUTE,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 90,
    comparisonOperator: "LessThanThreshold",
    // A detector that stopped running sees nothing: that is an outage of the detector, not of the primary,
    // and it must not start a failover. CloudWatch keeps the alarm in its state while data is missing.
    treatMissingData: "missing",
} as const;

/**
 * At least the periods an alarm needs to change state: `datapointsToAlarm` failed periods to go into ALARM
 * (CloudWatch User Guide, "Evaluating an alarm"). The failing run may come up to a period after the outage,
 * which the model does not count: "at least".
 */
export function secondsToAlarm(alarm: { readonly period: number; readonly datapointsToAlarm: number }): number {
    return alarm.period * alarm.datapointsToAlarm;
}

/**
 * Periods until an alarm that is in ALARM is OK again: the evaluation window must hold fewer than
 * `datapointsToAlarm` breaching points, so `evaluationPeriods - datapointsToAlarm + 1` good ones in a row.
 */
export function secondsToOk(alarm: { readonly period: number; readonly evaluationPeriods: number; readonly datapointsToAlarm: number }): number {
    return alarm.period * (alarm.evaluationPeriods - alarm.datapointsToAlarm + 1);
}

/** The region canary's alarm at a schedule of `rateMinutes` (model/canary.ts's alarm, one run per period). */
export function canaryAlarmAt(rateMinutes: number): typeof CANARY_ALARM & { readonly period: number } {
    return { ...CANARY_ALARM, period: rateMinutes * MINUTE };
}

/**
 * Warm start: a pooled instance moving into service. AWS publishes no duration (EC2 Auto Scaling User Guide,
 * "Warm pools for Amazon EC2 Auto Scaling"): these are ASSUMPTIONS, overridden by `dr:warmStartSeconds`
 * with the team's measured figure. A running instance only registers and passes the target group's checks
 * (2 healthy checks 10 s apart, components/appTier.ts); a hibernated one resumes its memory first; a stopped
 * one boots its OS and starts the app again (its user data ran when it was pre-initialized).
 */
export const WARM_START_SECONDS: Readonly<Record<Exclude<WarmPoolState, "off">, number>> = {
    running: 60,
    hibernated: 120,
    stopped: 180,
};

/**
 * Instance families that can hibernate (EC2 User Guide, "Prerequisites for EC2 instance hibernation",
 * supported instance families); metal sizes cannot. A warm pool of hibernated instances needs one.
 */
export const HIBERNATING_FAMILIES: ReadonlySet<string> = new Set([
    "c3", "c4", "c5", "c5d", "c6a", "c6g", "c6gd", "c6gn", "c6i", "c6id", "c6in", "c7a", "c7g", "c7gd", "c7i", "c7i-flex",
    "i3", "i3en", "i4i",
    "m3", "m4", "m5", "m5a", "m5ad", "m5d", "m6a", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7a", "m7g", "m7gd", "m7i", "m7i-flex",
    "r3", "r4", "r5", "r5a", "r5ad", "r5d", "r6a", "r6g", "r6gd", "r6i", "r6id", "r6idn", "r6in", "r7a", "r7g", "r7gd", "r7i", "r7iz",
    "t2", "t3", "t3a", "t4g",
]);

/** The root volume of an app instance, GiB: Amazon Linux 2023's image (an ASSUMPTION for your own image). */
export const ROOT_VOLUME_GIB = 8;

/** Memory of the instance types the program sizes a hibernation volume for, GiB (EC2 instance type specifications). */
export const INSTANCE_MEMORY_GIB: Readonly<Record<string, number>> = {
    "t3.micro": 1, "t3.small": 2, "t3.medium": 4, "t3.large": 8, "t3.xlarge": 16,
    "m6i.large": 8, "m6i.xlarge": 16, "m7g.large": 8, "m7g.xlarge": 16, "c6i.large": 4, "c6i.xlarge": 8, "r6i.large": 16,
};

/**
 * The root volume of an instance that hibernates: the image's root plus room for its memory, which
 * hibernation writes there (EC2 User Guide, hibernation prerequisites: the root volume must hold the RAM).
 */
export function hibernationVolumeGib(instanceType: string): number | undefined {
    const memory = INSTANCE_MEMORY_GIB[instanceType];
    return memory === undefined ? undefined : ROOT_VOLUME_GIB + memory;
}

/** Why an instance type cannot be kept hibernated, or undefined where it can. */
export function hibernationProblem(instanceType: string): string | undefined {
    const [family, size] = instanceType.split(".");
    if (!HIBERNATING_FAMILIES.has(family)) {
        return `${instanceType}'s family ${family} cannot hibernate (EC2 User Guide, "Prerequisites for EC2 instance hibernation")`;
    }
    if (size === undefined || size.includes("metal")) {
        return `${instanceType} is a bare-metal size, which cannot hibernate`;
    }
    if (hibernationVolumeGib(instanceType) === undefined) {
        return `the program does not know ${instanceType}'s memory, which sizes the volume hibernation writes it to: add it to INSTANCE_MEMORY_GIB in model/levers.ts`;
    }
    return undefined;
}

/**
 * A pool that holds every instance the standby does not run: the group's maximum is N, and the pool is
 * prepared up to it, so a failover starts instances instead of launching them ("pre-initialized up to N").
 */
export interface WarmPoolPlan {
    readonly state: Exclude<WarmPoolState, "off">;
    /** Instances kept in the pool: N minus what the standby runs. */
    readonly minSize: number;
    /** The group's prepared capacity, pool and group together: N. */
    readonly maxGroupPreparedCapacity: number;
    /** Instances that scale in go back to the pool (failback's scale-down keeps them warm). */
    readonly reuseOnScaleIn: boolean;
}

export function warmPoolPlan(state: WarmPoolState, n: number, standbyInstances: number): WarmPoolPlan | undefined {
    if (state === "off" || standbyInstances >= n) {
        return undefined;
    }
    return { state, minSize: n - standbyInstances, maxGroupPreparedCapacity: n, reuseOnScaleIn: true };
}

/**
 * Promoting the dr member of a Global Datastore when the primary region is gone: disassociating it
 * (DisassociateGlobalReplicationGroup) makes it a standalone cluster that takes writes (ElastiCache User
 * Guide, "Replication across AWS Regions using global datastores"). AWS publishes no duration; about a minute
 * is a workshop's figure. ASSUMPTION: 5 minutes, overridden by `dr:cachePromotionSeconds`.
 */
export const CACHE_PROMOTION_SECONDS = 5 * MINUTE;

/**
 * Aurora Serverless v2 capacity of the dr cluster. Standing by, it may scale down to 0.5 ACU, the minimum
 * (Aurora User Guide, "Setting the Aurora Serverless v2 capacity range for a cluster"); AWS advises a higher
 * minimum for a writer. Promoted (`dr:failover=true`), its minimum is the serving capacity of the
 * provisioned class it replaces: db.r6g.large has 16 GiB, and one ACU is about 2 GiB ("How Aurora Serverless
 * v2 works"), so 8 ACU; the maximum leaves room for twice that.
 */
export const SERVERLESS_STANDBY = { minCapacity: 0.5, maxCapacity: 16 } as const;
export const SERVERLESS_SERVING = { minCapacity: 8, maxCapacity: 16 } as const;
/** The instance class of an Aurora Serverless v2 instance. */
export const SERVERLESS_INSTANCE_CLASS = "db.serverless";
