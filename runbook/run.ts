// One run of the runbook: builds the context from the stack's config, takes the lock in the dr region (one
// run at a time: runbook/lock.ts), runs the tier's steps through the engine, and writes the drill report
// (Markdown and an SVG timeline) as each step finishes, with the progress that lets a re-run after a kill
// keep the killed run's timings (runbook/progress.ts). `npm run failover`, `npm run failback` and the
// drill's runbook phase all run through here, with the runbook's own engine (runbook/engine.ts) or, with
// `--engine region-switch`, an ARC Region switch plan execution (runbook/regionSwitchEngine.ts).
import * as fs from "fs";
import * as path from "path";
import { EMULATOR_CREDENTIALS } from "../model/emulator";
import { assessObjectives } from "../model/objectives";
import { Overrides } from "../model/stackFiles";
import { runbookContext } from "./context";
import { runSteps } from "./engine";
import { HeldLock, LockNotReleasedError, acquireLock, describeHolder, lockParameterName, thisRun } from "./lock";
import { RegionSwitchClient } from "./regionSwitch";
import { Engine, runRegionSwitch } from "./regionSwitchEngine";
import { continued, progressPath, readProgress, writeProgress } from "./progress";
import { failbackSteps } from "./failback";
import { failoverSteps } from "./failover";
import { reportMarkdown, timelineSvg } from "./report";
import { Mode, NotReadyError, RunbookContext, RunbookStep, StepResult } from "./types";

