// The drill report's SVG timeline (runbook/report.ts, timelineSvg): expected and measured durations differ by
// orders of magnitude (the model's hours, an emulator's fraction of a second), so each is drawn in a panel of
// its own, against its own labelled axis. Here: the SVG is well-formed, every bar's width is its value on the
// axis it is drawn against, and each axis says where it ends and in which unit.
import { strict as assert } from "assert";
import { ReportInput, reportMarkdown, timelineSvg } from "../runbook/report";
import { SIMULATED_NOTE, StepResult, simulatedParts } from "../runbook/types";

const step = (id: string, status: StepResult["status"], expectedSeconds: number, seconds: number): StepResult =>
    ({ id, title: id, status, expectedSeconds, seconds, notes: [] });

/** A drill against the emulator: 0.6 s measured in all, against the model's 6,390 s and a 4 h target. */
const DRILL: ReportInput = {
    kind: "failover", stack: "dr", strategy: "pilot-light", mode: "planned", startedAt: new Date("2026-11-22T00:00:00Z"),
    target: "http://127.0.0.1:5000", rtoTargetSeconds: 14400, facts: new Map(),
    results: [
        step("readiness", "done", 30, 0.12), step("promote-database", "simulated", 2700, 0.01), step("scale-compute", "done", 900, 0.3),
        step("close-fence", "done", 60, 0.05), step("iac", "done", 1800, 0.02), step("smoke-check", "failed", 900, 0.1),
    ],
};
/** A real failover against AWS that missed a 10 min target: both panels in minutes, the target reached on both. */
const REAL: ReportInput = {
    ...DRILL, target: "AWS", rtoTargetSeconds: 600,
    results: [step("readiness", "done", 30, 20), step("promote-database", "done", 60, 180), step("scale-compute", "done", 300, 410), step("smoke-check", "done", 30, 2)],
};

