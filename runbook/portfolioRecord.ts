// What a portfolio run keeps on disk, beside its apps' own reports and progress: its report, and its progress
// (which apps it completed), both written whole as each app ends, so a killed run leaves them and the same
// command continues: it skips the apps the killed run completed (runbook/portfolio.ts), and each other app
// continues from its own progress (runbook/runRecord.ts). The progress is removed once every app completed.
import * as fs from "fs";
import * as path from "path";
import type { AppOutcome, Kind } from "./portfolio";
import { PortfolioReportInput, portfolioMarkdown } from "./portfolioReport";
import type { Mode } from "./types";

export interface PortfolioProgress {
    readonly kind: Kind;
    readonly portfolio: string;
    readonly mode: Mode;
    /** When the first run of this portfolio command started: the report keeps that name and that start. */
    readonly startedAt: string;
    /** The time the runs so far took, from each one's approval to its last app's end. */
    readonly elapsedSeconds: number;
    readonly outcomes: readonly AppOutcome[];
}

/** Beside the apps' own progress files (runbook/progress.ts), under the report folder. */
export const portfolioProgressPath = (reportDir: string, kind: Kind, portfolio: string): string =>
    path.join(reportDir, `.portfolio-${kind}-${portfolio}.progress.json`);

/** The interrupted run's progress, or undefined when the last run completed (or there was none, or it is unreadable). */
export function readPortfolioProgress(file: string): PortfolioProgress | undefined {
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as PortfolioProgress;
        return Array.isArray(parsed.outcomes) && typeof parsed.startedAt === "string" ? { ...parsed, elapsedSeconds: parsed.elapsedSeconds ?? 0 } : undefined;
    } catch {
        return undefined;
    }
}

/** Written whole to a temporary file and renamed: a kill mid-write leaves the previous version. */
function writeWhole(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
}

export interface PortfolioRecordOf {
    readonly kind: Kind;
    readonly portfolio: string;
    readonly mode: Mode;
    readonly reportDir: string;
}

export interface PortfolioRecord {
    /** The outcomes of the interrupted run this one continues: its completed apps are skipped. */
    readonly earlier: readonly AppOutcome[];
    /** When the interrupted run started, where this one continues it. */
    readonly continued?: string;
    readonly startedAt: Date;
    readonly reportPath: string;
    /** The time so far, the interrupted runs' included. */
    measuredSeconds(): number;
    /** As each app ends, and at the end: the report, then (unless every app completed, when it is removed) the progress. */
    write(report: Omit<PortfolioReportInput, "startedAt" | "continued" | "measuredSeconds">, completed: boolean): void;
}

/**
 * The run's record, from its approval on (call it once approved: a run refused changes nothing and leaves an
 * interrupted run's progress as it was).
 */
export function portfolioRecord(of: PortfolioRecordOf, now = new Date()): PortfolioRecord {
    const file = portfolioProgressPath(of.reportDir, of.kind, of.portfolio);
    const found = readPortfolioProgress(file);
    const earlier = found && found.kind === of.kind && found.portfolio === of.portfolio ? found : undefined;
    const startedAt = earlier ? new Date(earlier.startedAt) : now;
    const ownStart = Date.now();
    const measuredSeconds = () => (earlier?.elapsedSeconds ?? 0) + (Date.now() - ownStart) / 1000;
    const reportPath = path.join(of.reportDir, `portfolio-${of.kind}-${of.portfolio}-${startedAt.toISOString().replace(/[:.]/g, "-")}.md`);
    return {
        earlier: earlier?.outcomes ?? [],
        continued: earlier?.startedAt,
        startedAt,
        reportPath,
        measuredSeconds,
        write(report, completed) {
            const measured = measuredSeconds();
            // The report first, then the progress: whatever the progress says is completed, the report shows.
            writeWhole(reportPath, portfolioMarkdown({ ...report, startedAt, continued: earlier?.startedAt, measuredSeconds: measured }));
            if (completed) {
                fs.rmSync(file, { force: true });
            } else {
                writeWhole(file, JSON.stringify({
                    kind: of.kind, portfolio: of.portfolio, mode: of.mode, startedAt: startedAt.toISOString(), elapsedSeconds: measured, outcomes: report.outcomes,
                } satisfies PortfolioProgress, null, 2));
            }
        },
    };
}
