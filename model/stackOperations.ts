// What proves and runs the recovery, decided per stack with what each part acts on: the region's canary, the
// detector, the restore tests and the Region switch plan. Pure: the wiring (wiring/operations.ts) creates what
// these say, and reads the names here rather than deriving them again.
import { CanaryNames, canaryNames, detectorNames } from "./canary";
import type { DrConfig } from "./config/contract";
import { fenceOf } from "./fence";
import { regionNames } from "./naming";
import type { CacheSize, OperationsPlan, RegionPlan } from "./regionPlan";
import type { RestoreTestedStore } from "./restoreTests";
import type { TierSpec } from "./tiers/tierSpec";
import { regionSet } from "./regionSet";

/**
 * A value of the primary region the dr stack needs: read by name, in the primary region, through the stack's one
 * read provider (normal times); or, with dr:failover=true, a placeholder in its place, since nothing may be read
 * from the lost region.
 */
export type PrimaryValue = { readonly read: string } | { readonly placeholder: string };

function fromPrimary(cfg: DrConfig, name: string, placeholder: string): PrimaryValue {
    return cfg.failover ? { placeholder } : { read: name };
}

/** The region's canary on its own endpoint (its ALB, with the app's name as Host). */
export interface CanaryProbe {
    readonly names: CanaryNames;
    /** Where the region serves or stands warm (OperationsPlan.canary); elsewhere its role only stands by. */
    readonly running: boolean;
}

/** The detector: the dr region's canary on the primary's ALB, and its alarm (model/levers.ts). */
export interface DetectorProbe {
    readonly names: CanaryNames;
    /** The region watched: the primary, whose record this region fences. */
    readonly watched: string;
    /** The watched region's ALB DNS name: read from it by the ALB's name, or a placeholder once it is lost. */
    readonly target: PrimaryValue;
    /** It watches in normal times; promoted, there is nothing left to watch (its role stays). */
    readonly running: boolean;
    /** Its alarm starts the Region switch plan (dr:autoFailover auto); otherwise it pages the approvers. */
    readonly starts: boolean;
}

/** What the dr stack's Region switch plan acts on, by name; the wiring resolves the names to ARNs. */
export interface RegionSwitchTargetNames {
    /** The region whose record the dr region fences: the primary. */
    readonly fencedRegion: string;
    /** The primary's Auto Scaling group for the EC2 block, which needs it by ARN: an id only AWS knows. */
    readonly primaryAsg: PrimaryValue;
    /** The Aurora block, over both members of the global database: where this region has a database. */
    readonly aurora: boolean;
    /** The cache block (a failover step `warm-cache`): the size a failover gives the cache, and the datastore it leaves. */
    readonly warmCache?: { readonly target: CacheSize; readonly globalDatastoreId?: string };
    /** The application's health, associated with the plan: alarm names, each with the region that holds it. */
    readonly healthAlarms: readonly { readonly name: string; readonly region: string }[];
    /** dr:autoFailover auto, in normal times: the trigger's alarms, the detector's and the fence's. */
    readonly autoTrigger?: { readonly detector: string; readonly fence: string };
    /** dr:failover=true: the plan is kept as it is (a plan is edited through a control plane in us-east-1). */
    readonly frozen: boolean;
}

/**
 * The operations a stack runs beside its tier's plan. A canary goes where the region serves or stands warm
 * (instances running in standby: warm standby's fleet), so a standby that has nothing to serve is not probed.
 */
export function operationsOf(cfg: DrConfig, plan: RegionPlan): OperationsPlan {
    const warm = plan.serving || (plan.app?.capacity.desired ?? 0) > 0;
    return {
        regionSwitch: cfg.regionSwitch && cfg.role === "secondary",
        canary: cfg.canaries && plan.app !== undefined && warm,
        restoreTests: cfg.restoreTests && cfg.role === "secondary",
        canaryRateMinutes: cfg.canaryRateMinutes,
        ...(cfg.autoFailover !== "off" && cfg.role === "secondary" ? { detector: { starts: cfg.autoFailover === "auto" } } : {}),
    };
}

/**
 * The canary wherever there is an app tier (dr:canaries): its role stands by even where it does not run, so the
 * failover deploy that starts it creates no IAM.
 */
export function canaryProbe(cfg: DrConfig, plan: RegionPlan, operations: OperationsPlan): CanaryProbe | undefined {
    return plan.app && cfg.canaries ? { names: canaryNames(cfg.appName, cfg.region), running: operations.canary } : undefined;
}

