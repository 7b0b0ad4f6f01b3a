// The recovery path (the runbook's failover and the `pulumi up -s dr` with dr:failover=true that follows it)
// may use only the recovering region's own APIs and Route 53's data plane (docs/reference.md, "Control planes and data planes"). Here: what the failover deploy changes, and the fence it relies on.
import { strict as assert } from "assert";
import { projectBackendUrl } from "../model/tooling/stackFiles";
import { backendWarning, stateBackend } from "../model/tooling/stateBackend";
import { STRATEGIES } from "../model/strategy";
import { Recorded, Recording, stackRun } from "../offline/evaluate";
import { EVERY_LEVER } from "../offline/graph";

/** Resource types whose control plane is hosted in us-east-1 (the aws partition's global services). */
const GLOBAL_CONTROL_PLANES = /^aws:(iam|route53|cloudfront|organizations|globalaccelerator|arcregionswitch)\//;
const SNAPSHOT = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1";

const failoverOf = (strategy: string) => strategy === "backup-restore"
    ? { "dr:strategy": strategy, "dr:failover": "true", "dr:restoreFrom": SNAPSHOT }
    : { "dr:strategy": strategy, "dr:failover": "true" };
/**
 * The global resources as the engine would leave them: an input a resource lists in ignoreChanges keeps the
 * value it had (`before`, the standby's), whatever the program passes now.
 */
const globals = (r: Recording, before?: Recording) => r.resources.filter((x) => GLOBAL_CONTROL_PLANES.test(x.type))
    .map((x) => {
        const old = before?.resources.find((y) => y.type === x.type && y.name === x.name);
        const kept = Object.fromEntries((x.ignoreChanges ?? []).filter((k) => old && k in old.inputs).map((k) => [k, old!.inputs[k]]));
        const inputs = { ...Object.fromEntries(Object.entries(x.inputs).filter(([k]) => !(x.ignoreChanges ?? []).includes(k))), ...kept };
        return { type: x.type, name: x.name, inputs };
    })
    .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));

