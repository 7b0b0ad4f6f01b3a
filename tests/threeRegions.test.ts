// Issue 20: a region set of three, prod (us-east-1), dr (us-west-2) and the example dr2 (us-east-2, Pulumi.dr2.yaml
// uncommented as its header says). Each stack evaluates and owns only its region; the data reaches both recovery
// regions; the failover tree and the fences let either recovery region take over alone; a failover into either
// creates no IAM, Route 53 or Region switch resource. The pair's own stacks are unchanged (tests/graph.test.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { dump as toYaml } from "js-yaml";
import { formatProblems, parseDrConfig } from "../model/config";
import { assessObjectives, assessObjectivesInto } from "../model/objectives";
import { loadPortfolio } from "../model/portfolio";
import { policies } from "../policy/rules";
import { evaluate } from "../policy/testing";
import { regionSwitchPlanNameIn, regionSet, REGION_SWITCH_PLAN_NAME_PATTERN } from "../model/regionSet";
import { layeredConfig, stackFileConfig } from "../model/tooling/stackFiles";
import { pairConfigs } from "../model/stackPair";
import { STRATEGIES } from "../model/strategy";
import { Recording, runStack } from "../offline/evaluate";
import { THREE_REGIONS, withThirdRegion } from "./helpers";

const THREE = { "dr:regions": JSON.stringify(THREE_REGIONS) };
const SNAPSHOT = (region: string) => `arn:aws:rds:${region}:123456789012:cluster-snapshot:awsbackup:job-1`;
const GLOBAL_CONTROL_PLANES = /^aws:(iam|route53|cloudfront|organizations|globalaccelerator|arcregionswitch)\//;
const REGION_OF: Readonly<Record<string, string>> = { prod: "us-east-1", dr: "us-west-2", dr2: "us-east-2" };

const providerRegions = (r: Recording) => [...new Set(r.resources.filter((x) => x.type === "pulumi:providers:aws").map((x) => x.inputs.region as string))].sort();
/** The global resources as the engine would leave them: an ignored input keeps the value it had in `before`. */
const globals = (r: Recording, before: Recording) => r.resources.filter((x) => GLOBAL_CONTROL_PLANES.test(x.type))
    .map((x) => {
        const old = before.resources.find((y) => y.type === x.type && y.name === x.name);
        const kept = Object.fromEntries((x.ignoreChanges ?? []).filter((k) => old && k in old.inputs).map((k) => [k, old!.inputs[k]]));
        return { type: x.type, name: x.name, inputs: { ...Object.fromEntries(Object.entries(x.inputs).filter(([k]) => !(x.ignoreChanges ?? []).includes(k))), ...kept } };
    })
    .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
/** The app's records (not the certificate's validation records). */
const records = (r: Recording) => r.ofType("aws:route53/record:Record").filter((x) => x.inputs.setIdentifier !== undefined).map((x) => ({
    name: x.inputs.name, failover: x.inputs.failoverRoutingPolicies?.[0]?.type, alias: x.inputs.aliases?.[0]?.name,
}));

