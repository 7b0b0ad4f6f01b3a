// One region of the deployed pair in the emulator, from its stack's recording (offline/seed.ts drives both):
// the network and app tier, the Aurora clusters, the caches and the CloudWatch alarms. Also what the seed's
// other parts share: the recorded resource types it reads, and the map from the mocks' values to the
// emulator's, which a later resource (a listener, a record) resolves its references through.
// Where moto cannot take the program's value, the substitute is named (the AMI, a restored cluster).
import { CreateAutoScalingGroupCommand, PutWarmPoolCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { CreateReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import {
    CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateGlobalClusterCommand } from "@aws-sdk/client-rds";
import { Capacity } from "../model/capacity";
import { AwsClients } from "../runbook/aws";
import { Recording } from "./evaluate";
import { motoJson, motoQuery, xmlValues } from "./moto";

/**
 * The launch template's image: the program names Amazon Linux 2023 by its public SSM parameter, which EC2
 * resolves at launch and moto cannot; moto's own sample AMI id stands in.
 */
export const MOTO_IMAGE_ID = "ami-12c6146b";
const EC2_API_VERSION = "2016-11-15";

export const TYPES = {
    vpc: "awsx:ec2:Vpc",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    certificate: "aws:acm/certificate:Certificate",
    asg: "aws:autoscaling/group:Group",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    cluster: "aws:rds/cluster:Cluster",
    instance: "aws:rds/clusterInstance:ClusterInstance",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    record: "aws:route53/record:Record",
} as const;

/** A value the mocks recorded as a secret (`pulumi.secret`) arrives wrapped; the emulator wants it plain. */
function plain(value: unknown): unknown {
    const secretSig = "4dabf18193072939515e22adb298388d";
    return value !== null && typeof value === "object" && secretSig in value ? (value as unknown as { value: unknown }).value : value;
}

/** The recorded values of resources the emulator gave other values to: mock ARN, DNS name or id -> the emulator's. */
export type Emulated = Map<unknown, string>;

export const resolve = (emulated: Emulated, recorded: unknown): string => {
    const value = emulated.get(recorded);
    if (value === undefined) {
        throw new Error(`the seed has no emulator value for ${JSON.stringify(recorded)}: a resource it refers to was not created`);
    }
    return value;
};

/** One region's network and app tier, as the recording has them: VPC, launch template, target group, ALB, listener, ASG. */
export async function seedAppTier(endpoint: string, c: AwsClients, rec: Recording, emulated: Emulated, asgDrift: Capacity | null | undefined) {
    const alb = rec.ofType(TYPES.alb)[0];
    if (!alb) {
        return undefined;
    }
    const vpc = rec.one(TYPES.vpc).inputs;
    const ec2 = (action: string, params: Record<string, string | number | boolean>) =>
        motoQuery(endpoint, "ec2", c.region, EC2_API_VERSION, action, params);
    const [vpcId] = xmlValues(await ec2("CreateVpc", {
        CidrBlock: vpc.cidrBlock, "TagSpecification.1.ResourceType": "vpc",
        "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": vpc.tags.Name,
    }), "vpcId");
    const base = String(vpc.cidrBlock).split(".").slice(0, 2).join(".");
    const lt = rec.one(TYPES.launchTemplate).inputs;
    const tg = rec.one(TYPES.targetGroup);
    const hc = tg.inputs.healthCheck;
    // Independent calls in parallel: a reseed per test should take a fraction of a second.
    const [subnets, , tgArn] = await Promise.all([
        Promise.all(Array.from({ length: vpc.numberOfAvailabilityZones }, async (_, i) =>
            xmlValues(await ec2("CreateSubnet", {
                VpcId: vpcId, CidrBlock: `${base}.${i}.0/24`, AvailabilityZone: `${c.region}${String.fromCharCode(97 + i)}`,
            }), "subnetId")[0])),
        ec2("CreateLaunchTemplate", {
            LaunchTemplateName: lt.name,
            "LaunchTemplateData.ImageId": MOTO_IMAGE_ID,
            "LaunchTemplateData.InstanceType": lt.instanceType,
            "LaunchTemplateData.MetadataOptions.HttpTokens": lt.metadataOptions.httpTokens,
            "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": lt.metadataOptions.httpPutResponseHopLimit,
        }),
        c.elbv2.send(new CreateTargetGroupCommand({
            Name: tg.inputs.name, VpcId: vpcId, Port: tg.inputs.port, Protocol: tg.inputs.protocol, TargetType: tg.inputs.targetType,
            HealthCheckPath: hc.path, HealthCheckIntervalSeconds: hc.interval, HealthCheckTimeoutSeconds: hc.timeout,
            HealthyThresholdCount: hc.healthyThreshold, UnhealthyThresholdCount: hc.unhealthyThreshold, Matcher: { HttpCode: hc.matcher },
        })).then((out) => out.TargetGroups![0].TargetGroupArn!),
    ]);
    emulated.set(tg.state!.arn, tgArn);
    const lb = (await c.elbv2.send(new CreateLoadBalancerCommand({
        Name: alb.inputs.name, Subnets: subnets, Type: alb.inputs.loadBalancerType, Scheme: alb.inputs.internal ? "internal" : "internet-facing",
    }))).LoadBalancers![0];
    emulated.set(alb.state!.dnsName, lb.DNSName!);
    emulated.set(alb.state!.zoneId, lb.CanonicalHostedZoneId!);
    // The HTTPS listener's certificate: the one the stack requests (its validation is not emulated: moto
    // issues it as requested), or the one dr:certificateArn names, stood in for by one moto holds.
    const https = rec.ofType(TYPES.listener).find((l) => l.inputs.protocol === "HTTPS")?.inputs;
    if (https && !emulated.has(https.certificateArn)) {
        const requested = rec.ofType(TYPES.certificate)[0]?.inputs.domainName ?? "app.example.com";
        const cert = await motoJson(endpoint, "acm", c.region, "CertificateManager.RequestCertificate", { DomainName: requested, ValidationMethod: "DNS" });
        emulated.set(https.certificateArn, cert.CertificateArn);
    }
    const asg = rec.one(TYPES.asg).inputs;
    const capacity = asgDrift ?? { min: asg.minSize, desired: asg.desiredCapacity, max: asg.maxSize };
    await Promise.all([
        ...rec.ofType(TYPES.listener).map(({ inputs: listener }) => c.elbv2.send(new CreateListenerCommand({
            LoadBalancerArn: lb.LoadBalancerArn, Port: listener.port, Protocol: listener.protocol, SslPolicy: listener.sslPolicy,
            Certificates: listener.certificateArn === undefined ? undefined : [{ CertificateArn: resolve(emulated, listener.certificateArn) }],
            DefaultActions: listener.defaultActions.map((a: { type: string; targetGroupArn?: string; redirect?: Record<string, string> }) => a.type === "redirect"
                ? { Type: "redirect", RedirectConfig: { Protocol: a.redirect!.protocol, Port: a.redirect!.port, StatusCode: a.redirect!.statusCode } }
                : { Type: a.type, TargetGroupArn: resolve(emulated, a.targetGroupArn) }),
        }))),
        asgDrift === null ? undefined : c.autoscaling.send(new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: asg.name,
            MinSize: capacity.min, DesiredCapacity: capacity.desired, MaxSize: capacity.max,
            // The template's version as moto knows it: the program names a number only where a warm pool needs one.
            LaunchTemplate: { LaunchTemplateName: lt.name, Version: typeof asg.launchTemplate.version === "string" ? asg.launchTemplate.version : "$Latest" },
            VPCZoneIdentifier: subnets.join(","),
            TargetGroupARNs: asg.targetGroupArns.map((arn: string) => resolve(emulated, arn)),
            HealthCheckType: asg.healthCheckType,
            HealthCheckGracePeriod: asg.healthCheckGracePeriod,
        })).then(() => asg.warmPool === undefined ? undefined : c.autoscaling.send(new PutWarmPoolCommand({
            // The dr group's warm pool (dr:warmPool): moto keeps its configuration, and starts no instance in it.
            AutoScalingGroupName: asg.name, PoolState: asg.warmPool.poolState, MinSize: asg.warmPool.minSize,
            MaxGroupPreparedCapacity: asg.warmPool.maxGroupPreparedCapacity,
            InstanceReusePolicy: { ReuseOnScaleIn: asg.warmPool.instanceReusePolicy.reuseOnScaleIn },
        }))),
    ]);
    return { albDnsName: lb.DNSName!, targetGroupArn: tgArn, fleet: asgDrift === null ? 0 : capacity.desired };
}

