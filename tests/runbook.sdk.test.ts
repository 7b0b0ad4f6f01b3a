// SDK-level tests of the runbook steps moto cannot perform (Aurora global switchover/failover, cache resize):
// fake clients answer like AWS does and record the commands the runbook sends.
import { strict as assert } from "assert";
import { AwsCallError, AwsClients } from "../runbook/aws";
import { runbookContext } from "../runbook/context";
import { runSteps, serialQueue, waitsOf } from "../runbook/engine";
import { failbackSteps } from "../runbook/failback";
import { DEPLOYED_CANARY_WAIT, failoverSteps } from "../runbook/failover";
import { reportMarkdown, timelineSvg } from "../runbook/report";
import { Mode, RunbookContext, RunbookStep, SIMULATED_NOTE, StepResult } from "../runbook/types";
import { parseRunbookArgs } from "../cli/runbook";
import { Overrides } from "../model/tooling/stackFiles";
import { canaryNames } from "../model/canary";
import * as http from "http";
import { AddressInfo } from "net";

const ACCOUNT = "123456789012";
/** The dr region's canary alarm (model/canary.ts canaryNames), and when the fake says it last changed. */
const CANARY_ALARM = "shop-usw2-canary-health";
const CANARY_UPDATED = new Date("2026-11-22T00:05:00Z");
const arnOf = (region: string, cluster: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${cluster}`;

/**
 * A tiny AWS: the global cluster's writer and any promotion under way, the cache, the lag metric, the
 * fence's alarm; every command sent is recorded with the region it went to ("route53" for Route 53's API).
 */
class FakeAws {
    writer = arnOf("us-east-1", "shop-use1-aurora");
    /** A managed failover or switchover AWS is still performing (a killed run's). */
    promoting: { Status: string; ToDbClusterArn: string } | undefined;
    cache = { nodeType: "cache.t4g.medium", nodes: 1 };
    /** The Global Datastore the dr cache is a member of (dr:cacheReplication global-datastore). */
    datastore: string | undefined;
    lagMs: number | undefined = 40;
    fence: string | undefined = "OK";
    /**
     * The dr canary's alarm (shop-usw2-canary-health), read by read: each DescribeAlarms of it takes the next
     * state, the last one stays; undefined: there is no such alarm (yet).
     */
    canary: (string | undefined)[] = ["OK"];
    /** The dr Auto Scaling group; its targets are healthy as soon as it has them. */
    drGroup = { MinSize: 0, DesiredCapacity: 0, MaxSize: 4 };
    sent: { region: string; command: string; input: any }[] = [];

    clients(region: string): AwsClients {
        const send = async (command: { constructor: { name: string }; input: any }) => this.answer(region, command.constructor.name, command.input);
        const client = { send } as any;
        return { region, sts: client, autoscaling: client, elbv2: client, rds: client, elasticache: client, cloudwatch: client, ssm: client };
    }

    route53(): any {
        return { send: async (command: { constructor: { name: string }; input: any }) => this.answer("route53", command.constructor.name, command.input) };
    }

    private answer(region: string, name: string, input: any): any {
        this.sent.push({ region, command: name, input });
        const members = [arnOf("us-east-1", "shop-use1-aurora"), arnOf("us-west-2", "shop-usw2-aurora")];
        switch (name) {
            case "GetCallerIdentityCommand":
                return { Account: ACCOUNT };
            case "DescribeDBClustersCommand":
                return { DBClusters: [{ DBClusterArn: arnOf(region, input.DBClusterIdentifier) }] };
            case "DescribeGlobalClustersCommand":
                return {
                    GlobalClusters: [{
                        GlobalClusterMembers: members.map((arn) => ({ DBClusterArn: arn, IsWriter: arn === this.writer })),
                        ...(this.promoting ? { FailoverState: this.promoting } : {}),
                    }],
                };
            case "SwitchoverGlobalClusterCommand":
            case "FailoverGlobalClusterCommand":
                this.writer = input.TargetDbClusterIdentifier;
                return {};
            case "DescribeAlarmsCommand": {
                if (input.AlarmNames[0] === CANARY_ALARM) {
                    const state = this.canary.length > 1 ? this.canary.shift() : this.canary[0];
                    return { MetricAlarms: state === undefined ? [] : [{ AlarmName: CANARY_ALARM, StateValue: state, StateUpdatedTimestamp: CANARY_UPDATED, StateReason: `${state} by the fake` }] };
                }
                return { MetricAlarms: this.fence === undefined ? [] : [{ AlarmName: input.AlarmNames[0], StateValue: this.fence }] };
            }
            case "PutMetricDataCommand":
                return {};
            case "DescribeAutoScalingGroupsCommand":
                return { AutoScalingGroups: [this.drGroup] };
            case "UpdateAutoScalingGroupCommand":
                this.drGroup = { MinSize: input.MinSize, DesiredCapacity: input.DesiredCapacity, MaxSize: input.MaxSize };
                return {};
            case "DescribeTargetGroupsCommand":
                return { TargetGroups: [{ TargetGroupArn: `arn:tg:${input.Names[0]}` }] };
            case "DescribeTargetHealthCommand":
                return { TargetHealthDescriptions: Array.from({ length: this.drGroup.DesiredCapacity }, () => ({ TargetHealth: { State: "healthy" } })) };
            case "SetAlarmStateCommand":
                this.fence = input.StateValue;
                return {};
            case "GetMetricStatisticsCommand":
                return { Datapoints: this.lagMs === undefined ? [] : [{ Timestamp: new Date(), Maximum: this.lagMs }] };
            case "DescribeReplicationGroupsCommand":
                return { ReplicationGroups: [{
                    CacheNodeType: this.cache.nodeType, MemberClusters: Array.from({ length: this.cache.nodes }, (_, i) => `n${i}`),
                    ...(this.datastore ? { GlobalReplicationGroupInfo: { GlobalReplicationGroupId: this.datastore, GlobalReplicationGroupMemberRole: "SECONDARY" } } : {}),
                }] };
            case "DisassociateGlobalReplicationGroupCommand":
                this.datastore = undefined;
                return {};
            case "ModifyReplicationGroupCommand":
                this.cache = { ...this.cache, nodeType: input.CacheNodeType };
                return {};
            case "ListResourceRecordSetsCommand":
                return { ResourceRecordSets: [] };
            case "IncreaseReplicaCountCommand":
                this.cache = { ...this.cache, nodes: input.NewReplicaCount + 1 };
                return {};
            default:
                throw new Error(`FakeAws: unexpected ${name}`);
        }
    }
}

/** The context the CLI builds for the dr stack, with the fake's clients in place of AWS's. */
function context(fake: FakeAws, mode: Mode, overrides: Overrides = {}): RunbookContext {
    const ctx = runbookContext({ stack: "dr", mode, overrides, smokeUrl: "http://127.0.0.1:9/health", waitSeconds: 1, pollMs: 10 });
    return { ...ctx, dr: fake.clients(ctx.cfg.drRegion), primary: fake.clients(ctx.cfg.primaryRegion), route53: () => fake.route53() };
}

const step = (steps: RunbookStep[], id: string) => steps.find((s) => s.id === id)!;
const run = (s: RunbookStep, ctx: RunbookContext) => runSteps([s], ctx, { dryRun: false, confirm: async () => true, renderer: "silent" });

describe("runbook, SDK level (what the emulator cannot do)", () => {
    it("planned failover: a switchover to the dr cluster's ARN, verified by reading the writer back", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "planned");
        const outcome = await run(step(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(outcome.error, undefined);
        assert.equal(outcome.results[0].status, "done");
        const call = fake.sent.find((c) => c.command === "SwitchoverGlobalClusterCommand");
        assert.deepEqual(call?.input, { GlobalClusterIdentifier: "shop-global", TargetDbClusterIdentifier: arnOf("us-west-2", "shop-usw2-aurora") });
        assert.equal(fake.sent.some((c) => c.command === "FailoverGlobalClusterCommand"), false);
    });

    it("unplanned failover: failover with data loss, and the lag at that moment recorded as the RPO exposure", async () => {
        const fake = new FakeAws();
        fake.lagMs = 850;
        const ctx = context(fake, "unplanned");
        await run(step(failoverSteps(ctx), "promote-database"), ctx);
        const call = fake.sent.find((c) => c.command === "FailoverGlobalClusterCommand");
        assert.equal(call?.input.AllowDataLoss, true);
        assert.equal(call?.input.TargetDbClusterIdentifier, arnOf("us-west-2", "shop-usw2-aurora"));
        assert.equal(ctx.facts.get("RPO exposure (lag at promotion)"), "850 ms");
    });

    it("a re-run after the promotion sends nothing: the writer is already the dr cluster", async () => {
        const fake = new FakeAws();
        fake.writer = arnOf("us-west-2", "shop-usw2-aurora");
        const ctx = context(fake, "planned");
        const outcome = await run(step(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(outcome.results[0].status, "already-done");
        assert.equal(fake.sent.some((c) => /Switchover|Failover/.test(c.command)), false);
    });

    it("a promotion AWS accepts but never completes fails the step after the wait, naming what it waited for", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "planned");
        (fake as any).answer = ((orig) => function (this: FakeAws, region: string, name: string, input: any) {
            return name === "SwitchoverGlobalClusterCommand" ? {} : orig.call(this, region, name, input);
        })((fake as any).answer);
        const outcome = await run(step(failoverSteps(ctx), "promote-database"), ctx);
        assert.match(outcome.error!.message, /gave up after 1 s waiting for shop-usw2-aurora to become the writer/);
        assert.equal(outcome.results[0].status, "failed");
    });

    it("warm standby: the cache is resized to production size, node type then replicas", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "planned", { "dr:strategy": "warm-standby" });
        const outcome = await run(step(failoverSteps(ctx), "warm-cache"), ctx);
        assert.equal(outcome.results[0].status, "done");
        assert.deepEqual(fake.sent.filter((c) => /Modify|Increase/.test(c.command)).map((c) => [c.command, c.input]), [
            ["ModifyReplicationGroupCommand", { ReplicationGroupId: "shop-usw2-cache", CacheNodeType: "cache.r7g.large", ApplyImmediately: true }],
            ["IncreaseReplicaCountCommand", { ReplicationGroupId: "shop-usw2-cache", NewReplicaCount: 1, ApplyImmediately: true }],
        ]);
        assert.deepEqual(fake.cache, { nodeType: "cache.r7g.large", nodes: 2 });
    });

    it("failback switches the writer back to the primary cluster", async () => {
        const fake = new FakeAws();
        fake.writer = arnOf("us-west-2", "shop-usw2-aurora");
        const ctx = context(fake, "planned");
        const outcome = await run(step(failbackSteps(ctx), "switch-database-back"), ctx);
        assert.equal(outcome.results[0].status, "done");
        assert.equal(fake.writer, arnOf("us-east-1", "shop-use1-aurora"));
    });

    it("the steps follow the tier: backup & restore closes the fence and restores through the IaC; weighted records walk back in four steps", () => {
        const ids = (overrides: Overrides) => failoverSteps(context(new FakeAws(), "planned", overrides)).map((s) => s.id);
        assert.deepEqual(ids({}), ["readiness", "promote-database", "scale-compute", "shift-traffic", "reconcile-iac", "smoke-check"]);
        assert.deepEqual(ids({ "dr:strategy": "warm-standby" }), ["readiness", "promote-database", "scale-compute", "warm-cache", "shift-traffic", "reconcile-iac", "smoke-check"]);
        assert.deepEqual(ids({ "dr:strategy": "backup-restore" }), ["readiness", "shift-traffic", "reconcile-iac", "smoke-check"]);
        const weighted = failoverSteps(context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" }));
        assert.match(step(weighted, "shift-traffic").title, /^Close the traffic fence in the dr region/, "weighted records are drained by the fence too");
        const back = failbackSteps(context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" })).map((s) => s.id);
        assert.deepEqual(back.filter((id) => id.startsWith("shift-traffic")), ["shift-traffic-10", "shift-traffic-25", "shift-traffic-50", "shift-traffic-100"]);
    });

    it("expected starts come from the model's failover graph: the report's expected total is its critical path, not the steps' sum", async () => {
        const ctx = context(new FakeAws(), "unplanned");
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: true, confirm: async () => { throw new Error("a dry run asks nothing"); } });
        // pilot light: promotion and fleet side by side (900 s each), the deploy's cache after the promotion (1800 s), then the canary (600 s)
        assert.deepEqual(outcome.results.map((r) => [r.id, r.expectedStart, r.expectedSeconds]), [
            ["readiness", 0, 0], ["promote-database", 0, 900], ["scale-compute", 0, 900], ["shift-traffic", 900, 60],
            ["reconcile-iac", 900, 1800], ["smoke-check", 2700, 600],
        ]);
        const report = reportMarkdown({ kind: "failover", stack: "dr", strategy: "pilot-light", mode: "unplanned", startedAt: new Date(0),
            target: "AWS", results: outcome.results, rtoTargetSeconds: 14400, facts: new Map() });
        assert.match(report, /the model expects 3300 s for a real failover from its first step, on its critical path; RTO target 14400 s/);
    });

    it("expected durations come from the RTO model: each step expects its model step's seconds", async () => {
        const ctx = context(new FakeAws(), "planned", { "dr:strategy": "warm-standby" });
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: true, confirm: async () => { throw new Error("a dry run asks nothing"); } });
        assert.ok(outcome.results.every((r) => r.status === "planned"));
        assert.deepEqual(outcome.results.map((r) => [r.id, r.expectedSeconds]), [
            ["readiness", 0], ["promote-database", 300], ["scale-compute", 750], ["warm-cache", 600],
            ["shift-traffic", 60], ["reconcile-iac", 0], ["smoke-check", 300],
        ]);
    });

    it("a Global Datastore member is promoted by leaving the datastore in the dr region, verified by reading it back; never resized", async () => {
        const fake = new FakeAws();
        fake.cache = { nodeType: "cache.r7g.large", nodes: 2 };
        fake.datastore = "ldgnf-shop-use1-cache";
        const ctx = context(fake, "unplanned", {
            "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": "ldgnf-shop-use1-cache",
        });
        const cache = step(failoverSteps(ctx), "warm-cache");
        assert.match(cache.title, /^Promote the dr cache: leave the Global Datastore ldgnf-shop-use1-cache/);
        assert.equal(cache.expectedSeconds, 300, "the model's assumed promotion");
        const outcome = await run(cache, ctx);
        assert.equal(outcome.results[0].status, "done", outcome.error?.message);
        const leave = fake.sent.filter((c) => c.command === "DisassociateGlobalReplicationGroupCommand");
        assert.deepEqual(leave.map((c) => [c.region, c.input]), [["us-west-2",
            { GlobalReplicationGroupId: "ldgnf-shop-use1-cache", ReplicationGroupId: "shop-usw2-cache", ReplicationGroupRegion: "us-west-2" }]]);
        assert.equal(fake.sent.some((c) => c.command === "ModifyReplicationGroupCommand" || c.region === "us-east-1"), false);
        const again = await run(cache, ctx);
        assert.equal(again.results[0].status, "already-done", "a re-run finds it promoted");
    });

    it("a cache change whose answer is lost is sent once and read back: the datastore left goes on; a resize that does not show fails, saying so (issue 17, 3.1)", async () => {
        const timedOut = (operation: string) => new AwsCallError("us-west-2", "elasticache", operation, Object.assign(new Error("timed out"), { name: "TimeoutError", code: "ETIMEDOUT" }));
        const fake = new FakeAws();
        fake.datastore = "ldgnf-shop-use1-cache";
        (fake as any).answer = ((orig) => function (this: FakeAws, region: string, name: string, input: any) {
            const answer = orig.call(this, region, name, input);
            if (name === "DisassociateGlobalReplicationGroupCommand") {
                throw timedOut("DisassociateGlobalReplicationGroup");
            }
            return answer;
        })((fake as any).answer);
        const ctx = context(fake, "unplanned", {
            "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": "ldgnf-shop-use1-cache",
        });
        const left = await run(step(failoverSteps(ctx), "warm-cache"), ctx);
        assert.equal(left.error, undefined, left.error?.message);
        assert.equal(fake.sent.filter((c) => c.command === "DisassociateGlobalReplicationGroupCommand").length, 1);
        assert.match(left.results[0].notes[0], /^us-west-2 elasticache DisassociateGlobalReplicationGroup: no answer \(ETIMEDOUT: timed out\); .*: sent once, not again\. Read back: shop-usw2-cache is in no Global Datastore: the change was made$/);

        const lost = new FakeAws();
        (lost as any).answer = ((orig) => function (this: FakeAws, region: string, name: string, input: any) {
            if (name === "ModifyReplicationGroupCommand") {
                this.sent.push({ region, command: name, input });
                throw timedOut("ModifyReplicationGroup");
            }
            return orig.call(this, region, name, input);
        })((lost as any).answer);
        const resize = context(lost, "planned", { "dr:strategy": "warm-standby" });
        const outcome = await run(step(failoverSteps(resize), "warm-cache"), resize);
        assert.equal(outcome.results[0].status, "failed");
        assert.match(outcome.error!.message, /ModifyReplicationGroup: no answer .*: sent once, not again\. Read back: shop-usw2-cache is \?, still 1 x cache\.t4g\.medium: the change was not made$/);
        assert.equal(lost.sent.some((c) => c.command === "IncreaseReplicaCountCommand"), false, "nothing after it");
    });

    it("a failover with no fence alarm in the dr region fails, naming the alarm and the fix", async () => {
        const fake = new FakeAws();
        fake.fence = undefined;
        const ctx = context(fake, "unplanned");
        const outcome = await run(step(failoverSteps(ctx), "shift-traffic"), ctx);
        assert.equal(outcome.results[0].status, "failed");
        assert.match(outcome.error!.message, /^no traffic fence alarm shop-use1-traffic-fence in us-west-2: run pulumi up -s dr$/);
        assert.equal(fake.sent.some((c) => c.command === "SetAlarmStateCommand"), false);
    });

    it("closing the fence: a FenceClosed datapoint of 1 and the alarm set to ALARM, both in the dr region", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "unplanned");
        const outcome = await run(step(failoverSteps(ctx), "shift-traffic"), ctx);
        assert.equal(outcome.results[0].status, "done");
        const writes = fake.sent.filter((c) => /PutMetricData|SetAlarmState/.test(c.command));
        assert.deepEqual(writes.map((c) => [c.region, c.command]), [["us-west-2", "PutMetricDataCommand"], ["us-west-2", "SetAlarmStateCommand"]]);
        const datum = writes[0].input.MetricData[0];
        assert.deepEqual([writes[0].input.Namespace, datum.MetricName, datum.Value, datum.Dimensions],
            ["multi-region-dr", "FenceClosed", 1, [{ Name: "App", Value: "shop" }, { Name: "Record", Value: "shop-use1" }]]);
        assert.deepEqual([writes[1].input.AlarmName, writes[1].input.StateValue], ["shop-use1-traffic-fence", "ALARM"]);
    });

    for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
        for (const mode of ["unplanned", "planned"] as const) {
            it(`${strategy}, ${mode} failover: every call goes to the dr region's regional APIs${mode === "planned" ? ", but the primary's STS answering" : ""}; none to Route 53's API`, async () => {
                const fake = new FakeAws();
                if (strategy === "active-active") fake.drGroup = { MinSize: 4, DesiredCapacity: 4, MaxSize: 4 };
                const ctx = context(fake, mode, { "dr:strategy": strategy });
                const outcome = await runSteps(failoverSteps(ctx), ctx, {
                    dryRun: false, confirm: async () => true, renderer: "silent", simulate: new Map([["smoke-check", "no app in this test"]]),
                });
                assert.equal(outcome.error, undefined, outcome.error?.message);
                const elsewhere = fake.sent.filter((c) => c.region !== "us-west-2").map((c) => `${c.region} ${c.command}`);
                assert.deepEqual(elsewhere, mode === "planned" ? ["us-east-1 GetCallerIdentityCommand"] : []);
                assert.equal(fake.fence, "ALARM");
            });
        }
    }

    it("readiness warns when the state backend names the primary region, and records it", async () => {
        const fake = new FakeAws();
        fake.drGroup = { MinSize: 0, DesiredCapacity: 0, MaxSize: 4 };
        const ctx: RunbookContext = { ...context(fake, "unplanned"), backend: { url: "s3://pulumi-state?region=us-east-1", source: "PULUMI_BACKEND_URL" } };
        const outcome = await run(step(failoverSteps(ctx), "readiness"), ctx);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.match(outcome.results[0].notes.join("\n"), /^warning: the state backend s3:\/\/pulumi-state\?region=us-east-1 \(PULUMI_BACKEND_URL\) names the primary region us-east-1/m);
        assert.ok(ctx.facts.has("state backend"));
    });

    it("a promotion already under way (a killed run's) is waited on, not started a second time", async () => {
        const fake = new FakeAws();
        const drArn = arnOf("us-west-2", "shop-usw2-aurora");
        fake.promoting = { Status: "failing-over", ToDbClusterArn: drArn };
        let polls = 0;
        (fake as any).answer = ((orig) => function (this: FakeAws, region: string, name: string, input: any) {
            if (name === "DescribeGlobalClustersCommand" && ++polls === 4) {
                this.writer = drArn;
                this.promoting = undefined;
            }
            return orig.call(this, region, name, input);
        })((fake as any).answer);
        const ctx = context(fake, "unplanned");
        const outcome = await run(step(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(fake.sent.some((c) => /Switchover|Failover/.test(c.command)), false, "no second FailoverGlobalCluster");
        assert.deepEqual(outcome.results[0].notes, ["a promotion to shop-usw2-aurora was already under way (failing-over): waited on it, did not start another"]);
    });

    it("a promotion under way to another cluster stops the step, naming it", async () => {
        const fake = new FakeAws();
        fake.promoting = { Status: "switching-over", ToDbClusterArn: arnOf("eu-west-1", "other") };
        const ctx = context(fake, "planned");
        const outcome = await run(step(failoverSteps(ctx), "promote-database"), ctx);
        assert.match(outcome.error!.message, /^a promotion of shop-global to arn:aws:rds:eu-west-1:123456789012:cluster:other is under way \(switching-over\): wait for it to end, then re-run$/);
        assert.equal(fake.sent.some((c) => /Switchover|Failover/.test(c.command)), false);
    });

    it("failback refuses when nothing was failed over, also with --force's readiness bypass", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "planned");
        const outcome = await run(step(failbackSteps(ctx), "readiness"), ctx);
        assert.match(outcome.error!.message, /^nothing to fail back: the traffic fence shop-use1-traffic-fence is OK \(not ALARM\)/);
        assert.equal(fake.sent.some((c) => /Set|Update|Switchover|Change/.test(c.command)), false);
    });

    it("failback's weighted walk: the primary's weight 10/25/50/100 % of its configured weight, the dr region's kept", async () => {
        const { FAILBACK_SHARES, weightsForShare, primaryShare } = await import("../runbook/failback");
        const configured = { primary: 50, dr: 50 };
        assert.deepEqual(FAILBACK_SHARES.map((s) => weightsForShare(s, configured).primary), [5, 13, 25, 50]);
        assert.ok(FAILBACK_SHARES.every((s) => weightsForShare(s, configured).dr === 50));
        assert.deepEqual(weightsForShare(100, { primary: 200, dr: 10 }), { primary: 200, dr: 10 }, "the last step is the configured weights");
        assert.deepEqual(weightsForShare(10, { primary: 3, dr: 100 }), { primary: 1, dr: 100 }, "at least 1 while it has a weight");
        assert.deepEqual(weightsForShare(10, { primary: 0, dr: 100 }), { primary: 0, dr: 100 }, "a drained primary stays drained");
        assert.deepEqual([primaryShare({ primary: 5, dr: 50 }), primaryShare({ primary: 1, dr: 0 }), primaryShare({ primary: 0, dr: 0 })], [5 / 55, 1, 0.5]);
    });

    it("read-only steps count as verified by their own run: the readiness step passes, it is not re-checked", async () => {
        const ctx = context(new FakeAws(), "planned");
        const readOnly: RunbookStep = { id: "check", title: "check", expectedSeconds: 1, readOnly: true, done: async () => false, run: async () => ["fine"] };
        const outcome = await runSteps([readOnly], ctx, { dryRun: false, confirm: async () => { throw new Error("reads need no approval"); }, renderer: "silent" });
        assert.equal(outcome.error, undefined);
        assert.deepEqual(outcome.results.map((r) => [r.status, r.notes]), [["done", ["fine"]]]);
    });

    it("a declined confirmation stops before the first change", async () => {
        const fake = new FakeAws();
        const ctx = context(fake, "planned");
        const outcome = await runSteps([step(failoverSteps(ctx), "promote-database")], ctx, { dryRun: false, confirm: async () => false, renderer: "silent" });
        assert.match(outcome.error!.message, /not confirmed: nothing was changed/);
        assert.equal(fake.sent.some((c) => /Switchover|Failover/.test(c.command)), false);
    });
});