describe("three regions: prod, dr and the example third stack dr2 (Pulumi.dr2.yaml)", () => {
    let project: ReturnType<typeof withThirdRegion>;
    before(() => { project = withThirdRegion(); });
    after(() => project.dispose());
    const run = (stack: string, overrides: Record<string, string> = {}) =>
        runStack(stack, stack === "dr2" ? overrides : { ...THREE, ...overrides }, project.root);

    it("each recovery stack's own preview estimates the failover into itself: with dr:autoFailover auto, dr's is started by its trigger, dr2's decided by a person", () => {
        const auto = { "dr:strategy": "warm-standby", "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
        const cfgOf = (stack: string, o: Record<string, string>) => {
            const r = parseDrConfig(layeredConfig(stack, o, project.root), stack);
            assert.ok(r.ok, r.ok ? "" : formatProblems(r.problems, stack));
            return r.config;
        };
        const [prod, dr, dr2] = [cfgOf("prod", { ...THREE, ...auto }), cfgOf("dr", { ...THREE, ...auto }), cfgOf("dr2", auto)];
        const rto = (c: typeof dr) => assessObjectives(c).estimate.rtoSeconds;
        assert.equal(rto(dr2), assessObjectivesInto(prod, dr2).estimate.rtoSeconds);
        assert.equal(rto(dr), assessObjectivesInto(prod, dr).estimate.rtoSeconds);
        assert.equal(rto(prod), rto(dr), "the prod stack estimates the failover into the first recovery region");
        assert.ok(rto(dr2) > rto(dr), `into dr2 a person decides: ${rto(dr2)} s against ${rto(dr)} s`);
    });

    it("the prod stack's peer is the first recovery region's stack (dr), the dr2 stack's the prod stack", () => {
        assert.equal(pairConfigs("prod", THREE, undefined, project.root).drStack, "dr");
        assert.equal(pairConfigs("dr2", {}, undefined, project.root).prodStack, "prod");
    });

    it("the example's config is valid as shipped, once uncommented, and says the set the prod and dr stacks are given here", () => {
        const parsed = parseDrConfig(layeredConfig("dr2", {}, project.root), "dr2");
        assert.ok(parsed.ok, parsed.ok ? "" : formatProblems(parsed.problems, "dr2"));
        assert.deepEqual(regionSet(parsed.config).regions, THREE_REGIONS);
        assert.equal(parsed.config.region, "us-east-2");
    });

    for (const strategy of STRATEGIES) {
        describe(strategy, () => {
            const tier = { "dr:strategy": strategy };
            // Evaluated once per tier, one stack at a time (the mocks are the process's); the recordings are only read.
            let evaluated: Promise<Record<"prod" | "dr" | "dr2", Recording>> | undefined;
            const stacks = () => (evaluated ??= (async () => ({ prod: await run("prod", tier), dr: await run("dr", tier), dr2: await run("dr2", tier) }))());

            it("each stack evaluates and deploys only its own region (a recovery stack may read the primary's, in normal times only)", async () => {
                const s = await stacks();
                for (const [stack, rec] of Object.entries(s)) {
                    const own = REGION_OF[stack];
                    const others = providerRegions(rec).filter((r) => r !== own);
                    assert.ok(providerRegions(rec).includes(own), `${stack} has its own region's provider`);
                    assert.ok(others.every((r) => r === "us-east-1" && stack !== "prod"), `${stack}: providers for ${others.join(", ")}`);
                    assert.ok(rec.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region !== own)
                        .every((p) => rec.resources.every((x) => !x.custom || !x.provider?.includes(`::${p.name}::`))),
                        `${stack}: no resource is created through another region's provider`);
                }
                assert.deepEqual(["prod", "dr", "dr2"].map((k) => s[k as keyof typeof s].ofType("awsx:ec2:Vpc").map((v) => v.inputs.cidrBlock)),
                    [["10.10.0.0/16"], ["10.20.0.0/16"], ["10.30.0.0/16"]], "one VPC range per region of the set, so all three can be peered");
            });

            it("the failover tree: prod PRIMARY at the app's name, its SECONDARY an alias to the level below, where dr is PRIMARY and dr2 SECONDARY", async () => {
                const s = await stacks();
                assert.deepEqual(records(s.prod), [{ name: "shop.example.com", failover: strategy === "active-active" ? undefined : "PRIMARY", alias: "shop-use1-alb.elb.example" }]);
                if (strategy === "active-active") {
                    // Three latency (or weighted) records at the app's name, each region's own.
                    for (const stack of ["dr", "dr2"] as const) {
                        assert.deepEqual(records(s[stack]).map((r) => [r.name, r.failover]), [["shop.example.com", undefined]]);
                    }
                    return;
                }
                assert.deepEqual(records(s.dr), [
                    { name: "recovery-1.shop.example.com", failover: "PRIMARY", alias: "shop-usw2-alb.elb.example" },
                    { name: "shop.example.com", failover: "SECONDARY", alias: "recovery-1.shop.example.com" },
                ]);
                const link = s.dr.ofType("aws:route53/record:Record").find((r) => r.inputs.name === "shop.example.com")!;
                assert.equal(link.inputs.aliases[0].evaluateTargetHealth, true, "the level answers while any of its records is healthy");
                assert.equal(link.inputs.healthCheckId, undefined);
                assert.deepEqual(records(s.dr2), [{ name: "recovery-1.shop.example.com", failover: "SECONDARY", alias: "shop-use2-alb.elb.example" }]);
            });

            it("the fences: each recovery region holds one of every other region's record; prod's record waits on both, dr's on dr2's, dr2's on dr's", async () => {
                const s = await stacks();
                const held = (r: Recording) => r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => /traffic-fence$/.test(a.inputs.name)).map((a) => a.inputs.name).sort();
                assert.deepEqual(held(s.prod), []);
                assert.deepEqual(held(s.dr), ["shop-use1-traffic-fence", "shop-use2-traffic-fence"]);
                assert.deepEqual(held(s.dr2), ["shop-use1-traffic-fence", "shop-usw2-traffic-fence"]);
                const gate = (r: Recording) => {
                    const checks = r.ofType("aws:route53/healthCheck:HealthCheck");
                    const calculated = checks.find((c) => c.inputs.type === "CALCULATED");
                    const fences = checks.filter((c) => c.inputs.type === "CLOUDWATCH_METRIC").map((c) => [c.inputs.cloudwatchAlarmName, c.inputs.cloudwatchAlarmRegion]);
                    return { children: calculated?.inputs.childHealthchecks.length, threshold: calculated?.inputs.childHealthThreshold, fences };
                };
                assert.deepEqual(gate(s.prod), { children: 3, threshold: 3, fences: [["shop-use1-traffic-fence", "us-west-2"], ["shop-use1-traffic-fence", "us-east-2"]] });
                assert.deepEqual(gate(s.dr), { children: 2, threshold: 2, fences: [["shop-usw2-traffic-fence", "us-east-2"]] });
                assert.deepEqual(gate(s.dr2), { children: 2, threshold: 2, fences: [["shop-use2-traffic-fence", "us-west-2"]] });
            });

            it("the data reaches both recovery regions: backup copies to both vaults, and the bucket, the Aurora secondaries and the global table where the tier has them", async () => {
                const s = await stacks();
                const scheduled = s.prod.one("aws:backup/plan:Plan").inputs.rules.find((r: any) => r.copyActions);
                assert.deepEqual(scheduled.copyActions.map((c: any) => c.destinationVaultArn),
                    ["arn:aws:backup:us-west-2:123456789012:backup-vault:shop-usw2-backups", "arn:aws:backup:us-east-2:123456789012:backup-vault:shop-use2-backups"]);
                const replication = s.prod.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
                if (strategy === "backup-restore") {
                    assert.deepEqual(replication, [], "no replica bucket in backup & restore");
                    assert.deepEqual(s.dr.ofType("aws:rds/cluster:Cluster"), []);
                    return;
                }
                assert.deepEqual(replication[0].inputs.rules.map((r: any) => [r.id, r.priority, r.destination.bucket, r.destination.replicationTime.status]), [
                    ["to-dr-region", 1, "arn:aws:s3:::shop-data-123456789012-us-west-2", "Enabled"],
                    ["to-us-east-2", 2, "arn:aws:s3:::shop-data-123456789012-us-east-2", "Enabled"],
                ]);
                const s3Alarms = s.prod.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/S3");
                assert.deepEqual(s3Alarms.map((a) => a.inputs.dimensions.RuleId).sort(), ["to-dr-region", "to-dr-region", "to-us-east-2", "to-us-east-2"]);
                const secondaries = [s.dr, s.dr2].map((r) => r.ofType("aws:rds/cluster:Cluster").map((c) => c.inputs.globalClusterIdentifier));
                assert.deepEqual(secondaries, [["shop-global"], ["shop-global"]], "an Aurora secondary in each recovery region, in the one global database");
                if (strategy === "active-active") {
                    const table = s.prod.one("aws:dynamodb/table:Table");
                    assert.deepEqual(table.inputs.replicas.map((r: any) => r.regionName), ["us-west-2", "us-east-2"], "the table and two replicas: three regions");
                    const back = s.dr2.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
                    assert.deepEqual(back.inputs.rules.map((r: any) => r.destination.bucket),
                        ["arn:aws:s3:::shop-data-123456789012-us-east-1", "arn:aws:s3:::shop-data-123456789012-us-west-2"], "writes in every region reach the other two");
                } else {
                    // The role a recovery region replicates as once it is the writer stands by, allowed the other recovery region only.
                    const policy = s.dr2.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => /replication/.test(p.name))!;
                    const statements = JSON.parse(policy.inputs.policy).Statement;
                    assert.equal(statements.find((x: any) => x.Action.includes("s3:ReplicateObject")).Resource, "arn:aws:s3:::shop-data-123456789012-us-west-2/*");
                    assert.deepEqual(s.dr2.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig"), [], "it replicates nothing while it stands by");
                }
            });

            it("active-active sizes each region for the survivors of a lost one; the standby tiers keep their standby size in each recovery region", async () => {
                const s = await stacks();
                const sizes = ["prod", "dr", "dr2"].map((k) => s[k as keyof typeof s].ofType("aws:autoscaling/group:Group").map((g) => [g.inputs.minSize, g.inputs.desiredCapacity, g.inputs.maxSize])[0]);
                const expected: Record<string, number[][]> = {
                    "backup-restore": [[4, 4, 4], [0, 0, 4], [0, 0, 4]],
                    "pilot-light": [[4, 4, 4], [0, 0, 4], [0, 0, 4]],
                    "warm-standby": [[4, 4, 4], [1, 1, 4], [1, 1, 4]],
                    // N = 4 over three latency-routed regions: 2N/3, 3 each, as the lost region's users may all reach one survivor.
                    "active-active": [[3, 3, 4], [3, 3, 4], [3, 3, 4]],
                };
                assert.deepEqual(sizes, expected[strategy]);
            });

            it("a failover into either recovery region creates, changes and deletes no IAM, Route 53 or Region switch resource, and reads nothing from the primary region", async () => {
                for (const stack of ["dr", "dr2"]) {
                    const promote = { ...tier, "dr:failover": "true", ...(strategy === "backup-restore" ? { "dr:restoreFrom": SNAPSHOT(REGION_OF[stack]) } : {}) };
                    const rs = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
                    const standby = await run(stack, { ...tier, ...rs });
                    const promoted = await run(stack, { ...promote, ...rs });
                    assert.deepEqual(globals(promoted, standby), globals(standby, standby), stack);
                    assert.deepEqual(providerRegions(promoted), [REGION_OF[stack]], `${stack}: no provider for another region on the day`);
                }
            });
        });
    }

    it("growing the pair replaces no stateful resource: prod's and dr's databases, buckets, vaults, keys, caches and VPCs keep their inputs; the global table gains a replica (an update)", async () => {
        const STATEFUL = ["aws:rds/globalCluster:GlobalCluster", "aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:s3/bucket:Bucket",
            "aws:dynamodb/table:Table", "aws:backup/vault:Vault", "aws:kms/key:Key", "aws:elasticache/replicationGroup:ReplicationGroup",
            "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup", "awsx:ec2:Vpc"];
        const stateful = (r: Recording) => r.resources.filter((x) => STATEFUL.includes(x.type))
            .map((x) => ({ type: x.type, name: x.name, inputs: { ...x.inputs, ...(x.type === "aws:dynamodb/table:Table" ? { replicas: "(an update)" } : {}) } }));
        for (const strategy of STRATEGIES) {
            for (const stack of ["prod", "dr"]) {
                const tier = { "dr:strategy": strategy, "dr:enforceObjectives": "false" };
                const pair = await runStack(stack, tier);
                const three = await run(stack, tier);
                assert.ok(stateful(pair).length > 0);
                assert.deepEqual(stateful(three), stateful(pair), `${strategy} ${stack}`);
            }
        }
        const table = (await run("prod", { "dr:strategy": "active-active" })).one("aws:dynamodb/table:Table");
        assert.equal(table.inputs.replicas.length, 2);
    });

    it("each recovery region's Region switch plan covers it and the primary, under a name within AWS's 32 characters; only the next recovery region's plan starts on the detector", async () => {
        const rs = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander", "dr:strategy": "warm-standby", "dr:autoFailover": "auto" };
        // One evaluation at a time: the mocks are the process's.
        const plans = [(await run("dr", rs)).one("aws:arcregionswitch/plan:Plan").inputs, (await run("dr2", rs)).one("aws:arcregionswitch/plan:Plan").inputs];
        assert.deepEqual(plans.map((p) => [p.name, [...p.regions].sort(), (p.triggers ?? []).length > 0]),
            [["shop-region-switch", ["us-east-1", "us-west-2"], true], ["shop-rs-use2", ["us-east-1", "us-east-2"], false]]);
        const longest = "abcdefghijklmnop";
        const set = regionSet({ regions: THREE_REGIONS, primaryRegion: "us-east-1", drRegion: "us-west-2" });
        for (const region of set.recovery) {
            assert.match(regionSwitchPlanNameIn(set, longest, region), REGION_SWITCH_PLAN_NAME_PATTERN);
        }
    });
});

