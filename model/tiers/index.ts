// The tiers table: one TierSpec per `dr:strategy`. Read a tier's whole story (its plans, its reference
// numbers, its failover and failback, what the drill exercises) from its file; add a tier by adding one.
import type { DrConfig } from "../config";
import type { RegionPlan } from "../regionPlan";
import { STRATEGIES, Strategy } from "../strategy";
import { ACTIVE_ACTIVE } from "./activeActive";
import { BACKUP_RESTORE } from "./backupRestore";
import { PILOT_LIGHT } from "./pilotLight";
import { TierSpec } from "./tierSpec";
import { WARM_STANDBY } from "./warmStandby";

export const TIERS: Readonly<Record<Strategy, TierSpec>> = {
    "backup-restore": BACKUP_RESTORE,
    "pilot-light": PILOT_LIGHT,
    "warm-standby": WARM_STANDBY,
    "active-active": ACTIVE_ACTIVE,
};

/** The configured tier's plan for a stack (what the tier's component will build). */
export function tierPlan(cfg: DrConfig): RegionPlan {
    return TIERS[cfg.strategy].plan(cfg);
}

/** The pair's two plans from either stack's config: prod's, and the dr stack's standing by. */
export function pairPlans(cfg: DrConfig): { readonly primary: RegionPlan; readonly standby: RegionPlan } {
    return {
        primary: tierPlan({ ...cfg, role: "primary", region: cfg.primaryRegion, failover: false }),
        standby: tierPlan({ ...cfg, role: "secondary", region: cfg.drRegion, failover: false }),
    };
}

/** A table keyed by tier, read off the specs (e.g. each tier's default targets). */
export function byTier<T>(pick: (spec: TierSpec) => T): Readonly<Record<Strategy, T>> {
    return Object.fromEntries(STRATEGIES.map((s) => [s, pick(TIERS[s])])) as Record<Strategy, T>;
}

export type { FailbackStepId, FailoverStepId, RecoveryProfile, TierSpec, Timed } from "./tierSpec";
