// The offline plan's text: what each region would run (grouped by component), the pair's recovery
// objectives against their targets, and the DR region's monthly cost beside the tier's usual range; of a
// region set of three or more (setPlanSections), the estimate of a failover into each recovery region, each
// region's monthly cost and the set's. Formatting only: it reads recordings and configs and returns lines.
import { adviseLevers, leversOn, pairFigures, withoutLevers } from "../model/advisor";
import { drCostShare, topLines } from "../model/cost";
import { assessObjectives } from "../model/objectives";
import type { RegionPlan } from "../model/regionPlan";
import { TIERS } from "../model/tiers";
import { drRegionState } from "../model/drawings/topology";
import type { Recorded, Recording } from "./evaluate";
import type { PairConfigs } from "../model/stackPair";
import type { SetConfigs } from "../model/stackSet";
import { FailoverStart, setCost, targetEstimates } from "../model/setFigures";
import type { Evaluation } from "./pair";
import { regionSet } from "../model/regionSet";
import { duration } from "../model/duration";

const shortType = (type: string) => type.split(":").pop() ?? type;

/** USD as the plan prints it: "$1,942.17". */
export const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** What a resource adds to its type's name in the listing: the numbers a reader checks first. */
function detail(r: Recorded): string {
    const i = r.inputs ?? {};
    switch (r.type) {
        case "aws:autoscaling/group:Group":
            return `ASG ${i.minSize}/${i.desiredCapacity}/${i.maxSize}`;
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return `${i.numCacheClusters} x ${i.nodeType}`;
        case "aws:rds/clusterInstance:ClusterInstance":
            return String(i.instanceClass ?? "");
        case "aws:rds/cluster:Cluster":
            return i.snapshotIdentifier ? "restored from a snapshot" :
                i.globalClusterIdentifier ? `in global cluster ${i.globalClusterIdentifier}${i.enableGlobalWriteForwarding ? ", write forwarding" : ""}` : "";
        case "aws:route53/record:Record":
            if (i.failoverRoutingPolicies?.length) return `failover ${i.failoverRoutingPolicies[0].type}`;
            if (i.latencyRoutingPolicies?.length) return "latency";
            if (i.weightedRoutingPolicies?.length) return `weighted ${i.weightedRoutingPolicies[0].weight}`;
            return "";
        case "aws:backup/vaultLockConfiguration:VaultLockConfiguration":
            return `Vault Lock, min ${i.minRetentionDays} d${i.changeableForDays !== undefined ? `, compliance after ${i.changeableForDays} d` : ""}`;
        case "awsx:ec2:Vpc":
            return `${i.cidrBlock}, ${i.numberOfAvailabilityZones} AZs, NAT ${i.natGateways?.strategy}; awsx creates the subnets, routes and NAT gateways`;
        default:
            return "";
    }
}

/** "SecurityGroup x2, LoadBalancer, Group (ASG 4/4/4)": a component's children, counted per type. */
function childSummary(children: Recorded[]): string {
    const byType = new Map<string, Recorded[]>();
    for (const c of children) {
        byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
    }
    return [...byType.entries()].map(([type, rs]) => {
        const details = [...new Set(rs.map(detail).filter(Boolean))];
        return `${shortType(type)}${rs.length > 1 ? ` x${rs.length}` : ""}${details.length ? ` (${details.join("; ")})` : ""}`;
    }).join(", ");
}

