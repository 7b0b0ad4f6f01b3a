// Builds a runbook context from a stack's config, as the program reads it: the same names, the same regions.
import { DrConfig, formatProblems, parseDrConfig } from "../model/config";
import { globalClusterIdentifier, regionNames } from "../model/naming";
import { Overrides, layeredConfig } from "../model/stackFiles";
import { AwsTarget, awsClients } from "./aws";
import { Mode, RunbookContext } from "./types";

export interface ContextOptions {
    readonly stack: string;
    readonly mode: Mode;
    readonly target?: AwsTarget;
    /** Default: http://<dr:dnsName>/health */
    readonly smokeUrl?: string;
    readonly waitSeconds?: number;
    readonly pollMs?: number;
    readonly overrides?: Overrides;
    readonly root?: string;
}

/** A stack's config as the program validates it; every problem in one error, as `pulumi preview` reports them. */
export function validatedConfig(stack: string, overrides: Overrides = {}, root?: string): DrConfig {
    const parsed = parseDrConfig(layeredConfig(stack, overrides, root), stack);
    if (!parsed.ok) {
        throw new Error(formatProblems(parsed.problems, stack));
    }
    return parsed.config;
}

/** The dr stack's validated config; the runbook refuses any other role, with the reason. */
export function runbookConfig(stack: string, overrides: Overrides = {}, root?: string): DrConfig {
    const cfg = validatedConfig(stack, overrides, root);
    if (cfg.role !== "secondary") {
        throw new Error(`stack "${stack}" has dr:role ${cfg.role}: the runbook takes the dr stack (dr:role secondary), e.g. --stack dr`);
    }
    return cfg;
}

export function runbookContext(options: ContextOptions): RunbookContext {
    const cfg = runbookConfig(options.stack, options.overrides, options.root);
    return {
        cfg,
        stack: options.stack,
        mode: options.mode,
        dr: awsClients(cfg.drRegion, options.target),
        primary: awsClients(cfg.primaryRegion, options.target),
        names: {
            dr: regionNames(cfg.appName, cfg.drRegion),
            primary: regionNames(cfg.appName, cfg.primaryRegion),
            globalCluster: globalClusterIdentifier(cfg.appName),
        },
        smokeUrl: options.smokeUrl ?? `http://${cfg.dnsName}/health`,
        waitSeconds: options.waitSeconds ?? 1800,
        pollMs: options.pollMs ?? 10_000,
        facts: new Map(),
        log: () => undefined,
    };
}
