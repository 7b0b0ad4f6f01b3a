// The DR pair as a Graphviz DOT graph, drawn from the two stacks' plans (model/regionPlan.ts); a region set
// of three or more likewise, a column per region (regionSetDot). Pure: the caller renders it (cli/plan.ts uses
// @viz-js/viz).
//
// One cluster per region with what runs there, a Route 53 node outside them with an edge to each region's
// ALB (labelled by its routing policy), and dashed edges for data flows: replication and backup copies.
// A set's failover records chain (model/regionSet.ts, failoverPlace): a Route 53 node per level of the tree.
// A part the plan leaves out is not drawn, so backup & restore's standby shows only its vault and network.
import type { DrConfig } from "../config/contract";
import { backupIntervalSeconds } from "../cron";
import { DB_INSTANCE_CLASS, RegionPlan, Routing } from "../regionPlan";
import { TIERS } from "../tiers";
import { failoverLevelName, regionSet } from "../regionSet";

/** A DOT quoted string: backslashes and quotes escaped, newlines as DOT's centred line break. */
export function dotString(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\r?\n/g, "\\n")}"`;
}

export type Attrs = Record<string, string | number>;

/** " [k=v, ...]": a statement's attributes, strings quoted, numbers bare; nothing when there are none. */
export function attrList(attrs: Attrs): string {
    const parts = Object.entries(attrs).map(([k, v]) => `${k}=${typeof v === "number" ? v : dotString(v)}`);
    return parts.length ? ` [${parts.join(", ")}]` : "";
}

/** Data between the regions: dashed, and left out of the ranking so the two regions stay side by side. */
const DATA_FLOW: Attrs = { style: "dashed", color: "#1f6fb2", fontcolor: "#1f6fb2", constraint: "false" };

/** A region's parts, top to bottom. */
const ROWS = ["alb", "asg", "db", "cache", "s3", "table", "backup", "vault", "fence", "vpc"] as const;
type Row = (typeof ROWS)[number];
const NAT_LABEL: Readonly<Record<RegionPlan["natGateways"], string>> = {
    OnePerAz: "NAT gateway per AZ",
    Single: "one NAT gateway",
    None: "no NAT gateway",
};

function hours(seconds: number): string {
    return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}

function routingLabel(routing: Routing, cfg: DrConfig, fencedBy?: readonly string[]): string {
    const check = `health check ${cfg.healthCheckIntervalSeconds} s x ${cfg.healthCheckFailureThreshold}` +
        (fencedBy ? `\n+ fence${fencedBy.length > 1 ? "s" : ""} held in ${fencedBy.join(", ")}` : "");
    switch (routing.policy) {
        case "failover":
            return `${routing.role}\n${check}`;
        case "latency":
            return `latency\n${check}`;
        case "weighted":
            return `weighted ${routing.weight}\n${check}`;
    }
}

function databaseLabel(plan: RegionPlan): string {
    const db = plan.database!;
    const instances = `${db.instances} x ${DB_INSTANCE_CLASS}`;
    switch (db.membership) {
        case "global-primary":
            return `Aurora PostgreSQL\nwriter (${instances})\nglobal database`;
        case "global-secondary":
            if (db.writer) {
                return `Aurora PostgreSQL\nwriter: promoted secondary (${instances})`;
            }
            return `Aurora PostgreSQL\nsecondary (${db.instances} instance${db.instances === 1 ? "" : "s"})` +
                (db.writeForwarding ? "\nwrite forwarding" : "");
        case "restored":
            return `Aurora PostgreSQL\nrestored from a recovery point (${instances})`;
    }
}

/** How the dr region stands: waiting, promoted to take production, or serving alongside prod. */
export function drRegionState(cfg: DrConfig, drPlan: RegionPlan): "standby" | "promoted" | "serving" {
    if (!drPlan.serving) {
        return "standby";
    }
    return TIERS[cfg.strategy].bothRegionsServe ? "serving" : "promoted";
}

interface RegionView {
    /** The node ids' prefix: prod, then dr, dr2, ... for the recovery regions in the set's order. */
    readonly key: string;
    readonly stack: string;
    readonly region: string;
    readonly state: string;
    readonly plan: RegionPlan;
    readonly fill: string;
    /** The region's own stack config (the pair's two share the named stack's). */
    readonly cfg: DrConfig;
    /** A recovery region (not the primary). */
    readonly recovery: boolean;
}