/** The fake, answering the named commands only after a delay (AWS's answer, and its effect, come late). */
function slow(fake: FakeAws, delays: Readonly<Record<string, number>>, fail: Readonly<Record<string, string>> = {}): FakeAws {
    (fake as any).answer = ((orig) => function (this: FakeAws, region: string, name: string, input: any) {
        const wait = delays[name];
        if (wait === undefined) {
            return orig.call(this, region, name, input);
        }
        return new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
            if (fail[name] !== undefined) {
                throw new Error(fail[name]);
            }
            return orig.call(this, region, name, input);
        });
    })((fake as any).answer);
    return fake;
}

const interval = (r: StepResult) => [r.startedAt!, r.endedAt!] as const;
const byId = (results: readonly StepResult[]) => new Map(results.map((r) => [r.id, r]));
/** The promotion, the scale-up and the cache's resize answer after 300, 200 and 250 ms: 750 ms one after another. */
const DELAYS = { SwitchoverGlobalClusterCommand: 300, UpdateAutoScalingGroupCommand: 200, ModifyReplicationGroupCommand: 250 };
const SIDE_BY_SIDE = ["promote-database", "scale-compute", "warm-cache"];

describe("the runbook's engine runs the tier's failover graph: steps that wait for none of each other side by side (runbook/engine.ts)", () => {
    const warmStandby = (fake: FakeAws) => context(fake, "planned", { "dr:strategy": "warm-standby" });
    const simulateSmoke = new Map([["smoke-check", "no app in this test"]]);

    it("the failover's steps wait for what the tier's graph says; the failback's for the step before each", () => {
        const ctx = warmStandby(new FakeAws());
        assert.deepEqual(failoverSteps(ctx).map((s) => [s.id, s.after]), [
            ["readiness", []], ["promote-database", ["readiness"]], ["scale-compute", ["readiness"]], ["warm-cache", ["readiness"]],
            ["shift-traffic", SIDE_BY_SIDE], ["reconcile-iac", SIDE_BY_SIDE], ["smoke-check", ["shift-traffic"]],
        ]);
        const back = failbackSteps(context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" }));
        assert.deepEqual(back.map((s) => s.after), back.map((_, i) => (i === 0 ? [] : [back[i - 1].id])));
    });

    it("warm standby: database, fleet and cache overlap, traffic moves after all three, the run takes the longest branch, one confirmation", async () => {
        const fake = slow(new FakeAws(), DELAYS);
        const ctx = warmStandby(fake);
        let asked = 0;
        // The answer comes late, so all three steps reach the question while it is open.
        const confirm = async () => { asked++; await new Promise((resolve) => setTimeout(resolve, 50)); return true; };
        const calls: { id: string; soFar: string[] }[] = [];
        let writing = 0, overlapping = 0;
        const outcome = await runSteps(failoverSteps(ctx), ctx, {
            dryRun: false, confirm, renderer: "silent", simulate: simulateSmoke,
            // A slow writer of the report: a second call while one is under way would be seen.
            onResult: async (result, soFar) => {
                overlapping += writing++ > 0 ? 1 : 0;
                calls.push({ id: result.id, soFar: soFar.map((r) => r.id) });
                await new Promise((resolve) => setTimeout(resolve, result.id === "promote-database" ? 120 : 10));
                writing--;
            },
        });
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(asked, 1, "one confirmation for the whole run");
        assert.deepEqual(outcome.results.map((r) => r.id), failoverSteps(ctx).map((s) => s.id), "results in the steps' own order");
        const r = byId(outcome.results);
        const [starts, ends] = [SIDE_BY_SIDE.map((id) => interval(r.get(id)!)[0]), SIDE_BY_SIDE.map((id) => interval(r.get(id)!)[1])];
        assert.ok(Math.max(...starts) < Math.min(...ends), `the three overlap: ${SIDE_BY_SIDE.map((id) => `${id} ${interval(r.get(id)!)}`).join(", ")}`);
        assert.ok(interval(r.get("shift-traffic")!)[0] >= Math.max(...ends), "traffic moves once all three have ended");
        assert.ok(interval(r.get("smoke-check")!)[0] >= interval(r.get("shift-traffic")!)[1], "the smoke check follows the traffic");
        const span = Math.max(...outcome.results.map((x) => x.endedAt!));
        const longest = Math.max(...Object.values(DELAYS)) / 1000, sum = Object.values(DELAYS).reduce((a, b) => a + b, 0) / 1000;
        assert.ok(span >= longest && span < (longest + sum) / 2, `${span} s: about the longest branch (${longest} s), not the sum (${sum} s)`);
        for (const x of outcome.results) {
            assert.ok(Math.abs(x.seconds - (x.endedAt! - x.startedAt!)) <= 0.051, `${x.id}: its seconds are its end less its start`);
        }
        // The report's writer: one call at a time, in the order the steps ended, each seeing the ones before it.
        assert.equal(overlapping, 0, "no report write began before the one before it ended");
        assert.deepEqual(calls.map((c) => c.id).sort(), outcome.results.map((x) => x.id).sort(), "told of every step once");
        const ended = calls.map((c) => r.get(c.id)!.endedAt!);
        assert.ok(ended.every((e, i) => i === 0 || e >= ended[i - 1]), `told in the order the steps ended: ${calls.map((c) => c.id).join(", ")}`);
        calls.forEach((c, i) => assert.deepEqual([...c.soFar].sort(), calls.slice(0, i + 1).map((x) => x.id).sort(), `call ${i + 1} sees the steps ended so far`));
    });

    it("a failing step stops the steps that wait for it, the others still run, and every started step ends before the run returns", async () => {
        // The promotion is refused after 100 ms, while the fleet and the cache take 300 and 350 ms.
        const fake = slow(new FakeAws(), { SwitchoverGlobalClusterCommand: 100, UpdateAutoScalingGroupCommand: 300, ModifyReplicationGroupCommand: 350 },
            { SwitchoverGlobalClusterCommand: "InvalidGlobalClusterStateFault: the global cluster is busy" });
        const ctx = warmStandby(fake);
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: false, confirm: async () => true, renderer: "silent", simulate: simulateSmoke });
        assert.match(outcome.error!.message, /^InvalidGlobalClusterStateFault: the global cluster is busy$/, "the failure");
        const r = byId(outcome.results);
        assert.deepEqual(outcome.results.map((x) => [x.id, x.status]), [
            ["readiness", "done"], ["promote-database", "failed"], ["scale-compute", "done"], ["warm-cache", "done"],
            ["shift-traffic", "not-run"], ["reconcile-iac", "not-run"], ["smoke-check", "not-run"],
        ]);
        assert.deepEqual(r.get("shift-traffic")!.notes, ["not run: it waits for promote-database, which failed"]);
        assert.deepEqual(r.get("reconcile-iac")!.notes, ["not run: it waits for promote-database, which failed"]);
        assert.deepEqual(r.get("smoke-check")!.notes, ["not run: it waits for shift-traffic, which did not run (promote-database failed)"]);
        assert.ok(interval(r.get("scale-compute")!)[1] > interval(r.get("promote-database")!)[1], "the fleet went on after the promotion failed...");
        assert.deepEqual([fake.drGroup.DesiredCapacity, fake.cache.nodeType], [4, "cache.r7g.large"], "...and both ended before the run returned");
        assert.equal(fake.fence, "OK", "the fence stays open: traffic waits for the database");
        assert.equal(r.get("shift-traffic")!.startedAt, undefined, "a step that never started has no start");
    });

    it("two steps side by side fail: the run's error is the first failed step's in the steps' order, whichever failed first", async () => {
        const fake = slow(new FakeAws(), { SwitchoverGlobalClusterCommand: 200, ModifyReplicationGroupCommand: 20 },
            { SwitchoverGlobalClusterCommand: "promotion refused", ModifyReplicationGroupCommand: "resize refused" });
        const ctx = warmStandby(fake);
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: false, confirm: async () => true, renderer: "silent", simulate: simulateSmoke });
        const r = byId(outcome.results);
        assert.ok(r.get("warm-cache")!.endedAt! < r.get("promote-database")!.endedAt!, "the cache failed first");
        assert.deepEqual([r.get("warm-cache")!.status, r.get("promote-database")!.status, r.get("scale-compute")!.status], ["failed", "failed", "done"]);
        assert.equal(outcome.error?.message, "promotion refused");
        assert.deepEqual(r.get("shift-traffic")!.notes, ["not run: it waits for promote-database, which failed"], "the first it waits for that failed");
    });

    it("a declined confirmation: asked once, the asking step fails, the steps waiting on the answer do not run, nothing changes", async () => {
        const fake = new FakeAws();
        const ctx = warmStandby(fake);
        let asked = 0;
        const confirm = async () => { asked++; await new Promise((resolve) => setTimeout(resolve, 30)); return false; };
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: false, confirm, renderer: "silent", simulate: simulateSmoke });
        assert.equal(asked, 1);
        assert.match(outcome.error!.message, /^not confirmed: nothing was changed$/);
        const three = outcome.results.filter((x) => SIDE_BY_SIDE.includes(x.id));
        assert.deepEqual(three.map((x) => x.status).sort(), ["failed", "not-run", "not-run"]);
        assert.ok(three.filter((x) => x.status === "not-run").every((x) => x.notes.join() === "not run: not confirmed: nothing was changed"));
        assert.deepEqual(outcome.results.slice(4).map((x) => x.status), ["not-run", "not-run", "not-run"]);
        assert.equal(fake.sent.some((c) => /Switchover|Failover|Update|Modify|Increase|SetAlarmState|PutMetricData/.test(c.command)), false);
    });

    it("waits: unset is the step before; a wait on a step the run does not include is none; a later step or a shared id is refused", () => {
        const s = (id: string, after?: string[]) => ({ id, after });
        assert.deepEqual(waitsOf([s("a"), s("b"), s("c", []), s("d", ["a", "elsewhere", "c"])]), [[], ["a"], [], ["a", "c"]]);
        assert.throws(() => waitsOf([s("a", ["b"]), s("b", [])]), /a waits for b, which does not come before it/);
        assert.throws(() => waitsOf([s("a", ["a"])]), /a waits for a, which does not come before it/);
        assert.throws(() => waitsOf([s("a"), s("a")]), /two steps share an id/);
    });

    it("the report's writes run one at a time, in order, and a failing write neither stops the others nor the run", async () => {
        const queue = serialQueue();
        const seen: string[] = [];
        queue.push(async () => { await new Promise((resolve) => setTimeout(resolve, 30)); seen.push("first"); });
        queue.push(() => { throw new Error("disk full"); });
        queue.push(() => { seen.push("third"); });
        assert.equal((await queue.drained())?.message, "disk full");
        assert.deepEqual(seen, ["first", "third"]);
    });
});

