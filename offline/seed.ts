// The deployed DR pair, in a local AWS emulator (moto): what `pulumi up -s prod` and `pulumi up -s dr` leave
// behind for the configured tier, with the program's own physical names (model/naming.ts) and sizes (the
// tiers' plans, model/tiers/), so the runbook finds everything exactly as it would in AWS. For the drill
// (npm run drill) and the runbook's integration tests; it never talks to anything but the emulator.
//
// Only what the runbook reads is created, plus what it hangs on: per region a VPC with two subnets, the
// launch template, the ALB with its target group and listener, the Auto Scaling group, the Aurora global
// cluster and its two regional clusters (with their instances), the Valkey caches (moto keeps one member per
// replication group whatever NumCacheClusters says), Route 53's hosted zone with both regions' health checks
// and records, and the dr cluster's AuroraGlobalDBReplicationLag metric.
// (KMS keys, buckets, backup vaults, alarms and security groups are left out: no runbook step reads them.)
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import {
    CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateGlobalClusterCommand } from "@aws-sdk/client-rds";
import {
    ChangeResourceRecordSetsCommand, ChangeTagsForResourceCommand, CreateHealthCheckCommand, CreateHostedZoneCommand,
    DeleteHostedZoneCommand, ResourceRecordSet, Route53Client,
} from "@aws-sdk/client-route-53";
import { APP_PORT, HEALTH_CHECK_PATH } from "../model/app";
import { Capacity } from "../model/capacity";
import { DrConfig, ZONE_ID_PATTERN } from "../model/config";
import { EMULATOR_CREDENTIALS } from "../model/emulator";
import { globalClusterIdentifier, regionNames } from "../model/naming";
import {
    AURORA_ENGINE_VERSION, DB_BACKUP_RETENTION_DAYS, DB_INSTANCE_CLASS, RegionPlan, Routing,
} from "../model/regionPlan";
import { Overrides } from "../model/stackFiles";
import { tierPlan } from "../model/tiers";
import { AwsClients, awsClients } from "../runbook/aws";
import { validatedConfig } from "../runbook/context";
import { motoQuery, xmlValues } from "./moto";

/** An image id for the launch template (the program resolves Amazon Linux 2023 through SSM at launch, which moto cannot). */
const MOTO_IMAGE_ID = "ami-12c6146b";
const EC2_API_VERSION = "2016-11-15";
const AURORA_ENGINE = "aurora-postgresql";
/** Aurora global lag the seeded dr cluster reports: a healthy few tens of milliseconds. */
export const DEFAULT_REPLICATION_LAG_MS = 40;

export interface SeedOptions {
    /** The dr stack (dr:role secondary); default "dr". */
    readonly stack?: string;
    /** Its peer, the prod stack (dr:role primary); default "prod". */
    readonly peerStack?: string;
    /**
     * Config overrides applied to both stacks of the pair, as `--set` would: e.g. `{ "dr:strategy": "warm-standby" }`
     * or `{ "dr:capacity": "6" }`. Default: the stack files as shipped (pilot light, N = 4).
     */
    readonly overrides?: Overrides;
    /** The AuroraGlobalDBReplicationLag datapoint of the dr cluster (ms); undefined: the default, 40 ms. */
    readonly replicationLagMs?: number;
    /**
     * Drift, on purpose, for readiness tests: the dr Auto Scaling group's capacity instead of the tier's,
     * or null for no dr Auto Scaling group at all (the app tier of the dr stack never deployed).
     */
    readonly drAutoScalingGroup?: Capacity | null;
    /** Where the Pulumi.<stack>.yaml files are; default: the project. */
    readonly root?: string;
}

