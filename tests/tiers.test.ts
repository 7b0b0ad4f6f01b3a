// Whole-stack tests of the backup-restore and active-active tiers, and of backups in every tier: the real
// index.ts per stack, with the real Pulumi.<stack>.yaml and per-case overrides.
import { strict as assert } from "assert";
import { ACCOUNT_ID, Recording, stackRun } from "../offline/evaluate";
import { stackError } from "./helpers";

const ALL_TIERS = ["backup-restore", "pilot-light", "warm-standby", "active-active"] as const;
const PRIMARY = "us-east-1";
const DR = "us-west-2";
const SNAPSHOT = `arn:aws:rds:${DR}:${ACCOUNT_ID}:cluster-snapshot:awsbackup:job-0123`;

const ASG = "aws:autoscaling/group:Group";
const CLUSTER = "aws:rds/cluster:Cluster";
const GLOBAL = "aws:rds/globalCluster:GlobalCluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const HEALTH = "aws:route53/healthCheck:HealthCheck";
const RECORD = "aws:route53/record:Record";
const TABLE = "aws:dynamodb/table:Table";
const VAULT = "aws:backup/vault:Vault";
const LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const PLAN = "aws:backup/plan:Plan";
const SELECTION = "aws:backup/selection:Selection";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const BUCKET = "aws:s3/bucket:Bucket";

/** Each stack and configuration is evaluated once across the test files (offline/evaluate.ts, stackRun). */
const stack = stackRun;

const backupRestore = { "dr:strategy": "backup-restore" };
const restore = { ...backupRestore, "dr:failover": "true", "dr:restoreFrom": SNAPSHOT };
const activeActive = { "dr:strategy": "active-active" };

function asg(r: Recording): [number, number, number] {
    const g = r.one(ASG).inputs;
    return [g.minSize, g.desiredCapacity, g.maxSize];
}

