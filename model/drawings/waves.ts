// A portfolio's failover as a Graphviz DOT timeline, drawn from its estimate (model/portfolio/estimate.ts).
// Pure: the caller renders it (cli/plan.ts uses @viz-js/viz).
//
// Left to right: the decision (detection and the decision, once for every app), then one cluster per wave
// with its apps side by side, each labelled with its own path after the decision (the app that sets the
// wave's time drawn bold), then every app back, against the portfolio's RTO target. One edge from each step
// to the next, labelled with the time it adds.
import type { AppEstimate, PortfolioEstimate } from "../portfolio/estimate";
import { afterDecision } from "../portfolio/estimate";
import { duration } from "../duration";
import { Attrs, attrList, dotString } from "./topology";

/** The node of an app, the cluster of a wave: ids Graphviz never confuses with each other or with "decision". */
export const appNode = (stack: string) => `app:${stack}`;
export const waveCluster = (wave: number) => `cluster_wave_${wave}`;

export interface WavesDrawing {
    /** The portfolio stack, and its dr:appName. */
    readonly stack: string;
    readonly appName: string;
    readonly estimate: PortfolioEstimate;
    /** The apps, in the order listed (each wave draws its apps in that order). */
    readonly apps: readonly AppEstimate[];
}

/** The portfolio's failover as DOT: the decision, the waves in order, the end. */
export function wavesDot(d: WavesDrawing): string {
    const { estimate } = d;
    const lines: string[] = [];
    const edge = (from: string, to: string, attrs: Attrs = {}) => lines.push(`  ${dotString(from)} -> ${dotString(to)}${attrList(attrs)};`);
    const verdict = estimate.met ? "met" : "MISSED";
    lines.push(
        `digraph ${dotString(`${d.appName}-waves`)} {`,
        `  graph${attrList({
            label: `portfolio stack ${d.stack} (${d.appName}): ${d.apps.length} app${d.apps.length === 1 ? "" : "s"} in ${estimate.waves.length} wave${estimate.waves.length === 1 ? "" : "s"}, ` +
                `RTO ${duration(estimate.rtoSeconds)} vs target ${duration(estimate.rtoTargetSeconds)}: ${verdict}`,
            labelloc: "t", fontname: "Helvetica", fontsize: 16, rankdir: "LR", compound: "true", nodesep: 0.3, ranksep: 0.6,
        })};`,
        `  node${attrList({ shape: "box", style: "rounded,filled", fillcolor: "white", fontname: "Helvetica", fontsize: 11, margin: "0.2,0.08" })};`,
        `  edge${attrList({ fontname: "Helvetica", fontsize: 10 })};`,
        `  ${dotString("decision")}${attrList({
            label: `detection and the decision\nonce, for every app\n0 - ${duration(estimate.decidedSeconds)}`, shape: "box", fillcolor: "#fff5d6",
        })};`,
    );
    const byWave = estimate.waves.map((w) => ({ ...w, apps: d.apps.filter((a) => a.member.wave === w.wave) }));
    for (const w of byWave) {
        lines.push(`  subgraph ${dotString(waveCluster(w.wave))} {`);
        lines.push(`    graph${attrList({
            label: `wave ${w.wave}: ${duration(w.startSeconds)} - ${duration(w.endSeconds)}`, fontsize: 12, style: "rounded,filled", fillcolor: "#f3f0fa", color: "#888888",
        })};`);
        for (const app of w.apps) {
            const slowest = app.member.stack === w.slowest;
            lines.push(`    ${dotString(appNode(app.member.stack))}${attrList({
                label: `${app.member.stack} (${app.appName})\n${app.strategy}\n+${duration(afterDecision(app))} after the decision${slowest ? "\nsets the wave's time" : ""}`,
                ...(slowest ? { penwidth: 2 } : {}),
            })};`);
        }
        lines.push("  }");
    }
    lines.push(`  ${dotString("done")}${attrList({
        label: `every app back\n${duration(estimate.rtoSeconds)}\ntarget ${duration(estimate.rtoTargetSeconds)}: ${verdict}`, shape: "box",
        fillcolor: estimate.met ? "#eef6ee" : "#fde7e7",
    })};`);
    // Each step to the next: one drawn edge (cluster to cluster), and an invisible one to each other app of the
    // next wave, so that a wave's apps stand side by side on one rank.
    let from = { node: "decision", cluster: undefined as string | undefined, label: `+${duration(estimate.decidedSeconds)}` };
    for (const w of byWave) {
        const [first, ...rest] = w.apps.map((a) => appNode(a.member.stack));
        edge(from.node, first, { label: from.label, lhead: waveCluster(w.wave), ...(from.cluster ? { ltail: from.cluster } : {}) });
        rest.forEach((n) => edge(from.node, n, { style: "invis" }));
        from = { node: first, cluster: waveCluster(w.wave), label: `+${duration(w.seconds)}` };
    }
    edge(from.node, "done", { label: from.label, ...(from.cluster ? { ltail: from.cluster } : {}) });
    lines.push("}");
    return lines.join("\n") + "\n";
}
