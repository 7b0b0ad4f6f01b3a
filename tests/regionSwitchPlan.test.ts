// The ARC Region switch plan the dr stack emits with dr:regionSwitch=true: built from the tier's runbook steps
// (model/regionSwitch.ts), per tier, and its custom actions' code (functions/fence.ts, functions/cacheResize.ts,
// as packaged) run against a recording client.
import { strict as assert } from "assert";
import { LAMBDA_LAYOUT, functionFiles } from "../components/functionCode";
import { fenceOf } from "../model/fence";
import { regionNames } from "../model/naming";
import { FULL_CACHE, REDUCED_CACHE } from "../model/regionPlan";
import {
    APPROVAL_TIMEOUT_MINUTES, PlanStep, RegionSwitchTargets, cacheActionEnvironment, cacheActionOf, fenceActionEnvironment, fenceActionOf, regionSwitchPlan, rtoMinutes,
} from "../model/regionSwitch";
import { cacheLambdaPolicy, globalDatastoreArn } from "../model/policies/regionSwitch";
import { STRATEGIES } from "../model/strategy";
import { TIERS } from "../model/tiers";
import { Recording, stackRun } from "../offline/evaluate";
import { archiveFiles, loadFunction } from "./helpers";

const ACCOUNT = "123456789012";
const PLAN = "aws:arcregionswitch/plan:Plan";
const APPROVER = "arn:aws:iam::123456789012:role/incident-commander";
const ON = { "dr:regionSwitch": "true", "dr:approverArns": APPROVER };
const TARGETS: RegionSwitchTargets = {
    primaryRegion: "us-east-1", drRegion: "us-west-2", approvalRoleArn: "arn:aws:iam::123456789012:role/approve",
    asgArns: ["asg-use1", "asg-usw2"],
    aurora: { globalClusterIdentifier: "shop-global", clusterArns: ["cluster-use1", "cluster-usw2"] },
    fenceCloseLambdaArn: "close", fenceOpenLambdaArn: "open", cacheLambdaArn: "cache",
};
const names = (steps: readonly PlanStep[]): string[] => steps.map((s) => s.executionBlockType === "Parallel"
    ? `[${s.parallelConfigs![0].steps.map((x) => x.name).join(" | ")}]` : s.name);
const flat = (steps: readonly PlanStep[]): PlanStep[] => steps.flatMap((s) => s.parallelConfigs?.[0].steps ?? [s]);

