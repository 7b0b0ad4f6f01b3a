// The deployed DR pair, in a local AWS emulator (moto): what `pulumi up -s prod` and `pulumi up -s dr` leave
// behind, read from the program itself. Both stacks are evaluated under Pulumi's mocks (offline/evaluate.ts,
// the same recording the plan prints), and each resource the runbook reads is created in the emulator with
// the inputs the program registered for it: names, sizes, health-check settings, record sets. Nothing is
// restated here, so the drill cannot drift from the program. For the drill (npm run drill) and the
// runbook's integration tests; it talks to nothing but the emulator.
//
// Created: per region the VPC (with a subnet per availability zone: awsx's own subnets are not visible
// under mocks), the launch template, the ALB with its target group and its HTTPS and redirecting HTTP listeners
// (the certificate requested from moto's ACM), the Auto Scaling group,
// the Aurora global cluster and the regional clusters with their instances, the Valkey caches, the CloudWatch
// alarms (the traffic fence's among them), and Route 53's hosted zone with both regions' health checks and
// records. Added, as AWS itself would publish it: the dr cluster's AuroraGlobalDBReplicationLag metric; set,
// as a deployed pair shows it, each region canary's alarm (OK on a running fleet, the seed named as why). Left
// out, as no runbook step reads them: KMS keys, buckets, backup vaults and plans, topics, IAM roles, security
// groups and subnet groups.
// Where moto cannot take the program's value, the substitute is named (the AMI, a restored cluster).
import { CreateAutoScalingGroupCommand, PutWarmPoolCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import {
    CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateGlobalClusterCommand } from "@aws-sdk/client-rds";
import {
    ChangeResourceRecordSetsCommand, ChangeTagsForResourceCommand, CreateHealthCheckCommand, CreateHostedZoneCommand,
    DeleteHostedZoneCommand, HealthCheckConfig, ResourceRecordSet, Route53Client,
} from "@aws-sdk/client-route-53";
import { canaryNames } from "../model/canary";
import { Capacity } from "../model/capacity";
import { DrConfig, ZONE_ID_PATTERN } from "../model/config";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { regionNames } from "../model/naming";
import { RegionPlan } from "../model/regionPlan";
import { Overrides } from "../model/tooling/stackFiles";
import { tierPlan } from "../model/tiers";
import { AwsClients, awsClients, route53Client } from "../runbook/aws";
import { Recorded, Recording, stackRun } from "./evaluate";
import { motoJson, motoQuery, xmlValues } from "./moto";
import { pairConfigs, peerOverrides } from "../model/stackPair";

/**
 * The launch template's image: the program names Amazon Linux 2023 by its public SSM parameter, which EC2
 * resolves at launch and moto cannot; moto's own sample AMI id stands in.
 */
export const MOTO_IMAGE_ID = "ami-12c6146b";
const EC2_API_VERSION = "2016-11-15";
/** Aurora global lag the seeded dr cluster reports: a healthy few tens of milliseconds. */
export const DEFAULT_REPLICATION_LAG_MS = 40;

const TYPES = {
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

export interface SeedOptions {
    /** The dr stack (dr:role secondary); default "dr". Its peer is found as the plan finds it. */
    readonly stack?: string;
    /**
     * Config overrides applied to both stacks of the pair, as `--set` would: e.g. `{ "dr:strategy": "warm-standby" }`
     * or `{ "dr:capacity": "6" }`. Default: the stack files as shipped (pilot light, N = 4).
     */
    readonly overrides?: Overrides;
    /** The AuroraGlobalDBReplicationLag datapoint of the dr cluster (ms); undefined: the default, 40 ms. */
    readonly replicationLagMs?: number;
    /**
     * Drift, on purpose, for readiness tests: the dr Auto Scaling group's capacity instead of the program's,
     * or null for no dr Auto Scaling group at all (the app tier of the dr stack never deployed).
     */
    readonly drAutoScalingGroup?: Capacity | null;
}

export interface SeededRegion {
    readonly region: string;
    readonly plan: RegionPlan;
    readonly albDnsName?: string;
    readonly targetGroupArn?: string;
    /** The instances its Auto Scaling group was created with (0 without one); absent where it has no app tier. */
    readonly fleet?: number;
    readonly dbClusterArn?: string;
    readonly healthCheckId?: string;
}

export interface SeededPair {
    readonly prod: DrConfig;
    readonly dr: DrConfig;
    readonly primary: SeededRegion;
    readonly secondary: SeededRegion;
    /** The hosted zone moto created: moto picks its own id, not the stack's dr:dnsZoneId. */
    readonly hostedZoneId: string;
    /**
     * What the runbook's config needs against this emulator: the seed's overrides plus dr:dnsZoneId set to
     * moto's zone (the runbook reads the weighted records from cfg.dnsZoneId). Give these to runbookContext.
     */
    readonly runbookOverrides: Overrides;
}

/** The zone dr:dnsName lives in: its parent domain (shop.example.com -> example.com). */
export function zoneNameOf(dnsName: string): string {
    const labels = dnsName.replace(/\.$/, "").split(".");
    return labels.length > 2 ? labels.slice(1).join(".") : labels.join(".");
}

/** The seed value of moto's random source that gave a zone id Route 53 (and dr:dnsZoneId's check) accepts. */
const goodSeeds = new Map<string, number>();

/**
 * Creates the hosted zone. moto draws a zone id from [A-Z0-9], which need not start with "Z" as AWS's do and
 * as dr:dnsZoneId requires; moto's random source is seeded (POST /moto-api/seed) until it does, and the seed
 * is remembered per emulator so every later reseed takes one try. (The ids moto draws afterwards, of health
 * checks and instances, repeat from one reseed to the next as a result; nothing relies on that.)
 */
async function createHostedZone(endpoint: string, route53: Route53Client, zoneName: string): Promise<string> {
    const first = goodSeeds.get(endpoint) ?? 0;
    for (let seed = first; seed < first + 500; seed++) {
        const res = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: "POST" });
        await res.arrayBuffer();
        if (!res.ok) {
            throw new Error(`moto refused POST /moto-api/seed: HTTP ${res.status}`);
        }
        const zone = await route53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: `drill-zone-${seed}` }));
        const id = zone.HostedZone!.Id!.replace(/^\/hostedzone\//, "");
        if (ZONE_ID_PATTERN.test(id)) {
            goodSeeds.set(endpoint, seed);
            return id;
        }
        await route53.send(new DeleteHostedZoneCommand({ Id: id }));
    }
    throw new Error(`moto gave no hosted zone id matching ${ZONE_ID_PATTERN} in 500 tries`);
}

