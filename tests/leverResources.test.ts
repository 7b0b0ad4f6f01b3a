// The levers' resources in the real program (index.ts per stack, with the stack files and overrides): what each
// region builds with them, standing by and promoted, and that the failover deploy keeps what a failover flipped.
import { strict as assert } from "assert";
import { Recording, stackRun } from "../offline/evaluate";

const ASG = "aws:autoscaling/group:Group";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const DATASTORE = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const PARAMETER = "aws:ssm/parameter:Parameter";
const DATASTORE_ID = "mockx-shop-use1-cache";

const warmStandbyGd = { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore" };
const drGd = { ...warmStandbyGd, "dr:globalDatastoreId": DATASTORE_ID };
const primaryProviders = (r: Recording) => r.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region === "us-east-1");

describe("levers: a warm pool on the dr group", () => {
    for (const [strategy, pool] of [["pilot-light", 4], ["warm-standby", 3]] as const) {
        for (const state of ["stopped", "hibernated", "running"] as const) {
            it(`${strategy}, ${state}: ${pool} pre-initialized instances up to N = 4, reused on scale-in, refreshed with the launch template`, async () => {
                const dr = await stackRun("dr", { "dr:strategy": strategy, "dr:warmPool": state });
                const group = dr.one(ASG).inputs;
                assert.deepEqual(group.warmPool, {
                    poolState: state[0].toUpperCase() + state.slice(1), minSize: pool, maxGroupPreparedCapacity: 4, instanceReusePolicy: { reuseOnScaleIn: true },
                });
                assert.equal(group.instanceRefresh.strategy, "Rolling");
                assert.notEqual(group.launchTemplate.version, "$Latest", "a new template version changes the group, and so refreshes the pool");
                const lt = dr.one(LAUNCH_TEMPLATE).inputs;
                if (state === "hibernated") {
                    assert.deepEqual(lt.hibernationOptions, { configured: true });
                    assert.equal(lt.blockDeviceMappings[0].ebs.volumeSize, 8 + 4, "t3.medium's 4 GiB of memory beside the 8 GiB root");
                } else {
                    assert.equal(lt.hibernationOptions, undefined);
                }
            });
        }
    }

    it("the prod group has no pool; a promoted dr group keeps it as it stood by", async () => {
        const prod = await stackRun("prod", { "dr:warmPool": "stopped" });
        assert.equal(prod.one(ASG).inputs.warmPool, undefined);
        assert.equal(prod.one(ASG).inputs.launchTemplate.version, "$Latest");
        const promoted = await stackRun("dr", { "dr:warmPool": "stopped", "dr:failover": "true" });
        assert.deepEqual(promoted.one(ASG).inputs.warmPool.minSize, 4);
        assert.deepEqual([promoted.outputs.asgMin, promoted.outputs.asgDesired], [4, 4]);
    });
});

describe("levers: an Aurora Serverless v2 standby", () => {
    for (const strategy of ["pilot-light", "warm-standby"] as const) {
        it(`${strategy}: the dr secondary's instances are db.serverless at 0.5-16 ACU; promoted, 8-16 ACU and two instances`, async () => {
            const standby = await stackRun("dr", { "dr:strategy": strategy, "dr:standbyDatabase": "serverless" });
            assert.deepEqual(standby.one(CLUSTER).inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 16 });
            assert.deepEqual(standby.ofType(INSTANCE).map((i) => i.inputs.instanceClass), ["db.serverless"]);
            const promoted = await stackRun("dr", { "dr:strategy": strategy, "dr:standbyDatabase": "serverless", "dr:failover": "true" });
            assert.deepEqual(promoted.one(CLUSTER).inputs.serverlessv2ScalingConfiguration, { minCapacity: 8, maxCapacity: 16 });
            assert.deepEqual(promoted.ofType(INSTANCE).map((i) => i.inputs.instanceClass), ["db.serverless", "db.serverless"]);
            assert.deepEqual(promoted.one(CLUSTER).ignoreChanges, ["globalClusterIdentifier", "replicationSourceIdentifier"]);
            const prod = await stackRun("prod", { "dr:strategy": strategy, "dr:standbyDatabase": "serverless" });
            assert.equal(prod.one(CLUSTER).inputs.serverlessv2ScalingConfiguration, undefined);
            assert.deepEqual(prod.ofType(INSTANCE).map((i) => i.inputs.instanceClass), ["db.r6g.large", "db.r6g.large"]);
        });
    }
});