describe("backup-restore", () => {
    it("dr standby runs no instance, no database, no cache, no bucket: what receives backups, and what its restore must not create", async () => {
        const r = await stack("dr", backupRestore);
        for (const absent of [CLUSTER, INSTANCE, "aws:elasticache/replicationGroup:ReplicationGroup", PLAN]) {
            assert.equal(r.has(absent), false, `${absent} in a backup-restore standby`);
        }
        assert.deepEqual(r.ofType(BUCKET).map((b) => b.name), ["shop-logs-bucket"], "no data bucket: the access-log bucket only");
        // Pre-created: an empty app tier, so the SECONDARY alias and its check exist (unhealthy until the restore).
        assert.deepEqual(asg(r), [0, 0, 4]);
        assert.ok(r.has("aws:lb/loadBalancer:LoadBalancer"));
        assert.deepEqual(r.one(RECORD, "-dns-record").inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        assert.ok(r.has(HEALTH));
        assert.ok(r.has("aws:iam/role:Role"), "the backup role, ahead of the restore's backup plan");
        assert.ok(r.has(VAULT));
        assert.ok(r.has(LOCK));
        assert.ok(r.has("aws:kms/key:Key"));
        // The network is pre-created, without NAT gateways: free, and the restore does not wait for it.
        assert.equal(r.one("awsx:ec2:Vpc").inputs.natGateways.strategy, "None");
        assert.equal(r.outputs.asgDesired, 0);
        assert.equal(r.outputs.dbClusterIdentifier, null);
        assert.equal(r.outputs.dbWriter, false);
    });

    it("prod runs the full stack at N and, with no replica bucket to receive them, replicates no objects", async () => {
        const r = await stack("prod", { ...backupRestore, "dr:capacity": "6" });
        assert.deepEqual(asg(r), [6, 6, 6]);
        assert.ok(r.has(GLOBAL));
        assert.equal(r.has(REPLICATION), false);
        assert.ok(r.has(PLAN), "backups are this tier's only way to the dr region");
    });

    it("restore provisions the full stack at N with the database created from the recovery point", async () => {
        const r = await stack("dr", { ...restore, "dr:capacity": "5" });
        assert.deepEqual(asg(r), [5, 5, 5]);
        const cluster = r.one(CLUSTER);
        assert.equal(cluster.inputs.snapshotIdentifier, SNAPSHOT);
        assert.equal(cluster.inputs.globalClusterIdentifier, undefined, "a restored cluster is standalone");
        assert.equal(cluster.inputs.storageEncrypted, true);
        assert.ok(cluster.inputs.kmsKeyId);
        assert.equal(cluster.inputs.deletionProtection, true);
        assert.ok(cluster.inputs.masterPassword, "new master credentials: the prod stack's secret may be gone");
        assert.deepEqual(cluster.ignoreChanges, ["globalClusterIdentifier", "replicationSourceIdentifier", "snapshotIdentifier"]);
        assert.equal(r.has(GLOBAL), false);
        assert.equal(r.ofType(INSTANCE).length, 2);
        assert.deepEqual(r.one(RECORD, "-dns-record").inputs.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        assert.ok(r.one(BUCKET, "-objects-"), "an empty bucket for the objects' restore job");
        assert.equal(r.one("awsx:ec2:Vpc").inputs.natGateways.strategy, "OnePerAz");
        assert.equal(r.outputs.dbWriter, true);
    });

    it("restore keeps the network and vault of the standby: the same logical names, so nothing is replaced", async () => {
        const names = (r: Recording) => r.resources.filter((x) => x.custom).map((x) => `${x.type} ${x.name}`);
        const standby = names(await stack("dr", backupRestore));
        const restored = names(await stack("dr", restore));
        assert.deepEqual(standby.filter((n) => !restored.includes(n)), []);
    });

    it("a failover without dr:restoreFrom stops before creating anything, naming the key and where to find a recovery point", async () => {
        const message = await stackError("dr", { ...backupRestore, "dr:failover": "true" });
        assert.match(message, /dr:restoreFrom = \(not set\): is required when a backup-restore dr stack fails over/);
        assert.match(message, /aws backup list-recovery-points-by-backup-vault/);
        assert.match(message, /fix: pulumi config set dr:restoreFrom "<cluster-snapshot-arn>" -s dr/);
    });
});

describe("active-active", () => {
    for (const name of ["prod", "dr"] as const) {
        it(`${name} runs the full N, so either region absorbs all traffic alone`, async () => {
            assert.deepEqual(asg(await stack(name, { ...activeActive, "dr:capacity": "8" })), [8, 8, 8]);
        });

        it(`${name} runs a configured share of N and can grow back to N (with an RTO target that allows the scale-up)`, async () => {
            const share = { ...activeActive, "dr:capacity": "5", "dr:activeActiveCapacityPercent": "50", "dr:rtoTargetSeconds": "1200" };
            assert.deepEqual(asg(await stack(name, share)), [3, 3, 5]);
        });

        it(`${name}: latency record with its own health check, alias to its own ALB`, async () => {
            const r = await stack(name, activeActive);
            const record = r.one(RECORD, "-dns-record").inputs;
            assert.deepEqual(record.latencyRoutingPolicies, [{ region: name === "prod" ? PRIMARY : DR }]);
            assert.equal(record.failoverRoutingPolicies, undefined);
            assert.equal(record.healthCheckId, r.outputs.healthCheckId);
            assert.equal(record.aliases[0].evaluateTargetHealth, true);
            assert.equal(r.one(HEALTH, "-dns-health").inputs.requestInterval, 10);
            assert.equal(r.one(HEALTH, "-dns-health").inputs.failureThreshold, 3);
        });

        it(`${name}: weighted records when configured, each region its own weight`, async () => {
            const r = await stack(name, { ...activeActive, "dr:routingPolicy": "weighted", "dr:routingWeight": name === "prod" ? "200" : "55" });
            assert.deepEqual(r.one(RECORD, "-dns-record").inputs.weightedRoutingPolicies, [{ weight: name === "prod" ? 200 : 55 }]);
            assert.equal(r.one(RECORD, "-dns-record").inputs.latencyRoutingPolicies, undefined);
            assert.ok(r.one(RECORD, "-dns-record").inputs.healthCheckId);
        });
    }

    it("a share below N fails the preview at the default RTO target: the survivor must scale up", async () => {
        // The scale-up runs beside the promotion: at half of N it is the longer of the two.
        const message = await stackError("dr", { ...activeActive, "dr:capacity": "4", "dr:activeActiveCapacityPercent": "50" });
        assert.match(message, /The active-active configuration cannot meet its recovery objectives/);
        assert.match(message, /estimated RTO 630 s \(target 600 s\), the critical path: detect -> decide -> readiness -> scale-compute -> smoke-check/);
        assert.match(message, /\* scale-compute\s+600 s {2}30-630\s+2 of 4 instances running/);
        const dynamodb = await stackError("dr", { ...activeActive, "dr:capacity": "4", "dr:activeActiveCapacityPercent": "50", "dr:activeActiveWrites": "dynamodb" });
        assert.match(dynamodb, /estimated RTO 630 s \(target 90 s\)/);
    });

    it("prod owns the DynamoDB global table: replica in the dr region, PITR on both, streams on", async () => {
        const r = await stack("prod", activeActive);
        const table = r.one(TABLE);
        assert.equal(table.inputs.name, "shop-data");
        assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
        assert.equal(table.inputs.streamEnabled, true);
        assert.equal(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
        assert.deepEqual(table.inputs.replicas.map((x: { regionName: string; pointInTimeRecovery: boolean }) => [x.regionName, x.pointInTimeRecovery]), [[DR, true]]);
        assert.equal(table.protect, true);
        assert.equal(r.outputs.globalTableName, "shop-data");
        assert.equal((await stack("dr", activeActive)).has(TABLE), false, "the dr stack uses its replica, created by prod");
    });

    it("the dr Aurora secondary forwards writes; prod's writer does not need to", async () => {
        assert.equal((await stack("dr", activeActive)).one(CLUSTER).inputs.enableGlobalWriteForwarding, true);
        assert.equal((await stack("prod", activeActive)).one(CLUSTER).inputs.enableGlobalWriteForwarding, undefined);
    });

    it("objects replicate both ways, each bucket to the other region's", async () => {
        const prodRule = (await stack("prod", activeActive)).one(REPLICATION).inputs.rules[0];
        const drRule = (await stack("dr", activeActive)).one(REPLICATION).inputs.rules[0];
        assert.equal(prodRule.destination.bucket, `arn:aws:s3:::shop-data-${ACCOUNT_ID}-${DR}`);
        assert.equal(drRule.destination.bucket, `arn:aws:s3:::shop-data-${ACCOUNT_ID}-${PRIMARY}`);
        assert.deepEqual(drRule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
        const roles = [await stack("prod", activeActive), await stack("dr", activeActive)].map((r) => r.one("aws:iam/role:Role", "replication-role").inputs.name);
        assert.deepEqual(roles, ["shop-use1-s3-replication", "shop-usw2-s3-replication"]);
    });

    it("dr:failover=true is accepted: the dr cluster becomes the writer, nothing else about the region changes", async () => {
        const serving = await stack("dr", activeActive);
        const promoted = await stack("dr", { ...activeActive, "dr:failover": "true" });
        assert.equal(serving.outputs.dbWriter, false);
        assert.equal(promoted.outputs.dbWriter, true);
        assert.deepEqual(promoted.one(CLUSTER).inputs, serving.one(CLUSTER).inputs);
        assert.deepEqual(asg(promoted), asg(serving));
        assert.deepEqual(promoted.one(RECORD, "-dns-record").inputs, serving.one(RECORD, "-dns-record").inputs);
        assert.ok(promoted.has(PLAN) && !serving.has(PLAN), "the writer region backs itself up");
    });
});

describe("backups in every tier", () => {
    for (const tier of ALL_TIERS) {
        it(`${tier}: prod's plan runs hourly, keeps 14 days, copies every recovery point to the dr vault by its deterministic ARN`, async () => {
            const r = await stack("prod", { "dr:strategy": tier });
            const [scheduled, continuous] = r.one(PLAN).inputs.rules;
            assert.equal(scheduled.schedule, "cron(0 * * * ? *)");
            assert.deepEqual(scheduled.lifecycle, { deleteAfter: 14 });
            assert.deepEqual(scheduled.copyActions, [{
                destinationVaultArn: `arn:aws:backup:${DR}:${ACCOUNT_ID}:backup-vault:shop-usw2-backups`,
                lifecycle: { deleteAfter: 14 },
            }]);
            assert.equal(continuous.enableContinuousBackup, true, "PITR where AWS Backup supports it");
            assert.deepEqual(continuous.lifecycle, { deleteAfter: 14 });
            assert.equal(scheduled.targetVaultName, r.one(VAULT).inputs.name);
            assert.equal(r.one(VAULT).inputs.name, "shop-use1-backups");
            assert.ok(r.one(VAULT).inputs.kmsKeyArn, "the vault is encrypted with the region's own key");
        });

        it(`${tier}: prod backs up exactly its stateful resources`, async () => {
            const r = await stack("prod", { "dr:strategy": tier });
            const mockArn = (x: { type: string; name: string }) => `arn:aws:mock:::${x.type}/${x.name}`;
            const expected = [mockArn(r.one(CLUSTER)), `arn:aws:s3:::${r.outputs.bucketName}`, ...r.ofType(TABLE).map(mockArn)];
            assert.deepEqual([...r.one(SELECTION).inputs.resources].sort(), expected.sort());
            assert.equal(r.ofType(TABLE).length, tier === "active-active" ? 1 : 0);
        });

        it(`${tier}: the dr vault is under a governance-mode Vault Lock that every recovery point satisfies`, async () => {
            const r = await stack("dr", { "dr:strategy": tier });
            assert.equal(r.one(VAULT).inputs.name, "shop-usw2-backups");
            const lock = r.one(LOCK).inputs;
            assert.equal(lock.minRetentionDays, 14);
            assert.equal(lock.changeableForDays, undefined, "no ChangeableForDays is governance mode");
            assert.equal((await stack("prod", { "dr:strategy": tier })).has(LOCK), false);
        });
    }

    it("schedule and retention follow config; retention beyond 35 days caps only the continuous backups and the lock", async () => {
        const o = { "dr:backupSchedule": "cron(30 */4 * * ? *)", "dr:backupRetentionDays": "90" };
        const [scheduled, continuous] = (await stack("prod", o)).one(PLAN).inputs.rules;
        assert.equal(scheduled.schedule, "cron(30 */4 * * ? *)");
        assert.deepEqual(scheduled.lifecycle, { deleteAfter: 90 });
        assert.deepEqual(scheduled.copyActions[0].lifecycle, { deleteAfter: 90 });
        assert.deepEqual(continuous.lifecycle, { deleteAfter: 35 });
        assert.equal((await stack("dr", o)).one(LOCK).inputs.minRetentionDays, 35);
    });

    it("compliance mode sets ChangeableForDays from config", async () => {
        const lock = (await stack("dr", { "dr:vaultLockMode": "compliance", "dr:vaultLockChangeableForDays": "7" })).one(LOCK).inputs;
        assert.equal(lock.changeableForDays, 7);
    });

    it("a standby dr region has no plan of its own: the writer's plan copies into its vault", async () => {
        for (const tier of ["backup-restore", "pilot-light", "warm-standby"]) {
            assert.equal((await stack("dr", { "dr:strategy": tier })).has(PLAN), false, tier);
        }
    });

    it("a promoted or restored dr region backs itself up into its own vault, with no copy to the lost primary region", async () => {
        for (const overrides of [{ "dr:failover": "true" }, restore, { ...activeActive, "dr:failover": "true" }]) {
            const r = await stack("dr", overrides);
            const [scheduled] = r.one(PLAN).inputs.rules;
            assert.equal(scheduled.targetVaultName, "shop-usw2-backups");
            assert.equal(scheduled.copyActions, undefined);
            assert.ok(r.one(SELECTION).inputs.resources.length >= 2);
        }
    });
});

describe("every tier: one region per stack", () => {
    for (const tier of ALL_TIERS) {
        for (const [name, region] of [["prod", PRIMARY], ["dr", DR]] as const) {
            it(`${tier} ${name}: every AWS resource goes through the one provider of ${region}, tagged with the tier`, async () => {
                const r = await stack(name, { "dr:strategy": tier });
                const provider = r.one("pulumi:providers:aws");
                assert.equal(provider.inputs.region, region);
                assert.equal(JSON.parse(provider.inputs.defaultTags).tags["dr:tier"], tier);
                const aws = r.resources.filter((x) => x.custom && x.type.startsWith("aws:"));
                assert.ok(aws.some((x) => x.type === "aws:kms/key:Key"), "every region has its data key: the loop below checked something");
                for (const x of aws) {
                    assert.ok(x.provider?.includes(`::${provider.name}::`), `${x.type} ${x.name} is not on the ${region} provider`);
                }
                // awsx's VPC is a remote component: its aws children get the provider through the providers map.
                assert.ok(r.has("awsx:ec2:Vpc"));
            });
        }
    }

    it("the dr stack of an active/passive tier names nothing in the primary region, in standby or promoted", async () => {
        for (const overrides of [backupRestore, restore, { "dr:failover": "true" }, { "dr:strategy": "warm-standby", "dr:failover": "true" }]) {
            const r = await stack("dr", overrides);
            for (const x of r.resources) {
                assert.ok(!JSON.stringify(x.inputs).includes(PRIMARY), `${JSON.stringify(overrides)}: ${x.type} ${x.name} refers to ${PRIMARY}`);
            }
        }
    });

    it("active-active's dr stack names the primary region only in its replication back to the prod bucket", async () => {
        const r = await stack("dr", activeActive);
        const naming = r.resources.filter((x) => JSON.stringify(x.inputs).includes(PRIMARY)).map((x) => x.type).sort();
        assert.deepEqual(naming, [
            "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:iam/rolePolicy:RolePolicy", REPLICATION,
        ]);
    });
});

describe("local stacks (an AWS emulator on this machine)", () => {
    for (const [name, region] of [["local", PRIMARY], ["local-dr", DR]] as const) {
        it(`${name}: the provider sends every AWS call to the loopback emulator, with dummy credentials`, async () => {
            const provider = (await stackRun(name)).one("pulumi:providers:aws").inputs;
            assert.equal(provider.region, region);
            const endpoints = JSON.parse(provider.endpoints)[0];
            for (const service of ["ec2", "rds", "route53", "s3", "sts", "elbv2", "autoscaling", "backup", "kms", "iam"]) {
                assert.equal(endpoints[service], "http://127.0.0.1:5000", service);
            }
            assert.equal(provider.skipCredentialsValidation, "true");
            assert.equal(provider.accessKey.value, "testing", "kept as a secret by the provider");
        });
    }

    it("the shipped prod and dr stacks keep the provider's defaults: real AWS", async () => {
        for (const name of ["prod", "dr"] as const) {
            assert.equal((await stackRun(name)).one("pulumi:providers:aws").inputs.endpoints, undefined);
        }
    });

    it("an emulator endpoint off this machine is refused", async () => {
        const message = await stackError("dr", { "dr:awsEndpoint": "http://10.0.0.5:5000" });
        assert.match(message, /dr:awsEndpoint = "http:\/\/10\.0\.0\.5:5000": must be a loopback URL/);
    });
});
