// What a portfolio needs of its apps, judged from their dr stacks' validated configs: each app a dr stack of
// this recovery region and of the same primary, of one recovery approach (AWS's rule for child plans), no
// trigger of its own, and, where the portfolio runs a parent Region switch plan, a plan of its own built to
// be its child. Each problem names the key, the value and the command that fixes it. Pure.
import type { DrConfig } from "../config/contract";
import { setCommand } from "../config/report";
import type { ConfigProblem } from "../config/report";
import { configSetCommand, shellCommand } from "../tooling/shell";
import { TIERS } from "../tiers";
import { PortfolioConfig, PortfolioMember } from "./config";
import { regionSet } from "../regionSet";
import { repeated } from "../lists";

/** One listed app as the portfolio found it: its dr stack's config, or why there is none. */
export type PortfolioAppFound =
    | { readonly member: PortfolioMember; readonly cfg: DrConfig }
    | { readonly member: PortfolioMember; readonly missing: string };

export interface PortfolioApp {
    readonly member: PortfolioMember;
    readonly cfg: DrConfig;
}

/** A Region switch plan's recovery approach, as a tier has it: AWS requires a parent's children to share it. */
export function recoveryApproach(cfg: Pick<DrConfig, "strategy">): "activeActive" | "activePassive" {
    return TIERS[cfg.strategy].bothRegionsServe ? "activeActive" : "activePassive";
}