describe("ARC Region switch: the plan is the tier's runbook, as execution blocks (model/regionSwitch.ts)", () => {
    const EXPECTED: Record<string, { approach: string; failover: [string, string, string[]]; failback: [string, string, string[]] }> = {
        "backup-restore": { approach: "activePassive", failover: ["activate", "us-west-2", ["approve", "shift-traffic"]], failback: ["activate", "us-east-1", ["approve", "switch-database-back", "shift-traffic"]] },
        "pilot-light": { approach: "activePassive", failover: ["activate", "us-west-2", ["approve", "[promote-database | scale-compute]", "shift-traffic"]], failback: ["activate", "us-east-1", ["approve", "switch-database-back", "shift-traffic"]] },
        "warm-standby": { approach: "activePassive", failover: ["activate", "us-west-2", ["approve", "[promote-database | scale-compute | warm-cache]", "shift-traffic"]], failback: ["activate", "us-east-1", ["approve", "switch-database-back", "shift-traffic"]] },
        // Traffic leaves the lost region by itself: the fence waits for no promotion or scale-up (TierSpec.failoverAfter).
        "active-active": { approach: "activeActive", failover: ["deactivate", "us-east-1", ["approve", "[promote-database | scale-compute | shift-traffic]"]], failback: ["activate", "us-east-1", ["approve", "switch-database-back", "shift-traffic"]] },
    };
    for (const strategy of STRATEGIES) {
        it(`${strategy}: an approval first, the independent steps side by side, the fence after what it waits for; what no block does is named`, () => {
            const aurora = strategy === "backup-restore" ? undefined : TARGETS.aurora;
            const plan = regionSwitchPlan(TIERS[strategy], { ...TARGETS, aurora, cacheLambdaArn: strategy === "warm-standby" ? "cache" : undefined });
            const want = EXPECTED[strategy];
            assert.equal(plan.recoveryApproach, want.approach);
            for (const [direction, [action, region, steps]] of [["failover", want.failover], ["failback", want.failback]] as const) {
                const w = plan[direction].workflow;
                assert.deepEqual([w.workflowTargetAction, w.workflowTargetRegion, names(w.steps)], [action, region, strategy === "backup-restore" && direction === "failback" ? ["approve", "shift-traffic"] : steps], direction);
                assert.deepEqual(w.steps[0].executionApprovalConfigs, [{ approvalRole: TARGETS.approvalRoleArn, timeoutMinutes: APPROVAL_TIMEOUT_MINUTES }]);
                // Every runbook step is either a block or named as done by someone else.
                const ids = direction === "failover" ? TIERS[strategy].failover : TIERS[strategy].failback;
                const covered = [...flat(w.steps).map((s) => s.name), ...plan[direction].leftToOthers.map((l) => l.step)];
                assert.deepEqual(ids.filter((id) => !covered.includes(id)), [], `${direction}: every runbook step accounted for`);
            }
            assert.ok(plan.failover.leftToOthers.some((l) => l.step === "reconcile-iac" && /pulumi up -s dr/.test(l.by)));
        });
    }

    it("the Aurora block switches over when graceful and fails over when ungraceful, on both clusters, primary first", () => {
        const step = flat(regionSwitchPlan(TIERS["pilot-light"], TARGETS).failover.workflow.steps).find((s) => s.name === "promote-database")!;
        assert.deepEqual(step.globalAuroraConfigs![0], {
            behavior: "switchoverOnly", globalClusterIdentifier: "shop-global", databaseClusterArns: ["cluster-use1", "cluster-usw2"],
            timeoutMinutes: 30, ungracefuls: [{ ungraceful: "failover" }],
        });
    });

    it("the EC2 Auto Scaling block names both regions' groups and scales to 100 % of the region it replaces", () => {
        const step = flat(regionSwitchPlan(TIERS["warm-standby"], TARGETS).failover.workflow.steps).find((s) => s.name === "scale-compute")!;
        assert.deepEqual(step.ec2AsgCapacityIncreaseConfigs![0].asgs, [{ arn: "asg-use1" }, { arn: "asg-usw2" }]);
        assert.equal(step.ec2AsgCapacityIncreaseConfigs![0].targetPercent, 100);
    });

    it("the fence: closed on the failover, opened on the failback, by the functions in the dr region", () => {
        const plan = regionSwitchPlan(TIERS["pilot-light"], TARGETS);
        const fenceOfWorkflow = (w: typeof plan.failover) => w.workflow.steps.find((s) => s.name === "shift-traffic")!.customActionLambdaConfigs![0];
        assert.deepEqual(fenceOfWorkflow(plan.failover).lambdas, [{ arn: "close" }]);
        assert.deepEqual(fenceOfWorkflow(plan.failback).lambdas, [{ arn: "open" }]);
        assert.equal(fenceOfWorkflow(plan.failover).regionToRun, "activatingRegion");
    });

    it("Region switch's RTO is the target in whole minutes, rounded up", () => {
        assert.deepEqual([rtoMinutes(14400), rtoMinutes(600), rtoMinutes(61)], [240, 10, 2]);
    });
});

