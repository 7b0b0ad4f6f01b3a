// What a run keeps on disk as it goes: its drill report (Markdown and an SVG timeline), written whole as each
// step ends, and the progress that lets a re-run after a kill keep the killed run's timings (progress.ts).
// A run continues an interrupted one only once it is approved to change anything: until then it has only read
// state, and is its own. A run refused by a check (nothing to fail back, not ready) or by the person changed
// nothing: it writes its report under its own name, leaves no progress for a later run to continue, and leaves
// an interrupted run's progress and report as they were.
import * as fs from "fs";
import * as path from "path";
import { assessObjectives } from "../model/objectives";
import { continued, progressPath, readProgress, writeProgress } from "./progress";
import { reportMarkdown, timelineSvg } from "./report";
import { Mode, RunbookContext, StepResult } from "./types";

export interface RunRecordOf {
    readonly kind: "failover" | "failback";
    readonly stack: string;
    readonly mode: Mode;
    readonly reportDir: string;
    /** Where the run goes: the emulator's endpoint, or undefined for AWS. */
    readonly endpoint?: string;
}

export interface RunRecord {
    /** Told the results so far as steps end (`approved`: the person had approved by then): the report, then the progress. */
    stepsEnded(soFar: readonly StepResult[], of: number, approved: boolean): void;
    /** The run's end: its results as the report shows them, written; its progress removed when it completed. */
    ended(results: readonly StepResult[], error: Error | undefined, approved: boolean): StepResult[];
    /** Writes the report again (the run added a fact after it ended). */
    rewrite(results: readonly StepResult[], error: Error | undefined): void;
    /** The report's Markdown file: under the interrupted run's name once this run continues it. */
    reportPath(): string;
    /** A report was written. */
    written(): boolean;
    /** The run was approved: it may have changed state, and continues the interrupted run if there was one. */
    approved(): boolean;
    /** The progress a re-run continues from, where this run wrote one. */
    progressPath(): string | undefined;
}

export function runRecord(of: RunRecordOf, ctx: RunbookContext): RunRecord {
    const progressFile = progressPath(of.reportDir, of.kind, of.stack);
    const earlier = readProgress(progressFile);
    const ownStart = new Date();
    let continuing = false;
    const startedAt = () => (continuing && earlier ? new Date(earlier.startedAt) : ownStart);
    const base = () => path.join(of.reportDir, `${of.kind}-${of.stack}-${startedAt().toISOString().replace(/[:.]/g, "-")}`);
    let reportWritten = false;
    const write = (results: readonly StepResult[], error?: Error, inProgress?: { of: number }) => {
        const report = {
            kind: of.kind, stack: of.stack, strategy: ctx.cfg.strategy, mode: of.mode, startedAt: startedAt(),
            results, rtoTargetSeconds: assessObjectives(ctx.cfg).targets.rtoSeconds,
            facts: ctx.facts, error: error?.message, target: of.endpoint ?? "AWS", inProgress,
        };
        fs.mkdirSync(of.reportDir, { recursive: true });
        // Whole or not at all: a kill mid-write leaves the previous version, not half a report.
        for (const [file, text] of [[`${base()}.md`, reportMarkdown(report)], [`${base()}.svg`, timelineSvg(report)]]) {
            fs.writeFileSync(`${file}.tmp`, text);
            fs.renameSync(`${file}.tmp`, file);
        }
        reportWritten = true;
    };
    /** Approved: from now on the run changes state, and continues the interrupted run if there is one. */
    const approve = () => {
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
    return {
        // The report first, then the progress: whatever the progress says is done, the report shows. A run not
        // yet approved writes no progress: it has changed nothing for a later run to continue.
        stepsEnded(soFar, steps, approved) {
            if (approved) {
                approve();
            }
            const results = merged(soFar);
            write(results, undefined, { of: steps });
            if (continuing) {
                writeProgress(progressFile, { kind: of.kind, stack: of.stack, mode: of.mode, startedAt: startedAt().toISOString(), results });
            }
        },
        ended(results, error, approved) {
            if (approved) {
                approve();
            }
            const all = merged(results);
            write(all, error);
            if (!error) {
                fs.rmSync(progressFile, { force: true });
            }
            return all;
        },
        rewrite: (results, error) => write(results, error),
        reportPath: () => `${base()}.md`,
        written: () => reportWritten,
        approved: () => continuing,
        progressPath: () => (continuing && fs.existsSync(progressFile) ? progressFile : undefined),
    };
}