describe("levers: an ElastiCache Global Datastore (warm standby)", () => {
    it("prod's cache creates the datastore and exports its id for the dr stack", async () => {
        const prod = await stackRun("prod", warmStandbyGd);
        const datastore = prod.one(DATASTORE).inputs;
        assert.equal(datastore.globalReplicationGroupIdSuffix, "shop-use1-cache");
        assert.equal(prod.outputs.globalDatastoreId, DATASTORE_ID);
        assert.deepEqual([prod.one(CACHE).inputs.nodeType, prod.one(CACHE).inputs.numCacheClusters], ["cache.r7g.large", 2]);
    });

    it("the dr cache joins it: two nodes, Multi-AZ, the datastore's engine and token (read from prod's parameter in normal times)", async () => {
        const dr = await stackRun("dr", drGd);
        const group = dr.one(CACHE).inputs;
        assert.equal(group.globalReplicationGroupId, DATASTORE_ID);
        assert.deepEqual([group.numCacheClusters, group.automaticFailoverEnabled, group.multiAzEnabled], [2, true, true]);
        for (const inherited of ["nodeType", "engine", "engineVersion", "authToken"]) {
            assert.equal(group[inherited], undefined, `${inherited} comes from the datastore's primary`);
        }
        assert.equal(dr.one(PARAMETER, "auth-token-parameter").inputs.value.value, "mock-token-of-us-east-1", "a secret");
        assert.equal(dr.has(DATASTORE), false);
        assert.equal(primaryProviders(dr).length, 1, "one provider reads the primary, in normal times");
    });

    it("promoted: the cache left the datastore outside the IaC; the deploy neither rejoins nor replaces it, nor reads the primary", async () => {
        const promoted = await stackRun("dr", { ...drGd, "dr:failover": "true" });
        const cache = promoted.one(CACHE);
        assert.equal(cache.inputs.globalReplicationGroupId, undefined);
        assert.ok(cache.ignoreChanges?.includes("globalReplicationGroupId"));
        assert.ok(promoted.one(PARAMETER, "auth-token-parameter").ignoreChanges?.includes("value"), "the token it had as a member stays");
        assert.deepEqual(primaryProviders(promoted), []);
    });

    it("without it, each region's cache is its own: no datastore, the tier's sizes, a token of its own", async () => {
        const dr = await stackRun("dr", { "dr:strategy": "warm-standby" });
        assert.deepEqual([dr.one(CACHE).inputs.nodeType, dr.one(CACHE).inputs.numCacheClusters], ["cache.t4g.medium", 1]);
        assert.equal(dr.one(CACHE).inputs.globalReplicationGroupId, undefined);
        assert.equal(dr.one(PARAMETER, "auth-token-parameter").inputs.value.value, "mock-password", "a secret");
        assert.deepEqual(primaryProviders(dr), []);
    });
});

describe("levers: the canaries' schedule", () => {
    it("dr:canaryRateMinutes sets every canary's schedule and its alarm's period", async () => {
        const dr = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:canaryRateMinutes": "1" });
        assert.equal(dr.one("aws:synthetics/canary:Canary").inputs.schedule.expression, "rate(1 minute)");
        const alarm = dr.one("aws:cloudwatch/metricAlarm:MetricAlarm", "canary-alarm").inputs;
        assert.deepEqual([alarm.period, alarm.evaluationPeriods, alarm.datapointsToAlarm], [60, 3, 2]);
        const prod = await stackRun("prod");
        assert.equal(prod.one("aws:synthetics/canary:Canary").inputs.schedule.expression, "rate(5 minutes)");
        assert.equal(prod.one("aws:cloudwatch/metricAlarm:MetricAlarm", "canary-alarm").inputs.period, 300);
    });
});