export interface SeededRegion {
    readonly region: string;
    readonly plan: RegionPlan;
    readonly albDnsName?: string;
    readonly targetGroupArn?: string;
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

/** Network and app tier of one region: VPC + 2 subnets, launch template, ALB + target group + listener, ASG. */
async function seedAppTier(endpoint: string, c: AwsClients, cfg: DrConfig, capacity: Capacity | null, vpcCidr: string) {
    const names = regionNames(cfg.appName, cfg.region);
    const ec2 = (action: string, params: Record<string, string | number | boolean>) =>
        motoQuery(endpoint, "ec2", cfg.region, EC2_API_VERSION, action, params);
    const [vpcId] = xmlValues(await ec2("CreateVpc", {
        CidrBlock: vpcCidr, "TagSpecification.1.ResourceType": "vpc", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": names.vpc,
    }), "vpcId");
    const base = vpcCidr.split(".").slice(0, 2).join(".");
    // Independent calls in parallel: a reseed per test should take a fraction of a second.
    const [subnets, , tg] = await Promise.all([
        Promise.all(["a", "b"].map(async (az, i) =>
            xmlValues(await ec2("CreateSubnet", { VpcId: vpcId, CidrBlock: `${base}.${i}.0/24`, AvailabilityZone: `${cfg.region}${az}` }), "subnetId")[0])),
        ec2("CreateLaunchTemplate", {
            LaunchTemplateName: names.launchTemplate,
            "LaunchTemplateData.ImageId": MOTO_IMAGE_ID,
            "LaunchTemplateData.InstanceType": cfg.instanceType,
            "LaunchTemplateData.MetadataOptions.HttpTokens": "required",
            "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": 1,
        }),
        c.elbv2.send(new CreateTargetGroupCommand({
            Name: names.targetGroup, VpcId: vpcId, Port: APP_PORT, Protocol: "HTTP", TargetType: "instance",
            HealthCheckPath: HEALTH_CHECK_PATH, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5,
            HealthyThresholdCount: 2, UnhealthyThresholdCount: 2, Matcher: { HttpCode: "200-399" },
        })).then((out) => out.TargetGroups![0]),
    ]);
    const alb = (await c.elbv2.send(new CreateLoadBalancerCommand({
        Name: names.alb, Subnets: subnets, Type: "application", Scheme: "internet-facing",
    }))).LoadBalancers![0];
    await Promise.all([
        c.elbv2.send(new CreateListenerCommand({
            LoadBalancerArn: alb.LoadBalancerArn, Port: APP_PORT, Protocol: "HTTP",
            DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }],
        })),
        capacity === null ? undefined : c.autoscaling.send(new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: names.autoScalingGroup,
            MinSize: capacity.min, DesiredCapacity: capacity.desired, MaxSize: capacity.max,
            LaunchTemplate: { LaunchTemplateName: names.launchTemplate, Version: "$Latest" },
            VPCZoneIdentifier: subnets.join(","),
            TargetGroupARNs: [tg.TargetGroupArn!],
            HealthCheckType: "ELB",
            HealthCheckGracePeriod: 120,
        })),
    ]);
    return { albDnsName: alb.DNSName!, albZoneId: alb.CanonicalHostedZoneId!, targetGroupArn: tg.TargetGroupArn! };
}

/** The region's Aurora cluster and instances; the prod stack also creates the global cluster first. */
async function seedDatabase(c: AwsClients, cfg: DrConfig, plan: RegionPlan): Promise<string | undefined> {
    const db = plan.database;
    if (!db) {
        return undefined;
    }
    const names = regionNames(cfg.appName, cfg.region);
    const global = globalClusterIdentifier(cfg.appName);
    const common = {
        DBClusterIdentifier: names.dbCluster, Engine: AURORA_ENGINE, EngineVersion: AURORA_ENGINE_VERSION,
        StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: DB_BACKUP_RETENTION_DAYS,
        PreferredBackupWindow: "03:00-04:00", CopyTagsToSnapshot: true,
    };
    let arn: string | undefined;
    if (db.membership === "global-primary") {
        await c.rds.send(new CreateGlobalClusterCommand({
            GlobalClusterIdentifier: global, Engine: AURORA_ENGINE, EngineVersion: AURORA_ENGINE_VERSION, StorageEncrypted: true,
        }));
        arn = (await c.rds.send(new CreateDBClusterCommand({
            ...common, GlobalClusterIdentifier: global, MasterUsername: cfg.appName, MasterUserPassword: "not-a-secret-1",
        }))).DBCluster?.DBClusterArn;
    } else if (db.membership === "global-secondary") {
        // A secondary has no master credentials of its own: it replicates the writer's.
        arn = (await c.rds.send(new CreateDBClusterCommand({
            ...common, GlobalClusterIdentifier: global, ...(db.writeForwarding ? { EnableGlobalWriteForwarding: true } : {}),
        }))).DBCluster?.DBClusterArn;
    } else {
        arn = (await c.rds.send(new CreateDBClusterCommand({ ...common, MasterUsername: cfg.appName, MasterUserPassword: "not-a-secret-1" }))).DBCluster?.DBClusterArn;
    }
    await Promise.all(Array.from({ length: db.instances }, (_, i) => c.rds.send(new CreateDBInstanceCommand({
        DBInstanceIdentifier: `${names.dbCluster}-${i + 1}`, DBClusterIdentifier: names.dbCluster, Engine: AURORA_ENGINE,
        DBInstanceClass: DB_INSTANCE_CLASS, PubliclyAccessible: false,
    }))));
    return arn;
}

async function seedCache(c: AwsClients, cfg: DrConfig, plan: RegionPlan): Promise<void> {
    if (!plan.cache) {
        return;
    }
    const multiAz = plan.cache.nodes > 1;
    await c.elasticache.send(new CreateReplicationGroupCommand({
        ReplicationGroupId: regionNames(cfg.appName, cfg.region).cache,
        ReplicationGroupDescription: "App cache (rebuilt per region, not replicated)",
        Engine: "valkey", EngineVersion: "8.0", CacheNodeType: plan.cache.nodeType, NumCacheClusters: plan.cache.nodes,
        Port: 6379, AutomaticFailoverEnabled: multiAz, MultiAZEnabled: multiAz,
        AtRestEncryptionEnabled: true, TransitEncryptionEnabled: true, SnapshotRetentionLimit: 1,
    }));
}

