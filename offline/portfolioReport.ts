// The portfolio plan's text (npm run plan -- --portfolio <stack>): each app's own estimate and DR cost, then
// the portfolio's: detection and the decision once, the waves in sequence, its RTO against its target, its
// worst RPO and its total DR cost. Formatting only: it reads the portfolio, its apps' estimates
// (model/portfolio/load.ts, appEstimates) and the portfolio's (model/portfolio/estimate.ts) and returns lines.
import type { AppEstimate, PortfolioEstimate } from "../model/portfolio/estimate";
import { PORTFOLIO_PLAN_MONTHLY_USD, afterDecision, backAt, decidedAt } from "../model/portfolio/estimate";
import type { LoadedPortfolio } from "../model/portfolio/load";
import { duration } from "../model/duration";
import { columns as table, usd } from "./planReport";

export interface PortfolioPlanInput {
    readonly portfolio: LoadedPortfolio;
    /** The apps' own estimates and costs, in the order listed. */
    readonly apps: readonly AppEstimate[];
    readonly estimate: PortfolioEstimate;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : "-");


/** "met, 2 h 16 min to spare" or "MISSED by 44 min". */
function against(seconds: number, target: number): string {
    return seconds <= target ? `met${seconds < target ? `, ${duration(target - seconds)} to spare` : ""}` : `MISSED by ${duration(seconds - target)}`;
}

/** The whole portfolio plan but its diagram's line: the apps, the portfolio's recovery, its cost. */
export function portfolioSections(p: PortfolioPlanInput): string[] {
    const { portfolio: { config }, apps, estimate } = p;
    const out: string[] = [];
    const print = (s = "") => out.push(s);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    print(`DR plan for portfolio "${config.stack}": app "${config.appName}", ${plural(apps.length, "app")} in ${plural(estimate.waves.length, "wave")}, ` +
        `recovering into ${config.region}`);
    print("(from the stack files: each app's figures are its own plan's, `npm run plan -- --stack <its dr stack>`; nothing evaluated, nothing deployed)");
    for (const w of p.portfolio.warnings) {
        print(`  warning: ${w.key} = ${JSON.stringify(w.value)} ${w.message}: ${w.fix}`);
    }

    print();
    print("1. Apps, each its own pair: its own estimate (\"after the decision\": what it adds to its wave) and its DR cost");
    const rows = apps.map((a) => [
        a.member.stack, a.appName, a.strategy, String(a.member.wave),
        duration(a.rtoSeconds), duration(a.rtoTargetSeconds), duration(afterDecision(a)),
        duration(a.rpoSeconds), duration(a.rpoTargetSeconds),
        usd(a.drMonthlyUsd), percent(a.drMonthlyUsd, a.prodMonthlyUsd),
    ]);
    table(["stack", "app", "tier", "wave", "RTO", "RTO target", "after the decision", "RPO", "RPO target", "DR / month", "of its prod"], rows, new Set([3, 9, 10]))
        .forEach((l) => print(l));

    print();
    print("2. The portfolio's recovery: detection and the decision once, for every app, then the waves one after the other,");
    print("   each as slow as its slowest app's path after the decision (a wave's apps fail over side by side)");
    const decider = apps.reduce((a, b) => (decidedAt(b.rtoSteps) > decidedAt(a.rtoSteps) ? b : a));
    const span = (from: number, to: number) => `${from === 0 ? "0" : duration(from)} - ${duration(to)}`;
    const timeline = [
        ["decision", span(0, estimate.decidedSeconds), duration(estimate.decidedSeconds), `detection and the decision, as long as ${decider.member.stack}'s (${decider.strategy})`],
        ...estimate.waves.map((w) => {
            const inWave = apps.filter((a) => a.member.wave === w.wave).map((a) => a.member.stack);
            return [`wave ${w.wave}`, span(w.startSeconds, w.endSeconds), duration(w.seconds),
                `${inWave.join(", ")}${inWave.length > 1 ? `: as slow as ${w.slowest}` : ""}`];
        }),
    ];
    table(["step", "from - to", "takes", "apps"], timeline, new Set()).forEach((l) => print(l));
    const targetSource = config.rtoTargetSeconds !== undefined ? `dr:rtoTargetSeconds on ${config.stack}` :
        `dr:rtoTargetSeconds unset on ${config.stack}: the largest of the apps' own targets`;
    print(`  RTO ${duration(estimate.rtoSeconds)} = ${duration(estimate.decidedSeconds)} + ${estimate.waves.map((w) => duration(w.seconds)).join(" + ")}, ` +
        `vs target ${duration(estimate.rtoTargetSeconds)} (${targetSource}): ${against(estimate.rtoSeconds, estimate.rtoTargetSeconds)}`);
    const worst = apps.filter((a) => a.rpoSeconds === estimate.rpoSeconds).map((a) => a.member.stack);
    print(`  RPO ${duration(estimate.rpoSeconds)}: the worst of the apps' (${worst.join(", ")}), the data a failover of the whole portfolio may lose`);
    print("  each app back in service (its wave's start + its own path after the decision), against its own RTO target:");
    const late: string[] = [];
    for (const a of apps) {
        const back = backAt(estimate, a);
        if (back > a.rtoTargetSeconds && a.rtoSeconds <= a.rtoTargetSeconds) late.push(a.member.stack);
        print(`    ${a.member.stack.padEnd(Math.max(...apps.map((x) => x.member.stack.length)))}  ${duration(back).padEnd(16)}  target ${duration(a.rtoTargetSeconds)}: ` +
            against(back, a.rtoTargetSeconds));
    }
    if (late.length > 0) {
        print(`  => ${late.join(", ")} ${late.length === 1 ? "meets its own RTO target alone but misses it" : "meet their own RTO targets alone but miss them"} ` +
            "here, behind the waves before:");
        print("     an earlier wave brings an app back sooner (the waves run one after the other, a wave's apps side by side)");
    }

    print();
    print("3. DR cost per month (USD; each app's as its own plan prices it, assumptions in model/cost.ts)");
    const costRows = apps.map((a) => [a.member.stack, usd(a.drMonthlyUsd), usd(a.prodMonthlyUsd), percent(a.drMonthlyUsd, a.prodMonthlyUsd)]);
    if (config.regionSwitch) {
        costRows.push([`the parent Region switch plan (dr:regionSwitch on ${config.stack}; price assumed, model/cost.ts)`, usd(PORTFOLIO_PLAN_MONTHLY_USD), "", ""]);
    }
    costRows.push(["total", usd(estimate.drMonthlyUsd), usd(estimate.prodMonthlyUsd), percent(estimate.drMonthlyUsd, estimate.prodMonthlyUsd)]);
    table(["", "DR / month", "prod / month", "DR of prod"], costRows, new Set([1, 2, 3])).forEach((l) => print(l));
    print(`  => the portfolio's DR costs ${usd(estimate.drMonthlyUsd)} a month, ${percent(estimate.drMonthlyUsd, estimate.prodMonthlyUsd)} of its apps' prod`);
    return out;
}
