// A portfolio's failover or failback through the runbook: one approval for every app, then the portfolio's
// own lock (named by its dr:appName, in its region: one portfolio run at a time, and not beside its parent
// Region switch plan's run, which takes the same), then each app's own run (runbook/run.ts: its own lock in
// the dr region, its own report and progress), as runbook/portfolio.ts orders them, and the portfolio's report
// on top (runbook/portfolioRecord.ts). `npm run failover -- --portfolio` and
// the drill's portfolio (offline/portfolioDrill.ts) both run through here.
import { estimateOf } from "../model/portfolio";
import type { LoadedPortfolio, PortfolioEstimate } from "../model/portfolio";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { awsClients } from "./aws";
import { HeldLock, LockNotReleasedError, acquireLock, lockParameterName, thisRun } from "./lock";
import { measuredLength } from "./report";
import { RunbookArgs, RunbookRun, releaseOnSignal, runRunbook } from "./run";
import { AppRunResult, DEFAULT_PARALLEL, Kind, PortfolioAppPlan, PortfolioRun, portfolioCompleted, runPortfolio, waveOrder } from "./portfolio";
import { portfolioRecord } from "./portfolioRecord";
import type { Mode } from "./types";

export { DEFAULT_PARALLEL };

export interface PortfolioRunbookArgs {
    readonly kind: Kind;
    readonly portfolio: LoadedPortfolio;
    readonly mode: Mode;
    readonly parallel: number;
    readonly keepGoing: boolean;
    readonly dryRun: boolean;
    /** The person approved on the command line (--yes): for every app at once. */
    readonly yes: boolean;
    readonly endpoint?: string;
    readonly reportDir: string;
    readonly waitSeconds?: number;
    readonly pollMs?: number;
    /** The apps' task lists: silent by default, since apps side by side would draw over each other; the portfolio prints a line as each starts and ends. */
    readonly renderer?: "default" | "simple" | "silent";
    /** The one confirmation, for every app (the CLI's prompt); told what it approves. Without --yes and without it, nothing runs. */
    readonly approve?: (what: string) => Promise<boolean>;
    /** Per app, on top of the shared arguments: the drill's smoke URL, its seeded zone (overrides), the steps it simulates. */
    readonly appArgs?: (stack: string) => Partial<RunbookArgs>;
    readonly print?: (line: string) => void;
    readonly printError?: (line: string) => void;
    /** One app's run: the runbook's (the default); the tests give a fake. */
    readonly runbook?: (args: RunbookArgs) => Promise<RunbookRun>;
    /** Takes the portfolio's lock: in its region by default (runbook/lock.ts); the tests give a fake. */
    readonly takeLock?: () => Promise<Pick<HeldLock, "release">>;
    /** Where the stack files are (the tests). */
    readonly root?: string;
}

export interface PortfolioRunbookRun {
    /** The person approved (or --yes): false, and nothing ran, when they did not. */
    readonly approved: boolean;
    readonly plans: readonly PortfolioAppPlan[];
    readonly estimate: PortfolioEstimate;
    /** The apps' outcomes; undefined for a dry run or a run not approved. */
    readonly run?: PortfolioRun;
    /** Each app's own run in this run (a dry run: its plan), by dr stack. */
    readonly runs: ReadonlyMap<string, RunbookRun>;
    readonly reportPath?: string;
    /** Approved, but no app ran: the portfolio's lock is another run's, or could not be taken. */
    readonly error?: Error;
    /** The portfolio's lock could not be released as the run ended: said beside its outcome. */
    readonly lockNotReleased?: LockNotReleasedError;
}

/** What the portfolio takes of an app's run: completed or not, its measured time as its report has it, and its report. */
export function appRunOf(run: RunbookRun): AppRunResult {
    return { ok: run.error === undefined, seconds: measuredLength(run.results), reportPath: run.reportPath, error: run.error?.message };
}

/** The one question for every app: what moves, in what order. */
export function approvalText(args: Pick<PortfolioRunbookArgs, "kind" | "mode" | "portfolio">, plans: readonly PortfolioAppPlan[]): string {
    const { config } = args.portfolio;
    const waves = waveOrder(args.kind, plans).map((w) => `wave ${w.wave}: ${w.apps.map((a) => `${a.member.stack} (${a.appName}, ${a.strategy})`).join(", ")}`);
    return `${args.kind} portfolio ${config.stack} (${args.mode}, ${plans.length} apps) ${args.kind === "failover" ? "into" : "out of"} ${config.region}, ${waves.join("; then ")}`;
}

