// The local AWS emulator (offline/moto.ts) and the calls the DR runbook makes, each checked by the state a
// describe call reads back afterwards: moto answers some calls with 200 and changes nothing.
//
// One moto_server for the whole run (tests/emulator.ts), reset before each group. Needs moto_server on PATH: without it the
// before() hook fails (on purpose: CI must not skip these).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as asg from "@aws-sdk/client-auto-scaling";
import * as cw from "@aws-sdk/client-cloudwatch";
import * as ec from "@aws-sdk/client-elasticache";
import * as elb from "@aws-sdk/client-elastic-load-balancing-v2";
import * as rds from "@aws-sdk/client-rds";
import * as r53 from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
    MOTO_ACCOUNT_ID,
    MOTO_MISSING_MESSAGE,
    Moto,
    awsClientConfig,
    motoQuery,
    motoRestJson,
    resetMoto,
    startMoto,
    xmlValues,
} from "../offline/moto";
import { sharedEmulator } from "./emulator";

const USE1 = "us-east-1";
const USW2 = "us-west-2";
const EC2_VERSION = "2016-11-15";

let moto: Moto;

/** A VPC with two subnets in two AZs, an internet-facing ALB with an HTTP:80 listener forwarding to an instance target group. */
async function albStack(region: string, prefix: string) {
    const ec2 = (action: string, params: Record<string, string> = {}) => motoQuery(moto.endpoint, "ec2", region, EC2_VERSION, action, params);
    const [vpcId] = xmlValues(await ec2("CreateVpc", { CidrBlock: "10.1.0.0/16" }), "vpcId");
    const subnets: string[] = [];
    for (const [i, az] of ["a", "b"].entries()) {
        const xml = await ec2("CreateSubnet", { VpcId: vpcId, CidrBlock: `10.1.${i + 1}.0/24`, AvailabilityZone: `${region}${az}` });
        subnets.push(xmlValues(xml, "subnetId")[0]);
    }
    const lbs = new elb.ElasticLoadBalancingV2Client(awsClientConfig(moto.endpoint, region));
    const alb = (await lbs.send(new elb.CreateLoadBalancerCommand({ Name: `${prefix}-alb`, Subnets: subnets, Type: "application", Scheme: "internet-facing" })))
        .LoadBalancers![0];
    const tg = (
        await lbs.send(new elb.CreateTargetGroupCommand({ Name: `${prefix}-tg`, Protocol: "HTTP", Port: 80, VpcId: vpcId, TargetType: "instance", HealthCheckPath: "/health" }))
    ).TargetGroups![0];
    await lbs.send(
        new elb.CreateListenerCommand({ LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }] }),
    );
    return { ec2, lbs, vpcId, subnets, alb, tg };
}

