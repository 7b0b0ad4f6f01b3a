// npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]
// npm run plan -- --portfolio <name> [--set key=value ...] [--out <file.svg>]
//
// The offline plan of a DR pair: what each region's stack would create, the pair's estimated RTO/RPO
// against its targets, the DR region's monthly cost as a share of prod's, and a diagram (SVG).
// It evaluates the real program (index.ts) for the named stack and for its peer under the Pulumi SDK's
// mock monitor: no cloud credentials, no Pulumi CLI, nothing deployed. `--set` overrides apply to both
// stacks, except the keys that describe one stack only (aws:region, dr:role, dr:failover).
//
// Where the stacks' dr:regions lists three regions or more, the plan of the region set (docs/regions.md): every
// region's stack (found by model/stackSet.ts), the estimate of a failover into each recovery region, each
// region's monthly cost and the set's, and the set drawn, a column per region.
//
// With --portfolio, the plan of a portfolio of pairs (docs/portfolio.md): each app's RTO, RPO and DR cost,
// the portfolio's RTO (the decision once, then the waves in sequence) and total DR cost, and the waves drawn.
// Arithmetic on the stack files only: no stack is evaluated, and no Pulumi module is loaded.
import * as fs from "fs";
import * as path from "path";
import { instance } from "@viz-js/viz";
import { tierPlan } from "../model/tiers";
import { regionSetDot, topologyDot } from "../model/drawings/topology";
import { PairError, pairConfigs } from "../model/stackPair";
import { setConfigs } from "../model/stackSet";
import { regionSet } from "../model/regionSet";
import { duration } from "../model/duration";
import { planSections, setPlanSections } from "../offline/planReport";
import { tierPoints } from "../model/advisor";
import { leverChartSvg } from "../model/drawings/leverChart";
import { assessObjectives } from "../model/objectives";
import { isPortfolio } from "../model/portfolio/config";
import { estimateOf, loadPortfolio } from "../model/portfolio/load";
import { wavesDot } from "../model/drawings/waves";
import { PROJECT_ROOT, layeredConfig, stackNames } from "../model/tooling/stackFiles";
import { portfolioSections } from "../offline/portfolioReport";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, parseSets, runMain } from "./command";

export const USAGE = `usage: npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]
       npm run plan -- --portfolio <name> [--set key=value ...] [--out <file.svg>]

  --stack      the stack to plan (a Pulumi.<name>.yaml next to Pulumi.yaml), e.g. prod or dr
  --portfolio  instead of --stack: a portfolio stack (dr:role portfolio, docs/portfolio.md), e.g. portfolio:
               each app's RTO, RPO and DR cost, the portfolio's RTO (the decision once, then the waves in
               sequence) and its total DR cost, and the waves drawn. From the stack files only: fast
  --set        a config override, e.g. --set dr:strategy=warm-standby (repeatable; "dr:" may be left out).
               Applied to both stacks of the pair, except aws:region, dr:role and dr:failover (this stack
               only); with --portfolio, to the portfolio stack only, e.g. --set dr:rtoTargetSeconds=7200
  --out        where to write the diagram (default: plan-<stack>.svg in the current directory)
  --peer       the other stack of the pair, when more than one stack file has the other dr:role

A stack whose dr:regions lists three regions or more is planned with its region set: every region's stack (the
stack file of the same dr:appName whose aws:region is that region), the RTO and RPO of a failover into each
recovery region, each region's monthly cost and the set's total, the set drawn (docs/regions.md).

Offline: runs the program under Pulumi's mocks. No credentials, no Pulumi CLI, nothing is deployed.
Exit codes: 0 the plan printed (even if an objective is missed); 1 invalid config; 2 bad usage.`;

const SPEC = {
    usage: USAGE,
    options: {
        stack: { type: "string", short: "s" },
        portfolio: { type: "string" },
        set: { type: "string", multiple: true },
        out: { type: "string", short: "o" },
        peer: { type: "string" },
    },
} as const;

/** A pair's plan (--stack) or a portfolio's (--portfolio). */
export type PlanArgs =
    | { readonly kind: "pair"; readonly stack: string; readonly overrides: Record<string, string>; readonly out?: string; readonly peer?: string }
    | { readonly kind: "portfolio"; readonly stack: string; readonly overrides: Record<string, string>; readonly out?: string };

/** The plan's arguments. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    const { values } = parseCommandLine(SPEC, argv);
    const overrides = parseSets(values.set ?? []);
    if (values.portfolio !== undefined) {
        const other = values.stack !== undefined ? "--stack" : values.peer !== undefined ? "--peer" : undefined;
        if (other) {
            throw CliError.usage(`--portfolio plans a portfolio stack and its apps' pairs: leave out ${other}`);
        }
        return { kind: "portfolio", stack: values.portfolio, overrides, out: values.out };
    }
    if (!values.stack) {
        throw CliError.usage("--stack (a pair) or --portfolio (a portfolio of pairs) is required");
    }
    return { kind: "pair", stack: values.stack, overrides, out: values.out, peer: values.peer };
}

/** DOT as SVG, through Graphviz compiled to WebAssembly. */
async function svgOf(dot: string): Promise<string> {
    const result = (await instance()).render(dot, { format: "svg" });
    if (result.status !== "success") {
        throw new Error(`Graphviz could not render the diagram: ${result.errors.map((e) => e.message).join("; ")}`);
    }
    return result.output;
}

