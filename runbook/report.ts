// A run's results as a person reads them. The drill report: each step's measured duration beside the model's
// expectation, with when it started and ended, in Markdown, and an SVG timeline of the steps against the RTO
// target; and on the terminal, one line a step (npm run failover and failback, and the drill, print them).
import { assessObjectives } from "../model/objectives";
import { RunbookContext, STEP_STATUSES, StepResult, StepStatus, simulatedParts } from "./types";

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

/** Where a step lies on the measured timeline, in seconds from the run's start. */
export interface Span {
    readonly start: number;
    readonly end: number;
}

/**
 * Each step's place on the measured timeline: from its recorded start to its recorded end, so steps that ran
 * side by side overlap. A step without them (it never started, or a report input from before they were
 * recorded) starts where the steps before it have all ended and lasts its measured seconds, as the steps
 * of a run one after another did.
 */
export function measuredSpans(results: readonly StepResult[]): Span[] {
    let cursor = 0;
    return results.map((r) => {
        const span = r.startedAt !== undefined && r.endedAt !== undefined
            ? { start: r.startedAt, end: r.endedAt }
            : { start: cursor, end: cursor + r.seconds };
        cursor = Math.max(cursor, span.end);
        return span;
    });
}

/**
 * Where the model puts each step: on the failover graph's timeline where the steps carry it (expectedStart),
 * else one after another. The model's total is the last end: its critical path, not the steps' sum.
 */
export function expectedSpans(results: readonly StepResult[]): Span[] {
    let cursor = 0;
    return results.map((r) => {
        const start = r.expectedStart ?? cursor;
        cursor = Math.max(cursor, start + r.expectedSeconds);
        return { start, end: start + r.expectedSeconds };
    });
}

const expectedLength = (results: readonly StepResult[]) => expectedSpans(results).reduce((end, s) => Math.max(end, s.end), 0);
const onGraph = (results: readonly StepResult[]) => results.some((r) => r.expectedStart !== undefined);

/** The run's measured length: from its start until its last step ended (not the sum of steps that overlap). */
export function measuredLength(results: readonly StepResult[]): number {
    return measuredSpans(results).reduce((end, s) => Math.max(end, s.end), 0);
}

/** The longest status: every line's status column as wide. */
const STATUS_WIDTH = Math.max(...STEP_STATUSES.map((s) => s.length));

/** One line a step: status, measured seconds, id and notes (the runbook and the drill print them alike). */
export function resultLines(results: readonly StepResult[]): string[] {
    return results.map((r) => `  ${r.status.padEnd(STATUS_WIDTH)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.id}${r.notes.length ? `: ${r.notes.join("; ")}` : ""}`);
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function reportMarkdown(r: ReportInput): string {
    const measured = measuredLength(r.results), summed = total(r.results, "seconds");
    const at = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(1));
    const expected = expectedLength(r.results.filter((x) => x.status !== "not-run"));
    const lines = [
        `# ${r.kind === "failover" ? "Failover" : "Failback"} drill report: ${r.stack} (${r.strategy}, ${r.mode})`,
        "",
        `- started: ${r.startedAt.toISOString()}`,
        `- against: ${r.target}`,
        `- outcome: ${r.error ? `**stopped**: ${cell(r.error)}`
            : r.inProgress ? `**in progress, or interrupted**: ${r.results.length} of ${r.inProgress.of} steps finished; re-run the same command to continue`
            : "completed"}`,
        `- measured: ${measured.toFixed(1)} s in all` +
            // Steps side by side: the run is shorter than its steps added up, and the report says by how much.
            (summed - measured >= 0.05 ? ` (its steps add up to ${summed.toFixed(1)} s: some ran side by side)` : "") +
            `; the model expects ${expected} s for a real ${r.kind}${onGraph(r.results) ? " from its first step, on its critical path" : ""}; ` +
            `RTO target ${r.rtoTargetSeconds} s`,
        "",
        "Start and end are seconds from the run's start; steps that wait for none of each other run side by side, and overlap.",
        "",
        "| # | step | status | measured (s) | expected (s) | start (s) | end (s) | notes |",
        "|---|---|---|---|---|---|---|---|",
        ...r.results.map((x, i) => `| ${i + 1} | ${cell(x.title)} | ${x.status} | ${x.seconds.toFixed(1)} | ${x.expectedSeconds} | ` +
            `${at(x.startedAt)} | ${at(x.endedAt)} | ${cell(x.notes.join("; "))} |`),
    ];
    const simulated = r.results.filter((x) => x.status === "simulated");
    // A step that ran but skipped a part the emulator cannot perform: listed with the steps simulated whole.
    const parts = simulatedParts(r.results);
    if (simulated.length + parts.length > 0) {
        lines.push("", "Simulated (the emulator cannot perform them; their code path is covered by SDK-level tests):",
            ...simulated.map((x) => `- ${x.id}: ${x.notes.join("; ")}`), ...parts.map((x) => `- part of ${x}`));
    }
    if (r.facts.size > 0) {
        lines.push("", "Measured along the way:", ...[...r.facts].map(([k, v]) => `- ${k}: ${v}`));
    }
    return `${lines.join("\n")}\n`;
}

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An axis from 0: its end (a whole number of steps, at least the value) and the step between ticks. */
interface Axis { readonly end: number; readonly step: number }

