// The runbook under faults, as a person runs it (the CLI's command, in this process), against moto behind the
// fault proxy on loopback (offline/faultProxy.ts): what it says when the dr region's SSM fails as it releases
// its lock, when nothing answers, when the emulator stops mid-run (issue 17, section 3).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runbookCommand } from "../cli/runbook";
import { FaultRule, outageRule, startFaultProxy } from "../offline/faultProxy";
import { Moto, freeLoopbackPort, resetMoto } from "../offline/moto";
import { seedDeployedPair } from "../offline/seed";
import { lockParameterName } from "../runbook/lock";
import { progressPath } from "../runbook/progress";
import { RunbookArgs, runRunbook } from "../runbook/run";
import { sharedEmulator } from "./emulator";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";

let moto: Moto;
let reportDir: string;

/** What the command printed, and its exit code. */
interface Printed { code: number; out: string; err: string }

/** `npm run <kind> -- --stack dr --yes ...` as the CLI's command, in this process, its output captured. */
async function cli(argv: string[]): Promise<Printed> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runbookCommand(argv, { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, { renderer: "silent" });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A backup & restore failover through `endpoint`, whose smoke check finds nothing listening: the step fails. */
async function failover(endpoint: string, dir: string): Promise<Printed> {
    return cli(["failover", "--stack", "dr", "--yes", "--endpoint", endpoint, "--report-dir", dir, "--set", "dr:strategy=backup-restore",
        "--smoke-url", `http://127.0.0.1:${await freeLoopbackPort()}/health`]);
}

/** A rule that forwards everything until the fence closes (SetAlarmState), then refuses what `after` names. */
function onceFenced(after: FaultRule): FaultRule {
    let fenced = false;
    return (request) => {
        if (fenced) {
            return after(request);
        }
        fenced = request.operation === "SetAlarmState";
        return undefined;
    };
}

const NO_STACK_TRACE = /\n\s+at /;

async function fenceState(): Promise<string | undefined> {
    const cloudwatch = new CloudWatchClient({ region: "us-west-2", endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
    return (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["shop-use1-traffic-fence"] }))).MetricAlarms?.[0]?.StateValue;
}

