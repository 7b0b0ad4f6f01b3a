// npm run failover -- --stack dr [--planned | --unplanned] [--engine runbook|region-switch] [--dry-run] [--yes] ...
// npm run failback -- --stack dr [--engine runbook|region-switch] [--dry-run] [--yes] [--force] [--endpoint URL]
// npm run failover -- --portfolio <portfolio stack> [--parallel N] [--keep-going] [--planned | --unplanned] ...
// Runs the time-critical steps of the reference's procedure for the configured tier, or the pair's ARC Region
// switch plan (--engine region-switch); writes a drill report. With --portfolio, every app of a portfolio
// (docs/portfolio.md) in its waves, under one approval (runbook/portfolioRunbook.ts), and the portfolio's report.
import * as readline from "readline/promises";
import { ConfigWarning, DrConfig, formatWarning, parseDrConfig } from "../model/config";
import { LoadedPortfolio, isPortfolio, loadPortfolio } from "../model/portfolio";
import { PairError, defaultDrStack } from "../model/stackPair";
import { recoveryStackIn, regionStacks } from "../model/stackSet";
import { Overrides, layeredConfig } from "../model/tooling/stackFiles";
import { TIERS } from "../model/tiers";
import { NothingToFailBackError } from "../runbook/failback";
import { runbookConfig } from "../runbook/context";
import { LockHeldError, LockNotTakenError } from "../runbook/lock";
import { ENGINES, Engine } from "../runbook/regionSwitchEngine";
import { planLines, resultLines } from "../runbook/report";
import { Kind } from "../runbook/portfolio";
import { portfolioLines, resumeLines } from "../runbook/portfolioReport";
import { DEFAULT_PARALLEL, PortfolioRunbookArgs, runPortfolioRunbook } from "../runbook/portfolioRunbook";
import { RunbookArgs, RunbookRun, runRunbook } from "../runbook/run";
import { NotConfirmedError, NotReadyError, RunbookContext } from "../runbook/types";
import { awsClients } from "../runbook/aws";
import { chooseTarget } from "../runbook/target";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, parseSets, runMain, wholeNumberOption } from "./command";