describe("three regions: the policy pack holds for every region", () => {
    let project: ReturnType<typeof withThirdRegion>;
    before(() => { project = withThirdRegion(); });
    after(() => project.dispose());
    const rs = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };

    for (const strategy of STRATEGIES) {
        it(`${strategy}: prod, dr and dr2 (each recovery region with its Region switch plan) have no mandatory violation and no advisory`, async () => {
            for (const [stack, overrides] of [["prod", { ...THREE }], ["dr", { ...THREE, ...rs }], ["dr2", rs]] as const) {
                const rec = await runStack(stack, { "dr:strategy": strategy, ...overrides }, project.root);
                const vs = await evaluate(policies, rec.resources, { stack, project: "dr" });
                assert.deepEqual(vs.map((v) => `[${v.enforcementLevel}] ${v.policy}: ${v.message}`), [], `${stack}`);
            }
        });
    }

    it("the failover tree's link passes without a health check only as an alias into its own zone that evaluates the level below", async () => {
        const rec = await runStack("dr", THREE, project.root);
        for (const change of [(a: any) => { a.evaluateTargetHealth = false; }, (a: any) => { a.zoneId = "ZOTHERZONE"; }]) {
            const resources = JSON.parse(JSON.stringify(rec.resources));
            change(resources.find((r: any) => r.name === "shop-dns-link").inputs.aliases[0]);
            const vs = await evaluate(policies, resources, { stack: "dr", project: "dr" });
            assert.deepEqual(vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy), ["routed-records-fail-over-fast"]);
        }
    });
});

