// One run of the runbook: builds the context from the stack's config, takes the lock in the dr region (one
// run at a time: runbook/lock.ts), runs the tier's steps through the engine, and keeps its record as each
// step finishes: the drill report (Markdown and an SVG timeline) and the progress that lets a re-run after a
// kill keep the killed run's timings (runbook/runRecord.ts). `npm run failover`, `npm run failback` and the
// drill's runbook phase all run through here, with the runbook's own engine (runbook/engine.ts) or, with
// `--engine region-switch`, an ARC Region switch plan execution (runbook/regionSwitchEngine.ts).
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { Overrides } from "../model/tooling/stackFiles";
import { runbookContext } from "./context";
import type { AwsTarget } from "./aws";
import { RunOutcome, runSteps } from "./engine";
import { HeldLock, LockNotReleasedError, acquireLock, describeHolder, lockParameterName, thisRun } from "./lock";
import { RegionSwitchClient } from "./regionSwitch";
import { Engine, runRegionSwitch } from "./regionSwitchEngine";
import { failbackSteps } from "./failback";
import { failoverSteps } from "./failover";
import { runRecord } from "./runRecord";
import { Mode, NotReadyError, RunbookContext, RunbookStep, StepResult } from "./types";

export interface RunbookArgs {
    readonly kind: "failover" | "failback";
    readonly stack: string;
    /**
     * The command line named no target (--stack, --to) for a failover: where the app has several recovery regions, the
     * CLI picks the least-lagged one (runbook/target.ts) and runs its dr stack; `stack` is the first recovery region's until then.
     */
    readonly chooseTarget?: boolean;
    readonly mode: Mode;
    /** Which engine runs it: the runbook's own steps (the default) or an ARC Region switch plan execution. */
    readonly engine?: Engine;
    readonly dryRun: boolean;
    /** The person approved on the command line (--yes). */
    readonly yes: boolean;
    readonly force: boolean;
    /** Take the lock even if another run holds it (that run is known to be dead). */
    readonly breakLock?: boolean;
    readonly endpoint?: string;
    readonly smokeUrl?: string;
    readonly reportDir: string;
    readonly waitSeconds?: number;
    readonly pollMs?: number;
    /** Steps to record as simulated (the drill, for what the emulator cannot do). */
    readonly simulate?: ReadonlyMap<string, string>;
    readonly renderer?: "default" | "simple" | "silent";
    /** Config overrides on top of the stack file (the drill: another tier, the emulator's zone id). */
    readonly overrides?: Overrides;
    /** The project folder whose stack files the run reads (default: this project's; the three-region drill's copy). */
    readonly root?: string;
    /**
     * Asks a person to approve before the first change (the CLI's prompt on a terminal). Without --yes and
     * without it, the run changes nothing.
     */
    readonly approve?: (ctx: RunbookContext) => Promise<boolean>;
    /** Where the Region switch engine prints its progress lines (default: stdout, none with the silent renderer). */
    readonly print?: (line: string) => void;
    /** Where the run says it was interrupted (Ctrl-C, SIGTERM) before it exits (default: stderr). */
    readonly printError?: (line: string) => void;
}

export interface RunbookRun {
    readonly results: StepResult[];
    readonly error?: Error;
    readonly reportPath?: string;
    readonly ctx: RunbookContext;
    /**
     * The person approved the run's changes (or Region switch started or followed an execution): false for a
     * run refused by a check or by the person, which changed nothing and leaves nothing to continue.
     */
    readonly approved?: boolean;
    /** Set when the run could not release its lock as it ended: said beside the run's own error, not instead of it. */
    readonly lockNotReleased?: LockNotReleasedError;
}

/**
 * With --force, readiness problems are reported in the notes and the run goes on; not past one the steps after
 * need (NotReadyError.needed), where going on would change nothing.
 */
function forced(step: RunbookStep): RunbookStep {
    return {
        ...step,
        run: async (ctx) => {
            try {
                return await step.run(ctx);
            } catch (err) {
                if (err instanceof NotReadyError && err.needed.length === 0) {
                    return [`forced past: ${err.reasons.join("; ")}`];
                }
                throw err;
            }
        },
    };
}

