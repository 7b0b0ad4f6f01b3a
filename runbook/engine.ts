// Runs runbook steps in order with a task list on screen: each step checks state first (a re-run skips what
// is done), runs, and is verified by reading state again. Every step is timed.
import { Listr, ListrTask } from "listr2";
import { RunbookContext, RunbookStep, StepResult } from "./types";

export interface EngineOptions {
    /** Print the plan of steps and their expected durations; change nothing. */
    readonly dryRun: boolean;
    /** Asked once, before the first step that changes anything; false stops the run. */
    readonly confirm: () => Promise<boolean>;
    /** Steps an emulator cannot perform, with the reason: recorded as simulated, not run. */
    readonly simulate?: ReadonlyMap<string, string>;
    /** listr2 renderer: "default" on a terminal, "simple" in logs, "silent" in tests. */
    readonly renderer?: "default" | "simple" | "silent";
    /** Told each step's result as it finishes: the run writes its progress and report there. */
    readonly onResult?: (result: StepResult, soFar: readonly StepResult[]) => void;
}

export interface RunOutcome {
    readonly results: StepResult[];
    /** Set when a step failed or the person declined; the results say which step. */
    readonly error?: Error;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export function planOnly(steps: readonly RunbookStep[]): StepResult[] {
    return steps.map((s) => ({ id: s.id, title: s.title, status: "planned", expectedSeconds: s.expectedSeconds, seconds: 0, notes: [] }));
}

export async function runSteps(steps: readonly RunbookStep[], ctx: RunbookContext, options: EngineOptions): Promise<RunOutcome> {
    if (options.dryRun) {
        return { results: planOnly(steps) };
    }
    const results: StepResult[] = [];
    let confirmed = false;
    const record = (step: RunbookStep, status: StepResult["status"], started: number, notes: string[]) => {
        const result: StepResult = { id: step.id, title: step.title, status, expectedSeconds: step.expectedSeconds, seconds: seconds(started), notes };
        results.push(result);
        options.onResult?.(result, results);
    };

    const tasks: ListrTask[] = steps.map((step) => ({
        title: step.title,
        task: async (_, task) => {
            const started = Date.now();
            const log = (message: string) => { task.output = message; };
            const stepCtx: RunbookContext = { ...ctx, log };
            try {
                if (!step.selfVerifying && await step.done(stepCtx)) {
                    record(step, "already-done", started, ["state already as wanted: nothing changed"]);
                    task.skip(`${step.title}: already done`);
                    return;
                }
                const simulated = options.simulate?.get(step.id);
                if (!step.readOnly && !confirmed) {
                    confirmed = await options.confirm();
                    if (!confirmed) {
                        throw new Error("not confirmed: nothing was changed");
                    }
                }
                if (simulated !== undefined) {
                    record(step, "simulated", started, [simulated]);
                    task.title = `${step.title} [simulated: ${simulated}]`;
                    return;
                }
                const notes = (await step.run(stepCtx)) ?? [];
                // A read-only step changed nothing to read back: its run() is the check.
                if (!step.selfVerifying && !step.readOnly && !(await step.done(stepCtx))) {
                    throw new Error(`${step.id}: AWS accepted the change but the state did not follow (verified by reading it back)`);
                }
                record(step, "done", started, notes);
                task.title = `${step.title} (${seconds(started)} s)`;
            } catch (err) {
                record(step, "failed", started, [(err as Error).message]);
                throw err;
            }
        },
    }));

    try {
        await new Listr(tasks, {
            concurrent: false,
            exitOnError: true,
            // The run handles Ctrl-C itself (it releases its lock first); listr2's own handler exits with 127.
            registerSignalListeners: false,
            renderer: options.renderer ?? (process.stdout.isTTY ? "default" : "simple"),
            fallbackRenderer: "simple",
        }).run();
        return { results };
    } catch (err) {
        const ran = new Set(results.map((r) => r.id));
        for (const step of steps.filter((s) => !ran.has(s.id))) {
            results.push({ id: step.id, title: step.title, status: "not-run", expectedSeconds: step.expectedSeconds, seconds: 0, notes: [] });
        }
        return { results, error: err as Error };
    }
}
