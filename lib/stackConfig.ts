import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, DrConfig, RawConfig, formatProblems, parseDrConfig } from "./config";

/** Reads this stack's config from Pulumi and validates it; fails the update with every problem listed. */
export function readDrConfig(): DrConfig {
    const dr = new pulumi.Config("dr");
    const raw: Record<string, string | undefined> = { "aws:region": new pulumi.Config("aws").get("region") };
    for (const key of CONFIG_KEYS) {
        raw[`dr:${key.name}`] = dr.get(key.name);
    }
    const stack = pulumi.getStack();
    const result = parseDrConfig(raw as RawConfig, stack);
    if (!result.ok) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        throw new pulumi.RunError(formatProblems(result.problems, stack));
    }
    if (result.config.role === "primary" && !result.config.replicateObjects) {
        pulumi.log.warn("dr:replicateObjects is false: objects are not replicated to the dr region, so their RPO is " +
            "unbounded. After the first `pulumi up -s dr`, run `pulumi config rm dr:replicateObjects -s prod` and `pulumi up -s prod`.");
    }
    return result.config;
}
