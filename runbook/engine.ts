// Runs runbook steps as their graph allows: a step starts once every step it waits for (RunbookStep.after)
// has ended well, so steps that wait for none of each other run side by side, as the RTO model times them
// (model/failoverGraph.ts). Each step checks state first (a re-run skips what is done), runs, and is verified
// by reading state again. Every step is timed from the run's start; a task list shows them on screen.
import { Listr } from "listr2";
import { NotConfirmedError, RunbookContext, RunbookStep, StepResult, StepStatus } from "./types";

export interface EngineOptions {
    /** Print the plan of steps and their expected durations; change nothing. */
    readonly dryRun: boolean;
    /** Asked once, before the first step that changes anything; false stops the run. */
    readonly confirm: () => Promise<boolean>;
    /** Steps an emulator cannot perform, with the reason: recorded as simulated, not run. */
    readonly simulate?: ReadonlyMap<string, string>;
    /** listr2 renderer: "default" on a terminal, "simple" in logs, "silent" in tests. */
    readonly renderer?: "default" | "simple" | "silent";
    /**
     * Told each step's result as it ends (a step that never started is not told): the run writes its progress
     * and report there. Called one at a time, in the order the steps ended, each call after the one before
     * has finished (a returned promise included), whatever the steps running beside each other do meanwhile.
     * `approved`: the person had approved the run's changes when the step ended (before that, the run has only
     * read state: a run refused by a check or by the person changed nothing).
     */
    readonly onResult?: (result: StepResult, soFar: readonly StepResult[], approved: boolean) => void | Promise<void>;
}

export interface RunOutcome {
    /** Every step's result, in the steps' own order. */
    readonly results: StepResult[];
    /**
     * Set when a step failed or the person declined: the failure of the first failed step in the steps' order
     * (steps side by side may fail in either order; the run names the same one each time).
     */
    readonly error?: Error;
    /** The person approved the changes (the one confirmation): false when the run only read state. */
    readonly approved?: boolean;
}

export function planOnly(steps: readonly RunbookStep[]): StepResult[] {
    return steps.map((s) => ({ id: s.id, title: s.title, status: "planned", expectedSeconds: s.expectedSeconds, ...(s.expectedStart !== undefined ? { expectedStart: s.expectedStart } : {}), seconds: 0, notes: [] }));
}

/**
 * The ids each step waits for, in the steps' order. A step without `after` waits for the step before it; a
 * wait on a step the run does not include is dropped. A wait on a later step (or on itself) is refused, as are
 * two steps with one id: the steps' order is then an order the waits can run in, and no wait can go round.
 */
export function waitsOf(steps: readonly Pick<RunbookStep, "id" | "after">[]): string[][] {
    const index = new Map(steps.map((s, i) => [s.id, i]));
    if (index.size !== steps.length) {
        throw new Error(`runbook steps: two steps share an id (${steps.map((s) => s.id).join(", ")})`);
    }
    return steps.map((step, i) => {
        if (step.after === undefined) {
            return i === 0 ? [] : [steps[i - 1].id];
        }
        return step.after.filter((id) => {
            const at = index.get(id);
            if (at !== undefined && at >= i) {
                throw new Error(`runbook steps: ${step.id} waits for ${id}, which does not come before it`);
            }
            return at !== undefined;
        });
    });
}

/** How a step ended, as the steps waiting for it see it. */
export type Ending =
    | { readonly ok: true }
    /** `failed`: it failed itself; else it did not run, for `cause`. */
    | { readonly ok: false; readonly failed: boolean; readonly cause: string };

/**
 * Why a step must not start, given how the steps it waits for ended: the first of them (in its `after` order)
 * that did not end well, named with the failure at the root; undefined when all ended well.
 */
export function notRunNote(waits: readonly (readonly [string, Ending])[]): string | undefined {
    for (const [id, ending] of waits) {
        if (!ending.ok) {
            return `not run: it waits for ${id}, which ${ending.failed ? "failed" : `did not run (${ending.cause})`}`;
        }
    }
    return undefined;
}

/** The cause a step's dependents name: its own failure, or what stopped it. */
function causeOf(id: string, ending: Ending): string {
    return ending.ok ? "" : ending.failed ? `${id} failed` : ending.cause;
}

/**
 * Runs callbacks one at a time, in the order they were queued, each after the one before has finished: the
 * run's report and progress writes never interleave nor overtake each other. A callback's failure is kept
 * (the first one) and does not stop the ones after it.
 */
export function serialQueue(): { push(callback: () => void | Promise<void>): void; drained(): Promise<Error | undefined> } {
    let tail: Promise<void> = Promise.resolve();
    let failure: Error | undefined;
    return {
        push(callback) {
            tail = tail.then(callback).catch((err: unknown) => {
                failure ??= err instanceof Error ? err : new Error(String(err));
            });
        },
        drained: () => tail.then(() => failure),
    };
}