export const USAGE = `usage: npm run failover -- --stack <dr stack> [--to <region>] [--planned | --unplanned] [--engine runbook|region-switch]
                           [--dry-run] [--yes] [--force] [--break-lock] [--endpoint URL] [--smoke-url URL]
                           [--report-dir DIR] [--wait-seconds N] [--poll-seconds N] [--set key=value ...]
       npm run failback -- --stack <dr stack> [--to <region>] [--engine runbook|region-switch] [--dry-run] [--yes] [--force]
                           [--break-lock] [--endpoint URL] [--report-dir DIR] [--poll-seconds N] [--set key=value ...]
       npm run failover -- --portfolio <portfolio stack> [--parallel N] [--keep-going] [--planned | --unplanned]
                           [--dry-run] [--yes] [--endpoint URL] [--report-dir DIR] [--wait-seconds N] [--poll-seconds N]
       npm run failback -- --portfolio <portfolio stack> [--parallel N] [--keep-going] [--dry-run] [--yes] ...
       npm run failover -- --portfolio <portfolio stack> --engine region-switch [--ungraceful] [--dry-run] [--yes] ...

  --stack         the app's dr stack (dr:role secondary); default: the one dr stack here, where there is one
  --to            the recovery region to fail into, where the app's set has several (dr:regions, docs/regions.md):
                  its dr stack runs. Default for a failover: the one whose Aurora secondary lags least, each
                  region's lag read in that region (none readable: the first recovery region). With --stack, any
                  of the app's dr stacks names the app: --stack dr --to us-east-2 runs the us-east-2 one
  --portfolio     a portfolio stack (dr:role portfolio, docs/portfolio.md) instead of --stack: every app it
                  lists, under one approval (type the portfolio stack's name, or --yes), wave by wave (a
                  failback: the last wave first), each app's own run with its own lock, report and progress;
                  then the portfolio's report (reports/portfolio-<failover|failback>-<stack>-<time>.md). With
                  --engine region-switch: the portfolio's parent Region switch plan (<its dr:appName>-region-switch),
                  one execution whose steps are the apps' plans, under the portfolio's own lock
  --parallel      with --portfolio: apps at a time within a wave (default ${DEFAULT_PARALLEL})
  --keep-going    with --portfolio: start the next wave even when an app of this one failed (by default it
                  waits: a later wave's apps may need an earlier one's)
  --planned       the primary region answers: Aurora switchover, RPO 0 (the default); Region switch: graceful
  --unplanned     the primary region is lost: Aurora failover with data loss (RPO = the lag at that moment);
                  Region switch: ungraceful. --ungraceful is the same
  --engine        runbook (the default): the runbook's own steps. region-switch: start the pair's ARC Region
                  switch plan (<app>-region-switch) through the data plane of the region being activated (a
                  failover: the dr region's, never the primary's), follow it step by step and write the same
                  report; it approves nothing: a manual-approval step waits for a person
  --dry-run       print the steps and their expected durations; change nothing
  --yes           approve without the prompt (a person must approve: without a terminal, --yes is required)
  --force         go on past failed readiness checks, noting them in the report; not past a region that
                  does not answer where the steps after need it (the primary: a planned switchover, a
                  failback; the dr region: a failover)
  --break-lock    take the lock another run holds in the dr region, when that run is dead and its lock not
                  yet stale (a live run renews it every minute; a dead run's is taken over by itself 5 minutes
                  after its last renewal, and at once where it ran in this machine's kernel and pid namespace)
  --endpoint      send every AWS call to this emulator (e.g. http://127.0.0.1:5000), with dummy credentials
  --smoke-url     where the smoke check sends its GET (default https://<dr:dnsName>/health)
  --report-dir    where the drill report goes (default reports)
  --wait-seconds  how long a step waits for AWS to reach the state it asked for (default 1800); Region switch:
                  how long the run follows the execution (which goes on without it)
  --poll-seconds  how often a wait looks again (default 10)
  --set           a config value on top of the stack file, as pulumi config set would (repeatable): e.g. the
                  emulator's hosted zone after npm run drill -- --seed-only

A run interrupted (killed, a step failed) is continued by the same command: finished steps are skipped
and keep their timings in the report, which is written as each step finishes. A portfolio's the same way:
the apps its interrupted run completed are skipped, and each other app continues from its own progress.`;

const SPEC = {
    usage: USAGE,
    positionals: true,
    options: {
        stack: { type: "string" },
        to: { type: "string" },
        portfolio: { type: "string" },
        parallel: { type: "string" },
        "keep-going": { type: "boolean", default: false },
        planned: { type: "boolean", default: false },
        unplanned: { type: "boolean", default: false },
        ungraceful: { type: "boolean", default: false },
        engine: { type: "string", default: "runbook" },
        "dry-run": { type: "boolean", default: false },
        yes: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        "break-lock": { type: "boolean", default: false },
        set: { type: "string", multiple: true },
        endpoint: { type: "string" },
        "smoke-url": { type: "string" },
        "report-dir": { type: "string", default: "reports" },
        "wait-seconds": { type: "string" },
        "poll-seconds": { type: "string" },
    },
} as const;

/** A portfolio's failover or failback, as the command line asks it (--portfolio): the run's arguments, the portfolio by its stack's name. */
export type PortfolioArgs = Pick<PortfolioRunbookArgs, "kind" | "mode" | "parallel" | "keepGoing" | "dryRun" | "yes" | "endpoint" | "reportDir" | "waitSeconds" | "pollMs">
    & { readonly portfolio: string };

/** The options that are one app's, each with why a portfolio does not take it and what to run instead. */
function notForPortfolio(values: { [key: string]: unknown }): string | undefined {
    const alone = "run that app alone: npm run <failover|failback> -- --stack <its dr stack>";
    const reasons: [boolean, string][] = [
        [values.stack !== undefined, `--stack ${values.stack as string}: --portfolio runs each of its apps' dr stacks (its dr:portfolioApps); give one or the other`],
        [values.force === true, `--force: one app's readiness is its own to force past; ${alone} --force`],
        [values["break-lock"] === true, `--break-lock: a lock is one app's (in its dr region); ${alone} --break-lock, then resume the portfolio`],
        [values["smoke-url"] !== undefined, `--smoke-url: each app's smoke check goes to its own https://<dr:dnsName>/health; ${alone} --smoke-url URL`],
        [values.set !== undefined, "--set: a value of one app's config belongs in that app's stack file (pulumi config set <key> <value> -s <its dr stack>)"],
    ];
    return reasons.find(([given]) => given)?.[1];
}

