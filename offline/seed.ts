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
//
// Per region in offline/seedRegion.ts (where moto cannot take the program's value, the substitute is named
// there: the AMI, a restored cluster), Route 53 in offline/seedDns.ts; here, the pair as one: what must come
// before what in the emulator, the canary alarms and the replication lag metric.
import { PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { canaryNames } from "../model/canary";
import { Capacity } from "../model/capacity";
import { DrConfig } from "../model/config";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { regionNames } from "../model/naming";
import { RegionPlan } from "../model/regionPlan";
import { Overrides } from "../model/tooling/stackFiles";
import { tierPlan } from "../model/tiers";
import type { Route53Client } from "@aws-sdk/client-route-53";
import { AwsClients, awsClients, route53Client } from "../runbook/aws";
import { Recording, runStack, stackRun } from "./evaluate";
import { pairConfigs, peerOverrides } from "../model/stackPair";
import { createHostedZone, seedDns, zoneNameOf } from "./seedDns";
import { Emulated, seedAlarms, seedAppTier, seedCache, seedDatabase, TYPES } from "./seedRegion";

/** Aurora global lag the seeded dr cluster reports: a healthy few tens of milliseconds. */
export const DEFAULT_REPLICATION_LAG_MS = 40;

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
    /**
     * A hosted zone already in the emulator, for a second app of the same zone (a portfolio's apps share their
     * dr:dnsZoneId): its records go there. Unset: the seed creates the zone (moto picks its id).
     */
    readonly hostedZoneId?: string;
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
 * A region's parts the runbook reads, side by side: its app tier, its database (`database`, which a secondary runs
 * once the writer's global cluster exists), its cache and its alarms (the fences among them).
 */
async function seedRegionParts(endpoint: string, c: AwsClients, rec: Recording, values: Emulated, asgDrift: Capacity | null | undefined,
    database: () => Promise<string | undefined>): Promise<{ app: Awaited<ReturnType<typeof seedAppTier>>; dbClusterArn: string | undefined }> {
    const [app, dbClusterArn] = await Promise.all([seedAppTier(endpoint, c, rec, values, asgDrift), database(), seedCache(c, rec), seedAlarms(c, rec)]);
    return { app, dbClusterArn };
}

/**
 * Then, once its load balancer and alarms exist, the region's health checks and records in the zone, and its
 * canary's alarm state (a canary passes once there is a fleet to answer it). Returns the record's check id.
 */
async function seedRegionEdge(route53: Route53Client, zoneId: string, c: AwsClients, rec: Recording, values: Emulated,
    appName: string, fleet: number): Promise<string | undefined> {
    const [check] = await Promise.all([seedDns(route53, zoneId, rec, values), seedCanaryState(c, rec, appName, fleet)]);
    return check;
}

/** The AuroraGlobalDBReplicationLag datapoint a recovery region's secondary publishes in its own region, as AWS would. */
async function seedReplicationLag(c: AwsClients, cfg: DrConfig, plan: RegionPlan, lagMs: number): Promise<void> {
    if (plan.database?.membership !== "global-secondary") {
        return;
    }
    await c.cloudwatch.send(new PutMetricDataCommand({
        Namespace: "AWS/RDS",
        MetricData: [{
            MetricName: "AuroraGlobalDBReplicationLag",
            Dimensions: [{ Name: "DBClusterIdentifier", Value: regionNames(cfg.appName, cfg.region).dbCluster }],
            Timestamp: new Date(Date.now() - 30_000),
            Value: lagMs,
            Unit: "Milliseconds",
        }],
    }));
}

/**
 * Creates in the emulator at `endpoint` what `pulumi up -s prod` and `pulumi up -s dr` would leave for the
 * configured tier (default: the stack files as shipped, pilot light with N = 4), from the program's own
 * registrations. Call it on an empty emulator (after resetMoto): the names are fixed, so a second seed of the
 * same app collides with the first. Another app (its own dr:appName) may follow, in the first one's zone.
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
    // Never twice: the same seed would draw the first zone's id again.
    const hostedZoneId = options.hostedZoneId ?? await createHostedZone(endpoint, route53, zoneNameOf(dr.dnsName));

    // One map per region: both stacks' mocks give the same logical names the same mock values.
    const [primaryValues, drValues]: Emulated[] = [new Map(), new Map()];
    // The regions are independent except for the database: the prod stack deploys first, and its global
    // cluster and writer must exist before the dr secondary joins (the first member is the writer).
    const primaryDatabase = seedDatabase(primaryClients, prodRec);
    const [{ app: primaryApp, dbClusterArn: primaryArn }, { app: drApp, dbClusterArn: drArn }] = await Promise.all([
        seedRegionParts(endpoint, primaryClients, prodRec, primaryValues, undefined, () => primaryDatabase),
        seedRegionParts(endpoint, drClients, drRec, drValues, options.drAutoScalingGroup, async () => {
            await primaryDatabase;
            return seedDatabase(drClients, drRec);
        }),
    ]);
    const [primaryCheck, drCheck] = await Promise.all([
        seedRegionEdge(route53, hostedZoneId, primaryClients, prodRec, primaryValues, prod.appName, primaryApp?.fleet ?? 0),
        seedRegionEdge(route53, hostedZoneId, drClients, drRec, drValues, dr.appName, drApp?.fleet ?? 0),
    ]);

    const drPlan = tierPlan(dr);
    await seedReplicationLag(drClients, dr, drPlan, options.replicationLagMs ?? DEFAULT_REPLICATION_LAG_MS);

    return {
        prod, dr, hostedZoneId,
        primary: { region: prod.region, plan: tierPlan(prod), ...primaryApp, dbClusterArn: primaryArn, healthCheckId: primaryCheck },
        secondary: { region: dr.region, plan: drPlan, ...drApp, dbClusterArn: drArn, healthCheckId: drCheck },
        runbookOverrides: { ...overrides, "dr:dnsZoneId": hostedZoneId },
    };
}

/** A further recovery region of a set of three or more, seeded after its pair (seedDeployedPair, given the set). */
export interface SeededRecoveryRegion extends SeededRegion {
    readonly stack: string;
    readonly cfg: DrConfig;
}

/**
 * Creates what `pulumi up -s <stack>` of a further recovery region would leave (the example's dr2), in the pair's
 * emulator and hosted zone: its app tier, its Aurora secondary (joining the pair's global cluster), its cache, its
 * alarms (the fences it holds among them), its health checks and records, its canary's state and its lag datapoint.
 * `root`: the project copy whose stack file deploys it (offline/thirdRegion.ts).
 */
export async function seedRecoveryRegion(endpoint: string, pair: SeededPair, stack: string,
    options: { readonly overrides?: Overrides; readonly root?: string; readonly replicationLagMs?: number } = {}): Promise<SeededRecoveryRegion> {
    const overrides = options.overrides ?? {};
    const cfg = pairConfigs(stack, overrides, undefined, options.root).named;
    if (cfg.role !== "secondary") {
        throw new Error(`seedRecoveryRegion takes a recovery region's stack (dr:role secondary); ${stack} has dr:role ${cfg.role}`);
    }
    const rec = await runStack(stack, { ...overrides, "dr:enforceObjectives": "false" }, options.root);
    const clients = awsClients(cfg.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const route53 = route53Client({ endpoint, credentials: EMULATOR_CREDENTIALS });
    const values: Emulated = new Map();
    // The pair's global cluster and writer exist already: this secondary joins them.
    const { app, dbClusterArn: arn } = await seedRegionParts(endpoint, clients, rec, values, undefined, () => seedDatabase(clients, rec));
    const check = await seedRegionEdge(route53, pair.hostedZoneId, clients, rec, values, cfg.appName, app?.fleet ?? 0);
    const plan = tierPlan(cfg);
    await seedReplicationLag(clients, cfg, plan, options.replicationLagMs ?? DEFAULT_REPLICATION_LAG_MS);
    return { stack, cfg, region: cfg.region, plan, ...app, dbClusterArn: arn, healthCheckId: check };
}