describe("levers: the detector (dr:autoFailover)", () => {
    // Active-active with a person approving misses its default 10 min target: the preview would say so; here it only deploys.
    const approve = { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:enforceObjectives": "false" };

    for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"] as const) {
        it(`${strategy}, approve: a canary in the dr region on the primary's own load balancer, every minute; its alarm pages with the command`, async () => {
            const dr = await stackRun("dr", { "dr:strategy": strategy, ...approve });
            const canary = dr.resources.find((r) => r.type === "aws:synthetics/canary:Canary" && r.inputs.name === "shop-usw2-watch-use1")!;
            assert.ok(canary, "the detector's canary");
            assert.equal(canary.inputs.schedule.expression, "rate(1 minute)");
            assert.match(canary.provider ?? "", /::aws-us-west-2::/, "it runs in the dr region");
            const alarm = dr.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.name === "shop-usw2-use1-down")!.inputs;
            assert.deepEqual([alarm.period, alarm.evaluationPeriods, alarm.datapointsToAlarm, alarm.treatMissingData], [60, 3, 2, "missing"]);
            assert.match(alarm.alarmDescription, /If the region is lost, fail over: npm run failover -- --stack dr --unplanned$/);
            assert.equal(alarm.alarmActions.length, 1, "the dr region's alarm topic: the pager");
            assert.equal(dr.outputs.detectorAlarmName, "shop-usw2-use1-down");
            const code = dr.resources.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.name.includes("detector"))!;
            assert.ok(code, "its script");
            assert.equal(primaryProviders(dr).length, 1, "the primary's load balancer is read in normal times");
        });
    }

    it("is off by default, and the prod stack never has one", async () => {
        assert.equal((await stackRun("dr")).outputs.detectorAlarmName, null);
        assert.equal((await stackRun("prod", approve)).outputs.detectorAlarmName, null);
    });

    it("promoted: nothing is left to watch; the canary and alarm go, the role stays, and nothing reads the lost region", async () => {
        const promoted = await stackRun("dr", { ...approve, "dr:failover": "true" });
        assert.equal(promoted.outputs.detectorAlarmName, null);
        assert.ok(promoted.resources.some((r) => r.type === "aws:iam/role:Role" && r.inputs.name === "shop-usw2-detector"));
        assert.deepEqual(primaryProviders(promoted), []);
    });
});