/**
 * The command line: one app's run (--stack, the default) or a portfolio's (--portfolio). The first argument is
 * failover or failback.
 */
export function parseRunbookCommandLine(argv: readonly string[]): { readonly app: RunbookArgs } | { readonly portfolio: PortfolioArgs } {
    const [kind, ...rest] = argv;
    if (kind !== "failover" && kind !== "failback") {
        throw CliError.usage("first argument must be failover or failback");
    }
    const { values, positionals } = parseCommandLine(SPEC, rest);
    if (positionals.length > 0) {
        throw CliError.usage(`unexpected argument ${positionals[0]}`);
    }
    if (values.portfolio === undefined) {
        if (values.parallel !== undefined || values["keep-going"]) {
            throw CliError.usage(`--${values.parallel !== undefined ? "parallel" : "keep-going"} is a portfolio's: give --portfolio <portfolio stack> (docs/portfolio.md)`);
        }
        return { app: parseAppArgs(kind, values) };
    }
    if (values.portfolio === "") {
        throw CliError.usage("--portfolio needs the portfolio stack's name, e.g. --portfolio portfolio (a stack with dr:role portfolio)");
    }
    if (values.engine === "region-switch") {
        // The portfolio's parent plan: one execution, whose child steps are the apps' plans (the engine follows
        // it as one app's, under the portfolio's name and lock: runbook/context.ts).
        if (values.stack !== undefined || values.parallel !== undefined || values["keep-going"]) {
            throw CliError.usage(`--${values.stack !== undefined ? `stack ${values.stack}` : values.parallel !== undefined ? "parallel" : "keep-going"}: ` +
                "--portfolio with --engine region-switch runs the portfolio's parent plan, whose waves and order are the plan's own; " +
                "leave it out, or leave out --engine to run the apps' runbooks");
        }
        return { app: parseAppArgs(kind, { ...values, stack: values.portfolio }) };
    }
    const why = notForPortfolio(values);
    if (why) {
        throw CliError.usage(why);
    }
    const unplanned = values.unplanned || values.ungraceful;
    if (values.planned && unplanned) {
        throw CliError.usage(`--planned and --${values.unplanned ? "unplanned" : "ungraceful"} exclude each other`);
    }
    if (kind === "failback" && unplanned) {
        throw CliError.usage("failback is always planned: the primary region must be back");
    }
    if (!(ENGINES as readonly string[]).includes(values.engine)) {
        throw CliError.usage(`--engine ${values.engine}: must be one of ${ENGINES.join(", ")}`);
    }
    const pollSeconds = wholeNumberOption("poll-seconds", values["poll-seconds"], 1, 600);
    return {
        portfolio: {
            kind, portfolio: values.portfolio, mode: unplanned ? "unplanned" : "planned",
            parallel: wholeNumberOption("parallel", values.parallel, 1, 64) ?? DEFAULT_PARALLEL, keepGoing: values["keep-going"],
            dryRun: values["dry-run"], yes: values.yes, endpoint: values.endpoint, reportDir: values["report-dir"],
            waitSeconds: wholeNumberOption("wait-seconds", values["wait-seconds"], 1, 24 * 3600),
            ...(pollSeconds !== undefined ? { pollMs: pollSeconds * 1000 } : {}),
        },
    };
}

/** One app's run's arguments (--stack). The first argument is failover or failback. */
export function parseRunbookArgs(argv: readonly string[]): RunbookArgs {
    const parsed = parseRunbookCommandLine(argv);
    if ("portfolio" in parsed) {
        throw CliError.usage("--portfolio: a portfolio's run, not one app's");
    }
    return parsed.app;
}