/** The primary region, where this region holds the fence of its record (a recovery region); else undefined. */
function heldFenceOfPrimary(cfg: DrConfig, plan: RegionPlan): string | undefined {
    const primary = regionSet(cfg).primary;
    return plan.holdsFencesOf?.includes(primary) ? primary : undefined;
}

/**
 * The detector (dr:autoFailover approve or auto), with the app tier, in the region that holds the primary's fence:
 * this region's own view of the primary, which needs nothing in us-east-1.
 */
export function detectorProbe(cfg: DrConfig, plan: RegionPlan, operations: OperationsPlan): DetectorProbe | undefined {
    // The primary's, where this region holds its fence (every recovery region does).
    const watched = heldFenceOfPrimary(cfg, plan);
    if (!operations.detector || !plan.app || watched === undefined) {
        return undefined;
    }
    return {
        names: detectorNames(cfg.appName, cfg.region, watched),
        watched,
        target: fromPrimary(cfg, regionNames(cfg.appName, watched).alb, `(${watched} is lost: nothing to watch)`),
        running: !cfg.failover,
        starts: operations.detector.starts,
    };
}

/**
 * The stores the dr vault's restore tests cover: those whose recovery points the primary copies there (its own
 * backups, once promoted, land in the same vault). None: no restore tests.
 */
export function restoreTestStores(operations: OperationsPlan, primaryPlan: () => RegionPlan): readonly RestoreTestedStore[] | undefined {
    if (!operations.restoreTests) {
        return undefined;
    }
    const primary = primaryPlan();
    const stores: RestoreTestedStore[] = [...(primary.database ? ["aurora" as const] : []), ...(primary.objects ? ["s3" as const] : [])];
    return stores.length > 0 ? stores : undefined;
}

/** What the Region switch plan needs to know of the stack beside the tier's steps. */
export interface RegionSwitchInputs {
    readonly tier: Pick<TierSpec, "failover">;
    /** The dr region's plan once promoted: the size the cache block gives the cache. */
    readonly promoted: () => RegionPlan;
    readonly canary?: CanaryProbe;
    readonly detector?: DetectorProbe;
    /** The region receives the Aurora replication: its lag alarm is one of the application's health alarms. */
    readonly watchesReplicationLag: boolean;
}

/** The pair's ARC Region switch plan (the dr stack, dr:regionSwitch), with the app tier and the fence it holds. */
export function regionSwitchTargets(cfg: DrConfig, plan: RegionPlan, operations: OperationsPlan, p: RegionSwitchInputs): RegionSwitchTargetNames | undefined {
    const fenced = heldFenceOfPrimary(cfg, plan);
    if (!operations.regionSwitch || !plan.app || fenced === undefined) {
        return undefined;
    }
    const promotedCache = plan.cache && p.tier.failover.includes("warm-cache") ? p.promoted().cache : undefined;
    const primaryCanary = canaryNames(cfg.appName, regionSet(cfg).primary).alarm;
    return {
        fencedRegion: fenced,
        primaryAsg: fromPrimary(cfg, regionNames(cfg.appName, regionSet(cfg).primary).autoScalingGroup, "(kept as it is: dr:failover=true does not change the plan)"),
        aurora: plan.database !== undefined,
        // The datastore from the config, standing by and promoted alike: the action's role must not change at the failover deploy.
        ...(promotedCache ? { warmCache: { target: promotedCache, globalDatastoreId: plan.cache?.global !== undefined ? cfg.globalDatastoreId : undefined } } : {}),
        healthAlarms: [
            // The canaries are the application's health: the primary's (every tier runs it there) and this region's.
            ...(cfg.canaries ? [{ name: primaryCanary, region: regionSet(cfg).primary }] : []),
            ...(p.canary?.running ? [{ name: p.canary.names.alarm, region: cfg.region }] : []),
            ...(p.watchesReplicationLag ? [{ name: regionNames(cfg.appName, cfg.region).auroraLagAlarm, region: cfg.region }] : []),
        ],
        // One plan per recovery region, and only the first recovery region's carries the trigger: losing the
        // primary starts one failover, not one per recovery region (model/regionSet.ts, model/naming.ts).
        ...(p.detector?.starts && p.detector.running && cfg.region === regionSet(cfg).next
            ? { autoTrigger: { detector: p.detector.names.alarm, fence: fenceOf(cfg.appName, fenced, cfg.region).alarmName } } : {}),
        frozen: cfg.failover,
    };
}