export interface RunbookArgs {
    readonly kind: "failover" | "failback";
    readonly stack: string;
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

export async function runRunbook(args: RunbookArgs): Promise<RunbookRun> {
    const target = args.endpoint ? { endpoint: args.endpoint, credentials: EMULATOR_CREDENTIALS } : {};
    const ctx = runbookContext({
        stack: args.stack, mode: args.mode, target,
        smokeUrl: args.smokeUrl, waitSeconds: args.waitSeconds, pollMs: args.pollMs, overrides: args.overrides,
    });
    const steps = (args.kind === "failover" ? failoverSteps(ctx) : failbackSteps(ctx))
        .map((s) => (args.force && s.readOnly ? forced(s) : s));
    const confirm = async () => args.yes || (args.approve !== undefined && await args.approve(ctx));
    const regionSwitch = args.engine === "region-switch";
    const print = args.print ?? (args.renderer === "silent" ? () => undefined : (line: string) => { process.stdout.write(`${line}\n`); });
    const viaRegionSwitch = (options: { dryRun: boolean; onResult?: (soFar: readonly StepResult[], of: number) => void }) =>
        runRegionSwitch(ctx, { kind: args.kind, confirm, print, client: (region) => new RegionSwitchClient(region, target), ...options });
    if (args.dryRun) {
        const plan = regionSwitch ? await viaRegionSwitch({ dryRun: true }) : await runSteps(steps, ctx, { dryRun: true, confirm });
        return { results: plan.results, error: plan.error, ctx };
    }

    // A run that was interrupted left its progress: this run continues it, under its start and report name, once
    // it is approved to change anything. Until then it has only read state, and is its own: a run refused by a
    // check (nothing to fail back, not ready) or by the person changed nothing. It writes its report under its own
    // name, leaves no progress for a later run to continue, and leaves an interrupted run's progress and report
    // as they were.
    const progressFile = progressPath(args.reportDir, args.kind, args.stack);
    const earlier = readProgress(progressFile);
    const ownStart = new Date();
    let continuing = false;
    const startedAt = () => (continuing && earlier ? new Date(earlier.startedAt) : ownStart);
    const base = () => path.join(args.reportDir, `${args.kind}-${args.stack}-${startedAt().toISOString().replace(/[:.]/g, "-")}`);
    let reportWritten = false;
    const write = (results: StepResult[], error?: Error, inProgress?: { of: number }) => {
        const report = {
            kind: args.kind, stack: args.stack, strategy: ctx.cfg.strategy, mode: args.mode, startedAt: startedAt(),
            results, rtoTargetSeconds: assessObjectives(ctx.cfg).targets.rtoSeconds,
            facts: ctx.facts, error: error?.message, target: args.endpoint ?? "AWS", inProgress,
        };
        fs.mkdirSync(args.reportDir, { recursive: true });
        // Whole or not at all: a kill mid-write leaves the previous version, not half a report.
        for (const [file, text] of [[`${base()}.md`, reportMarkdown(report)], [`${base()}.svg`, timelineSvg(report)]]) {
            fs.writeFileSync(`${file}.tmp`, text);
            fs.renameSync(`${file}.tmp`, file);
        }
        reportWritten = true;
    };
    /** Approved: from now on the run changes state, and continues the interrupted run if there is one. */
    const approved = () => {
        if (continuing) {
            return;
        }
        const ownBase = base();
        continuing = true;
        if (earlier) {
            // The report written so far under this run's own name moves to the interrupted run's.
            fs.rmSync(`${ownBase}.md`, { force: true });
            fs.rmSync(`${ownBase}.svg`, { force: true });
            ctx.facts.set("continued", `the run started ${earlier.startedAt} stopped before it finished; its finished steps keep their timings, ` +
                "and this run's steps follow them on the timeline (the time between the two runs left out)");
        }
    };
    const merged = (results: readonly StepResult[]) => (continuing ? continued(results, earlier?.results ?? []) : [...results]);

    let lock: HeldLock | undefined;
    // Interrupted (Ctrl-C, SIGTERM): the lock released, then what the person needs to go on, then the exit.
    const releaseOnSignal = (signal: NodeJS.Signals) => {
        void release().then((notReleased) => {
            const say = args.printError ?? ((line: string) => { process.stderr.write(`${line}\n`); });
            interruptedLines({
                kind: args.kind, signal, reportPath: reportWritten ? `${base()}.md` : undefined,
                progressPath: continuing && fs.existsSync(progressFile) ? progressFile : undefined, approved: continuing, notReleased,
            }).forEach(say);
        }).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", releaseOnSignal);
    process.once("SIGTERM", releaseOnSignal);
    /** Releases the lock if this run holds it: what went wrong, if anything; never throws, so no failure hides another. */
    const release = async (): Promise<LockNotReleasedError | undefined> => {
        process.removeListener("SIGINT", releaseOnSignal);
        process.removeListener("SIGTERM", releaseOnSignal);
        try {
            await lock?.release();
            return undefined;
        } catch (err) {
            return new LockNotReleasedError(lockParameterName(ctx.cfg.appName), ctx.dr.region, err, args.endpoint, lock?.expiresAt());
        }
    };
    const locked = async (): Promise<RunbookRun> => {
        try {
            lock = await acquireLock(ctx.dr, ctx.cfg.appName, thisRun(args.kind, args.stack, args.mode), args.breakLock === true, {
                // Its lock expired (SSM unanswered for minutes) and another run took it: the report says so.
                onLost: (holder) => ctx.facts.set("lock lost", `this run's lock expired and was taken by ${holder ? describeHolder(holder) : "another run"}, ` +
                    `at ${new Date().toISOString()}: that run may act on the same pair`),
            });
        } catch (err) {
            // Locked out, this run did nothing: no report of its own, and the holder's progress left alone.
            const results = steps.map((s) => ({ id: s.id, title: s.title, status: "not-run" as const, expectedSeconds: s.expectedSeconds, seconds: 0, notes: [] }));
            return { results, error: err as Error, ctx };
        }
        if (lock.tookOverFrom) {
            ctx.facts.set("lock", `took over the lock of ${describeHolder(lock.tookOverFrom)} (${lock.why})`);
        }
        // The report first, then the progress: whatever the progress says is done, the report shows. A run not
        // yet approved writes no progress: it has changed nothing for a later run to continue.
        const onResult = (soFar: readonly StepResult[], of: number, approvedNow: boolean) => {
            if (approvedNow) {
                approved();
            }
            const results = merged(soFar);
            write(results, undefined, { of });
            if (continuing) {
                writeProgress(progressFile, { kind: args.kind, stack: args.stack, mode: args.mode, startedAt: startedAt().toISOString(), results });
            }
        };
        const outcome = regionSwitch
            // Region switch tells of results once its execution started (or was found under way): approved.
            ? await viaRegionSwitch({ dryRun: false, onResult: (soFar, of) => onResult(soFar, of, true) })
            : await runSteps(steps, ctx, {
                dryRun: false, confirm, simulate: args.simulate, renderer: args.renderer,
                onResult: (_, soFar, approvedThen) => onResult(soFar, steps.length, approvedThen),
            });
        if (outcome.approved) {
            approved();
        }
        const results = merged(outcome.results);
        write(results, outcome.error);
        if (!outcome.error) {
            fs.rmSync(progressFile, { force: true });
        }
        return { results, error: outcome.error, reportPath: `${base()}.md`, ctx, approved: continuing };
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
        write(run.results, run.error);
    }
    return { ...run, lockNotReleased: notReleased };
}
