// A run's progress on disk, beside its report: written as each step finishes, so a killed run leaves its
// report and its timings, and the re-run that continues it keeps them (instead of showing the killed run's
// work as 0.0 s "already done"). Removed when a run completes. Files written before steps recorded their
// start and end still load: their steps are laid end to end, as that engine ran them.
import * as fs from "fs";
import * as path from "path";
import { StepResult } from "./types";

export interface Progress {
    readonly kind: string;
    readonly stack: string;
    readonly mode: string;
    /** When the first run of this operation started: the report keeps that name and that start. */
    readonly startedAt: string;
    readonly results: readonly StepResult[];
}

export const progressPath = (reportDir: string, kind: string, stack: string): string => path.join(reportDir, `.${kind}-${stack}.progress.json`);

/** The unfinished run's progress, or undefined when the last run completed (or there was none). */
export function readProgress(file: string): Progress | undefined {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Progress;
        return Array.isArray(parsed.results) && typeof parsed.startedAt === "string" ? { ...parsed, results: timed(parsed.results) } : undefined;
    } catch {
        return undefined;
    }
}

/** Written whole to a temporary file and renamed: a kill mid-write leaves the previous version. */
export function writeProgress(file: string, progress: Progress): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(progress, null, 2));
    fs.renameSync(`${file}.tmp`, file);
}

/**
 * A step's result in the continued run: a step this run found already done, which an earlier run of the
 * same operation did (or simulated), keeps the earlier run's status, time and notes. Anything this run did
 * itself is this run's.
 */
export function keepEarlier(now: StepResult, earlier: readonly StepResult[]): StepResult {
    const before = earlier.find((r) => r.id === now.id);
    if (now.status === "already-done" && before && (before.status === "done" || before.status === "simulated")) {
        return { ...before, notes: [...before.notes.filter((n) => n !== EARLIER_NOTE), EARLIER_NOTE] };
    }
    return now;
}

export const EARLIER_NOTE = "done by an earlier run of this operation, which was interrupted; its time is kept";

const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

/**
 * Results with their start and end: a result without them (from a progress file written before they were
 * recorded, when steps ran one after another) starts where the one before it ended and lasts its seconds.
 * A step that never started keeps none.
 */
export function timed(results: readonly StepResult[]): StepResult[] {
    let cursor = 0;
    return results.map((r) => {
        if (r.startedAt !== undefined && r.endedAt !== undefined) {
            cursor = Math.max(cursor, r.endedAt);
            return r;
        }
        if (r.status === "not-run" || r.status === "planned") {
            return r;
        }
        const placed = { ...r, startedAt: ms(cursor), endedAt: ms(cursor + r.seconds) };
        cursor = placed.endedAt;
        return placed;
    });
}

/**
 * The results of a run that continues an interrupted one, as its report shows them: what the earlier run did
 * keeps its result (keepEarlier), and this run's own steps follow the earlier run's on the one timeline, from
 * where its last step ended. The time between the two runs, when nothing ran, is left out.
 */
export function continued(now: readonly StepResult[], earlier: readonly StepResult[]): StepResult[] {
    const offset = earlier.reduce((end, r) => Math.max(end, r.endedAt ?? 0), 0);
    return now.map((r) => {
        const kept = keepEarlier(r, earlier);
        return kept !== r || r.startedAt === undefined || r.endedAt === undefined || offset === 0
            ? kept
            : { ...r, startedAt: ms(r.startedAt + offset), endedAt: ms(r.endedAt + offset) };
    });
}