describe("moto: local AWS emulator for the runbook", function () {
    this.timeout(60_000);

    before(async function () {
        // The run's one moto_server (tests/emulator.ts); the harness tests below start their own.
        moto = await sharedEmulator();
    });

    describe("harness", function () {
        it("listens on loopback only, and STS answers with moto's account", async function () {
            assert.match(moto.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.equal(moto.endpoint, `http://127.0.0.1:${moto.port}`);
            const sts = new STSClient(awsClientConfig(moto.endpoint, USE1));
            const me = await sts.send(new GetCallerIdentityCommand({}));
            assert.equal(me.Account, MOTO_ACCOUNT_ID);
            assert.equal(me.Arn, `arn:aws:sts::${MOTO_ACCOUNT_ID}:user/moto`);
        });

        it("resetMoto forgets every resource", async function () {
            const cache = new ec.ElastiCacheClient(awsClientConfig(moto.endpoint, USW2));
            await cache.send(new ec.CreateCacheClusterCommand({ CacheClusterId: "reset-probe", Engine: "redis", CacheNodeType: "cache.t4g.micro", NumCacheNodes: 1 }));
            assert.equal((await cache.send(new ec.DescribeCacheClustersCommand({}))).CacheClusters?.length, 1);
            await resetMoto(moto.endpoint);
            assert.equal((await cache.send(new ec.DescribeCacheClustersCommand({}))).CacheClusters?.length, 0);
        });

        it("fails loudly, with the install command, when moto_server is not on PATH", async function () {
            const saved = process.env.PATH;
            process.env.PATH = "/nonexistent";
            try {
                await assert.rejects(startMoto(), (e: Error) => e.message === MOTO_MISSING_MESSAGE);
            } finally {
                process.env.PATH = saved;
            }
            assert.match(MOTO_MISSING_MESSAGE, /moto_server is not installed: .*pip install "moto\[server\]"/);
        });

        it("reports moto_server's stderr when it exits before answering", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-moto-"));
            const fake = path.join(dir, "moto_server");
            fs.writeFileSync(fake, "#!/bin/sh\necho 'ModuleNotFoundError: No module named flask' >&2\nexit 3\n", { mode: 0o755 });
            const saved = process.env.PATH;
            process.env.PATH = dir;
            try {
                await assert.rejects(startMoto(), (e: Error) => /exited \(3\)/.test(e.message) && e.message.includes("No module named flask"));
            } finally {
                process.env.PATH = saved;
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("Auto Scaling group behind an ALB target group (us-west-2)", function () {
        let net: Awaited<ReturnType<typeof albStack>>;
        const scaling = () => new asg.AutoScalingClient(awsClientConfig(moto.endpoint, USW2));
        const group = async () =>
            (await scaling().send(new asg.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["shop-usw2-app"] }))).AutoScalingGroups![0];
        const targets = async () => (await net.lbs.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: net.tg.TargetGroupArn }))).TargetHealthDescriptions!;

        before(async function () {
            await resetMoto(moto.endpoint);
            net = await albStack(USW2, "shop-usw2");
            const lt = await net.ec2("CreateLaunchTemplate", {
                LaunchTemplateName: "shop-usw2-app",
                "LaunchTemplateData.ImageId": "ami-12c6146b",
                "LaunchTemplateData.InstanceType": "t3.micro",
            });
            await scaling().send(
                new asg.CreateAutoScalingGroupCommand({
                    AutoScalingGroupName: "shop-usw2-app",
                    MinSize: 0,
                    DesiredCapacity: 0,
                    MaxSize: 4,
                    LaunchTemplate: { LaunchTemplateId: xmlValues(lt, "launchTemplateId")[0], Version: "$Latest" },
                    VPCZoneIdentifier: net.subnets.join(","),
                    TargetGroupARNs: [net.tg.TargetGroupArn!],
                }),
            );
        });

        it("starts at 0/0/4, attached to the target group, with no instances and no targets", async function () {
            const g = await group();
            assert.deepEqual([g.MinSize, g.DesiredCapacity, g.MaxSize], [0, 0, 4]);
            assert.deepEqual(g.TargetGroupARNs, [net.tg.TargetGroupArn]);
            assert.deepEqual(g.Instances, []);
            assert.deepEqual(await targets(), []);
            const tg = (await net.lbs.send(new elb.DescribeTargetGroupsCommand({ Names: ["shop-usw2-tg"] }))).TargetGroups![0];
            assert.deepEqual(tg.LoadBalancerArns, [net.alb.LoadBalancerArn]);
        });

        it("scaled to 4/4/4: four InService instances and four healthy targets at once (no 'initial' phase)", async function () {
            await scaling().send(new asg.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "shop-usw2-app", MinSize: 4, DesiredCapacity: 4, MaxSize: 4 }));
            const g = await group();
            assert.deepEqual([g.MinSize, g.DesiredCapacity, g.MaxSize], [4, 4, 4]);
            assert.equal(g.Instances!.length, 4);
            assert.ok(g.Instances!.every((i) => i.LifecycleState === "InService" && i.HealthStatus === "Healthy"));
            const health = await targets();
            assert.deepEqual(health.map((t) => t.Target!.Id).sort(), g.Instances!.map((i) => i.InstanceId).sort());
            assert.deepEqual(new Set(health.map((t) => t.TargetHealth!.State)), new Set(["healthy"]));
        });
    });

    describe("Route 53 failover and weighted records", function () {
        const dns = () => new r53.Route53Client(awsClientConfig(moto.endpoint, USE1));
        let zoneId: string;
        let primaryCheck: string;
        let secondaryCheck: string;
        let use1: elb.LoadBalancer;
        let usw2: elb.LoadBalancer;
        const records = async (name: string) =>
            (await dns().send(new r53.ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets!.filter((r) => r.Name === name);
        const healthCheck = async (CallerReference: string, FullyQualifiedDomainName: string) =>
            (
                await dns().send(
                    new r53.CreateHealthCheckCommand({
                        CallerReference,
                        HealthCheckConfig: { Type: "HTTP", FullyQualifiedDomainName, Port: 80, ResourcePath: "/health", RequestInterval: 10, FailureThreshold: 3 },
                    }),
                )
            ).HealthCheck!.Id!;

        before(async function () {
            await resetMoto(moto.endpoint);
            use1 = (await albStack(USE1, "shop-use1")).alb;
            usw2 = (await albStack(USW2, "shop-usw2")).alb;
            zoneId = (await dns().send(new r53.CreateHostedZoneCommand({ Name: "example.com", CallerReference: "zone-1" }))).HostedZone!.Id!;
            primaryCheck = await healthCheck("hc-primary", use1.DNSName!);
            secondaryCheck = await healthCheck("hc-secondary", usw2.DNSName!);
        });

        it("accepts PRIMARY/SECONDARY failover alias records and lists them back", async function () {
            const failover = (SetIdentifier: string, Failover: r53.ResourceRecordSetFailover, HealthCheckId: string, lb: elb.LoadBalancer): r53.Change => ({
                Action: "CREATE",
                ResourceRecordSet: {
                    Name: "shop.example.com",
                    Type: "A",
                    SetIdentifier,
                    Failover,
                    HealthCheckId,
                    AliasTarget: { DNSName: lb.DNSName!, HostedZoneId: lb.CanonicalHostedZoneId!, EvaluateTargetHealth: true },
                },
            });
            const change = await dns().send(
                new r53.ChangeResourceRecordSetsCommand({
                    HostedZoneId: zoneId,
                    ChangeBatch: { Changes: [failover("primary", "PRIMARY", primaryCheck, use1), failover("secondary", "SECONDARY", secondaryCheck, usw2)] },
                }),
            );
            assert.equal(change.ChangeInfo!.Status, "INSYNC");
            const shop = await records("shop.example.com.");
            assert.deepEqual(
                shop.map((r) => [r.SetIdentifier, r.Failover, r.HealthCheckId, r.AliasTarget?.DNSName, r.AliasTarget?.HostedZoneId]),
                [
                    ["primary", "PRIMARY", primaryCheck, use1.DNSName, use1.CanonicalHostedZoneId],
                    ["secondary", "SECONDARY", secondaryCheck, usw2.DNSName, usw2.CanonicalHostedZoneId],
                ],
            );
        });

        it("keeps the health checks' settings, shows Inverted after UpdateHealthCheck, and always reports them passing", async function () {
            const before = (await dns().send(new r53.GetHealthCheckCommand({ HealthCheckId: primaryCheck }))).HealthCheck!.HealthCheckConfig!;
            assert.deepEqual(
                [before.Type, before.FullyQualifiedDomainName, before.Port, before.ResourcePath, before.RequestInterval, before.FailureThreshold, before.Inverted],
                ["HTTP", use1.DNSName, 80, "/health", 10, 3, false],
            );
            await dns().send(new r53.UpdateHealthCheckCommand({ HealthCheckId: primaryCheck, Inverted: true }));
            const after = (await dns().send(new r53.GetHealthCheckCommand({ HealthCheckId: primaryCheck }))).HealthCheck!.HealthCheckConfig!;
            assert.equal(after.Inverted, true);
            // moto never runs a check: one observation, always a success, even for an inverted check.
            const status = await dns().send(new r53.GetHealthCheckStatusCommand({ HealthCheckId: primaryCheck }));
            assert.equal(status.HealthCheckObservations!.length, 1);
            assert.match(status.HealthCheckObservations![0].StatusReport!.Status!, /^Success/);
        });

        it("changes a weighted record's weight with UPSERT", async function () {
            const weighted = (Action: r53.ChangeAction, SetIdentifier: string, Weight: number, ip: string): r53.Change => ({
                Action,
                ResourceRecordSet: { Name: "api.example.com", Type: "A", SetIdentifier, Weight, TTL: 60, ResourceRecords: [{ Value: ip }] },
            });
            await dns().send(
                new r53.ChangeResourceRecordSetsCommand({
                    HostedZoneId: zoneId,
                    ChangeBatch: { Changes: [weighted("CREATE", "use1", 100, "192.0.2.1"), weighted("CREATE", "usw2", 0, "192.0.2.2")] },
                }),
            );
            await dns().send(
                new r53.ChangeResourceRecordSetsCommand({
                    HostedZoneId: zoneId,
                    ChangeBatch: { Changes: [weighted("UPSERT", "use1", 0, "192.0.2.1"), weighted("UPSERT", "usw2", 100, "192.0.2.2")] },
                }),
            );
            const api = await records("api.example.com.");
            assert.deepEqual(
                api.map((r) => [r.SetIdentifier, r.Weight]),
                [
                    ["use1", 0],
                    ["usw2", 100],
                ],
            );
        });
    });

    describe("Aurora global database (aurora-postgresql 16.6)", function () {
        const east = () => new rds.RDSClient(awsClientConfig(moto.endpoint, USE1));
        const west = () => new rds.RDSClient(awsClientConfig(moto.endpoint, USW2));
        const PRIMARY_ARN = `arn:aws:rds:${USE1}:${MOTO_ACCOUNT_ID}:cluster:shop-use1-aurora`;
        const SECONDARY_ARN = `arn:aws:rds:${USW2}:${MOTO_ACCOUNT_ID}:cluster:shop-usw2-aurora`;
        const members = async () =>
            (await east().send(new rds.DescribeGlobalClustersCommand({ GlobalClusterIdentifier: "shop-global" }))).GlobalClusters![0].GlobalClusterMembers!;
        const secondary = async () => (await west().send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: "shop-usw2-aurora" }))).DBClusters![0];

        before(async function () {
            await resetMoto(moto.endpoint);
            await east().send(new rds.CreateGlobalClusterCommand({ GlobalClusterIdentifier: "shop-global", Engine: "aurora-postgresql", EngineVersion: "16.6", StorageEncrypted: true }));
            await east().send(
                new rds.CreateDBClusterCommand({
                    DBClusterIdentifier: "shop-use1-aurora",
                    Engine: "aurora-postgresql",
                    EngineVersion: "16.6",
                    GlobalClusterIdentifier: "shop-global",
                    MasterUsername: "shop",
                    MasterUserPassword: "not-a-secret-1",
                    StorageEncrypted: true,
                }),
            );
            await west().send(
                new rds.CreateDBClusterCommand({
                    DBClusterIdentifier: "shop-usw2-aurora",
                    Engine: "aurora-postgresql",
                    EngineVersion: "16.6",
                    GlobalClusterIdentifier: "shop-global",
                    StorageEncrypted: true,
                }),
            );
        });

        it("has the us-east-1 cluster as writer and the us-west-2 cluster (created without master credentials) as reader", async function () {
            const m = await members();
            assert.deepEqual(
                m.map((x) => [x.DBClusterArn, x.IsWriter]),
                [
                    [PRIMARY_ARN, true],
                    [SECONDARY_ARN, false],
                ],
            );
            assert.deepEqual(m[0].Readers, [SECONDARY_ARN]);
            const c = await secondary();
            assert.equal(c.GlobalClusterIdentifier, "shop-global");
            assert.equal(c.Status, "available");
        });

        it("adds an instance to the secondary and modifies both; describe shows the changes", async function () {
            await west().send(
                new rds.CreateDBInstanceCommand({
                    DBInstanceIdentifier: "shop-usw2-aurora-1",
                    DBClusterIdentifier: "shop-usw2-aurora",
                    Engine: "aurora-postgresql",
                    DBInstanceClass: "db.r6g.large",
                }),
            );
            await west().send(new rds.ModifyDBInstanceCommand({ DBInstanceIdentifier: "shop-usw2-aurora-1", DBInstanceClass: "db.r6g.xlarge", ApplyImmediately: true }));
            await west().send(new rds.ModifyDBClusterCommand({ DBClusterIdentifier: "shop-usw2-aurora", BackupRetentionPeriod: 7, DeletionProtection: true, ApplyImmediately: true }));
            const instance = (await west().send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: "shop-usw2-aurora-1" }))).DBInstances![0];
            assert.deepEqual([instance.DBClusterIdentifier, instance.DBInstanceClass, instance.DBInstanceStatus], ["shop-usw2-aurora", "db.r6g.xlarge", "available"]);
            const c = await secondary();
            assert.deepEqual([c.BackupRetentionPeriod, c.DeletionProtection], [7, true]);
            assert.deepEqual(c.DBClusterMembers!.map((x) => x.DBInstanceIdentifier), ["shop-usw2-aurora-1"]);
        });

        // Limits the runbook's own tests must work around (details in the findings).
        it("does not emulate switchover or failover: HTTP 500, which the SDK throws as a plain Error", async function () {
            // maxAttempts 1: by default the SDK retries a 500 twice more (three tracebacks in moto's log).
            const once = new rds.RDSClient({ ...awsClientConfig(moto.endpoint, USE1), maxAttempts: 1 });
            const notEmulated = (e: any) => e.name === "Error" && e.$metadata?.httpStatusCode === 500 && /XML parse error/.test(e.message);
            const target = { GlobalClusterIdentifier: "shop-global", TargetDbClusterIdentifier: SECONDARY_ARN };
            await assert.rejects(once.send(new rds.SwitchoverGlobalClusterCommand(target)), notEmulated);
            await assert.rejects(once.send(new rds.FailoverGlobalClusterCommand({ ...target, AllowDataLoss: true })), notEmulated);
            assert.deepEqual((await members()).map((x) => x.IsWriter), [true, false]);
        });

        it("answers DescribeGlobalClusters with every global cluster, whatever the identifier asked (runbook/operations.ts picks by id)", async function () {
            await east().send(new rds.CreateGlobalClusterCommand({ GlobalClusterIdentifier: "pay-global", Engine: "aurora-postgresql", EngineVersion: "16.6" }));
            const answered = (await east().send(new rds.DescribeGlobalClustersCommand({ GlobalClusterIdentifier: "pay-global" }))).GlobalClusters!;
            assert.deepEqual(answered.map((g) => g.GlobalClusterIdentifier).sort(), ["pay-global", "shop-global"]);
            await east().send(new rds.DeleteGlobalClusterCommand({ GlobalClusterIdentifier: "pay-global" }));
        });

        it("answers RemoveFromGlobalCluster for a secondary in another region with 200 and changes nothing", async function () {
            await west().send(new rds.RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: "shop-global", DbClusterIdentifier: SECONDARY_ARN }));
            assert.equal((await members()).length, 2);
            assert.equal((await secondary()).GlobalClusterIdentifier, "shop-global");
        });

        it("promotes a cross-region read replica cluster (ReplicationSourceIdentifier) to standalone", async function () {
            await resetMoto(moto.endpoint);
            await east().send(
                new rds.CreateDBClusterCommand({
                    DBClusterIdentifier: "shop-use1-aurora",
                    Engine: "aurora-postgresql",
                    EngineVersion: "16.6",
                    MasterUsername: "shop",
                    MasterUserPassword: "not-a-secret-1",
                }),
            );
            // moto insists on master credentials here, which AWS does not need for a replica.
            await west().send(
                new rds.CreateDBClusterCommand({
                    DBClusterIdentifier: "shop-usw2-aurora",
                    Engine: "aurora-postgresql",
                    EngineVersion: "16.6",
                    ReplicationSourceIdentifier: PRIMARY_ARN,
                    MasterUsername: "shop",
                    MasterUserPassword: "not-a-secret-1",
                }),
            );
            const source = async () => (await east().send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: "shop-use1-aurora" }))).DBClusters![0];
            assert.equal((await secondary()).ReplicationSourceIdentifier, PRIMARY_ARN);
            assert.deepEqual((await source()).ReadReplicaIdentifiers, [SECONDARY_ARN]);
            await west().send(new rds.PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: "shop-usw2-aurora" }));
            assert.equal((await secondary()).ReplicationSourceIdentifier, undefined);
            assert.deepEqual((await source()).ReadReplicaIdentifiers, []);
        });
    });

    describe("ElastiCache, CloudWatch and AWS Backup", function () {
        before(async function () {
            await resetMoto(moto.endpoint);
        });

        it("creates a one-node valkey replication group (Create and Describe only: Modify is not emulated)", async function () {
            const cache = new ec.ElastiCacheClient(awsClientConfig(moto.endpoint, USW2));
            await cache.send(
                new ec.CreateReplicationGroupCommand({
                    ReplicationGroupId: "shop-usw2-cache",
                    ReplicationGroupDescription: "shop cache",
                    Engine: "valkey",
                    CacheNodeType: "cache.t4g.medium",
                    NumCacheClusters: 1,
                }),
            );
            const g = (await cache.send(new ec.DescribeReplicationGroupsCommand({ ReplicationGroupId: "shop-usw2-cache" }))).ReplicationGroups![0];
            assert.deepEqual([g.Status, g.Engine, g.CacheNodeType, g.MemberClusters], ["available", "valkey", "cache.t4g.medium", ["shop-usw2-cache-001"]]);
        });

        it("returns AuroraGlobalDBReplicationLag datapoints put with PutMetricData", async function () {
            const metrics = new cw.CloudWatchClient(awsClientConfig(moto.endpoint, USW2));
            const now = Date.now();
            const dimensions = [{ Name: "DBClusterIdentifier", Value: "shop-usw2-aurora" }];
            await metrics.send(
                new cw.PutMetricDataCommand({
                    Namespace: "AWS/RDS",
                    MetricData: [150, 250, 900].map((Value, i) => ({
                        MetricName: "AuroraGlobalDBReplicationLag",
                        Dimensions: dimensions,
                        Timestamp: new Date(now - (i + 1) * 60_000),
                        Value,
                        Unit: "Milliseconds",
                    })),
                }),
            );
            const window = { StartTime: new Date(now - 600_000), EndTime: new Date(now + 60_000) };
            const stats = await metrics.send(
                new cw.GetMetricStatisticsCommand({
                    Namespace: "AWS/RDS",
                    MetricName: "AuroraGlobalDBReplicationLag",
                    Dimensions: dimensions,
                    ...window,
                    Period: 60,
                    Statistics: ["Maximum"],
                }),
            );
            assert.deepEqual(stats.Datapoints!.map((d) => d.Maximum).sort((a, b) => a! - b!), [150, 250, 900]);
            const data = await metrics.send(
                new cw.GetMetricDataCommand({
                    ...window,
                    MetricDataQueries: [
                        { Id: "lag", MetricStat: { Metric: { Namespace: "AWS/RDS", MetricName: "AuroraGlobalDBReplicationLag", Dimensions: dimensions }, Period: 60, Stat: "Maximum" } },
                    ],
                }),
            );
            assert.deepEqual([...data.MetricDataResults![0].Values!].sort((a, b) => a - b), [150, 250, 900]);
        });

        it("creates a backup vault and lists it (no SDK client in the project: REST calls)", async function () {
            await motoRestJson(moto.endpoint, "backup", USW2, "PUT", "/backup-vaults/shop-usw2-backups", {});
            const vault = await motoRestJson(moto.endpoint, "backup", USW2, "GET", "/backup-vaults/shop-usw2-backups");
            assert.equal(vault.BackupVaultArn, `arn:aws:backup:${USW2}:${MOTO_ACCOUNT_ID}:backup-vault:shop-usw2-backups`);
            const list = await motoRestJson(moto.endpoint, "backup", USW2, "GET", "/backup-vaults/");
            assert.deepEqual(
                list.BackupVaultList.map((v: any) => [v.BackupVaultName, v.NumberOfRecoveryPoints]),
                [["shop-usw2-backups", 0]],
            );
        });
    });
});
