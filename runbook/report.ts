// The drill report: each step's measured duration beside the model's expectation, in Markdown, and an SVG
// timeline of the steps against the RTO target.
import { StepResult } from "./types";

export interface ReportInput {
    readonly kind: "failover" | "failback";
    readonly stack: string;
    readonly strategy: string;
    readonly mode: string;
    readonly startedAt: Date;
    readonly results: readonly StepResult[];
    readonly rtoTargetSeconds: number;
    readonly facts: ReadonlyMap<string, string>;
    readonly error?: string;
    /** Where the run went: "AWS" or the emulator's endpoint. */
    readonly target: string;
    /** Written while the run goes on: the steps so far, of how many. */
    readonly inProgress?: { readonly of: number };
}

const total = (results: readonly StepResult[], key: "seconds" | "expectedSeconds") =>
    results.reduce((sum, r) => sum + r[key], 0);

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function reportMarkdown(r: ReportInput): string {
    const measured = total(r.results, "seconds");
    const expected = total(r.results.filter((x) => x.status !== "not-run"), "expectedSeconds");
    const lines = [
        `# ${r.kind === "failover" ? "Failover" : "Failback"} drill report: ${r.stack} (${r.strategy}, ${r.mode})`,
        "",
        `- started: ${r.startedAt.toISOString()}`,
        `- against: ${r.target}`,
        `- outcome: ${r.error ? `**stopped**: ${cell(r.error)}`
            : r.inProgress ? `**in progress, or interrupted**: ${r.results.length} of ${r.inProgress.of} steps finished; re-run the same command to continue`
            : "completed"}`,
        `- measured: ${measured.toFixed(1)} s in all; the model expects ${expected} s for a real failover; RTO target ${r.rtoTargetSeconds} s`,
        "",
        "| # | step | status | measured (s) | expected (s) | notes |",
        "|---|---|---|---|---|---|",
        ...r.results.map((x, i) => `| ${i + 1} | ${cell(x.title)} | ${x.status} | ${x.seconds.toFixed(1)} | ${x.expectedSeconds} | ${cell(x.notes.join("; "))} |`),
    ];
    const simulated = r.results.filter((x) => x.status === "simulated");
    if (simulated.length > 0) {
        lines.push("", "Simulated (the emulator cannot perform them; their code path is covered by SDK-level tests):",
            ...simulated.map((x) => `- ${x.id}: ${x.notes.join("; ")}`));
    }
    if (r.facts.size > 0) {
        lines.push("", "Measured along the way:", ...[...r.facts].map(([k, v]) => `- ${k}: ${v}`));
    }
    return `${lines.join("\n")}\n`;
}

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * One row per step: the expected duration as a grey bar at its place in the model's sequence, the
 * measured one in blue on its own scale (a drill takes seconds, a real failover minutes), and the RTO
 * target as a red line on the expected scale.
 */
export function timelineSvg(r: ReportInput): string {
    const rows = r.results;
    const width = 900, left = 330, right = 20, rowHeight = 34, top = 56;
    const plot = width - left - right;
    const expectedEnd = Math.max(r.rtoTargetSeconds, total(rows, "expectedSeconds"), 1);
    const measuredEnd = Math.max(total(rows, "seconds"), 0.1);
    const xExpected = (s: number) => left + (s / expectedEnd) * plot;
    const xMeasured = (s: number) => left + (s / measuredEnd) * plot;
    const height = top + rows.length * rowHeight + 50;
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="10" y="22" font-size="15" font-weight="bold">${escape(`${r.kind} drill: ${r.stack} (${r.strategy}, ${r.mode})`)}</text>`,
        `<text x="10" y="42" fill="#555">grey: expected by the RTO model (0-${expectedEnd} s, red line: RTO target ${r.rtoTargetSeconds} s); blue: measured in this run (0-${measuredEnd.toFixed(1)} s)</text>`,
    ];
    let expectedAt = 0, measuredAt = 0;
    rows.forEach((row, i) => {
        const y = top + i * rowHeight;
        const colour = row.status === "failed" ? "#c0392b" : row.status === "simulated" ? "#e0a030" : "#2c6fbb";
        out.push(`<text x="10" y="${y + 14}">${escape(`${i + 1}. ${row.id}`)}</text>`);
        out.push(`<text x="10" y="${y + 27}" fill="#777" font-size="10">${escape(`${row.status}, ${row.seconds.toFixed(1)} s (expected ${row.expectedSeconds} s)`)}</text>`);
        out.push(`<rect x="${xExpected(expectedAt).toFixed(1)}" y="${y + 3}" width="${Math.max(1, xExpected(expectedAt + row.expectedSeconds) - xExpected(expectedAt)).toFixed(1)}" height="11" fill="#bbb"/>`);
        out.push(`<rect x="${xMeasured(measuredAt).toFixed(1)}" y="${y + 17}" width="${Math.max(1, xMeasured(measuredAt + row.seconds) - xMeasured(measuredAt)).toFixed(1)}" height="11" fill="${colour}"/>`);
        expectedAt += row.expectedSeconds;
        measuredAt += row.seconds;
    });
    const target = xExpected(r.rtoTargetSeconds).toFixed(1);
    out.push(`<line x1="${target}" y1="${top - 4}" x2="${target}" y2="${top + rows.length * rowHeight}" stroke="#d33" stroke-width="2"/>`);
    out.push(`<text x="${target}" y="${top + rows.length * rowHeight + 16}" fill="#d33" text-anchor="end">RTO target ${r.rtoTargetSeconds} s</text>`);
    out.push("</svg>");
    return `${out.join("\n")}\n`;
}
