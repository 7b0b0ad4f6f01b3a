// SDK-level tests of the runbook steps moto cannot perform (Aurora global switchover/failover, cache resize):
// fake clients answer like AWS does and record the commands the runbook sends.
import { strict as assert } from "assert";
import { AwsClients } from "../runbook/aws";
import { runbookConfig } from "../runbook/context";
import { runSteps } from "../runbook/engine";
import { failbackSteps } from "../runbook/failback";
import { failoverSteps } from "../runbook/failover";
import { reportMarkdown, timelineSvg } from "../runbook/report";
import { Mode, RunbookContext, RunbookStep } from "../runbook/types";
import { parseRunbookArgs } from "../cli/runbook";
import { globalClusterIdentifier, regionNames } from "../model/naming";
import { Overrides } from "../model/stackFiles";

const ACCOUNT = "123456789012";
const arnOf = (region: string, cluster: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${cluster}`;

/** A tiny AWS: the global cluster's writer, the cache, the lag metric; every command sent is recorded. */
class FakeAws {
    writer = arnOf("us-east-1", "shop-use1-aurora");
    cache = { nodeType: "cache.t4g.medium", nodes: 1 };
    lagMs: number | undefined = 40;
    sent: { command: string; input: any }[] = [];

    clients(region: string): AwsClients {
        const send = async (command: { constructor: { name: string }; input: any }) => this.answer(region, command.constructor.name, command.input);
        const client = { send } as any;
        return { region, sts: client, autoscaling: client, elbv2: client, rds: client, elasticache: client, cloudwatch: client, route53: client };
    }

    private answer(region: string, name: string, input: any): any {
        this.sent.push({ command: name, input });
        const members = [arnOf("us-east-1", "shop-use1-aurora"), arnOf("us-west-2", "shop-usw2-aurora")];
        switch (name) {
            case "DescribeDBClustersCommand":
                return { DBClusters: [{ DBClusterArn: arnOf(region, input.DBClusterIdentifier) }] };
            case "DescribeGlobalClustersCommand":
                return { GlobalClusters: [{ GlobalClusterMembers: members.map((arn) => ({ DBClusterArn: arn, IsWriter: arn === this.writer })) }] };
            case "SwitchoverGlobalClusterCommand":
            case "FailoverGlobalClusterCommand":
                this.writer = input.TargetDbClusterIdentifier;
                return {};
            case "GetMetricStatisticsCommand":
                return { Datapoints: this.lagMs === undefined ? [] : [{ Timestamp: new Date(), Maximum: this.lagMs }] };
            case "DescribeReplicationGroupsCommand":
                return { ReplicationGroups: [{ CacheNodeType: this.cache.nodeType, MemberClusters: Array.from({ length: this.cache.nodes }, (_, i) => `n${i}`) }] };
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

function context(fake: FakeAws, mode: Mode, overrides: Overrides = {}): RunbookContext {
    const cfg = runbookConfig("dr", overrides);
    return {
        cfg, stack: "dr", mode,
        dr: fake.clients(cfg.drRegion), primary: fake.clients(cfg.primaryRegion),
        names: { dr: regionNames(cfg.appName, cfg.drRegion), primary: regionNames(cfg.appName, cfg.primaryRegion), globalCluster: globalClusterIdentifier(cfg.appName) },
        smokeUrl: "http://127.0.0.1:9/health", waitSeconds: 1, pollMs: 10, facts: new Map(), log: () => undefined,
    };
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

    it("the steps follow the tier: backup & restore restores through the IaC; active-active has no fence, weighted shifts weights", () => {
        const ids = (overrides: Overrides) => failoverSteps(context(new FakeAws(), "planned", overrides)).map((s) => s.id);
        assert.deepEqual(ids({}), ["readiness", "promote-database", "scale-compute", "shift-traffic", "reconcile-iac", "smoke-check"]);
        assert.deepEqual(ids({ "dr:strategy": "warm-standby" }), ["readiness", "promote-database", "scale-compute", "warm-cache", "shift-traffic", "reconcile-iac", "smoke-check"]);
        assert.deepEqual(ids({ "dr:strategy": "backup-restore" }), ["readiness", "reconcile-iac", "smoke-check"]);
        const weighted = failoverSteps(context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" }));
        assert.match(step(weighted, "shift-traffic").title, /weight to 0/);
        const back = failbackSteps(context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" })).map((s) => s.id);
        assert.deepEqual(back.filter((id) => id.startsWith("shift-traffic")), ["shift-traffic-10", "shift-traffic-25", "shift-traffic-50", "shift-traffic-100"]);
    });

    it("expected durations come from the RTO model: the dry run adds up to the model's steps it covers", async () => {
        const ctx = context(new FakeAws(), "planned", { "dr:strategy": "warm-standby" });
        const outcome = await runSteps(failoverSteps(ctx), ctx, { dryRun: true, confirm: async () => { throw new Error("a dry run asks nothing"); } });
        assert.ok(outcome.results.every((r) => r.status === "planned"));
        // detect 30 + decide 900 + promote 300 + scale 750 + cache 600 + shift 60 + validate 600 (IaC 0)
        assert.equal(outcome.results.reduce((s, r) => s + r.expectedSeconds, 0), 3240);
    });

    it("weighted failover with no weighted records fails, instead of calling an empty set done", async () => {
        const ctx = context(new FakeAws(), "planned", { "dr:strategy": "active-active", "dr:routingPolicy": "weighted" });
        const outcome = await run(step(failoverSteps(ctx), "shift-traffic"), ctx);
        assert.equal(outcome.results[0].status, "failed");
        assert.match(outcome.error!.message, /no weighted records shop-use1 and shop-usw2 for shop\.example\.com/);
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

describe("runbook arguments and report", () => {
    it("parses the documented flags and refuses contradictions", () => {
        const a = parseRunbookArgs(["failover", "--stack", "dr", "--unplanned", "--dry-run", "--yes"]);
        assert.deepEqual([a.kind, a.stack, a.mode, a.dryRun, a.yes, a.force], ["failover", "dr", "unplanned", true, true, false]);
        assert.equal(parseRunbookArgs(["failback"]).mode, "planned");
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
        assert.match(md, /\| 2 \| Promote \\\| Aurora \| simulated \| 0\.0 \| 2700 \| moto: HTTP 500 \|/);
        assert.match(md, /Simulated \(the emulator cannot perform them[^\n]*\n- promote-database: moto: HTTP 500/);
        assert.match(md, /- RPO exposure \(lag at promotion\): 40 ms/);
        const svg = timelineSvg(input);
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.equal((svg.match(/<rect /g) ?? []).length, 1 + 2 * 3, "background + an expected and a measured bar per step");
        assert.match(svg, /RTO target 14400 s/);
        assert.match(svg, /fill="#c0392b"/, "the failed step is drawn red");
    });
});
