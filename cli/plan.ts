// npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]
//
// The offline plan of a DR pair: what each region's stack would create, the pair's estimated RTO/RPO
// against its targets, the DR region's monthly cost as a share of prod's, and a diagram (SVG).
// It evaluates the real program (index.ts) for the named stack and for its peer under the Pulumi SDK's
// mock monitor: no cloud credentials, no Pulumi CLI, nothing deployed. `--set` overrides apply to both
// stacks, except the keys that describe one stack only (aws:region, dr:role, dr:failover).
import * as fs from "fs";
import * as path from "path";
import { instance } from "@viz-js/viz";
import { tierPlan } from "../model/tiers";
import { topologyDot } from "../model/drawings/topology";
import { evaluatePair } from "../offline/pair";
import { PairError, pairConfigs } from "../model/stackPair";
import { duration, planSections } from "../offline/planReport";
import { tierPoints } from "../model/advisor";
import { leverChartSvg } from "../model/drawings/leverChart";
import { assessObjectives } from "../model/objectives";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, parseSets, runMain } from "./command";

export const USAGE = `usage: npm run plan -- --stack <name> [--set key=value ...] [--out <file.svg>] [--peer <name>]

  --stack  the stack to plan (a Pulumi.<name>.yaml next to Pulumi.yaml), e.g. prod or dr
  --set    a config override, e.g. --set dr:strategy=warm-standby (repeatable; "dr:" may be left out).
           Applied to both stacks of the pair, except aws:region, dr:role and dr:failover (this stack only).
  --out    where to write the diagram (default: plan-<stack>.svg in the current directory)
  --peer   the other stack of the pair, when more than one stack file has the other dr:role

Offline: runs the program under Pulumi's mocks. No credentials, no Pulumi CLI, nothing is deployed.
Exit codes: 0 the plan printed (even if an objective is missed); 1 invalid config; 2 bad usage.`;

const SPEC = {
    usage: USAGE,
    options: {
        stack: { type: "string", short: "s" },
        set: { type: "string", multiple: true },
        out: { type: "string", short: "o" },
        peer: { type: "string" },
    },
} as const;

export interface PlanArgs {
    readonly stack: string;
    readonly overrides: Record<string, string>;
    readonly out?: string;
    readonly peer?: string;
}

/** The plan's arguments. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    const { values } = parseCommandLine(SPEC, argv);
    if (!values.stack) {
        throw CliError.usage("--stack is required");
    }
    return { stack: values.stack, overrides: parseSets(values.set ?? []), out: values.out, peer: values.peer };
}

export async function planCommand(argv: string[], io: Io = PROCESS_IO): Promise<number> {
    const args = parsePlanArgs(argv);
    try {
        const pair = pairConfigs(args.stack, args.overrides, args.peer);
        const evaluations = await evaluatePair(pair, args.overrides);
        const plans = { prod: tierPlan(pair.prod), dr: tierPlan(pair.dr) };
        planSections({ pair, evaluations, plans, overrides: args.overrides }).forEach((l) => io.out(l));

        const dot = topologyDot(pair.named, plans.prod, plans.dr, { prod: pair.prodStack, dr: pair.drStack });
        const result = (await instance()).render(dot, { format: "svg" });
        if (result.status !== "success") {
            throw new Error(`Graphviz could not render the diagram: ${result.errors.map((e) => e.message).join("; ")}`);
        }
        const file = path.resolve(args.out ?? `plan-${args.stack}.svg`);
        fs.writeFileSync(file, result.output);
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

if (require.main === module) {
    runMain(USAGE, planCommand);
}
