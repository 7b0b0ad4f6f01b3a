import * as pulumi from "@pulumi/pulumi";
import { TIERS } from "../model/tiers";
import { RegionInputs, RegionOutputs, buildRegion } from "./region";

/**
 * Aliases for a tier's component: its own name under every other tier's type token. Child URNs follow their
 * parent's aliases, so switching `dr:strategy` (say pilot light to warm standby) updates the region in
 * place and never replaces the database.
 */
export function strategyAliases(ownType: string): { type: string }[] {
    return Object.values(TIERS).map((t) => t.typeToken).filter((t) => t !== ownType).map((type) => ({ type }));
}

/**
 * One region of the configured tier: the stack's plan (model/stackPlan.ts), wired by buildRegion. Its type token
 * is the tier's (model/tiers/, kept as it was when this folder was strategies/: it is part of every URN); its name
 * is the app's, not the tier's, so a tier change keeps every URN.
 */
export class TierComponent extends pulumi.ComponentResource {
    public readonly region: RegionOutputs;

    constructor(name: string, inputs: RegionInputs, opts?: pulumi.ComponentResourceOptions) {
        const type = TIERS[inputs.cfg.strategy].typeToken;
        super(type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), ...strategyAliases(type)] });
        this.region = buildRegion(this, name, inputs);
        this.registerOutputs({ ...this.region });
    }
}
