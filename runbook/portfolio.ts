// A portfolio's failover or failback (docs/portfolio.md): its apps' own runs, wave by wave. The apps of a
// wave run side by side, a bounded number at a time; the next wave waits for this one. An app that fails does
// not stop the others of its wave (they are independent pairs, each under its own lock), but it stops the
// waves after it, unless the person said --keep-going: a later wave's apps may depend on an earlier one's
// being up. A failback runs the waves in reverse, so the most important apps move back last, once the
// primary region has taken the others (model/portfolio/parentPlan.ts does the same). A re-run after a kill
// skips the apps the interrupted run completed. The decisions here are pure; the runner is told how to run
// one app (`runApp`: the runbook in runbook/portfolioRunbook.ts, a fake in the tests) and how to record.
import { wavesOf } from "../model/portfolio/checks";
import type { PortfolioMember } from "../model/portfolio/config";

/** One app as the portfolio runs it: its dr stack and wave, and what the report shows beside its measure. */
export interface PortfolioAppPlan {
    readonly member: PortfolioMember;
    readonly appName: string;
    readonly strategy: string;
    /** Its own estimated RTO (model/portfolio/estimate.ts AppEstimate.rtoSeconds). */
    readonly estimateSeconds: number;
}

/**
 * completed: this run completed it; completed-earlier: an interrupted run of the same portfolio command did,
 * and this one skipped it; failed: its run stopped (its own report says where); not-started: a wave before it
 * failed, or the run was interrupted first.
 */
export type AppStatus = "completed" | "completed-earlier" | "failed" | "not-started";

export interface AppOutcome {
    readonly stack: string;
    readonly wave: number;
    readonly status: AppStatus;
    /** The app's measured time, as its own report has it. */
    readonly seconds?: number;
    /** When it started and ended, in seconds from the portfolio run's start (this run's). */
    readonly startedAt?: number;
    readonly endedAt?: number;
    readonly reportPath?: string;
    readonly error?: string;
}

/** What one app's run gives the portfolio. */
export interface AppRunResult {
    readonly ok: boolean;
    readonly seconds: number;
    readonly reportPath?: string;
    readonly error?: string;
}

export type RunApp = (app: PortfolioAppPlan) => Promise<AppRunResult>;

export type Kind = "failover" | "failback";

/** Apps at a time within a wave, unless --parallel says otherwise. */
export const DEFAULT_PARALLEL = 4;

/** The waves in the order the run takes them: wave 1 first for a failover, the last wave first for a failback. */
export function waveOrder<T extends { readonly member: PortfolioMember }>(kind: Kind, apps: readonly T[]): { readonly wave: number; readonly apps: readonly T[] }[] {
    const waves = wavesOf(apps);
    return kind === "failback" ? waves.reverse() : waves;
}

/** An app an interrupted run of the same command completed: this run skips it and keeps its outcome. */
export function completedBefore(stack: string, earlier: readonly AppOutcome[]): AppOutcome | undefined {
    return earlier.find((o) => o.stack === stack && (o.status === "completed" || o.status === "completed-earlier"));
}

/** The outcomes before anything runs: what an interrupted run completed, and the rest not started. */
export function initialOutcomes(kind: Kind, apps: readonly PortfolioAppPlan[], earlier: readonly AppOutcome[]): AppOutcome[] {
    return waveOrder(kind, apps).flatMap((w) => w.apps.map((a) => {
        const before = completedBefore(a.member.stack, earlier);
        return before
            ? { ...before, wave: a.member.wave, status: "completed-earlier" as const, startedAt: undefined, endedAt: undefined }
            : { stack: a.member.stack, wave: a.member.wave, status: "not-started" as const };
    }));
}

/** Whether the waves after this one may start: none of its apps failed, or the person said --keep-going. */
export function nextWaveMayStart(waveOutcomes: readonly AppOutcome[], keepGoing: boolean): boolean {
    return keepGoing || waveOutcomes.every((o) => o.status !== "failed");
}

/** Runs `fn` on every item, at most `limit` at a time, in the order given; the results in that order. */
export async function bounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
    return results;
}

export interface PortfolioRunOptions {
    readonly kind: Kind;
    readonly apps: readonly PortfolioAppPlan[];
    /** Apps at a time within a wave. */
    readonly parallel: number;
    readonly keepGoing: boolean;
    /** The outcomes of the interrupted run this one continues (its progress), if any. */
    readonly earlier?: readonly AppOutcome[];
    readonly runApp: RunApp;
    /** Told as an app starts (the terminal's line). */
    readonly appStarted?: (app: PortfolioAppPlan) => void;
    /** Told every outcome so far as each app ends: the record writes the progress and the report then. */
    readonly appEnded?: (ended: AppOutcome, outcomes: readonly AppOutcome[]) => void;
    /** Seconds since the run started (injectable for the tests). */
    readonly clock?: () => number;
}

export interface PortfolioRun {
    /** Every app's outcome, in the order the waves ran (failback: the last wave first). */
    readonly outcomes: readonly AppOutcome[];
    /** The wave after which the run stopped because an app of it failed; undefined when it did not stop early. */
    readonly stoppedAfterWave?: number;
}

/** The portfolio's run: its waves in order, each wave's apps side by side (at most `parallel` at once). */
export async function runPortfolio(o: PortfolioRunOptions): Promise<PortfolioRun> {
    const start = Date.now();
    const clock = o.clock ?? (() => (Date.now() - start) / 1000);
    const outcomes = initialOutcomes(o.kind, o.apps, o.earlier ?? []);
    const set = (outcome: AppOutcome) => {
        outcomes[outcomes.findIndex((x) => x.stack === outcome.stack)] = outcome;
    };
    for (const { wave, apps } of waveOrder(o.kind, o.apps)) {
        const toRun = apps.filter((a) => !completedBefore(a.member.stack, o.earlier ?? []));
        await bounded(toRun, o.parallel, async (app) => {
            o.appStarted?.(app);
            const startedAt = clock();
            let result: AppRunResult;
            try {
                result = await o.runApp(app);
            } catch (err) {
                // Not the app's own failure (those are in its result): a bug, or its report could not be written.
                // It is this app's failure all the same; the others go on.
                result = { ok: false, seconds: clock() - startedAt, error: (err as Error).message };
            }
            const ended: AppOutcome = {
                stack: app.member.stack, wave, status: result.ok ? "completed" : "failed", seconds: result.seconds,
                startedAt, endedAt: clock(), reportPath: result.reportPath, error: result.error,
            };
            set(ended);
            o.appEnded?.(ended, [...outcomes]);
        });
        const ofWave = outcomes.filter((x) => x.wave === wave);
        if (!nextWaveMayStart(ofWave, o.keepGoing)) {
            const last = waveOrder(o.kind, o.apps).at(-1)!.wave;
            return { outcomes, stoppedAfterWave: wave === last ? undefined : wave };
        }
    }
    return { outcomes };
}

/** The run completed every app (this run or the interrupted one it continued): nothing is left to resume. */
export function portfolioCompleted(outcomes: readonly AppOutcome[]): boolean {
    return outcomes.every((o) => o.status === "completed" || o.status === "completed-earlier");
}
