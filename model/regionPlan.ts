// What one stack builds in its region, decided by pure functions from the config.
// The tiers pick a plan (model/tiers/); the wiring (wiring/) only wires the components to it.
import { Capacity, fullCapacity } from "./capacity";
import type { DrConfig } from "./config/contract";
import { SERVERLESS_SERVING, SERVERLESS_STANDBY, WarmPoolPlan, warmPoolPlan } from "./levers";
import { regionSet } from "./regionSet";

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
    | { readonly policy: "failover"; readonly role: "PRIMARY" | "SECONDARY" }
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
    /** Non-overlapping per role, so the two VPCs can be peered later. */
    readonly vpcCidr: string;
    /** Absent: no app tier and no DNS record (backup & restore's standby). */
    readonly app?: AppPlan;
    /** Absent: no database in this region. */
    readonly database?: DatabasePlan;
    /** Absent: no cache in this region. */
    readonly cache?: CachePlan;
    /** Absent: no bucket. `replicateToRegion`: the region this bucket replicates to. */
    readonly objects?: { readonly replicateToRegion?: string };
    /** The primary's DynamoDB global table and its replica regions (active-active). */
    readonly globalTable?: { readonly replicaRegions: readonly string[] };
    /**
     * The writer region's AWS Backup plan, and the region its recovery points are copied to. A promoted or
     * restored DR region keeps its recovery points local: its deploy must not depend on the lost primary
     * region, and failback re-establishes the copies.
     */
    readonly backups?: { readonly copyToRegion?: string };
    /** Vault Lock on this region's backup vault (the dr region's, which receives the copies). */
    readonly lockVault: boolean;
    /**
     * The traffic fence (model/fence.ts). `fencedBy`: this region's record is healthy only while the fence
     * that the named region holds is open (the primary's record, fenced by the dr region). `holdsFenceOf`:
     * this region holds the fence alarm of the named region's record (the dr region, for the primary's).
     */
    readonly fencedBy?: string;
    readonly holdsFenceOf?: string;
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

const failoverRouting = (role: "PRIMARY" | "SECONDARY"): Routing => ({ policy: "failover", role });

/**
 * The prod stack of an active/passive tier: the full stack at N, the writer of the global database, the
 * bucket replicating to the dr region, backups copied there, its record behind the dr region's fence.
 */
export function primaryRegionPlan(cfg: DrConfig): RegionPlan {
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: VPC_CIDRS.primary,
        app: { capacity: fullCapacity(cfg.capacity), routing: failoverRouting("PRIMARY") },
        database: { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false },
        cache: cfg.cacheReplication === "global-datastore" ? { ...FULL_CACHE, global: { role: "primary" } } : FULL_CACHE,
        // S3 refuses a rule whose destination bucket does not exist yet: dr:replicateObjects=false on the first deploy.
        objects: { replicateToRegion: cfg.replicateObjects ? regionSet(cfg).next : undefined },
        backups: { copyToRegion: regionSet(cfg).next },
        lockVault: false,
        // The fence's health check names the dr region's alarm, which the dr stack creates: not before the
        // dr stack's first deploy (dr:replicateObjects=false, the first-deploy switch).
        fencedBy: cfg.replicateObjects ? regionSet(cfg).next : undefined,
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
        vpcCidr: VPC_CIDRS.secondary,
        // The warm pool stays as it stood by: with N in service it holds none, and the failback's scale-down refills it.
        app: { capacity: fullCapacity(cfg.capacity), routing: failoverRouting("SECONDARY"), ...(warmPool ? { warmPool } : {}) },
        database: {
            membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false,
            // A serverless standby stays serverless (a class change would replace its instances), at serving capacity.
            ...(cfg.standbyDatabase === "serverless" ? { serverless: SERVERLESS_SERVING } : {}),
        },
        cache: cfg.cacheReplication === "global-datastore" ? { ...FULL_CACHE, global: { role: "promoted" } } : FULL_CACHE,
        objects: {},
        backups: {},
        lockVault: true,
        holdsFenceOf: regionSet(cfg).primary,
    };
}

/** The parts of a standby dr region that every active/passive tier shares; a tier sets capacity and cache. */
export function standbyRegionPlan(cfg: DrConfig, capacity: Capacity, cache: CacheSize | undefined): RegionPlan {
    const warmPool = warmPoolPlan(cfg.warmPool, cfg.capacity, capacity.desired);
    return {
        serving: false,
        natGateways: "Single",
        vpcCidr: VPC_CIDRS.secondary,
        app: { capacity, routing: failoverRouting("SECONDARY"), ...(warmPool ? { warmPool } : {}) },
        database: {
            membership: "global-secondary", instances: STANDBY_DB_INSTANCES, writer: false, writeForwarding: false,
            ...(cfg.standbyDatabase === "serverless" ? { serverless: SERVERLESS_STANDBY } : {}),
        },
        // A Global Datastore member has the primary's node type, count and engine (ElastiCache User Guide,
        // "Replication across AWS Regions using global datastores"): prod's size, not the tier's reduced one.
        cache: cfg.cacheReplication === "global-datastore" && cache !== undefined
            ? { ...FULL_CACHE, global: { role: "secondary", globalDatastoreId: cfg.globalDatastoreId ?? "" } }
            : cache,
        objects: {},
        lockVault: true,
        holdsFenceOf: regionSet(cfg).primary,
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