type Values = ReturnType<typeof parseCommandLine<typeof SPEC.options>>["values"];

/** --stack left out: the one dr stack here, if there is one (model/stackPair.ts); else a usage error naming them. */
function defaultStack(): string {
    try {
        return defaultDrStack();
    } catch (err) {
        throw CliError.usage((err as Error).message);
    }
}

function parseAppArgs(kind: Kind, values: Values): RunbookArgs {
    if (!(ENGINES as readonly string[]).includes(values.engine)) {
        throw CliError.usage(`--engine ${values.engine}: must be one of ${ENGINES.join(", ")}`);
    }
    const engine = values.engine as Engine;
    const unplanned = values.unplanned || values.ungraceful;
    if (values.planned && unplanned) {
        throw CliError.usage(`--planned and --${values.unplanned ? "unplanned" : "ungraceful"} exclude each other`);
    }
    if (kind === "failback" && unplanned) {
        throw CliError.usage("failback is always planned: the primary region must be back");
    }
    if (engine === "region-switch" && (values.force || values["smoke-url"] !== undefined)) {
        throw CliError.usage(`--${values.force ? "force" : "smoke-url"} is the runbook engine's: Region switch runs its plan's own steps and checks`);
    }
    const pollSeconds = wholeNumberOption("poll-seconds", values["poll-seconds"], 1, 600);
    const overrides = parseSets(values.set ?? []);
    const named = values.stack ?? defaultStack();
    const stack = values.to === undefined ? named : targetStack(named, values.to, overrides);
    // A failover with no target named: where the set has several recovery regions, the least-lagged one (withChosenTarget).
    const chooseTarget = kind === "failover" && values.stack === undefined && values.to === undefined;
    return {
        kind,
        stack,
        ...(chooseTarget ? { chooseTarget } : {}),
        mode: unplanned ? "unplanned" : "planned",
        engine,
        dryRun: values["dry-run"],
        yes: values.yes,
        force: values.force,
        breakLock: values["break-lock"],
        overrides,
        endpoint: values.endpoint,
        smokeUrl: values["smoke-url"],
        reportDir: values["report-dir"],
        waitSeconds: wholeNumberOption("wait-seconds", values["wait-seconds"], 1, 24 * 3600),
        ...(pollSeconds !== undefined ? { pollMs: pollSeconds * 1000 } : {}),
    };
}

/** --to <region>: the dr stack of that recovery region of the app's set (model/stackPair.ts); --stack, if given, names the app. */
function targetStack(named: string, region: string, overrides: Overrides): string {
    try {
        return recoveryStackIn(named, region, overrides);
    } catch (err) {
        throw CliError.usage((err as Error).message);
    }
}

/** A person approves on the terminal by typing the stack's name; without a terminal, only --yes approves. */
function terminalApproval(args: RunbookArgs, io: Io): (ctx: RunbookContext) => Promise<boolean> {
    return async (ctx) => {
        if (!process.stdin.isTTY) {
            io.err(`refusing to ${args.kind} without a person: no terminal to confirm on. Re-run with --yes to approve.`);
            return false;
        }
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`\n${args.kind} ${ctx.stack} (${ctx.cfg.strategy}, ${ctx.mode}) into ${ctx.dr.region}? ` +
            "Type the stack name to approve: ");
        rl.close();
        return answer.trim() === ctx.stack;
    };
}

/**
 * The config warnings the runbook shows: all the program's, but that dr:restoreFrom is ignored before a failover
 * that restores from backup. Its IaC step sets dr:failover=true, which reads it (and prints the
 * `pulumi config set dr:restoreFrom` of the value the stack has): "pulumi config rm" would contradict it.
 */
export function runbookWarnings(kind: RunbookArgs["kind"], cfg: DrConfig, warnings: readonly ConfigWarning[]): ConfigWarning[] {
    return warnings.filter((w) => !(kind === "failover" && w.key === "dr:restoreFrom" && TIERS[cfg.strategy].iacFailover.restoresFromBackup));
}

