// npm run drill [-- --strategy pilot-light|warm-standby|active-active] [--outage] [--emulator URL] [--seed-only]
//                [--report-dir reports]
//
// A DR drill on this machine: starts a local AWS emulator (moto_server on a free loopback port), or uses one
// already running, creates in it what `pulumi up -s prod` and `pulumi up -s dr` leave for the tier, then
// runs the runbook's planned failover and its failback end to end (as `npm run failover -- --yes` and
// `npm run failback -- --yes` would), and writes both drill reports. With --outage, the failover is
// unplanned and goes through a fault proxy that refuses the lost region and Route 53's and IAM's APIs
// (offline/outageDrill.ts); with --seed-only, it creates the pair and exits. With --portfolio, it does the
// same for every app of the example portfolio (Pulumi.portfolio.yaml) in one emulator, failed over and back
// together as `npm run failover|failback -- --portfolio portfolio` runs them (offline/portfolioDrill.ts). Steps moto cannot perform are
// recorded as simulated, with the reason; their code paths are covered by tests/runbook.sdk.test.ts. Nothing
// leaves 127.0.0.1: the smoke check reaches a loopback stand-in of the app.
import * as fs from "fs";
import * as path from "path";
import { Overrides } from "../model/tooling/stackFiles";
import { STRATEGIES, Strategy } from "../model/strategy";
import { TIERS } from "../model/tiers";
import { AppStandIn, startAppStandIn } from "../offline/appStandIn";
import { runDrillPhase } from "../offline/drillPhase";
import { Refusal, isLoopbackUrl } from "../offline/faultProxy";
import { EMULATOR_GAPS, MOTO_MISSING_MESSAGE, Moto, resetMoto, startEmulator } from "../offline/moto";
import { Check, OutageOptions, ProbeResult, fenceChecks, outageMarkdown, outagePassed, runOutageDrill, verify } from "../offline/outageDrill";
import { PortfolioDrillOptions, drillPortfolioRun, portfolioOutage, portfolioOutagePassed, seedPortfolio } from "../offline/portfolioDrill";
import { loadPortfolio } from "../model/portfolio";
import { PairError } from "../model/stackPair";
import { Kind, portfolioCompleted } from "../runbook/portfolio";
import { portfolioLines, resumeLines } from "../runbook/portfolioReport";
import { DEFAULT_PARALLEL, PortfolioRunbookRun } from "../runbook/portfolioRunbook";
import { SeededPair, seedDeployedPair, seedRecoveryRegion } from "../offline/seed";
import { EXAMPLE_THIRD_STACK, THREE_REGION_SET, withExampleThirdRegion } from "../offline/thirdRegion";
import { shellCommand } from "../model/tooling/shell";
import { runbookConfig } from "../runbook/context";
import { resultLines } from "../runbook/report";
import { RunbookRun } from "../runbook/run";
import { simulatedParts } from "../runbook/types";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, runMain } from "./command";
import { regionSet } from "../model/regionSet";

/** The tiers the drill can exercise against the emulator, from their TierSpecs. */
export const DRILL_STRATEGIES: readonly Strategy[] = STRATEGIES.filter((s) => TIERS[s].drill.exercised);
const STACK = "dr";
/** The portfolio --portfolio drills: the example's (Pulumi.portfolio.yaml: dr in wave 1, pay-dr in wave 2). */
const PORTFOLIO_STACK = "portfolio";

