// A region set's figures (docs/regions.md, "The plan for a set"): the estimate of a failover into each recovery
// region, and each region's monthly cost with the set's total. Pure: the RTO/RPO model (model/objectives.ts) and
// the cost model (model/cost.ts) on each region's own stack config and plan, no second model.
import type { DrConfig } from "./config/contract";
import { MonthlyCost, monthlyCostIn } from "./cost";
import { ObjectivesAssessment, assessObjectivesInto, recoverySettingsInto } from "./objectives";
import type { RegionPlan } from "./regionPlan";
import { regionSet } from "./regionSet";
import { TIERS, tierPlan } from "./tiers";

/** A region of the set as the figures read it: its stack, its region and its own stack's config. */
export interface SetRegionConfig {
    readonly stack: string;
    readonly region: string;
    readonly config: DrConfig;
}

/** How a failover into a recovery region starts: a person noticing, a detector that pages, or its trigger. */
export type FailoverStart = "a person notices" | "the detector pages" | "the detector's trigger";

/** The estimate of a failover into one recovery region. */
export interface TargetEstimate {
    readonly stack: string;
    readonly region: string;
    /** The estimate against the targets the region's own stack sets. */
    readonly assessment: ObjectivesAssessment;
    /** What starts it (dr:autoFailover auto triggers the next recovery region's Region switch plan only). */
    readonly start: FailoverStart;
    /**
     * The stores that a failover into this region restores from backups (its RPO is the backup interval) while
     * the primary's backups are not copied here (dr:backupCopyRegions): they cannot be restored in this region.
     */
    readonly uncopied: readonly ("aurora" | "s3" | "dynamodb")[];
}

/**
 * The estimate of a failover into `target` (a recovery region's stack config) from `primary` (the primary's):
 * recoverySettingsInto, with what starts it and what its restore would lack.
 */
export function targetEstimate(primary: DrConfig, target: SetRegionConfig): TargetEstimate {
    const cfg = target.config;
    const settings = recoverySettingsInto(primary, cfg);
    const mode = settings.detection?.mode ?? "off";
    const start: FailoverStart = mode === "off" ? "a person notices" : mode === "auto" && settings.detection?.trigger !== false ? "the detector's trigger" : "the detector pages";
    const copied = tierPlan({ ...primary, failover: false }).backups?.copyTo.includes(target.region) ?? false;
    const fromBackups = [
        ...(TIERS[cfg.strategy].recovery.auroraRpo === "backups" ? ["aurora" as const] : []),
        ...(settings.objectsReplicated ? [] : ["s3" as const]),
    ];
    return { stack: target.stack, region: target.region, assessment: assessObjectivesInto(primary, cfg), start, uncopied: copied ? [] : fromBackups };
}

/** The estimate of a failover into each recovery region of the set, in its order. `regions`: the set's, the primary first. */
export function targetEstimates(regions: readonly SetRegionConfig[]): TargetEstimate[] {
    const [primary, ...recovery] = regions;
    return recovery.map((r) => targetEstimate(primary.config, r));
}

/** A region's monthly cost in the set. */
export interface RegionCost {
    readonly stack: string;
    readonly region: string;
    readonly primary: boolean;
    readonly cost: MonthlyCost;
}

export interface SetCost {
    /** Each region, in the set's order: the primary first. */
    readonly regions: readonly RegionCost[];
    /** Every region's, USD a month. */
    readonly total: number;
    /** The recovery regions', USD a month. */
    readonly drTotal: number;
    /** The recovery regions' cost as a percentage of the primary's. */
    readonly drPercent: number;
}

/**
 * Each region's monthly cost from its own plan, with what the others keep in it (model/cost.ts, monthlyCostIn:
 * the writer's backup copies where it copies to this region, its global table's replica where it is a replica
 * region), and the set's total. `regions`: the set's, the primary first, each with its stack's plan.
 */
export function setCost(regions: readonly (SetRegionConfig & { readonly plan: RegionPlan })[]): SetCost {
    const plans = new Map(regions.map((r) => [r.region, r.plan]));
    const costs = regions.map((r, i) => ({
        stack: r.stack, region: r.region, primary: i === 0, cost: monthlyCostIn(r.region, r.plan, r.config.instanceType, plans),
    }));
    const total = costs.reduce((sum, c) => sum + c.cost.total, 0);
    const prod = costs[0].cost.total;
    const drTotal = total - prod;
    return { regions: costs, total, drTotal, drPercent: prod > 0 ? (100 * drTotal) / prod : 0 };
}

/** The figures of a set from its regions' configs: each stack's own plan (model/tiers, tierPlan). */
export function setFigures(regions: readonly SetRegionConfig[]): { readonly targets: TargetEstimate[]; readonly cost: SetCost } {
    const set = regionSet(regions[0].config);
    const ordered = set.regions.map((region) => regions.find((r) => r.region === region)).filter((r): r is SetRegionConfig => r !== undefined);
    return { targets: targetEstimates(ordered), cost: setCost(ordered.map((r) => ({ ...r, plan: tierPlan(r.config) }))) };
}
