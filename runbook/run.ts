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
import { HeldLock, acquireLock, describeHolder, thisRun } from "./lock";
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
}

export interface RunbookRun {
    readonly results: StepResult[];
    readonly error?: Error;
    readonly reportPath?: string;
    readonly ctx: RunbookContext;
}

/** With --force, readiness problems are reported in the notes and the run goes on. */
function forced(step: RunbookStep): RunbookStep {
    return {
        ...step,
        run: async (ctx) => {
            try {
                return await step.run(ctx);
            } catch (err) {
                if (err instanceof NotReadyError) {
                    return [`forced past: ${err.reasons.join("; ")}`];
                }
                throw err;
            }
        },
    };
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

    // A run that was interrupted left its progress: this run continues it, under its start and report name.
    const progressFile = progressPath(args.reportDir, args.kind, args.stack);
    const earlier = readProgress(progressFile);
    const startedAt = earlier ? new Date(earlier.startedAt) : new Date();
    if (earlier) {
        ctx.facts.set("continued", `the run started ${earlier.startedAt} stopped before it finished; its finished steps keep their timings, ` +
            "and this run's steps follow them on the timeline (the time between the two runs left out)");
    }
    const base = path.join(args.reportDir, `${args.kind}-${args.stack}-${startedAt.toISOString().replace(/[:.]/g, "-")}`);
    const write = (results: StepResult[], error?: Error, inProgress?: { of: number }) => {
        const report = {
            kind: args.kind, stack: args.stack, strategy: ctx.cfg.strategy, mode: args.mode, startedAt,
            results, rtoTargetSeconds: assessObjectives(ctx.cfg).targets.rtoSeconds,
            facts: ctx.facts, error: error?.message, target: args.endpoint ?? "AWS", inProgress,
        };
        fs.mkdirSync(args.reportDir, { recursive: true });
        // Whole or not at all: a kill mid-write leaves the previous version, not half a report.
        for (const [file, text] of [[`${base}.md`, reportMarkdown(report)], [`${base}.svg`, timelineSvg(report)]]) {
            fs.writeFileSync(`${file}.tmp`, text);
            fs.renameSync(`${file}.tmp`, file);
        }
    };
    const merged = (results: readonly StepResult[]) => continued(results, earlier?.results ?? []);

    let lock: HeldLock | undefined;
    const releaseOnSignal = (signal: NodeJS.Signals) => {
        void (lock?.release() ?? Promise.resolve()).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", releaseOnSignal);
    process.once("SIGTERM", releaseOnSignal);
    try {
        try {
            lock = await acquireLock(ctx.dr, ctx.cfg.appName, thisRun(args.kind, args.stack, args.mode), args.breakLock === true);
        } catch (err) {
            // Locked out, this run did nothing: no report of its own, and the holder's progress left alone.
            const results = steps.map((s) => ({ id: s.id, title: s.title, status: "not-run" as const, expectedSeconds: s.expectedSeconds, seconds: 0, notes: [] }));
            return { results, error: err as Error, ctx };
        }
        if (lock.tookOverFrom) {
            ctx.facts.set("lock", `took over the lock of ${describeHolder(lock.tookOverFrom)}`);
        }
        // The report first, then the progress: whatever the progress says is done, the report shows.
        const onResult = (soFar: readonly StepResult[], of: number) => {
            const results = merged(soFar);
            write(results, undefined, { of });
            writeProgress(progressFile, { kind: args.kind, stack: args.stack, mode: args.mode, startedAt: startedAt.toISOString(), results });
        };
        const outcome = regionSwitch
            ? await viaRegionSwitch({ dryRun: false, onResult })
            : await runSteps(steps, ctx, {
                dryRun: false, confirm, simulate: args.simulate, renderer: args.renderer,
                onResult: (_, soFar) => onResult(soFar, steps.length),
            });
        const results = merged(outcome.results);
        write(results, outcome.error);
        if (!outcome.error) {
            fs.rmSync(progressFile, { force: true });
        }
        return { results, error: outcome.error, reportPath: `${base}.md`, ctx };
    } finally {
        await lock?.release();
        process.removeListener("SIGINT", releaseOnSignal);
        process.removeListener("SIGTERM", releaseOnSignal);
    }
}
