import * as pulumi from "@pulumi/pulumi";
import { DrConfig } from "../lib/config";
import { ActiveActive } from "./activeActive";
import { BackupRestore } from "./backupRestore";
import { PilotLight } from "./pilotLight";
import { StrategyComponent } from "./strategyComponent";
import { WarmStandby } from "./warmStandby";

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
