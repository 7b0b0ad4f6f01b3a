// The runbook end to end against a local AWS (moto_server on loopback), seeded as `pulumi up -s prod` and
// `pulumi up -s dr` leave the pair: every test checks the state moto holds afterwards (describe calls made
// here, not through the runbook's own helpers), never only an HTTP 200. Steps moto cannot perform (Aurora
// switchover/failover, cache resize) are recorded as simulated; tests/runbook.sdk.test.ts covers their code.
//
// The run's one moto_server (tests/emulator.ts), reset and reseeded per test; the smoke check reaches a loopback stand-in of
// the app. Needs moto_server on PATH: without it the before() hook fails (on purpose: CI must not skip these).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeWarmPoolCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient, DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, ListHealthChecksCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { regionNames } from "../model/naming";
import { awsClients } from "../runbook/aws";
import { runbookContext } from "../runbook/context";
import { runSteps } from "../runbook/engine";
import { NothingToFailBackError, failbackSteps } from "../runbook/failback";
import { LockHeldError, lockParameterName, thisRun } from "../runbook/lock";
import { DEPLOYED_CANARY_WAIT, failoverSteps } from "../runbook/failover";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { AppStandIn, startAppStandIn } from "../offline/appStandIn";
import { stackRun } from "../offline/evaluate";
import { EMULATOR_GAPS, Moto, freeLoopbackPort, resetMoto } from "../offline/moto";
import { sharedEmulator } from "./emulator";
import { SEEDED_CANARY_REASON, SeedOptions, SeededPair, seedDeployedPair, seededCanaryState } from "../offline/seed";
import { Mode, NotReadyError, RunbookContext, SIMULATED_NOTE, StepResult } from "../runbook/types";
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { spawn } from "child_process";
import * as net from "net";
import { npmScript } from "../tools/npmScript";
import { EARLIER_NOTE, progressPath, readProgress } from "../runbook/progress";
import { RunbookArgs, runRunbook } from "../runbook/run";

const N = 4;
const PRIMARY = regionNames("shop", "us-east-1");
const DR = regionNames("shop", "us-west-2");
const AURORA_REASON = "moto answers SwitchoverGlobalCluster/FailoverGlobalCluster with HTTP 500";

let moto: Moto;
let app: AppStandIn;
let reportDir: string;