async function lockParameters(): Promise<string[]> {
    const ssm = new SSMClient({ region: "us-west-2", endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
    return ((await ssm.send(new DescribeParametersCommand({}))).Parameters ?? []).map((p) => p.Name!);
}

describe("the runbook under faults, as the CLI runs it against moto behind a fault proxy (issue 17, section 3)", function () {
    this.timeout(60_000);

    before(async function () {
        moto = await sharedEmulator();
        reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-faults-"));
    });

    after(function () {
        if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
    });

    beforeEach(async function () {
        await resetMoto(moto.endpoint);
        await seedDeployedPair(moto.endpoint, { overrides: { "dr:strategy": "backup-restore" } });
    });

    it("the dr region's SSM fails as the run releases its lock, after a step failed: both are reported, with the command that releases it; no stack trace (3.2)", async function () {
        const proxy = await startFaultProxy(moto.endpoint, onceFenced((r) => (r.service === "ssm" ? "the dr region's SSM" : undefined)));
        const dir = fs.mkdtempSync(path.join(reportDir, "ssm-"));
        try {
            const printed = await failover(proxy.url, dir);
            assert.equal(printed.code, 1);
            const all = `${printed.out}\n${printed.err}`;
            assert.doesNotMatch(all, NO_STACK_TRACE);
            assert.doesNotMatch(all, /unexpected error/);
            assert.match(printed.err, /^failover stopped: smoke check GET http:\/\/127\.0\.0\.1:\d+\/health: no answer \(ECONNREFUSED\)$/m, "the step's own failure");
            assert.match(printed.err, new RegExp("^the lock /shop/dr/runbook-lock in us-west-2 was not released: us-west-2 ssm GetParameter: no answer \\(.+\\); " +
                "the region or its ssm endpoint does not answer\\. Once SSM in us-west-2 answers, release it: " +
                `aws --endpoint-url ${proxy.url.replace(/[.]/g, "\\.")} ssm delete-parameter --region us-west-2 --name /shop/dr/runbook-lock`, "m"));
            assert.match(printed.out, /^report: .*failover-dr-.*\.md \(and \.svg\)$/m);
        } finally {
            await proxy.close();
        }
        assert.deepEqual(await lockParameters(), [lockParameterName("shop")], "the lock stays, as the message says");
    });

    it("the emulator stops mid-run: the step that called it fails naming the call, then the lock left; where the report is, no stack trace (3.3)", async function () {
        // Everything answers until the fence closes; then nothing does, as when the emulator (or the region) stops.
        const proxy = await startFaultProxy(moto.endpoint, onceFenced(() => "the emulator, stopped"));
        const dir = fs.mkdtempSync(path.join(reportDir, "stopped-"));
        let printed: Printed;
        try {
            printed = await failover(proxy.url, dir);
        } finally {
            await proxy.close();
        }
        assert.equal(printed.code, 1);
        assert.doesNotMatch(`${printed.out}\n${printed.err}`, NO_STACK_TRACE);
        const report = /^report: (.+\.md) \(and \.svg\)$/m.exec(printed.out)?.[1];
        assert.ok(report && fs.existsSync(report) && fs.existsSync(report.replace(/\.md$/, ".svg")), printed.out);
        // The fence's step reads its alarm back: that read finds the emulator gone.
        assert.match(printed.out, /^  failed .* shift-traffic: us-west-2 monitoring DescribeAlarms: no answer \(ECONNRESET/m);
        assert.match(printed.err, /^failover stopped: us-west-2 monitoring DescribeAlarms: no answer \(ECONNRESET[^)]*\); the region or its monitoring endpoint does not answer\n/m);
        assert.match(printed.err, /^the lock \/shop\/dr\/runbook-lock in us-west-2 was not released: us-west-2 ssm GetParameter: no answer/m);
        assert.match(printed.err, /Re-run the same command to continue: finished steps are skipped\.$/);
        const md = fs.readFileSync(report!, "utf8");
        assert.match(md, /- outcome: \*\*stopped\*\*: us-west-2 monitoring DescribeAlarms: no answer/);
        assert.match(md, /- lock not released: the lock \/shop\/dr\/runbook-lock in us-west-2 was not released: /);
    });

    /** A run as `npm run <kind> -- --stack dr --yes`, straight to moto, in `dir`. */
    const direct = (kind: RunbookArgs["kind"], dir: string, extra: Partial<RunbookArgs> = {}) => runRunbook({
        kind, stack: "dr", mode: "planned", dryRun: false, yes: true, force: false, endpoint: moto.endpoint, reportDir: dir,
        waitSeconds: 5, pollMs: 100, renderer: "silent", overrides: { "dr:strategy": "backup-restore" }, ...extra,
    });
    const startOf = (report: string) => new Date(/^- started: (\S+)$/m.exec(fs.readFileSync(report, "utf8"))![1]);

    it("a refused run leaves no progress: the next run is its own, not a continuation of the refused one (3.4)", async function () {
        const dir = fs.mkdtempSync(path.join(reportDir, "refused-"));
        const first = await direct("failback", dir);
        assert.match(String(first.error?.message), /^nothing to fail back/);
        assert.equal(fs.existsSync(progressPath(dir, "failback", "dr")), false, "refused by its check: no progress");
        assert.match(fs.readFileSync(first.reportPath!, "utf8"), /- outcome: \*\*stopped\*\*: nothing to fail back/, "its report says why");

        const second = await direct("failback", dir);
        assert.notEqual(second.reportPath, first.reportPath, "a report of its own");
        assert.ok(startOf(second.reportPath!) > startOf(first.reportPath!), "which starts after the run before it");
        assert.equal(second.ctx.facts.has("continued"), false);

        // Refused by the person (the prompt answered wrong): it changed nothing either.
        const declined = await direct("failover", dir, { yes: false, approve: async () => false });
        assert.match(String(declined.error?.message), /^not confirmed: nothing was changed$/);
        assert.equal(fs.existsSync(progressPath(dir, "failover", "dr")), false, "refused by the person: no progress");
    });

    it("a refused run that finds an interrupted run's progress leaves it, and that run's report, as they were (3.4)", async function () {
        const dir = fs.mkdtempSync(path.join(reportDir, "interrupted-"));
        // A run that changed something and stopped (its smoke check finds nothing listening): its progress stays.
        const stopped = await direct("failover", dir, { smokeUrl: `http://127.0.0.1:${await freeLoopbackPort()}/health` });
        assert.match(String(stopped.error?.message), /^smoke check GET/);
        const progress = progressPath(dir, "failover", "dr");
        const [kept, report] = [fs.readFileSync(progress, "utf8"), fs.readFileSync(stopped.reportPath!, "utf8")];
        const declined = await direct("failover", dir, { yes: false, approve: async () => false });
        assert.match(String(declined.error?.message), /^not confirmed/);
        assert.notEqual(declined.reportPath, stopped.reportPath);
        assert.equal(fs.readFileSync(progress, "utf8"), kept, "the interrupted run's progress, untouched");
        assert.equal(fs.readFileSync(stopped.reportPath!, "utf8"), report, "and its report");
    });

    it("advice that agrees with what the runbook does: no 'continue' after a refusal; no --force where it would change nothing (3.5)", async function () {
        const dir = fs.mkdtempSync(path.join(reportDir, "advice-"));
        const nothing = await cli(["failback", "--stack", "dr", "--yes", "--endpoint", moto.endpoint, "--report-dir", dir, "--set", "dr:strategy=backup-restore"]);
        assert.equal(nothing.code, 1);
        assert.match(nothing.err, /^failback stopped before changing anything: nothing to fail back: .*; run npm run failover first, or npm run plan to see the pair as it stands\.$/m);
        assert.doesNotMatch(nothing.err, /continue/i, "nothing to continue");
        assert.match(nothing.out, /^report: .*failback-dr-.*\.md \(and \.svg\)$/m);

        // The primary region is lost: a planned switchover and a failback need it, and --force does not go past that.
        const proxy = await startFaultProxy(moto.endpoint, outageRule("us-east-1"));
        try {
            for (const argv of [["failover", "--planned"], ["failback"]]) {
                const refused = await cli([...argv, "--force", "--stack", "dr", "--yes", "--endpoint", proxy.url, "--report-dir", dir, "--set", "dr:strategy=backup-restore"]);
                assert.equal(refused.code, 1, argv.join(" "));
                assert.match(refused.err, new RegExp(`^${argv[0]} stopped before changing anything: DR is not ready:\\n  - .*primary region, which does not answer.* \\[needed: --force does not go past it\\]\\nFix these and re-run\\.$`, "m"), refused.err);
                assert.doesNotMatch(refused.err, /re-run with --force|continue/, argv.join(" "));
            }
        } finally {
            await proxy.close();
        }
        assert.equal(await fenceState(), "OK", "nothing was changed");
    });
});
