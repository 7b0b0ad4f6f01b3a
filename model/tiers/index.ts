// The tiers table: one TierSpec per `dr:strategy`. Read a tier's whole story (its plans, its reference
// numbers, its failover and failback, what the drill exercises) from its file; add a tier by adding one.
import type { DrConfig } from "../config/contract";
import { StackPlan, asPrimary, asStandby, stackPlan } from "../stackPlan";
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

/** The configured tier's plan for a stack (what the tier's component will build), every decision made (model/stackPlan.ts). */
export function tierPlan(cfg: DrConfig): StackPlan {
    return stackPlan(cfg, TIERS[cfg.strategy]);
}

/** The pair's two plans from either stack's config: prod's, and the dr stack's standing by. */
export function pairPlans(cfg: DrConfig): { readonly primary: StackPlan; readonly standby: StackPlan } {
    return { primary: tierPlan(asPrimary(cfg)), standby: tierPlan(asStandby(cfg)) };
}

/**
 * The dr region's canary, as the failover's validation sees it: `running` where it runs in standby (the region
 * serves or stands warm: warm standby, active-active), `starts-with-deploy` where only the promoted region
 * runs one, so the failover deploy (`pulumi up` with dr:failover=true) starts it (pilot light, backup &
 * restore: the standby has only its role), `none` without canaries (dr:canaries=false).
 */
export type DrCanary = "running" | "starts-with-deploy" | "none";

export function drCanaryOf(cfg: DrConfig): DrCanary {
    return recoveryCanaryOf(asStandby(cfg));
}

/**
 * The canary of a recovery region's own stack (`target`, a secondary of the set), as a failover into it sees it:
 * its standby plan's and its promoted plan's (drCanaryOf is the next recovery region's).
 */
export function recoveryCanaryOf(target: DrConfig): DrCanary {
    const standby = tierPlan({ ...target, failover: false });
    const promoted = tierPlan({ ...target, failover: true });
    return standby.operations?.canary ? "running" : promoted.operations?.canary ? "starts-with-deploy" : "none";
}

/** A table keyed by tier, read off the specs (e.g. each tier's default targets). */
export function byTier<T>(pick: (spec: TierSpec) => T): Readonly<Record<Strategy, T>> {
    return Object.fromEntries(STRATEGIES.map((s) => [s, pick(TIERS[s])])) as Record<Strategy, T>;
}

export type { FailbackStepId, FailoverStepId, RecoveryProfile, TierSpec, Timed } from "./tierSpec";