describe("the recovery path: the failover deploy needs no control plane in us-east-1", () => {
    for (const strategy of STRATEGIES) {
        it(`${strategy}: pulumi up -s dr with dr:failover=true creates, changes and deletes no IAM or Route 53 resource`, async () => {
            const standby = await stackRun("dr", { "dr:strategy": strategy });
            const promoted = await stackRun("dr", failoverOf(strategy));
            assert.ok(globals(standby).some((x) => x.type === "aws:iam/role:Role"), "the roles exist while it stands by");
            assert.ok(globals(standby).some((x) => x.type === "aws:route53/record:Record"), "its record exists while it stands by");
            assert.deepEqual(globals(promoted), globals(standby));
        });
    }

    for (const strategy of STRATEGIES) {
        it(`${strategy}, dr:regionSwitch=true: the failover deploy keeps the Region switch plan and its roles as they are, and reads nothing from the primary region`, async () => {
            const rs = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
            const standby = await stackRun("dr", { "dr:strategy": strategy, ...rs });
            const promoted = await stackRun("dr", { ...failoverOf(strategy), ...rs });
            assert.ok(standby.has("aws:arcregionswitch/plan:Plan"));
            assert.deepEqual(globals(promoted, standby), globals(standby, standby));
            const primaryProviders = (r: Recording) => r.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region === "us-east-1");
            assert.equal(primaryProviders(standby).length, 1, "in normal times: the one read of the primary's Auto Scaling group");
            assert.deepEqual(primaryProviders(promoted), [], "on the day: no provider for the lost region");
        });
    }

    /** Every lever a tier allows, on (offline/graph.ts, the graph test's widest stacks too). */
    const LEVERS = EVERY_LEVER;
    for (const strategy of STRATEGIES) {
        it(`${strategy}, every lever it allows: the failover deploy changes no IAM, Route 53 or Region switch resource and reads nothing from the primary region`, async () => {
            const standby = await stackRun("dr", { "dr:strategy": strategy, ...LEVERS[strategy] });
            const promoted = await stackRun("dr", { ...failoverOf(strategy), ...LEVERS[strategy] });
            assert.deepEqual(globals(promoted, standby), globals(standby, standby));
            const primaryProviders = (r: Recording) => r.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region === "us-east-1");
            assert.deepEqual(primaryProviders(promoted), [], "on the day: no provider for the lost region");
        });
    }

    const MONITORING_ROLE = "aws:iam/role:Role";
    const monitoringRole = (r: Recording, region: string) =>
        r.ofType(MONITORING_ROLE).filter((x) => x.inputs.name === `shop-${region}-rds-monitoring`);
    for (const strategy of STRATEGIES) {
        it(`${strategy}: Aurora's enhanced-monitoring role stands in the dr stack in normal times, and every instance the failover deploy runs names it`, async () => {
            const standby = await stackRun("dr", { "dr:strategy": strategy });
            const promoted = await stackRun("dr", failoverOf(strategy));
            const [role] = monitoringRole(standby, "usw2");
            assert.ok(role, "the role exists while the dr region stands by, with or without a database");
            assert.equal(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "monitoring.rds.amazonaws.com");
            assert.ok(standby.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").some((x) =>
                x.inputs.role === role.inputs.name && x.inputs.policyArn.endsWith("/AmazonRDSEnhancedMonitoringRole")), "with its policy");
            // The same role, unchanged, after the failover deploy (the generic test above: no IAM change at all).
            assert.deepEqual(monitoringRole(promoted, "usw2").map((x) => [x.name, x.inputs]), [[role.name, role.inputs]]);
            const instances = promoted.ofType("aws:rds/clusterInstance:ClusterInstance");
            assert.ok(instances.length > 0, "the promoted or restored database has instances");
            for (const instance of instances) {
                assert.equal(instance.inputs.monitoringRoleArn, role.state!.arn, instance.name);
                assert.equal(instance.inputs.monitoringInterval, 60, instance.name);
            }
            // prod has its own, by its region's name (IAM is global).
            assert.equal(monitoringRole(await stackRun("prod", { "dr:strategy": strategy }), "use1").length, 1);
        });
    }

    it("what the failover deploy does change is regional: the tier's slow parts (backup & restore creates its database there)", async () => {
        const standby = await stackRun("dr", { "dr:strategy": "backup-restore" });
        const restored = await stackRun("dr", failoverOf("backup-restore"));
        const added = restored.resources.filter((x) => !standby.resources.some((y) => y.type === x.type && y.name === x.name)).map((x) => x.type);
        assert.ok(added.includes("aws:rds/cluster:Cluster") && added.includes("aws:backup/plan:Plan"));
        assert.deepEqual(added.filter((t) => GLOBAL_CONTROL_PLANES.test(t)), []);
    });
});

