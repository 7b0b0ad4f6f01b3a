import * as pulumi from "@pulumi/pulumi";
import { warmStandbyCapacity } from "../lib/capacity";
import { DrConfig } from "../lib/config";
import { REDUCED_CACHE, RegionPlan, activePassivePlan } from "../lib/regionPlan";
import { STRATEGY_TYPES, StrategyComponent } from "./strategyComponent";

/**
 * Warm standby: the whole stack runs in the DR region at reduced size: the app tier at ceil(N/4)
 * (at least 1), a reduced cache, the Aurora secondary, the S3 replica (DR-REFERENCE.md, "The four tiers").
 */
export function warmStandbyPlan(cfg: DrConfig): RegionPlan {
    return activePassivePlan(cfg, warmStandbyCapacity(cfg.capacity), REDUCED_CACHE);
}

export class WarmStandby extends StrategyComponent {
    constructor(name: string, cfg: DrConfig, opts?: pulumi.ComponentResourceOptions) {
        super(STRATEGY_TYPES["warm-standby"], name, cfg, warmStandbyPlan(cfg), opts);
    }
}
