import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AppTier } from "../components/appTier";
import { Certificate } from "../components/certificate";
import { DEFAULT_IMAGE_ID } from "../model/workload";
import { Cache } from "../components/cache";
import { DataKey } from "../components/dataKey";
import { Database, DatabaseArgs, DatabaseMonitoringRole } from "../components/database";
import { RegionDns, RegionDnsArgs, routingPolicy } from "../components/regionDns";
import { Network } from "../components/network";
import { ObjectStore, REPLICATION_RULE_ID } from "../components/objectStore";
import { ReplicationAlarms } from "../components/replicationAlarms";
import { FULL_CACHE, REDUCED_CACHE } from "../model/regionPlan";
import { record, ROOT } from "../offline/evaluate";
import { unwrap } from "./helpers";

const T = {
    asg: "aws:autoscaling/group:Group",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    password: "random:index/randomPassword:RandomPassword",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    record: "aws:route53/record:Record",
    topic: "aws:sns/topic:Topic",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    kmsKey: "aws:kms/key:Key",
    kmsAlias: "aws:kms/alias:Alias",
    vpc: "awsx:ec2:Vpc",
} as const;

/** The SDK's marker of a secret value in resource inputs (what the engine would encrypt in state). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** The region's enhanced-monitoring role, as buildRegion passes it (DatabaseMonitoringRole's roleArn). */
const MONITORING_ROLE_ARN = "arn:aws:iam::123456789012:role/shop-use1-rds-monitoring";

/** Database args as a region would pass them: the primary's names in us-east-1, any other membership's in us-west-2. */
function databaseArgs(membership: DatabaseArgs["membership"], extra: Partial<DatabaseArgs> = {}): DatabaseArgs {
    const code = membership === "global-primary" ? "use1" : "usw2";
    return {
        membership,
        globalClusterIdentifier: "shop-global",
        clusterIdentifier: `shop-${code}-aurora`,
        subnetGroupName: `shop-${code}-db`,
        parameterGroupName: `shop-${code}-aurora-tls`,
        vpcId: "vpc-1",
        subnetIds: ["priv-a", "priv-b"],
        clientSecurityGroupId: "sg-app",
        kmsKeyArn: pulumi.output(KEY_ARN),
        engineVersion: "16.6",
        instanceClass: "db.r6g.large",
        instances: 2,
        backupRetentionDays: 7,
        monitoringRoleArn: MONITORING_ROLE_ARN,
        ...extra,
    };
}