export const USAGE = `usage: npm run drill [-- --strategy ${DRILL_STRATEGIES.join("|")}] [--outage] [--emulator URL] [--seed-only]
                      [--report-dir DIR]
       npm run drill -- --portfolio [--outage] [--emulator URL] [--report-dir DIR]
       npm run drill -- --three-regions [--strategy S] [--outage] [--emulator URL] [--report-dir DIR]

  --strategy    the tier to drill (default: the dr stack file's dr:strategy)
  --outage      the primary region is lost: an unplanned failover through a fault proxy on loopback that
                refuses every request for the primary region and every request to Route 53's and IAM's
                APIs; then checks against the emulator that the fence is closed, the dr app at N and the
                promoted plan in place, and reports what was refused. The failback follows, the region back.
  --emulator    use this emulator, already running on loopback (e.g. http://127.0.0.1:5000), instead of
                starting one. It is RESET first: everything it holds is deleted.
  --seed-only   create the deployed pair in the emulator and exit (needs --emulator, which outlives the
                drill), printing the commands that fail over through it, or through your own proxy
  --report-dir  where the drill reports go (default reports)
  --portfolio   every app of the example portfolio (Pulumi.portfolio.yaml: shop's dr, pilot light, in wave 1;
                pay's pay-dr, warm standby, in wave 2), seeded into one emulator, failed over together and
                back, as npm run failover|failback -- --portfolio ${PORTFOLIO_STACK} runs them; writes each app's
                reports and the portfolio's. Each app drills its own stack file's tier (no --strategy)

  --three-regions  shop in three regions: the example third stack (Pulumi.dr2.yaml, us-east-2) uncommented in a copy
                of the project, the three seeded, a failover into us-east-2 (the second recovery region; with
                --outage, us-east-1 and the global APIs refused), checked (us-west-2 left standing by), then back

Exit codes: 0 the drill completed; 1 a step or a check failed, or moto_server is missing; 2 bad usage.`;

const SPEC = {
    usage: USAGE,
    options: {
        strategy: { type: "string" },
        "report-dir": { type: "string", default: "reports" },
        outage: { type: "boolean", default: false },
        emulator: { type: "string" },
        "seed-only": { type: "boolean", default: false },
        portfolio: { type: "boolean", default: false },
        "three-regions": { type: "boolean", default: false },
    },
} as const;

export interface DrillArgs {
    readonly strategy?: Strategy;
    readonly reportDir: string;
    readonly outage: boolean;
    readonly emulator?: string;
    readonly seedOnly: boolean;
    /** The example portfolio's apps, together (only where given: the single app's arguments are unchanged). */
    readonly portfolio?: boolean;
    /** shop with the example third region (Pulumi.dr2.yaml), failed over into it (only where given). */
    readonly threeRegions?: boolean;
}

/** The drill's arguments. */
export function parseDrillArgs(argv: readonly string[]): DrillArgs {
    const parsed = parseCommandLine(SPEC, argv);
    const strategy = parsed.values.strategy;
    if (strategy !== undefined && !DRILL_STRATEGIES.includes(strategy as Strategy)) {
        const notDrilled = STRATEGIES.flatMap((s) => { const d = TIERS[s].drill; return d.exercised ? [] : [`${s}: ${d.why}`]; });
        throw CliError.usage(`--strategy ${strategy}: must be one of ${DRILL_STRATEGIES.join(", ")} (${notDrilled.join("; ")})`);
    }
    const { outage, emulator } = parsed.values;
    const seedOnly = parsed.values["seed-only"];
    if (emulator !== undefined && !isLoopbackUrl(emulator)) {
        throw CliError.usage(`--emulator ${emulator}: the drill talks to loopback only (http://127.0.0.1:<port>)`);
    }
    if (seedOnly && emulator === undefined) {
        throw CliError.usage("--seed-only needs --emulator URL: the drill's own emulator stops when the drill exits");
    }
    if (seedOnly && outage) {
        throw CliError.usage("--seed-only and --outage exclude each other: --seed-only runs no failover");
    }
    const threeRegions = parsed.values["three-regions"];
    if (threeRegions && (parsed.values.portfolio || seedOnly)) {
        throw CliError.usage(`--three-regions and --${parsed.values.portfolio ? "portfolio" : "seed-only"} exclude each other: --three-regions drills shop's three regions, failing over into the second recovery region`);
    }
    if (parsed.values.portfolio && (strategy !== undefined || seedOnly)) {
        throw CliError.usage(strategy !== undefined
            ? `--strategy ${strategy} and --portfolio exclude each other: each app of the portfolio drills its own stack file's dr:strategy`
            : "--seed-only and --portfolio exclude each other: seed one app with --seed-only, or drill the portfolio whole");
    }
    return {
        strategy: strategy as Strategy | undefined, reportDir: parsed.values["report-dir"], outage, emulator, seedOnly,
        ...(parsed.values.portfolio ? { portfolio: true } : {}),
        ...(threeRegions ? { threeRegions: true } : {}),
    };
}