/** What the person sees of the run: told when each step starts, what it logs, and how it ended. */
interface Display {
    started(step: RunbookStep): void;
    log(step: RunbookStep, message: string): void;
    ended(step: RunbookStep, result: StepResult): void;
    /** Resolves once the display has shown every step's end. */
    closed(): Promise<void>;
}

const SILENT: Display = { started: () => undefined, log: () => undefined, ended: () => undefined, closed: async () => undefined };

/**
 * listr2's task list, one task per step, all concurrent: it follows the engine and runs nothing itself, so
 * what runs when is the engine's decision alone. A task waits for its step's end and shows it.
 */
function taskList(steps: readonly RunbookStep[], waits: readonly string[][], renderer: "default" | "simple"): Display {
    interface Shown { title: string; output: string }
    const handles = new Map<string, Shown>();
    const started = new Set<string>();
    const lastLog = new Map<string, string>();
    const ends = new Map(steps.map((s) => {
        let resolve!: (r: StepResult) => void;
        const promise = new Promise<StepResult>((r) => { resolve = r; });
        return [s.id, { promise, resolve }] as const;
    }));
    const list = new Listr(steps.map((step, i) => ({
        title: step.title,
        task: async (_: unknown, task: Shown & { skip(message?: string): void }) => {
            handles.set(step.id, task);
            if (!started.has(step.id) && waits[i].length > 0) {
                task.title = `${step.title} (waits for ${waits[i].join(", ")})`;
            }
            if (lastLog.has(step.id)) {
                task.output = lastLog.get(step.id)!;
            }
            const result = await ends.get(step.id)!.promise;
            task.title = step.title;
            switch (result.status) {
                case "failed":
                    throw new Error(result.notes.join("; "));
                case "not-run":
                    task.skip(result.notes.join("; "));
                    return;
                case "already-done":
                    task.skip(`${step.title}: already done`);
                    return;
                case "simulated":
                    task.title = `${step.title} [simulated: ${result.notes.join("; ")}]`;
                    return;
                default:
                    task.title = `${step.title} (${result.seconds} s)`;
            }
        },
    })), {
        concurrent: true,
        // A failed step stops its dependents, not the list: the engine decides that, the list only shows it.
        exitOnError: false,
        // The run handles Ctrl-C itself (it releases its lock first); listr2's own handler exits with 127.
        registerSignalListeners: false,
        renderer,
        fallbackRenderer: "simple",
    });
    const shown = list.run().then(() => undefined, () => undefined);
    return {
        started(step) {
            started.add(step.id);
            const task = handles.get(step.id);
            if (task) {
                task.title = step.title;
            }
        },
        log(step, message) {
            lastLog.set(step.id, message);
            const task = handles.get(step.id);
            if (task) {
                task.output = message;
            }
        },
        ended: (step, result) => ends.get(step.id)!.resolve(result),
        closed: () => shown,
    };
}

/** Seconds, to the millisecond: starts and ends, so that the order of two steps' ends and starts is kept. */
const ms = (milliseconds: number) => Math.round(milliseconds) / 1000;
/** A step's duration as the report shows it: tenths of a second. */
const tenths = (milliseconds: number) => Math.round(milliseconds / 100) / 10;

/**
 * The run's one confirmation: the first step that changes anything asks, the others wait on its answer. A
 * refusal (the person said no, or the question failed) halts the run: no step starts after it.
 */
