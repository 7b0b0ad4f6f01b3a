// What one stack builds in its region, decided by pure functions from the config.
// The tiers pick a plan (model/tiers/); the wiring (wiring/) only wires the components to it.
import { Capacity, fullCapacity } from "./capacity";
import type { DrConfig } from "./config/contract";
import { SERVERLESS_SERVING, SERVERLESS_STANDBY, WarmPoolPlan, warmPoolPlan } from "./levers";
import { failoverPlace, fenceHoldersOf, fencesHeldBy, regionSet, vpcCidrOf } from "./regionSet";

/** An ElastiCache (Valkey) replication group's size. */
export interface CacheSize {
    readonly nodeType: string;
    /** Cache clusters in the group: 1 = no replica, 2+ = Multi-AZ with automatic failover. */
    readonly nodes: number;
}

/**
 * A cache in prod's ElastiCache Global Datastore (`dr:cacheReplication global-datastore`): prod's is the
 * primary, which creates the datastore; the dr region's a read-only secondary of the same size, named by the
 * datastore's id; a promoted dr region's left the datastore (the runbook disassociated it), which the IaC
 * keeps as it is.
 */
export type CacheMembership =
    | { readonly role: "primary" }
    | { readonly role: "secondary"; readonly globalDatastoreId: string }
    | { readonly role: "promoted" };

export interface CachePlan extends CacheSize {
    readonly global?: CacheMembership;
}

/**
 * How this region's cluster relates to the others: the writer of the global database, a secondary in it,
 * or (backup & restore) a standalone cluster restored from a recovery point.
 */
export type DatabaseMembership = "global-primary" | "global-secondary" | "restored";

export interface DatabasePlan {
    readonly membership: DatabaseMembership;
    /** Aurora instances in the cluster. */
    readonly instances: number;
    /** This region's cluster takes the writes (the primary, a promoted secondary, a restored cluster). */
    readonly writer: boolean;
    /** A secondary that accepts writes and forwards them to the writer region (active-active). */
    readonly writeForwarding: boolean;
    /** restored: the Aurora cluster snapshot (recovery point) ARN the cluster is created from. */
    readonly restoreFrom?: string;
    /** Aurora Serverless v2 instances (`dr:standbyDatabase serverless`), within this capacity range in ACU. */
    readonly serverless?: { readonly minCapacity: number; readonly maxCapacity: number };
}

/** How Route 53 sends users to this region. */
export type Routing =
    /** `level`/`links`: the region's place in the failover tree of three or more regions (model/regionSet.ts, failoverPlace). */
    | { readonly policy: "failover"; readonly role: "PRIMARY" | "SECONDARY"; readonly level?: number; readonly links?: number }
    | { readonly policy: "latency" }
    | { readonly policy: "weighted"; readonly weight: number };

/** The app tier (ALB, ASG) and this region's DNS record. */
export interface AppPlan {
    readonly capacity: Capacity;
    readonly routing: Routing;
    /** An EC2 Auto Scaling warm pool beside the group (`dr:warmPool`): the dr region's, standing by and promoted alike. */
    readonly warmPool?: WarmPoolPlan;
}