/** Runs a custom action's packaged code with a recording AWS SDK client and the given environment; returns the commands it sent. */
async function runAction(name: "fence" | "cacheResize", env: Record<string, string>,
    answer: (command: string, input: any) => any = () => ({})): Promise<[string, any][]> {
    const sent: [string, any][] = [];
    const client = class { async send(cmd: { name: string; input: any }) { sent.push([cmd.name, cmd.input]); return answer(cmd.name, cmd.input); } };
    // `new` on a function that returns an object gives that object: each command records its name and input.
    const command = (name: string) => function (input: unknown) { return { name, input }; };
    const sdk = new Proxy({}, { get: (_, key: string) => (key.endsWith("Client") ? client : command(key.replace(/Command$/, ""))) });
    const action = loadFunction(functionFiles(name), LAMBDA_LAYOUT.entry, { "@aws-sdk/client-cloudwatch": sdk, "@aws-sdk/client-elasticache": sdk }, env);
    await action.handler({});
    return JSON.parse(JSON.stringify(sent)); // plain data: the timestamp as the wire carries it
}

describe("ARC Region switch: the custom actions do what the runbook's steps do", () => {
    const fence = fenceOf("shop", "us-east-1", "us-west-2");

    it("closing the fence: FenceClosed 1 with the fence's dimensions, then the alarm to ALARM", async () => {
        const sent = await runAction("fence", fenceActionEnvironment(fence, true));
        assert.deepEqual(sent.map(([c]) => c), ["PutMetricData", "SetAlarmState"]);
        const datum = sent[0][1].MetricData[0];
        assert.deepEqual([sent[0][1].Namespace, datum.MetricName, datum.Value], [fence.namespace, fence.metricName, 1]);
        assert.deepEqual(datum.Dimensions, Object.entries(fence.dimensions).map(([Name, Value]) => ({ Name, Value })));
        assert.deepEqual([sent[1][1].AlarmName, sent[1][1].StateValue], [fence.alarmName, "ALARM"]);
    });

    it("opening it: 0, then OK", async () => {
        const sent = await runAction("fence", fenceActionEnvironment(fence, false));
        assert.deepEqual([sent[0][1].MetricData[0].Value, sent[1][1].StateValue], [0, "OK"]);
    });

    it("the cache: node type first, then the replicas, and nothing when it is full size already", async () => {
        const group = (nodeType: string, nodes: number) => () => ({ ReplicationGroups: [{ CacheNodeType: nodeType, MemberClusters: Array(nodes).fill("m") }] });
        const env = cacheActionEnvironment("shop-usw2-cache", FULL_CACHE);
        const resized = await runAction("cacheResize", env, group(REDUCED_CACHE.nodeType, 1));
        assert.deepEqual(resized.map(([c, i]) => [c, i.CacheNodeType ?? i.NewReplicaCount ?? i.ReplicationGroupId]),
            [["DescribeReplicationGroups", "shop-usw2-cache"], ["ModifyReplicationGroup", FULL_CACHE.nodeType], ["IncreaseReplicaCount", FULL_CACHE.nodes - 1]]);
        const full = await runAction("cacheResize", env, group(FULL_CACHE.nodeType, FULL_CACHE.nodes));
        assert.deepEqual(full.map(([c]) => c), ["DescribeReplicationGroups"]);
    });

    it("the cache, a Global Datastore member: it leaves the datastore in its own region, once, and is never resized", async () => {
        const member = (datastore?: string) => () => ({ ReplicationGroups: [{ CacheNodeType: FULL_CACHE.nodeType, MemberClusters: ["a", "b"],
            ...(datastore ? { GlobalReplicationGroupInfo: { GlobalReplicationGroupId: datastore } } : {}) }] });
        const env = { ...cacheActionEnvironment("shop-usw2-cache", FULL_CACHE, "ldgnf-shop-use1-cache"), AWS_REGION: "us-west-2" };
        const sent = await runAction("cacheResize", env, member("ldgnf-shop-use1-cache"));
        assert.deepEqual(sent, [["DescribeReplicationGroups", { ReplicationGroupId: "shop-usw2-cache" }], ["DisassociateGlobalReplicationGroup",
            { GlobalReplicationGroupId: "ldgnf-shop-use1-cache", ReplicationGroupId: "shop-usw2-cache", ReplicationGroupRegion: "us-west-2" }]]);
        const retried = await runAction("cacheResize", env, member());
        assert.deepEqual(retried.map(([c]) => c), ["DescribeReplicationGroups"], "a retry after it left changes nothing");
        const policy = cacheLambdaPolicy("arn:aws:elasticache:us-west-2:123456789012:replicationgroup:shop-usw2-cache",
            globalDatastoreArn("123456789012", "ldgnf-shop-use1-cache"));
        assert.deepEqual(policy.Statement[2], { Effect: "Allow", Action: "elasticache:DisassociateGlobalReplicationGroup",
            Resource: ["arn:aws:elasticache::123456789012:globalreplicationgroup:ldgnf-shop-use1-cache",
                "arn:aws:elasticache:us-west-2:123456789012:replicationgroup:shop-usw2-cache"] });
    });

    it("the cache: a group that is not there fails the step, naming it, and changes nothing", async () => {
        const calls: string[] = [];
        await assert.rejects(runAction("cacheResize", cacheActionEnvironment("shop-usw2-cache", FULL_CACHE),
            (command) => { calls.push(command); return { ReplicationGroups: [] }; }), /shop-usw2-cache not found/);
        assert.deepEqual(calls, ["DescribeReplicationGroups"]);
    });

    it("an action whose environment does not say what to act on fails before any call, naming what it lacks", async () => {
        await assert.rejects(runAction("fence", { FENCE: JSON.stringify(fence) }), /FENCE_ACTION \(close or open\)/);
        await assert.rejects(runAction("fence", { FENCE_ACTION: "close" }), /FENCE \(the fence as JSON\)/);
        await assert.rejects(runAction("cacheResize", { REPLICATION_GROUP_ID: "shop-usw2-cache", NODE_TYPE: "cache.r7g.large" }), /NODES \(1 or more\)/);
    });

    it("the environment round-trips: what the program writes is what the handler reads", () => {
        assert.deepEqual(fenceActionOf(fenceActionEnvironment(fence, true)), { fence, closed: true });
        assert.deepEqual(fenceActionOf(fenceActionEnvironment(fence, false)), { fence, closed: false });
        assert.deepEqual(cacheActionOf(cacheActionEnvironment("shop-usw2-cache", FULL_CACHE)), { replicationGroupId: "shop-usw2-cache", target: FULL_CACHE });
    });
});