/** Steps between ticks: 1-2-5 below a minute, then minutes and hours, so a 4 h target gets 30 min ticks. */
const TICK_STEPS = [
    ...[-3, -2, -1, 0, 1].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e)),
    60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
const MAX_TICKS = 8;

function axisFor(max: number): Axis {
    const value = Math.max(max, 0.1);
    const step = TICK_STEPS.find((s) => Math.ceil(value / s - 1e-9) <= MAX_TICKS) ?? Math.ceil(value / MAX_TICKS / 86400) * 86400;
    return { end: Math.ceil(value / step - 1e-9) * step, step };
}

/** Seconds as a tick label: as many decimals as the axis step needs, thousands grouped. */
function seconds(value: number, step: number): string {
    const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
    return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A value as recorded (the engine measures tenths of a second), not rounded to an axis' ticks. */
const exactly = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });

const BAR_COLOURS: Partial<Record<StepStatus, string>> = { failed: "#c0392b", simulated: "#e0a030" };

/** The timeline's geometry: the picture's width, the column of the steps' names, the right margin, a row and its bar. */
const WIDTH = 900, LEFT = 330, RIGHT = 50, ROW_HEIGHT = 24, BAR_HEIGHT = 13;
const PLOT = WIDTH - LEFT - RIGHT;

/** One panel of the timeline: a bar a step, on the panel's own axis in seconds. */
interface Panel {
    readonly name: "expected" | "measured";
    readonly heading: string;
    readonly note: string;
    readonly spans: readonly Span[];
    readonly values: (row: StepResult) => number;
    readonly colour: (row: StepResult) => string;
    /** A label beside each bar, left of the axis (the measured panel's status). */
    readonly label?: (row: StepResult) => string;
    readonly axisTitle: string;
}