describe("three regions: a portfolio per target region", () => {
    let project: ReturnType<typeof withThirdRegion>;
    const rs = { "dr:regionSwitch": true, "dr:approverArns": ["arn:aws:iam::123456789012:role/incident-commander"] };
    before(() => {
        project = withThirdRegion();
        // shop's dr2 in a portfolio of its own region, us-east-2: its parent plan runs shop's plan into us-east-2.
        const dr2 = { ...stackFileConfig("dr2", project.root), ...rs, "dr:portfolio": "estate-use2" };
        fs.writeFileSync(path.join(project.root, "Pulumi.dr2.yaml"), toYaml({ config: dr2 }));
        fs.writeFileSync(path.join(project.root, "Pulumi.estate-use2.yaml"), toYaml({ config: {
            "aws:region": "us-east-2", "dr:role": "portfolio", "dr:appName": "estate", ...rs, "dr:portfolioApps": ["dr2:1"],
        } }));
    });
    after(() => project.dispose());

    it("the second recovery region's portfolio: its parent plan covers the primary and us-east-2, is named as a plan into it, and runs dr2's plan", async () => {
        const plan = (await runStack("estate-use2", {}, project.root)).one("aws:arcregionswitch/plan:Plan").inputs;
        assert.equal(plan.name, "estate-rs-use2");
        assert.deepEqual(plan.regions, ["us-east-1", "us-east-2"]);
        assert.equal(plan.workflows[0].steps[1].regionSwitchPlanConfigs[0].arn, "arn:aws:arc-region-switch::123456789012:plan/shop-rs-use2:mock01");
    });

    it("its apps must recover into its region, and only the first recovery region's portfolio may carry the trigger", () => {
        const loaded = (overrides: Record<string, string>) => () => loadPortfolio("estate-use2", overrides, project.root);
        assert.throws(loaded({ "aws:region": "us-west-2" }), /must be the apps' recovery region: app "dr2" recovers into us-east-2 \(its aws:region\)/);
        assert.throws(loaded({ "dr:autoFailover": "auto" }), /recovers into us-east-2, not its set's first recovery region \(us-west-2\): only that region's plans carry the trigger/);
    });
});

describe("three regions: what the data services allow", () => {
    const parse = (overrides: Record<string, string>, stack = "dr") => parseDrConfig({ ...layeredConfig(stack), ...overrides }, stack);
    const problem = (overrides: Record<string, string>, stack = "dr") => {
        const r = parse(overrides, stack);
        assert.ok(!r.ok, "expected a problem");
        return r.problems.map((p) => `${p.key}: ${p.message} | ${p.fix}`).join("\n");
    };

    it("a Global Datastore has at most two secondaries: a fourth region is refused, naming the key, the limit and the fix", () => {
        const four = JSON.stringify([...THREE_REGIONS, "ca-central-1"]);
        const text = problem({ "dr:regions": four, "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": "ldgnf-shop-global" });
        assert.match(text, /dr:regions: lists 3 recovery regions: an ElastiCache Global Datastore .* has at most 2 secondary regions/);
        assert.match(text, /pulumi config set dr:regions '\["us-east-1","us-west-2","us-east-2"\]' -s dr/);
        assert.ok(parse({ "dr:regions": four }).ok, "pilot light without a datastore takes four regions");
    });

    it("an Aurora global database has at most 10 secondaries: a twelfth region is refused; backup & restore, which has none, takes it", () => {
        const twelve = JSON.stringify(["us-east-1", "us-west-2", "us-east-2", "us-west-1", "ca-central-1", "eu-west-1", "eu-west-2",
            "eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-southeast-2"]);
        assert.match(problem({ "dr:regions": twelve }), /lists 11 recovery regions: an Aurora global database has at most 10 secondary regions/);
        assert.ok(parse({ "dr:regions": twelve, "dr:strategy": "backup-restore" }).ok);
    });

    it("DynamoDB strong consistency takes exactly three regions of one set (US, EU or AP), and applies to active-active only", () => {
        const strong = { "dr:strategy": "active-active", "dr:tableConsistency": "strong" };
        assert.ok(parse({ ...strong, "dr:regions": JSON.stringify(THREE_REGIONS) }).ok);
        assert.match(problem({ ...strong, "dr:regions": JSON.stringify(["us-east-1", "us-west-2", "eu-west-1"]) }), /must be three regions of one set for dr:tableConsistency strong .*US: us-east-1, us-east-2, us-west-2/);
        assert.match(problem({ ...strong }), /must be three regions of one set/, "a pair is not three");
        const ignored = parse({ "dr:tableConsistency": "strong", ...THREE });
        assert.ok(ignored.ok);
        assert.match(JSON.stringify(ignored.warnings), /dr:tableConsistency.*applies to active-active's DynamoDB global table, not to pilot-light/);
    });

    it("a strongly consistent table is built with every replica STRONG", async () => {
        const rec = await runStack("prod", { ...THREE, "dr:strategy": "active-active", "dr:tableConsistency": "strong" });
        assert.deepEqual(rec.one("aws:dynamodb/table:Table").inputs.replicas.map((r: any) => [r.regionName, r.consistencyMode]), [["us-west-2", "STRONG"], ["us-east-2", "STRONG"]]);
    });

    it("dr:backupCopyRegions picks the recovery regions the writer's backups are copied to", async () => {
        const rec = await runStack("prod", { ...THREE, "dr:backupCopyRegions": JSON.stringify(["us-east-2"]) });
        const scheduled = rec.one("aws:backup/plan:Plan").inputs.rules.find((r: any) => r.copyActions);
        assert.deepEqual(scheduled.copyActions.map((c: any) => c.destinationVaultArn), ["arn:aws:backup:us-east-2:123456789012:backup-vault:shop-use2-backups"]);
        assert.match(problem({ ...THREE, "dr:backupCopyRegions": JSON.stringify(["eu-west-1"]) }, "prod"), /names eu-west-1, not a recovery region of the set/);
    });
});
