// The portfolio's recovery time and DR cost, from its apps' own estimates (model/objectives.ts) and costs
// (model/cost.ts). Detection and the decision happen once, for every app: the slowest app's detect and decide
// steps bound them. Then the waves run one after the other, each as slow as its slowest app's path after the
// decision (its own RTO less its detect and decide), since the apps of a wave fail over side by side. Pure.
import type { TimedStep } from "../objectives";
import { REGION_SWITCH_PLAN_MONTHLY_USD } from "../cost";
import { wavesOf } from "./checks";
import type { PortfolioMember } from "./config";

/** The steps of an app's estimate the portfolio does once for all: before them nothing of the app has moved. */
export const SHARED_STEPS: readonly string[] = ["detect", "decide"];

export interface AppEstimate {
    readonly member: PortfolioMember;
    readonly appName: string;
    readonly strategy: string;
    readonly rtoSeconds: number;
    readonly rpoSeconds: number;
    readonly rtoTargetSeconds: number;
    readonly rpoTargetSeconds: number;
    readonly rtoSteps: readonly Pick<TimedStep, "step" | "end">[];
    /** The DR region's monthly cost, USD, and prod's (model/cost.ts, drCostShare). */
    readonly drMonthlyUsd: number;
    readonly prodMonthlyUsd: number;
}

export interface WaveEstimate {
    readonly wave: number;
    readonly seconds: number;
    /** The app that sets the wave's time. */
    readonly slowest: string;
    readonly startSeconds: number;
    readonly endSeconds: number;
}

export interface PortfolioEstimate {
    /** Detection and the decision, once: the latest end of any app's detect and decide steps. */
    readonly decidedSeconds: number;
    readonly waves: readonly WaveEstimate[];
    readonly rtoSeconds: number;
    /** The portfolio's target: dr:rtoTargetSeconds on its stack, or its slowest app's own target. */
    readonly rtoTargetSeconds: number;
    readonly met: boolean;
    /** The longest RPO of any app: the data a failover of the whole portfolio may lose. */
    readonly rpoSeconds: number;
    readonly drMonthlyUsd: number;
    readonly prodMonthlyUsd: number;
}

/** When an app's own estimate has decided: the end of its detect and decide steps (0 where it has neither). */
export function decidedAt(steps: AppEstimate["rtoSteps"]): number {
    return Math.max(0, ...steps.filter((s) => SHARED_STEPS.includes(s.step)).map((s) => s.end));
}

/** An app's own path after the decision: what it adds to its wave. */
export function afterDecision(app: Pick<AppEstimate, "rtoSeconds" | "rtoSteps">): number {
    return Math.max(0, app.rtoSeconds - decidedAt(app.rtoSteps));
}

/**
 * The portfolio's estimate. `parentPlan`: the portfolio stack's own cost (its parent Region switch plan) counts.
 */
export function portfolioEstimate(apps: readonly AppEstimate[], options: {
    readonly rtoTargetSeconds?: number; readonly parentPlan: boolean;
    /** dr:autoFailover auto: when the trigger has decided (its detector app's detect and decide, as auto), for every app. */
    readonly decidedSeconds?: number;
}): PortfolioEstimate {
    const decided = options.decidedSeconds ?? Math.max(0, ...apps.map((a) => decidedAt(a.rtoSteps)));
    let at = decided;
    const waves = wavesOf(apps).map(({ wave, apps: inWave }) => {
        const slowest = inWave.reduce((a, b) => (afterDecision(b) > afterDecision(a) ? b : a));
        const seconds = afterDecision(slowest);
        const estimate = { wave, seconds, slowest: slowest.member.stack, startSeconds: at, endSeconds: at + seconds };
        at += seconds;
        return estimate;
    });
    const target = options.rtoTargetSeconds ?? Math.max(...apps.map((a) => a.rtoTargetSeconds));
    const sum = (f: (a: AppEstimate) => number) => apps.reduce((s, a) => s + f(a), 0);
    return {
        decidedSeconds: decided, waves, rtoSeconds: at, rtoTargetSeconds: target, met: at <= target,
        rpoSeconds: Math.max(0, ...apps.map((a) => a.rpoSeconds)),
        drMonthlyUsd: sum((a) => a.drMonthlyUsd) + (options.parentPlan ? PORTFOLIO_PLAN_MONTHLY_USD : 0),
        prodMonthlyUsd: sum((a) => a.prodMonthlyUsd),
    };
}

/**
 * When an app is back in the portfolio's failover: its wave's start plus its own path after the decision.
 * An app of a later wave may miss its own RTO target there though the portfolio meets its own.
 */
export function backAt(estimate: Pick<PortfolioEstimate, "decidedSeconds" | "waves">, app: Pick<AppEstimate, "member" | "rtoSeconds" | "rtoSteps">): number {
    const wave = estimate.waves.find((w) => w.wave === app.member.wave);
    return (wave?.startSeconds ?? estimate.decidedSeconds) + afterDecision(app);
}

/** The parent plan is one more Region switch plan, priced as an app's (model/cost.ts: an assumption). */
export const PORTFOLIO_PLAN_MONTHLY_USD = REGION_SWITCH_PLAN_MONTHLY_USD;
