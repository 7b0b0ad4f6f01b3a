// The DR pair as a Graphviz DOT graph, drawn from the two stacks' plans (model/regionPlan.ts). Pure: the
// caller renders it (cli/plan.ts uses @viz-js/viz).
//
// One cluster per region with what runs there, a Route 53 node outside both with an edge to each region's
// ALB (labelled by its routing policy), and dashed edges for data flows: replication and backup copies.
// A part the plan leaves out is not drawn, so backup & restore's standby shows only its vault and network.
import type { DrConfig } from "../config/contract";
import { backupIntervalSeconds } from "../cron";
import { DB_INSTANCE_CLASS, RegionPlan, Routing } from "../regionPlan";
import { TIERS } from "../tiers";
import { regionSet } from "../regionSet";

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
    readonly key: "prod" | "dr";
    readonly stack: string;
    readonly region: string;
    readonly state: string;
    readonly plan: RegionPlan;
    readonly fill: string;
}

const edgeLine = (from: string, to: string, attrs: Attrs = {}, indent = "  ") => `${indent}${dotString(from)} -> ${dotString(to)}${attrList(attrs)};`;

/** One region's cluster: a node per part the plan has, in ROWS order, linked top to bottom. */
function regionCluster(r: RegionView, cfg: DrConfig, prodPlan: RegionPlan, backupEvery: string): { readonly lines: string[]; readonly parts: Set<Row> } {
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
        const replica = r.key === "dr" && (prodPlan.objects?.replicateTo.length ?? 0) > 0 && p.objects.replicateTo.length === 0;
        node("s3", `S3 bucket${replica ? " (replica)" : ""}\nversioned, KMS`, { shape: "folder" });
    }
    if (p.globalTable) {
        node("table", "DynamoDB global table\nPITR 35 days", { shape: "cylinder" });
    }
    if (r.key === "dr" && prodPlan.globalTable?.replicaRegions.includes(regionSet(cfg).next)) {
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

/** Data between the regions: Aurora's replication and write forwarding, S3's, DynamoDB's, the backup copies. */
function dataFlowEdges(cfg: DrConfig, prodPlan: RegionPlan, drPlan: RegionPlan, backupEvery: string): string[] {
    const lines: string[] = [];
    const pdb = prodPlan.database;
    const ddb = drPlan.database;
    if (pdb?.membership === "global-primary" && ddb?.membership === "global-secondary" && !ddb.writer) {
        lines.push(edgeLine("prod_db", "dr_db", { ...DATA_FLOW, label: "Aurora storage replication\n(lag < 1 s)" }));
        if (ddb.writeForwarding) {
            lines.push(edgeLine("dr_db", "prod_db", { ...DATA_FLOW, style: "dotted", label: "write forwarding" }));
        }
    }
    if (prodPlan.objects?.replicateTo.includes(regionSet(cfg).next) && drPlan.objects) {
        lines.push(edgeLine("prod_s3", "dr_s3", { ...DATA_FLOW, label: "S3 CRR + RTC\n(15 min SLA)" }));
    }
    if (drPlan.objects?.replicateTo.includes(regionSet(cfg).primary) && prodPlan.objects) {
        lines.push(edgeLine("dr_s3", "prod_s3", { ...DATA_FLOW, label: "S3 CRR + RTC\n(15 min SLA)" }));
    }
    if (prodPlan.globalTable?.replicaRegions.includes(regionSet(cfg).next)) {
        lines.push(edgeLine("prod_table", "dr_table", { ...DATA_FLOW, dir: "both", label: "DynamoDB global table\n(~1 s)" }));
    }
    if (prodPlan.backups?.copyTo.includes(regionSet(cfg).next)) {
        lines.push(edgeLine("prod_backup", "dr_vault", { ...DATA_FLOW, label: `backup copies\n(every ${backupEvery}, kept ${cfg.backupRetentionDays} d)` }));
    }
    return lines;
}

/**
 * The pair as DOT. `cfg` is either stack's config (the pair's keys are shared); the dr region's state comes
 * from `drPlan`. `stacks` names the two stacks in the cluster labels.
 */
export function topologyDot(
    cfg: DrConfig, prodPlan: RegionPlan, drPlan: RegionPlan,
    stacks: { readonly prod: string; readonly dr: string } = { prod: "prod", dr: "dr" },
): string {
    const backupEvery = hours(backupIntervalSeconds(cfg.backupSchedule));
    const regions: RegionView[] = [
        { key: "prod", stack: stacks.prod, region: regionSet(cfg).primary, state: "primary", plan: prodPlan, fill: "#eef6ee" },
        { key: "dr", stack: stacks.dr, region: regionSet(cfg).next, state: drRegionState(cfg, drPlan), plan: drPlan, fill: "#f3f0fa" },
    ];
    const clusters = regions.map((r) => regionCluster(r, cfg, prodPlan, backupEvery));
    const [prod, dr] = clusters.map((c) => c.parts);
    return [
        `digraph ${dotString(`${cfg.appName}-dr`)} {`,
        // Top to bottom: Route 53, then the two regions side by side, each a column of the rows below, the
        // same part of both regions on one rank (newrank lets rank=same reach across clusters).
        `  graph${attrList({
            label: `${cfg.appName}: ${cfg.strategy}, N = ${cfg.capacity}`, labelloc: "t", fontname: "Helvetica", fontsize: 16,
            rankdir: "TB", newrank: "true", nodesep: 0.6, ranksep: 0.3,
        })};`,
        `  node${attrList({ shape: "box", style: "rounded,filled", fillcolor: "white", fontname: "Helvetica", fontsize: 11 })};`,
        `  edge${attrList({ fontname: "Helvetica", fontsize: 10 })};`,
        `  ${dotString("route53")}${attrList({ label: `Route 53\n${cfg.dnsName}`, shape: "ellipse", fillcolor: "#fff5d6" })};`,
        ...clusters.flatMap((c) => c.lines),
        ...ROWS.filter((row) => prod.has(row) && dr.has(row)).map((row) => `  { rank=same; ${dotString(`prod_${row}`)}; ${dotString(`dr_${row}`)}; }`),
        // Route 53 sends users to each region's ALB by the region's routing policy.
        ...regions.filter((r) => r.plan.app).map((r) => edgeLine("route53", `${r.key}_alb`, { label: routingLabel(r.plan.app!.routing, cfg, r.plan.fencedBy) })),
        // The fence: the dr region's alarm gates the primary's record (Route 53 reads it: data plane).
        ...(drPlan.holdsFencesOf && prodPlan.fencedBy && prodPlan.app
            ? [edgeLine("dr_fence", "prod_alb", { style: "dotted", color: "#b06000", fontcolor: "#b06000", constraint: "false", label: "gates the record" })] : []),
        ...dataFlowEdges(cfg, prodPlan, drPlan, backupEvery),
        "}",
    ].join("\n") + "\n";
}