/** A value the mocks recorded as a secret (`pulumi.secret`) arrives wrapped; the emulator wants it plain. */
function plain(value: unknown): unknown {
    const secretSig = "4dabf18193072939515e22adb298388d";
    return value !== null && typeof value === "object" && secretSig in value ? (value as unknown as { value: unknown }).value : value;
}

/** The recorded values of resources the emulator gave other values to: mock ARN, DNS name or id -> the emulator's. */
type Emulated = Map<unknown, string>;

const resolve = (emulated: Emulated, recorded: unknown): string => {
    const value = emulated.get(recorded);
    if (value === undefined) {
        throw new Error(`the seed has no emulator value for ${JSON.stringify(recorded)}: a resource it refers to was not created`);
    }
    return value;
};

/** One region's network and app tier, as the recording has them: VPC, launch template, target group, ALB, listener, ASG. */
async function seedAppTier(endpoint: string, c: AwsClients, rec: Recording, emulated: Emulated, asgDrift: Capacity | null | undefined) {
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
async function seedDatabase(c: AwsClients, rec: Recording): Promise<string | undefined> {
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
async function seedCache(c: AwsClients, rec: Recording): Promise<void> {
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

/** The record's routing policy, as Route 53's API spells it. */
function routingOf(record: Recorded["inputs"]): Partial<ResourceRecordSet> {
    if (record.failoverRoutingPolicies?.length) return { Failover: record.failoverRoutingPolicies[0].type };
    if (record.weightedRoutingPolicies?.length) return { Weight: record.weightedRoutingPolicies[0].weight };
    if (record.latencyRoutingPolicies?.length) return { Region: record.latencyRoutingPolicies[0].region };
    return {};
}

/** A health check's configuration as Route 53's API spells it, from the recorded inputs. */
function healthCheckConfig(hc: Recorded["inputs"], emulated: Emulated): HealthCheckConfig {
    switch (hc.type) {
        case "CALCULATED":
            return { Type: hc.type, ChildHealthChecks: hc.childHealthchecks.map((id: string) => resolve(emulated, id)), HealthThreshold: hc.childHealthThreshold };
        case "CLOUDWATCH_METRIC":
            return {
                Type: hc.type, AlarmIdentifier: { Name: hc.cloudwatchAlarmName, Region: hc.cloudwatchAlarmRegion },
                InsufficientDataHealthStatus: hc.insufficientDataHealthStatus,
            };
        default:
            return {
                Type: hc.type, FullyQualifiedDomainName: resolve(emulated, hc.fqdn), Port: hc.port, ResourcePath: hc.resourcePath,
                RequestInterval: hc.requestInterval, FailureThreshold: hc.failureThreshold, MeasureLatency: hc.measureLatency,
                EnableSNI: hc.enableSni,
            };
    }
}

/**
 * The region's health checks (tagged Name, as the runbook finds them: the endpoint's, and where the record is
 * fenced the fence's and the CALCULATED one over both) and its record, as the program registers them.
 * Returns the id of the check the record uses.
 */
async function seedDns(route53: Route53Client, zoneId: string, rec: Recording, emulated: Emulated): Promise<string | undefined> {
    const checks = rec.ofType(TYPES.healthCheck);
    if (checks.length === 0) {
        return undefined;
    }
    // A CALCULATED check names its children: they go first.
    for (const check of [...checks].sort((a, b) => Number(a.inputs.type === "CALCULATED") - Number(b.inputs.type === "CALCULATED"))) {
        const created = await route53.send(new CreateHealthCheckCommand({
            CallerReference: `${check.inputs.tags.Name}-seed`, HealthCheckConfig: healthCheckConfig(check.inputs, emulated),
        }));
        const id = created.HealthCheck!.Id!;
        emulated.set(check.id, id);
        await route53.send(new ChangeTagsForResourceCommand({
            ResourceType: "healthcheck", ResourceId: id, AddTags: Object.entries(check.inputs.tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value })),
        }));
    }
    // The app's alias records; the certificate's validation record is not seeded (nothing reads it).
    const aliases = rec.ofType(TYPES.record).filter((r) => r.inputs.aliases?.length);
    const changes = aliases.map(({ inputs: r }) => ({
        Action: "CREATE" as const,
        ResourceRecordSet: {
            Name: r.name, Type: r.type, SetIdentifier: r.setIdentifier, HealthCheckId: resolve(emulated, r.healthCheckId), ...routingOf(r),
            AliasTarget: {
                DNSName: resolve(emulated, r.aliases[0].name), HostedZoneId: resolve(emulated, r.aliases[0].zoneId),
                EvaluateTargetHealth: r.aliases[0].evaluateTargetHealth,
            },
        },
    }));
    await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
    return resolve(emulated, aliases[0].inputs.healthCheckId);
}

/**
 * The region's CloudWatch alarms, as the program registers them (the traffic fence's among them, which the
 * runbook closes and opens), without their actions: the topic they notify is not seeded.
 */
async function seedAlarms(c: AwsClients, rec: Recording): Promise<void> {
    for (const { inputs: a } of rec.ofType(TYPES.alarm)) {
        await c.cloudwatch.send(new PutMetricAlarmCommand({
            AlarmName: a.name, AlarmDescription: a.alarmDescription, Namespace: a.namespace, MetricName: a.metricName,
            Dimensions: Object.entries(a.dimensions as Record<string, string>).map(([Name, Value]) => ({ Name, Value })),
            Statistic: a.statistic, Period: a.period, EvaluationPeriods: a.evaluationPeriods, Threshold: a.threshold,
            ComparisonOperator: a.comparisonOperator, TreatMissingData: a.treatMissingData,
        }));
    }
}

/** The reason the seed gives the canary alarms it sets: the report shows it, so nobody takes it for a canary's verdict. */
export const SEEDED_CANARY_REASON = "set by the drill's seed: moto runs no canary; this stands for its passing runs on the region's own load balancer, whose fleet the seed started";

/**
 * The state a region's canary alarm shows in a deployed pair: OK where the region's fleet runs (the canary has
 * been passing on it), INSUFFICIENT_DATA where none runs for it to pass on. Never moto's own start, OK with
 * "Unchecked: Initial alarm creation", which would read as a passing canary.
 */
export function seededCanaryState(fleet: number): "OK" | "INSUFFICIENT_DATA" {
    return fleet > 0 ? "OK" : "INSUFFICIENT_DATA";
}

/**
 * The region's canary alarm (model/canary.ts canaryNames), where the program registers one, set as a deployed
 * pair shows it once the fleet is up (offline/moto.ts EMULATOR_GAPS says why the drill does this).
 */
async function seedCanaryState(c: AwsClients, rec: Recording, appName: string, fleet: number): Promise<void> {
    const alarm = canaryNames(appName, c.region).alarm;
    if (!rec.ofType(TYPES.alarm).some((a) => a.inputs.name === alarm)) {
        return;
    }
    const state = seededCanaryState(fleet);
    await c.cloudwatch.send(new SetAlarmStateCommand({
        AlarmName: alarm, StateValue: state,
        StateReason: state === "OK" ? SEEDED_CANARY_REASON : "set by the drill's seed: moto runs no canary, and no fleet runs here for one to pass on",
    }));
}

/**
 * Creates in the emulator at `endpoint` what `pulumi up -s prod` and `pulumi up -s dr` would leave for the
 * configured tier (default: the stack files as shipped, pilot light with N = 4), from the program's own
 * registrations. Call it on an empty emulator (after resetMoto): the names are fixed, so a second seed
 * collides with the first.
 */
export async function seedDeployedPair(endpoint: string, options: SeedOptions = {}): Promise<SeededPair> {
    const overrides = options.overrides ?? {};
    const pair = pairConfigs(options.stack ?? "dr", overrides);
    if (pair.named.role !== "secondary") {
        throw new Error(`seedDeployedPair takes the dr stack (dr:role secondary); ${pair.stack} has dr:role ${pair.named.role}`);
    }
    const { prod, dr } = pair;
    // The recordings the plan prints, memoized per configuration (a reseed per test evaluates nothing again),
    // one after the other: Pulumi's mock runtime is process-wide.
    const unenforced = { "dr:enforceObjectives": "false" };
    const prodRec = await stackRun(pair.prodStack, { ...peerOverrides(overrides), ...unenforced });
    const drRec = await stackRun(pair.drStack, { ...overrides, ...unenforced });

    const primaryClients = awsClients(prod.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const drClients = awsClients(dr.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    // Route 53's API, as `pulumi up` reaches it (the deploy, in normal times, not the recovery path).
    const route53 = route53Client({ endpoint, credentials: EMULATOR_CREDENTIALS });
    // First, alone: the zone id comes from moto's (seeded) random source, which nothing else may draw from meanwhile.
    const hostedZoneId = await createHostedZone(endpoint, route53, zoneNameOf(dr.dnsName));

    // One map per region: both stacks' mocks give the same logical names the same mock values.
    const [primaryValues, drValues]: Emulated[] = [new Map(), new Map()];
    // The regions are independent except for the database: the prod stack deploys first, and its global
    // cluster and writer must exist before the dr secondary joins (the first member is the writer).
    const [primaryApp, drApp, [primaryArn, drArn]] = await Promise.all([
        seedAppTier(endpoint, primaryClients, prodRec, primaryValues, undefined),
        seedAppTier(endpoint, drClients, drRec, drValues, options.drAutoScalingGroup),
        (async () => {
            const primaryArn = await seedDatabase(primaryClients, prodRec);
            return [primaryArn, await seedDatabase(drClients, drRec)];
        })(),
        seedCache(primaryClients, prodRec),
        seedCache(drClients, drRec),
        seedAlarms(primaryClients, prodRec),
        seedAlarms(drClients, drRec),
    ]);
    const [primaryCheck, drCheck] = await Promise.all([
        seedDns(route53, hostedZoneId, prodRec, primaryValues),
        seedDns(route53, hostedZoneId, drRec, drValues),
        // After the alarms and the fleets: a canary passes once there is a fleet to answer it.
        seedCanaryState(primaryClients, prodRec, prod.appName, primaryApp?.fleet ?? 0),
        seedCanaryState(drClients, drRec, dr.appName, drApp?.fleet ?? 0),
    ]);

    const drPlan = tierPlan(dr);
    if (drPlan.database?.membership === "global-secondary") {
        await drClients.cloudwatch.send(new PutMetricDataCommand({
            Namespace: "AWS/RDS",
            MetricData: [{
                MetricName: "AuroraGlobalDBReplicationLag",
                Dimensions: [{ Name: "DBClusterIdentifier", Value: regionNames(dr.appName, dr.region).dbCluster }],
                Timestamp: new Date(Date.now() - 30_000),
                Value: options.replicationLagMs ?? DEFAULT_REPLICATION_LAG_MS,
                Unit: "Milliseconds",
            }],
        }));
    }

    return {
        prod, dr, hostedZoneId,
        primary: { region: prod.region, plan: tierPlan(prod), ...primaryApp, dbClusterArn: primaryArn, healthCheckId: primaryCheck },
        secondary: { region: dr.region, plan: drPlan, ...drApp, dbClusterArn: drArn, healthCheckId: drCheck },
        runbookOverrides: { ...overrides, "dr:dnsZoneId": hostedZoneId },
    };
}
