// Issue 20, item 4: a failover into a chosen recovery region of a set of three. The target (--to, or the least-lagged
// recovery region, each region's lag read in that region), the dr2 stack's context (its own region's clients, the
// fences it holds), and the fence steps: into dr2, the primary's and dr's records leave DNS through us-east-2's
// CloudWatch only; failback opens both. SDK fakes answer like AWS does and record every call with its region.
import { strict as assert } from "assert";
import { parseRunbookArgs } from "../cli/runbook";
import { recoveryStackIn, regionStacks } from "../model/stackSet";
import { AwsClients } from "../runbook/aws";
import { runbookContext } from "../runbook/context";
import { failbackSteps, openFences } from "../runbook/failback";
import { failoverSteps } from "../runbook/failover";
import { chooseTarget, leastLagged } from "../runbook/target";
import { RunbookContext } from "../runbook/types";
import { THREE_REGIONS, withThirdRegion } from "./helpers";

const THREE = { "dr:regions": JSON.stringify(THREE_REGIONS) };

/** CloudWatch as the runbook uses it: alarms by name per region, lag datapoints per region; every call recorded. */
class FakeCloudWatch {
    readonly sent: { region: string; command: string; input: any }[] = [];
    readonly alarms = new Map<string, string>(); // `${region} ${name}` -> state
    lagMs = new Map<string, number | Error>(); // region -> newest lag datapoint, or the error its read fails with

    clients(region: string): AwsClients {
        const client = { send: async (command: { constructor: { name: string }; input: any }) => this.answer(region, command.constructor.name, command.input) } as any;
        return { region, sts: client, autoscaling: client, elbv2: client, rds: client, elasticache: client, cloudwatch: client, ssm: client };
    }

    private answer(region: string, name: string, input: any): any {
        this.sent.push({ region, command: name, input });
        switch (name) {
            case "GetMetricStatisticsCommand": {
                const lag = this.lagMs.get(region);
                if (lag instanceof Error) {
                    throw lag;
                }
                return { Datapoints: lag === undefined ? [] : [{ Timestamp: new Date(), Maximum: lag }] };
            }
            case "DescribeAlarmsCommand": {
                const state = this.alarms.get(`${region} ${input.AlarmNames[0]}`);
                return { MetricAlarms: state === undefined ? [] : [{ AlarmName: input.AlarmNames[0], StateValue: state }] };
            }
            case "PutMetricDataCommand":
                return {};
            case "SetAlarmStateCommand":
                this.alarms.set(`${region} ${input.AlarmName}`, input.StateValue);
                return {};
            default:
                throw new Error(`the fake does not answer ${name}`);
        }
    }
}