export interface RegionPlan {
    /** This region serves production traffic (the primary, a promoted or restored DR region, active-active). */
    readonly serving: boolean;
    /** awsx NAT strategy: one per AZ where the region serves, one where it stands by, none where nothing runs. */
    readonly natGateways: "OnePerAz" | "Single" | "None";
    /** Non-overlapping per region of the set, so the VPCs can be peered later. */
    readonly vpcCidr: string;
    /** Absent: no app tier and no DNS record (backup & restore's standby). */
    readonly app?: AppPlan;
    /** Absent: no database in this region. */
    readonly database?: DatabasePlan;
    /** Absent: no cache in this region. */
    readonly cache?: CachePlan;
    /**
     * Absent: no bucket. `replicateTo`: the regions this bucket replicates to, one rule each. `replicationRoleFor`:
     * the regions its replication role may write to, where that differs from `replicateTo`: a recovery region of
     * three or more holds the role it replicates as once it is the writer, since the failover deploy creates no IAM.
     */
    readonly objects?: { readonly replicateTo: readonly string[]; readonly replicationRoleFor?: readonly string[] };
    /**
     * The primary's DynamoDB global table and its replica regions (active-active); `strong`: multi-Region strong
     * consistency (`dr:tableConsistency strong`, three regions of one set).
     */
    readonly globalTable?: { readonly replicaRegions: readonly string[]; readonly strong?: boolean };
    /**
     * The writer region's AWS Backup plan, and the regions its recovery points are copied to. A promoted or
     * restored DR region copies to the other recovery regions only (none of two): its deploy must not depend on
     * the lost primary region, and failback re-establishes the copies there.
     */
    readonly backups?: { readonly copyTo: readonly string[] };
    /** Vault Lock on this region's backup vault (the dr region's, which receives the copies). */
    readonly lockVault: boolean;
    /**
     * The traffic fences (model/fence.ts). `fencedBy`: this region's record is healthy only while the fences the
     * named regions hold of it are all open (the primary's record, fenced by each recovery region). `holdsFencesOf`:
     * this region holds the fence alarms of the named regions' records (a recovery region, of every other region's).
     * Absent: none.
     */
    readonly fencedBy?: readonly string[];
    readonly holdsFencesOf?: readonly string[];
    /** DR operations as infrastructure (model/tiers/index.ts, `operationsOf`); absent: none of them. */
    readonly operations?: OperationsPlan;
    /**
     * The region's web ACL (`dr:waf`, model/waf.ts), in every tier and both regions from normal times, so the failover
     * deploy creates none; on the ALB wherever there is one. Absent: none.
     */
    readonly waf?: { readonly rateLimit: number };
}

/** What proves and runs the recovery, beside what recovers. */
export interface OperationsPlan {
    /** The pair's ARC Region switch plan (the dr stack, `dr:regionSwitch`). */
    readonly regionSwitch: boolean;
    /** A Synthetics canary on this region's own endpoint: where it serves or stands warm (`dr:canaries`). */
    readonly canary: boolean;
    /** Monthly restore tests of the dr vault's newest recovery points (the dr stack, `dr:restoreTests`). */
    readonly restoreTests: boolean;
    /** Minutes between the canary's runs (`dr:canaryRateMinutes`). */
    readonly canaryRateMinutes: number;
    /**
     * The detector (the dr stack with `dr:autoFailover` approve or auto): a canary here on the primary's endpoint
     * and its alarm, which pages (approve) or starts the Region switch plan (auto).
     */
    readonly detector?: { readonly starts: boolean };
}

/** Production cache: a primary and a replica in another AZ. */
export const FULL_CACHE: CacheSize = { nodeType: "cache.r7g.large", nodes: 2 };
/** Warm standby's cache: one small node that keeps the tier proven; a failover resizes it. */
export const REDUCED_CACHE: CacheSize = { nodeType: "cache.t4g.medium", nodes: 1 };
/** Aurora writer + one reader where the region serves; a single replica instance where it stands by. */
export const SERVING_DB_INSTANCES = 2;
export const STANDBY_DB_INSTANCES = 1;
export const DB_INSTANCE_CLASS = "db.r6g.large";
/** Aurora PostgreSQL version of the global database; both regions must run the same one. */
export const AURORA_ENGINE_VERSION = "16.6";
/** Automated backup retention: RDS allows 1-35 days (docs/reference.md, "Aurora"). */
export const DB_BACKUP_RETENTION_DAYS = 7;
/**
 * Enhanced monitoring's interval on every Aurora instance, seconds (RDS allows 0, 1, 5, 10, 15, 30, 60). 60: its
 * OS metrics go to CloudWatch Logs (RDSOSMetrics) and are billed as log ingestion, so the volume, and the price,
 * grows as the interval shrinks; a minute is the longest interval, the resolution of the standard RDS metrics, and
 * enough for the process list of a slow minute (docs/reference.md, "Aurora").
 */