/** The commands that fail the seeded pair over, as a person runs them (through their own proxy: its URL for --endpoint). */
export function seededCommands(endpoint: string, pair: SeededPair, strategyOverride: boolean): string[] {
    const sets = [
        ...(strategyOverride ? ["--set", `dr:strategy=${pair.dr.strategy}`] : []),
        ...Object.entries(pair.runbookOverrides).filter(([k]) => k !== "dr:strategy").flatMap(([k, v]) => ["--set", `${k}=${v}`]),
    ];
    return [
        shellCommand("npm", "run", "failover", "--", "--stack", STACK, "--unplanned", "--yes", "--endpoint", endpoint, ...sets),
        shellCommand("npm", "run", "failback", "--", "--stack", STACK, "--yes", "--endpoint", endpoint, ...sets),
    ];
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

/** For callers in this process (the tests): the task list's renderer; default as on the terminal. */
export interface DrillOptions {
    readonly renderer?: "default" | "simple" | "silent";
}

/** The emulator the drill runs against: the one --emulator names, reset first, or a moto_server of its own. */
async function emulatorFor(args: DrillArgs, io: Io): Promise<{ endpoint: string; moto?: Moto }> {
    if (args.emulator !== undefined) {
        const endpoint = args.emulator.replace(/\/+$/, "");
        io.out(`resetting the emulator at ${endpoint} (--emulator): everything it held is deleted`);
        await resetMoto(endpoint).catch((err: Error) => {
            throw new CliError(`--emulator ${endpoint}: no emulator answers there (${err.message}). Start one: moto_server -H 127.0.0.1 -p 5000`);
        });
        return { endpoint };
    }
    try {
        const moto = await startEmulator();
        return { endpoint: moto.endpoint, moto };
    } catch (err) {
        if ((err as Error).message === MOTO_MISSING_MESSAGE) {
            throw new CliError(loud(`${MOTO_MISSING_MESSAGE}\nThe drill runs the runbook against moto_server on 127.0.0.1; it cannot run without it.`));
        }
        throw err;
    }
}

/** What the fault proxy's own check found, before the failover: each call must be refused. */
function probeLines(probe: readonly ProbeResult[]): string[] {
    return ["\nthe proxy's own check, before the failover:", ...probe.map((p) => `  ${p.call}: ${p.refused ? "refused" : "NOT REFUSED"} (${p.detail})`)];
}

/** What the fault proxy refused (nothing, when the recovery path holds) and forwarded during the failover. */
function proxyLines(o: { readonly refusedDuringFailover: readonly Refusal[]; readonly forwardedDuringFailover: readonly string[] }): string[] {
    return [
        `\nrefused by the proxy during the failover: ${o.refusedDuringFailover.length === 0 ? "none" : o.refusedDuringFailover.length}`,
        ...o.refusedDuringFailover.map((r) => `  ${r.region} ${r.service} ${r.operation}: ${r.reason}`),
        "forwarded during the failover:",
        ...o.forwardedDuringFailover.map((l) => `  ${l}`),
    ];
}

/** Each check of a pair against the emulator's state. */
function checkLines(checks: readonly Check[]): string[] {
    return checks.map((c) => `  ${c.outcome.padEnd(9)} ${c.what}: ${c.detail}`);
}

/** An app's outage report, beside its failover's report: outage-<its dr stack>-<start>.md. Returns its path. */
function writeOutageReport(reportDir: string, stack: string, startedAt: Date, markdown: string): string {
    fs.mkdirSync(reportDir, { recursive: true });
    const file = path.join(reportDir, `outage-${stack}-${startedAt.toISOString().replace(/[:.]/g, "-")}.md`);
    fs.writeFileSync(file, markdown);
    return file;
}

/**
 * The unplanned failover through the fault proxy, printed, with its outage report written: the run, and
 * whether the drill goes on (the failover completed, and the proxy and the emulator's state show the outage's).
 */
async function outagePhase(setup: OutageOptions, io: Io): Promise<{ run: RunbookRun; passed: boolean }> {
    const cfg = setup.pair.dr;
    io.out(`\n== failover (unplanned): ${regionSet(cfg).primary} lost, Route 53's and IAM's APIs down (fault proxy on loopback) ==`);
    const startedAt = new Date();
    const outage = await runOutageDrill(setup);
    probeLines(outage.probe).forEach((l) => io.out(l));
    io.out("\nfailover:");
    resultLines(outage.run.results).forEach((l) => io.out(l));
    proxyLines(outage).forEach((l) => io.out(l));
    io.out("\nchecked against the emulator's state:");
    checkLines(outage.checks).forEach((l) => io.out(l));
    const summary = writeOutageReport(setup.reportDir, setup.target?.stack ?? STACK, startedAt, outageMarkdown(outage, setup.pair, startedAt));
    io.out(`  outage report: ${summary}`);
    io.out(`  failover report: ${outage.run.reportPath} (and .svg)`);
    if (outage.run.error) {
        io.err(`\ndrill stopped: failover failed: ${outage.run.error.message}`);
        return { run: outage.run, passed: false };
    }
    if (!outagePassed(outage)) {
        io.err("\ndrill failed: the proxy let a faulted call through, the failover called what the outage took away, " +
            "or the emulator's state is not the failed-over pair's (see above)");
        return { run: outage.run, passed: false };
    }
    return { run: outage.run, passed: true };
}

/** After the runs: what was simulated (whole steps and parts), what moto's gaps left already done, and the reports. */
function summaryLines(runs: readonly { kind: string; run: RunbookRun }[]): string[] {
    const lines = ["\nSimulated (moto cannot perform them; covered by tests/runbook.sdk.test.ts):"];
    for (const { kind, run } of runs) {
        for (const r of run.results.filter((x) => x.status === "simulated")) {
            lines.push(`  - ${kind} ${r.id}: ${r.notes.join("; ")}`);
        }
        simulatedParts(run.results).forEach((part) => lines.push(`  - ${kind}, part of ${part}`));
    }
    const skipped = runs.flatMap(({ kind, run }) => run.results
        .filter((r) => r.status === "already-done" && EMULATOR_GAPS.has(r.id)).map((r) => `${kind} ${r.id}`));
    if (skipped.length > 0) {
        lines.push(`Already done, so neither run nor simulated: ${skipped.join(", ")} ` +
            "(moto still shows the primary cluster as the writer, because the promotion was simulated)");
    }
    lines.push("\nReports:", ...runs.map(({ kind, run }) => `  ${kind}: ${run.reportPath}, ${run.reportPath!.replace(/\.md$/, ".svg")}`));
    return lines;
}

async function drill(args: DrillArgs, io: Io, options: DrillOptions): Promise<number> {
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
        const emulator = await emulatorFor(args, io);
        const endpoint = emulator.endpoint;
        moto = emulator.moto;
        if (args.portfolio) {
            app = await startAppStandIn();
            return await portfolioDrill(args, endpoint, app, io, options);
        }
        if (args.threeRegions) {
            app = await startAppStandIn();
            return await threeRegionDrill(args, endpoint, overrides, app, io, options);
        }
        const pair = await seedDeployedPair(endpoint, { overrides });
        if (args.seedOnly) {
            io.out(`seeded ${pair.dr.strategy} in ${endpoint}: ${pair.prod.region} (prod) and ${pair.dr.region} (dr), as after pulumi up -s prod and -s dr; hosted zone ${pair.hostedZoneId}`);
            io.out("Fail over through it (put your proxy's URL as --endpoint to fault it), then back:");
            seededCommands(endpoint, pair, overrides["dr:strategy"] !== undefined).forEach((c) => io.out(`  ${c}`));
            return EXIT.ok;
        }
        app = await startAppStandIn();
        const runOverrides = Object.keys(overrides).length === 0 ? {} : pair.runbookOverrides;
        const cfg = pair.dr;
        const drillNote = TIERS[cfg.strategy].drill;
        io.out(`DR drill: ${cfg.strategy}${drillNote.exercised && drillNote.note ? ` (${drillNote.note})` : ""}, ` +
            `stack ${STACK}, ${regionSet(cfg).primary} -> ${regionSet(cfg).next}, N = ${cfg.capacity}`);
        io.out(`  AWS: moto_server at ${endpoint} (seeded as after pulumi up -s prod and -s dr; hosted zone ${pair.hostedZoneId})`);
        io.out(`  smoke check: ${app.healthUrl} (loopback stand-in of the app)`);
        io.out(`  runbook: ${Object.keys(runOverrides).length === 0 ? "as npm run failover/failback -- --yes" : `with config overrides ${JSON.stringify(runOverrides)}`}`);

        const setup: OutageOptions = { endpoint, pair, smokeUrl: app.healthUrl, reportDir: args.reportDir, overrides: runOverrides, renderer: options.renderer };
        return await drillRuns(args, setup, io);
    } finally {
        await cleanup();
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
    }
}