const edgeLine = (from: string, to: string, attrs: Attrs = {}, indent = "  ") => `${indent}${dotString(from)} -> ${dotString(to)}${attrList(attrs)};`;

/** One region's cluster: a node per part the plan has, in ROWS order, linked top to bottom. */
function regionCluster(r: RegionView, prodPlan: RegionPlan): { readonly lines: string[]; readonly parts: Set<Row> } {
    const { cfg } = r;
    const backupEvery = hours(backupIntervalSeconds(cfg.backupSchedule));
    const lines: string[] = [];
    const parts = new Set<Row>();
    const id = (part: Row) => `${r.key}_${part}`;
    const node = (part: Row, label: string, attrs: Attrs = {}) => {
        parts.add(part);
        lines.push(`    ${dotString(id(part))}${attrList({ label, ...attrs })};`);
    };
    const p = r.plan;
    lines.push(`  subgraph ${dotString(`cluster_${r.key}`)} {`);
    lines.push(`    graph${attrList({ label: `${r.stack} — ${r.region} (${r.state})`, style: "rounded,filled", fillcolor: r.fill, color: "#888888" })};`);
    if (p.app) {
        const c = p.app.capacity;
        node("alb", "ALB\ntarget group /health");
        node("asg", `Auto Scaling group ${c.min}/${c.desired}/${c.max}\n(min/desired/max) ${cfg.instanceType}`,
            c.desired === 0 ? { style: "rounded,dashed,filled", fillcolor: "#f7f7f7" } : {});
    }
    if (p.database) {
        node("db", databaseLabel(p), { shape: "cylinder" });
    }
    if (p.cache) {
        node("cache", `ElastiCache (Valkey)\n${p.cache.nodes} x ${p.cache.nodeType}`, { shape: "cylinder" });
    }
    if (p.objects) {
        const replica = r.recovery && (prodPlan.objects?.replicateTo.includes(r.region) ?? false) && p.objects.replicateTo.length === 0;
        node("s3", `S3 bucket${replica ? " (replica)" : ""}\nversioned, KMS`, { shape: "folder" });
    }
    if (p.globalTable) {
        node("table", "DynamoDB global table\nPITR 35 days", { shape: "cylinder" });
    }
    if (r.recovery && prodPlan.globalTable?.replicaRegions.includes(r.region)) {
        node("table", "DynamoDB table (replica)", { shape: "cylinder" });
    }
    if (p.backups) {
        const copies = p.backups.copyTo.length > 0 ? `, copied to ${p.backups.copyTo.join(", ")}` : ", kept local";
        node("backup", `AWS Backup plan\nsnapshots every ${backupEvery}${copies}\n+ continuous (PITR)`, { shape: "note" });
    }
    const lock = p.lockVault ? `\nVault Lock (${cfg.vaultLockMode})` : "";
    node("vault", `AWS Backup vault${lock}`, { shape: "box3d", fillcolor: p.lockVault ? "#fde7e7" : "white" });
    if (p.holdsFencesOf) {
        node("fence", `traffic fence of ${p.holdsFencesOf.join(", ")}\nCloudWatch alarm (open)`, { shape: "octagon", fillcolor: "#fff0d0" });
    }
    node("vpc", `VPC ${p.vpcCidr}\n2 AZs, ${NAT_LABEL[p.natGateways]}`, { shape: "component", fillcolor: "#f7f7f7" });

    // The region's column: consecutive parts linked, by a real edge where there is one, else invisibly.
    const column = ROWS.filter((row) => parts.has(row));
    for (let i = 1; i < column.length; i++) {
        const [a, b] = [column[i - 1], column[i]];
        const attrs: Attrs = a === "alb" && b === "asg" ? {}
            : a === "backup" && b === "vault" ? { ...DATA_FLOW, constraint: "true", label: "recovery points" }
            : { style: "invis" };
        lines.push(edgeLine(id(a), id(b), attrs, "    "));
    }
    lines.push("  }");
    return { lines, parts };
}

/**
 * Data between the regions: Aurora's replication and write forwarding, S3's, DynamoDB's, the backup copies; from
 * each region to each region its plan names (a pair's prod and dr, or every recovery region of a set).
 */