/** Every problem between the portfolio and its apps, at once. */
export function portfolioProblems(p: PortfolioConfig, found: readonly PortfolioAppFound[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (key: string, value: string | undefined, message: string, fix: string) => problems.push({ key, value, message, fix });
    const apps: PortfolioApp[] = [];
    for (const app of found) {
        if ("missing" in app) {
            add("dr:portfolioApps", `${app.member.stack}:${app.member.wave}`, app.missing,
                `create Pulumi.${app.member.stack}.yaml (docs/portfolio.md, "Add an app"), or remove the entry`);
        } else {
            apps.push(app);
        }
    }
    for (const { member, cfg } of apps) {
        const app = member.stack;
        if (cfg.role !== "secondary") {
            add("dr:portfolioApps", app, `names stack "${app}", whose dr:role is ${cfg.role}: a portfolio lists its apps' dr stacks (dr:role secondary)`,
                setCommand("portfolioApps", `<the dr stack of ${cfg.appName}>:${member.wave}`, p.stack));
            continue;
        }
        // The app's dr stack listed here recovers into its own region: a pair's dr region, or one recovery region of a
        // set of three or more, whose portfolio (one per target region) lists that region's dr stacks.
        const recovers = cfg.region;
        if (recovers !== p.region) {
            add("aws:region", p.region, `must be the apps' recovery region: app "${app}" recovers into ${recovers} (its aws:region). ` +
                "A portfolio runs in its apps' recovery region, the one region left on the day it exists for",
            configSetCommand("aws:region", recovers, p.stack));
        }
        if (p.autoFailover === "auto" && recovers !== regionSet(cfg).next) {
            add("dr:autoFailover", "auto", `on portfolio "${p.stack}", whose app "${app}" recovers into ${recovers}, not its set's first recovery region ` +
                `(${regionSet(cfg).next}): only that region's plans carry the trigger, so that losing the primary starts one failover, not two`,
            configSetCommand("dr:autoFailover", "approve", p.stack));
        }
        if (cfg.autoFailover === "auto") {
            add("dr:autoFailover", "auto", `is set on app "${app}", which is in portfolio "${p.stack}": its own trigger would fail it over alone, ` +
                "out of the portfolio's order. The portfolio decides for all its apps", configSetCommand("dr:autoFailover", "approve", app));
        }
        if (p.regionSwitch && !cfg.regionSwitch) {
            add("dr:regionSwitch", "false", `on app "${app}": the portfolio runs a parent Region switch plan (dr:regionSwitch=true on "${p.stack}"), ` +
                "whose steps are its apps' plans; this app's dr stack has none", configSetCommand("dr:regionSwitch", "true", app));
        }
        if (p.regionSwitch && cfg.regionSwitch && cfg.portfolio !== p.stack) {
            add("dr:portfolio", cfg.portfolio ?? "(not set)", `on app "${app}" must name this portfolio: without it, the app's plan waits at its own ` +
                "approval step when the parent runs it (AWS runs a child plan's steps as they are)", configSetCommand("dr:portfolio", p.stack, app));
        }
    }
    const sharing = (what: string, of: (cfg: DrConfig) => string, key: string) => {
        const values = [...new Set(apps.map((a) => of(a.cfg)))];
        if (values.length > 1) {
            const byValue = values.map((v) => `${v}: ${apps.filter((a) => of(a.cfg) === v).map((a) => a.member.stack).join(", ")}`).join("; ");
            add(key, values.join(", "), `differs between the portfolio's apps (${byValue}): ${what}`,
                `${shellCommand("pulumi", "config", "set", key, values[0], "-s", "<app>")} on each app whose value differs, or split the portfolio`);
        }
    };
    sharing("a parent plan covers two regions and its children the same two (ARC Developer Guide, \"Create child plans\")", (c) => regionSet(c).primary, "dr:primaryRegion");
    sharing("each app's plan must share the parent's recovery approach: active/passive tiers and active-active ones go in separate portfolios " +
        "(ARC Developer Guide, \"Create child plans\")", (c) => recoveryApproach(c), "dr:strategy");
    const names = apps.map((a) => a.cfg.appName);
    const sameApp = repeated(names);
    if (sameApp.length > 0) {
        add("dr:portfolioApps", sameApp.join(", "), `names two dr stacks of app ${sameApp[0]} (dr:appName): an app is one pair and comes back once`,
            setCommand("portfolioApps", `<one dr stack of ${sameApp[0]}>:1`, p.stack));
    }
    if (p.regionSwitch && p.members.length > p.childPlanLimit) {
        add("dr:portfolioApps", `${p.members.length} apps`, `are more child plans than the parent plan may run (dr:childPlanLimit ${p.childPlanLimit}, ` +
            "an assumption: AWS limits the number without publishing it): split the portfolio, or raise the key to your account's figure",
        configSetCommand("dr:childPlanLimit", String(p.members.length), p.stack));
    }
    autoFailoverProblems(p, apps, add);
    if (p.regionSwitch && p.approverArns.length === 0) {
        add("dr:approverArns", "(none)", "must name at least one principal when dr:regionSwitch is true: the parent plan's approval step is the portfolio's one decision",
            setCommand("approverArns", "arn:aws:iam::123456789012:role/incident-commander", p.stack));
    }
    return problems;
}

/**
 * The app whose detector starts the portfolio's failover (dr:autoFailover auto): the first of wave 1, the most
 * important, whose dr stack runs the detector (its own dr:autoFailover approve: a detector that pages, no trigger).
 */
export function detectorApp<T extends { readonly member: PortfolioMember }>(apps: readonly T[]): T | undefined {
    return wavesOf(apps)[0]?.apps[0];
}

/** dr:autoFailover on a portfolio: off, or auto on its first app's detector, for apps whose tiers allow it. */
function autoFailoverProblems(p: PortfolioConfig, apps: readonly PortfolioApp[], add: (key: string, value: string | undefined, message: string, fix: string) => void): void {
    if (p.autoFailover === "approve") {
        add("dr:autoFailover", "approve", "is an app's mode: on a portfolio, the apps' own detectors page (dr:autoFailover approve on an app's dr stack); " +
            "the portfolio is off (a person decides) or auto (its parent plan's trigger decides)", configSetCommand("dr:autoFailover", "off", p.stack));
        return;
    }
    if (p.autoFailover !== "auto") {
        return;
    }
    if (!p.regionSwitch) {
        add("dr:autoFailover", "auto", "starts the portfolio's parent Region switch plan, which the portfolio stack creates with dr:regionSwitch true",
            configSetCommand("dr:regionSwitch", "true", p.stack));
    }
    for (const { member, cfg } of apps) {
        const refused = TIERS[cfg.strategy].refusedLevers.autoFailover;
        if (refused !== undefined) {
            add("dr:autoFailover", "auto", `would fail over app "${member.stack}" (${cfg.strategy}) without a person: ${refused}`,
                configSetCommand("dr:autoFailover", "off", p.stack));
        }
    }
    const first = detectorApp(apps);
    if (first && first.cfg.autoFailover !== "approve") {
        add("dr:autoFailover", "auto", `needs a detector: the portfolio's trigger watches its first app's ("${first.member.stack}", wave ${first.member.wave}), ` +
            `which that app's dr stack runs with dr:autoFailover approve (it has ${first.cfg.autoFailover})`,
        `${configSetCommand("dr:autoFailover", "approve", first.member.stack)} (and dr:approvalSeconds)`);
    }
}

/** The members by wave, waves in order (wave 1 first), each wave's apps in the order listed. */
export function wavesOf<T extends { readonly member: PortfolioMember }>(apps: readonly T[]): { readonly wave: number; readonly apps: readonly T[] }[] {
    const numbers = [...new Set(apps.map((a) => a.member.wave))].sort((a, b) => a - b);
    return numbers.map((wave) => ({ wave, apps: apps.filter((a) => a.member.wave === wave) }));
}
