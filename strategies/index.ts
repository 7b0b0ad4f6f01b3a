import * as pulumi from "@pulumi/pulumi";
import { DrConfig } from "../lib/config";
import { RegionPlan } from "../lib/regionPlan";
import { ActiveActive, activeActivePlan } from "./activeActive";
import { BackupRestore, backupRestorePlan } from "./backupRestore";
import { PilotLight, pilotLightPlan } from "./pilotLight";
import { StrategyComponent } from "./strategyComponent";
import { WarmStandby, warmStandbyPlan } from "./warmStandby";

/** The configured tier's plan for a stack's config (pure: what the tier's component will build). */
export function tierPlan(cfg: DrConfig): RegionPlan {
    switch (cfg.strategy) {
        case "pilot-light": return pilotLightPlan(cfg);
        case "warm-standby": return warmStandbyPlan(cfg);
        case "backup-restore": return backupRestorePlan(cfg);
        case "active-active": return activeActivePlan(cfg);
    }
}

/**
 * The strategy component for the configured tier. Its name is the app's, not the tier's, so a tier
 * change keeps every URN (see strategyAliases).
 */
export function createStrategy(cfg: DrConfig, opts?: pulumi.ComponentResourceOptions): StrategyComponent {
    switch (cfg.strategy) {
        case "pilot-light":
            return new PilotLight(cfg.appName, cfg, opts);
        case "warm-standby":
            return new WarmStandby(cfg.appName, cfg, opts);
        case "backup-restore":
            return new BackupRestore(cfg.appName, cfg, opts);
        case "active-active":
            return new ActiveActive(cfg.appName, cfg, opts);
    }
}