describe("three regions: the runbook's target", () => {
    let project: ReturnType<typeof withThirdRegion>;
    before(() => { project = withThirdRegion(); });
    after(() => project.dispose());

    it("--to names a recovery region of the set: its dr stack runs; the primary, a region outside the set or one without a stack file is refused, naming the set", () => {
        assert.equal(recoveryStackIn("dr", "us-east-2", THREE, project.root), "dr2");
        assert.equal(recoveryStackIn("dr2", "us-west-2", {}, project.root), "dr");
        assert.throws(() => recoveryStackIn("dr", "us-east-1", THREE, project.root), /--to us-east-1: not a recovery region of dr's set \["us-east-1","us-west-2","us-east-2"\] \(it is the primary\): give one of us-west-2, us-east-2/);
        assert.throws(() => recoveryStackIn("dr", "eu-west-1", THREE, project.root), /not a recovery region/);
        // The shipped project: the example third stack is commented out, so us-east-2 has no stack file.
        assert.throws(() => recoveryStackIn("dr", "us-east-2", THREE), /--to us-east-2: no stack file here deploys it .*uncomment Pulumi.dr2.yaml/);
        assert.deepEqual(regionStacks("prod", THREE, project.root).map((m) => [m.region, m.role, m.stack]),
            [["us-east-1", "primary", "prod"], ["us-west-2", "secondary", "dr"], ["us-east-2", "secondary", "dr2"]]);
    });

    it("the command line: --to us-west-2 runs the pair's dr stack; --to a region without a stack file, or the primary, is a usage error naming the set", () => {
        // Two apps here (shop, pay): --stack names the app, --to the region.
        assert.equal(parseRunbookArgs(["failover", "--stack", "dr", "--to", "us-west-2", "--yes"]).stack, "dr");
        assert.equal(parseRunbookArgs(["failover", "--stack", "pay-dr", "--to", "us-west-2"]).stack, "pay-dr");
        assert.equal(parseRunbookArgs(["failover", "--stack", "dr"]).chooseTarget, undefined, "--stack names the target: nothing to choose");
        assert.throws(() => parseRunbookArgs(["failover", "--stack", "dr", "--to", "us-east-1"]), /--to us-east-1: not a recovery region of dr's set \["us-east-1","us-west-2"\] \(it is the primary\)/);
        assert.throws(() => parseRunbookArgs(["failover", "--stack", "dr", "--to", "us-east-2", "--set", `dr:regions=${THREE["dr:regions"]}`]), /--to us-east-2: no stack file here deploys it/);
    });

    it("the least-lagged recovery region, of equal lags the first in the set's order; none readable: the first, saying why", () => {
        const lags = [{ region: "us-west-2", stack: "dr", lagMs: 900 }, { region: "us-east-2", stack: "dr2", lagMs: 40 }];
        assert.equal(leastLagged(lags).stack, "dr2");
        assert.match(leastLagged(lags).why, /the least Aurora replication lag \(us-west-2 900 ms, us-east-2 40 ms\)/);
        assert.equal(leastLagged([{ ...lags[0], lagMs: 40 }, lags[1]]).stack, "dr");
        const none = leastLagged([{ region: "us-west-2", stack: "dr", unknown: "no data" }, { region: "us-east-2", stack: "dr2", unknown: "no data" }]);
        assert.equal(none.stack, "dr");
        assert.match(none.why, /no replication lag could be read/);
    });

    it("each recovery region's lag is read in that region, side by side, and nothing is asked of the primary region; a region that does not answer is passed over", async () => {
        const aws = new FakeCloudWatch();
        aws.lagMs.set("us-west-2", 1200).set("us-east-2", 35);
        const members = regionStacks("dr", THREE, project.root);
        const choice = await chooseTarget("shop", members, (r) => aws.clients(r), true);
        assert.deepEqual([choice.region, choice.stack], ["us-east-2", "dr2"]);
        assert.deepEqual(aws.sent.map((s) => [s.region, s.command, s.input.Dimensions[0].Value]).sort(),
            [["us-east-2", "GetMetricStatisticsCommand", "shop-use2-aurora"], ["us-west-2", "GetMetricStatisticsCommand", "shop-usw2-aurora"]]);
        aws.lagMs.set("us-east-2", new Error("connect ETIMEDOUT"));
        const without = await chooseTarget("shop", members, (r) => aws.clients(r), true);
        assert.equal(without.stack, "dr");
        assert.match(without.why, /us-east-2 unknown \(connect ETIMEDOUT\)/);
        const noAurora = await chooseTarget("shop", members, (r) => aws.clients(r), false);
        assert.equal(noAurora.stack, "dr", "backup & restore: no lag to read, the first recovery region");
    });
});

describe("three regions: the fences a failover into dr2 closes and its failback opens", () => {
    let project: ReturnType<typeof withThirdRegion>;
    before(() => { project = withThirdRegion(); });
    after(() => project.dispose());

    const contextOf = (aws: FakeCloudWatch, mode: "planned" | "unplanned"): RunbookContext => {
        const ctx = runbookContext({ stack: "dr2", mode, root: project.root });
        return { ...ctx, dr: aws.clients(ctx.dr.region), primary: aws.clients(ctx.primary.region) };
    };

    it("dr2's context: its own region's clients and names, the primary's fence and dr's, both held in us-east-2", () => {
        const ctx = runbookContext({ stack: "dr2", mode: "unplanned", root: project.root });
        assert.equal(ctx.dr.region, "us-east-2");
        assert.equal(ctx.names.dr.dbCluster, "shop-use2-aurora");
        assert.deepEqual([ctx.names.fence.alarmName, ctx.names.fence.alarmRegion], ["shop-use1-traffic-fence", "us-east-2"]);
        assert.deepEqual(ctx.names.otherFences.map((f) => [f.alarmName, f.alarmRegion]), [["shop-usw2-traffic-fence", "us-east-2"]]);
        // The pair's dr stack holds no other fence.
        assert.deepEqual(runbookContext({ stack: "dr", mode: "unplanned" }).names.otherFences, []);
    });

    it("the failover's shift-traffic closes both fences in us-east-2, the primary's first, with CloudWatch there only; failback opens both", async () => {
        const aws = new FakeCloudWatch();
        aws.alarms.set("us-east-2 shop-use1-traffic-fence", "OK").set("us-east-2 shop-usw2-traffic-fence", "OK");
        const ctx = contextOf(aws, "unplanned");
        const close = failoverSteps(ctx).find((s) => s.id === "shift-traffic")!;
        assert.equal(await close.done!(ctx), false);
        const lines = await close.run(ctx);
        assert.deepEqual(aws.sent.filter((s) => s.command === "SetAlarmStateCommand").map((s) => [s.region, s.input.AlarmName, s.input.StateValue]),
            [["us-east-2", "shop-use1-traffic-fence", "ALARM"], ["us-east-2", "shop-usw2-traffic-fence", "ALARM"]]);
        assert.deepEqual([...new Set(aws.sent.map((s) => s.region))], ["us-east-2"], "nothing but us-east-2");
        assert.match((lines ?? []).join("\n"), /shop-usw2-traffic-fence in us-east-2: ALARM too/);
        assert.equal(await close.done!(ctx), true);

        aws.sent.length = 0;
        const failback = contextOf(aws, "planned");
        const open = failbackSteps(failback).find((s) => s.id === "shift-traffic")!;
        // The health gate before it reads the primary's record; here the fences alone are under test.
        await openFences(failback);
        assert.deepEqual(aws.sent.filter((s) => s.command === "SetAlarmStateCommand").map((s) => [s.region, s.input.AlarmName, s.input.StateValue]),
            [["us-east-2", "shop-usw2-traffic-fence", "OK"], ["us-east-2", "shop-use1-traffic-fence", "OK"]]);
        assert.equal(await open.done!(failback), true);
    });
});