describe("the traffic fence", () => {
    const HEALTH = "aws:route53/healthCheck:HealthCheck";
    const byId = (r: Recording, id: string) => r.resources.find((x) => x.id === id);

    for (const strategy of STRATEGIES) {
        it(`${strategy}: prod's record is healthy only while its endpoint's check and the dr region's fence are (a CALCULATED check over both)`, async () => {
            const prod = await stackRun("prod", { "dr:strategy": strategy });
            const record = prod.one("aws:route53/record:Record", "-dns-record").inputs;
            const gate = byId(prod, record.healthCheckId)!;
            assert.equal(gate.inputs.type, "CALCULATED");
            assert.equal(gate.inputs.childHealthThreshold, 2, "both children healthy: a dead endpoint or a closed fence takes the record out");
            const children = gate.inputs.childHealthchecks.map((id: string) => byId(prod, id)!.inputs) as Recorded["inputs"][];
            assert.deepEqual(children.map((c) => c.type).sort(), ["CLOUDWATCH_METRIC", "HTTPS"]);
            const fence = children.find((c) => c.type === "CLOUDWATCH_METRIC")!;
            assert.deepEqual([fence.cloudwatchAlarmName, fence.cloudwatchAlarmRegion, fence.insufficientDataHealthStatus],
                ["shop-use1-traffic-fence", "us-west-2", "LastKnownStatus"]);
            assert.equal(prod.outputs.healthCheckId, gate.id);
        });

        it(`${strategy}: the dr stack holds the alarm the fence names, standing by and promoted; its state is no resource's input`, async () => {
            for (const overrides of [{ "dr:strategy": strategy }, failoverOf(strategy)]) {
                const dr = await stackRun("dr", overrides);
                const alarm = dr.one("aws:cloudwatch/metricAlarm:MetricAlarm", "fence-alarm").inputs;
                assert.deepEqual([alarm.name, alarm.namespace, alarm.metricName, alarm.dimensions, alarm.treatMissingData, alarm.comparisonOperator, alarm.threshold],
                    ["shop-use1-traffic-fence", "multi-region-dr", "FenceClosed", { App: "shop", Record: "shop-use1" }, "ignore", "GreaterThanOrEqualToThreshold", 1]);
                assert.equal(dr.outputs.fenceAlarmName, "shop-use1-traffic-fence");
                // The runbook flips the alarm's state and publishes datapoints; neither is an input of any resource,
                // and no health check is inverted or disabled, so no `pulumi up` or refresh puts anything back.
                for (const x of dr.resources) {
                    assert.equal(x.inputs.stateValue, undefined, `${x.type} ${x.name}`);
                }
                for (const check of dr.ofType(HEALTH)) {
                    assert.deepEqual([check.inputs.invertHealthcheck, check.inputs.disabled], [undefined, undefined], check.name);
                }
            }
            const prod = await stackRun("prod", { "dr:strategy": strategy });
            for (const check of prod.ofType(HEALTH)) {
                assert.deepEqual([check.inputs.invertHealthcheck, check.inputs.disabled], [undefined, undefined], check.name);
            }
        });
    }

    it("the dr record is the one traffic fails over to: it is not fenced", async () => {
        const dr = await stackRun("dr");
        assert.equal(dr.ofType(HEALTH).length, 1);
        assert.equal(dr.one("aws:route53/record:Record", "-dns-record").inputs.healthCheckId, dr.outputs.healthCheckId);
    });
});

describe("where the state lives (model/tooling/stateBackend.ts)", () => {
    it("PULUMI_BACKEND_URL wins over Pulumi.yaml's backend.url; neither: undefined (pulumi login's choice)", () => {
        assert.deepEqual(stateBackend({ PULUMI_BACKEND_URL: "s3://a" }, "s3://b"), { url: "s3://a", source: "PULUMI_BACKEND_URL" });
        assert.deepEqual(stateBackend({ PULUMI_BACKEND_URL: " " }, "s3://b"), { url: "s3://b", source: "Pulumi.yaml backend.url" });
        assert.equal(stateBackend({}, undefined), undefined);
        assert.equal(projectBackendUrl(), undefined, "the shipped Pulumi.yaml pins no backend");
    });

    it("warns when the backend names the primary region, and only then", () => {
        const warn = (url: string) => backendWarning({ url, source: "PULUMI_BACKEND_URL" }, "us-east-1");
        assert.match(warn("s3://state?region=us-east-1")!, /^the state backend s3:\/\/state\?region=us-east-1 \(PULUMI_BACKEND_URL\) names the primary region us-east-1: if that region is lost, so is the dr stack's state/);
        assert.ok(warn("s3://pulumi-state-us-east-1"));
        assert.ok(warn("s3://state?endpoint=s3.us-east-1.amazonaws.com"));
        assert.equal(warn("s3://state?region=us-west-2"), undefined);
        assert.equal(warn("s3://state?region=us-east-12"), undefined, "another region's name that begins alike");
        assert.equal(warn("https://api.pulumi.com"), undefined);
        assert.equal(backendWarning(undefined, "us-east-1"), undefined);
    });
});
