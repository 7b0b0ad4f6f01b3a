// npm run failover -- --stack dr [--planned | --unplanned] [--engine runbook|region-switch] [--dry-run] [--yes] ...
// npm run failback -- --stack dr [--engine runbook|region-switch] [--dry-run] [--yes] [--force] [--endpoint URL]
// Runs the time-critical steps of the reference's procedure for the configured tier, or the pair's ARC Region
// switch plan (--engine region-switch); writes a drill report.
import * as readline from "readline/promises";
import { ConfigWarning, DrConfig, formatWarning, parseDrConfig } from "../model/config";
import { assessObjectives } from "../model/objectives";
import { layeredConfig } from "../model/tooling/stackFiles";
import { TIERS } from "../model/tiers";
import { NothingToFailBackError } from "../runbook/failback";
import { runbookConfig } from "../runbook/context";
import { LockHeldError, LockNotTakenError } from "../runbook/lock";
import { ENGINES, Engine } from "../runbook/regionSwitchEngine";
import { resultLines } from "../runbook/report";
import { RunbookArgs, RunbookRun, runRunbook } from "../runbook/run";
import { NotConfirmedError, NotReadyError, RunbookContext } from "../runbook/types";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, parseSets, runMain, wholeNumberOption } from "./command";

export const USAGE = `usage: npm run failover -- --stack <dr stack> [--planned | --unplanned] [--engine runbook|region-switch]
                           [--dry-run] [--yes] [--force] [--break-lock] [--endpoint URL] [--smoke-url URL]
                           [--report-dir DIR] [--wait-seconds N] [--poll-seconds N] [--set key=value ...]
       npm run failback -- --stack <dr stack> [--engine runbook|region-switch] [--dry-run] [--yes] [--force]
                           [--break-lock] [--endpoint URL] [--report-dir DIR] [--poll-seconds N] [--set key=value ...]

  --stack         the dr stack (dr:role secondary); default dr
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
and keep their timings in the report, which is written as each step finishes.`;

const SPEC = {
    usage: USAGE,
    positionals: true,
    options: {
        stack: { type: "string", default: "dr" },
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

/** The runbook's arguments. The first argument is failover or failback. */
export function parseRunbookArgs(argv: readonly string[]): RunbookArgs {
    const [kind, ...rest] = argv;
    if (kind !== "failover" && kind !== "failback") {
        throw CliError.usage("first argument must be failover or failback");
    }
    const { values, positionals } = parseCommandLine(SPEC, rest);
    if (positionals.length > 0) {
        throw CliError.usage(`unexpected argument ${positionals[0]}`);
    }
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
    return {
        kind,
        stack: values.stack,
        mode: unplanned ? "unplanned" : "planned",
        engine,
        dryRun: values["dry-run"],
        yes: values.yes,
        force: values.force,
        breakLock: values["break-lock"],
        overrides: parseSets(values.set ?? []),
        endpoint: values.endpoint,
        smokeUrl: values["smoke-url"],
        reportDir: values["report-dir"],
        waitSeconds: wholeNumberOption("wait-seconds", values["wait-seconds"], 1, 24 * 3600),
        ...(pollSeconds !== undefined ? { pollMs: pollSeconds * 1000 } : {}),
    };
}

/** A person approves on the terminal by typing the stack's name; without a terminal, only --yes approves. */
function terminalApproval(args: RunbookArgs, io: Io): (ctx: RunbookContext) => Promise<boolean> {
    return async (ctx) => {
        if (!process.stdin.isTTY) {
            io.err(`refusing to ${args.kind} without a person: no terminal to confirm on. Re-run with --yes to approve.`);
            return false;
        }
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`\n${args.kind} ${ctx.stack} (${ctx.cfg.strategy}, ${ctx.mode}) into ${ctx.cfg.drRegion}? ` +
            "Type the stack name to approve: ");
        rl.close();
        return answer.trim() === ctx.stack;
    };
}

function planLines(run: RunbookRun, kind: string): string[] {
    const { cfg, mode } = run.ctx;
    const expected = run.results.reduce((s, r) => s + r.expectedSeconds, 0);
    const engine = run.ctx.facts.get("engine");
    return [
        `${kind} plan for ${run.ctx.stack}: ${cfg.strategy}, ${mode}, into ${cfg.drRegion} (dry run: nothing changes)`,
        ...(engine ? [`  engine: ${engine}`] : []),
        ...run.results.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.title}  (~${r.expectedSeconds} s)`),
        `  expected in all: ${expected} s; RTO target ${assessObjectives(cfg).targets.rtoSeconds} s`,
    ];
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

export async function runbookCommand(argv: string[], io: Io = PROCESS_IO, options: RunbookCommandOptions = {}): Promise<number> {
    const args = parseRunbookArgs(argv);
    try {
        runbookConfig(args.stack, args.overrides);
    } catch (err) {
        throw new CliError((err as Error).message);
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