function approvalGate(confirm: () => Promise<boolean>) {
    let answer: Promise<Error | undefined> | undefined;
    let approved = false;
    let halted: Error | undefined;
    return {
        /** The answer (a refusal, or undefined: approved), and whether this call is the one that asked. */
        ask(): { asked: boolean; answer: Promise<Error | undefined> } {
            const asked = answer === undefined;
            answer ??= confirm().then(
                (yes) => {
                    approved ||= yes;
                    return yes ? undefined : new NotConfirmedError();
                },
                (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
            ).then((refusal) => {
                halted ??= refusal;
                return refusal;
            });
            return { asked, answer };
        },
        /** The person said yes: from then on the run may change state. */
        approved: () => approved,
        /** Set when the person declined (or the question failed). */
        halted: () => halted,
    };
}

/** What running one step needs from its run. */
interface StepRun {
    readonly ctx: RunbookContext;
    readonly options: EngineOptions;
    readonly display: Display;
    readonly gate: ReturnType<typeof approvalGate>;
    /** When the run started: each step's start and end are counted from it. */
    readonly runStart: number;
    record(step: RunbookStep, result: StepResult): void;
    notRun(step: RunbookStep, note: string): StepResult;
    /** A step's failure, kept: the run's error is the first failed step's, in the steps' order. */
    failed(step: RunbookStep, error: Error): void;
}

/**
 * One step: done already (its state read first), or approved (the run's one confirmation), run, and verified by
 * reading its state again; recorded with its start and end. How it ended, for the steps waiting for it.
 */
async function runStep(step: RunbookStep, run: StepRun): Promise<Ending> {
    const { ctx, options, display, gate } = run;
    const started = Date.now();
    const end = (status: StepStatus, notes: readonly string[]) => {
        const ended = Date.now();
        run.record(step, {
            id: step.id, title: step.title, status, expectedSeconds: step.expectedSeconds, ...(step.expectedStart !== undefined ? { expectedStart: step.expectedStart } : {}), seconds: tenths(ended - started),
            startedAt: ms(started - run.runStart), endedAt: ms(ended - run.runStart), notes,
        });
    };
    display.started(step);
    // The steps see what is simulated: a part of a step (`<step id>:<part>`) is the step's to skip.
    const stepCtx: RunbookContext = { ...ctx, simulate: options.simulate ?? ctx.simulate, log: (message: string) => display.log(step, message) };
    try {
        if (!step.selfVerifying && await step.done(stepCtx)) {
            end("already-done", ["state already as wanted: nothing changed"]);
            return { ok: true };
        }
        if (!step.readOnly) {
            const { asked, answer } = gate.ask();
            const refusal = await answer;
            if (refusal && asked) {
                throw refusal;
            }
            if (refusal) {
                // It only read state, waiting for the answer another step asked: it did not run.
                run.record(step, run.notRun(step, `not run: ${refusal.message}`));
                return { ok: false, failed: false, cause: refusal.message };
            }
        }
        const simulated = options.simulate?.get(step.id);
        if (simulated !== undefined) {
            end("simulated", [simulated]);
            return { ok: true };
        }
        const notes = (await step.run(stepCtx)) ?? [];
        // A read-only step changed nothing to read back: its run() is the check.
        if (!step.selfVerifying && !step.readOnly && !(await step.done(stepCtx))) {
            throw new Error(`${step.id}: AWS accepted the change but the state did not follow (verified by reading it back)`);
        }
        end("done", notes);
        return { ok: true };
    } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        run.failed(step, error);
        end("failed", [error.message]);
        return { ok: false, failed: true, cause: `${step.id} failed` };
    }
}

export async function runSteps(steps: readonly RunbookStep[], ctx: RunbookContext, options: EngineOptions): Promise<RunOutcome> {
    if (options.dryRun) {
        return { results: planOnly(steps) };
    }
    const waits = waitsOf(steps);
    const runStart = Date.now();
    const renderer = options.renderer ?? (process.stdout.isTTY ? "default" : "simple");
    const display = renderer === "silent" ? SILENT : taskList(steps, waits, renderer);
    const recorded = new Map<string, StepResult>();
    const inOrder = () => steps.flatMap((s) => recorded.get(s.id) ?? []);
    const reports = serialQueue();
    const failures = new Map<string, Error>();
    const gate = approvalGate(options.confirm);

    const record = (step: RunbookStep, result: StepResult) => {
        recorded.set(step.id, result);
        display.ended(step, result);
        // A step that never started has nothing to report yet: the run's final report lists it.
        if (result.startedAt !== undefined && options.onResult) {
            const onResult = options.onResult, soFar = inOrder().filter((r) => r.startedAt !== undefined), approvedThen = gate.approved();
            reports.push(() => onResult(result, soFar, approvedThen));
        }
    };
    const notRun = (step: RunbookStep, note: string): StepResult =>
        ({ id: step.id, title: step.title, status: "not-run", expectedSeconds: step.expectedSeconds, ...(step.expectedStart !== undefined ? { expectedStart: step.expectedStart } : {}), seconds: 0, notes: [note] });
    const run: StepRun = { ctx, options, display, gate, runStart, record, notRun, failed: (step, error) => failures.set(step.id, error) };

    // One promise per step, made in the steps' order: each waits for the promises of the steps it waits for
    // (all made before it), then starts, or records why it does not. None rejects.
    const endings = new Map<string, Promise<Ending>>();
    steps.forEach((step, i) => {
        endings.set(step.id, (async (): Promise<Ending> => {
            const before = await Promise.all(waits[i].map(async (id) => [id, await endings.get(id)!] as const));
            const blocked = notRunNote(before);
            if (blocked !== undefined) {
                record(step, notRun(step, blocked));
                const [id, ending] = before.find(([, e]) => !e.ok)!;
                return { ok: false, failed: false, cause: causeOf(id, ending) };
            }
            const halted = gate.halted();
            if (halted) {
                record(step, notRun(step, `not run: ${halted.message}`));
                return { ok: false, failed: false, cause: halted.message };
            }
            return runStep(step, run);
        })());
    });
    // Every started step ends before the run returns (run.ts releases its lock then), a failed one included.
    await Promise.all(endings.values());
    const reportError = await reports.drained();
    await display.closed();
    const failed = steps.find((s) => failures.has(s.id));
    return { results: inOrder(), error: (failed && failures.get(failed.id)) ?? reportError, approved: gate.approved() };
}