describe("the smoke check: a GET through DNS, then the dr canary's alarm OK, read in the dr region alone", () => {
    let server: http.Server;
    let url: string;
    let gets = 0;

    before(async () => {
        server = http.createServer((req, res) => { gets++; res.writeHead(200).end("ok"); });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** The smoke check alone, as the engine runs it, against the fake and the loopback app. */
    const smoke = async (fake: FakeAws, overrides: Overrides, mode: Mode = "unplanned", simulate?: ReadonlyMap<string, string>) => {
        const ctx: RunbookContext = { ...context(fake, mode, overrides), smokeUrl: url };
        const gotBefore = gets;
        const outcome = await runSteps([step(failoverSteps(ctx), "smoke-check")], ctx, { dryRun: false, confirm: async () => true, renderer: "silent", simulate });
        return { ctx, outcome, result: outcome.results[0], got: gets - gotBefore };
    };
    const canaryReads = (fake: FakeAws) => fake.sent.filter((c) => c.command === "DescribeAlarmsCommand" && c.input.AlarmNames[0] === CANARY_ALARM);

    it("names the dr canary's alarm as model/canary.ts does", () => {
        assert.equal(canaryNames("shop", "us-west-2").alarm, CANARY_ALARM);
    });

    it("warm standby: the GET, then a wait until the alarm is OK (ALARM twice, then OK), its state-updated time in the report", async () => {
        const fake = new FakeAws();
        fake.canary = ["ALARM", "ALARM", "OK"];
        const { ctx, outcome, result, got } = await smoke(fake, { "dr:strategy": "warm-standby" });
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(result.status, "done");
        assert.equal(got, 1, "one GET through DNS");
        assert.equal(canaryReads(fake).length, 3, "read until it was OK");
        assert.match(result.title, /^Smoke-check the endpoint through DNS, and wait for the dr canary's alarm shop-usw2-canary-health to be OK$/);
        assert.match(result.notes[0], new RegExp(`^${url.replace(/[.]/g, "\\.")} answered 200 in \\d+ ms$`));
        assert.equal(result.notes[1], "shop-usw2-canary-health in us-west-2 is OK, state updated 2026-11-22T00:05:00.000Z (OK by the fake)");
        assert.equal(ctx.facts.get("dr canary"), result.notes[1]);
        assert.equal(ctx.facts.get("smoke check (GET through DNS)"), result.notes[0]);
        assert.deepEqual(canaryReads(fake).map((c) => [c.region, c.input]), Array.from({ length: 3 }, () => ["us-west-2", { AlarmNames: [CANARY_ALARM], AlarmTypes: ["MetricAlarm"] }]));
    });

    it("pilot light: the canary starts with the failover deploy, so the step waits for its alarm to appear, then to be OK", async () => {
        const fake = new FakeAws();
        fake.canary = [undefined, undefined, "INSUFFICIENT_DATA", "ALARM", "OK"];
        const { outcome, result } = await smoke(fake, {});
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.match(result.title, /to be OK \(the canary starts with the failover deploy's pulumi up: run the IaC step's commands meanwhile\)$/);
        assert.equal(canaryReads(fake).length, 5);
        assert.equal(result.notes[1], "shop-usw2-canary-health in us-west-2 is OK, state updated 2026-11-22T00:05:00.000Z (OK by the fake): " +
            "the failover deploy started the canary");
    });

    it("pilot light: an alarm that never appears fails the step after the wait, naming the alarm, the region and the commands to run", async () => {
        const fake = new FakeAws();
        fake.canary = [undefined];
        const { ctx, outcome, result, got } = await smoke(fake, {});
        assert.equal(result.status, "failed");
        assert.equal(got, 1, "the GET ran first");
        assert.equal(outcome.error!.message, "gave up after 1 s waiting for the dr canary's alarm shop-usw2-canary-health in us-west-2 to be OK: " +
            "there is no alarm shop-usw2-canary-health in us-west-2: the dr canary starts with the failover deploy; " +
            "run pulumi config set dr:failover true -s dr && pulumi up -s dr --yes, then re-run the failover (its finished steps are skipped)");
        assert.ok(canaryReads(fake).length >= 2, "it looked more than once");
        assert.equal(ctx.facts.has("dr canary"), false, "nothing was validated");
    });

    it("backup & restore: the commands it names restore through the IaC", async () => {
        const fake = new FakeAws();
        fake.canary = [undefined];
        const { outcome } = await smoke(fake, { "dr:strategy": "backup-restore" });
        assert.match(outcome.error!.message, /: the dr canary starts with the failover deploy; run pulumi config set dr:restoreFrom .+ -s dr && pulumi config set dr:failover true -s dr && pulumi up -s dr --yes, then re-run/);
    });

    it("an alarm that stays in ALARM fails the step after the wait, naming its state and where to look", async () => {
        const fake = new FakeAws();
        fake.canary = ["ALARM"];
        const { outcome } = await smoke(fake, { "dr:strategy": "warm-standby" });
        assert.equal(outcome.error!.message, "gave up after 1 s waiting for the dr canary's alarm shop-usw2-canary-health in us-west-2 to be OK: " +
            "shop-usw2-canary-health in us-west-2 is ALARM, state updated 2026-11-22T00:05:00.000Z (ALARM by the fake): the canary's runs on us-west-2's own " +
            "load balancer do not pass yet; look at them (CloudWatch Synthetics in us-west-2), then re-run the failover (its finished steps are skipped)");
    });

    for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
        for (const mode of ["unplanned", "planned"] as const) {
            it(`${strategy}, ${mode}: the smoke check sends nothing to the primary region nor to Route 53's API, only DescribeAlarms in us-west-2`, async () => {
                const fake = new FakeAws();
                fake.canary = strategy === "warm-standby" || strategy === "active-active" ? ["OK"] : [undefined, "OK"];
                const { outcome } = await smoke(fake, { "dr:strategy": strategy }, mode);
                assert.equal(outcome.error, undefined, outcome.error?.message);
                assert.deepEqual([...new Set(fake.sent.map((c) => `${c.region} ${c.command}`))], ["us-west-2 DescribeAlarmsCommand"]);
            });
        }
    }

    it("without canaries (dr:canaries=false): the GET alone, as before, and no AWS request", async () => {
        for (const strategy of ["pilot-light", "warm-standby"]) {
            const fake = new FakeAws();
            const { ctx, outcome, result, got } = await smoke(fake, { "dr:strategy": strategy, "dr:canaries": "false" });
            assert.equal(outcome.error, undefined, outcome.error?.message);
            assert.equal(result.title, "Smoke-check the endpoint");
            assert.equal(got, 1);
            assert.equal(result.notes.length, 1);
            assert.match(result.notes[0], /answered 200 in \d+ ms$/);
            assert.deepEqual(fake.sent, [], `${strategy}: no AWS request`);
            assert.equal(ctx.facts.get("dr canary"), "none (dr:canaries=false): the GET alone validates the region");
        }
    });

    it("a GET that fails fails the step at once, before any wait on the canary", async () => {
        const fake = new FakeAws();
        // The context's own smoke URL: a loopback port nothing listens on.
        const ctx = context(fake, "unplanned", { "dr:strategy": "warm-standby" });
        const outcome = await run(step(failoverSteps(ctx), "smoke-check"), ctx);
        assert.equal(outcome.results[0].status, "failed");
        // Port 9 is one fetch refuses to call: its reason, not fetch's own "fetch failed".
        assert.equal(outcome.error!.message, "smoke check GET http://127.0.0.1:9/health: no answer (bad port)", "what failed and where");
        assert.equal(canaryReads(fake).length, 0);
    });

    it("the drill's gap: where the failover deploy starts the canary, its wait is simulated and noted so; where it runs in standby, it is read", async () => {
        const gaps = new Map([[DEPLOYED_CANARY_WAIT, "no pulumi up in this test"]]);
        const pilot = new FakeAws();
        pilot.canary = [undefined];
        const p = await smoke(pilot, {}, "planned", gaps);
        assert.equal(p.outcome.error, undefined, p.outcome.error?.message);
        assert.equal(p.result.status, "done", "the GET ran: the step is done, one part of it simulated");
        assert.equal(p.got, 1);
        assert.equal(p.result.notes[1], `${SIMULATED_NOTE}the wait for the dr canary's alarm shop-usw2-canary-health in us-west-2 to be OK: no pulumi up in this test`);
        assert.equal(canaryReads(pilot).length, 0);
        const warm = new FakeAws();
        const w = await smoke(warm, { "dr:strategy": "warm-standby" }, "planned", gaps);
        assert.equal(w.outcome.error, undefined, w.outcome.error?.message);
        assert.equal(canaryReads(warm).length, 1, "the alarm stands by: it is read, not simulated");
        assert.ok(w.result.notes.every((n) => !n.startsWith(SIMULATED_NOTE)));
    });
});

describe("runbook arguments and report", () => {
    it("parses the documented flags and refuses contradictions", () => {
        const a = parseRunbookArgs(["failover", "--stack", "dr", "--unplanned", "--dry-run", "--yes"]);
        assert.deepEqual([a.kind, a.stack, a.mode, a.dryRun, a.yes, a.force], ["failover", "dr", "unplanned", true, true, false]);
        assert.equal(parseRunbookArgs(["failback", "--stack", "dr"]).mode, "planned");
        // --stack left out: the one dr stack, where there is one; here there are two apps (dr, pay-dr), so it is named.
        assert.throws(() => parseRunbookArgs(["failover"]), /--stack is needed: the dr stacks here are dr, pay-dr \(one per app\)/);
        assert.throws(() => parseRunbookArgs(["failover", "--planned", "--unplanned"]), /exclude each other/);
        assert.throws(() => parseRunbookArgs(["failback", "--unplanned"]), /failback is always planned/);
        assert.throws(() => parseRunbookArgs(["failover", "--stak", "dr"]), /Unknown option '--stak'/);
        assert.throws(() => parseRunbookArgs(["promote"]), /first argument must be failover or failback/);
    });

    it("the report lists every step with status, measured and expected seconds, simulated steps and facts", () => {
        const input = {
            kind: "failover" as const, stack: "dr", strategy: "pilot-light", mode: "planned", startedAt: new Date("2026-11-22T00:00:00Z"),
            target: "http://127.0.0.1:5000", rtoTargetSeconds: 14400, facts: new Map([["RPO exposure (lag at promotion)", "40 ms"]]),
            results: [
                { id: "readiness", title: "Check DR readiness", status: "done" as const, expectedSeconds: 30, seconds: 0.4, notes: [] },
                { id: "promote-database", title: "Promote | Aurora", status: "simulated" as const, expectedSeconds: 2700, seconds: 0, notes: ["moto: HTTP 500"] },
                { id: "scale-compute", title: "Scale", status: "failed" as const, expectedSeconds: 900, seconds: 2.5, notes: ["gave up"] },
            ],
            error: "gave up",
        };
        const md = reportMarkdown(input);
        assert.match(md, /^# Failover drill report: dr \(pilot-light, planned\)/);
        assert.match(md, /outcome: \*\*stopped\*\*: gave up/);
        assert.match(md, /\| 2 \| Promote \\\| Aurora \| simulated \| 0\.0 \| 2700 \| – \| – \| moto: HTTP 500 \|/, "no start or end: it has none recorded");
        assert.match(md, /Simulated \(the emulator cannot perform them[^\n]*\n- promote-database: moto: HTTP 500/);
        assert.match(md, /- RPO exposure \(lag at promotion\): 40 ms/);
        const svg = timelineSvg(input);
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.equal((svg.match(/<rect /g) ?? []).length, 1 + 2 * 3, "background + an expected and a measured bar per step");
        assert.match(svg, /RTO target 14,400 s/);
        assert.match(svg, /fill="#c0392b"/, "the failed step is drawn red");
    });
});

describe("the runbook's lock and progress (runbook/lock.ts, runbook/progress.ts)", () => {
    it("a lock is taken over only when asked (--break-lock) or when its holder is a dead run of this machine", async () => {
        const { mayTakeOver, thisRun } = await import("../runbook/lock");
        // "Here" is a kernel and pid namespace (runbook/lock.ts thisMachine), not a hostname that containers share.
        const holder = { ...thisRun("failover", "dr", "planned"), host: "box", pid: 42, machine: "boot-1/pid:[4026531836]" };
        const box = { machine: holder.machine }, laptop = { machine: "boot-2/pid:[4026531836]" };
        const dead = () => false, alive = () => true;
        assert.equal(mayTakeOver(holder, box, false, dead), true, "killed here: nobody can release it but us");
        assert.equal(mayTakeOver(holder, box, false, alive), false, "still running here");
        assert.equal(mayTakeOver(holder, laptop, false, dead), false, "elsewhere: only a person knows it is dead");
        assert.equal(mayTakeOver(holder, laptop, true, alive), true, "--break-lock");
    });

    it("a progress file from before steps recorded their start and end still loads: its steps laid end to end, as they ran then", async () => {
        const { readProgress, writeProgress } = await import("../runbook/progress");
        const fs = await import("fs"), os = await import("os"), path = await import("path");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "progress-"));
        try {
            const file = path.join(dir, ".failover-dr.progress.json");
            // Written by the engine that ran one step after another: no startedAt, no endedAt.
            fs.writeFileSync(file, JSON.stringify({ kind: "failover", stack: "dr", mode: "planned", startedAt: "2026-11-22T00:00:00.000Z", results: [
                { id: "readiness", title: "Readiness", status: "done", expectedSeconds: 0, seconds: 1.5, notes: [] },
                { id: "promote-database", title: "Promote", status: "simulated", expectedSeconds: 300, seconds: 0, notes: ["moto"] },
                { id: "scale-compute", title: "Scale", status: "done", expectedSeconds: 750, seconds: 212.4, notes: [] },
            ] }));
            const loaded = readProgress(file)!;
            assert.equal(loaded.startedAt, "2026-11-22T00:00:00.000Z");
            assert.deepEqual(loaded.results.map((r) => [r.id, r.status, r.seconds, r.startedAt, r.endedAt]), [
                ["readiness", "done", 1.5, 0, 1.5], ["promote-database", "simulated", 0, 1.5, 1.5], ["scale-compute", "done", 212.4, 1.5, 213.9],
            ]);
            writeProgress(file, loaded);
            assert.deepEqual(readProgress(file), loaded, "what this engine writes reads back as written");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a continued run's own steps follow the earlier run's on the timeline; the steps the earlier run did keep their times", async () => {
        const { EARLIER_NOTE, continued } = await import("../runbook/progress");
        const result = (id: string, status: StepResult["status"], startedAt?: number, endedAt?: number): StepResult =>
            ({ id, title: id, status, expectedSeconds: 0, seconds: startedAt === undefined ? 0 : Math.round((endedAt! - startedAt) * 10) / 10, startedAt, endedAt, notes: [] });
        const earlier = [result("readiness", "done", 0, 1), result("scale-compute", "done", 1, 200), result("smoke-check", "failed", 200, 206)];
        const now = [result("readiness", "done", 0, 0.8), result("scale-compute", "already-done", 0.8, 1.1), result("smoke-check", "done", 1.1, 1.4)];
        assert.deepEqual(continued(now, earlier).map((r) => [r.id, r.status, r.startedAt, r.endedAt, r.notes]), [
            ["readiness", "done", 206, 206.8, []],
            ["scale-compute", "done", 1, 200, [EARLIER_NOTE]],
            ["smoke-check", "done", 207.1, 207.4, []],
        ]);
        assert.deepEqual(continued(now, []), now, "nothing earlier: as measured");
    });

    it("a continued run keeps an earlier run's result only for steps it found already done", async () => {
        const { EARLIER_NOTE, keepEarlier } = await import("../runbook/progress");
        const earlier = [{ id: "scale-compute", title: "Scale", status: "done" as const, expectedSeconds: 750, seconds: 212.4, notes: [] }];
        const found = { id: "scale-compute", title: "Scale", status: "already-done" as const, expectedSeconds: 750, seconds: 0.1, notes: ["state already as wanted: nothing changed"] };
        assert.deepEqual(keepEarlier(found, earlier), { ...earlier[0], notes: [EARLIER_NOTE] });
        assert.deepEqual(keepEarlier(keepEarlier(found, earlier), earlier).notes, [EARLIER_NOTE], "a second continuation adds no second note");
        const redone = { ...found, status: "done" as const, seconds: 3 };
        assert.deepEqual(keepEarlier(redone, earlier), redone, "what this run did is this run's");
        assert.deepEqual(keepEarlier(found, []), found, "nothing earlier: as found");
    });
});