/** The recording as a tree of components (the parent field), each with its resources counted per type. */
export function resourceTree(rec: Recording): string[] {
    const resources = rec.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const isComponent = (r: Recorded) => !r.custom;
    const childrenOf = (name: string) => resources.filter((r) => r.parent === name);
    const lines: string[] = [];
    const visit = (component: Recorded, depth: number) => {
        const children = childrenOf(component.name);
        // A component with children of its own is listed on its own line; a leaf (awsx's remote Vpc,
        // whose children the mocks never see) is counted like a resource.
        const nested = children.filter((c) => isComponent(c) && childrenOf(c.name).length > 0);
        const leaves = children.filter((c) => !nested.includes(c));
        const summary = childSummary(leaves);
        lines.push(`${"  ".repeat(depth)}${shortType(component.type)} ${component.name}${summary ? `: ${summary}` : ""}`);
        for (const c of nested) {
            visit(c, depth + 1);
        }
    };
    for (const top of resources.filter((r) => r.parent === undefined)) {
        if (isComponent(top)) {
            visit(top, 2);
        } else {
            const provider = top.type.startsWith("pulumi:providers:");
            // A provider no resource is created through serves lookups only (the dr stack's read of the primary).
            const creates = resources.some((r) => r.provider?.includes(`::${top.name}::`));
            const role = creates ? ": every resource below is created through it" : ": creates nothing; reads only (the primary's Auto Scaling group, for the Region switch plan)";
            lines.push(`    ${provider ? "provider" : shortType(top.type)} ${top.name}${provider ? role : ""}`);
        }
    }
    return lines;
}

function rangeNote(percent: number, range: readonly [number, number], n: number, withoutLevers?: number): string[] {
    if (withoutLevers !== undefined && (percent < range[0] || percent > range[1]) && Math.abs(withoutLevers - percent) >= 0.05) {
        return [`${percent > range[1] ? "above" : "below"} the typical range with the recovery levers on; without them the DR region ` +
            `would be ${withoutLevers.toFixed(1)} % of prod.`, "Section 4 and the levers' picture show what each saves for what it costs."];
    }
    if (percent < range[0]) {
        return ["below the typical range: the standby holds little more than backup copies, and the estimate",
            "leaves out what it cannot know offline (cross-region transfer of the copies, restore tests)."];
    }
    if (percent > range[1]) {
        return [`above the typical range: at N = ${n} the fixed parts (Aurora, NAT gateway, ALB) weigh more`,
            "than in the rule of thumb, which assumes a larger fleet; the share drops as N grows."];
    }
    return ["within the typical range."];
}