/** The region's Aurora cluster and instances; the prod stack's recording also has the global cluster. */
export async function seedDatabase(c: AwsClients, rec: Recording): Promise<string | undefined> {
    const cluster = rec.ofType(TYPES.cluster)[0]?.inputs;
    if (!cluster) {
        return undefined;
    }
    for (const g of rec.ofType(TYPES.globalCluster)) {
        await c.rds.send(new CreateGlobalClusterCommand({
            GlobalClusterIdentifier: g.inputs.globalClusterIdentifier, Engine: g.inputs.engine, EngineVersion: g.inputs.engineVersion,
            StorageEncrypted: g.inputs.storageEncrypted,
        }));
    }
    // A restored cluster is created from its snapshot in AWS; the emulator holds no snapshot, so a standalone
    // cluster with the same name and settings stands in for it.
    const standalone = cluster.globalClusterIdentifier === undefined;
    const arn = (await c.rds.send(new CreateDBClusterCommand({
        DBClusterIdentifier: cluster.clusterIdentifier, Engine: cluster.engine, EngineVersion: cluster.engineVersion,
        StorageEncrypted: cluster.storageEncrypted, DeletionProtection: cluster.deletionProtection,
        BackupRetentionPeriod: cluster.backupRetentionPeriod, PreferredBackupWindow: cluster.preferredBackupWindow,
        CopyTagsToSnapshot: cluster.copyTagsToSnapshot,
        GlobalClusterIdentifier: cluster.globalClusterIdentifier,
        ...(cluster.enableGlobalWriteForwarding ? { EnableGlobalWriteForwarding: true } : {}),
        // A secondary has no master credentials of its own: it replicates the writer's.
        ...(cluster.masterUsername !== undefined || standalone
            ? { MasterUsername: cluster.masterUsername ?? "dradmin", MasterUserPassword: String(plain(cluster.masterPassword) ?? "not-a-secret-1") }
            : {}),
    }))).DBCluster?.DBClusterArn;
    await Promise.all(rec.ofType(TYPES.instance).map((i) => c.rds.send(new CreateDBInstanceCommand({
        DBInstanceIdentifier: i.inputs.identifier, DBClusterIdentifier: i.inputs.clusterIdentifier, Engine: i.inputs.engine,
        DBInstanceClass: i.inputs.instanceClass, PubliclyAccessible: i.inputs.publiclyAccessible,
    }))));
    return arn;
}

