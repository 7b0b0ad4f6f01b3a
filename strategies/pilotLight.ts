import * as pulumi from "@pulumi/pulumi";
import { pilotLightCapacity } from "../lib/capacity";
import { DrConfig } from "../lib/config";
import { RegionPlan, activePassivePlan } from "../lib/regionPlan";
import { STRATEGY_TYPES, StrategyComponent } from "./strategyComponent";

/**
 * Pilot light: the DR region keeps only the data layer live (Aurora secondary, S3 replica); the ALB and
 * target group exist, the ASG is defined at min 0 / desired 0 / max N, and there is no cache
 * (DR-REFERENCE.md, "The four tiers").
 */
export function pilotLightPlan(cfg: DrConfig): RegionPlan {
    return activePassivePlan(cfg, pilotLightCapacity(cfg.capacity), undefined);
}

export class PilotLight extends StrategyComponent {
    constructor(name: string, cfg: DrConfig, opts?: pulumi.ComponentResourceOptions) {
        super(STRATEGY_TYPES["pilot-light"], name, cfg, pilotLightPlan(cfg), opts);
    }
}