/**
 * What an interrupted run says as it exits: that it was, where its report is (or that none was written yet),
 * and how to go on. Steps under way stop where they were; AWS finishes what it was already asked (a promotion
 * goes on), and the re-run's steps read the state first, so the same command continues, its progress keeping
 * the finished steps' timings.
 */
export function interruptedLines(p: {
    readonly kind: string; readonly signal: string; readonly reportPath?: string; readonly progressPath?: string;
    readonly approved: boolean; readonly notReleased?: Error;
}): string[] {
    return [
        `\n${p.kind} interrupted (${p.signal}): the steps under way stopped where they were; AWS finishes what it was already asked.`,
        p.reportPath ? `report so far: ${p.reportPath} (and .svg)` : "no report written yet: no step had finished.",
        ...(p.notReleased ? [p.notReleased.message] : []),
        !p.approved ? "Nothing was changed. Re-run the same command to start again."
            : p.progressPath ? `Re-run the same command to continue: its progress (${p.progressPath}) lets it resume, and finished steps are skipped.`
            : "Re-run the same command to continue: each step reads the state first, and finished steps are skipped.",
    ];
}

/** Told the results so far as steps end, and whether the person had approved the changes by then. */
type StepsEnded = (soFar: readonly StepResult[], of: number, approved: boolean) => void;

/**
 * The tier's steps, and the engine that runs them (or, dry, shows them): the runbook's own (engine.ts), or with
 * --engine region-switch the pair's Region switch plan (regionSwitchEngine.ts), each telling of steps as they end.
 */
function engineFor(args: RunbookArgs, ctx: RunbookContext, target: AwsTarget) {
    const steps = (args.kind === "failover" ? failoverSteps(ctx) : failbackSteps(ctx))
        .map((s) => (args.force && s.readOnly ? forced(s) : s));
    const confirm = async () => args.yes || (args.approve !== undefined && await args.approve(ctx));
    const run = async (dryRun: boolean, stepsEnded?: StepsEnded): Promise<RunOutcome> => {
        if (ctx.portfolio && args.engine !== "region-switch") {
            // The apps' own runbooks, each with its own context, lock and report: runbook/portfolio.ts.
            return { results: [], error: new Error(`stack "${args.stack}" is a portfolio: its runbook runs its apps' (--portfolio ${args.stack}); ` +
                "this engine runs one app, or the portfolio's parent plan with --engine region-switch") };
        }
        if (args.engine === "region-switch") {
            const print = args.print ?? (args.renderer === "silent" ? () => undefined : (line: string) => { process.stdout.write(`${line}\n`); });
            return runRegionSwitch(ctx, {
                kind: args.kind, dryRun, confirm, print, client: (region) => new RegionSwitchClient(region, target),
                // Region switch tells of results once its execution started (or was found under way): approved.
                onResult: stepsEnded && ((soFar, of) => stepsEnded(soFar, of, true)),
            });
        }
        return runSteps(steps, ctx, {
            dryRun, confirm, simulate: args.simulate, renderer: args.renderer,
            onResult: stepsEnded && ((_, soFar, approvedThen) => stepsEnded(soFar, steps.length, approvedThen)),
        });
    };
    return { steps, run };
}

/** The run's lock in the dr region: one taken over from a dead run, or lost to another run later, is a fact of the report. */
async function takeRunLock(args: RunbookArgs, ctx: RunbookContext): Promise<HeldLock> {
    const lock = await acquireLock(ctx.dr, ctx.cfg.appName, thisRun(args.kind, args.stack, args.mode), args.breakLock === true, {
        // Its lock expired (SSM unanswered for minutes) and another run took it: the report says so.
        onLost: (holder) => ctx.facts.set("lock lost", `this run's lock expired and was taken by ${holder ? describeHolder(holder) : "another run"}, ` +
            `at ${new Date().toISOString()}: that run may act on the same pair`),
    });
    if (lock.tookOverFrom) {
        ctx.facts.set("lock", `took over the lock of ${describeHolder(lock.tookOverFrom)} (${lock.why})`);
    }
    return lock;
}

/** The releases under way after a signal, of every run in this process: the process exits once all have ended. */
const releasing = new Set<Promise<unknown>>();