/** The region's cache, sized as the program sizes it (moto keeps one member whatever NumCacheClusters says). */
export async function seedCache(c: AwsClients, rec: Recording): Promise<void> {
    for (const { inputs: g } of rec.ofType(TYPES.cache)) {
        await c.elasticache.send(new CreateReplicationGroupCommand({
            ReplicationGroupId: g.replicationGroupId, ReplicationGroupDescription: g.description,
            Engine: g.engine, EngineVersion: g.engineVersion, CacheNodeType: g.nodeType, NumCacheClusters: g.numCacheClusters,
            Port: g.port, AutomaticFailoverEnabled: g.automaticFailoverEnabled, MultiAZEnabled: g.multiAzEnabled,
            AtRestEncryptionEnabled: g.atRestEncryptionEnabled, TransitEncryptionEnabled: g.transitEncryptionEnabled,
            SnapshotRetentionLimit: g.snapshotRetentionLimit,
        }));
    }
}

/**
 * The region's CloudWatch alarms, as the program registers them (the traffic fence's among them, which the
 * runbook closes and opens), without their actions: the topic they notify is not seeded.
 */
export async function seedAlarms(c: AwsClients, rec: Recording): Promise<void> {
    for (const { inputs: a } of rec.ofType(TYPES.alarm)) {
        await c.cloudwatch.send(new PutMetricAlarmCommand({
            AlarmName: a.name, AlarmDescription: a.alarmDescription, Namespace: a.namespace, MetricName: a.metricName,
            Dimensions: Object.entries(a.dimensions as Record<string, string>).map(([Name, Value]) => ({ Name, Value })),
            Statistic: a.statistic, Period: a.period, EvaluationPeriods: a.evaluationPeriods, Threshold: a.threshold,
            ComparisonOperator: a.comparisonOperator, TreatMissingData: a.treatMissingData,
        }));
    }
}
