// Recovery objectives from the configuration the program emits: an RTO as timed steps and an RPO per data
// store, each with its source. Pure: no Pulumi, no AWS. Every constant is from docs/reference.md
// ("Recovery steps (rule of thumb)" and the services' sections); where the reference gives a range the
// model takes its upper end, as a plan that meets its targets should hold on a bad day too.
import type { DrConfig } from "./config/contract";
import { survivorInstances } from "./capacity";
import { regionSet } from "./regionSet";
import { FULL_CACHE } from "./regionPlan";
import {
    ALIAS_TTL_SECONDS, AURORA_LAG_SECONDS, DYNAMODB_LAG_SECONDS, INSTANCE_BOOT_SECONDS, MINUTE, REF, S3_RTC_SECONDS,
} from "./reference";
import { Strategy } from "./strategy";
import { backupIntervalSeconds } from "./cron";
import { DrCanary, TIERS, byTier, recoveryCanaryOf, tierPlan } from "./tiers";
import { asPrimary, asStandby } from "./stackPlan";
import { GraphStepId, Schedule, failoverGraph, schedule } from "./failoverGraph";
import {
    AutoFailover, CACHE_PROMOTION_SECONDS, CacheReplication, DETECTOR_ALARM, WARM_START_SECONDS, WarmPoolState, canaryAlarmAt, secondsToAlarm, secondsToOk,
} from "./levers";
import type { Timed } from "./tiers";

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
    /** Team-known numbers that replace the reference's and the model's assumptions. */
    readonly overrides: {
        readonly decisionSeconds?: number; readonly instanceBootSeconds?: number; readonly warmStartSeconds?: number;
        readonly cachePromotionSeconds?: number; readonly restoreSeconds?: number;
    };
    /**
     * Detection that starts the failover (dr:autoFailover): off when absent. `trigger: false`: dr:autoFailover
     * auto, but this region's Region switch plan has no trigger (only the next recovery region's has): the
     * detector pages, and a person decides.
     */
    readonly detection?: { readonly mode: AutoFailover; readonly approvalSeconds?: number; readonly trigger?: false };
    /** The dr group's warm pool, which holds every instance the standby does not run (dr:warmPool). */
    readonly warmPool?: Exclude<WarmPoolState, "off">;
    /** The dr cache is a live Global Datastore member (dr:cacheReplication): promoted, not resized. */
    readonly cacheReplication?: CacheReplication;
    /**
     * The dr canary that validates the region once traffic has moved (dr:canaries): running in standby, started
     * by the failover deploy, or none (the reference's smoke test).
     */
    readonly validation?: { readonly canary: DrCanary; readonly rateMinutes: number };
    /** Where the app writes (active-active): `aurora` by default, or `dynamodb` only (dr:activeActiveWrites). */
    readonly writes?: "aurora" | "dynamodb";
}

export interface RecoveryStep {
    readonly step: GraphStepId;
    readonly seconds: number;
    /** Why this many seconds: the arithmetic and where its numbers come from. */
    readonly source: string;
}

/** A step on the estimate's timeline: when it starts and ends after the outage, and whether it is critical. */
export interface TimedStep extends RecoveryStep {
    readonly start: number;
    readonly end: number;
    /** On the critical path: a second more here is a second more of RTO. */
    readonly critical: boolean;
    /** The steps it waits for. */
    readonly after: readonly GraphStepId[];
}

export interface DataStoreRpo {
    readonly store: "aurora" | "s3" | "dynamodb";
    readonly seconds: number;
    readonly source: string;
}

/** The time until writes to one data store work again (active-active, where the stores recover apart). */
export interface DataStoreRto {
    readonly store: "aurora" | "dynamodb";
    readonly seconds: number;
    readonly source: string;
    /** The critical path until this store takes writes again. */
    readonly path: readonly GraphStepId[];
}

export interface RecoveryEstimate {
    /**
     * The tier's RTO: the critical path of the failover graph (model/failoverGraph.ts), or where the stores
     * recover apart, the store the estimate stands for.
     */
    readonly rtoSeconds: number;
    /** Every step of the failover graph, in its order, with its place on the timeline. */
    readonly rtoSteps: readonly TimedStep[];
    /** The critical path, first step first. */
    readonly criticalPath: readonly GraphStepId[];
    /** Active-active: writes per data store; the estimate is the worst, or the one dr:activeActiveWrites names. */
    readonly rtoByStore?: readonly DataStoreRto[];
    readonly rpoSeconds: number;
    readonly rpoByStore: readonly DataStoreRpo[];
}

