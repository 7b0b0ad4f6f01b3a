// npm run drill [-- --strategy pilot-light|warm-standby|active-active] [--report-dir reports]
//
// A DR drill on this machine: starts a local AWS emulator (moto_server on a free loopback port), creates in it
// what `pulumi up -s prod` and `pulumi up -s dr` leave for the tier, then runs the runbook's planned failover
// and its failback end to end (as `npm run failover -- --yes` and `npm run failback -- --yes` would), and
// writes both drill reports. Steps moto cannot perform are recorded as simulated, with the reason; their
// code paths are covered by tests/runbook.sdk.test.ts. Nothing leaves 127.0.0.1: the smoke check reaches a
// loopback stand-in of the app. Exit codes: 0 drill completed; 1 a step failed or moto is missing; 2 usage.
import { parseArgs } from "util";
import { runbookConfig } from "../runbook/context";
import { AppStandIn, startAppStandIn } from "../offline/appStandIn";
import { EMULATOR_GAPS, MOTO_MISSING_MESSAGE, Moto, startEmulator } from "../offline/moto";
import { seedDeployedPair } from "../offline/seed";
import { Overrides } from "../model/stackFiles";
import { Strategy } from "../model/config";
import { RunbookRun, runRunbook } from "../runbook/run";
import { UsageError, printResults } from "./runbook";

/** The tiers with a live replica to fail over to (backup & restore restores through the IaC instead). */
export const DRILL_STRATEGIES = ["pilot-light", "warm-standby", "active-active"] as const;
export type DrillStrategy = (typeof DRILL_STRATEGIES)[number];

/** A drill waits briefly: moto scales and reports targets healthy at once. */
export const DRILL_WAIT_SECONDS = 20;
export const DRILL_POLL_MS = 200;
const STACK = "dr";

const USAGE = "usage: npm run drill [-- --strategy pilot-light|warm-standby|active-active] [--report-dir DIR]";

export interface DrillArgs {
    readonly strategy?: DrillStrategy;
    readonly reportDir: string;
}

export function parseDrillArgs(argv: string[]): DrillArgs {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: { strategy: { type: "string" }, "report-dir": { type: "string", default: "reports" } },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        throw new UsageError(`${(err as Error).message}\n${USAGE}`);
    }
    const strategy = values.strategy;
    if (strategy !== undefined && !(DRILL_STRATEGIES as readonly string[]).includes(strategy)) {
        throw new UsageError(`--strategy must be one of ${DRILL_STRATEGIES.join(", ")} (backup-restore has no replica to fail over to; ` +
            `its failover is the IaC restore)\n${USAGE}`);
    }
    return { strategy: strategy as DrillStrategy | undefined, reportDir: values["report-dir"]! };
}

/**
 * The config the drill runs with: the dr stack file as shipped, with the strategy changed when asked. An
 * active-active drill uses weighted records, so the failback's 10/25/50/100 % walk runs too.
 */
export function drillOverrides(strategy: Strategy | undefined): Overrides {
    const shipped = runbookConfig(STACK).strategy;
    const chosen = strategy ?? shipped;
    return {
        ...(chosen !== shipped ? { "dr:strategy": chosen } : {}),
        ...(chosen === "active-active" ? { "dr:routingPolicy": "weighted" } : {}),
    };
}

interface PhaseInput {
    readonly kind: "failover" | "failback";
    readonly moto: Moto;
    readonly overrides: Overrides;
    readonly smokeUrl: string;
    readonly reportDir: string;
}

/** One phase of the drill, exactly as `npm run <kind> -- --stack dr --yes` runs it, against the emulator. */
function runPhase(p: PhaseInput): Promise<RunbookRun> {
    return runRunbook({
        kind: p.kind, stack: STACK, mode: "planned", dryRun: false, yes: true, force: false,
        endpoint: p.moto.endpoint, smokeUrl: p.smokeUrl, reportDir: p.reportDir,
        waitSeconds: DRILL_WAIT_SECONDS, pollMs: DRILL_POLL_MS, simulate: EMULATOR_GAPS, overrides: p.overrides,
    });
}