export interface PlanInput {
    readonly pair: PairConfigs;
    readonly evaluations: { readonly prod: Evaluation; readonly dr: Evaluation };
    readonly plans: { readonly prod: RegionPlan; readonly dr: RegionPlan };
    /** The --set overrides, as given. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** Sections 1-3 of the plan: resources per region, recovery objectives, monthly cost. */
export function planSections(p: PlanInput): string[] {
    const { pair, evaluations, plans } = p;
    const cfg = pair.named;
    const out: string[] = [];
    const print = (s = "") => out.push(s);
    const setText = Object.keys(p.overrides).length ? Object.entries(p.overrides).map(([k, v]) => `${k}=${v}`).join(" ") : "none";
    print(`DR plan for stack "${pair.stack}": ${cfg.strategy}, app "${cfg.appName}", N = ${cfg.capacity} ` +
        "(offline: Pulumi mocks, nothing deployed)");
    print(`pair: ${pair.prodStack} (primary, ${regionSet(pair.prod).primary}) + ${pair.drStack} (secondary, ${regionSet(pair.dr).next}); --set: ${setText}`);

    print();
    print("1. Resources per region, grouped by component (what `pulumi preview` would create)");
    const regions = [
        { name: pair.prodStack, label: `${pair.prodStack} — ${pair.prod.region} (primary)`, evaluation: evaluations.prod },
        { name: pair.drStack, label: `${pair.drStack} — ${pair.dr.region} (${drRegionState(pair.dr, plans.dr)})`, evaluation: evaluations.dr },
    ];
    for (const { name, label, evaluation } of regions) {
        const count = evaluation.recording.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
        print();
        print(`  ${label}: ${count} resources${name === pair.stack ? "   <- --stack" : ""}`);
        resourceTree(evaluation.recording).forEach((l) => print(l));
        for (const w of evaluation.warnings) {
            print(`    warning: ${w}`);
        }
    }

    const objectives = assessObjectives(cfg);
    const { estimate, targets } = objectives;
    print();
    print("2. Recovery objectives (estimated for the pair from the config; both stacks report the same)");
    objectives.report.split("\n").forEach((l) => print(`  ${l}`));
    const verdict = (est: number, target: number) => (est <= target ? "met" : "MISSED");
    print(`  RTO ${duration(estimate.rtoSeconds)} vs target ${duration(targets.rtoSeconds)}: ${verdict(estimate.rtoSeconds, targets.rtoSeconds)}`);
    print(`  RPO ${duration(estimate.rpoSeconds)} vs target ${duration(targets.rpoSeconds)}: ${verdict(estimate.rpoSeconds, targets.rpoSeconds)}`);
    if (objectives.met) {
        print(`  => objectives met: \`pulumi preview -s ${pair.stack}\` passes the objectives check.`);
    } else if (cfg.enforceObjectives && !cfg.failover) {
        print(`  => objectives NOT met: \`pulumi preview -s ${pair.stack}\` would FAIL on this (dr:enforceObjectives is true).`);
        print("     This plan evaluated the program with dr:enforceObjectives=false to show everything anyway.");
    } else {
        print(`  => objectives NOT met: \`pulumi preview -s ${pair.stack}\` would warn only ` +
            `(${cfg.failover ? "a failing-over dr stack never blocks on an estimate" : "dr:enforceObjectives is false"}).`);
    }

    const share = drCostShare(plans.prod, plans.dr, cfg.instanceType);
    const typical = TIERS[cfg.strategy].typical.costPercent;
    print();
    print("3. Monthly cost estimate (USD, us-east-1 on-demand list prices, 730 h; assumptions in model/cost.ts)");
    print("   For comparing tiers, not a bill: 100 GB per data store assumed; data transfer and requests not counted.");
    print(`  ${pair.prodStack.padEnd(6)} ${pair.prod.region.padEnd(12)} ${usd(share.prod.total).padStart(10)} / month`);
    print(`  ${pair.drStack.padEnd(6)} ${pair.dr.region.padEnd(12)} ${usd(share.dr.total).padStart(10)} / month = ${share.percent.toFixed(1)} % of ${pair.prodStack}`);
    print(`  typical DR cost for ${cfg.strategy}: ${typical[0]}-${typical[1]} % of prod (docs/reference.md)`);
    const bare = leversOn(pair.dr) ? pairFigures(withoutLevers(pair.prod), withoutLevers(pair.dr)).drPercent : undefined;
    const [first, ...rest] = rangeNote(share.percent, typical, cfg.capacity, bare);
    print(`  => ${share.percent.toFixed(1)} % is ${first}`);
    rest.forEach((l) => print(`     ${l}`));
    for (const [name, cost] of [[pair.drStack, share.dr], [pair.prodStack, share.prod]] as const) {
        print(`  ${name}'s largest lines:`);
        for (const l of topLines(cost, 5)) {
            print(`    ${usd(l.monthly).padStart(10)}  ${l.item}`);
        }
    }
    out.push("", ...leverSection(pair.prod, pair.dr, objectives.targets.rtoSeconds));
    return out;
}

/** Section 4: each lever that is off for this tier, one at a time: the RTO it saves and what it adds a month. */
export function leverSection(prod: PairConfigs["prod"], dr: PairConfigs["dr"], targetSeconds: number): string[] {
    const advice = adviseLevers(prod, dr);
    const lines = ["4. Levers that are off for this tier, one at a time (model/levers.ts; both stacks' cost)"];
    if (advice.length === 0) {
        return [...lines, "  none: every lever this tier allows is on."];
    }
    const money = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;
    for (const a of advice) {
        const saved = a.savedSeconds > 0 ? `saves ${duration(a.savedSeconds)}` : a.savedSeconds < 0 ? `adds ${duration(-a.savedSeconds)}` : "saves nothing on the critical path";
        const met = a.after.rtoSeconds <= targetSeconds ? "met" : "missed";
        lines.push(`  ${a.setting.padEnd(52)} RTO ${duration(a.after.rtoSeconds)} (${saved}; target ${met}), ` +
            `${money(a.addedMonthlyUsd)}/month, DR ${a.after.drPercent.toFixed(1)} % of prod${a.needs ? `; needs ${a.needs}` : ""}`);
    }
    return lines;
}

export interface SetPlanInput {
    readonly set: SetConfigs;
    /** Each region's stack evaluated, in the set's order. */
    readonly evaluations: readonly Evaluation[];
    /** Each region's stack plan, in the set's order. */
    readonly plans: readonly RegionPlan[];
    /** The --set overrides, as given. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** Rows of cells as aligned columns: text left, figures (`right`) right (the set's and the portfolio's tables). */
export function columns(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [header, ...rows].map((r) => `  ${line(r)}`);
}

/** What starts a failover into a region, as the table says it. */
const STARTED_BY: Readonly<Record<FailoverStart, string>> = {
    "a person notices": "a person (dr:autoFailover off)",
    "the detector pages": "the detector pages; a person decides",
    "the detector's trigger": "the detector's trigger (dr:autoFailover auto)",
};

/**
 * Sections 1-4 of a region set's plan (three or more regions): resources per region, the estimate of a failover
 * into each recovery region from its own stack's config, a table per region (RTO and RPO into it, its monthly
 * cost) with the set's total, and the levers of the failover into the next recovery region.
 */
export function setPlanSections(p: SetPlanInput): string[] {
    const { set, evaluations, plans } = p;
    const cfg = set.named;
    const [primary, ...recovery] = set.members;
    const out: string[] = [];
    const print = (s = "") => out.push(s);
    const setText = Object.keys(p.overrides).length ? Object.entries(p.overrides).map(([k, v]) => `${k}=${v}`).join(" ") : "none";
    print(`DR plan for stack "${set.stack}": ${cfg.strategy}, app "${cfg.appName}", N = ${cfg.capacity}, a region set of ${set.members.length} ` +
        "(offline: Pulumi mocks, nothing deployed)");
    print(`region set: ${primary.stack} (primary, ${primary.region})` +
        recovery.map((m, i) => ` + ${m.stack} (recovery region ${i + 1}, ${m.region})`).join("") + `; --set: ${setText}`);

    print();
    print("1. Resources per region, grouped by component (what `pulumi preview` would create)");
    set.members.forEach((m, i) => {
        const evaluation = evaluations[i];
        const state = i === 0 ? "primary" : `recovery region ${i}, ${drRegionState(m.config, plans[i])}`;
        const count = evaluation.recording.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
        print();
        print(`  ${m.stack} — ${m.region} (${state}): ${count} resources${m.stack === set.stack ? "   <- --stack" : ""}`);
        resourceTree(evaluation.recording).forEach((l) => print(l));
        for (const w of evaluation.warnings) {
            print(`    warning: ${w}`);
        }
    });

    const targets = targetEstimates(set.members);
    const verdict = (est: number, target: number) => (est <= target ? "met" : "MISSED");
    print();
    print("2. Recovery objectives per target region (a failover into each recovery region, each from its own stack's config)");
    columns(["into", "stack", "RTO", "target", "RPO", "target", "objectives", "started by"], targets.map((t) => {
        const { estimate, targets: goal, met } = t.assessment;
        return [t.region, t.stack, duration(estimate.rtoSeconds), duration(goal.rtoSeconds), duration(estimate.rpoSeconds), duration(goal.rpoSeconds),
            t.uncopied.length > 0 ? "NOT RESTORABLE" : met ? "met" : "MISSED", STARTED_BY[t.start]];
    }), new Set([2, 3, 4, 5])).forEach((l) => print(l));
    for (const t of targets) {
        const { estimate, targets: goal } = t.assessment;
        print();
        print(`  into ${t.region} (${t.stack}):`);
        t.assessment.report.split("\n").forEach((l) => print(`    ${l}`));
        print(`    RTO ${duration(estimate.rtoSeconds)} vs target ${duration(goal.rtoSeconds)}: ${verdict(estimate.rtoSeconds, goal.rtoSeconds)}`);
        print(`    RPO ${duration(estimate.rpoSeconds)} vs target ${duration(goal.rpoSeconds)}: ${verdict(estimate.rpoSeconds, goal.rpoSeconds)}`);
        if (t.uncopied.length > 0) {
            print(`    !! the primary's backups are not copied to ${t.region} (dr:backupCopyRegions): ${t.uncopied.join(", ")} cannot be restored there.`);
        }
    }
    const own = assessObjectives(cfg);
    print();
    print(`  \`pulumi preview -s ${set.stack}\` checks the failover into the next recovery region (${recovery[0].region}): ` +
        (own.met ? "objectives met, it passes." : cfg.enforceObjectives && !cfg.failover ? "objectives NOT met, it would FAIL (dr:enforceObjectives is true)."
            : "objectives NOT met, it would warn only."));

    const cost = setCost(set.members.map((m, i) => ({ ...m, plan: plans[i] })));
    const typical = TIERS[cfg.strategy].typical.costPercent;
    const prodTotal = cost.regions[0].cost.total;
    print();
    print("3. Per region: RTO and RPO of a failover into it, and its monthly cost (USD, us-east-1 on-demand list prices, 730 h; assumptions in model/cost.ts)");
    print("   For comparing tiers, not a bill: 100 GB per data store assumed; data transfer and requests not counted.");
    const rows = cost.regions.map((c, i) => {
        const t = targets.find((x) => x.region === c.region);
        const role = i === 0 ? "primary" : `recovery ${i} (${drRegionState(set.members[i].config, plans[i])})`;
        return [c.stack, c.region, role, t ? duration(t.assessment.estimate.rtoSeconds) : "-", t ? duration(t.assessment.estimate.rpoSeconds) : "-",
            `${usd(c.cost.total)} / month`, i === 0 ? "" : `${((100 * c.cost.total) / prodTotal).toFixed(1)} % of ${primary.stack}`];
    });
    columns(["stack", "region", "role", "RTO into it", "RPO", "monthly cost", "share"], [
        ...rows,
        ["set", "", `${cost.regions.length} regions`, "", "", `${usd(cost.total)} / month`, ""],
        ["DR", "", `${recovery.length} recovery regions`, "", "", `${usd(cost.drTotal)} / month`, `${cost.drPercent.toFixed(1)} % of ${primary.stack}`],
    ], new Set([5, 6])).forEach((l) => print(l));
    print(`  typical DR cost for ${cfg.strategy}: ${typical[0]}-${typical[1]} % of prod for one recovery region (docs/reference.md); ` +
        `the set keeps ${recovery.length}: ${cost.drPercent.toFixed(1)} % of ${primary.stack} in all.`);
    for (const c of [...cost.regions.slice(1), cost.regions[0]]) {
        print(`  ${c.stack}'s largest lines:`);
        for (const l of topLines(c.cost, 5)) {
            print(`    ${usd(l.monthly).padStart(10)}  ${l.item}`);
        }
    }
    const [lever, ...rest] = leverSection(primary.config, recovery[0].config, assessObjectives(recovery[0].config).targets.rtoSeconds);
    out.push("", lever,
        `  (the failover into ${recovery[0].region} (${recovery[0].stack}), priced on ${primary.stack}'s and ${recovery[0].stack}'s stacks; ` +
        `a lever set with --set reaches every recovery region's stack, ${recovery.slice(1).map((m) => m.stack).join(", ")} too)`, ...rest);
    return out;
}