export { INSTANCE_BOOT_SECONDS };
/** A person declares the disaster and approves the failover: each tier's from its TierSpec. */
export const DECISION_SECONDS: Readonly<Record<Strategy, number>> = byTier((t) => t.recovery.decide.seconds);
/** "provision and warm cache (10-30 min)" (pilot light); a reduced cache is resized and warmed: the lower end. */
const CACHE_SECONDS = { none: 30 * MINUTE, reduced: 10 * MINUTE, full: 0 } as const;

/** Default targets when dr:rtoTargetSeconds / dr:rpoTargetSeconds are unset: each tier's from its TierSpec. */
export const DEFAULT_TARGETS: Readonly<Record<Strategy, { rtoSeconds: number; rpoSeconds: number }>> = byTier((t) => t.defaultTargets);

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

/** Detection, then the decision: a person noticing, a detector that pages an approver, or one that starts the failover. */
function detectAndDecide(s: RecoverySettings): { detect: Timed; decide: Timed } {
    const tier = TIERS[s.strategy].recovery;
    const mode = s.detection?.mode ?? "off";
    if (mode === "off") {
        return {
            detect: { seconds: s.healthCheckIntervalSeconds * s.healthCheckFailureThreshold, source: `Route 53 health check: ${s.healthCheckIntervalSeconds} s interval x ${s.healthCheckFailureThreshold} failures (${REF}, "Route 53")` },
            decide: s.overrides.decisionSeconds !== undefined ? { seconds: s.overrides.decisionSeconds, source: "dr:decisionSeconds" } : tier.decide,
        };
    }
    const detect = {
        seconds: secondsToAlarm(DETECTOR_ALARM),
        source: `the dr region's detector: ${DETECTOR_ALARM.datapointsToAlarm} failed runs ${DETECTOR_ALARM.period} s apart of its canary on the primary, at least (${REF}, CloudWatch alarms)`,
    };
    if (mode === "auto" && s.detection?.trigger === false) {
        const decide = s.overrides.decisionSeconds !== undefined ? { seconds: s.overrides.decisionSeconds, source: "dr:decisionSeconds" } : tier.decide;
        return {
            detect,
            decide: { seconds: decide.seconds, source: "dr:autoFailover auto starts the next recovery region's Region switch plan only: " +
                `into this region the detector pages and a person decides: ${decide.source}` },
        };
    }
    return mode === "approve"
        ? { detect, decide: { seconds: s.detection?.approvalSeconds ?? 0, source: "the detector pages the approvers; dr:approvalSeconds, the on-call's committed time to approve" } }
        : { detect, decide: { seconds: s.overrides.decisionSeconds ?? 0, source: s.overrides.decisionSeconds !== undefined ? "dr:decisionSeconds" : "dr:autoFailover auto: the detector's alarm starts the Region switch plan; nobody decides" } };
}

/** The fleet to N: started from a warm pool, or launched (stretched by the share missing). */
function scaleStep(s: RecoverySettings): Timed {
    if (s.warmPool !== undefined && s.standbyInstances < s.capacity) {
        const warm = s.overrides.warmStartSeconds;
        return {
            seconds: warm ?? WARM_START_SECONDS[s.warmPool],
            source: `${s.capacity - s.standbyInstances} pre-initialized instances start from the ${s.warmPool} warm pool: ` +
                (warm !== undefined ? "dr:warmStartSeconds" : `${WARM_START_SECONDS[s.warmPool]} s ASSUMED (AWS publishes none; measure it and set dr:warmStartSeconds)`),
        };
    }
    const boot = s.overrides.instanceBootSeconds ?? INSTANCE_BOOT_SECONDS;
    return {
        seconds: scaleSeconds(s.capacity, s.standbyInstances, boot),
        source: `${s.standbyInstances} of ${s.capacity} instances running; boot ${boot} s x (1 + 2 x share missing) (${REF}, EC2 Auto Scaling 2-5 min)`,
    };
}

/** The cache to production: a resize of the reduced one, or the Global Datastore member's promotion. */
function cacheStep(s: RecoverySettings): Timed {
    if (s.cacheReplication === "global-datastore") {
        const measured = s.overrides.cachePromotionSeconds;
        return {
            seconds: measured ?? CACHE_PROMOTION_SECONDS,
            source: measured !== undefined ? "promote the Global Datastore member: dr:cachePromotionSeconds"
                : `promote the Global Datastore member (disassociate it): ${CACHE_PROMOTION_SECONDS} s ASSUMED (AWS publishes none; dr:cachePromotionSeconds)`,
        };
    }
    return { seconds: CACHE_SECONDS[s.standbyCache], source: `${s.standbyCache} cache in standby (${REF}, provision and warm cache 10-30 min)` };
}