function dataFlowEdges(regions: readonly RegionView[]): string[] {
    const lines: string[] = [];
    const byRegion = new Map(regions.map((r) => [r.region, r]));
    const writer = regions.find((r) => r.plan.database?.membership === "global-primary");
    for (const r of regions.filter((x) => x !== writer && writer !== undefined)) {
        const db = r.plan.database;
        if (db?.membership === "global-secondary" && !db.writer) {
            lines.push(edgeLine(`${writer!.key}_db`, `${r.key}_db`, { ...DATA_FLOW, label: "Aurora storage replication\n(lag < 1 s)" }));
            if (db.writeForwarding) {
                lines.push(edgeLine(`${r.key}_db`, `${writer!.key}_db`, { ...DATA_FLOW, style: "dotted", label: "write forwarding" }));
            }
        }
    }
    for (const from of regions) {
        for (const to of (from.plan.objects?.replicateTo ?? []).map((r) => byRegion.get(r)).filter((r) => r?.plan.objects)) {
            lines.push(edgeLine(`${from.key}_s3`, `${to!.key}_s3`, { ...DATA_FLOW, label: "S3 CRR + RTC\n(15 min SLA)" }));
        }
    }
    for (const from of regions) {
        for (const to of (from.plan.globalTable?.replicaRegions ?? []).map((r) => byRegion.get(r)).filter((r) => r !== undefined)) {
            lines.push(edgeLine(`${from.key}_table`, `${to!.key}_table`, { ...DATA_FLOW, dir: "both", label: "DynamoDB global table\n(~1 s)" }));
        }
    }
    for (const from of regions) {
        const every = hours(backupIntervalSeconds(from.cfg.backupSchedule));
        for (const to of (from.plan.backups?.copyTo ?? []).map((r) => byRegion.get(r)).filter((r) => r !== undefined)) {
            lines.push(edgeLine(`${from.key}_backup`, `${to!.key}_vault`, { ...DATA_FLOW, label: `backup copies\n(every ${every}, kept ${from.cfg.backupRetentionDays} d)` }));
        }
    }
    return lines;
}

/** The node of a level of the DNS failover tree: the app's name at level 0 (model/regionSet.ts, failoverLevelName). */
const levelNode = (level: number) => (level === 0 ? "route53" : `route53_${level}`);

/** The level of the failover tree a region's record is at (0: the app's name; latency and weighted records too). */
const levelOf = (routing: Routing) => (routing.policy === "failover" ? routing.level ?? 0 : 0);

/**
 * The regions as DOT: a cluster per region in the order given (the primary first), Route 53's names above them
 * (the app's name, and where a set of three or more chains failover records, a node per level below it), the
 * fences that gate the records, and the data flows.
 */