/**
 * What the person does after a run that stopped. A run that changed something is continued by the same
 * command. A refusal (nothing to fail back, DR not ready, not approved) changed nothing and says itself what to
 * do: there is nothing to continue. Any other failure before the first change: the same command, once fixed.
 */
export function nextStep(run: Pick<RunbookRun, "error" | "approved">): string | undefined {
    if (!run.error) {
        return undefined;
    }
    if (run.approved) {
        return "Re-run the same command to continue: finished steps are skipped.";
    }
    const refusal = run.error instanceof NothingToFailBackError || run.error instanceof NotReadyError || run.error instanceof NotConfirmedError;
    return refusal ? undefined : "Nothing was changed. Re-run the same command once that is fixed.";
}

/** For callers in this process (the tests): the task list's renderer; default as on the terminal. */
export interface RunbookCommandOptions {
    readonly renderer?: "default" | "simple" | "silent";
}

/** The portfolio's stack file, its apps' and their checks: a problem is the config report, naming key, value and fix. */
export function portfolioOf(stack: string, overrides: Overrides = {}): LoadedPortfolio {
    try {
        return loadPortfolio(stack, overrides);
    } catch (err) {
        throw err instanceof PairError ? new CliError(err.message) : err;
    }
}

/** The one approval for every app, on the terminal, by typing the portfolio stack's name; without a terminal, only --yes. */
function portfolioApproval(args: PortfolioArgs, io: Io): (what: string) => Promise<boolean> {
    return async (what) => {
        if (!process.stdin.isTTY) {
            io.err(`refusing to ${args.kind} portfolio ${args.portfolio} without a person: no terminal to confirm on. Re-run with --yes to approve.`);
            return false;
        }
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`\n${what}?\nType the portfolio stack's name to approve every app: `);
        rl.close();
        return answer.trim() === args.portfolio;
    };
}

async function portfolioCommand(args: PortfolioArgs, io: Io, options: RunbookCommandOptions): Promise<number> {
    const portfolio = portfolioOf(args.portfolio);
    for (const warning of portfolio.warnings) {
        io.err(`warning: ${formatWarning(warning)}`);
    }
    const done = await runPortfolioRunbook({
        ...args, portfolio, approve: portfolioApproval(args, io), renderer: options.renderer,
        print: (line) => io.out(line), printError: (line) => io.err(line),
    });
    if (args.dryRun) {
        for (const [stack, run] of done.runs) {
            if (run.error) {
                io.err(`${args.kind} plan of ${stack} not read: ${run.error.message}`);
                return EXIT.failed;
            }
            io.out(`\nwave ${done.plans.find((p) => p.member.stack === stack)?.member.wave}, ${stack}:`);
            planLines(run, args.kind).forEach((l) => io.out(l));
        }
        io.out(`\nportfolio ${args.portfolio}: waves ${[...new Set(done.plans.map((p) => p.member.wave))].join(", ")}` +
            `${args.kind === "failback" ? " (a failback takes the last wave first)" : ""}, up to ${args.parallel} apps at a time; ` +
            `estimate ${done.estimate.rtoSeconds} s against its RTO target ${done.estimate.rtoTargetSeconds} s`);
        return EXIT.ok;
    }
    if (!done.approved) {
        io.err(`portfolio ${args.kind} not approved: nothing was changed.`);
        return EXIT.failed;
    }
    if (!done.run) {
        // The portfolio's lock: another portfolio run, or its parent plan's, holds it; or SSM did not answer.
        io.err(`portfolio ${args.kind} refused: ${done.error?.message ?? "no app ran"}\nNothing was changed, and no report was written.`);
        return EXIT.failed;
    }
    portfolioLines({ ...done, outcomes: done.run.outcomes }, args.kind).forEach((l) => io.out(l));
    const resume = resumeLines({ ...args, outcomes: done.run.outcomes, stoppedAfterWave: done.run.stoppedAfterWave });
    if (resume.length > 0) {
        io.err(`\nportfolio ${args.kind} did not complete:`);
        resume.forEach((l) => io.err(l));
    }
    if (done.lockNotReleased) {
        io.err(done.lockNotReleased.message);
    }
    return resume.length > 0 || done.lockNotReleased ? EXIT.failed : EXIT.ok;
}

