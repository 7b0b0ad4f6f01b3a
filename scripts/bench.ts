// npm run bench [-- --runs N] [-- --suite-runs M]
// Median time to evaluate each stack's program under the SDK's mocks (what `pulumi preview` makes the
// program do, minus the engine and providers), and the test suite's wall time. Measured, not asserted.
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { ROOT, runStack } from "../offline/evaluate";

const { values } = parseArgs({
    options: {
        runs: { type: "string", default: "15" },
        "suite-runs": { type: "string", default: "3" },
    },
});
const runs = Number(values.runs);
const suiteRuns = Number(values["suite-runs"]);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function timeStack(stack: "prod" | "dr", overrides: Record<string, string>): Promise<{ median: number; resources: number }> {
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

async function main(): Promise<void> {
    console.log(`program evaluation under mocks, median of ${runs} runs after one warm-up:`);
    const cases: [string, "prod" | "dr", Record<string, string>][] = [
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
    for (const [label, stack, overrides] of cases) {
        const { median: ms, resources } = await timeStack(stack, overrides);
        console.log(`  ${label.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  (${resources} resources)`);
    }

    console.log(`offline plan (npm run plan -- --stack dr), wall time, median of ${suiteRuns} runs:`);
    const planTimes: number[] = [];
    for (let i = 0; i < suiteRuns; i++) {
        const start = process.hrtime.bigint();
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/plan.ts", "--stack", "dr",
            "--out", path.join(os.tmpdir(), "bench-plan.svg")], { cwd: ROOT, encoding: "utf8" });
        planTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (run.status !== 0) {
            console.error(run.stdout, run.stderr);
            throw new Error("npm run plan failed");
        }
    }
    console.log(`  median ${(median(planTimes) / 1000).toFixed(2)} s`);

    console.log(`test suite (mocha, transpile-only), wall time, median of ${suiteRuns} runs:`);
    const suiteTimes: number[] = [];
    for (let i = 0; i < suiteRuns; i++) {
        const start = process.hrtime.bigint();
        const run = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js"), "--reporter", "dot"], { cwd: ROOT, encoding: "utf8" });
        suiteTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (run.status !== 0) {
            console.error(run.stdout, run.stderr);
            throw new Error("the test suite failed; fix it before benchmarking");
        }
        process.stdout.write(`  run ${i + 1}: ${(suiteTimes[i] / 1000).toFixed(2)} s\n`);
    }
    console.log(`  median ${(median(suiteTimes) / 1000).toFixed(2)} s`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
