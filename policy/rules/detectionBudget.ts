// A tier's detection budget: the most a Route 53 health check may take to detect a failed region. A tier whose
// TierSpec sets a budget of its own (policy/tierNumbers.ts, copied from the program) has it, and a policy config
// key of its own that overrides it; every other tier, and a resource whose tier is not known, has the default,
// which `maxDetectionSeconds` overrides.
import { PolicyConfigSchema } from "@pulumi/policy";
import { TIER_DETECTION_SECONDS } from "../tierNumbers";
import { peek } from "./props";

/** Detection (interval x threshold) allowed by default in every tier: 5 minutes. */
export const MAX_DETECTION_SECONDS = 300;

/** The policy's config (`--policy-pack-config`). */
export interface DetectionConfig {
    /** Detection budget in seconds for every tier without its own. Default 300. */
    maxDetectionSeconds?: number;
    /** A tier's own budget, under its `budgetKey` (activeActiveMaxDetectionSeconds). Default the tier's. */
    [tierBudgetKey: string]: number | undefined;
}

/** The config key of a tier's own budget: the tier's name in camelCase, so active-active's is activeActiveMaxDetectionSeconds. */
function budgetKey(tier: string): string {
    return `${tier.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}MaxDetectionSeconds`;
}

/** Every budget and the key that overrides it, at least 10 s (Route 53's shortest interval, one failure). */
export const DETECTION_CONFIG_SCHEMA: PolicyConfigSchema = {
    properties: {
        maxDetectionSeconds: { type: "integer", minimum: 10, default: MAX_DETECTION_SECONDS },
        ...Object.fromEntries(Object.entries(TIER_DETECTION_SECONDS)
            .map(([tier, seconds]) => [budgetKey(tier), { type: "integer", minimum: 10, default: seconds }])),
    },
};

/** The budgets as the policy's description states them: "300 s by default, 30 s for active-active". */
export const BUDGETS_IN_WORDS = [`${MAX_DETECTION_SECONDS} s by default`,
    ...Object.entries(TIER_DETECTION_SECONDS).map(([tier, seconds]) => `${seconds} s for ${tier}`)].join(", ");

/**
 * The `dr:tier` default tag of the resource's aws provider (model/tags.ts puts it on every resource through
 * the provider). Provider config reaches the engine as strings, so `defaultTags` is usually JSON.
 */
export function tierOf(provider: { props: Record<string, any> } | undefined, props?: Record<string, any>): string | undefined {
    const own = peek(props, "tags", "dr:tier");
    if (typeof own === "string") {
        return own;
    }
    let defaultTags = peek(provider?.props, "defaultTags");
    if (typeof defaultTags === "string") {
        try {
            defaultTags = JSON.parse(defaultTags);
        } catch {
            return undefined;
        }
    }
    const tier = peek(defaultTags, "tags", "dr:tier");
    return typeof tier === "string" ? tier : undefined;
}

/** The budget of a tier (undefined: not known), under the policy's config. */
export function detectionBudget(tier: string | undefined, config: DetectionConfig): number {
    // An own property of the table only: a tag such as "constructor" has no budget of its own.
    if (tier === undefined || !Object.hasOwn(TIER_DETECTION_SECONDS, tier)) {
        return config.maxDetectionSeconds ?? MAX_DETECTION_SECONDS;
    }
    return config[budgetKey(tier)] ?? TIER_DETECTION_SECONDS[tier];
}