describe("levers: dr:autoFailover auto starts the Region switch plan", () => {
    const auto = { "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
    const PLAN = "aws:arcregionswitch/plan:Plan";

    for (const [strategy, action, target] of [["warm-standby", "activate", "us-west-2"], ["active-active", "deactivate", "us-east-1"]] as const) {
        it(`${strategy}: a trigger on the detector red while the fence is green; the failover has no approval step, the failback keeps it`, async () => {
            const dr = await stackRun("dr", { "dr:strategy": strategy, ...auto, "dr:enforceObjectives": "false" });
            const plan = dr.one(PLAN).inputs;
            assert.deepEqual(plan.triggers, [{
                action, targetRegion: target, minDelayMinutesBetweenExecutions: 60,
                description: "dr:autoFailover auto: us-east-1 fails the dr region's detector and the fence is still open",
                conditions: [{ associatedAlarmName: "shop-usw2-use1-down", condition: "red" }, { associatedAlarmName: "shop-use1-traffic-fence", condition: "green" }],
            }]);
            const triggerAlarms = plan.associatedAlarms.filter((a: any) => a.alarmType === "trigger").map((a: any) => a.mapBlockKey);
            assert.deepEqual(triggerAlarms, ["shop-usw2-use1-down", "shop-use1-traffic-fence"]);
            const [failover, failback] = plan.workflows;
            assert.equal(failover.steps.some((s: any) => s.executionBlockType === "ManualApproval"), false);
            assert.equal(failback.steps[0].executionBlockType, "ManualApproval");
            const detectorAlarm = dr.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.inputs.name === "shop-usw2-use1-down")!.inputs;
            assert.match(detectorAlarm.alarmDescription, /The Region switch plan's trigger starts the failover/);
        });
    }

    it("approve keeps the approval step and sets no trigger: an approval cannot gate an ungraceful execution (docs/reference.md)", async () => {
        const dr = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:autoFailover": "approve", "dr:approvalSeconds": "300",
            "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" });
        const plan = dr.one(PLAN).inputs;
        assert.equal(plan.triggers, undefined);
        assert.equal(plan.workflows[0].steps[0].executionBlockType, "ManualApproval");
        assert.match(dr.resources.find((r) => r.inputs.name === "shop-usw2-use1-down")!.inputs.alarmDescription,
            /fail over: npm run failover -- --stack dr --engine region-switch --unplanned \(or the runbook: npm run failover -- --stack dr --unplanned\)$/);
    });

    it("the Global Datastore member's cache action leaves the datastore, and may do only that beside its resize", async () => {
        const dr = await stackRun("dr", { ...drGd, "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" });
        const fn = dr.one("aws:lambda/function:Function", "region-switch-cache").inputs;
        assert.equal(fn.environment.variables.GLOBAL_DATASTORE_ID, DATASTORE_ID);
        const policy = JSON.parse(dr.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("cache-policy"))!.inputs.policy);
        assert.deepEqual(policy.Statement[2].Action, "elasticache:DisassociateGlobalReplicationGroup");
    });
});

describe("the Region switch plan's executions are paged (EventBridge, best effort)", () => {
    const rs = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };

    it("the dr stack with a plan: a rule on Region switch execution events, sent to the alarm topic, which EventBridge may publish to", async () => {
        const dr = await stackRun("dr", rs);
        const rule = dr.one("aws:cloudwatch/eventRule:EventRule", "execution-pages").inputs;
        assert.deepEqual(JSON.parse(rule.eventPattern), { "source": ["aws.arc-region-switch"], "detail-type": ["ARC Region Switch Plan Execution"] });
        assert.equal(rule.name, "shop-usw2-region-switch-executions");
        const topic = dr.one("aws:sns/topic:Topic");
        assert.equal(dr.one("aws:cloudwatch/eventTarget:EventTarget", "execution-pages").inputs.arn, topic.state!.arn);
        const policy = JSON.parse(dr.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy);
        assert.deepEqual(policy.Statement.map((x: any) => x.Sid), ["TheAccountUsesTheTopic", "EventBridgePagesTheExecutions"]);
        assert.deepEqual(policy.Statement[1].Condition, { ArnEquals: { "aws:SourceArn": dr.one("aws:cloudwatch/eventRule:EventRule", "execution-pages").state!.arn } });
        const key = JSON.parse(dr.one("aws:kms/key:Key").inputs.policy);
        assert.ok(key.Statement.some((x: any) => x.Sid === "EventBridgePublishesToTheEncryptedTopic" && x.Principal.Service === "events.amazonaws.com"));
    });

    it("without a plan, no rule, no topic policy, and the key names no EventBridge", async () => {
        const dr = await stackRun("dr");
        assert.equal(dr.ofType("aws:cloudwatch/eventRule:EventRule").some((r) => r.name.includes("execution-pages")), false);
        assert.equal(dr.has("aws:sns/topicPolicy:TopicPolicy"), false);
        assert.equal(JSON.parse(dr.one("aws:kms/key:Key").inputs.policy).Statement.some((x: any) => x.Sid === "EventBridgePublishesToTheEncryptedTopic"), false);
    });
});