describe("components", () => {
    describe("Network", () => {
        const CASES = [
            { natGateways: "OnePerAz" as const, cidrBlock: "10.10.0.0/16", availabilityZones: undefined, expectedAzs: 2 },
            { natGateways: "Single" as const, cidrBlock: "10.20.0.0/16", availabilityZones: undefined, expectedAzs: 2 },
            { natGateways: "OnePerAz" as const, cidrBlock: "10.10.0.0/16", availabilityZones: 3, expectedAzs: 3 },
        ];
        for (const c of CASES) {
            it(`passes cidr ${c.cidrBlock}, NAT ${c.natGateways} and ${c.expectedAzs} AZs to the awsx VPC`, async () => {
                const rec = await record(() => {
                    new Network("t", {
                        vpcName: "shop-use1-vpc", cidrBlock: c.cidrBlock, natGateways: c.natGateways, availabilityZones: c.availabilityZones,
                        flowLogs: { bucketName: "shop-logs-123456789012-us-east-1", prefix: "vpc-flow-logs" },
                    });
                });
                const vpc = rec.one(T.vpc);
                assert.equal(vpc.parent, "t");
                assert.equal(vpc.inputs.cidrBlock, c.cidrBlock);
                assert.deepEqual(vpc.inputs.natGateways, { strategy: c.natGateways });
                assert.equal(vpc.inputs.numberOfAvailabilityZones, c.expectedAzs);
                assert.deepEqual(vpc.inputs.tags, { Name: "shop-use1-vpc" });
                assert.deepEqual(
                    vpc.inputs.subnetSpecs.map((s: { type: string }) => s.type).sort(),
                    ["Private", "Public"],
                );
                // Every flow of the VPC, to the region's log bucket under its prefix (issue 17, item 1.3).
                const flow = rec.one("aws:ec2/flowLog:FlowLog").inputs;
                assert.deepEqual([flow.vpcId, flow.trafficType, flow.logDestinationType, flow.logDestination, flow.maxAggregationInterval],
                    [vpc.state!.vpcId, "ALL", "s3", "arn:aws:s3:::shop-logs-123456789012-us-east-1/vpc-flow-logs/", 600]);
            });
        }
    });

    describe("Network: the awsx contract it is typed by", () => {
        const awsx = (file: string) => fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "awsx", file), "utf8");
        /** The body of `interface <name> {` / `class <name> ... {` in a declaration file, braces matched. */
        const body = (text: string, name: string): string => {
            const start = new RegExp(`(interface|class) ${name}\\b[^{]*\\{`).exec(text);
            assert.ok(start, `awsx declares no ${name}`);
            let depth = 0;
            for (let i = start.index + start[0].length - 1; i < text.length; i++) {
                depth += text[i] === "{" ? 1 : text[i] === "}" ? -1 : 0;
                if (depth === 0) return text.slice(start.index, i + 1).replace(/\/\*\*[\s\S]*?\*\//g, "");
            }
            throw new Error(`unbalanced ${name}`);
        };
        const declares = (block: string, member: string) => assert.ok(block.includes(member), `awsx's declaration lacks \`${member}\`:\n${block.slice(0, 400)}`);

        it("VpcArgs: every argument Network passes, with the type it is given here", () => {
            const args = body(awsx("ec2/vpc.d.ts"), "VpcArgs");
            declares(args, "cidrBlock?: string;");
            declares(args, "numberOfAvailabilityZones?: number;");
            declares(args, "natGateways?: inputs.ec2.NatGatewayConfigurationArgs;");
            declares(args, "subnetStrategy?: enums.ec2.SubnetAllocationStrategy;");
            declares(args, "subnetSpecs?: inputs.ec2.SubnetSpecArgs[];");
            declares(args, "tags?: pulumi.Input<{");
            const inputs = awsx("types/input.d.ts");
            declares(body(inputs, "NatGatewayConfigurationArgs"), "strategy: enums.ec2.NatGatewayStrategy;");
            const spec = body(inputs, "SubnetSpecArgs");
            declares(spec, "type: enums.ec2.SubnetType;");
            declares(spec, "cidrMask?: number;");
        });

        it("the values Network uses are awsx's enum values, and the outputs it reads are awsx's", () => {
            const enums = awsx("types/enums/ec2/index.d.ts");
            for (const [type, values] of [["NatGatewayStrategy", ["None", "Single", "OnePerAz"]], ["SubnetAllocationStrategy", ["Auto"]], ["SubnetType", ["Public", "Private"]]] as const) {
                const block = new RegExp(`export declare const ${type}: \\{([\\s\\S]*?)\\};`).exec(enums)?.[1] ?? "";
                for (const v of values) declares(block, `readonly ${v}: "${v}";`);
            }
            const vpc = body(awsx("ec2/vpc.d.ts"), "Vpc");
            declares(vpc, "readonly vpcId: pulumi.Output<string>;");
            declares(vpc, "readonly publicSubnetIds: pulumi.Output<string[]>;");
            declares(vpc, "readonly privateSubnetIds: pulumi.Output<string[]>;");
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            assert.equal(typeof require("@pulumi/awsx/ec2").Vpc, "function", "the module Network loads by name");
        });
    });

    describe("DataKey", () => {
        it("creates a rotating key with the longest deletion window and the given alias on it", async () => {
            const rec = await record(() => {
                new DataKey("t", { alias: "alias/shop-dr-data", description: "shop data at rest", accountId: pulumi.output("123456789012"), region: "us-west-2" });
            });
            const key = rec.one(T.kmsKey);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.deletionWindowInDays, 30);
            assert.equal(key.inputs.description, "shop data at rest");
            const alias = rec.one(T.kmsAlias);
            assert.equal(alias.inputs.name, "alias/shop-dr-data");
            assert.equal(alias.inputs.targetKeyId, "t-key-key-id");
            const policy = JSON.parse(key.inputs.policy);
            assert.deepEqual(policy.Statement.map((st: any) => st.Sid), [
                "AccountAdministersTheKey", "UseThroughTheDataServicesOfThisRegion", "AutoScalingEncryptsRootVolumes",
                "AutoScalingGrantsToEc2", "CloudWatchPublishesToTheEncryptedTopic", "CloudWatchLogsEncryptsThisRegionsLogGroups",
            ]);
            assert.ok(policy.Statement[1].Condition.StringEquals["kms:ViaService"].includes("rds.us-west-2.amazonaws.com"), "the key's own region");
            assert.equal(policy.Statement[1].Condition.StringEquals["kms:CallerAccount"], "123456789012");
        });
    });

    describe("Certificate", () => {
        it("requests a DNS-validated certificate for the name, validates it with a record in the zone, and hands over the validated ARN", async () => {
            let arn: pulumi.Output<string> | undefined;
            const rec = await record(() => {
                arn = new Certificate("t", { domainName: "shop.example.com", zoneId: "Z0123456789ABCDEFGHIJ" }).certificateArn;
            });
            const cert = rec.one("aws:acm/certificate:Certificate").inputs;
            assert.deepEqual([cert.domainName, cert.validationMethod], ["shop.example.com", "DNS"]);
            const record53 = rec.one(T.record);
            assert.deepEqual([record53.inputs.zoneId, record53.inputs.name, record53.inputs.type, record53.inputs.records, record53.inputs.allowOverwrite],
                ["Z0123456789ABCDEFGHIJ", "_mock.shop.example.com.", "CNAME", ["_mock.acm-validations.aws."], true]);
            assert.equal(record53.retainOnDelete, true, "the other region's certificate renews through the same record");
            const validated = rec.one("aws:acm/certificateValidation:CertificateValidation").inputs;
            assert.deepEqual(validated.validationRecordFqdns, ["_mock.shop.example.com."]);
            assert.equal(await unwrap(arn!), validated.certificateArn, "the listener gets the ARN once it is validated");
        });
    });

    describe("AppTier", () => {
        const CAPACITIES = [
            { min: 4, desired: 4, max: 4 },
            { min: 0, desired: 0, max: 8 },
            { min: 1, desired: 1, max: 3 },
        ];
        const appTier = (capacity: { min: number; desired: number; max: number }) => record(() => {
            new AppTier("t", {
                vpcId: "vpc-1",
                publicSubnetIds: ["pub-a", "pub-b"],
                privateSubnetIds: pulumi.output(["priv-a", "priv-b"]),
                albName: "shop-use1-alb",
                targetGroupName: "shop-use1-tg",
                launchTemplateName: "shop-use1-app",
                autoScalingGroupName: "shop-use1-app",
                capacity,
                instanceType: "t3.medium",
                rootDeviceName: "/dev/xvda",
                kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/c",
                instanceProfileName: "shop-use1-app",
                deletionProtection: false,
            });
        });

        for (const capacity of CAPACITIES) {
            it(`sizes the ASG ${capacity.min}/${capacity.desired}/${capacity.max} as given, replaced on ELB health`, async () => {
                const rec = await appTier(capacity);
                const asg = rec.one(T.asg);
                assert.equal(asg.inputs.minSize, capacity.min);
                assert.equal(asg.inputs.desiredCapacity, capacity.desired);
                assert.equal(asg.inputs.maxSize, capacity.max);
                assert.equal(asg.inputs.healthCheckType, "ELB");
                assert.equal(asg.inputs.name, "shop-use1-app");
                assert.deepEqual(asg.inputs.vpcZoneIdentifiers, ["priv-a", "priv-b"]);
                assert.deepEqual(asg.inputs.targetGroupArns, [`arn:aws:mock:::${T.targetGroup}/t-tg`]);
                assert.deepEqual(asg.inputs.launchTemplate, { id: "t-lt-id", version: "$Latest" });
            });
        }

        it("requires IMDSv2 tokens in the launch template, encrypts the root volume with the region's key, monitors every minute, uses the default image", async () => {
            const rec = await appTier(CAPACITIES[0]);
            const lt = rec.one(T.launchTemplate);
            assert.deepEqual(lt.inputs.blockDeviceMappings, [{
                deviceName: "/dev/xvda",
                ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k", volumeType: "gp3", deleteOnTermination: "true" },
            }]);
            assert.deepEqual(lt.inputs.monitoring, { enabled: true });
            assert.equal(lt.inputs.metadataOptions.httpTokens, "required");
            assert.equal(lt.inputs.metadataOptions.httpPutResponseHopLimit, 1);
            assert.equal(lt.inputs.imageId, DEFAULT_IMAGE_ID);
            assert.equal(lt.inputs.instanceType, "t3.medium");
            assert.equal(lt.inputs.name, "shop-use1-app");
            assert.match(Buffer.from(lt.inputs.userData, "base64").toString(), /^#!\/bin\/bash/);
        });

        it("health-checks /health on the target group and names ALB and target group as given", async () => {
            const rec = await appTier(CAPACITIES[0]);
            const tg = rec.one(T.targetGroup);
            assert.equal(tg.inputs.healthCheck.path, "/health");
            assert.equal(tg.inputs.name, "shop-use1-tg");
            assert.equal(tg.inputs.port, 80);
            const alb = rec.one(T.alb);
            assert.equal(alb.inputs.name, "shop-use1-alb");
            assert.equal(alb.inputs.internal, false);
            assert.equal(alb.inputs.loadBalancerType, "application");
            assert.deepEqual(alb.inputs.subnets, ["pub-a", "pub-b"]);
            assert.equal(alb.inputs.enableDeletionProtection, false);
        });

        it("listens on HTTPS 443 with the given certificate and a TLS 1.3/1.2 policy; HTTP 80 only redirects to it", async () => {
            const rec = await appTier(CAPACITIES[0]);
            const https = rec.one(T.listener, "-https").inputs;
            assert.deepEqual([https.loadBalancerArn, https.port, https.protocol, https.sslPolicy, https.certificateArn],
                [`arn:aws:mock:::${T.alb}/t-alb`, 443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06", "arn:aws:acm:us-east-1:123456789012:certificate/c"]);
            assert.deepEqual(https.defaultActions, [{ type: "forward", targetGroupArn: `arn:aws:mock:::${T.targetGroup}/t-tg` }]);
            const http = rec.ofType(T.listener).find((l) => l.name === "t-http")!.inputs;
            assert.deepEqual([http.port, http.protocol, http.defaultActions],
                [80, "HTTP", [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]]);
            const albSg = rec.ofType(T.securityGroup).find((r) => r.name === "t-alb-sg")!;
            assert.deepEqual(albSg.inputs.ingress.map((i: { fromPort: number }) => i.fromPort), [443, 80]);
        });

        it("lets only the ALB reach the instances", async () => {
            const rec = await appTier(CAPACITIES[0]);
            const appSg = rec.ofType(T.securityGroup).find((r) => r.name === "t-app-sg");
            assert.ok(appSg);
            assert.deepEqual(appSg.inputs.ingress.map((i: { securityGroups?: string[] }) => i.securityGroups), [["t-alb-sg-id"]]);
            assert.ok(appSg.inputs.ingress.every((i: { cidrBlocks?: string[] }) => i.cidrBlocks === undefined));
        });
    });

    describe("Database", () => {
        const args = (membership: DatabaseArgs["membership"], instances: number, backupRetentionDays: number): DatabaseArgs =>
            databaseArgs(membership, { instances, backupRetentionDays });

        describe("global-primary", () => {
            for (const [instances, retention] of [[2, 7], [1, 35], [3, 1]] as const) {
                it(`creates the global cluster and a protected, encrypted writer with ${instances} instance(s), ${retention}-day backups`, async () => {
                    const rec = await record(() => { new Database("t", args("global-primary", instances, retention)); });

                    const global = rec.one(T.globalCluster);
                    assert.equal(global.inputs.globalClusterIdentifier, "shop-global");
                    assert.equal(global.inputs.storageEncrypted, true);
                    assert.equal(global.inputs.deletionProtection, true);
                    assert.equal(global.inputs.engineVersion, "16.6");
                    assert.equal(global.protect, true);

                    const cluster = rec.one(T.cluster);
                    assert.equal(cluster.inputs.clusterIdentifier, "shop-use1-aurora");
                    // Joins the global cluster it created, by the identifier AWS gives it (its physical name).
                    assert.equal(cluster.inputs.globalClusterIdentifier, "shop-global");
                    assert.equal(cluster.inputs.storageEncrypted, true);
                    assert.equal(cluster.inputs.kmsKeyId, KEY_ARN);
                    assert.equal(cluster.inputs.deletionProtection, true);
                    assert.equal(cluster.inputs.backupRetentionPeriod, retention);
                    assert.equal(cluster.inputs.engine, global.inputs.engine);
                    assert.equal(cluster.inputs.engineVersion, global.inputs.engineVersion);
                    assert.equal(cluster.inputs.skipFinalSnapshot, false);
                    assert.equal(cluster.inputs.finalSnapshotIdentifier, "shop-use1-aurora-final");
                    assert.equal(cluster.protect, true);
                    assert.deepEqual([...(cluster.ignoreChanges ?? [])].sort(), ["globalClusterIdentifier", "replicationSourceIdentifier"]);
                    assert.equal(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
                    assert.deepEqual(cluster.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
                    const parameters = rec.one("aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs;
                    assert.equal(cluster.inputs.dbClusterParameterGroupName, parameters.name);
                    assert.deepEqual([parameters.name, parameters.family], ["shop-use1-aurora-tls", "aurora-postgresql16"]);
                    assert.deepEqual(parameters.parameters, [
                        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                        { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
                        // The audit trail: DDL and statements over a second, into the exported log.
                        { name: "log_statement", value: "ddl", applyMethod: "immediate" },
                        { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                    ]);

                    const instancesRec = rec.ofType(T.clusterInstance);
                    assert.equal(instancesRec.length, instances);
                    for (const inst of instancesRec) {
                        assert.equal(inst.inputs.clusterIdentifier, "shop-use1-aurora");
                        assert.equal(inst.inputs.publiclyAccessible, false);
                        assert.equal(inst.inputs.instanceClass, "db.r6g.large");
                    }
                    assert.deepEqual(
                        instancesRec.map((i) => i.inputs.identifier).sort(),
                        Array.from({ length: instances }, (_, i) => `shop-use1-aurora-${i + 1}`).sort(),
                    );
                });
            }

            it("sets the master password from the generated RandomPassword, as a secret, never as a literal", async () => {
                const rec = await record(() => { new Database("t", args("global-primary", 2, 7)); });
                const password = rec.one(T.password);
                assert.equal(password.inputs.length, 32);
                const cluster = rec.one(T.cluster);
                assert.equal(cluster.inputs.masterUsername, "dradmin");
                assert.equal(cluster.inputs.manageMasterUserPassword, undefined);
                const master = cluster.inputs.masterPassword;
                // Under mocks a secret input arrives wrapped in the SDK's secret signature; its value is
                // the RandomPassword's result (the mock's "mock-password"), not a string in the program.
                assert.equal(typeof master, "object", `masterPassword arrived as plain ${typeof master}`);
                assert.equal(master[SECRET_SIG_KEY], SECRET_SIG_VALUE);
                assert.equal(master.value, "mock-password");
            });
        });

        describe("global-secondary", () => {
            for (const instances of [1, 2]) {
                it(`joins the global cluster by identifier with ${instances} instance(s), no credentials of its own`, async () => {
                    const rec = await record(() => { new Database("t", args("global-secondary", instances, 7)); });
                    assert.equal(rec.has(T.globalCluster), false);
                    assert.equal(rec.has(T.password), false);

                    const cluster = rec.one(T.cluster);
                    assert.equal(cluster.inputs.clusterIdentifier, "shop-usw2-aurora");
                    assert.equal(cluster.inputs.globalClusterIdentifier, "shop-global");
                    assert.equal(cluster.inputs.masterPassword, undefined);
                    assert.equal(cluster.inputs.masterUsername, undefined);
                    assert.equal(cluster.inputs.skipFinalSnapshot, true);
                    assert.equal(cluster.inputs.finalSnapshotIdentifier, undefined);
                    assert.equal(cluster.inputs.storageEncrypted, true);
                    assert.equal(cluster.inputs.kmsKeyId, KEY_ARN);
                    assert.equal(cluster.inputs.deletionProtection, true);
                    assert.equal(cluster.inputs.backupRetentionPeriod, 7);
                    assert.equal(cluster.protect, true);
                    assert.deepEqual([...(cluster.ignoreChanges ?? [])].sort(), ["globalClusterIdentifier", "replicationSourceIdentifier"]);
                    const members = rec.ofType(T.clusterInstance);
                    assert.equal(members.length, instances);
                    assert.ok(members.every((m) => m.inputs.clusterIdentifier === "shop-usw2-aurora"));
                });
            }
        });

        describe("enhanced monitoring and Database Insights", () => {
            const MEMBERSHIPS: ReadonlyArray<readonly [DatabaseArgs["membership"], Partial<DatabaseArgs>]> = [
                ["global-primary", {}],
                ["global-secondary", {}],
                ["global-secondary", { serverless: { minCapacity: 0.5, maxCapacity: 16 } }],
                ["restored", { restoreFrom: "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x" }],
            ];
            for (const [membership, extra] of MEMBERSHIPS) {
                const label = `${membership}${extra.serverless ? " (serverless)" : ""}`;
                it(`${label}: Database Insights standard on the cluster, and the same Performance Insights and enhanced monitoring on every instance`, async () => {
                    const rec = await record(() => { new Database("t", databaseArgs(membership, { instances: 3, ...extra })); });
                    const cluster = rec.one(T.cluster).inputs;
                    assert.deepEqual(
                        [cluster.databaseInsightsMode, cluster.performanceInsightsEnabled, cluster.performanceInsightsKmsKeyId, cluster.performanceInsightsRetentionPeriod],
                        ["standard", true, KEY_ARN, 7],
                    );
                    // Aurora's enhanced monitoring is per instance (the cluster-level inputs are for Multi-AZ DB clusters).
                    assert.deepEqual([cluster.monitoringInterval, cluster.monitoringRoleArn], [undefined, undefined]);
                    const instances = rec.ofType(T.clusterInstance);
                    assert.equal(instances.length, 3);
                    const settings = instances.map((i) => [
                        i.inputs.monitoringInterval, i.inputs.monitoringRoleArn,
                        i.inputs.performanceInsightsEnabled, i.inputs.performanceInsightsKmsKeyId, i.inputs.performanceInsightsRetentionPeriod,
                    ]);
                    // Database Insights needs every instance of the cluster to have the same settings; the cluster's PI ones too.
                    for (const s of settings) {
                        assert.deepEqual(s, [60, MONITORING_ROLE_ARN, true, KEY_ARN, 7]);
                    }
                });
            }
        });

        it("lets only the client security group reach PostgreSQL", async () => {
            const rec = await record(() => { new Database("t", args("global-secondary", 1, 7)); });
            const sg = rec.one(T.securityGroup);
            assert.deepEqual(sg.inputs.ingress, [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"], description: "port 5432, from the app tier" }]);
        });
    });

    describe("Cache", () => {
        const SIZES = [
            { size: FULL_CACHE, multiAz: true },
            { size: REDUCED_CACHE, multiAz: false },
            { size: { nodeType: "cache.r7g.xlarge", nodes: 3 }, multiAz: true },
        ];
        for (const { size, multiAz } of SIZES) {
            it(`${size.nodes} x ${size.nodeType}: Multi-AZ and automatic failover ${multiAz}, encrypted`, async () => {
                const rec = await record(() => {
                    new Cache("t", {
                        replicationGroupId: "shop-use1-cache",
                        authTokenParameterName: "/shop-use1/cache/auth-token",
                        vpcId: "vpc-1",
                        subnetIds: ["priv-a", "priv-b"],
                        clientSecurityGroupId: "sg-app",
                        kmsKeyArn: pulumi.output(KEY_ARN),
                        size,
                    });
                });
                const group = rec.one(T.replicationGroup);
                assert.equal(group.inputs.replicationGroupId, "shop-use1-cache");
                assert.equal(group.inputs.numCacheClusters, size.nodes);
                assert.equal(group.inputs.nodeType, size.nodeType);
                assert.equal(group.inputs.multiAzEnabled, multiAz);
                assert.equal(group.inputs.automaticFailoverEnabled, multiAz);
                assert.equal(group.inputs.atRestEncryptionEnabled, true);
                assert.equal(group.inputs.transitEncryptionEnabled, true);
                assert.equal(group.inputs.kmsKeyId, KEY_ARN);
                // AUTH: the generated token, a secret, also in this region's SSM under the region's key for the app.
                assert.equal(rec.one(T.password).inputs.length, 64);
                assert.deepEqual([group.inputs.authToken[SECRET_SIG_KEY], group.inputs.authToken.value], [SECRET_SIG_VALUE, "mock-password"]);
                const parameter = rec.one("aws:ssm/parameter:Parameter").inputs;
                assert.deepEqual([parameter.name, parameter.type, parameter.keyId, parameter.value.value],
                    ["/shop-use1/cache/auth-token", "SecureString", KEY_ARN, "mock-password"]);
                const sg = rec.one(T.securityGroup);
                assert.deepEqual(sg.inputs.ingress, [{ protocol: "tcp", fromPort: 6379, toPort: 6379, securityGroups: ["sg-app"], description: "port 6379, from the app tier" }]);
            });
        }
    });

    describe("ObjectStore", () => {
        const SOURCE = "shop-data-123456789012-us-east-1";
        const REPLICA = "shop-data-123456789012-us-west-2";
        const REPLICA_KEY = "arn:aws:kms:us-west-2:123456789012:alias/shop-dr-data";

        const store = (replicate: boolean) => record(() => {
            new ObjectStore("t", {
                bucketName: pulumi.output(SOURCE),
                kmsKeyArn: pulumi.output(KEY_ARN),
                noncurrentVersionDays: 14,
                replication: replicate ? {
                    targets: [{ bucketName: pulumi.output(REPLICA), kmsKeyAliasArn: pulumi.output(REPLICA_KEY), region: "us-west-2" }],
                    kmsKeyAlias: "alias/shop-dr-data",
                    accountId: pulumi.output("123456789012"),
                    roleName: "shop-s3-replication",
                    rules: true,
                } : undefined,
            });
        });

        it("keeps replaced versions for the backups' retention and no incomplete upload past a day (issue 17, item 1.9)", async () => {
            const rules = (await store(false)).one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules;
            assert.deepEqual(rules, [{
                id: "expire-replaced-versions", status: "Enabled", filter: {},
                noncurrentVersionExpiration: { noncurrentDays: 14 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            }]);
        });

        for (const replicate of [true, false]) {
            it(`is versioned, KMS-encrypted and private (replicateTo ${replicate ? "set" : "absent"})`, async () => {
                const rec = await store(replicate);
                const bucket = rec.one(T.bucket);
                assert.equal(bucket.inputs.bucket, SOURCE);
                assert.equal(bucket.protect, true);
                for (const type of [T.versioning, T.encryption, T.publicAccess]) {
                    assert.equal(rec.one(type).inputs.bucket, SOURCE, type);
                }
                assert.deepEqual(rec.one(T.versioning).inputs.versioningConfiguration, { status: "Enabled" });
                const rules = rec.one(T.encryption).inputs.rules;
                assert.equal(rules.length, 1);
                assert.deepEqual(rules[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN });
                const pab = rec.one(T.publicAccess).inputs;
                assert.equal(pab.blockPublicAcls, true);
                assert.equal(pab.blockPublicPolicy, true);
                assert.equal(pab.ignorePublicAcls, true);
                assert.equal(pab.restrictPublicBuckets, true);
            });
        }

        it("replicates with RTC 15 min, metrics, delete markers, to the replica bucket under the replica's key alias", async () => {
            const rec = await store(true);
            const config = rec.one(T.replication);
            assert.equal(config.inputs.bucket, SOURCE);
            assert.equal(config.inputs.role, `arn:aws:mock:::${T.role}/t-replication-role`);
            assert.equal(config.inputs.rules.length, 1);
            const rule = config.inputs.rules[0];
            assert.equal(rule.id, REPLICATION_RULE_ID);
            assert.equal(rule.status, "Enabled");
            assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
            assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
            const dest = rule.destination;
            assert.equal(dest.bucket, `arn:aws:s3:::${REPLICA}`);
            assert.deepEqual(dest.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepEqual(dest.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
            assert.deepEqual(dest.encryptionConfiguration, { replicaKmsKeyId: REPLICA_KEY });
        });

        it("gives the replication role only S3 trust and scopes its policy to the two buckets and keys", async () => {
            const rec = await store(true);
            const role = rec.one(T.role);
            assert.equal(role.inputs.name, "shop-s3-replication");
            const trust = JSON.parse(role.inputs.assumeRolePolicy);
            assert.deepEqual(trust.Statement.map((s: any) => s.Principal), [{ Service: "s3.amazonaws.com" }]);
            const policy = JSON.parse(rec.one(T.rolePolicy).inputs.policy);
            const resources = policy.Statement.map((s: any) => s.Resource);
            assert.deepEqual(resources, [
                `arn:aws:s3:::${SOURCE}`, `arn:aws:s3:::${SOURCE}/*`, `arn:aws:s3:::${REPLICA}/*`, KEY_ARN,
                "arn:aws:kms:us-west-2:123456789012:key/*",
            ], "no statement on every resource");
            assert.deepEqual(policy.Statement[4].Condition, {
                StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/shop-dr-data" },
            }, "only the key behind the dr region's data alias, and only through S3 there");
        });

        it("without replicateTo: no replication config, no IAM role or policy", async () => {
            const rec = await store(false);
            assert.equal(rec.has(T.replication), false);
            assert.equal(rec.has(T.role), false);
            assert.equal(rec.has(T.rolePolicy), false);
        });
    });

    describe("RegionDns", () => {
        // [routing, the record's routing-policy field, its expected value, health check interval, threshold]
        const CASES: ReadonlyArray<[RegionDnsArgs["routing"], string, unknown, 10 | 30, number]> = [
            [{ policy: "failover", role: "PRIMARY" }, "failoverRoutingPolicies", [{ type: "PRIMARY" }], 10, 3],
            [{ policy: "failover", role: "SECONDARY" }, "failoverRoutingPolicies", [{ type: "SECONDARY" }], 30, 1],
            [{ policy: "latency" }, "latencyRoutingPolicies", [{ region: "us-east-1" }], 10, 10],
            [{ policy: "weighted", weight: 0 }, "weightedRoutingPolicies", [{ weight: 0 }], 10, 3],
        ];
        const POLICIES = ["failoverRoutingPolicies", "latencyRoutingPolicies", "weightedRoutingPolicies"];
        for (const [routing, field, expected, intervalSeconds, failureThreshold] of CASES) {
            it(`${JSON.stringify(routing)}: health check every ${intervalSeconds}s, ${failureThreshold} failures; alias record wired to it`, async () => {
                const rec = await record(() => {
                    new RegionDns("t", {
                        zoneId: "Z0123456789ABCDEFGHIJ",
                        recordName: "app.example.com",
                        routing,
                        region: "us-east-1",
                        setIdentifier: "shop-use1",
                        healthCheckName: "shop-use1-endpoint",
                        albDnsName: pulumi.output("shop-use1-alb.elb.example"),
                        albZoneId: pulumi.output("ZALBMOCK"),
                        healthCheckPath: "/health",
                        port: 443,
                        intervalSeconds,
                        failureThreshold,
                        fences: [],
                        fenceCheckName: "shop-use1-fence",
                        recordCheckName: "shop-use1-record",
                    });
                });
                const hc = rec.one(T.healthCheck);
                assert.deepEqual([hc.inputs.type, hc.inputs.enableSni], ["HTTPS", true]);
                assert.equal(hc.inputs.requestInterval, intervalSeconds);
                assert.equal(hc.inputs.failureThreshold, failureThreshold);
                assert.equal(hc.inputs.resourcePath, "/health");
                assert.equal(hc.inputs.port, 443);
                assert.equal(hc.inputs.fqdn, "shop-use1-alb.elb.example");
                assert.deepEqual(hc.inputs.tags, { Name: "shop-use1-endpoint" });

                const r = rec.one(T.record);
                assert.equal(r.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
                assert.equal(r.inputs.name, "app.example.com");
                assert.equal(r.inputs.type, "A");
                assert.equal(r.inputs.setIdentifier, "shop-use1");
                assert.deepEqual(r.inputs[field], expected);
                for (const other of POLICIES.filter((p) => p !== field)) {
                    assert.equal(r.inputs[other], undefined, `${other} must not be set beside ${field}`);
                }
                assert.deepEqual(r.inputs.aliases, [{ name: "shop-use1-alb.elb.example", zoneId: "ZALBMOCK", evaluateTargetHealth: true }]);
                assert.equal(r.inputs.ttl, undefined);
                assert.equal(r.inputs.records, undefined);
                assert.equal(r.inputs.healthCheckId, "t-health-id");
            });
        }
    });

    describe("ReplicationAlarms", () => {
        const TOPIC_ARN = `arn:aws:mock:::${T.topic}/t-topic`;
        const S3_WATCH = {
            sourceBucket: pulumi.output("shop-data-123456789012-us-east-1"),
            destinationBucket: pulumi.output("shop-data-123456789012-us-west-2"),
            ruleId: REPLICATION_RULE_ID,
            destinationRegion: "us-west-2",
        };

        it("with only the Aurora secondary: one lag alarm on its cluster", async () => {
            const rec = await record(() => {
                new ReplicationAlarms("t", { topicName: "shop-usw2-dr-alarms", kmsKeyArn: KEY_ARN, auroraSecondaryClusterId: pulumi.output("shop-usw2-aurora") });
            });
            assert.equal(rec.one(T.topic).inputs.name, "shop-usw2-dr-alarms");
            const alarm = rec.one(T.alarm);
            assert.equal(alarm.inputs.metricName, "AuroraGlobalDBReplicationLag");
            assert.equal(alarm.inputs.namespace, "AWS/RDS");
            assert.deepEqual(alarm.inputs.dimensions, { DBClusterIdentifier: "shop-usw2-aurora" });
            assert.equal(alarm.inputs.threshold, 5000);
            assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
            assert.equal(alarm.inputs.treatMissingData, "breaching");
            assert.deepEqual(alarm.inputs.alarmActions, [TOPIC_ARN]);
            assert.deepEqual(alarm.inputs.okActions, [TOPIC_ARN]);
        });

        it("with only S3 replication: latency and failed-operations alarms on the rule", async () => {
            const rec = await record(() => {
                new ReplicationAlarms("t", { topicName: "shop-use1-dr-alarms", kmsKeyArn: KEY_ARN, s3Replication: [S3_WATCH] });
            });
            rec.one(T.topic);
            const alarms = rec.ofType(T.alarm);
            assert.deepEqual(alarms.map((a) => a.inputs.metricName).sort(), ["OperationsFailedReplication", "ReplicationLatency"]);
            for (const alarm of alarms) {
                assert.equal(alarm.inputs.namespace, "AWS/S3");
                assert.deepEqual(alarm.inputs.dimensions, {
                    SourceBucket: "shop-data-123456789012-us-east-1",
                    DestinationBucket: "shop-data-123456789012-us-west-2",
                    RuleId: REPLICATION_RULE_ID,
                });
                assert.deepEqual(alarm.inputs.alarmActions, [TOPIC_ARN]);
            }
            const latency = alarms.find((a) => a.inputs.metricName === "ReplicationLatency")!;
            assert.equal(latency.inputs.threshold, 900);
            const failures = alarms.find((a) => a.inputs.metricName === "OperationsFailedReplication")!;
            assert.equal(failures.inputs.threshold, 0);
            assert.equal(failures.inputs.comparisonOperator, "GreaterThanThreshold");
        });

        it("with both: three alarms", async () => {
            const rec = await record(() => {
                new ReplicationAlarms("t", { topicName: "x", kmsKeyArn: KEY_ARN, auroraSecondaryClusterId: "c", s3Replication: [S3_WATCH] });
            });
            assert.equal(rec.ofType(T.alarm).length, 3);
        });

        it("with neither: the topic only", async () => {
            const rec = await record(() => { new ReplicationAlarms("t", { topicName: "shop-use1-dr-alarms", kmsKeyArn: KEY_ARN }); });
            assert.equal(rec.one(T.topic).inputs.name, "shop-use1-dr-alarms");
            assert.equal(rec.has(T.alarm), false);
        });

        it("encrypts the topic with the region's key, subscribes each address by a name of its own, and forwards every alarm", async () => {
            const pager = "arn:aws:sns:us-west-2:123456789012:pager";
            const rec = await record(() => {
                new ReplicationAlarms("t", {
                    topicName: "shop-usw2-dr-alarms", kmsKeyArn: KEY_ARN, auroraSecondaryClusterId: "c",
                    emails: ["oncall@example.com", "DBA.Team@example.com"], forwardTo: [pager],
                });
            });
            assert.equal(rec.one(T.topic).inputs.kmsMasterKeyId, KEY_ARN);
            const subs = rec.ofType("aws:sns/topicSubscription:TopicSubscription");
            assert.deepEqual(subs.map((x) => [x.name, x.inputs.protocol, x.inputs.endpoint, x.inputs.topic]), [
                ["t-email-oncall-example-com", "email", "oncall@example.com", TOPIC_ARN],
                ["t-email-dba-team-example-com", "email", "DBA.Team@example.com", TOPIC_ARN],
            ]);
            assert.deepEqual(rec.one(T.alarm).inputs.alarmActions, [TOPIC_ARN, pager]);
            assert.deepEqual(rec.one(T.alarm).inputs.okActions, [TOPIC_ARN, pager]);
        });
    });
});

describe("components: DatabaseMonitoringRole", () => {
    it("a role named for its region that only RDS's enhanced monitoring assumes, for this account's instances, with AWS's managed policy", async () => {
        let role: DatabaseMonitoringRole | undefined;
        const rec = await record(() => {
            role = new DatabaseMonitoringRole("t", { roleName: "shop-usw2-rds-monitoring", accountId: pulumi.output("123456789012") });
        });
        const r = rec.one(T.role);
        assert.equal(r.inputs.name, "shop-usw2-rds-monitoring");
        assert.deepEqual(JSON.parse(r.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            }],
        });
        const attachment = rec.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs;
        assert.deepEqual([attachment.role, attachment.policyArn],
            ["shop-usw2-rds-monitoring", "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
        assert.equal(rec.ofType(T.rolePolicy).length, 0, "no inline policy: the managed one only");
        assert.equal(await unwrap(role!.roleArn), r.state!.arn);
    });
});

describe("components: restore and write forwarding", () => {
    const SNAPSHOT_ARN = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x";
    const dbArgs = databaseArgs;

    describe("Database: restored", () => {
        it("creates a standalone cluster from the recovery point, outside any global cluster", async () => {
            let db: Database | undefined;
            const rec = await record(() => { db = new Database("t", dbArgs("restored", { restoreFrom: SNAPSHOT_ARN })); });
            assert.equal(rec.has(T.globalCluster), false);
            const cluster = rec.one(T.cluster);
            assert.equal(cluster.inputs.clusterIdentifier, "shop-usw2-aurora");
            assert.equal(cluster.inputs.snapshotIdentifier, SNAPSHOT_ARN);
            assert.equal(cluster.inputs.globalClusterIdentifier, undefined);
            assert.equal(await unwrap(db!.globalClusterIdentifier), "");
            const members = rec.ofType(T.clusterInstance);
            assert.equal(members.length, 2);
            assert.ok(members.every((m) => m.inputs.clusterIdentifier === "shop-usw2-aurora"));
        });

        it("gets new master credentials: a generated RandomPassword, passed as a secret", async () => {
            const rec = await record(() => { new Database("t", dbArgs("restored", { restoreFrom: SNAPSHOT_ARN })); });
            assert.equal(rec.one(T.password).inputs.length, 32);
            const master = rec.one(T.cluster).inputs.masterPassword;
            assert.equal(typeof master, "object", `masterPassword arrived as plain ${typeof master}`);
            assert.equal(master[SECRET_SIG_KEY], SECRET_SIG_VALUE);
            assert.equal(master.value, "mock-password");
        });

        it("keeps a final snapshot, is protected, encrypted with the region's key, and ignores the restore's source", async () => {
            const rec = await record(() => { new Database("t", dbArgs("restored", { restoreFrom: SNAPSHOT_ARN })); });
            const cluster = rec.one(T.cluster);
            assert.equal(cluster.inputs.skipFinalSnapshot, false);
            assert.equal(cluster.inputs.finalSnapshotIdentifier, "shop-usw2-aurora-final");
            assert.deepEqual(cluster.ignoreChanges, ["globalClusterIdentifier", "replicationSourceIdentifier", "snapshotIdentifier"]);
            assert.equal(cluster.protect, true);
            assert.equal(cluster.inputs.storageEncrypted, true);
            assert.equal(cluster.inputs.kmsKeyId, KEY_ARN);
            assert.equal(cluster.inputs.deletionProtection, true);
            assert.equal(cluster.inputs.backupRetentionPeriod, 7);
            assert.equal(cluster.inputs.enableGlobalWriteForwarding, undefined);
        });

        it("without restoreFrom: fails, naming restoreFrom", async () => {
            await assert.rejects(
                record(() => { new Database("t", dbArgs("restored")); }),
                (err: Error) => /restoreFrom/.test(err.message),
            );
        });
    });

    describe("Database: write forwarding", () => {
        const CASES: ReadonlyArray<readonly [label: string, writeForwarding: boolean | undefined, expected: true | undefined]> = [
            ["true", true, true],
            ["false", false, undefined],
            ["omitted", undefined, undefined],
        ];
        for (const [label, writeForwarding, expected] of CASES) {
            it(`global-secondary with writeForwarding ${label}: enableGlobalWriteForwarding ${expected}`, async () => {
                const extra = writeForwarding === undefined ? {} : { writeForwarding };
                const rec = await record(() => { new Database("t", dbArgs("global-secondary", extra)); });
                const cluster = rec.one(T.cluster);
                assert.equal(cluster.inputs.enableGlobalWriteForwarding, expected);
                // Still a plain secondary otherwise.
                assert.equal(cluster.inputs.globalClusterIdentifier, "shop-global");
                assert.equal(cluster.inputs.skipFinalSnapshot, true);
                assert.equal(rec.has(T.password), false);
            });
        }
    });

    describe("routingPolicy", () => {
        const CASES: ReadonlyArray<readonly [routing: RegionDnsArgs["routing"], region: string, expected: unknown]> = [
            [{ policy: "failover", role: "PRIMARY" }, "us-east-1", { failoverRoutingPolicies: [{ type: "PRIMARY" }] }],
            [{ policy: "failover", role: "SECONDARY" }, "us-west-2", { failoverRoutingPolicies: [{ type: "SECONDARY" }] }],
            [{ policy: "latency" }, "us-east-1", { latencyRoutingPolicies: [{ region: "us-east-1" }] }],
            [{ policy: "latency" }, "us-west-2", { latencyRoutingPolicies: [{ region: "us-west-2" }] }],
            [{ policy: "weighted", weight: 0 }, "us-east-1", { weightedRoutingPolicies: [{ weight: 0 }] }],
            [{ policy: "weighted", weight: 200 }, "us-west-2", { weightedRoutingPolicies: [{ weight: 200 }] }],
        ];
        for (const [routing, region, expected] of CASES) {
            it(`${JSON.stringify(routing)} in ${region}: exactly ${JSON.stringify(expected)}`, () => {
                assert.deepEqual(routingPolicy(routing, region), expected);
            });
        }
    });
});