/** One of the portfolio's runs, printed: whether it completed every app. */
/**
 * The drill's runs once the emulator is seeded: with --outage the unplanned failover through the fault proxy (its
 * outage report), then the planned runs, each printed with its report; where `also.checks` is given, the emulator's
 * state after each planned run must pass them. The run's stack is the setup's target's (default the pair's dr).
 */
async function drillRuns(args: DrillArgs, setup: OutageOptions, io: Io, also: {
    readonly into?: (kind: Kind) => string; readonly checks?: (kind: Kind, run: RunbookRun) => Promise<Check[]>;
} = {}): Promise<number> {
    const runs: { kind: Kind; run: RunbookRun }[] = [];
    if (args.outage) {
        const outage = await outagePhase(setup, io);
        runs.push({ kind: "failover", run: outage.run });
        if (!outage.passed) {
            return EXIT.failed;
        }
    }
    for (const kind of args.outage ? ["failback"] as const : ["failover", "failback"] as const) {
        io.out(`\n== ${kind}${also.into?.(kind) ?? ""} (planned${args.outage ? ": the primary region is back, no proxy" : ""}) ==`);
        const run = await runDrillPhase({
            kind, stack: setup.target?.stack ?? STACK, endpoint: setup.endpoint, smokeUrl: setup.smokeUrl, reportDir: setup.reportDir,
            overrides: setup.overrides, renderer: setup.renderer, root: setup.root,
        });
        runs.push({ kind, run });
        io.out(`\n${kind}:`);
        resultLines(run.results).forEach((l) => io.out(l));
        io.out(`  report: ${run.reportPath} (and .svg)`);
        if (run.error) {
            io.err(`\ndrill stopped: ${kind} failed: ${run.error.message}`);
            return EXIT.failed;
        }
        const checks = also.checks && await also.checks(kind, run);
        if (checks) {
            io.out("\nchecked against the emulator:");
            checkLines(checks).forEach((l) => io.out(l));
            if (checks.some((c) => c.outcome === "FAILED")) {
                io.err("\ndrill failed: the emulator's state is not the run's (above)");
                return EXIT.failed;
            }
        }
    }
    summaryLines(runs).forEach((l) => io.out(l));
    io.out("\ndrill completed");
    return EXIT.ok;
}

