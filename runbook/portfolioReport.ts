// The portfolio's report, on top of its apps' own (each app's run writes its own report and progress): per
// app its wave, status, measured time, its own estimate and its report; the portfolio's measured time against
// its estimate and target; and, where apps failed or did not start, the commands that resume them. Pure: the
// text, and the commands it names; runbook/portfolioRecord.ts writes it.
import type { PortfolioEstimate } from "../model/portfolio/estimate";
import { shellCommand } from "../model/tooling/shell";
import type { Mode } from "./types";
import { AppOutcome, DEFAULT_PARALLEL, Kind, PortfolioAppPlan, portfolioCompleted } from "./portfolio";

/** What names a portfolio command, so a message can print the one that resumes it. */
export interface PortfolioCommandOf {
    readonly kind: Kind;
    readonly portfolio: string;
    readonly mode: Mode;
    readonly endpoint?: string;
    readonly reportDir: string;
    readonly parallel?: number;
    readonly keepGoing?: boolean;
}

/** The default report folder: a command run with it does not name it. */
export const DEFAULT_REPORT_DIR = "reports";

function sharedOptions(c: Omit<PortfolioCommandOf, "portfolio">): string[] {
    return [
        ...(c.kind === "failover" && c.mode === "unplanned" ? ["--unplanned"] : []),
        ...(c.endpoint ? ["--endpoint", c.endpoint] : []),
        ...(c.reportDir !== DEFAULT_REPORT_DIR ? ["--report-dir", c.reportDir] : []),
    ];
}

/**
 * The same portfolio command, approved: it skips the apps this run completed and continues the others, each
 * from its own progress.
 */
export function resumeCommand(c: PortfolioCommandOf): string {
    return shellCommand("npm", "run", c.kind, "--", "--portfolio", c.portfolio, ...sharedOptions(c),
        ...(c.parallel !== undefined && c.parallel !== DEFAULT_PARALLEL ? ["--parallel", String(c.parallel)] : []), ...(c.keepGoing ? ["--keep-going"] : []), "--yes");
}

/** One app's own command (it continues that app's run from its progress), for a person who fixes one app alone. */
export function appCommand(c: PortfolioCommandOf, stack: string): string {
    return shellCommand("npm", "run", c.kind, "--", "--stack", stack, ...sharedOptions(c));
}

