import * as pulumi from "@pulumi/pulumi";
import type { DrConfig } from "../model/config";
import type { RegionPlan } from "../model/regionPlan";
import { TIERS, tierPlan } from "../model/tiers";
import { Resolved, RegionOutputs, buildRegion } from "./region";

/**
 * Aliases for a tier's component: its own name under every other tier's type token. Child URNs follow their
 * parent's aliases, so switching `dr:strategy` (say pilot light to warm standby) updates the region in
 * place and never replaces the database.
 */
export function strategyAliases(ownType: string): { type: string }[] {
    return Object.values(TIERS).map((t) => t.typeToken).filter((t) => t !== ownType).map((type) => ({ type }));
}

/**
 * One region of the configured tier: the tier's plan for this stack (model/tiers/), wired by buildRegion.
 * Its type token is the tier's; its name is the app's, not the tier's, so a tier change keeps every URN.
 */
export class TierComponent extends pulumi.ComponentResource {
    public readonly plan: RegionPlan;
    public readonly region: RegionOutputs;

    constructor(name: string, cfg: DrConfig, resolved: Resolved, opts?: pulumi.ComponentResourceOptions) {
        const type = TIERS[cfg.strategy].typeToken;
        super(type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), ...strategyAliases(type)] });
        this.plan = tierPlan(cfg);
        this.region = buildRegion(this, name, cfg, this.plan, resolved);
        this.registerOutputs({ ...this.region });
    }
}
