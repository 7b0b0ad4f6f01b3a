// A portfolio as its stack files give it: the portfolio stack's config (as Pulumi passes it to the program, or
// layered from its stack file for the plan and the runbook) and each listed app's dr stack, validated, with
// every problem at once. The program, the plan and the runbook all read a portfolio through here.
import { assessObjectives } from "../objectives";
import { drCostShare } from "../cost";
import { formatProblems, parseDrConfig } from "../config";
import type { ConfigProblem, ConfigWarning, RawConfig } from "../config";
import { PairError, pairConfigs } from "../stackPair";
import { tierPlan } from "../tiers";
import { Overrides, layeredConfig, stackNames } from "../tooling/stackFiles";
import { PortfolioApp, PortfolioAppFound, portfolioProblems } from "./checks";
import { PortfolioConfig, PortfolioMember, isPortfolio, parsePortfolioConfig } from "./config";
import { AppEstimate, PortfolioEstimate, decidedAt, portfolioEstimate } from "./estimate";
import { detectorApp } from "./checks";

export interface LoadedPortfolio {
    readonly config: PortfolioConfig;
    /** The apps in the order listed. */
    readonly apps: readonly PortfolioApp[];
    readonly warnings: readonly ConfigWarning[];
}

export type PortfolioResult = { readonly ok: true; readonly portfolio: LoadedPortfolio } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** A listed app's dr stack from its stack file, or why it cannot be read. */
export function findApp(member: PortfolioMember, root?: string): PortfolioAppFound {
    if (!stackNames(root).includes(member.stack)) {
        return { member, missing: `names stack "${member.stack}", which has no stack file Pulumi.${member.stack}.yaml (stacks here: ${stackNames(root).join(", ")})` };
    }
    const raw = layeredConfig(member.stack, {}, root);
    if (isPortfolio(raw)) {
        return { member, missing: `names stack "${member.stack}", another portfolio: a parent plan's children are app plans (AWS nests one level only)` };
    }
    const parsed = parseDrConfig(raw, member.stack);
    if (!parsed.ok) {
        return { member, missing: `names stack "${member.stack}", whose config is invalid:\n${formatProblems(parsed.problems, member.stack)}` };
    }
    return { member, cfg: parsed.config };
}

/** The portfolio from its raw config and its apps' stack files. */
export function portfolioFromConfig(raw: RawConfig, stack: string, root?: string): PortfolioResult {
    const parsed = parsePortfolioConfig(raw, stack);
    if (!parsed.ok) {
        return parsed;
    }
    const found = parsed.config.members.map((m) => findApp(m, root));
    const problems = portfolioProblems(parsed.config, found);
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const apps = found.filter((f): f is PortfolioApp => "cfg" in f);
    return { ok: true, portfolio: { config: parsed.config, apps, warnings: parsed.warnings } };
}

/** The portfolio of a stack file, for the plan and the runbook; a problem fails with the report `pulumi preview` prints. */
export function loadPortfolio(stack: string, overrides: Overrides = {}, root?: string): LoadedPortfolio {
    if (!stackNames(root).includes(stack)) {
        throw new PairError(`There is no stack file Pulumi.${stack}.yaml. Stacks: ${stackNames(root).join(", ")}.`);
    }
    const raw = layeredConfig(stack, overrides, root);
    if (!isPortfolio(raw)) {
        throw new PairError(`Stack "${stack}" is not a portfolio: its dr:role is ${raw["dr:role"] ?? "(not set)"}, not portfolio (docs/portfolio.md).`);
    }
    const result = portfolioFromConfig(raw, stack, root);
    if (!result.ok) {
        throw new PairError(formatProblems(result.problems, stack));
    }
    return result.portfolio;
}

/** Each app's own estimate and DR cost, from its pair's configs (its dr stack and that stack's peer). */
export function appEstimates(portfolio: LoadedPortfolio, root?: string): AppEstimate[] {
    return portfolio.apps.map(({ member }) => {
        const pair = pairConfigs(member.stack, {}, undefined, root);
        const assessment = assessObjectives(pair.dr);
        const cost = drCostShare(tierPlan(pair.prod), tierPlan(pair.dr), pair.dr.instanceType);
        return {
            member, appName: pair.dr.appName, strategy: pair.dr.strategy,
            rtoSeconds: assessment.estimate.rtoSeconds, rpoSeconds: assessment.estimate.rpoSeconds, rtoTargetSeconds: assessment.targets.rtoSeconds,
            rpoTargetSeconds: assessment.targets.rpoSeconds, rtoSteps: assessment.estimate.rtoSteps, drMonthlyUsd: cost.dr.total, prodMonthlyUsd: cost.prod.total,
        };
    });
}

/**
 * The portfolio's estimate from its apps' (model/portfolio/estimate.ts). With dr:autoFailover auto, the decision
 * is its trigger's: its detector app's detect and decide steps as that app's own estimate has them under auto.
 */
export function estimateOf(portfolio: LoadedPortfolio, root?: string): { readonly apps: AppEstimate[]; readonly estimate: PortfolioEstimate } {
    const apps = appEstimates(portfolio, root);
    const detector = portfolio.config.autoFailover === "auto" ? detectorApp(portfolio.apps) : undefined;
    const decidedSeconds = detector && decidedAt(assessObjectives({ ...detector.cfg, autoFailover: "auto" }).estimate.rtoSteps);
    const estimate = portfolioEstimate(apps, { rtoTargetSeconds: portfolio.config.rtoTargetSeconds, parentPlan: portfolio.config.regionSwitch, decidedSeconds });
    return { apps, estimate };
}
