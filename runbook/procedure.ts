// What every failover and failback step is built from: the dr stack's config, the mode, the RTO model's
// steps (each runbook step's expected duration comes from them) and the plan the dr region stands by with.
import type { DrConfig } from "../model/config";
import { RecoveryStep, TimedStep, assessObjectives } from "../model/objectives";
import type { RegionPlan } from "../model/regionPlan";
import { DrCanary, drCanaryOf, pairPlans } from "../model/tiers";
import type { Mode } from "./types";

export interface Procedure {
    readonly cfg: DrConfig;
    readonly mode: Mode;
    /** The RTO model's steps for this configuration (model/objectives.ts). */
    readonly model: readonly TimedStep[];
    /** What the dr region runs before a failover (and returns to after a failback). */
    readonly standby: RegionPlan;
    /** What the primary region runs: its record's fence (`fencedBy`) among it. */
    readonly primary: RegionPlan;
    /** The dr region's canary: running in standby, started by the failover deploy, or none (model/tiers drCanaryOf). */
    readonly canary: DrCanary;
}

export function procedure(ctx: { readonly cfg: DrConfig; readonly mode: Mode }): Procedure {
    const plans = pairPlans(ctx.cfg);
    return {
        cfg: ctx.cfg, mode: ctx.mode, model: assessObjectives(ctx.cfg).estimate.rtoSteps, standby: plans.standby, primary: plans.primary,
        canary: drCanaryOf(ctx.cfg),
    };
}

/** Expected seconds of some of the model's steps, so the report compares measured with expected. */
export function expected(p: Procedure, ...ids: RecoveryStep["step"][]): number {
    return p.model.filter((s) => ids.includes(s.step)).reduce((sum, s) => sum + s.seconds, 0);
}