export async function runPortfolioRunbook(args: PortfolioRunbookArgs): Promise<PortfolioRunbookRun> {
    const { portfolio } = args;
    // The same estimate as the plan's and the portfolio stack's outputs (with dr:autoFailover auto, its trigger decides).
    const { apps: estimates, estimate } = estimateOf(portfolio, args.root);
    const plans: PortfolioAppPlan[] = estimates.map((e) => ({ member: e.member, appName: e.appName, strategy: e.strategy, estimateSeconds: e.rtoSeconds }));
    const runbook = args.runbook ?? runRunbook;
    const print = args.print ?? ((line: string) => { process.stdout.write(`${line}\n`); });
    const printError = args.printError ?? ((line: string) => { process.stderr.write(`${line}\n`); });
    const runs = new Map<string, RunbookRun>();
    const appArgs = (app: PortfolioAppPlan, dryRun: boolean): RunbookArgs => ({
        kind: args.kind, stack: app.member.stack, mode: args.mode, engine: "runbook", dryRun,
        // The portfolio's one approval is each app's: the person approved them all at once.
        yes: true, force: false,
        endpoint: args.endpoint, reportDir: args.reportDir, waitSeconds: args.waitSeconds, pollMs: args.pollMs,
        renderer: args.renderer ?? "silent", print, printError,
        ...args.appArgs?.(app.member.stack),
    });

    if (args.dryRun) {
        for (const { apps } of waveOrder(args.kind, plans)) {
            for (const app of apps) {
                runs.set(app.member.stack, await runbook(appArgs(app, true)));
            }
        }
        return { approved: false, plans, estimate, runs };
    }
    if (!args.yes && !(args.approve !== undefined && await args.approve(approvalText(args, plans)))) {
        return { approved: false, plans, estimate, runs };
    }

    const { config } = portfolio;
    const target = args.endpoint ? { endpoint: args.endpoint, credentials: EMULATOR_CREDENTIALS } : {};
    const takeLock = args.takeLock ?? (() => acquireLock(awsClients(config.region, target), config.appName, thisRun(args.kind, config.stack, args.mode), false));
    let lock: Pick<HeldLock, "release">;
    try {
        lock = await takeLock();
    } catch (err) {
        // Another portfolio run (or the parent plan's) holds it, or SSM did not answer: nothing ran, and an
        // interrupted run's progress stays as it was.
        return { approved: true, plans, estimate, runs, error: err as Error };
    }
    const stopListening = releaseOnSignal(() => lock.release());
    const release = async (): Promise<LockNotReleasedError | undefined> => {
        stopListening();
        try {
            await lock.release();
            return undefined;
        } catch (err) {
            return new LockNotReleasedError(lockParameterName(config.appName), config.region, err, args.endpoint);
        }
    };
    try {
        const done = await locked({ args, plans, estimate, runs, print, printError, appArgs: (app) => appArgs(app, false), runbook });
        const notReleased = await release();
        return notReleased ? { ...done, lockNotReleased: notReleased } : done;
    } catch (err) {
        await release();
        throw err;
    }
}

/** What the run under the lock is given: the arguments, what was read of the apps, and how to run and tell. */
interface Setup {
    readonly args: PortfolioRunbookArgs;
    readonly plans: readonly PortfolioAppPlan[];
    readonly estimate: PortfolioEstimate;
    /** Filled as each app ends. */
    readonly runs: Map<string, RunbookRun>;
    readonly print: (line: string) => void;
    readonly printError: (line: string) => void;
    readonly appArgs: (app: PortfolioAppPlan) => RunbookArgs;
    readonly runbook: (args: RunbookArgs) => Promise<RunbookRun>;
}

/** The run under the portfolio's lock: its record, its apps' runs in their waves, its report. */
async function locked({ args, plans, estimate, runs, print, printError, appArgs, runbook }: Setup): Promise<PortfolioRunbookRun> {
    const { portfolio } = args;
    const record = portfolioRecord({ kind: args.kind, portfolio: portfolio.config.stack, mode: args.mode, reportDir: args.reportDir });
    if (record.continued) {
        print(`continuing the portfolio ${args.kind} started ${record.continued}: the apps it completed are skipped`);
    }
    const command = { kind: args.kind, portfolio: portfolio.config.stack, mode: args.mode, endpoint: args.endpoint, reportDir: args.reportDir };
    const report = (outcomes: PortfolioRun["outcomes"], inProgress: boolean, stoppedAfterWave?: number) => ({
        ...command, parallel: args.parallel, keepGoing: args.keepGoing, appName: portfolio.config.appName, target: args.endpoint ?? "AWS",
        apps: plans, outcomes, estimate, inProgress, stoppedAfterWave,
    });
    const run = await runPortfolio({
        kind: args.kind, apps: plans, parallel: args.parallel, keepGoing: args.keepGoing, earlier: record.earlier,
        runApp: async (app) => {
            const own = await runbook(appArgs(app));
            runs.set(app.member.stack, own);
            if (own.lockNotReleased) {
                printError(`${app.member.stack}: ${own.lockNotReleased.message}`);
            }
            return appRunOf(own);
        },
        appStarted: (app) => print(`wave ${app.member.wave}: ${app.member.stack} (${app.appName}, ${app.strategy}) ${args.kind} started`),
        appEnded: (ended, outcomes) => {
            print(`wave ${ended.wave}: ${ended.stack} ${ended.status} in ${(ended.seconds ?? 0).toFixed(1)} s` +
                `${ended.error ? `: ${ended.error}` : ""}${ended.reportPath ? ` (report: ${ended.reportPath})` : ""}`);
            record.write(report(outcomes, true), false);
        },
    });
    record.write(report(run.outcomes, false, run.stoppedAfterWave), portfolioCompleted(run.outcomes));
    return { approved: true, plans, estimate, run, runs, reportPath: record.reportPath };
}