export const DB_MONITORING_INTERVAL_SECONDS = 60;
/**
 * CloudWatch Database Insights on every cluster: the standard mode, which has no charge; the advanced one is billed
 * per vCPU-hour (ACU-hour for Serverless v2) and needs Performance Insights kept 465 days (docs/reference.md, "Aurora").
 */
export const DATABASE_INSIGHTS_MODE = "standard";
/** Performance Insights retention, days: 7, the retention that has no charge (docs/reference.md, "Aurora"). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Availability zones each region's VPC spans: the fewest an ALB accepts. NAT "OnePerAz" means this many. */
export const AVAILABILITY_ZONES = 2;

export const VPC_CIDRS = { primary: "10.10.0.0/16", secondary: "10.20.0.0/16" } as const;

/** The stack's region's VPC range (model/regionSet.ts, vpcCidrOf): the two above for a pair. */
export const vpcCidrIn = (cfg: DrConfig): string => vpcCidrOf(regionSet(cfg), cfg.region);

/** The stack's region's record in the failover tree: PRIMARY or SECONDARY at the app's name, for a pair. */
export function failoverRoutingIn(cfg: DrConfig): Routing {
    const { level, role, links } = failoverPlace(regionSet(cfg), cfg.region);
    return { policy: "failover", role, ...(level > 0 ? { level } : {}), ...(links !== undefined ? { links } : {}) };
}

/** The regions the stack's region copies its recovery points to, of `candidates` (`dr:backupCopyRegions`). */
function copyTargets(cfg: DrConfig, candidates: readonly string[]): string[] {
    const chosen = cfg.backupCopyRegions;
    return chosen === undefined || chosen.length === 0 ? [...candidates] : candidates.filter((r) => chosen.includes(r));
}

/** What a recovery region holds and is held by, in the set: the fences (absent where none). */
export function recoveryFences(cfg: DrConfig): Pick<RegionPlan, "fencedBy" | "holdsFencesOf"> {
    const set = regionSet(cfg);
    const fencedBy = fenceHoldersOf(set, cfg.region);
    return { holdsFencesOf: fencesHeldBy(set, cfg.region), ...(fencedBy.length > 0 ? { fencedBy } : {}) };
}

/** The other recovery regions, which a promoted recovery region replicates and copies to (none in a pair). */
export const otherRecoveryRegions = (cfg: DrConfig): string[] => regionSet(cfg).recovery.filter((r) => r !== cfg.region);

/**
 * The prod stack of an active/passive tier: the full stack at N, the writer of the global database, the
 * bucket replicating to the dr region, backups copied there, its record behind the dr region's fence.
 */
export function primaryRegionPlan(cfg: DrConfig): RegionPlan {
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: vpcCidrIn(cfg),
        app: { capacity: fullCapacity(cfg.capacity), routing: failoverRoutingIn(cfg) },
        database: { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false },
        cache: cfg.cacheReplication === "global-datastore" ? { ...FULL_CACHE, global: { role: "primary" } } : FULL_CACHE,
        // S3 refuses a rule whose destination bucket does not exist yet: dr:replicateObjects=false on the first deploy.
        objects: { replicateTo: cfg.replicateObjects ? [...regionSet(cfg).recovery] : [] },
        backups: { copyTo: copyTargets(cfg, regionSet(cfg).recovery) },
        lockVault: false,
        // The fences' health checks name the recovery regions' alarms, which their stacks create: not before
        // their first deploys (dr:replicateObjects=false, the first-deploy switch).
        ...(cfg.replicateObjects ? { fencedBy: fenceHoldersOf(regionSet(cfg), cfg.region) } : {}),
    };
}

