// Whole-stack tests: the real index.ts per stack, with the real Pulumi.<stack>.yaml and per-case overrides.
// They assert the configuration that decides RTO and RPO, per tier and per stack.
import { strict as assert } from "assert";
import { ACCOUNT_ID, Recording, stackRun } from "../offline/evaluate";

const TIERS = ["pilot-light", "warm-standby"] as const;
const PRIMARY = "us-east-1";
const DR = "us-west-2";

const ASG = "aws:autoscaling/group:Group";
const CLUSTER = "aws:rds/cluster:Cluster";
const GLOBAL = "aws:rds/globalCluster:GlobalCluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const HEALTH = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

function asg(r: Recording): [number, number, number] {
    const g = r.one(ASG).inputs;
    return [g.minSize, g.desiredCapacity, g.maxSize];
}

/** The replication alarms' metrics (the fence's, the canary's and the restore tests' alarms are tested on their own). */
function alarmMetrics(r: Recording): string[] {
    return r.ofType(ALARM).filter((a) => ["AWS/RDS", "AWS/S3"].includes(a.inputs.namespace)).map((a) => a.inputs.metricName).sort();
}

/** Each stack and configuration is evaluated once across the test files (offline/evaluate.ts, stackRun). */
const stack = stackRun;

describe("whole stack: app-tier capacity per tier, stack and N", () => {
    // [N, warm standby's ceil(N/4) floored at 1]
    const sizes: [number, number][] = [[1, 1], [4, 1], [5, 2], [8, 2]];
    for (const tier of TIERS) {
        for (const [n, quarter] of sizes) {
            it(`${tier}, N=${n}: prod N/N/N, dr standby ${tier === "pilot-light" ? "0/0/N" : `${quarter}/${quarter}/N`}, dr failover N/N/N`, async () => {
                const o = { "dr:strategy": tier, "dr:capacity": String(n) };
                const prod = await stack("prod", o);
                const dr = await stack("dr", o);
                const promoted = await stack("dr", { ...o, "dr:failover": "true" });
                assert.deepEqual(asg(prod), [n, n, n]);
                assert.deepEqual(asg(dr), tier === "pilot-light" ? [0, 0, n] : [quarter, quarter, n]);
                assert.deepEqual(asg(promoted), [n, n, n]);
                assert.deepEqual([dr.outputs.asgMin, dr.outputs.asgDesired, dr.outputs.asgMax], asg(dr));
            });
        }
    }

    it("the shipped stack files deploy pilot light with N=4", async () => {
        assert.deepEqual(asg(await stack("prod")), [4, 4, 4]);
        assert.deepEqual(asg(await stack("dr")), [0, 0, 4]);
    });

    it("the ASG replaces instances the load balancer finds unhealthy, and launches with IMDSv2 only", async () => {
        const r = await stack("dr");
        assert.equal(r.one(ASG).inputs.healthCheckType, "ELB");
        assert.equal(r.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.metadataOptions.httpTokens, "required");
        assert.equal(r.one("aws:lb/targetGroup:TargetGroup").inputs.healthCheck.path, "/health");
        assert.ok(r.has("aws:lb/loadBalancer:LoadBalancer"), "pilot light keeps the ALB defined");
    });
});

describe("whole stack: cache per tier", () => {
    for (const tier of TIERS) {
        it(`${tier}: prod full cache, dr ${tier === "pilot-light" ? "none" : "reduced"}, promoted dr full`, async () => {
            const prod = await stack("prod", { "dr:strategy": tier });
            const dr = await stack("dr", { "dr:strategy": tier });
            const promoted = await stack("dr", { "dr:strategy": tier, "dr:failover": "true" });
            const size = (r: Recording) => [r.one(CACHE).inputs.nodeType, r.one(CACHE).inputs.numCacheClusters];
            assert.deepEqual(size(prod), ["cache.r7g.large", 2]);
            if (tier === "pilot-light") {
                assert.equal(dr.has(CACHE), false);
                assert.equal(dr.outputs.cacheEndpoint, null);
            } else {
                assert.deepEqual(size(dr), ["cache.t4g.medium", 1]);
            }
            assert.deepEqual(size(promoted), ["cache.r7g.large", 2]);
        });
    }
});