/**
 * Where the app's set has several recovery regions with a stack file here, the least-lagged one's dr stack
 * (runbook/target.ts), said before anything else happens; else (a pair, or a config the run reports) the stack as given.
 */
async function withChosenTarget(args: RunbookArgs, io: Io): Promise<RunbookArgs> {
    const given = { ...args, chooseTarget: false };
    let cfg: DrConfig;
    let members: ReturnType<typeof regionStacks>;
    try {
        cfg = runbookConfig(args.stack, args.overrides);
        members = regionStacks(args.stack, args.overrides);
    } catch {
        return given; // the run reports it, with the fix
    }
    if (members.filter((m) => m.role === "secondary" && m.stack !== undefined).length < 2) {
        return given;
    }
    const target = args.endpoint ? { endpoint: args.endpoint, credentials: EMULATOR_CREDENTIALS } : {};
    const readsLag = !TIERS[cfg.strategy].iacFailover.restoresFromBackup;
    const choice = await chooseTarget(cfg.appName, members, (region) => awsClients(region, target), readsLag);
    io.out(`failover into ${choice.region} (stack ${choice.stack}): ${choice.why}; name another with --to <region>`);
    return { ...args, stack: choice.stack, chooseTarget: false };
}

export async function runbookCommand(argv: string[], io: Io = PROCESS_IO, options: RunbookCommandOptions = {}): Promise<number> {
    const line = parseRunbookCommandLine(argv);
    if ("portfolio" in line) {
        return portfolioCommand(line.portfolio, io, options);
    }
    const args = line.app.chooseTarget ? await withChosenTarget(line.app, io) : line.app;
    let parentPlan = false;
    try {
        parentPlan = isPortfolio(layeredConfig(args.stack, args.overrides));
        if (!parentPlan) {
            runbookConfig(args.stack, args.overrides);
        }
    } catch (err) {
        throw new CliError((err as Error).message);
    }
    if (parentPlan) {
        // --portfolio with --engine region-switch: the portfolio's parent plan (its stack and its apps', checked).
        portfolioOf(args.stack, args.overrides);
    }
    const parsed = parseDrConfig(layeredConfig(args.stack, args.overrides), args.stack);
    for (const warning of parsed.ok ? runbookWarnings(args.kind, parsed.config, parsed.warnings) : []) {
        io.err(`warning: ${formatWarning(warning)}`);
    }
    const run = await runRunbook({
        ...args, approve: terminalApproval(args, io), renderer: options.renderer, print: (line) => io.out(line), printError: (line) => io.err(line),
    });
    if (args.dryRun && run.error) {
        io.err(`${args.kind} plan not read: ${run.error.message}`);
        return EXIT.failed;
    }
    if (args.dryRun) {
        planLines(run, args.kind).forEach((l) => io.out(l));
        return EXIT.ok;
    }
    if (run.error instanceof LockHeldError) {
        io.err(`${args.kind} refused: ${run.error.message}`);
        return EXIT.failed;
    }
    if (run.reportPath === undefined) {
        // Stopped before its first step (the lock could not be taken): there is no report to point to.
        io.err(`${args.kind} stopped before its first step: ${run.error?.message ?? "no report"}\nNothing was changed, and no report was written.` +
            (run.error instanceof LockNotTakenError ? ` Re-run the same command once SSM in ${run.error.region} answers.` : ""));
        return EXIT.failed;
    }
    io.out(`\nreport: ${run.reportPath} (and .svg)`);
    resultLines(run.results).forEach((l) => io.out(l));
    if (run.error) {
        io.err(`\n${args.kind} stopped${run.approved ? "" : " before changing anything"}: ${run.error.message}`);
    }
    // Beside the run's own outcome, never instead of it: the lock it could not release.
    if (run.lockNotReleased) {
        io.err(`${run.error ? "" : "\n"}${run.lockNotReleased.message}`);
    }
    const next = nextStep(run);
    if (next) {
        io.err(next);
    }
    return run.error || run.lockNotReleased ? EXIT.failed : EXIT.ok;
}

if (require.main === module) {
    runMain(USAGE, runbookCommand);
}