/** The validation once traffic has moved: the dr canary's alarm, or the reference's smoke test. */
function validateStep(s: RecoverySettings): Timed {
    const spec = TIERS[s.strategy];
    const v = s.validation;
    if (spec.bothRegionsServe || v === undefined || v.canary === "none") {
        return spec.recovery.validate;
    }
    const alarm = canaryAlarmAt(v.rateMinutes);
    return v.canary === "running"
        ? { seconds: alarm.period, source: `one passing run of the dr canary after traffic moved: rate(${v.rateMinutes} min) (dr:canaryRateMinutes)` }
        : {
            seconds: secondsToOk(alarm),
            source: `the failover deploy starts the dr canary; its alarm is OK after ${alarm.evaluationPeriods - alarm.datapointsToAlarm + 1} passing runs ` +
                `${alarm.period} s apart (dr:canaryRateMinutes)`,
        };
}

/** The model's duration of each step of the tier's failover graph, in the graph's order; the tier's own numbers come from its TierSpec. */
export function rtoSteps(s: RecoverySettings): RecoveryStep[] {
    const spec = TIERS[s.strategy];
    const tier = spec.recovery;
    const { detect, decide } = detectAndDecide(s);
    const scale = scaleStep(s);
    // The deploy's slow parts, side by side in one `pulumi up`: what the tier leaves to dr:failover=true.
    const slow: Timed[] = spec.iacFailover.slowParts.map((part) => {
        switch (part) {
            case "restore-database":
                return s.overrides.restoreSeconds !== undefined
                    ? { seconds: s.overrides.restoreSeconds, source: "restore the database: dr:restoreSeconds, measured by the restore tests" }
                    : tier.database;
            case "create-cache":
                return s.standbyCache === "none"
                    ? { seconds: CACHE_SECONDS.none, source: `create the cache the standby does not have (${REF}, provision and warm cache 10-30 min)` }
                    : { seconds: 0, source: "the cache stands by" };
            case "launch-fleet":
                return { seconds: scale.seconds, source: `launch the fleet: ${scale.source}` };
        }
    });
    const longest = slow.reduce((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0, source: "" });
    const timed: Record<GraphStepId, Timed> = {
        "detect": detect,
        "decide": decide,
        "readiness": { seconds: 0, source: "a few reads in the dr region: seconds, not modelled" },
        "promote-database": tier.database,
        "scale-compute": scale,
        "warm-cache": cacheStep(s),
        "shift-traffic": { seconds: s.dnsTtlSeconds, source: `the fence takes the old primary's record out and health-checked records move by themselves; resolvers hold the answer for the ${s.dnsTtlSeconds} s TTL (${REF}, "Route 53")` },
        "reconcile-iac": slow.length === 0
            ? { seconds: 0, source: "converges on what the steps did: nothing slow left (not timed)" }
            : { seconds: longest.seconds, source: `the longest of what the deploy does side by side: ${slow.map((x) => `${x.seconds} s ${x.source}`).join("; ")}` },
        "smoke-check": validateStep(s),
    };
    return failoverGraph(spec).map(({ id }) => ({ step: id, ...timed[id] }));
}

