import type { DrConfig } from "./config/contract";

/**
 * Tags every resource carries (the provider's default tags): AWS Backup selects by them (issue #3)
 * and cost reports group by them.
 */
export function stackTags(cfg: DrConfig): Record<string, string> {
    return {
        "dr:app": cfg.appName,
        "dr:tier": cfg.strategy,
        "dr:role": cfg.role,
        "managed-by": "pulumi",
    };
}