/** Well-formedness, strictly: one root, tags nested and closed, attributes quoted, text and values escaped. */
function assertWellFormedXml(xml: string): void {
    const token = /<\?xml[^>]*\?>|<(\/?)([A-Za-z][\w:-]*)((?:\s+[A-Za-z][\w:-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
    const open: string[] = [];
    let roots = 0;
    for (let at = 0; at < xml.length;) {
        token.lastIndex = at;
        const m = token.exec(xml);
        assert.ok(m, `not XML at ${at}: ${xml.slice(at, at + 60)}`);
        const [whole, closing, name, attributes, selfClosing, text] = m;
        const escaped = text ?? attributes ?? "";
        assert.equal(/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(escaped), false, `unescaped & in ${whole}`);
        if (text !== undefined) {
            assert.ok(open.length > 0 || text.trim() === "", `text outside the root: ${text}`);
        } else if (name && closing) {
            assert.equal(open.pop(), name, `</${name}> closes another element`);
        } else if (name) {
            roots += open.length === 0 ? 1 : 0;
            if (!selfClosing) {
                open.push(name);
            }
        }
        at += whole.length;
    }
    assert.deepEqual([open, roots], [[], 1], "every element closed, one root");
}

const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? m[1] : undefined;
};
const num = (tag: string, name: string) => Number(attr(tag, name));
const parseSeconds = (label: string) => Number(label.replace(/,/g, "").replace(/\s*s$/, ""));

interface Panel {
    readonly heading: string;
    readonly note: string;
    readonly axis: { x1: number; x2: number; y: number };
    readonly ticks: { x: number; label: string }[];
    readonly axisTitle: string;
    readonly bars: { x: number; width: number; fill: string; title: string }[];
    readonly values: string[];
    readonly rto?: number;
}

/** The panels, in order, as a reader of the picture sees them. */
function panels(svg: string): Record<"expected" | "measured", Panel> {
    const starts = ["expected", "measured"].map((id) => svg.indexOf(`<g class="panel" id="${id}">`));
    assert.ok(starts.every((s) => s > 0) && starts[0] < starts[1], "an expected panel above a measured one");
    const part = (i: number): Panel => {
        const text = svg.slice(starts[i], i === 0 ? starts[1] : undefined);
        const texts = [...text.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)];
        const axisTag = /<g class="axis">\s*(<line[^>]*>)/.exec(text)![1];
        const rto = /<line class="rto"[^>]*>/.exec(text)?.[0];
        return {
            heading: texts[0][2],
            note: texts[1][2],
            axis: { x1: num(axisTag, "x1"), x2: num(axisTag, "x2"), y: num(axisTag, "y1") },
            ticks: texts.filter((t) => attr(t[1], "class") === "tick").map((t) => ({ x: num(t[1], "x"), label: t[2] })),
            axisTitle: texts.find((t) => attr(t[1], "class") === "axis-title")![2],
            bars: [...text.matchAll(/<rect class="bar"([^>]*)><title>([^<]*)<\/title><\/rect>/g)]
                .map((b) => ({ x: num(b[1], "x"), width: num(b[1], "width"), fill: attr(b[1], "fill")!, title: b[2] })),
            values: texts.filter((t) => attr(t[1], "class") === "value").map((t) => t[2]),
            rto: rto === undefined ? undefined : num(rto, "x1"),
        };
    };
    return { expected: part(0), measured: part(1) };
}

/** The axis end a reader sees: the last tick's label, which carries the unit. */
function axisEnd(p: Panel): number {
    const last = p.ticks[p.ticks.length - 1];
    assert.match(last.label, /^[\d,.]+ s$/, "the last tick states its unit");
    assert.ok(Math.abs(last.x - p.axis.x2) < 0.01, "the last tick is the axis' end");
    return parseSeconds(last.label);
}

/** Every bar starts where the steps before it end and is as wide as its value, on its own panel's axis. */
function assertProportional(p: Panel, values: number[]): void {
    const end = axisEnd(p), plot = p.axis.x2 - p.axis.x1;
    assert.equal(p.bars.length, values.length);
    let at = 0;
    values.forEach((v, i) => {
        assert.ok(Math.abs(p.bars[i].width - (v / end) * plot) <= 0.01, `bar ${i + 1}: ${p.bars[i].width} px for ${v} s of ${end} s over ${plot} px`);
        assert.ok(Math.abs(p.bars[i].x - (p.axis.x1 + (at / end) * plot)) <= 0.01, `bar ${i + 1} starts after the steps before it`);
        at += v;
    });
    assert.ok(at <= end + 1e-9, "the axis covers the whole run");
}

describe("the drill report's SVG timeline (runbook/report.ts)", () => {
    it("is a well-formed SVG document, also with markup in a step's error", () => {
        for (const input of [DRILL, REAL, { ...DRILL, error: "gave up <after> 3 tries & more", results: [] }]) {
            const svg = timelineSvg(input);
            assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
            assertWellFormedXml(svg);
        }
    });

    it("draws expected and measured in two panels, each against its own axis, ticks and unit", () => {
        const { expected, measured } = panels(timelineSvg(DRILL));
        assert.deepEqual([axisEnd(expected), axisEnd(measured)], [14400, 0.6], "the expected axis reaches the RTO target; the measured one this run's 0.6 s");
        for (const p of [expected, measured]) {
            assert.ok(p.ticks.length >= 3 && p.ticks.length <= 9, `${p.heading}: ${p.ticks.length} ticks`);
            assert.equal(parseSeconds(p.ticks[0].label), 0);
            const steps = p.ticks.slice(1).map((t, i) => parseSeconds(t.label) - parseSeconds(p.ticks[i].label));
            assert.ok(steps.every((s) => Math.abs(s - steps[0]) < 1e-9), `${p.heading}: evenly spaced ticks`);
        }
        assert.match(expected.axisTitle, /^expected seconds \(RTO model\)/);
        assert.match(measured.axisTitle, /^measured seconds \(this run\)/);
        assert.match(measured.note, /^measured: emulator, 0\.6 s in all, on an axis of its own \(not the one above\); http:\/\/127\.0\.0\.1:5000: not a real failover's timings$/);
        assert.match(expected.note, /^6,390 s in all for a real failover, step after step; red line: RTO target 14,400 s$/);
        assert.match(panels(timelineSvg({ ...DRILL, kind: "failback" })).expected.note, /^6,390 s in all for a real failback,/);
    });

    it("makes every bar as wide as its value on the axis it is drawn against (the bug: 0.6 s drawn as long as 6,390 s)", () => {
        for (const input of [DRILL, REAL]) {
            const { expected, measured } = panels(timelineSvg(input));
            assertProportional(expected, input.results.map((r) => r.expectedSeconds));
            assertProportional(measured, input.results.map((r) => r.seconds));
        }
        // On the expected panel's 14,400 s axis, this run's whole 0.6 s would be a tenth of a pixel wide.
        const { expected, measured } = panels(timelineSvg(DRILL));
        const plot = expected.axis.x2 - expected.axis.x1;
        assert.ok((0.6 / axisEnd(expected)) * plot < 1, "so it is not drawn there");
        assert.ok(measured.bars.every((b) => b.fill !== "#bbb") && expected.bars.every((b) => b.fill === "#bbb"), "measured bars only in the measured panel");
    });

    it("labels every bar with its value, so a bar narrower than a pixel still reads", () => {
        const { expected, measured } = panels(timelineSvg(DRILL));
        assert.deepEqual(expected.values, ["30 s", "2,700 s", "900 s", "60 s", "1,800 s", "900 s"]);
        assert.deepEqual(measured.values, ["0.12 s", "0.01 s", "0.3 s", "0.05 s", "0.02 s", "0.1 s"]);
        assert.deepEqual(measured.bars.map((b) => b.title), ["readiness: 0.12 s measured", "promote-database: 0.01 s measured",
            "scale-compute: 0.3 s measured", "close-fence: 0.05 s measured", "iac: 0.02 s measured", "smoke-check: 0.1 s measured"]);
        assert.ok(expected.bars[0].width < 2, "30 s of 14,400 s is a hairline...");
        assert.equal(expected.values[0], "30 s", "...with its value beside it");
        const real = panels(timelineSvg(REAL)).measured;
        assert.deepEqual(real.values, ["20 s", "180 s", "410 s", "2 s"], "values as recorded, not rounded to the ticks");
    });

    it("draws the RTO target on the expected axis, and on the measured one only when the run reached it", () => {
        const drill = panels(timelineSvg(DRILL));
        const at = (p: Panel, s: number) => p.axis.x1 + (s / axisEnd(p)) * (p.axis.x2 - p.axis.x1);
        assert.ok(Math.abs(drill.expected.rto! - at(drill.expected, 14400)) < 0.01);
        assert.equal(drill.measured.rto, undefined, "0.6 s is nowhere near 4 h: no target on that axis");
        const real = panels(timelineSvg(REAL));
        assert.ok(Math.abs(real.expected.rto! - at(real.expected, 600)) < 0.01);
        assert.ok(Math.abs(real.measured.rto! - at(real.measured, 600)) < 0.01, "612 s measured: past the 600 s target, on the measured axis");
        assert.match(real.measured.note, /^measured: AWS, 612 s in all/);
    });

    it("draws each measured bar from the step's start to its end: steps that ran side by side overlap, the axis is the run's length", () => {
        const timed = (id: string, status: StepResult["status"], expectedSeconds: number, startedAt: number, endedAt: number): StepResult =>
            ({ ...step(id, status, expectedSeconds, Math.round((endedAt - startedAt) * 10) / 10), startedAt, endedAt });
        // Warm standby's graph: readiness, then database, fleet and cache side by side, then traffic; one never ran.
        const results = [
            timed("readiness", "done", 0, 0, 0.05), timed("promote-database", "done", 300, 0.05, 0.42),
            timed("scale-compute", "done", 750, 0.05, 0.31), timed("warm-cache", "simulated", 600, 0.06, 0.07),
            timed("shift-traffic", "done", 60, 0.42, 0.47), step("smoke-check", "not-run", 600, 0),
        ];
        const input: ReportInput = { ...DRILL, strategy: "warm-standby", rtoTargetSeconds: 3600, results };
        const { expected, measured } = panels(timelineSvg(input));
        const end = axisEnd(measured), plot = measured.axis.x2 - measured.axis.x1;
        assert.equal(end, 0.5, "the run's length, 0.47 s, not its steps added up");
        assert.match(measured.note, /^measured: emulator, 0\.47 s in all/);
        const spans = [[0, 0.05], [0.05, 0.42], [0.05, 0.31], [0.06, 0.07], [0.42, 0.47], [0.47, 0.47]];
        spans.forEach(([from, to], i) => {
            assert.ok(Math.abs(measured.bars[i].x - (measured.axis.x1 + (from / end) * plot)) <= 0.01, `bar ${i + 1} starts at ${from} s`);
            assert.ok(Math.abs(measured.bars[i].width - ((to - from) / end) * plot) <= 0.01, `bar ${i + 1} ends at ${to} s`);
        });
        const [promote, scale, cache, shift] = [1, 2, 3, 4].map((i) => measured.bars[i]);
        for (const [a, b] of [[promote, scale], [promote, cache], [scale, cache]]) {
            assert.ok(Math.max(a.x, b.x) < Math.min(a.x + a.width, b.x + b.width), "database, fleet and cache are drawn overlapping");
        }
        assert.ok(shift.x >= Math.max(...[promote, scale, cache].map((b) => b.x + b.width)) - 0.01, "traffic after all three");
        assert.equal(measured.bars[1].title, "promote-database: 0.4 s measured (from 0.05 s to 0.42 s)");
        assert.deepEqual(measured.values.slice(0, 3), ["0.1 s", "0.4 s", "0.3 s"], "each bar carries its measured seconds");
        assertProportional(expected, results.map((r) => r.expectedSeconds));

        const md = reportMarkdown(input);
        assert.match(md, /- measured: 0\.5 s in all \(its steps add up to 0\.8 s: some ran side by side\)/);
        assert.match(md, /\| # \| step \| status \| measured \(s\) \| expected \(s\) \| start \(s\) \| end \(s\) \| notes \|/);
        assert.match(md, /\| 2 \| promote-database \| done \| 0\.4 \| 300 \| 0\.1 \| 0\.4 \| {2}\|/);
        assert.match(md, /\| 3 \| scale-compute \| done \| 0\.3 \| 750 \| 0\.1 \| 0\.3 \| {2}\|/);
        assert.match(md, /\| 6 \| smoke-check \| not-run \| 0\.0 \| 600 \| – \| – \| {2}\|/, "a step that never started has no start or end");
    });

    it("lists a step's simulated part beside the steps simulated whole; a simulated step's own notes are not listed twice", () => {
        const smoke = { ...step("smoke-check", "done", 600, 0.1), notes: ["GET answered 200", `${SIMULATED_NOTE}the canary's wait: no deploy here`] };
        const results = [{ ...step("promote-database", "simulated", 300, 0), notes: ["moto: HTTP 500"] }, smoke];
        assert.deepEqual(simulatedParts(results), ["smoke-check: the canary's wait: no deploy here"]);
        const md = reportMarkdown({ ...DRILL, results });
        assert.match(md, /\nSimulated \(the emulator cannot perform them[^\n]*\n- promote-database: moto: HTTP 500\n- part of smoke-check: the canary's wait: no deploy here\n/);
        assert.doesNotMatch(reportMarkdown({ ...DRILL, results: [step("readiness", "done", 0, 0.1)] }), /Simulated/, "nothing simulated, no list");
    });

    it("colours measured bars by status: simulated orange, failed red, the rest blue", () => {
        const { measured } = panels(timelineSvg(DRILL));
        assert.deepEqual(measured.bars.map((b) => b.fill), ["#2c6fbb", "#e0a030", "#2c6fbb", "#2c6fbb", "#2c6fbb", "#c0392b"]);
    });
});