/** The health check (tagged Name, as the runbook finds it) and the region's record, as components/regionDns.ts makes them. */
async function seedDns(route53: Route53Client, zoneId: string, cfg: DrConfig, routing: Routing, alb: { albDnsName: string; albZoneId: string }): Promise<string> {
    const names = regionNames(cfg.appName, cfg.region);
    const check = await route53.send(new CreateHealthCheckCommand({
        CallerReference: `${names.healthCheck}-seed`,
        HealthCheckConfig: {
            Type: "HTTP", FullyQualifiedDomainName: alb.albDnsName, Port: APP_PORT, ResourcePath: HEALTH_CHECK_PATH,
            RequestInterval: cfg.healthCheckIntervalSeconds, FailureThreshold: cfg.healthCheckFailureThreshold, MeasureLatency: true,
        },
    }));
    const healthCheckId = check.HealthCheck!.Id!;
    await route53.send(new ChangeTagsForResourceCommand({
        ResourceType: "healthcheck", ResourceId: healthCheckId, AddTags: [{ Key: "Name", Value: names.healthCheck }],
    }));
    const policy: Partial<ResourceRecordSet> = routing.policy === "failover" ? { Failover: routing.role }
        : routing.policy === "weighted" ? { Weight: routing.weight } : { Region: cfg.region as ResourceRecordSet["Region"] };
    await route53.send(new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
            Changes: [{
                Action: "CREATE",
                ResourceRecordSet: {
                    Name: cfg.dnsName, Type: "A", SetIdentifier: names.dnsSetIdentifier, HealthCheckId: healthCheckId, ...policy,
                    AliasTarget: { DNSName: alb.albDnsName, HostedZoneId: alb.albZoneId, EvaluateTargetHealth: true },
                },
            }],
        },
    }));
    return healthCheckId;
}

/**
 * Creates in the emulator at `endpoint` what `pulumi up -s prod` and `pulumi up -s dr` would leave for the
 * configured tier (default: the stack files as shipped, pilot light with N = 4). Call it on an empty
 * emulator (after resetMoto): the names are fixed, so a second seed collides with the first.
 */
export async function seedDeployedPair(endpoint: string, options: SeedOptions = {}): Promise<SeededPair> {
    const overrides = options.overrides ?? {};
    const dr = validatedConfig(options.stack ?? "dr", overrides, options.root);
    const prod = validatedConfig(options.peerStack ?? "prod", overrides, options.root);
    if (dr.role !== "secondary" || prod.role !== "primary") {
        throw new Error(`seedDeployedPair needs the dr stack (role secondary) and the prod stack (role primary); got ${dr.role} and ${prod.role}`);
    }
    const primaryClients = awsClients(prod.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const drClients = awsClients(dr.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const { route53 } = primaryClients;
    // First, alone: the zone id comes from moto's (seeded) random source, which nothing else may draw from meanwhile.
    const hostedZoneId = await createHostedZone(endpoint, route53, zoneNameOf(dr.dnsName));

    const prodPlan = tierPlan(prod);
    const drPlan = tierPlan(dr);
    const appTier = (c: AwsClients, cfg: DrConfig, plan: RegionPlan, capacity: Capacity | null | undefined) =>
        plan.app ? seedAppTier(endpoint, c, cfg, capacity === undefined ? plan.app.capacity : capacity, plan.vpcCidr) : Promise.resolve(undefined);
    // The regions are independent except for the database: the prod stack deploys first, and its global
    // cluster and writer must exist before the dr secondary joins (the first member is the writer).
    const [primaryApp, drApp, [primaryArn, drArn]] = await Promise.all([
        appTier(primaryClients, prod, prodPlan, undefined),
        appTier(drClients, dr, drPlan, options.drAutoScalingGroup),
        (async () => {
            const primaryArn = await seedDatabase(primaryClients, prod, prodPlan);
            return [primaryArn, await seedDatabase(drClients, dr, drPlan)];
        })(),
        seedCache(primaryClients, prod, prodPlan),
        seedCache(drClients, dr, drPlan),
    ]);
    const [primaryCheck, drCheck] = await Promise.all([
        primaryApp && prodPlan.app ? seedDns(route53, hostedZoneId, prod, prodPlan.app.routing, primaryApp) : undefined,
        drApp && drPlan.app ? seedDns(route53, hostedZoneId, dr, drPlan.app.routing, drApp) : undefined,
    ]);

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
        primary: { region: prod.region, plan: prodPlan, albDnsName: primaryApp?.albDnsName, targetGroupArn: primaryApp?.targetGroupArn, dbClusterArn: primaryArn, healthCheckId: primaryCheck },
        secondary: { region: dr.region, plan: drPlan, albDnsName: drApp?.albDnsName, targetGroupArn: drApp?.targetGroupArn, dbClusterArn: drArn, healthCheckId: drCheck },
        runbookOverrides: { ...overrides, "dr:dnsZoneId": hostedZoneId },
    };
}
