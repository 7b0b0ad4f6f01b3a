// The plan's second picture: RTO against DR cost for the four tiers, each with its levers off (a filled dot)
// and on (a ring, at the end of an arrow), with the pair's RTO target drawn in. Log scale for the RTO (90 s to
// hours), linear for the cost (% of prod). Pure: points in, SVG text out.
import type { TierPoint } from "../advisor";
import type { Strategy } from "../strategy";

const W = 760;
const H = 460;
const M = { left: 80, right: 30, top: 40, bottom: 60 };
const TICKS_SECONDS = [60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400];

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function label(seconds: number): string {
    if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
    return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

/** The picture for the pair whose tier is `chosen`, whose RTO target is `targetSeconds`. */
export function leverChartSvg(points: readonly TierPoint[], chosen: Strategy, targetSeconds: number): string {
    const seconds = points.flatMap((p) => [p.off.rtoSeconds, p.on.rtoSeconds, targetSeconds]).filter((s) => s > 0);
    const lo = Math.log10(Math.max(30, Math.min(...seconds) / 1.5));
    const hi = Math.log10(Math.max(...seconds) * 1.5);
    const maxPercent = Math.max(110, ...points.flatMap((p) => [p.off.drPercent, p.on.drPercent]));
    const x = (percent: number) => M.left + (percent / maxPercent) * (W - M.left - M.right);
    const y = (s: number) => M.top + (1 - (Math.log10(Math.max(s, 30)) - lo) / (hi - lo)) * (H - M.top - M.bottom);
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
        `<title>RTO against DR cost: the four tiers with and without their levers</title>`,
        `<rect width="${W}" height="${H}" fill="white"/>`,
        `<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>`,
        `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">RTO against DR cost, per tier: dot = levers off, ring = levers on</text>`,
    ];
    for (const t of TICKS_SECONDS.filter((s) => Math.log10(s) >= lo && Math.log10(s) <= hi)) {
        out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`,
            `<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${label(t)}</text>`);
    }
    for (let p = 0; p <= maxPercent; p += 20) {
        out.push(`<line x1="${x(p)}" x2="${x(p)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#f3f3f3"/>`,
            `<text x="${x(p)}" y="${H - M.bottom + 16}" text-anchor="middle">${p} %</text>`);
    }
    out.push(`<text x="${W / 2}" y="${H - 18}" text-anchor="middle">DR region's monthly cost, % of prod's (model/cost.ts)</text>`,
        `<text x="18" y="${H / 2}" text-anchor="middle" transform="rotate(-90 18 ${H / 2})">estimated RTO (log scale)</text>`,
        `<line x1="${M.left}" x2="${W - M.right}" y1="${y(targetSeconds)}" y2="${y(targetSeconds)}" stroke="#c00" stroke-dasharray="6 4"/>`,
        `<text x="${W - M.right}" y="${y(targetSeconds) - 5}" text-anchor="end" fill="#c00">RTO target of the pair (${escape(chosen)}): ${label(targetSeconds)}</text>`);
    for (const p of points) {
        const [x0, y0, x1, y1] = [x(p.off.drPercent), y(p.off.rtoSeconds), x(p.on.drPercent), y(p.on.rtoSeconds)];
        const strong = p.strategy === chosen ? ` stroke-width="2"` : "";
        if (Math.hypot(x1 - x0, y1 - y0) > 10) {
            out.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#555"${strong} marker-end="url(#arrow)"/>`);
        }
        const usd = p.on.drMonthlyUsd - p.off.drMonthlyUsd;
        const minutes = (p.off.rtoSeconds - p.on.rtoSeconds) / 60;
        out.push(
            `<circle cx="${x0}" cy="${y0}" r="5" fill="#246"${strong}><title>${escape(p.strategy)}, levers off: ${label(p.off.rtoSeconds)}, ${p.off.drPercent.toFixed(1)} %</title></circle>`,
            `<circle cx="${x1}" cy="${y1}" r="6" fill="none" stroke="#246"${strong}><title>${escape(p.strategy)}, levers on: ${label(p.on.rtoSeconds)}, ${p.on.drPercent.toFixed(1)} %</title></circle>`,
            // Labels of points on the right half run leftward, so they stay inside the picture.
            `<text ${x0 > W * 0.55 ? `x="${x0 - 8}" text-anchor="end"` : `x="${x0 + 8}"`} y="${y0 - 8}"${p.strategy === chosen ? ` font-weight="bold"` : ""}>${escape(p.strategy)}: ${label(p.off.rtoSeconds)} -&gt; ${label(p.on.rtoSeconds)}, ` +
            `${usd >= 0 ? "+" : "-"}$${Math.abs(usd).toFixed(0)}/month${minutes > 0 && usd > 0 ? ` ($${(usd / minutes).toFixed(2)} per minute saved)` : ""}</text>`,
        );
    }
    out.push("</svg>");
    return out.join("\n") + "\n";
}
