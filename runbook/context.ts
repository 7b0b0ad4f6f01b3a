// Builds a runbook context from a stack's config, as the program reads it: the same names, the same regions.
import type { Route53Client } from "@aws-sdk/client-route-53";
import { DrConfig, formatProblems, parseDrConfig } from "../model/config";
import { fenceOf } from "../model/fence";
import { globalClusterIdentifier, regionNames } from "../model/naming";
import { stateBackend } from "../model/tooling/stateBackend";
import { Overrides, layeredConfig, projectBackendUrl } from "../model/tooling/stackFiles";
import { pairConfigs } from "../model/stackPair";
import { isPortfolio, loadPortfolio } from "../model/portfolio";
import { AwsTarget, awsClients, route53Client } from "./aws";
import { Mode, RunbookContext } from "./types";
import { fencesHeldBy, regionSet } from "../model/regionSet";

export interface ContextOptions {
    readonly stack: string;
    readonly mode: Mode;
    readonly target?: AwsTarget;
    /** Default: https://<dr:dnsName>/health */
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
    if (isPortfolio(layeredConfig(stack, overrides, root))) {
        throw new Error(`stack "${stack}" is a portfolio (dr:role portfolio): run it with --portfolio ${stack} (its apps' runbooks), ` +
            "or --portfolio with --engine region-switch (its parent plan); --stack takes an app's dr stack");
    }
    const cfg = validatedConfig(stack, overrides, root);
    if (cfg.role !== "secondary") {
        throw new Error(`stack "${stack}" has dr:role ${cfg.role}: the runbook takes the dr stack (dr:role secondary), e.g. --stack dr`);
    }
    return cfg;
}

/** Created on first use: an unplanned failover never creates a client of Route 53's API. */
function lazy<T>(make: () => T): () => T {
    let made: T | undefined;
    return () => (made ??= make());
}

export function runbookContext(options: ContextOptions): RunbookContext {
    const portfolio = isPortfolio(layeredConfig(options.stack, options.overrides, options.root))
        ? loadPortfolio(options.stack, options.overrides, options.root) : undefined;
    // A portfolio's parent plan (--engine region-switch) runs as its first app's pair would, under the
    // portfolio's name (its plan, its lock): its apps share the two regions and the recovery approach
    // (model/portfolio/checks.ts). The apps' own runbooks run each with its own context (runbook/portfolio.ts).
    const appStack = portfolio ? portfolio.apps[0].member.stack : options.stack;
    const appOverrides = portfolio ? {} : options.overrides;
    const appCfg = runbookConfig(appStack, appOverrides, options.root);
    const cfg: DrConfig = portfolio ? { ...appCfg, appName: portfolio.config.appName } : appCfg;
    // The prod stack's weight is its own config: a weighted failback ends where both stack files say.
    const pair = pairConfigs(appStack, appOverrides, undefined, options.root);
    const { primary } = regionSet(cfg);
    return {
        cfg,
        stack: options.stack,
        ...(portfolio ? { portfolio: portfolio.apps.map((a) => a.member.stack) } : {}),
        mode: options.mode,
        // The region the run fails into: the dr stack's own (the first recovery region's, or another's: --to).
        dr: awsClients(cfg.region, options.target),
        primary: awsClients(primary, options.target),
        route53: lazy((): Route53Client => route53Client(options.target)),
        names: {
            dr: regionNames(cfg.appName, cfg.region),
            primary: regionNames(cfg.appName, primary),
            globalCluster: globalClusterIdentifier(cfg.appName),
            fence: fenceOf(cfg.appName, primary, cfg.region),
            otherFences: fencesHeldBy(regionSet(cfg), cfg.region).filter((r) => r !== primary).map((r) => fenceOf(cfg.appName, r, cfg.region)),
        },
        configuredWeights: { primary: pair.prod.routingWeight, dr: pair.dr.routingWeight },
        primaryStack: pair.prodStack,
        backend: stateBackend(process.env, projectBackendUrl(options.root)),
        smokeUrl: options.smokeUrl ?? `https://${cfg.dnsName}/health`,
        waitSeconds: options.waitSeconds ?? 1800,
        pollMs: options.pollMs ?? 10_000,
        facts: new Map(),
        log: () => undefined,
    };
}