const sdk = (region: string) => ({ region, endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
const target = () => ({ endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });

/** The Auto Scaling group as moto describes it: [min, desired, max], and its in-service instances. */
async function group(region: string, name: string) {
    const g = (await new AutoScalingClient(sdk(region)).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    return g && {
        size: [g.MinSize, g.DesiredCapacity, g.MaxSize],
        inService: (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").map((i) => i.InstanceId!).sort(),
    };
}

async function healthyTargetIds(region: string, targetGroupArn: string): Promise<string[]> {
    const out = await new ElasticLoadBalancingV2Client(sdk(region)).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (out.TargetHealthDescriptions ?? []).filter((t) => t.TargetHealth?.State === "healthy").map((t) => t.Target!.Id!).sort();
}

/** The traffic fence of the primary's record: its alarm's state in the dr region (ALARM: closed). */
async function fence(): Promise<string | undefined> {
    const out = await new CloudWatchClient(sdk("us-west-2")).send(new DescribeAlarmsCommand({ AlarmNames: [PRIMARY.fenceAlarm] }));
    return out.MetricAlarms?.[0]?.StateValue;
}

/** A region's canary alarm as moto holds it: [state, reason], or undefined when there is none. */
async function canaryAlarm(region: string): Promise<[string | undefined, string | undefined] | undefined> {
    const name = `${regionNames("shop", region).prefix}-canary-health`;
    const alarm = (await new CloudWatchClient(sdk(region)).send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0];
    return alarm && [alarm.StateValue, alarm.StateReason];
}

/** Whether any health check is inverted or disabled: the runbook changes no health check any more. */
async function checksAsCreated(): Promise<boolean> {
    const route53 = new Route53Client(sdk("us-east-1"));
    const { HealthChecks } = await route53.send(new ListHealthChecksCommand({}));
    return (HealthChecks ?? []).every((c) => c.HealthCheckConfig?.Inverted !== true && c.HealthCheckConfig?.Disabled !== true);
}

/** The app's A records: set identifier -> [failover role or weight, health check]. */
async function records(pair: SeededPair): Promise<Record<string, unknown[]>> {
    const out = await new Route53Client(sdk("us-east-1")).send(new ListResourceRecordSetsCommand({ HostedZoneId: pair.hostedZoneId }));
    return Object.fromEntries((out.ResourceRecordSets ?? []).filter((r) => r.Name === `${pair.dr.dnsName}.` && r.Type === "A")
        .map((r) => [r.SetIdentifier!, [r.Failover ?? r.Weight, r.HealthCheckId]]));
}

async function weights(pair: SeededPair): Promise<Record<string, unknown>> {
    return Object.fromEntries(Object.entries(await records(pair)).map(([id, [weight]]) => [id, weight]));
}

/** Everything a failover or failback may change, as moto describes it. */
async function snapshot(pair: SeededPair) {
    const writers = (await new RDSClient(sdk("us-west-2")).send(new DescribeGlobalClustersCommand({}))).GlobalClusters!
        .flatMap((g) => (g.GlobalClusterMembers ?? []).map((m) => [m.DBClusterArn, m.IsWriter]));
    const cache = (await new ElastiCacheClient(sdk("us-west-2")).send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups!
        .map((g) => [g.ReplicationGroupId, g.CacheNodeType, g.MemberClusters?.length]);
    return {
        drGroup: await group("us-west-2", DR.autoScalingGroup),
        primaryGroup: await group("us-east-1", PRIMARY.autoScalingGroup),
        drTargets: await healthyTargetIds("us-west-2", pair.secondary.targetGroupArn!),
        fence: await fence(),
        checksAsCreated: await checksAsCreated(),
        records: await records(pair),
        writers,
        cache,
    };
}

/** A new world: the emulator reset and reseeded, and no unfinished run's progress left in the report folder. */
async function reseed(options: SeedOptions = {}): Promise<SeededPair> {
    await resetMoto(moto.endpoint);
    for (const f of fs.readdirSync(reportDir).filter((f) => f.endsWith(".progress.json"))) fs.rmSync(path.join(reportDir, f));
    return seedDeployedPair(moto.endpoint, options);
}

/** `npm run <kind> -- --stack dr --yes` against moto, with what moto cannot do simulated. */
function args(kind: RunbookArgs["kind"], extra: Partial<RunbookArgs> = {}): RunbookArgs {
    return {
        kind, stack: "dr", mode: "planned", dryRun: false, yes: true, force: false, endpoint: moto.endpoint,
        smokeUrl: app.healthUrl, reportDir, waitSeconds: 20, pollMs: 200, simulate: EMULATOR_GAPS, renderer: "silent", ...extra,
    };
}

/** A context for config the stack file does not have (another tier, moto's zone id): RunbookArgs cannot carry overrides. */
function context(pair: SeededPair, mode: Mode = "planned"): RunbookContext {
    return runbookContext({
        stack: "dr", mode, target: target(), smokeUrl: app.healthUrl, waitSeconds: 20, pollMs: 200, overrides: pair.runbookOverrides,
    });
}

const engine = (kind: "failover" | "failback", ctx: RunbookContext) =>
    runSteps(kind === "failover" ? failoverSteps(ctx) : failbackSteps(ctx), ctx, {
        dryRun: false, confirm: async () => true, simulate: EMULATOR_GAPS, renderer: "silent",
    });

const statuses = (results: readonly StepResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));
const result = (results: readonly StepResult[], id: string) => results.find((r) => r.id === id)!;

/** A loopback URL nothing listens on: connections are refused at once. */
async function closedUrl(): Promise<string> {
    return `http://127.0.0.1:${await freeLoopbackPort()}`;
}

describe("runbook against moto: failover and failback end to end", function () {
    this.timeout(60_000);

    before(async function () {
        // The run's one moto_server (tests/emulator.ts), started without moto's AMI catalogue, which makes
        // every reset slow and which the runbook never reads.
        moto = await sharedEmulator();
        app = await startAppStandIn();
        reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-moto-"));
    });

    after(async function () {
        await app?.close();
        if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
    });

    it("seeds the pair as the stacks deploy it: prod N/N/N and the PRIMARY record, dr 0/0/N and the SECONDARY record", async function () {
        const pair = await reseed();
        const s = await snapshot(pair);
        assert.deepEqual(s.primaryGroup?.size, [N, N, N]);
        assert.deepEqual(s.drGroup?.size, [0, 0, N]);
        assert.deepEqual(s.drTargets, []);
        assert.deepEqual(s.records, {
            [PRIMARY.dnsSetIdentifier]: ["PRIMARY", pair.primary.healthCheckId],
            [DR.dnsSetIdentifier]: ["SECONDARY", pair.secondary.healthCheckId],
        });
        assert.deepEqual(s.writers, [[pair.primary.dbClusterArn, true], [pair.secondary.dbClusterArn, false]]);
        assert.deepEqual([s.fence, s.checksAsCreated], ["OK", true], "the fence stands open (moto starts an alarm at OK)");
        const route53 = new Route53Client(sdk("us-east-1"));
        const gate = (await route53.send(new GetHealthCheckCommand({ HealthCheckId: pair.primary.healthCheckId! }))).HealthCheck!.HealthCheckConfig!;
        assert.deepEqual([gate.Type, gate.HealthThreshold, gate.ChildHealthChecks?.length], ["CALCULATED", 2, 2]);
        const children = await Promise.all(gate.ChildHealthChecks!.map(async (id) =>
            (await route53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck!.HealthCheckConfig!));
        assert.deepEqual(children.map((c) => c.Type).sort(), ["CLOUDWATCH_METRIC", "HTTPS"]);
        // moto keeps no AlarmIdentifier (nor evaluates the check): the alarm the check names is asserted on the
        // program's inputs (tests/recoveryPath.test.ts), and the drill reads the alarm itself.
        assert.deepEqual(s.cache, [], "pilot light has no cache in the dr region");
        const prodCache = (await new ElastiCacheClient(sdk("us-east-1")).send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups!;
        // moto keeps one member whatever NumCacheClusters says (prod's plan is 2 x cache.r7g.large).
        assert.deepEqual(prodCache.map((g) => [g.ReplicationGroupId, g.CacheNodeType, g.Engine]), [[PRIMARY.cache, "cache.r7g.large", "valkey"]]);
    });

    it("seeds what the program registers, not a copy of it: sizes, names and health-check settings follow the config", async function () {
        const changed = { "dr:strategy": "warm-standby", "dr:capacity": "6", "dr:healthCheckIntervalSeconds": "30", "dr:healthCheckFailureThreshold": "5" };
        const pair = await reseed({ overrides: changed });
        const program = await stackRun("dr", { ...changed, "dr:enforceObjectives": "false" });
        const asgInputs = program.one("aws:autoscaling/group:Group").inputs;
        const drGroup = (await new AutoScalingClient(sdk("us-west-2")).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgInputs.name] }))).AutoScalingGroups![0];
        assert.deepEqual([drGroup.MinSize, drGroup.DesiredCapacity, drGroup.MaxSize, drGroup.HealthCheckType, drGroup.HealthCheckGracePeriod],
            [asgInputs.minSize, asgInputs.desiredCapacity, asgInputs.maxSize, asgInputs.healthCheckType, asgInputs.healthCheckGracePeriod]);
        assert.deepEqual([drGroup.MinSize, drGroup.MaxSize], [2, 6], "warm standby at ceil(6/4), max N");
        const check = (await new Route53Client(sdk("us-east-1")).send(new GetHealthCheckCommand({ HealthCheckId: pair.secondary.healthCheckId! }))).HealthCheck!.HealthCheckConfig!;
        const checkInputs = program.one("aws:route53/healthCheck:HealthCheck").inputs;
        assert.deepEqual([check.RequestInterval, check.FailureThreshold, check.ResourcePath, check.Port, check.Type],
            [checkInputs.requestInterval, checkInputs.failureThreshold, checkInputs.resourcePath, checkInputs.port, checkInputs.type]);
        assert.deepEqual([check.RequestInterval, check.FailureThreshold], [30, 5]);
        const tgInputs = program.one("aws:lb/targetGroup:TargetGroup").inputs;
        const tg = (await new ElasticLoadBalancingV2Client(sdk("us-west-2")).send(new DescribeTargetGroupsCommand({ Names: [tgInputs.name] }))).TargetGroups![0];
        assert.deepEqual([tg.Port, tg.HealthCheckPath, tg.HealthCheckIntervalSeconds, tg.HealthyThresholdCount, tg.UnhealthyThresholdCount],
            [tgInputs.port, tgInputs.healthCheck.path, tgInputs.healthCheck.interval, tgInputs.healthCheck.healthyThreshold, tgInputs.healthCheck.unhealthyThreshold]);
        const cacheInputs = program.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        const cache = (await new ElastiCacheClient(sdk("us-west-2")).send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: cacheInputs.replicationGroupId }))).ReplicationGroups![0];
        assert.deepEqual([cache.CacheNodeType, cache.Engine], [cacheInputs.nodeType, cacheInputs.engine]);
        const cluster = program.one("aws:rds/cluster:Cluster").inputs;
        const described = (await new RDSClient(sdk("us-west-2")).send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster.clusterIdentifier }))).DBClusters![0];
        assert.deepEqual([described.EngineVersion, described.BackupRetentionPeriod, described.DBClusterMembers?.length],
            [cluster.engineVersion, cluster.backupRetentionPeriod, program.ofType("aws:rds/clusterInstance:ClusterInstance").length]);
    });

    it("seeds each region canary's alarm as a deployed pair shows it: OK on its running fleet, naming the seed; pilot light's dr region has none", async function () {
        await reseed();
        assert.deepEqual(await canaryAlarm("us-east-1"), ["OK", SEEDED_CANARY_REASON], "prod serves: its canary passes");
        assert.equal(await canaryAlarm("us-west-2"), undefined, "pilot light's standby has only the canary's role: the failover deploy starts it");
        await reseed({ overrides: { "dr:strategy": "warm-standby" } });
        assert.deepEqual(await canaryAlarm("us-west-2"), ["OK", SEEDED_CANARY_REASON], "warm standby's canary runs on its warm fleet");
        // Not moto's own start (OK, "Unchecked: Initial alarm creation"), which would read as a passing canary.
        assert.deepEqual([seededCanaryState(1), seededCanaryState(0)], ["OK", "INSUFFICIENT_DATA"], "no fleet, nothing for a canary to pass on");
    });

    it("a warm pool (dr:warmPool): moto keeps the dr group's pool as the program declares it, and starts no instance in it", async function () {
        await reseed({ overrides: { "dr:warmPool": "stopped" } });
        const pool = await new AutoScalingClient(sdk("us-west-2")).send(new DescribeWarmPoolCommand({ AutoScalingGroupName: DR.autoScalingGroup }));
        const config = pool.WarmPoolConfiguration!;
        assert.deepEqual([config.PoolState, config.MinSize, config.MaxGroupPreparedCapacity, config.InstanceReusePolicy?.ReuseOnScaleIn],
            ["Stopped", 4, 4, true]);
        assert.equal(pool.Instances?.length ?? 0, 0, "moto starts no pooled instance: the warm start is an assumption (dr:warmStartSeconds)");
        // moto 5.2 answers UpdateAutoScalingGroup of a group with a warm pool with an HTML error page (README, Known limits):
        // the scale-up from a pool is covered at the SDK level, where it is the same UpdateAutoScalingGroup.
    });

    it("planned failover, pilot light: dr app at N/N/N with N healthy targets, the old primary fenced, every step in the report", async function () {
        const pair = await reseed();
        const run = await runRunbook(args("failover"));
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(statuses(run.results), {
            "readiness": "done", "promote-database": "simulated", "scale-compute": "done", "shift-traffic": "done",
            "reconcile-iac": "done", "smoke-check": "done",
        });

        const s = await snapshot(pair);
        assert.deepEqual(s.drGroup?.size, [N, N, N]);
        assert.equal(s.drGroup?.inService.length, N);
        assert.deepEqual(s.drTargets, s.drGroup?.inService, "the group's N instances are the N healthy targets");
        assert.equal(s.fence, "ALARM", "the fence is closed: the primary's record is unhealthy whatever its endpoint says");
        assert.equal(s.checksAsCreated, true, "no health check was inverted or disabled");
        assert.deepEqual(s.writers, [[pair.primary.dbClusterArn, true], [pair.secondary.dbClusterArn, false]], "the promotion was simulated: moto's writer is unchanged");
        assert.ok(app.requests.includes("GET /health 200"), "the smoke check reached the app stand-in");

        const md = fs.readFileSync(run.reportPath!, "utf8");
        assert.ok(fs.existsSync(run.reportPath!.replace(/\.md$/, ".svg")));
        assert.match(md, /^# Failover drill report: dr \(pilot-light, planned\)/);
        assert.match(md, /- outcome: completed/);
        assert.match(md, new RegExp(`- against: ${moto.endpoint}`));
        const rows = md.split("\n").filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
        assert.deepEqual(rows.map((r) => [r[0], r[2]]), run.results.map((r, i) => [String(i + 1), r.status]));
        for (const [row, r] of rows.map((row, i) => [row, run.results[i]] as const)) {
            assert.match(row[3], /^\d+\.\d$/, `measured seconds of ${r.id}`);
            assert.equal(Number(row[3]), r.seconds);
            assert.equal(Number(row[4]), r.expectedSeconds);
        }
        assert.equal(rows[1][2], "simulated");
        assert.match(md, new RegExp(`Simulated \\(the emulator cannot perform them[^\\n]*\\n- promote-database: ${AURORA_REASON.replace(/\//g, "\\/")}`));
        assert.deepEqual(result(run.results, "promote-database").notes, [AURORA_REASON]);
        // The canary starts with the failover deploy, which the drill does not run: that wait is simulated, the GET ran.
        assert.equal(EMULATOR_GAPS.get(DEPLOYED_CANARY_WAIT)?.startsWith("the failover deploy (pulumi up)"), true);
        const smoke = result(run.results, "smoke-check");
        assert.equal(smoke.status, "done");
        assert.match(smoke.notes[0], /answered 200 in \d+ ms$/);
        assert.equal(smoke.notes[1], `${SIMULATED_NOTE}the wait for the dr canary's alarm shop-usw2-canary-health in us-west-2 to be OK: ${EMULATOR_GAPS.get(DEPLOYED_CANARY_WAIT)}`);
        assert.ok(md.includes(`\n- part of smoke-check: the wait for the dr canary's alarm shop-usw2-canary-health in us-west-2 to be OK: ${EMULATOR_GAPS.get(DEPLOYED_CANARY_WAIT)}\n`),
            "the report lists the simulated part with the simulated steps");
    });

    it("re-running the same failover changes nothing: scale-compute and shift-traffic are already done", async function () {
        const pair = await reseed();
        assert.equal((await runRunbook(args("failover"))).error, undefined);
        const before = await snapshot(pair);
        const again = await runRunbook(args("failover"));
        assert.equal(again.error, undefined, again.error?.message);
        assert.equal(result(again.results, "scale-compute").status, "already-done");
        assert.equal(result(again.results, "shift-traffic").status, "already-done");
        assert.deepEqual(await snapshot(pair), before, "same instances, targets, fence, records and writer");
    });

    it("a run that stops after scaling (the smoke check fails) is continued by a re-run that skips the finished steps", async function () {
        const pair = await reseed();
        const crashed = await runRunbook(args("failover", { smokeUrl: `${await closedUrl()}/health` }));
        assert.ok(crashed.error, "the run stopped");
        assert.deepEqual(statuses(crashed.results), {
            "readiness": "done", "promote-database": "simulated", "scale-compute": "done", "shift-traffic": "done",
            "reconcile-iac": "done", "smoke-check": "failed",
        });
        assert.match(fs.readFileSync(crashed.reportPath!, "utf8"), /- outcome: \*\*stopped\*\*/);
        const afterCrash = await snapshot(pair);
        assert.deepEqual([afterCrash.drGroup?.size, afterCrash.fence], [[N, N, N], "ALARM"]);

        const resumed = await runRunbook(args("failover"));
        assert.equal(resumed.error, undefined, resumed.error?.message);
        // The steps the stopped run did keep its status and timing; the re-run found them done and changed nothing.
        assert.deepEqual(statuses(resumed.results), {
            "readiness": "done", "promote-database": "simulated", "scale-compute": "done", "shift-traffic": "done",
            "reconcile-iac": "done", "smoke-check": "done",
        });
        for (const id of ["scale-compute", "shift-traffic"]) {
            assert.equal(result(resumed.results, id).seconds, result(crashed.results, id).seconds, `${id} keeps the first run's time`);
            assert.ok(result(resumed.results, id).notes.includes(EARLIER_NOTE), id);
        }
        assert.equal(resumed.reportPath, crashed.reportPath, "the continued run completes the stopped run's report");
        assert.match(fs.readFileSync(resumed.reportPath!, "utf8"), /- outcome: completed[\s\S]*- continued: the run started /);
        assert.deepEqual(await snapshot(pair), afterCrash, "the re-run changed nothing the first run had done");
    });

    it("two failovers started at once: one runs every change, the other is refused by the lock in the dr region, naming the first", async function () {
        const pair = await reseed();
        const [a, b] = await Promise.all([runRunbook(args("failover")), runRunbook(args("failover"))]);
        const refused = [a, b].filter((r) => r.error instanceof LockHeldError);
        const ran = [a, b].filter((r) => r.error === undefined);
        assert.deepEqual([refused.length, ran.length], [1, 1], [a, b].map((r) => r.error?.message).join(" / "));
        assert.match(refused[0].error!.message, new RegExp(`^another runbook run holds the lock /shop/dr/runbook-lock in us-west-2: failover \\(planned\\) of stack dr by .+@${os.hostname()}, pid ${process.pid}, started `));
        assert.ok(refused[0].results.every((r) => r.status === "not-run"));
        assert.equal(refused[0].reportPath, undefined, "a run locked out did nothing and writes no report");
        assert.deepEqual((await snapshot(pair)).drGroup?.size, [N, N, N]);
        const params = await new SSMClient(sdk("us-west-2")).send(new DescribeParametersCommand({}));
        assert.deepEqual(params.Parameters ?? [], [], "the lock is released when the run ends");
    });

    it("a lock held by a run on another machine refuses the run, changing nothing; --break-lock takes it over", async function () {
        const pair = await reseed();
        const elsewhere = { ...thisRun("failover", "dr", "unplanned"), host: "operator-laptop", user: "alice" };
        const ssm = new SSMClient(sdk("us-west-2"));
        await ssm.send(new PutParameterCommand({ Name: lockParameterName("shop"), Value: JSON.stringify(elsewhere), Type: "String" }));
        const before = await snapshot(pair);
        const refused = await runRunbook(args("failover"));
        assert.ok(refused.error instanceof LockHeldError, `LockHeldError, got ${refused.error}`);
        assert.match(refused.error.message, /holds the lock \/shop\/dr\/runbook-lock in us-west-2: failover \(unplanned\) of stack dr by alice@operator-laptop, pid \d+, started .*re-run with --break-lock\.$/);
        assert.deepEqual(await snapshot(pair), before);

        const broken = await runRunbook(args("failover", { breakLock: true }));
        assert.equal(broken.error, undefined, broken.error?.message);
        assert.match(broken.ctx.facts.get("lock")!, /^took over the lock of failover \(unplanned\) of stack dr by alice@operator-laptop/);
        assert.deepEqual((await ssm.send(new DescribeParametersCommand({}))).Parameters ?? [], []);
    });

    it("a run killed mid-way leaves its report and lock; the re-run takes over the dead run's lock and keeps its timings", async function () {
        // Backup & restore: its failover has no step moto cannot perform, so the CLI runs it as a person would.
        const tier = { "dr:strategy": "backup-restore" };
        const pair = await reseed({ overrides: tier });
        const dir = fs.mkdtempSync(path.join(reportDir, "killed-"));
        // The CLI as a person runs it, against moto; its smoke check waits on a server that never answers, and
        // the process is killed while it waits (after the steps that change state are done).
        const silent = net.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/health`;
        const [exe, ...pre] = npmScript("failover");
        const child = spawn(exe, [...pre, "--stack", "dr", "--yes", "--endpoint", moto.endpoint, "--smoke-url", silentUrl, "--report-dir", dir,
            "--set", "dr:strategy=backup-restore"],
            { cwd: path.resolve(__dirname, ".."), stdio: "ignore" });
        const progress = progressPath(dir, "failover", "dr");
        try {
            const deadline = Date.now() + 30_000;
            while (!(readProgress(progress)?.results.some((r) => r.id === "reconcile-iac"))) {
                assert.ok(Date.now() < deadline, "the child reached the smoke check");
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            child.kill("SIGKILL");
            await new Promise((resolve) => child.once("exit", resolve));
        } finally {
            silent.close();
        }
        const killed = readProgress(progress)!;
        const report = fs.readdirSync(dir).find((f) => f.endsWith(".md"))!;
        assert.match(fs.readFileSync(path.join(dir, report), "utf8"), /- outcome: \*\*in progress, or interrupted\*\*: 3 of 4 steps finished; re-run the same command to continue/);
        const lock = await new SSMClient(sdk("us-west-2")).send(new GetParameterCommand({ Name: lockParameterName("shop") }));
        assert.equal(JSON.parse(lock.Parameter!.Value!).pid, child.pid, "the killed run could not release its lock");

        const resumed = await runRunbook(args("failover", { reportDir: dir, overrides: tier }));
        assert.equal(resumed.error, undefined, resumed.error?.message);
        assert.match(resumed.ctx.facts.get("lock")!, new RegExp(`^took over the lock of failover \\(planned\\) of stack dr by .+, pid ${child.pid},`));
        assert.equal(path.basename(resumed.reportPath!), report, "the killed run's report, completed");
        const closed = killed.results.find((r) => r.id === "shift-traffic")!;
        assert.equal(closed.status, "done", "the killed run closed the fence");
        assert.deepEqual(result(resumed.results, "shift-traffic"), { ...closed, notes: [...closed.notes, EARLIER_NOTE] },
            "the re-run found the fence closed and reports the killed run's step, with its time");
        assert.deepEqual(statuses(resumed.results), { "readiness": "done", "shift-traffic": "done", "reconcile-iac": "done", "smoke-check": "done" });
        assert.equal(fs.existsSync(progress), false, "a completed run leaves no progress behind");
        assert.deepEqual((await snapshot(pair)).fence, "ALARM");
    });

    it("Ctrl-C (SIGINT) while a step waits: the run releases its lock and exits 130, its progress kept for the re-run", async function () {
        await reseed({ overrides: { "dr:strategy": "backup-restore" } });
        const dir = fs.mkdtempSync(path.join(reportDir, "interrupted-"));
        const silent = net.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const [exe, ...pre] = npmScript("failover");
        const child = spawn(exe, [...pre, "--stack", "dr", "--yes", "--endpoint", moto.endpoint, "--report-dir", dir,
            "--smoke-url", `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/health`, "--set", "dr:strategy=backup-restore"],
            { cwd: path.resolve(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stdout!.resume();
        child.stderr!.on("data", (c: Buffer) => { stderr += c.toString("utf8"); });
        const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
        try {
            const deadline = Date.now() + 30_000;
            while (!(readProgress(progressPath(dir, "failover", "dr"))?.results.some((r) => r.id === "reconcile-iac"))) {
                assert.ok(Date.now() < deadline, "the child reached the smoke check");
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            child.kill("SIGINT");
            assert.equal(await exited, 130);
        } finally {
            silent.close();
        }
        assert.deepEqual((await new SSMClient(sdk("us-west-2")).send(new DescribeParametersCommand({}))).Parameters ?? [], [], "the lock was released");
        assert.ok(readProgress(progressPath(dir, "failover", "dr")), "the progress stays for the re-run");
        // It says so: where the report is, and how to go on (issue 17, 3.7).
        const report = fs.readdirSync(dir).find((f) => f.endsWith(".md"))!;
        assert.match(stderr, /^failover interrupted \(SIGINT\): the steps under way stopped where they were; AWS finishes what it was already asked\.$/m);
        assert.ok(stderr.includes(`\nreport so far: ${path.join(dir, report)} (and .svg)\n`), stderr);
        assert.ok(stderr.includes(`\nRe-run the same command to continue: its progress (${progressPath(dir, "failover", "dr")}) lets it resume, and finished steps are skipped.\n`), stderr);
        assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    });

    it("refuses a dr region whose Auto Scaling group cannot reach N, changing nothing; with --force it proceeds", async function () {
        const pair = await reseed({ drAutoScalingGroup: { min: 0, desired: 0, max: 2 } });
        const before = await snapshot(pair);
        const refused = await runRunbook(args("failover"));
        assert.ok(refused.error instanceof NotReadyError, `NotReadyError, got ${refused.error}`);
        assert.deepEqual(refused.error.reasons, [`${DR.autoScalingGroup} allows at most 2 instances, fewer than N = ${N}`]);
        assert.match(refused.error.message, /re-run with --force/);
        assert.deepEqual(statuses(refused.results), {
            "readiness": "failed", "promote-database": "not-run", "scale-compute": "not-run", "shift-traffic": "not-run",
            "reconcile-iac": "not-run", "smoke-check": "not-run",
        });
        assert.deepEqual(await snapshot(pair), before, "nothing changed: the primary is not fenced, the dr group still 0/0/2");

        const forced = await runRunbook(args("failover", { force: true }));
        assert.equal(forced.error, undefined, forced.error?.message);
        assert.match(result(forced.results, "readiness").notes.join(), /forced past: shop-usw2-app allows at most 2 instances/);
        const s = await snapshot(pair);
        assert.deepEqual(s.drGroup?.size, [N, N, N], "scale-compute raised the maximum to N");
        assert.equal(s.drTargets.length, N);
        assert.equal(s.fence, "ALARM");
    });

    it("refuses a dr region without its Auto Scaling group, naming it", async function () {
        const pair = await reseed({ drAutoScalingGroup: null });
        const refused = await runRunbook(args("failover"));
        assert.ok(refused.error instanceof NotReadyError, `NotReadyError, got ${refused.error}`);
        assert.deepEqual(refused.error.reasons, [`no Auto Scaling group ${DR.autoScalingGroup} in us-west-2: deploy the dr stack first`]);
        assert.equal(await fence(), "OK");
    });

    it("refuses a planned failover when the primary region does not answer, suggesting --unplanned, and fails fast", async function () {
        const pair = await reseed();
        const unreachable = awsClients("us-east-1", { endpoint: await closedUrl(), credentials: EMULATOR_CREDENTIALS });
        assert.equal(await unreachable.sts.config.maxAttempts(), 2, "awsClients gives up after 2 attempts");
        const before = await snapshot(pair);
        const ctx: RunbookContext = { ...context(pair, "planned"), primary: unreachable };
        const started = Date.now();
        const outcome = await engine("failover", ctx);
        assert.ok(Date.now() - started < 3000, `readiness took ${Date.now() - started} ms`);
        assert.ok(outcome.error instanceof NotReadyError, `NotReadyError, got ${outcome.error}`);
        assert.equal(outcome.error.reasons.length, 1);
        assert.match(outcome.error.reasons[0], /^a planned switchover needs the primary region, which does not answer \(us-east-1 sts GetCallerIdentity: no answer \(ECONNREFUSED[^)]*\); the region or its sts endpoint does not answer\): use --unplanned$/);
        assert.equal(ctx.facts.get("primary region"), "unreachable");
        assert.deepEqual(await snapshot(pair), before, "nothing changed");

        // The same lost region with --unplanned: the failover goes ahead on the dr region alone.
        const lost: RunbookContext = { ...context(pair, "unplanned"), primary: unreachable };
        const unplanned = await engine("failover", lost);
        assert.equal(unplanned.error, undefined, unplanned.error?.message);
        assert.equal(result(unplanned.results, "promote-database").status, "simulated");
        const s = await snapshot(pair);
        assert.deepEqual([s.drGroup?.size, s.fence], [[N, N, N], "ALARM"]);
        assert.equal(lost.facts.get("primary region"), "not called (unplanned: us-east-1 is treated as lost)");
    });

    it("a dry run changes nothing and returns the planned steps with their expected durations", async function () {
        const pair = await reseed();
        const before = await snapshot(pair);
        const dir = path.join(reportDir, "dry-run");
        const run = await runRunbook(args("failover", { dryRun: true, reportDir: dir }));
        assert.deepEqual(await snapshot(pair), before);
        assert.equal(run.reportPath, undefined);
        assert.equal(fs.existsSync(dir), false, "no report for a dry run");
        assert.deepEqual(run.results.map((r) => [r.id, r.status]), failoverSteps(run.ctx).map((s) => [s.id, "planned"]));
        assert.deepEqual(run.results.map((r) => r.expectedSeconds), failoverSteps(run.ctx).map((s) => s.expectedSeconds));
        assert.ok(run.results.every((r) => r.expectedSeconds >= 0 && r.seconds === 0));
        assert.ok(result(run.results, "scale-compute").expectedSeconds > 0 && result(run.results, "promote-database").expectedSeconds > 0);
    });

    it("failback after failover: the fence opened, the dr app back at its standby size 0/0/N", async function () {
        const pair = await reseed();
        assert.equal((await runRunbook(args("failover"))).error, undefined);
        const run = await runRunbook(args("failback"));
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(statuses(run.results), {
            // The failover's promotion was simulated, so moto still has the primary cluster as the writer.
            "readiness": "done", "verify-consistency": "done", "switch-database-back": "already-done",
            "shift-traffic": "done", "scale-dr-down": "done", "reconcile-iac": "done",
        });
        const s = await snapshot(pair);
        assert.equal(s.fence, "OK", "the fence is open: the primary's record answers again");
        assert.deepEqual(s.drGroup?.size, [0, 0, N]);
        assert.deepEqual(s.drGroup?.inService, []);
        assert.deepEqual(s.primaryGroup?.size, [N, N, N]);
        assert.match(fs.readFileSync(run.reportPath!, "utf8"), /^# Failback drill report: dr \(pilot-light, planned\)/);
    });

    it("warm standby: failover takes the dr app from 1/1/N to N/N/N (cache resize simulated); failback returns it to 1/1/N", async function () {
        const pair = await reseed({ overrides: { "dr:strategy": "warm-standby" } });
        const before = await snapshot(pair);
        assert.deepEqual(before.drGroup?.size, [1, 1, N]);
        assert.equal(before.drTargets.length, 1);
        const ctx = context(pair);
        const failover = await engine("failover", ctx);
        assert.equal(failover.error, undefined, failover.error?.message);
        assert.deepEqual(statuses(failover.results), {
            "readiness": "done", "promote-database": "simulated", "scale-compute": "done", "warm-cache": "simulated",
            "shift-traffic": "done", "reconcile-iac": "done", "smoke-check": "done",
        });
        assert.deepEqual(result(failover.results, "warm-cache").notes, ["moto answers ModifyReplicationGroup with HTTP 500"]);
        // The canary runs in standby: the smoke check read its alarm in moto, the OK the seed set (its reason says so).
        assert.match(result(failover.results, "smoke-check").notes[1],
            new RegExp(`^shop-usw2-canary-health in us-west-2 is OK, state updated \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(${SEEDED_CANARY_REASON.replace(/[.()]/g, "\\$&")}\\)$`));
        assert.equal(ctx.facts.get("dr canary"), result(failover.results, "smoke-check").notes[1]);
        const s = await snapshot(pair);
        assert.deepEqual(s.drGroup?.size, [N, N, N]);
        assert.equal(s.drTargets.length, N);
        assert.equal(s.fence, "ALARM");
        assert.deepEqual(s.cache, before.cache, "the cache resize was simulated: moto's cache is unchanged");

        const failback = await engine("failback", ctx);
        assert.equal(failback.error, undefined, failback.error?.message);
        assert.deepEqual((await group("us-west-2", DR.autoScalingGroup))?.size, [1, 1, N]);
        assert.equal(await fence(), "OK");
    });

    it("failback before any failover refuses, naming what it looked at, and changes nothing", async function () {
        const pair = await reseed();
        const before = await snapshot(pair);
        const run = await runRunbook(args("failback", { force: true }));
        assert.ok(run.error instanceof NothingToFailBackError, `NothingToFailBackError, got ${run.error}`);
        assert.match(run.error.message, /^nothing to fail back: the traffic fence shop-use1-traffic-fence is OK \(not ALARM\), shop-usw2-aurora is not the writer, the dr fleet is at its standby size\. /);
        assert.deepEqual(statuses(run.results).readiness, "failed");
        assert.deepEqual(await snapshot(pair), before);
    });

    it("active-active, weighted: failover closes the fence with no Route 53 call; failback walks the primary back to its configured weight", async function () {
        const pair = await reseed({ overrides: { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" } });
        assert.deepEqual(await weights(pair), { [PRIMARY.dnsSetIdentifier]: 50, [DR.dnsSetIdentifier]: 50 });
        const base = context(pair);
        // Route 53's API is reached only through ctx.route53(): count the clients made and record every weight written.
        let route53Calls = 0;
        const written: [string, number][] = [];
        const route53 = base.route53();
        route53.middlewareStack.add((next) => async (a) => {
            route53Calls++;
            const input = a.input as { ChangeBatch?: { Changes: { ResourceRecordSet: { SetIdentifier?: string; Weight?: number } }[] } };
            for (const c of input.ChangeBatch?.Changes ?? []) written.push([c.ResourceRecordSet.SetIdentifier!, c.ResourceRecordSet.Weight!]);
            return next(a);
        }, { step: "initialize", name: "recordWeights" });
        const ctx: RunbookContext = { ...base, route53: () => route53 };

        const failover = await engine("failover", ctx);
        assert.equal(failover.error, undefined, failover.error?.message);
        assert.equal(result(failover.results, "scale-compute").status, "already-done", "active-active already runs N in the dr region");
        assert.equal(result(failover.results, "shift-traffic").status, "done");
        assert.equal(route53Calls, 0, "the failover sends nothing to Route 53's API");
        assert.equal(await fence(), "ALARM", "the primary is drained by its fence");
        assert.deepEqual(await weights(pair), { [PRIMARY.dnsSetIdentifier]: 50, [DR.dnsSetIdentifier]: 50 }, "the weights stay as configured");

        const failback = await engine("failback", ctx);
        assert.equal(failback.error, undefined, failback.error?.message);
        assert.deepEqual(failback.results.filter((r) => r.id.startsWith("shift-traffic")).map((r) => [r.id, r.status]),
            [["shift-traffic-10", "done"], ["shift-traffic-25", "done"], ["shift-traffic-50", "done"], ["shift-traffic-100", "done"]]);
        assert.deepEqual(written.filter(([id]) => id === PRIMARY.dnsSetIdentifier).map(([, w]) => w), [5, 13, 25, 50]);
        assert.deepEqual(written.filter(([id]) => id === DR.dnsSetIdentifier), [], "the dr region keeps its configured weight throughout");
        assert.deepEqual(await weights(pair), { [PRIMARY.dnsSetIdentifier]: 50, [DR.dnsSetIdentifier]: 50 }, "the configured weights, not dr 0");
        assert.equal(await fence(), "OK");
        assert.deepEqual((await group("us-west-2", DR.autoScalingGroup))?.size, [N, N, N], "active-active keeps N in both regions");

        const again = await engine("failback", ctx);
        assert.ok(again.error instanceof NothingToFailBackError, "a second failback finds nothing to undo");
    });
});