function regionsDot(cfg: DrConfig, regions: readonly RegionView[]): string {
    const prodPlan = regions[0].plan;
    const clusters = regions.map((r) => regionCluster(r, prodPlan));
    const byRegion = new Map(regions.map((r) => [r.region, r]));
    const levels = [...new Set(regions.filter((r) => r.plan.app).map((r) => levelOf(r.plan.app!.routing)))].filter((l) => l > 0).sort();
    const links = regions.flatMap((r) => {
        const routing = r.plan.app?.routing;
        return routing?.policy === "failover" && routing.links !== undefined ? [{ from: routing.links, to: levelOf(routing) }] : [];
    });
    // The fences: a region's alarm gates each record it holds a fence of (Route 53 reads it: data plane).
    const fences = regions.flatMap((holder) => (holder.plan.holdsFencesOf ?? []).map((r) => byRegion.get(r))
        .filter((gated) => gated?.plan.app && gated.plan.fencedBy?.includes(holder.region))
        .map((gated) => edgeLine(`${holder.key}_fence`, `${gated!.key}_alb`, { style: "dotted", color: "#b06000", fontcolor: "#b06000", constraint: "false", label: "gates the record" })));
    return [
        `digraph ${dotString(`${cfg.appName}-dr`)} {`,
        // Top to bottom: Route 53, then the regions side by side, each a column of the rows below, the
        // same part of every region on one rank (newrank lets rank=same reach across clusters).
        `  graph${attrList({
            label: `${cfg.appName}: ${cfg.strategy}, N = ${cfg.capacity}${regions.length > 2 ? `, ${regions.length} regions` : ""}`, labelloc: "t", fontname: "Helvetica", fontsize: 16,
            rankdir: "TB", newrank: "true", nodesep: 0.6, ranksep: 0.3,
        })};`,
        `  node${attrList({ shape: "box", style: "rounded,filled", fillcolor: "white", fontname: "Helvetica", fontsize: 11 })};`,
        `  edge${attrList({ fontname: "Helvetica", fontsize: 10 })};`,
        `  ${dotString("route53")}${attrList({ label: `Route 53\n${cfg.dnsName}`, shape: "ellipse", fillcolor: "#fff5d6" })};`,
        ...levels.map((l) => `  ${dotString(levelNode(l))}${attrList({ label: `Route 53\n${failoverLevelName(cfg.dnsName, l)}`, shape: "ellipse", fillcolor: "#fff5d6" })};`),
        ...clusters.flatMap((c) => c.lines),
        ...ROWS.flatMap((row) => {
            const having = regions.filter((_, i) => clusters[i].parts.has(row));
            return having.length > 1 ? [`  { rank=same; ${having.map((r) => `${dotString(`${r.key}_${row}`)};`).join(" ")} }`] : [];
        }),
        // The failover tree's levels side by side at the top, the app's name first, so that the columns follow the
        // set's order left to right (a pair's two keep Graphviz's placement).
        ...(levels.length > 0 ? [`  { rank=same; ${[0, ...levels].map((l) => `${dotString(levelNode(l))};`).join(" ")} }`] : []),
        ...(regions.length > 2 ? regions.slice(1).map((r, i) => edgeLine(`${regions[i].key}_vpc`, `${r.key}_vpc`, { style: "invis" })) : []),
        // Route 53 sends users to each region's ALB by the region's routing policy, from the level its record is at.
        ...regions.filter((r) => r.plan.app).map((r) => edgeLine(levelNode(levelOf(r.plan.app!.routing)), `${r.key}_alb`,
            { label: routingLabel(r.plan.app!.routing, r.cfg, r.plan.fencedBy) })),
        // A level's SECONDARY is an alias to the level below, which answers while any of its records is healthy.
        ...links.map((l) => edgeLine(levelNode(l.from), levelNode(l.to), { label: "SECONDARY\nalias, evaluate target health" })),
        ...fences,
        ...dataFlowEdges(regions),
        "}",
    ].join("\n") + "\n";
}

/**
 * The pair as DOT. `cfg` is either stack's config (the pair's keys are shared); the dr region's state comes
 * from `drPlan`. `stacks` names the two stacks in the cluster labels.
 */
export function topologyDot(
    cfg: DrConfig, prodPlan: RegionPlan, drPlan: RegionPlan,
    stacks: { readonly prod: string; readonly dr: string } = { prod: "prod", dr: "dr" },
): string {
    return regionsDot(cfg, [
        { key: "prod", stack: stacks.prod, region: regionSet(cfg).primary, state: "primary", plan: prodPlan, fill: "#eef6ee", cfg, recovery: false },
        { key: "dr", stack: stacks.dr, region: regionSet(cfg).next, state: drRegionState(cfg, drPlan), plan: drPlan, fill: "#f3f0fa", cfg, recovery: true },
    ]);
}

/** A region of a set as the picture draws it: its stack, its own config and plan. */
export interface SetRegion {
    readonly stack: string;
    readonly region: string;
    readonly cfg: DrConfig;
    readonly plan: RegionPlan;
}

/** The recovery regions' fills, in the set's order (the pair's dr first). */
const RECOVERY_FILLS = ["#f3f0fa", "#eaf2fb", "#fbf3ea", "#eefafa"];

/**
 * A region set of three or more as DOT: one column per region, the primary first (prod, dr, dr2, ...), the data
 * flows to each recovery region, the fences each holds, and the DNS failover tree: the app's name with the
 * primary's record as PRIMARY and an alias to `recovery-1.<name>` as SECONDARY, where the next recovery region is
 * PRIMARY, and so on (model/regionSet.ts, failoverPlace). `regions`: the set's, in its order.
 */
export function regionSetDot(regions: readonly SetRegion[]): string {
    const primary = regions[0];
    return regionsDot(primary.cfg, regions.map((r, i) => ({
        key: i === 0 ? "prod" : i === 1 ? "dr" : `dr${i}`,
        stack: r.stack,
        region: r.region,
        state: i === 0 ? "primary" : drRegionState(r.cfg, r.plan),
        plan: r.plan,
        fill: i === 0 ? "#eef6ee" : RECOVERY_FILLS[(i - 1) % RECOVERY_FILLS.length],
        cfg: r.cfg,
        recovery: i > 0,
    })));
}