function loud(message: string): string {
    const bar = "!".repeat(Math.max(...message.split("\n").map((l) => l.length)) + 2);
    return `${bar}\n${message.split("\n").map((l) => `! ${l}`).join("\n")}\n${bar}`;
}

async function drill(args: DrillArgs): Promise<number> {
    let moto: Moto | undefined;
    let app: AppStandIn | undefined;
    const cleanup = async () => {
        await Promise.allSettled([app?.close(), moto?.stop()]);
    };
    const onSignal = (signal: NodeJS.Signals) => {
        console.error(`\n${signal}: stopping moto_server and the app stand-in`);
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
                console.error(loud(`${MOTO_MISSING_MESSAGE}\nThe drill runs the runbook against moto_server on 127.0.0.1; it cannot run without it.`));
                return 1;
            }
            throw err;
        }
        const pair = await seedDeployedPair(moto.endpoint, { overrides });
        app = await startAppStandIn();
        const runOverrides = Object.keys(overrides).length === 0 ? {} : pair.runbookOverrides;
        const cfg = pair.dr;
        console.log(`DR drill: ${cfg.strategy}${cfg.strategy === "active-active" ? ` (dr:routingPolicy ${cfg.routingPolicy})` : ""}, ` +
            `stack ${STACK}, ${cfg.primaryRegion} -> ${cfg.drRegion}, N = ${cfg.capacity}`);
        console.log(`  AWS: moto_server at ${moto.endpoint} (seeded as after pulumi up -s prod and -s dr; hosted zone ${pair.hostedZoneId})`);
        console.log(`  smoke check: ${app.healthUrl} (loopback stand-in of the app)`);
        console.log(`  runbook: ${Object.keys(runOverrides).length === 0 ? "runRunbook, as npm run failover/failback -- --yes" : `with config overrides ${JSON.stringify(runOverrides)}`}`);

        const runs: { kind: "failover" | "failback"; run: RunbookRun }[] = [];
        for (const kind of ["failover", "failback"] as const) {
            console.log(`\n== ${kind} (planned) ==`);
            const run = await runPhase({ kind, moto, overrides: runOverrides, smokeUrl: app.healthUrl, reportDir: args.reportDir });
            runs.push({ kind, run });
            console.log(`\n${kind}:`);
            printResults(run.results);
            console.log(`  report: ${run.reportPath} (and .svg)`);
            if (run.error) {
                console.error(`\ndrill stopped: ${kind} failed: ${run.error.message}`);
                return 1;
            }
        }

        console.log("\nSimulated (moto cannot perform them; covered by tests/runbook.sdk.test.ts):");
        for (const { kind, run } of runs) {
            for (const r of run.results.filter((x) => x.status === "simulated")) {
                console.log(`  - ${kind} ${r.id}: ${r.notes.join("; ")}`);
            }
        }
        const skipped = runs.flatMap(({ kind, run }) => run.results
            .filter((r) => r.status === "already-done" && EMULATOR_GAPS.has(r.id)).map((r) => `${kind} ${r.id}`));
        if (skipped.length > 0) {
            console.log(`Already done, so neither run nor simulated: ${skipped.join(", ")} ` +
                "(moto still shows the primary cluster as the writer, because the promotion was simulated)");
        }
        console.log("\nReports:");
        for (const { kind, run } of runs) {
            console.log(`  ${kind}: ${run.reportPath}, ${run.reportPath!.replace(/\.md$/, ".svg")}`);
        }
        console.log("\ndrill completed");
        return 0;
    } finally {
        await cleanup();
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
    }
}

async function main(): Promise<number> {
    let args: DrillArgs;
    try {
        args = parseDrillArgs(process.argv.slice(2));
    } catch (err) {
        console.error((err as Error).message);
        return 2;
    }
    try {
        return await drill(args);
    } catch (err) {
        console.error(`drill failed: ${(err as Error).stack ?? err}`);
        return 1;
    }
}

if (require.main === module) {
    main().then((code) => process.exit(code));
}
