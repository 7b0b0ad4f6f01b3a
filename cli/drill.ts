// npm run drill [-- --strategy pilot-light|warm-standby|active-active] [--report-dir reports]
//
// A DR drill on this machine: starts a local AWS emulator (moto_server on a free loopback port), creates in it
// what `pulumi up -s prod` and `pulumi up -s dr` leave for the tier, then runs the runbook's planned failover
// and its failback end to end (as `npm run failover -- --yes` and `npm run failback -- --yes` would), and
// writes both drill reports. Steps moto cannot perform are recorded as simulated, with the reason; their
// code paths are covered by tests/runbook.sdk.test.ts. Nothing leaves 127.0.0.1: the smoke check reaches a
// loopback stand-in of the app.
import { Overrides } from "../model/stackFiles";
import { STRATEGIES, Strategy } from "../model/strategy";
import { TIERS } from "../model/tiers";
import { AppStandIn, startAppStandIn } from "../offline/appStandIn";
import { runDrillPhase } from "../offline/drillPhase";
import { EMULATOR_GAPS, MOTO_MISSING_MESSAGE, Moto, startEmulator } from "../offline/moto";
import { seedDeployedPair } from "../offline/seed";
import { runbookConfig } from "../runbook/context";
import { RunbookRun } from "../runbook/run";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, runMain } from "./command";
import { resultLines } from "./runbook";

/** The tiers the drill can exercise against the emulator, from their TierSpecs. */
export const DRILL_STRATEGIES: readonly Strategy[] = STRATEGIES.filter((s) => TIERS[s].drill.exercised);
const STACK = "dr";

export const USAGE = `usage: npm run drill [-- --strategy ${DRILL_STRATEGIES.join("|")}] [--report-dir DIR]

  --strategy    the tier to drill (default: the dr stack file's dr:strategy)
  --report-dir  where the two drill reports go (default reports)

Exit codes: 0 the drill completed; 1 a step failed or moto_server is missing; 2 bad usage.`;

const SPEC = {
    usage: USAGE,
    options: { strategy: { type: "string" }, "report-dir": { type: "string", default: "reports" } },
} as const;

export interface DrillArgs {
    readonly strategy?: Strategy;
    readonly reportDir: string;
}

/** The drill's arguments. */
export function parseDrillArgs(argv: readonly string[]): DrillArgs {
    const parsed = parseCommandLine(SPEC, argv);
    const strategy = parsed.values.strategy;
    if (strategy !== undefined && !DRILL_STRATEGIES.includes(strategy as Strategy)) {
        const notDrilled = STRATEGIES.flatMap((s) => { const d = TIERS[s].drill; return d.exercised ? [] : [`${s}: ${d.why}`]; });
        throw CliError.usage(`--strategy ${strategy}: must be one of ${DRILL_STRATEGIES.join(", ")} (${notDrilled.join("; ")})`);
    }
    return { strategy: strategy as Strategy | undefined, reportDir: parsed.values["report-dir"] };
}

/**
 * The config the drill runs with: the dr stack file as shipped, with the strategy changed when asked, plus
 * what the tier's TierSpec asks the drill to set (active-active: weighted records, for the failback's walk).
 */
export function drillOverrides(strategy: Strategy | undefined): Overrides {
    const shipped = runbookConfig(STACK).strategy;
    const chosen = strategy ?? shipped;
    const drill = TIERS[chosen].drill;
    return {
        ...(chosen !== shipped ? { "dr:strategy": chosen } : {}),
        ...(drill.exercised ? drill.config : {}),
    };
}

function loud(message: string): string {
    const bar = "!".repeat(Math.max(...message.split("\n").map((l) => l.length)) + 2);
    return `${bar}\n${message.split("\n").map((l) => `! ${l}`).join("\n")}\n${bar}`;
}

async function drill(args: DrillArgs, io: Io): Promise<number> {
    let moto: Moto | undefined;
    let app: AppStandIn | undefined;
    const cleanup = async () => {
        await Promise.allSettled([app?.close(), moto?.stop()]);
    };
    const onSignal = (signal: NodeJS.Signals) => {
        io.err(`\n${signal}: stopping moto_server and the app stand-in`);
        void cleanup().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        const overrides = drillOverrides(args.strategy);
        try {
            moto = await startEmulator();
        } catch (err) {
            if ((err as Error).message === MOTO_MISSING_MESSAGE) {
                throw new CliError(loud(`${MOTO_MISSING_MESSAGE}\nThe drill runs the runbook against moto_server on 127.0.0.1; it cannot run without it.`));
            }
            throw err;
        }
        const pair = await seedDeployedPair(moto.endpoint, { overrides });
        app = await startAppStandIn();
        const runOverrides = Object.keys(overrides).length === 0 ? {} : pair.runbookOverrides;
        const cfg = pair.dr;
        const drillNote = TIERS[cfg.strategy].drill;
        io.out(`DR drill: ${cfg.strategy}${drillNote.exercised && drillNote.note ? ` (${drillNote.note})` : ""}, ` +
            `stack ${STACK}, ${cfg.primaryRegion} -> ${cfg.drRegion}, N = ${cfg.capacity}`);
        io.out(`  AWS: moto_server at ${moto.endpoint} (seeded as after pulumi up -s prod and -s dr; hosted zone ${pair.hostedZoneId})`);
        io.out(`  smoke check: ${app.healthUrl} (loopback stand-in of the app)`);
        io.out(`  runbook: ${Object.keys(runOverrides).length === 0 ? "as npm run failover/failback -- --yes" : `with config overrides ${JSON.stringify(runOverrides)}`}`);

        const runs: { kind: "failover" | "failback"; run: RunbookRun }[] = [];
        for (const kind of ["failover", "failback"] as const) {
            io.out(`\n== ${kind} (planned) ==`);
            const run = await runDrillPhase({
                kind, stack: STACK, endpoint: moto.endpoint, smokeUrl: app.healthUrl, reportDir: args.reportDir, overrides: runOverrides,
            });
            runs.push({ kind, run });
            io.out(`\n${kind}:`);
            resultLines(run.results).forEach((l) => io.out(l));
            io.out(`  report: ${run.reportPath} (and .svg)`);
            if (run.error) {
                io.err(`\ndrill stopped: ${kind} failed: ${run.error.message}`);
                return EXIT.failed;
            }
        }

        io.out("\nSimulated (moto cannot perform them; covered by tests/runbook.sdk.test.ts):");
        for (const { kind, run } of runs) {
            for (const r of run.results.filter((x) => x.status === "simulated")) {
                io.out(`  - ${kind} ${r.id}: ${r.notes.join("; ")}`);
            }
        }
        const skipped = runs.flatMap(({ kind, run }) => run.results
            .filter((r) => r.status === "already-done" && EMULATOR_GAPS.has(r.id)).map((r) => `${kind} ${r.id}`));
        if (skipped.length > 0) {
            io.out(`Already done, so neither run nor simulated: ${skipped.join(", ")} ` +
                "(moto still shows the primary cluster as the writer, because the promotion was simulated)");
        }
        io.out("\nReports:");
        for (const { kind, run } of runs) {
            io.out(`  ${kind}: ${run.reportPath}, ${run.reportPath!.replace(/\.md$/, ".svg")}`);
        }
        io.out("\ndrill completed");
        return EXIT.ok;
    } finally {
        await cleanup();
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
    }
}

export async function drillCommand(argv: string[], io: Io = PROCESS_IO): Promise<number> {
    return drill(parseDrillArgs(argv), io);
}

if (require.main === module) {
    runMain(USAGE, drillCommand);
}