/**
 * shop in three regions (the example Pulumi.dr2.yaml uncommented in a copy of the project, offline/thirdRegion.ts):
 * seeded as after pulumi up of prod, dr and dr2, failed over into the second recovery region, us-east-2 (with
 * --outage, unplanned through the fault proxy while us-east-1 and the global control planes are refused), checked
 * against the emulator (dr2's fences closed, its app at N, dr left standing by), then failed back.
 */
async function threeRegionDrill(args: DrillArgs, endpoint: string, overrides: Overrides, app: AppStandIn, io: Io, options: DrillOptions): Promise<number> {
    const project = withExampleThirdRegion();
    try {
        const set = { ...overrides, ...THREE_REGION_SET };
        const pair = await seedDeployedPair(endpoint, { overrides: set });
        const third = await seedRecoveryRegion(endpoint, pair, EXAMPLE_THIRD_STACK, { overrides: set, root: project.root });
        const runOverrides = pair.runbookOverrides;
        const target = { stack: third.stack, cfg: third.cfg };
        io.out(`DR drill, three regions: ${pair.dr.strategy}, ${regionSet(pair.dr).regions.join(", ")}; failover into the second recovery region, ` +
            `${third.region} (stack ${third.stack}), ${pair.dr.region} (stack ${STACK}) left standing by; N = ${pair.dr.capacity}`);
        io.out(`  AWS: moto_server at ${endpoint} (seeded as after pulumi up -s prod, -s ${STACK} and -s ${third.stack}; hosted zone ${pair.hostedZoneId})`);
        io.out(`  smoke check: ${app.healthUrl} (loopback stand-in of the app)`);
        io.out(`  runbook: as npm run failover|failback -- --stack ${STACK} --to ${third.region} --yes, with ${third.stack}'s stack file uncommented in ${project.root}`);
        const setup: OutageOptions = {
            endpoint, pair, target, others: [pair.dr], root: project.root,
            smokeUrl: app.healthUrl, reportDir: args.reportDir, overrides: runOverrides, renderer: options.renderer,
        };
        return await drillRuns(args, setup, io, {
            into: (kind) => ` into ${kind === "failover" ? third.region : regionSet(pair.dr).primary}`,
            // After the failover: the promoted region's state and dr left standing by; after failback: every fence open again.
            checks: (kind, run) => kind === "failover" ? verify(endpoint, third.cfg, run, [pair.dr]) : fenceChecks(endpoint, third.cfg, "open"),
        });
    } finally {
        project.dispose();
    }
}

