// npm run bench [-- --runs N] [--suite-runs M]
//
// Measured, not asserted (the tests never time anything). Prints medians of:
//   - the program's evaluation under the SDK's mocks per stack and tier (what `pulumi preview` makes the
//     program do, minus the engine and the providers), after one warm-up;
//   - `npm run failover -- --stack dr --dry-run` beside node loading just the AWS SDK clients and listr2 the
//     runbook uses, interleaved in the same run, with their ratio and peak memory;
//   - `npm run plan -- --stack dr`, wall time;
//   - `npm test` (the type-check beside the mocha suite), wall time, and each of its two parts alone.
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { ROOT, runStack } from "../offline/evaluate";
import { npmScript } from "../tools/npmScript";
import { RUNBOOK_PACKAGES } from "../runbook/aws";
import { CliError, EXIT, Io, PROCESS_IO, parseCommandLine, runMain, wholeNumberOption } from "./command";

export const USAGE = `usage: npm run bench [-- --runs N] [--suite-runs M]

  --runs        runs per measurement of the program's evaluation and the runbook's start (default 15)
  --suite-runs  runs of the plan, the type-check and the mocha suite (default 3; 0 skips the suite)`;

const SPEC = {
    usage: USAGE,
    options: { runs: { type: "string", default: "15" }, "suite-runs": { type: "string", default: "3" } },
} as const;

export function median(xs: readonly number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const EVALUATIONS: [string, "prod" | "dr", Record<string, string>][] = [
    ["prod (pilot-light)", "prod", {}],
    ["dr   (pilot-light)", "dr", {}],
    ["dr   (pilot-light, failover)", "dr", { "dr:failover": "true" }],
    ["prod (warm-standby)", "prod", { "dr:strategy": "warm-standby" }],
    ["dr   (warm-standby)", "dr", { "dr:strategy": "warm-standby" }],
    ["prod (backup-restore)", "prod", { "dr:strategy": "backup-restore" }],
    ["dr   (backup-restore)", "dr", { "dr:strategy": "backup-restore" }],
    ["dr   (backup-restore, restore)", "dr", {
        "dr:strategy": "backup-restore", "dr:failover": "true",
        "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-0123",
    }],
    ["prod (active-active)", "prod", { "dr:strategy": "active-active" }],
    ["dr   (active-active)", "dr", { "dr:strategy": "active-active" }],
];

async function timeStack(runs: number, stack: "prod" | "dr", overrides: Record<string, string>): Promise<{ median: number; resources: number }> {
    await runStack(stack, overrides); // warm-up: module loading and JIT are not what we measure
    const times: number[] = [];
    let resources = 0;
    for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const r = await runStack(stack, overrides);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        resources = r.resources.length;
    }
    return { median: median(times), resources };
}