/**
 * The dr stack with `dr:failover=true`: the promoted region at full size. Its cluster stays declared as
 * the global secondary it was created as (the runbook promotes it; the component ignores the attributes a
 * promotion changes), but it is the writer now, and it backs itself up into its own vault. The record
 * stays SECONDARY: with the old primary fenced, its record's check fails and Route 53 answers with this one.
 */
export function promotedRegionPlan(cfg: DrConfig, standbyInstances = 0): RegionPlan {
    const warmPool = warmPoolPlan(cfg.warmPool, cfg.capacity, standbyInstances);
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: vpcCidrIn(cfg),
        // The warm pool stays as it stood by: with N in service it holds none, and the failback's scale-down refills it.
        app: { capacity: fullCapacity(cfg.capacity), routing: failoverRoutingIn(cfg), ...(warmPool ? { warmPool } : {}) },
        database: {
            membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false,
            // A serverless standby stays serverless (a class change would replace its instances), at serving capacity.
            ...(cfg.standbyDatabase === "serverless" ? { serverless: SERVERLESS_SERVING } : {}),
        },
        cache: cfg.cacheReplication === "global-datastore" ? { ...FULL_CACHE, global: { role: "promoted" } } : FULL_CACHE,
        // The new writer replicates and copies to the other recovery regions (none in a pair), never to the lost primary.
        objects: replicatingObjects(otherRecoveryRegions(cfg)),
        backups: { copyTo: copyTargets(cfg, otherRecoveryRegions(cfg)) },
        lockVault: true,
        ...recoveryFences(cfg),
    };
}

/** A bucket replicating to `regions` (its role allowed those: `replicationRoleFor` absent). */
const replicatingObjects = (regions: readonly string[]): NonNullable<RegionPlan["objects"]> => ({ replicateTo: [...regions] });

/** A standing-by recovery region's bucket: no replication yet, but the role it will replicate as once promoted. */
export function standingByObjects(cfg: DrConfig): NonNullable<RegionPlan["objects"]> {
    const others = otherRecoveryRegions(cfg);
    return others.length === 0 ? { replicateTo: [] } : { replicateTo: [], replicationRoleFor: others };
}

/** The parts of a standby dr region that every active/passive tier shares; a tier sets capacity and cache. */
export function standbyRegionPlan(cfg: DrConfig, capacity: Capacity, cache: CacheSize | undefined): RegionPlan {
    const warmPool = warmPoolPlan(cfg.warmPool, cfg.capacity, capacity.desired);
    return {
        serving: false,
        natGateways: "Single",
        vpcCidr: vpcCidrIn(cfg),
        app: { capacity, routing: failoverRoutingIn(cfg), ...(warmPool ? { warmPool } : {}) },
        database: {
            membership: "global-secondary", instances: STANDBY_DB_INSTANCES, writer: false, writeForwarding: false,
            ...(cfg.standbyDatabase === "serverless" ? { serverless: SERVERLESS_STANDBY } : {}),
        },
        // A Global Datastore member has the primary's node type, count and engine (ElastiCache User Guide,
        // "Replication across AWS Regions using global datastores"): prod's size, not the tier's reduced one.
        cache: cfg.cacheReplication === "global-datastore" && cache !== undefined
            ? { ...FULL_CACHE, global: { role: "secondary", globalDatastoreId: cfg.globalDatastoreId ?? "" } }
            : cache,
        objects: standingByObjects(cfg),
        lockVault: true,
        ...recoveryFences(cfg),
    };
}

/**
 * An active/passive tier's plan for a stack: the primary runs the full stack, a promoted DR region runs it
 * at full size, and a standby DR region runs what the tier keeps warm (its capacity and cache).
 */
export function activePassivePlan(cfg: DrConfig, standbyCapacity: Capacity, standbyCache: CacheSize | undefined): RegionPlan {
    if (cfg.role === "primary") {
        return primaryRegionPlan(cfg);
    }
    return cfg.failover ? promotedRegionPlan(cfg, standbyCapacity.desired) : standbyRegionPlan(cfg, standbyCapacity, standbyCache);
}