function portfolioRunLines(done: PortfolioRunbookRun, kind: Kind, io: Io): boolean {
    const outcomes = done.run?.outcomes ?? [];
    portfolioLines({ ...done, outcomes }, kind).forEach((l) => io.out(l));
    if (portfolioCompleted(outcomes)) {
        return true;
    }
    io.err(`\ndrill stopped: the portfolio's ${kind} did not complete:`);
    resumeLines({ kind, portfolio: PORTFOLIO_STACK, mode: kind === "failover" ? "unplanned" : "planned", reportDir: "reports", outcomes, stoppedAfterWave: done.run?.stoppedAfterWave })
        .filter((l) => !/^(Resume|  or )/.test(l)).forEach((l) => io.err(l));
    return false;
}

/**
 * The example portfolio's drill: its apps' pairs seeded into one emulator, the portfolio's failover (with the
 * outage: unplanned, through the fault proxy, and each pair checked afterwards), then its failback.
 */
async function portfolioDrill(args: DrillArgs, endpoint: string, app: AppStandIn, io: Io, options: DrillOptions): Promise<number> {
    let portfolio;
    try {
        portfolio = loadPortfolio(PORTFOLIO_STACK);
    } catch (err) {
        throw err instanceof PairError ? new CliError(err.message) : err;
    }
    const pairs = await seedPortfolio(endpoint, portfolio);
    io.out(`DR drill of portfolio ${PORTFOLIO_STACK} (${portfolio.config.appName}): ` +
        portfolio.apps.map((a) => `${a.member.stack} (${a.cfg.appName}, ${a.cfg.strategy}, wave ${a.member.wave})`).join(", "));
    io.out(`  AWS: moto_server at ${endpoint} (every app's pair seeded as after pulumi up; hosted zone ${[...pairs.values()][0].hostedZoneId})`);
    io.out(`  smoke check: ${app.healthUrl} (loopback stand-in of the apps)`);
    const setup: PortfolioDrillOptions = {
        endpoint, portfolio, pairs, smokeUrl: app.healthUrl, reportDir: args.reportDir, parallel: DEFAULT_PARALLEL, print: (l) => io.out(l), renderer: options.renderer,
    };
    const reports: string[] = [];
    let failoverRuns: [string, RunbookRun][] = [];
    if (args.outage) {
        const lost = regionSet(portfolio.apps[0].cfg).primary;
        io.out(`\n== portfolio failover (unplanned): ${lost} lost, Route 53's and IAM's APIs down (fault proxy on loopback) ==`);
        const startedAt = new Date();
        const outage = await portfolioOutage(setup);
        failoverRuns = [...outage.failover.runs];
        probeLines(outage.probe).forEach((l) => io.out(l));
        const passed = portfolioRunLines(outage.failover, "failover", io);
        proxyLines(outage).forEach((l) => io.out(l));
        for (const [stack, checks] of outage.checks) {
            io.out(`\nchecked against the emulator's state, ${stack}:`);
            checkLines(checks).forEach((l) => io.out(l));
            // Each app's outage report, as the single app's drill writes it; the proxy's tallies are the whole portfolio's.
            const summary = writeOutageReport(args.reportDir, stack, startedAt,
                outageMarkdown({ ...outage, run: outage.failover.runs.get(stack)!, checks }, pairs.get(stack)!, startedAt));
            io.out(`  outage report: ${summary}`);
            reports.push(summary);
        }
        reports.push(outage.failover.reportPath!);
        if (!passed) {
            return EXIT.failed;
        }
        if (!portfolioOutagePassed(outage)) {
            io.err("\ndrill failed: the proxy let a faulted call through, the failover called what the outage took away, " +
                "or the emulator's state is not the failed-over pairs' (see above)");
            return EXIT.failed;
        }
    } else {
        io.out("\n== portfolio failover (planned) ==");
        const failover = await drillPortfolioRun(setup, "failover", "planned", endpoint);
        failoverRuns = [...failover.runs];
        reports.push(failover.reportPath!);
        if (!portfolioRunLines(failover, "failover", io)) {
            return EXIT.failed;
        }
    }
    io.out(`\n== portfolio failback (planned${args.outage ? ": the primary region is back, no proxy" : ""}): the last wave first ==`);
    const failback = await drillPortfolioRun(setup, "failback", "planned", endpoint);
    reports.push(failback.reportPath!);
    if (!portfolioRunLines(failback, "failback", io)) {
        return EXIT.failed;
    }
    // Each app's runs, named "<its dr stack> <kind>", in the order they ran.
    const runs = [...failoverRuns.map(([stack, run]) => ({ kind: `${stack} failover`, run })), ...[...failback.runs].map(([stack, run]) => ({ kind: `${stack} failback`, run }))];
    summaryLines(runs).forEach((l) => io.out(l));
    io.out("  the portfolio's:");
    reports.forEach((r) => io.out(`    ${r}`));
    io.out("\ndrill completed");
    return EXIT.ok;
}

export async function drillCommand(argv: string[], io: Io = PROCESS_IO, options: DrillOptions = {}): Promise<number> {
    return drill(parseDrillArgs(argv), io, options);
}

if (require.main === module) {
    runMain(USAGE, drillCommand);
}