describe("whole stack: DNS failover and health checks", () => {
    for (const [name, role] of [["prod", "PRIMARY"], ["dr", "SECONDARY"]] as const) {
        it(`${name}: ${role} alias record to its own ALB, health check 10 s x 3 by default`, async () => {
            const r = await stack(name);
            const record = r.one(RECORD, "-dns-record").inputs;
            const check = r.one(HEALTH, "-dns-health").inputs;
            assert.equal(record.type, "A");
            assert.equal(record.name, "shop.example.com");
            assert.equal(record.zoneId, "Z0123456789EXAMPLE01");
            assert.deepEqual(record.failoverRoutingPolicies, [{ type: role }]);
            assert.equal(record.ttl, undefined, "an alias record takes the ELB's 60 s TTL; a TTL here is an error");
            assert.equal(record.aliases.length, 1);
            assert.equal(record.aliases[0].evaluateTargetHealth, true);
            assert.equal(record.aliases[0].name, r.outputs.albDnsName);
            assert.equal(record.healthCheckId, r.outputs.healthCheckId);
            assert.equal(check.fqdn, r.outputs.albDnsName);
            assert.equal(check.requestInterval, 10);
            assert.equal(check.failureThreshold, 3);
            assert.deepEqual([check.type, check.port, check.enableSni], ["HTTPS", 443, true]);
            assert.equal(check.resourcePath, "/health");
        });
    }

    it("health-check interval and threshold follow config", async () => {
        const r = await stack("dr", { "dr:healthCheckIntervalSeconds": "30", "dr:healthCheckFailureThreshold": "5" });
        assert.equal(r.one(HEALTH, "-dns-health").inputs.requestInterval, 30);
        assert.equal(r.one(HEALTH, "-dns-health").inputs.failureThreshold, 5);
    });

    it("the promoted dr region keeps its SECONDARY record (failover records move traffic by health)", async () => {
        const r = await stack("dr", { "dr:failover": "true" });
        assert.deepEqual(r.one(RECORD, "-dns-record").inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
    });

    it("the two stacks' records share a name and differ in set identifier", async () => {
        const [prod, dr] = [await stack("prod"), await stack("dr")];
        assert.equal(prod.one(RECORD, "-dns-record").inputs.name, dr.one(RECORD, "-dns-record").inputs.name);
        assert.notEqual(prod.one(RECORD, "-dns-record").inputs.setIdentifier, dr.one(RECORD, "-dns-record").inputs.setIdentifier);
    });
});

describe("whole stack: Aurora global database", () => {
    for (const tier of TIERS) {
        it(`${tier}: prod creates the global cluster and its encrypted, protected writer`, async () => {
            const r = await stack("prod", { "dr:strategy": tier });
            const global = r.one(GLOBAL);
            const cluster = r.one(CLUSTER);
            assert.equal(global.inputs.globalClusterIdentifier, "shop-global");
            assert.equal(global.inputs.storageEncrypted, true);
            assert.equal(global.inputs.deletionProtection, true);
            assert.equal(cluster.inputs.globalClusterIdentifier, "shop-global", "the writer joins the global cluster it created");
            assert.equal(cluster.inputs.clusterIdentifier, "shop-use1-aurora");
            assert.equal(cluster.inputs.storageEncrypted, true);
            assert.ok(cluster.inputs.kmsKeyId, "encrypted with the region's own KMS key");
            assert.equal(cluster.inputs.deletionProtection, true);
            assert.ok(cluster.inputs.backupRetentionPeriod >= 1 && cluster.inputs.backupRetentionPeriod <= 35);
            assert.equal(cluster.inputs.skipFinalSnapshot, false);
            assert.equal(cluster.inputs.manageMasterUserPassword, undefined);
            assert.equal(cluster.protect, true);
            assert.deepEqual(cluster.ignoreChanges, ["globalClusterIdentifier", "replicationSourceIdentifier"]);
            assert.equal(r.ofType(INSTANCE).length, 2);
            assert.equal(r.outputs.dbWriter, true);
        });

        it(`${tier}: dr attaches a secondary by the global cluster's deterministic name`, async () => {
            const r = await stack("dr", { "dr:strategy": tier });
            assert.equal(r.has(GLOBAL), false, "the global cluster belongs to the prod stack");
            const cluster = r.one(CLUSTER);
            assert.equal(cluster.inputs.globalClusterIdentifier, "shop-global");
            assert.equal(cluster.inputs.clusterIdentifier, "shop-usw2-aurora");
            assert.equal(cluster.inputs.storageEncrypted, true);
            assert.ok(cluster.inputs.kmsKeyId);
            assert.equal(cluster.inputs.deletionProtection, true);
            assert.equal(cluster.inputs.masterPassword, undefined, "a secondary takes its credentials from the primary");
            assert.deepEqual(cluster.ignoreChanges, ["globalClusterIdentifier", "replicationSourceIdentifier"]);
            assert.equal(r.ofType(INSTANCE).length, 1);
            assert.equal(r.outputs.dbWriter, false);
            assert.equal(r.outputs.dbClusterIdentifier, "shop-usw2-aurora");
        });

        it(`${tier}: failover neither re-attaches nor changes the promoted cluster, and adds a reader`, async () => {
            const standby = (await stack("dr", { "dr:strategy": tier })).one(CLUSTER);
            const promoted = await stack("dr", { "dr:strategy": tier, "dr:failover": "true" });
            assert.deepEqual(promoted.one(CLUSTER).inputs, standby.inputs, "any input change here could replace or re-attach the writer");
            assert.deepEqual(promoted.one(CLUSTER).ignoreChanges, standby.ignoreChanges);
            assert.equal(promoted.ofType(INSTANCE).length, 2);
            assert.equal(promoted.outputs.dbWriter, true);
        });
    }
});

describe("whole stack: object store replication", () => {
    it("prod replicates every object to the dr bucket with RTC and metrics, encrypted with the dr key", async () => {
        const r = await stack("prod");
        const rule = r.one(REPLICATION).inputs.rules[0];
        assert.equal(rule.status, "Enabled");
        assert.equal(rule.destination.bucket, `arn:aws:s3:::shop-data-${ACCOUNT_ID}-${DR}`);
        assert.deepEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
        assert.deepEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
        assert.equal(rule.destination.encryptionConfiguration.replicaKmsKeyId, `arn:aws:kms:${DR}:${ACCOUNT_ID}:alias/shop-dr-data`);
        assert.equal(rule.deleteMarkerReplication.status, "Enabled");
        assert.equal(r.outputs.bucketName, `shop-data-${ACCOUNT_ID}-${PRIMARY}`);
    });

    it("dr holds the versioned, encrypted replica under the name prod replicates to", async () => {
        const r = await stack("dr");
        assert.equal(r.has(REPLICATION), false);
        assert.equal(r.one("aws:s3/bucket:Bucket", "-objects-").inputs.bucket, `shop-data-${ACCOUNT_ID}-${DR}`);
        assert.equal(r.one("aws:s3/bucketVersioning:BucketVersioning", "-objects-").inputs.versioningConfiguration.status, "Enabled");
        assert.equal(r.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "-objects-").inputs.rules[0]
            .applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(r.one("aws:kms/alias:Alias").inputs.name, "alias/shop-dr-data");
    });

    it("dr:replicateObjects=false (first deploy) leaves out the replication rule, its alarms and the fence, which need the dr stack, nothing else", async () => {
        const full = await stack("prod");
        const first = await stack("prod", { "dr:replicateObjects": "false" });
        assert.equal(first.has(REPLICATION), false);
        assert.deepEqual(alarmMetrics(first), []);
        assert.equal(first.one(RECORD, "-dns-record").inputs.healthCheckId, "shop-dns-health-id", "the record uses its endpoint's check until the fence exists");
        const kept = (r: Recording) => r.resources.filter((x) => !/replication|s3-(latency|failures)|dns-(fence|gate)/.test(x.name)).map((x) => x.name);
        assert.deepEqual(kept(first), kept(full));
    });
});

describe("whole stack: replication alarms", () => {
    it("prod alarms on S3 replication latency and failures, to its SNS topic", async () => {
        const r = await stack("prod");
        assert.deepEqual(alarmMetrics(r), ["OperationsFailedReplication", "ReplicationLatency"]);
        for (const alarm of r.ofType(ALARM)) {
            assert.deepEqual(alarm.inputs.alarmActions, [r.outputs.alarmTopicArn]);
        }
    });

    for (const tier of TIERS) {
        it(`${tier}: dr alarms on Aurora global replication lag of its own cluster while it stands by`, async () => {
            const r = await stack("dr", { "dr:strategy": tier });
            assert.deepEqual(alarmMetrics(r), ["AuroraGlobalDBReplicationLag"]);
            assert.equal(r.one(ALARM, "-aurora-lag").inputs.dimensions.DBClusterIdentifier, "shop-usw2-aurora");
            assert.deepEqual(r.one(ALARM, "-aurora-lag").inputs.alarmActions, [r.outputs.alarmTopicArn]);
        });
    }

    it("a promoted dr region no longer alarms on lag it does not receive", async () => {
        const r = await stack("dr", { "dr:failover": "true" });
        assert.deepEqual(alarmMetrics(r), []);
        assert.ok(r.has("aws:sns/topic:Topic"));
    });
});

describe("whole stack: regions, isolation and tags", () => {
    it("dr deploys with the primary region gone: no stack reference, and nothing aimed at the primary region", async () => {
        for (const tier of TIERS) {
            for (const failover of ["false", "true"]) {
                const r = await stack("dr", { "dr:strategy": tier, "dr:failover": failover });
                assert.equal(r.has("pulumi:pulumi:StackReference"), false);
                for (const x of r.resources) {
                    assert.ok(!JSON.stringify(x.inputs).includes(PRIMARY), `${x.type} ${x.name} refers to ${PRIMARY}`);
                }
            }
        }
    });

    it("the provider tags every resource with app, tier and role", async () => {
        for (const [name, role] of [["prod", "primary"], ["dr", "secondary"]] as const) {
            const r = await stack(name, { "dr:strategy": "warm-standby" });
            const tags = JSON.parse(r.one("pulumi:providers:aws").inputs.defaultTags).tags;
            assert.deepEqual(tags, { "dr:app": "shop", "dr:tier": "warm-standby", "dr:role": role, "managed-by": "pulumi" });
        }
    });

    it("changing the tier keeps every child's logical name (the tier components alias each other)", async () => {
        const names = (r: Recording) => r.resources.filter((x) => x.custom).map((x) => `${x.type} ${x.name}`);
        const pilot = names(await stack("dr", { "dr:strategy": "pilot-light" }));
        const warm = names(await stack("dr", { "dr:strategy": "warm-standby" }));
        const shared = pilot.filter((n) => warm.includes(n));
        assert.deepEqual(shared, pilot, "every pilot-light resource keeps its name in warm standby");
    });
});

describe("whole stack: outputs", () => {
    it("prod and dr export the documented outputs", async () => {
        for (const [name, role, region] of [["prod", "primary", PRIMARY], ["dr", "secondary", DR]] as const) {
            const o = (await stack(name)).outputs;
            assert.equal(o.strategy, "pilot-light");
            assert.equal(o.role, role);
            assert.equal(o.region, region);
            assert.equal(o.endpoint, "https://shop.example.com");
            assert.match(o.albDnsName, /elb/);
            assert.equal(o.autoScalingGroupName, `shop-${name === "prod" ? "use1" : "usw2"}-app`);
            assert.equal(o.globalClusterIdentifier, name === "prod" ? "shop-global" : "shop-global");
            for (const key of ["asgMin", "asgDesired", "asgMax", "dbClusterIdentifier", "bucketName", "healthCheckId", "alarmTopicArn"]) {
                assert.notEqual(o[key], undefined, key);
            }
        }
    });
});