/** `root`: where the stack files are (the project's by default). */
export async function planCommand(argv: string[], io: Io = PROCESS_IO, root: string = PROJECT_ROOT): Promise<number> {
    const args = parsePlanArgs(argv);
    try {
        if (args.kind === "portfolio") {
            return await portfolioPlan(args, io, root);
        }
        const pair = pairConfigs(args.stack, args.overrides, args.peer, root);
        if (regionSet(pair.named).regions.length > 2) {
            return await setPlan(args, io, root);
        }
        // Loaded here, not above: a portfolio's plan loads no Pulumi module (tests/boundaries.test.ts).
        const { evaluatePair } = await import("../offline/pair");
        const evaluations = await evaluatePair(pair, args.overrides, root);
        const plans = { prod: tierPlan(pair.prod), dr: tierPlan(pair.dr) };
        planSections({ pair, evaluations, plans, overrides: args.overrides }).forEach((l) => io.out(l));

        const dot = topologyDot(pair.named, plans.prod, plans.dr, { prod: pair.prodStack, dr: pair.drStack });
        const file = path.resolve(args.out ?? `plan-${args.stack}.svg`);
        fs.writeFileSync(file, await svgOf(dot));
        const chart = file.replace(/\.svg$/, "") + "-levers.svg";
        const points = tierPoints(pair.prod, pair.dr);
        fs.writeFileSync(chart, leverChartSvg(points, pair.named.strategy, assessObjectives(pair.named).targets.rtoSeconds));
        io.out();
        io.out(`5. Diagram: ${file}`);
        io.out("   (open it in a browser; dashed blue edges are data flows: replication and backup copies)");
        io.out(`   RTO against DR cost, every tier with and without its levers: ${chart}`);
        for (const p of points) {
            io.out(`     ${p.strategy.padEnd(15)} levers off ${duration(p.off.rtoSeconds).padEnd(16)} ${p.off.drPercent.toFixed(1).padStart(5)} %   ` +
                `on ${duration(p.on.rtoSeconds).padEnd(16)} ${p.on.drPercent.toFixed(1).padStart(5)} %`);
        }
        return EXIT.ok;
    } catch (err) {
        throw err instanceof PairError ? new CliError(err.message) : err;
    }
}

/**
 * A region set of three or more: every region's stack evaluated, the estimate into each recovery region, each
 * region's cost and the set's, the set drawn; the levers of the failover into the next recovery region.
 */
async function setPlan(args: Extract<PlanArgs, { kind: "pair" }>, io: Io, root: string): Promise<number> {
    if (args.peer !== undefined) {
        throw CliError.usage(`--peer picks a pair's other stack; stack "${args.stack}" is of a region set of three or more, ` +
            "whose stacks are found by region (one stack file per region of dr:regions): leave out --peer");
    }
    const set = setConfigs(args.stack, args.overrides, root);
    const { evaluateSet } = await import("../offline/pair");
    const evaluations = await evaluateSet(set, args.overrides, root);
    const plans = set.members.map((m) => tierPlan(m.config));
    setPlanSections({ set, evaluations, plans, overrides: args.overrides }).forEach((l) => io.out(l));

    const dot = regionSetDot(set.members.map((m, i) => ({ stack: m.stack, region: m.region, cfg: m.config, plan: plans[i] })));
    const file = path.resolve(args.out ?? `plan-${args.stack}.svg`);
    fs.writeFileSync(file, await svgOf(dot));
    const chart = file.replace(/\.svg$/, "") + "-levers.svg";
    const [primary, next] = set.members;
    const points = tierPoints(primary.config, next.config);
    fs.writeFileSync(chart, leverChartSvg(points, set.named.strategy, assessObjectives(next.config).targets.rtoSeconds));
    io.out();
    io.out(`5. Diagram: ${file}`);
    io.out(`   (a column per region; dashed blue edges are data flows to each recovery region: replication and backup copies;`);
    io.out("   dotted orange edges the fences, each held in a recovery region; Route 53's failover tree above)");
    io.out(`   RTO against DR cost, every tier with and without its levers (${primary.stack} and ${next.stack}, the failover into ${next.region}): ${chart}`);
    return EXIT.ok;
}

/** --portfolio: the apps' estimates and costs, the portfolio's, and the waves drawn. Reads stack files only. */
async function portfolioPlan(args: Extract<PlanArgs, { kind: "portfolio" }>, io: Io, root: string): Promise<number> {
    const stacks = stackNames(root);
    if (stacks.includes(args.stack) && !isPortfolio(layeredConfig(args.stack, args.overrides, root))) {
        const role = layeredConfig(args.stack, args.overrides, root)["dr:role"] ?? "(not set)";
        const portfolios = stacks.filter((s) => isPortfolio(layeredConfig(s, {}, root)));
        throw new CliError(`Stack "${args.stack}" is not a portfolio: its dr:role is ${role}, not portfolio. ` +
            `Plan its pair with \`npm run plan -- --stack ${args.stack}\`, or name a portfolio stack with --portfolio ` +
            (portfolios.length > 0 ? `(here: ${portfolios.join(", ")}).` : "(there is none here: docs/portfolio.md says how to write one)."));
    }
    const portfolio = loadPortfolio(args.stack, args.overrides, root);
    // The same estimate as the portfolio stack's own outputs (index.ts): with dr:autoFailover auto, its trigger decides.
    const { apps, estimate } = estimateOf(portfolio, root);
    portfolioSections({ portfolio, apps, estimate }).forEach((l) => io.out(l));
    const file = path.resolve(args.out ?? `plan-${args.stack}.svg`);
    fs.writeFileSync(file, await svgOf(wavesDot({ stack: args.stack, appName: portfolio.config.appName, estimate, apps })));
    io.out();
    io.out(`4. Diagram: ${file}`);
    io.out("   (the waves as a timeline: the decision, each wave's apps side by side, the app that sets a wave's time in bold)");
    return EXIT.ok;
}

if (require.main === module) {
    runMain(USAGE, planCommand);
}
