// npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]
//
// The offline plan of a DR pair: what each region's stack would create, the pair's estimated RTO/RPO
// against its targets, the DR region's monthly cost as a share of prod's, and a diagram (SVG).
// It evaluates the real program (index.ts) for the named stack and for its peer (the other stack file
// whose dr:role differs) under the Pulumi SDK's mock monitor: no cloud credentials, no Pulumi CLI, nothing
// deployed. `--set` overrides apply to both stacks, except the keys that describe one stack only
// (aws:region, dr:role, dr:failover), which apply to the named stack.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { instance } from "@viz-js/viz";
import { Recorded, Recording, runStack } from "../offline/evaluate";
import { layeredConfig, stackNames } from "../model/stackFiles";
import { ConfigProblem, DrConfig, configKeyNames, formatProblems, parseDrConfig } from "../model/config";
import { TYPICAL_DR_COST_PERCENT, drCostShare, topLines } from "../model/cost";
import { drRegionState, topologyDot } from "../model/topology";
import { tierPlan } from "../model/tiers";
import { assessObjectives } from "../model/objectives";

const USAGE = `usage: npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]

  --stack  the stack to plan (a Pulumi.<name>.yaml next to Pulumi.yaml), e.g. prod or dr
  --set    a config override, e.g. --set dr:strategy=warm-standby (repeatable; "dr:" may be left out).
           Applied to both stacks of the pair, except aws:region, dr:role and dr:failover (this stack only).
  --out    where to write the diagram (default: plan-<stack>.svg in the current directory)
  --peer   the other stack of the pair, when more than one stack file has the other dr:role

Offline: runs the program under Pulumi's mocks. No credentials, no Pulumi CLI, nothing is deployed.`;

/** Keys that describe one stack rather than the pair: not copied to the peer. */
const STACK_ONLY_KEYS = new Set(["aws:region", "dr:role", "dr:failover"]);

class UsageError extends Error {}
/** A problem the user fixes (config, arguments): printed without a stack trace. */
class PlanError extends Error {}

function parseCommandLine(): { stack: string; overrides: Record<string, string>; out?: string; peer?: string } {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                stack: { type: "string", short: "s" },
                set: { type: "string", multiple: true, default: [] },
                out: { type: "string", short: "o" },
                peer: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (values.help) {
        console.log(USAGE);
        process.exit(0);
    }
    if (!values.stack) {
        throw new UsageError("--stack is required");
    }
    const known = new Set(configKeyNames());
    const overrides: Record<string, string> = {};
    for (const item of values.set ?? []) {
        const match = /^([^=]+)=(.*)$/s.exec(item);
        if (!match) {
            throw new UsageError(`--set ${item}: expected key=value, e.g. --set dr:strategy=warm-standby`);
        }
        const key = match[1].includes(":") ? match[1].trim() : `dr:${match[1].trim()}`;
        if (!known.has(key)) {
            throw new UsageError(`--set ${item}: ${key} is not a key the program reads (see README.md, "Config reference")`);
        }
        overrides[key] = match[2];
    }
    return { stack: values.stack, overrides, out: values.out, peer: values.peer };
}

function findPeer(stack: string, overrides: Record<string, string>, requested?: string): string {
    const stacks = stackNames();
    for (const s of [stack, requested]) {
        if (s !== undefined && !stacks.includes(s)) {
            throw new PlanError(`There is no stack file Pulumi.${s}.yaml. Stacks: ${stacks.join(", ")}.`);
        }
    }
    const own = layeredConfig(stack, overrides);
    const role = own["dr:role"];
    // A pair shares its target: the real stacks pair with each other, the local (emulator) stacks likewise.
    const endpoint = own["dr:awsEndpoint"] ?? "";
    const peers = stacks.filter((s) => {
        if (s === stack) return false;
        const other = layeredConfig(s);
        return other["dr:role"] !== role && (other["dr:awsEndpoint"] ?? "") === endpoint;
    });
    if (requested !== undefined) {
        if (!peers.includes(requested)) {
            throw new PlanError(`--peer ${requested}: its dr:role is the same as stack "${stack}"'s (${role}); a pair needs a primary and a secondary.`);
        }
        return requested;
    }
    if (peers.length === 0) {
        throw new PlanError(`No peer for stack "${stack}" (dr:role ${role}): no other Pulumi.<stack>.yaml has the other dr:role.`);
    }
    if (peers.length > 1) {
        throw new PlanError(`Stack "${stack}" has several possible peers (${peers.join(", ")}): pick one with --peer.`);
    }
    return peers[0];
}