/** On SIGINT or SIGTERM: `release` joins the releases under way, and the process exits once all have ended. */
function exitAfterReleases(signal: NodeJS.Signals, release: Promise<unknown>): void {
    releasing.add(release);
    // Every run of this process (a portfolio's apps side by side, and the portfolio) hears the signal in the
    // same tick: the exit waits until each has released its lock, not only this one.
    setImmediate(() => void Promise.allSettled([...releasing]).finally(() => process.exit(signal === "SIGINT" ? 130 : 143)));
}

/**
 * A lock released on SIGINT or SIGTERM before the process exits, with every other run's: a run's own
 * (runRunbook), or one held outside a run (a portfolio's, runbook/portfolioRunbook.ts). `release` may also say
 * what the person needs to go on. Returns what stops listening (call it before releasing as usual).
 */
export function releaseOnSignal(release: (signal: NodeJS.Signals) => Promise<unknown>): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
        stop();
        exitAfterReleases(signal, release(signal).catch(() => undefined));
    };
    const stop = () => {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    return stop;
}

export async function runRunbook(args: RunbookArgs): Promise<RunbookRun> {
    const target = args.endpoint ? { endpoint: args.endpoint, credentials: EMULATOR_CREDENTIALS } : {};
    const ctx = runbookContext({
        stack: args.stack, mode: args.mode, target,
        smokeUrl: args.smokeUrl, waitSeconds: args.waitSeconds, pollMs: args.pollMs, overrides: args.overrides, root: args.root,
    });
    const engine = engineFor(args, ctx, target);
    if (args.dryRun) {
        const plan = await engine.run(true);
        return { results: plan.results, error: plan.error, ctx };
    }

    // A run that was interrupted left its progress: this run continues it, under its start and report name, once
    // it is approved to change anything (runRecord.ts).
    const record = runRecord(args, ctx);

    let lock: HeldLock | undefined;
    // Interrupted (Ctrl-C, SIGTERM): the lock released, then what the person needs to go on, then the exit.
    const stopListening = releaseOnSignal((signal) => release().then((notReleased) => {
        const say = args.printError ?? ((line: string) => { process.stderr.write(`${line}\n`); });
        interruptedLines({
            kind: args.kind, signal, reportPath: record.written() ? record.reportPath() : undefined,
            progressPath: record.progressPath(), approved: record.approved(), notReleased,
        }).forEach(say);
    }));
    /** Releases the lock if this run holds it: what went wrong, if anything; never throws, so no failure hides another. */
    const release = async (): Promise<LockNotReleasedError | undefined> => {
        stopListening();
        try {
            await lock?.release();
            return undefined;
        } catch (err) {
            return new LockNotReleasedError(lockParameterName(ctx.cfg.appName), ctx.dr.region, err, args.endpoint, lock?.expiresAt());
        }
    };
    const locked = async (): Promise<RunbookRun> => {
        try {
            lock = await takeRunLock(args, ctx);
        } catch (err) {
            // Locked out, this run did nothing: no report of its own, and the holder's progress left alone.
            const results = engine.steps.map((s) => ({ id: s.id, title: s.title, status: "not-run" as const, expectedSeconds: s.expectedSeconds, seconds: 0, notes: [] }));
            return { results, error: err as Error, ctx };
        }
        const outcome = await engine.run(false, (soFar, of, approved) => record.stepsEnded(soFar, of, approved));
        const results = record.ended(outcome.results, outcome.error, outcome.approved === true);
        return { results, error: outcome.error, reportPath: record.reportPath(), ctx, approved: record.approved() };
    };

    let run: RunbookRun;
    try {
        run = await locked();
    } catch (err) {
        // Not a step's failure (those are in the outcome): a bug, or the report could not be written. It is the
        // error the person sees; the lock is released all the same.
        await release();
        throw err;
    }
    const notReleased = await release();
    if (!notReleased) {
        return run;
    }
    if (run.reportPath) {
        // The report records it too: the lock the run left is the next run's concern.
        ctx.facts.set("lock not released", notReleased.message);
        record.rewrite(run.results, run.error);
    }
    return { ...run, lockNotReleased: notReleased };
}
