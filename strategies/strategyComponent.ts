import * as pulumi from "@pulumi/pulumi";
import { DrConfig } from "../lib/config";
import { RegionPlan } from "../lib/regionPlan";
import { RegionOutputs, buildRegion } from "./region";

/** The type tokens of the strategy components, one per tier. */
export const STRATEGY_TYPES = {
    "backup-restore": "multi-region-dr:strategies:BackupRestore",
    "pilot-light": "multi-region-dr:strategies:PilotLight",
    "warm-standby": "multi-region-dr:strategies:WarmStandby",
    "active-active": "multi-region-dr:strategies:ActiveActive",
} as const;

/**
 * Aliases for a strategy component: its own name under every other tier's type. Child URNs follow their
 * parent's aliases, so switching `dr:strategy` (say pilot light to warm standby) updates the region in
 * place and never replaces the database.
 */
export function strategyAliases(ownType: string): { type: string }[] {
    return Object.values(STRATEGY_TYPES).filter((t) => t !== ownType).map((type) => ({ type }));
}

/** What every tier's component shares: a plan for its region, wired by buildRegion. */
export abstract class StrategyComponent extends pulumi.ComponentResource {
    public readonly plan: RegionPlan;
    public readonly region: RegionOutputs;

    protected constructor(type: string, name: string, cfg: DrConfig, plan: RegionPlan, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), ...strategyAliases(type)] });
        this.plan = plan;
        this.region = buildRegion(this, name, cfg, plan);
        this.registerOutputs({ ...this.region });
    }
}