/** Runs the program for a stack under mocks, objectives not enforced; keeps the program's warnings apart. */
async function evaluate(stack: string, overrides: Record<string, string>): Promise<{ recording: Recording; warnings: string[] }> {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(" ").replace(/^warning: \[runtime\] /, "")); };
    try {
        const recording = await runStack(stack, { ...overrides, "dr:enforceObjectives": "false" });
        // The objectives warning is reported in section 2, with whether the real preview would fail.
        return { recording, warnings: warnings.filter((w) => !w.includes("cannot meet its recovery objectives")) };
    } catch (err) {
        throw new PlanError(`Evaluating stack "${stack}" failed: ${(err as Error).message}`);
    } finally {
        console.warn = warn;
    }
}

// ---------- formatting ----------

const shortType = (type: string) => type.split(":").pop() ?? type;

function duration(seconds: number): string {
    if (seconds < 60) return `${seconds} s`;
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return [h ? `${h} h` : "", m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean).join(" ");
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

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
function resourceTree(rec: Recording): string[] {
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
            lines.push(`    ${provider ? "provider" : shortType(top.type)} ${top.name}${provider ? ": every resource below is created through it" : ""}`);
        }
    }
    return lines;
}

function rangeNote(percent: number, range: readonly [number, number], n: number): string[] {
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

// ---------- the plan ----------

async function main(): Promise<void> {
    const { stack, overrides, out, peer: requestedPeer } = parseCommandLine();
    const peer = findPeer(stack, overrides, requestedPeer);
    const peerOverrides = Object.fromEntries(Object.entries(overrides).filter(([k]) => !STACK_ONLY_KEYS.has(k)));

    // Validate both configs first: the same report `pulumi preview` prints, without a stack trace.
    const parsed = [
        { name: stack, result: parseDrConfig(layeredConfig(stack, overrides), stack) },
        { name: peer, result: parseDrConfig(layeredConfig(peer, peerOverrides), peer) },
    ];
    const reported = new Set<string>();
    const reports: string[] = [];
    for (const { name, result } of parsed) {
        if (!result.ok) {
            // The peer shares the --set values: show a shared key's problem once.
            const fresh = result.problems.filter((p: ConfigProblem) => !reported.has(`${p.key} ${p.message}`));
            result.problems.forEach((p) => reported.add(`${p.key} ${p.message}`));
            if (fresh.length > 0) {
                reports.push(formatProblems(fresh, name) + (name === peer ? `\n(stack "${name}" is the peer of "${stack}", evaluated with the same --set values)` : ""));
            }
        }
    }
    if (reports.length > 0) {
        throw new PlanError(reports.join("\n\n"));
    }
    const cfgOf = (name: string): DrConfig => {
        const r = parsed.find((p) => p.name === name)!.result;
        return (r as { config: DrConfig }).config;
    };
    const cfg = cfgOf(stack);
    const prodStack = cfg.role === "primary" ? stack : peer;
    const drStack = cfg.role === "primary" ? peer : stack;
    const prodCfg = cfgOf(prodStack);
    const drCfg = cfgOf(drStack);

    const runs = new Map<string, { recording: Recording; warnings: string[] }>();
    runs.set(stack, await evaluate(stack, overrides));
    runs.set(peer, await evaluate(peer, peerOverrides));
    const prodPlan = tierPlan(prodCfg);
    const drPlan = tierPlan(drCfg);

    const print = (s = "") => console.log(s);
    const setText = Object.keys(overrides).length
        ? Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(" ") : "none";
    print(`DR plan for stack "${stack}": ${cfg.strategy}, app "${cfg.appName}", N = ${cfg.capacity} ` +
        `(offline: Pulumi mocks, nothing deployed)`);
    print(`pair: ${prodStack} (primary, ${prodCfg.primaryRegion}) + ${drStack} (secondary, ${drCfg.drRegion}); --set: ${setText}`);

    // (a) resources per region
    print();
    print("1. Resources per region, grouped by component (what `pulumi preview` would create)");
    const regionLabel = {
        [prodStack]: `${prodStack} — ${prodCfg.region} (primary)`,
        [drStack]: `${drStack} — ${drCfg.region} (${drRegionState(drCfg, drPlan)})`,
    };
    for (const name of [prodStack, drStack]) {
        const { recording, warnings } = runs.get(name)!;
        const count = recording.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
        print();
        print(`  ${regionLabel[name]}: ${count} resources${name === stack ? "   <- --stack" : ""}`);
        resourceTree(recording).forEach((l) => print(l));
        for (const w of warnings) {
            print(`    warning: ${w}`);
        }
    }

    // (b) recovery objectives
    const objectives = assessObjectives(cfg);
    const { estimate, targets } = objectives;
    print();
    print("2. Recovery objectives (estimated for the pair from the config; both stacks report the same)");
    objectives.report.split("\n").forEach((l) => print(`  ${l}`));
    const verdict = (est: number, target: number) => (est <= target ? "met" : "MISSED");
    print(`  RTO ${duration(estimate.rtoSeconds)} vs target ${duration(targets.rtoSeconds)}: ${verdict(estimate.rtoSeconds, targets.rtoSeconds)}`);
    print(`  RPO ${duration(estimate.rpoSeconds)} vs target ${duration(targets.rpoSeconds)}: ${verdict(estimate.rpoSeconds, targets.rpoSeconds)}`);
    if (objectives.met) {
        print(`  => objectives met: \`pulumi preview -s ${stack}\` passes the objectives check.`);
    } else if (cfg.enforceObjectives && !cfg.failover) {
        print(`  => objectives NOT met: \`pulumi preview -s ${stack}\` would FAIL on this (dr:enforceObjectives is true).`);
        print("     This plan evaluated the program with dr:enforceObjectives=false to show everything anyway.");
    } else {
        print(`  => objectives NOT met: \`pulumi preview -s ${stack}\` would warn only ` +
            `(${cfg.failover ? "a failing-over dr stack never blocks on an estimate" : "dr:enforceObjectives is false"}).`);
    }

    // (c) cost
    const share = drCostShare(prodPlan, drPlan, cfg.instanceType);
    const typical = TYPICAL_DR_COST_PERCENT[cfg.strategy];
    print();
    print("3. Monthly cost estimate (USD, us-east-1 on-demand list prices, 730 h; assumptions in model/cost.ts)");
    print("   For comparing tiers, not a bill: 100 GB per data store assumed; data transfer and requests not counted.");
    print(`  ${prodStack.padEnd(6)} ${prodCfg.region.padEnd(12)} ${usd(share.prod.total).padStart(10)} / month`);
    print(`  ${drStack.padEnd(6)} ${drCfg.region.padEnd(12)} ${usd(share.dr.total).padStart(10)} / month = ${share.percent.toFixed(1)} % of ${prodStack}`);
    print(`  typical DR cost for ${cfg.strategy}: ${typical[0]}-${typical[1]} % of prod (DR-REFERENCE.md)`);
    const [first, ...rest] = rangeNote(share.percent, typical, cfg.capacity);
    print(`  => ${share.percent.toFixed(1)} % is ${first}`);
    rest.forEach((l) => print(`     ${l}`));
    for (const [name, cost] of [[drStack, share.dr], [prodStack, share.prod]] as const) {
        print(`  ${name}'s largest lines:`);
        for (const l of topLines(cost, 5)) {
            print(`    ${usd(l.monthly).padStart(10)}  ${l.item}`);
        }
    }

    // (d) diagram
    const dot = topologyDot(cfg, prodPlan, drPlan, { prod: prodStack, dr: drStack });
    const viz = await instance();
    const result = viz.render(dot, { format: "svg" });
    if (result.status !== "success") {
        throw new Error(`Graphviz could not render the diagram: ${result.errors.map((e) => e.message).join("; ")}`);
    }
    const file = path.resolve(out ?? `plan-${stack}.svg`);
    fs.writeFileSync(file, result.output);
    print();
    print(`4. Diagram: ${file}`);
    print("   (open it in a browser; dashed blue edges are data flows: replication and backup copies)");
}

main().catch((err) => {
    if (err instanceof UsageError) {
        console.error(`${err.message}\n\n${USAGE}`);
        process.exit(2);
    }
    if (err instanceof PlanError) {
        console.error(err.message);
        process.exit(1);
    }
    console.error(err);
    process.exit(1);
});