/** Wall seconds and peak resident memory (MiB) of a command, read by a preload that reports on exit. */
function measure(command: readonly string[], what: string): { seconds: number; mib: number } {
    const report = path.join(ROOT, "tools", "exitStats.js");
    const [exe, ...args] = command;
    const start = process.hrtime.bigint();
    const run = spawnSync(exe, ["-r", report, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, EXIT_STATS: "1" } });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) {
        throw new CliError(`${what} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    const stats = /EXIT_STATS (\{.*\})/.exec(run.stderr);
    return { seconds, mib: stats ? JSON.parse(stats[1]).maxRssKiB / 1024 : NaN };
}

function wall(command: readonly string[], what: string): number {
    const [exe, ...args] = command;
    const start = process.hrtime.bigint();
    const run = spawnSync(exe, args, { cwd: ROOT, encoding: "utf8" });
    if (run.status !== 0) {
        throw new CliError(`${what} failed (exit ${run.status}); fix it before benchmarking:\n${run.stdout}\n${run.stderr}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function benchCommand(argv: string[], io: Io = PROCESS_IO): Promise<number> {
    const parsed = parseCommandLine(SPEC, argv);
    const runs = wholeNumberOption("runs", parsed.values.runs, 1, 1000)!;
    const suiteRuns = wholeNumberOption("suite-runs", parsed.values["suite-runs"], 0, 100)!;
    io.out(`node ${process.version}, ${os.cpus().length} cores`);

    io.out(`program evaluation under mocks, median of ${runs} runs after one warm-up:`);
    for (const [label, stack, overrides] of EVALUATIONS) {
        const { median: ms, resources } = await timeStack(runs, stack, overrides);
        io.out(`  ${label.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  (${resources} resources)`);
    }

    io.out(`runbook start: npm run failover -- --stack dr --dry-run vs node loading the SDK clients and listr2 it uses, median of ${runs}:`);
    const dryRun = [...npmScript("failover"), "--stack", "dr", "--dry-run"];
    const baseline = [process.execPath, "-e", RUNBOOK_PACKAGES.map((p) => `require(${JSON.stringify(p)});`).join(" ")];
    // One run of each first: the transpile cache (cli/register.js) and the OS's file cache are warm, as on any run but the first.
    measure(dryRun, "npm run failover -- --dry-run");
    measure(baseline, "loading the SDK clients");
    const dry: { seconds: number; mib: number }[] = [];
    const base: { seconds: number; mib: number }[] = [];
    for (let i = 0; i < runs; i++) {
        dry.push(measure(dryRun, "npm run failover -- --dry-run"));
        base.push(measure(baseline, "loading the SDK clients"));
    }
    const [dryS, baseS] = [median(dry.map((x) => x.seconds)), median(base.map((x) => x.seconds))];
    io.out(`  failover --dry-run          ${dryS.toFixed(3)} s  ${median(dry.map((x) => x.mib)).toFixed(0)} MiB`);
    io.out(`  SDK clients + listr2 only   ${baseS.toFixed(3)} s  ${median(base.map((x) => x.mib)).toFixed(0)} MiB`);
    io.out(`  ratio                       ${(dryS / baseS).toFixed(2)} (goal: within 1.5)`);

    if (suiteRuns === 0) {
        return EXIT.ok;
    }
    const plan = [...npmScript("plan"), "--stack", "dr", "--out", path.join(os.tmpdir(), "bench-plan.svg")];
    const planTimes = Array.from({ length: suiteRuns }, () => wall(plan, "npm run plan"));
    io.out(`offline plan (npm run plan -- --stack dr), wall time, median of ${suiteRuns}: ${median(planTimes).toFixed(2)} s`);
    const portfolioPlan = [...npmScript("plan"), "--portfolio", "portfolio", "--out", path.join(os.tmpdir(), "bench-portfolio.svg")];
    const portfolioTimes = Array.from({ length: suiteRuns }, () => wall(portfolioPlan, "npm run plan -- --portfolio"));
    io.out(`portfolio plan (npm run plan -- --portfolio portfolio), wall time, median of ${suiteRuns}: ${median(portfolioTimes).toFixed(2)} s`);

    const typecheck = [process.execPath, require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "."];
    const typecheckPolicy = [process.execPath, require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "policy"];
    const mocha = [process.execPath, require.resolve("mocha/bin/mocha.js"), "--reporter", "dot"];
    const npmTest = [process.execPath, path.join(ROOT, "tests", "run.js"), "--reporter", "dot"];
    const whole: number[] = [];
    const tc: number[] = [];
    const suite: number[] = [];
    for (let i = 0; i < suiteRuns; i++) {
        whole.push(wall(npmTest, "npm test"));
        tc.push(wall(typecheck, "tsc") + wall(typecheckPolicy, "tsc -p policy"));
        suite.push(wall(mocha, "the test suite"));
        io.out(`  run ${i + 1}: npm test ${whole[i].toFixed(1)} s; alone: type-check ${tc[i].toFixed(1)} s, mocha ${suite[i].toFixed(1)} s`);
    }
    io.out(`npm test, wall time, median of ${suiteRuns}: ${median(whole).toFixed(1)} s ` +
        `(alone: type-check ${median(tc).toFixed(1)} s, mocha ${median(suite).toFixed(1)} s)`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(USAGE, benchCommand);
}