/** A panel drawn from `y` down: its SVG, and where the next part starts. */
function panelSvg(r: ReportInput, p: Panel, y: number): { svg: string[]; next: number } {
    const svg: string[] = [];
    const axis = axisFor(Math.max(...p.spans.map((s) => s.end), p.name === "expected" ? r.rtoTargetSeconds : 0));
    const x = (s: number) => LEFT + (s / axis.end) * PLOT;
    const fmt = (s: number) => seconds(s, axis.step);
    svg.push(`<g class="panel" id="${p.name}">`);
    svg.push(`<text x="10" y="${y + 18}" font-size="13" font-weight="bold">${escape(p.heading)}</text>`);
    svg.push(`<text x="10" y="${y + 34}" fill="#555">${escape(p.note)}</text>`);
    const top = y + 58, axisY = top + r.results.length * ROW_HEIGHT + 4;
    const ticks: number[] = [];
    for (let k = 0; k * axis.step <= axis.end * (1 + 1e-9); k++) {
        ticks.push(k * axis.step);
    }
    for (const t of ticks) {
        svg.push(`<line x1="${x(t).toFixed(2)}" y1="${top - 2}" x2="${x(t).toFixed(2)}" y2="${axisY}" stroke="#eee"/>`);
    }
    // The RTO target, where this axis reaches it (always on the expected one), under the bars' labels.
    if (r.rtoTargetSeconds <= axis.end) {
        const tx = x(r.rtoTargetSeconds).toFixed(2);
        svg.push(`<line class="rto" x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${axisY}" stroke="#d33" stroke-width="2"/>`);
        svg.push(`<text x="${tx}" y="${top - 6}" fill="#d33" text-anchor="end" font-size="10">RTO target ${r.rtoTargetSeconds.toLocaleString("en-US")} s</text>`);
    }
    r.results.forEach((row, i) => {
        const rowY = top + i * ROW_HEIGHT, value = p.values(row), fill = p.colour(row), span = p.spans[i];
        svg.push(`<text x="10" y="${rowY + 11}">${escape(`${i + 1}. ${row.id}`)}</text>`);
        if (p.label) {
            svg.push(`<text x="${LEFT - 8}" y="${rowY + 11}" fill="#777" font-size="10" text-anchor="end">${escape(p.label(row))}</text>`);
        }
        const x0 = x(span.start), w = x(span.end) - x0;
        const when = p.name === "measured" && row.startedAt !== undefined ? ` (from ${exactly(span.start)} s to ${exactly(span.end)} s)` : "";
        svg.push(`<rect class="bar" x="${x0.toFixed(2)}" y="${rowY}" width="${w.toFixed(2)}" height="${BAR_HEIGHT}" fill="${fill}">` +
            `<title>${escape(`${row.id}: ${exactly(value)} s ${p.name}${when}`)}</title></rect>`);
        // Every bar carries its value: inside a wide bar, else just after it (the right margin has room),
        // so a bar narrower than a pixel still reads.
        const inside = w >= 60;
        svg.push(`<text class="value" x="${(inside ? x0 + w - 4 : x0 + w + 4).toFixed(2)}" y="${rowY + 10}" font-size="10"` +
            `${inside ? ` text-anchor="end" fill="${fill === "#bbb" ? "#222" : "white"}"` : ""}>${exactly(value)} s</text>`);
    });
    svg.push(`<g class="axis">`);
    svg.push(`<line x1="${LEFT}" y1="${axisY}" x2="${LEFT + PLOT}" y2="${axisY}" stroke="#333"/>`);
    ticks.forEach((t, k) => {
        const tx = x(t).toFixed(2);
        svg.push(`<line x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 4}" stroke="#333"/>`);
        svg.push(`<text class="tick" x="${tx}" y="${axisY + 15}" font-size="10" text-anchor="middle">${fmt(t)}${k === ticks.length - 1 ? " s" : ""}</text>`);
    });
    svg.push(`<text class="axis-title" x="${LEFT + PLOT / 2}" y="${axisY + 29}" text-anchor="middle" fill="#333">${escape(p.axisTitle)}</text>`);
    svg.push("</g>");
    svg.push("</g>");
    return { svg, next: axisY + 44 };
}

/**
 * The timeline as two panels, one above the other, each with its own axis in seconds, because the two
 * durations differ by orders of magnitude (a drill against the emulator takes a second, the model's real
 * failover hours) and one scale would leave the measured bars invisible:
 *   - expected: each step's duration by the RTO model, at its place in the sequence, and the RTO target as a
 *     red line on that axis;
 *   - measured: each step in this run, from its start to its end (steps that ran side by side overlap), on
 *     an axis of this run's own length (the RTO target is drawn there too when the run reached it).
 * Every bar's width is its seconds over its own panel's axis end, and every bar carries its value.
 */
export function timelineSvg(r: ReportInput): string {
    const rows = r.results;
    const expectedTotal = expectedLength(rows), measuredTotal = measuredLength(rows);
    const expected = panelSvg(r, {
        name: "expected", heading: "Expected by the RTO model",
        note: `${exactly(expectedTotal)} s in all for a real ${r.kind}, ${onGraph(rows) ? "steps side by side where the failover graph lets them (the critical path)" : "step after step"}; ` +
            `red line: RTO target ${r.rtoTargetSeconds.toLocaleString("en-US")} s`,
        // The model's steps where its failover graph puts them (or one after another), as its note says; this run's where they were.
        spans: expectedSpans(rows), values: (row) => row.expectedSeconds, colour: () => "#bbb",
        axisTitle: "expected seconds (RTO model), from the start of the procedure",
    }, 52);
    const measured = panelSvg(r, {
        name: "measured", heading: "Measured in this run",
        note: `measured: ${r.target === "AWS" ? "AWS" : "emulator"}, ${exactly(measuredTotal)} s in all, on an axis of its own (not the one above)` +
            (r.target === "AWS" ? "" : `; ${r.target}: not a real ${r.kind}'s timings`),
        spans: measuredSpans(rows), values: (row) => row.seconds, colour: (row) => BAR_COLOURS[row.status] ?? "#2c6fbb", label: (row) => row.status,
        axisTitle: "measured seconds (this run), from its start; steps side by side overlap",
    }, expected.next);
    const y = measured.next;
    const legend = "bars: grey expected; blue measured, orange simulated (the emulator cannot do it), red failed";
    const height = y + 14;
    return `${[
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="10" y="22" font-size="15" font-weight="bold">${escape(`${r.kind} drill: ${r.stack} (${r.strategy}, ${r.mode})`)}</text>`,
        `<text x="10" y="40" fill="#555">${escape(r.error ? `stopped: ${r.error}` : r.inProgress ? `in progress, or interrupted: ${rows.length} of ${r.inProgress.of} steps` : "completed")}</text>`,
        ...expected.svg,
        ...measured.svg,
        `<text x="10" y="${y}" fill="#555" font-size="11">${escape(legend)}</text>`,
        "</svg>",
    ].join("\n")}\n`;
}

/** A dry run's lines: the steps it would take, their expected durations, and the pair's RTO target. */
export function planLines(run: { readonly ctx: RunbookContext; readonly results: readonly StepResult[] }, kind: string): string[] {
    const { cfg, mode } = run.ctx;
    const expected = run.results.reduce((s, r) => s + r.expectedSeconds, 0);
    const engine = run.ctx.facts.get("engine");
    return [
        `${kind} plan for ${run.ctx.stack}: ${cfg.strategy}, ${mode}, into ${run.ctx.dr.region} (dry run: nothing changes)`,
        ...(engine ? [`  engine: ${engine}`] : []),
        ...run.results.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.title}  (~${r.expectedSeconds} s)`),
        `  expected in all: ${expected} s; RTO target ${assessObjectives(cfg).targets.rtoSeconds} s`,
    ];
}