export interface PortfolioReportInput extends PortfolioCommandOf {
    /** The portfolio's dr:appName. */
    readonly appName: string;
    readonly startedAt: Date;
    /** Where the runs went: the emulator's endpoint, or AWS. */
    readonly target: string;
    readonly apps: readonly PortfolioAppPlan[];
    readonly outcomes: readonly AppOutcome[];
    readonly estimate: PortfolioEstimate;
    /** From the approval to now (or the last app's end), the interrupted runs' time included. */
    readonly measuredSeconds: number;
    /** Apps are still running, or the run was interrupted. */
    readonly inProgress: boolean;
    readonly stoppedAfterWave?: number;
    /** When the interrupted run this one continues started. */
    readonly continued?: string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const secs = (n: number | undefined) => (n === undefined ? "–" : n.toFixed(1));

/** The apps that failed or never started: what a person must resume, in the order the run takes them. */
export function unfinished(outcomes: readonly AppOutcome[]): AppOutcome[] {
    return outcomes.filter((o) => o.status === "failed" || o.status === "not-started");
}

/** The closing lines: each failed app named with its error, what did not start, and the commands that resume them. */
export function resumeLines(r: Pick<PortfolioReportInput, "outcomes" | "stoppedAfterWave" | keyof PortfolioCommandOf>): string[] {
    const failed = r.outcomes.filter((o) => o.status === "failed");
    const notStarted = r.outcomes.filter((o) => o.status === "not-started");
    if (failed.length === 0 && notStarted.length === 0) {
        return [];
    }
    return [
        ...failed.map((o) => `${o.stack} (wave ${o.wave}) failed: ${o.error ?? "see its report"}${o.reportPath ? ` (report: ${o.reportPath})` : ""}`),
        ...(notStarted.length > 0 ? [`not started: ${notStarted.map((o) => `${o.stack} (wave ${o.wave})`).join(", ")}` +
            (r.stoppedAfterWave !== undefined ? `: wave ${r.stoppedAfterWave} had a failed app, and the next wave waits for it (--keep-going does not wait)` : "")] : []),
        `Resume (the completed apps are skipped, each other app continues from its own progress): ${resumeCommand(r)}`,
        ...failed.map((o) => `  or ${o.stack} alone: ${appCommand(r, o.stack)}`),
    ];
}

/** The portfolio's report, in Markdown. */
export function portfolioMarkdown(r: PortfolioReportInput): string {
    const plan = (stack: string) => r.apps.find((a) => a.member.stack === stack);
    const done = portfolioCompleted(r.outcomes);
    const withDecision = r.measuredSeconds + r.estimate.decidedSeconds;
    const outcome = r.inProgress ? "**in progress, or interrupted**: re-run the same command to continue"
        : done ? "completed"
        : r.stoppedAfterWave !== undefined ? `**stopped** after wave ${r.stoppedAfterWave}: an app of it failed`
        : "**stopped**: an app failed";
    const waves = [...new Set(r.outcomes.map((o) => o.wave))];
    const lines = [
        `# Portfolio ${r.kind} report: ${r.portfolio} (${r.appName}, ${r.mode})`,
        "",
        `- started: ${r.startedAt.toISOString()}`,
        ...(r.continued ? [`- continued: the run started ${r.continued} stopped before it finished; the apps it completed are skipped and keep their times`] : []),
        `- against: ${r.target}`,
        `- outcome: ${outcome}`,
        `- waves, in the order run: ${waves.join(", ")}${r.kind === "failback" ? " (a failback takes the last wave first)" : ""}; up to ${r.parallel ?? "?"} apps at a time within a wave`,
        `- measured: ${r.measuredSeconds.toFixed(1)} s from the approval to the last app's end` +
            (r.kind === "failover"
                ? `; with detection and the decision (the estimate's ${r.estimate.decidedSeconds} s, before any run) ${withDecision.toFixed(1)} s ` +
                  `against the portfolio's RTO target of ${r.estimate.rtoTargetSeconds} s: ` +
                  `${!done ? "not judged, as not every app has completed" : withDecision <= r.estimate.rtoTargetSeconds ? "met" : "**missed**"}` +
                  `; the estimate for a real failover is ${r.estimate.rtoSeconds} s`
                : `; the RTO target (${r.estimate.rtoTargetSeconds} s) and the estimate (${r.estimate.rtoSeconds} s) are the failover's`),
        "",
        "| wave | app (dr stack) | app name | strategy | status | measured (s) | its estimate (s) | its report |",
        "|---|---|---|---|---|---|---|---|",
        ...r.outcomes.map((o) => {
            const p = plan(o.stack);
            return `| ${o.wave} | ${o.stack} | ${p?.appName ?? "–"} | ${p?.strategy ?? "–"} | ${o.status} | ${secs(o.seconds)} | ${p?.estimateSeconds ?? "–"} | ${o.reportPath ? cell(o.reportPath) : "–"} |`;
        }),
        "",
        "Each app's measured time is its own report's; its estimate is its own RTO estimate (detection and the decision included).",
    ];
    const resume = resumeLines(r);
    if (!r.inProgress && resume.length > 0) {
        // The commands as code, to copy whole.
        lines.push("", "## To resume", "", ...resume.map((l) => `- ${cell(l.trim()).replace(/: (npm run .*)$/, ": `$1`")}`));
    }
    return `${lines.join("\n")}\n`;
}

/** The portfolio's outcome on the terminal (the runbook's and the drill's): an app a line, then its estimate against its target. */
export function portfolioLines(done: {
    readonly plans: readonly PortfolioAppPlan[]; readonly estimate: PortfolioEstimate; readonly reportPath?: string; readonly outcomes: readonly AppOutcome[];
}, kind: Kind): string[] {
    const estimateOf = (stack: string) => done.plans.find((p) => p.member.stack === stack)?.estimateSeconds;
    return [
        `\nportfolio report: ${done.reportPath}`,
        ...done.outcomes.map((o) => `  wave ${o.wave}  ${o.status.padEnd(17)} ${secs(o.seconds).padStart(7)} s (its estimate ${estimateOf(o.stack)} s)  ` +
            `${o.stack}${o.reportPath ? `  ${o.reportPath}` : ""}`),
        ...(kind === "failover" ? [`  portfolio estimate ${done.estimate.rtoSeconds} s against its RTO target ${done.estimate.rtoTargetSeconds} s (the report has the measured total)`] : []),
    ];
}