/** The RPO of each data store the tier keeps in the other region. */
export function rpoByStore(s: RecoverySettings): DataStoreRpo[] {
    const backups = `the newest copied backup is up to one backup interval old: ${s.backupIntervalSeconds} s (dr:backupSchedule)`;
    const stores: DataStoreRpo[] = [
        TIERS[s.strategy].recovery.auroraRpo === "backups"
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

/** The steps on the failover graph's timeline (model/failoverGraph.ts), with the seconds each takes. */
function timeline(s: RecoverySettings, steps: readonly RecoveryStep[]): { readonly schedule: Schedule; readonly steps: TimedStep[] } {
    const graph = failoverGraph(TIERS[s.strategy]);
    const seconds = new Map(steps.map((x) => [x.step, x.seconds]));
    const sched = schedule(graph, (id) => seconds.get(id) ?? 0);
    return {
        schedule: sched,
        steps: steps.map((x, i) => ({ ...x, start: sched.steps[i].start, end: sched.steps[i].end, critical: sched.steps[i].critical, after: graph[i].after })),
    };
}

/**
 * Where the tier has multi-active writes (active-active's DynamoDB global table), the time until each store
 * takes writes again: the global table once traffic has left the lost region (the graph with nothing to
 * promote), Aurora after the promotion too (the whole graph).
 */
export function rtoByStore(s: RecoverySettings, steps: readonly RecoveryStep[]): DataStoreRto[] | undefined {
    const multi = TIERS[s.strategy].multiActiveWrites;
    if (!multi || !s.globalTable) {
        return undefined;
    }
    const all = timeline(s, steps).schedule;
    // Route 53's checks take the lost region out of DNS by themselves: nobody detects, decides or promotes for it.
    const byDns: Readonly<Record<string, number>> = {
        "detect": s.healthCheckIntervalSeconds * s.healthCheckFailureThreshold, "decide": 0, "promote-database": 0,
    };
    const withoutPromotion = timeline(s, steps.map((x) => (x.step in byDns ? { ...x, seconds: byDns[x.step] } : x))).schedule;
    return [
        {
            store: multi.store, seconds: withoutPromotion.total, path: withoutPromotion.path.filter((id) => !(id in byDns) || byDns[id] > 0),
            source: "multi-active: writes work again once Route 53's checks have taken the lost region out (nobody decides, nothing is promoted)",
        },
        { store: "aurora", seconds: all.total, path: all.path, source: `the dr secondary forwarded its writes to the lost writer: they wait for the promotion (${REF}, Aurora write forwarding)` },
    ];
}

export function estimateRecovery(s: RecoverySettings): RecoveryEstimate {
    const durations = rtoSteps(s);
    const { schedule: sched, steps } = timeline(s, durations);
    const byStore = rtoByStore(s, durations);
    const rpo = rpoByStore(s);
    const counted = byStore === undefined ? undefined
        : s.writes === "dynamodb" ? byStore.filter((x) => x.store === "dynamodb") : byStore;
    const worst = counted?.reduce((a, b) => (b.seconds >= a.seconds ? b : a));
    return {
        rtoSeconds: worst ? worst.seconds : sched.total,
        // Where one store stands for the estimate, its path is the critical one (the steps keep the whole failover's timeline).
        rtoSteps: worst ? steps.map((x) => ({ ...x, critical: worst.path.includes(x.step) })) : steps,
        criticalPath: worst ? worst.path : sched.path,
        ...(byStore ? { rtoByStore: byStore } : {}),
        rpoSeconds: Math.max(...rpo.map((x) => x.seconds)),
        rpoByStore: rpo,
    };
}

/** A readable breakdown for an error or warning: the steps, then what would move the estimate. */
export function formatEstimate(e: RecoveryEstimate, targets: { rtoSeconds: number; rpoSeconds: number }): string {
    const lines = [
        `estimated RTO ${e.rtoSeconds} s (target ${targets.rtoSeconds} s), the critical path: ${e.criticalPath.join(" -> ")}`,
        "  step              seconds   from -> to      (* on the critical path; steps off it run beside it)",
    ];
    for (const step of e.rtoSteps) {
        const span = `${step.start}-${step.end}`.padEnd(13);
        lines.push(`  ${step.critical ? "*" : " "} ${step.step.padEnd(16)} ${String(step.seconds).padStart(6)} s  ${span}  ${step.source}`);
    }
    if (e.rtoByStore) {
        lines.push("  writes work again, per data store:");
        for (const store of e.rtoByStore) {
            lines.push(`    ${store.store.padEnd(15)} ${String(store.seconds).padStart(6)} s  ${store.source}`);
        }
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
        const biggest = e.rtoSteps.filter((x) => x.critical).sort((a, b) => b.seconds - a.seconds).slice(0, 3).map((x) => x.step);
        out.push(`RTO: the largest steps on the critical path are ${biggest.join(", ")}. A faster tier (dr:strategy), a larger standby fleet, ` +
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

/**
 * The settings that decide RTO and RPO, read off the plans both stacks of the pair emit: prod's (what
 * replicates) and the dr stack's standby (what is already running there). Both stacks compute the same
 * pair, so prod and dr report the same estimate. It is the failover into the set's next recovery region, or, on a
 * further recovery region's stack, into that region.
 */
export function recoverySettings(cfg: DrConfig): RecoverySettings {
    // A recovery region's stack estimates the failover into itself (in a set of three or more, the second recovery
    // region's dr2 its own); the prod stack, the failover into the next recovery region. For a pair's dr stack both are one.
    return recoverySettingsInto(asPrimary(cfg), cfg.role === "secondary" ? { ...cfg, failover: false } : asStandby(cfg));
}

/**
 * The settings of a failover into one recovery region of the set: `primary`, the primary's stack config (what
 * replicates and is copied to the target), and `target`, the recovery region's own stack config (what stands by
 * there, its detector, its canary and the keys of its failover). Only the next recovery region's Region switch
 * plan carries dr:autoFailover auto's trigger (model/stackOperations.ts): into another recovery region the
 * detector pages, and a person decides. For the pair (recoverySettings) the target is the next recovery region.
 */
export function recoverySettingsInto(primary: DrConfig, target: DrConfig): RecoverySettings {
    const primaryPlan = tierPlan({ ...primary, failover: false });
    const standby = tierPlan({ ...target, failover: false });
    const triggered = target.region === regionSet(target).next;
    return {
        strategy: target.strategy,
        // What the recovering region must run: the whole of N, or of an active-active set what a survivor carries.
        capacity: TIERS[target.strategy].bothRegionsServe ? survivorInstances(target.capacity, regionSet(target).regions.length, target.routingPolicy) : target.capacity,
        standbyInstances: standby.app?.capacity.desired ?? 0,
        standbyCache: !standby.cache ? "none" : standby.cache.nodes >= FULL_CACHE.nodes ? "full" : "reduced",
        healthCheckIntervalSeconds: target.healthCheckIntervalSeconds,
        healthCheckFailureThreshold: target.healthCheckFailureThreshold,
        dnsTtlSeconds: ALIAS_TTL_SECONDS,
        backupIntervalSeconds: backupIntervalSeconds(target.backupSchedule),
        objectsReplicated: primaryPlan.objects?.replicateTo.includes(target.region) ?? false,
        globalTable: primaryPlan.globalTable?.replicaRegions.includes(target.region) ?? false,
        overrides: {
            decisionSeconds: target.decisionSeconds, instanceBootSeconds: target.instanceBootSeconds, warmStartSeconds: target.warmStartSeconds,
            cachePromotionSeconds: target.cachePromotionSeconds, restoreSeconds: target.restoreSeconds,
        },
        writes: target.activeActiveWrites,
        detection: { mode: target.autoFailover, approvalSeconds: target.approvalSeconds, ...(triggered ? {} : { trigger: false }) },
        warmPool: standby.app?.warmPool?.state,
        cacheReplication: standby.cache?.global !== undefined ? "global-datastore" : "none",
        validation: {
            canary: recoveryCanaryOf(target),
            rateMinutes: target.canaryRateMinutes,
        },
    };
}

export interface ObjectivesAssessment {
    readonly estimate: RecoveryEstimate;
    readonly targets: { readonly rtoSeconds: number; readonly rpoSeconds: number };
    readonly met: boolean;
    /** The breakdown and, when a target is missed, what to change. */
    readonly report: string;
}

/** The pair's estimate against its targets (the configured ones, or the tier's defaults). */
export function assessObjectives(cfg: DrConfig): ObjectivesAssessment {
    return assessed(recoverySettings(cfg), cfg);
}

/**
 * A failover into one recovery region of the set (recoverySettingsInto), against the targets its own stack
 * config sets: the estimate a region set's plan prints per target region.
 */
export function assessObjectivesInto(primary: DrConfig, target: DrConfig): ObjectivesAssessment {
    return assessed(recoverySettingsInto(primary, target), target);
}

function assessed(settings: RecoverySettings, cfg: DrConfig): ObjectivesAssessment {
    const estimate = estimateRecovery(settings);
    const tier = TIERS[cfg.strategy];
    const defaults = tier.defaultTargets;
    const defaultRto = tier.multiActiveWrites && cfg.activeActiveWrites === tier.multiActiveWrites.store
        ? tier.multiActiveWrites.defaultRtoTargetSeconds : defaults.rtoSeconds;
    const targets = {
        rtoSeconds: cfg.rtoTargetSeconds ?? defaultRto,
        rpoSeconds: cfg.rpoTargetSeconds ?? defaults.rpoSeconds,
    };
    const met = estimate.rtoSeconds <= targets.rtoSeconds && estimate.rpoSeconds <= targets.rpoSeconds;
    const report = [formatEstimate(estimate, targets), ...remedies(estimate, targets)].join("\n");
    return { estimate, targets, met, report };
}