describe("ARC Region switch: what the dr stack creates, per tier", () => {
    const RTO_MINUTES: Record<string, number> = { "backup-restore": 1440, "pilot-light": 240, "warm-standby": 60, "active-active": 10 };
    const policyOf = (r: Recording, nameContains: string) => JSON.parse(r.one("aws:iam/rolePolicy:RolePolicy", nameContains).inputs.policy);

    for (const strategy of STRATEGIES) {
        it(`${strategy}: the plan, its RTO, its alarms and reports; the roles that run and approve it; the functions in the dr region`, async () => {
            const r = await stackRun("dr", { "dr:strategy": strategy, ...ON });
            const plan = r.one(PLAN).inputs;
            assert.deepEqual([plan.name, plan.regions, plan.primaryRegion], ["shop-region-switch", ["us-east-1", "us-west-2"], "us-east-1"]);
            assert.equal(plan.recoveryTimeObjectiveMinutes, RTO_MINUTES[strategy]);
            assert.deepEqual(plan.reportConfigurations[0].reportOutputs[0].s3Configurations[0],
                { bucketPath: `shop-logs-${ACCOUNT}-us-west-2/region-switch`, bucketOwner: ACCOUNT });
            const lagAlarm = strategy === "backup-restore" ? [] : [`arn:aws:mock:::aws:cloudwatch/metricAlarm:MetricAlarm/shop-alarms-aurora-lag`];
            assert.deepEqual(plan.associatedAlarms.filter((a: any) => /aurora-lag/.test(a.mapBlockKey)).map((a: any) => a.resourceIdentifier), lagAlarm);
            assert.ok(plan.associatedAlarms.every((a: any) => a.alarmType === "applicationHealth"));

            const roles = r.ofType("aws:iam/role:Role");
            const trust = (roleName: string) => JSON.parse(roles.find((x) => x.inputs.name === roleName)!.inputs.assumeRolePolicy).Statement[0].Principal;
            assert.deepEqual(trust("shop-usw2-rs-execution"), { Service: "arc-region-switch.amazonaws.com" });
            assert.deepEqual(trust("shop-usw2-rs-approval"), { AWS: [APPROVER] }, "only dr:approverArns may approve");
            const approve = policyOf(r, "-region-switch-approval-policy").Statement[0];
            assert.deepEqual(approve.Resource, [r.one(PLAN).state!.arn, `${r.one(PLAN).state!.arn}/*`], "this plan only");
            assert.ok(approve.Action.includes("arc-region-switch:ApprovePlanExecutionStep"));
            const execution = policyOf(r, "-region-switch-execution-policy");
            const scale = execution.Statement.find((s: any) => s.Sid === "ScaleFleets");
            assert.equal(scale.Resource.length, 2, "both groups, by ARN");
            assert.match(scale.Resource[0], /^arn:aws:autoscaling:us-east-1:.*autoScalingGroupName\/shop-use1-app$/, "the primary's group, read from us-east-1 in normal times");
            assert.equal(scale.Resource[1], r.one("aws:autoscaling/group:Group").state!.arn, "this region's own group");
            const move = execution.Statement.find((s: any) => s.Sid === "MoveTheWriter");
            assert.equal(move === undefined, strategy === "backup-restore", "the Aurora block only where there is a global database");
            const functions = r.ofType("aws:lambda/function:Function").filter((f) => f.inputs.name.includes("-rs-"));
            assert.deepEqual(functions.map((f) => f.inputs.name).sort(),
                ["shop-usw2-rs-fence-close", "shop-usw2-rs-fence-open", ...(strategy === "warm-standby" ? ["shop-usw2-rs-cache-resize"] : [])].sort());
            assert.ok(functions.every((f) => f.inputs.runtime === "nodejs24.x"));
            // Their code is functions/ as packaged, the same zip for both fences; what each acts on is in its environment.
            const fn = (name: string) => functions.find((f) => f.inputs.name === name)!.inputs;
            const fenced = fenceOf("shop", "us-east-1", "us-west-2");
            for (const [name, closed] of [["shop-usw2-rs-fence-close", true], ["shop-usw2-rs-fence-open", false]] as const) {
                assert.equal(fn(name).handler, "index.handler");
                assert.deepEqual(await archiveFiles(fn(name).code), functionFiles("fence"));
                assert.deepEqual(fn(name).environment, { variables: fenceActionEnvironment(fenced, closed) });
            }
            if (strategy === "warm-standby") {
                const cache = fn("shop-usw2-rs-cache-resize");
                assert.equal(cache.handler, "index.handler");
                assert.deepEqual(await archiveFiles(cache.code), functionFiles("cacheResize"));
                assert.deepEqual(cache.environment, { variables: cacheActionEnvironment(regionNames("shop", "us-west-2").cache, FULL_CACHE) });
            }
            assert.equal(r.outputs.regionSwitchPlanArn, r.one(PLAN).state!.arn);
        });
    }

    it("dr:failover=true keeps every input of the plan and of its execution role's policy (the engine ignores what the program passes)", async () => {
        const r = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:failover": "true", ...ON });
        assert.deepEqual([...r.one(PLAN).ignoreChanges!].sort(), ["associatedAlarms", "description", "executionRole", "name", "primaryRegion",
            "recoveryApproach", "recoveryTimeObjectiveMinutes", "regions", "reportConfigurations", "tags", "triggers", "workflows"]);
        assert.deepEqual(r.one("aws:iam/rolePolicy:RolePolicy", "-region-switch-execution-policy").ignoreChanges, ["policy"]);
    });

    it("off by default; the prod stack never emits one (a warning says the key is the dr stack's)", async () => {
        assert.equal((await stackRun("dr")).has(PLAN), false);
        assert.equal((await stackRun("prod", ON)).has(PLAN), false);
    });
});
