// A portfolio stack's own config (dr:role portfolio): the few keys it reads, validated with the contract's own
// schemas (model/config). It lists its apps' dr stacks and their waves; it builds no app of its own, so the
// app keys (dr:strategy, dr:dnsName, ...) do not apply to it. Pure.
import { CONTRACT, ConfigField, KeySpec } from "../config/contract";
import { configKey } from "../config/keys";
import { ConfigProblem, ConfigWarning, setCommand } from "../config/report";
import { RawConfig, parseFields, unknownKeyProblems } from "../config/validation";
import { configRmCommand } from "../tooling/shell";
import { repeated } from "../lists";

/** The value of dr:role that makes a stack a portfolio. */
export const PORTFOLIO_ROLE = "portfolio";
/** The wave of an entry that names none: the first. */
export const DEFAULT_WAVE = 1;

/** The keys a portfolio stack reads (docs/portfolio.md): every other key of the project is ignored there. */
export const PORTFOLIO_FIELDS = [
    "region", "role", "appName", "portfolioApps", "regionSwitch", "approverArns", "childPlanLimit", "autoFailover", "failover", "rtoTargetSeconds", "awsEndpoint",
] as const satisfies readonly ConfigField[];

export interface PortfolioMember {
    /** The app's dr stack (dr:role secondary). */
    readonly stack: string;
    /** When it comes back: wave 1 first, each wave after the one before. */
    readonly wave: number;
}

export interface PortfolioConfig {
    readonly stack: string;
    /** The portfolio stack's region: the apps' recovery region. */
    readonly region: string;
    /** Names the parent plan and the portfolio's lock, as an app's name does its own. */
    readonly appName: string;
    readonly members: readonly PortfolioMember[];
    /** A parent ARC Region switch plan over the apps' plans (each app's dr stack must have one). */
    readonly regionSwitch: boolean;
    readonly approverArns: readonly string[];
    readonly childPlanLimit: number;
    /**
     * `auto`: the parent plan's trigger starts the portfolio's failover, on its first app's detector (that app's
     * dr stack with dr:autoFailover approve) while that app's fence is open; `off`: a person decides.
     */
    readonly autoFailover: "off" | "approve" | "auto";
    /** The recovery region serves: the parent plan is kept as it is (nothing of it changes on the recovery path). */
    readonly failover: boolean;
    /** The portfolio's RTO target; unset: its slowest app's target (model/portfolio/estimate.ts). */
    readonly rtoTargetSeconds?: number;
    readonly awsEndpoint?: string;
}

export type PortfolioConfigResult =
    | { readonly ok: true; readonly config: PortfolioConfig; readonly warnings: readonly ConfigWarning[] }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** The raw config is a portfolio stack's. */
export function isPortfolio(raw: RawConfig): boolean {
    return raw["dr:role"] === PORTFOLIO_ROLE;
}

/** "<dr stack>:<wave>" entries, as the schema accepted them, into members (wave 1 where none is given). */
export function membersOf(entries: readonly string[]): PortfolioMember[] {
    return entries.map((entry) => {
        const [stack, wave] = entry.split(":");
        return { stack, wave: wave === undefined ? DEFAULT_WAVE : Number(wave) };
    });
}

/** Validates a portfolio stack's raw config: its own keys, the app keys it ignores, a stack listed twice. */
export function parsePortfolioConfig(raw: RawConfig, stack: string): PortfolioConfigResult {
    const fields = PORTFOLIO_FIELDS.filter((f) => f !== "role");
    const { values, problems } = parseFields(raw, stack, fields, unknownKeyProblems(raw, stack));
    const entries = (values.portfolioApps as readonly string[] | undefined) ?? [];
    if (entries.length === 0 && problems.every((p) => p.key !== "dr:portfolioApps")) {
        problems.push({
            key: "dr:portfolioApps", value: raw["dr:portfolioApps"], message: "lists no app: a portfolio stack lists its apps' dr stacks, each as \"<dr stack>:<wave>\"",
            fix: setCommand("portfolioApps", CONTRACT.portfolioApps.example, stack),
        });
    }
    const members = membersOf(entries);
    const twice = repeated(members.map((m) => m.stack));
    if (twice.length > 0) {
        problems.push({
            key: "dr:portfolioApps", value: raw["dr:portfolioApps"],
            message: `lists ${twice.join(", ")} more than once: each app comes back in one wave; keep one entry per stack`,
            fix: setCommand("portfolioApps", `${twice[0]}:${DEFAULT_WAVE}`, stack),
        });
    }
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const config: PortfolioConfig = {
        stack, members,
        region: values.region as string, appName: values.appName as string, regionSwitch: values.regionSwitch as boolean,
        approverArns: (values.approverArns as readonly string[] | undefined) ?? [], childPlanLimit: values.childPlanLimit as number,
        autoFailover: values.autoFailover as PortfolioConfig["autoFailover"],
        failover: values.failover as boolean, rtoTargetSeconds: values.rtoTargetSeconds as number | undefined, awsEndpoint: values.awsEndpoint as string | undefined,
    };
    return { ok: true, config, warnings: ignoredOnPortfolio(raw, stack) };
}

/** The project's keys set on a portfolio stack that it does not read (an app key): each ignored, with its removal. */
function ignoredOnPortfolio(raw: RawConfig, stack: string): ConfigWarning[] {
    const read = new Set<string>(PORTFOLIO_FIELDS.map((f) => configKey(f)));
    return (Object.keys(CONTRACT) as ConfigField[]).flatMap((field) => {
        const key = configKey(field);
        const spec = CONTRACT[field] as KeySpec;
        const value = raw[key];
        const unset = value === undefined || value === "" || /^\s*\[\s*\]\s*$/.test(value) || (spec.presence === "default" && value === spec.default);
        return read.has(key) || unset ? [] : [{
            key, value: value!, message: "is ignored: a portfolio stack (dr:role portfolio) builds no app; it reads only the keys docs/portfolio.md lists",
            fix: configRmCommand(key, stack),
        }];
    });
}
