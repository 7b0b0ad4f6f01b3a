// What one stack builds in its region, decided by pure functions from the config.
// The strategies pick a plan; the components only wire resources to it.
import { Capacity, fullCapacity } from "./capacity";
import { DrConfig } from "./config";

/** An ElastiCache (Valkey) replication group's size. */
export interface CacheSize {
    readonly nodeType: string;
    /** Cache clusters in the group: 1 = no replica, 2+ = Multi-AZ with automatic failover. */
    readonly nodes: number;
}

/** Membership of this region's Aurora cluster in the global database. */
export type DatabaseMembership = "global-primary" | "global-secondary";

export interface DatabasePlan {
    readonly membership: DatabaseMembership;
    /** Aurora instances in the cluster. */
    readonly instances: number;
    /** This region's cluster takes the writes (the primary, or a promoted secondary). */
    readonly writer: boolean;
}

export interface RegionPlan {
    /** This region serves production traffic (the primary, or a promoted DR region). */
    readonly serving: boolean;
    readonly capacity: Capacity;
    /** awsx NAT strategy: one per AZ where the region serves, one where it only stands by. */
    readonly natGateways: "OnePerAz" | "Single";
    readonly database: DatabasePlan;
    /** Absent: no cache in this region (pilot light's standby). */
    readonly cache?: CacheSize;
    /** Route 53 failover role of this region's record: prod is PRIMARY, dr is SECONDARY. */
    readonly dnsFailover: "PRIMARY" | "SECONDARY";
    /** Non-overlapping per role, so the two VPCs can be peered later. */
    readonly vpcCidr: string;
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
/** Automated backup retention: RDS allows 1-35 days (DR-REFERENCE.md, "AWS numbers"). */
export const DB_BACKUP_RETENTION_DAYS = 7;

const VPC_CIDRS = { primary: "10.10.0.0/16", secondary: "10.20.0.0/16" } as const;

/** The prod stack: the full stack at N, the writer of the global database; the same in every tier. */
export function primaryRegionPlan(cfg: DrConfig): RegionPlan {
    return {
        serving: true,
        capacity: fullCapacity(cfg.capacity),
        natGateways: "OnePerAz",
        database: { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true },
        cache: FULL_CACHE,
        dnsFailover: "PRIMARY",
        vpcCidr: VPC_CIDRS.primary,
    };
}

/**
 * The dr stack with `dr:failover=true`: the promoted region at full size. Its cluster stays declared
 * as the global secondary it was created as (the runbook promotes it; the component ignores the
 * attributes a promotion changes), but it is the writer now. The record stays SECONDARY: the prod
 * record's health check keeps failing over to it, and the runbook fences the old primary.
 */
export function promotedRegionPlan(cfg: DrConfig): RegionPlan {
    return {
        serving: true,
        capacity: fullCapacity(cfg.capacity),
        natGateways: "OnePerAz",
        database: { membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: true },
        cache: FULL_CACHE,
        dnsFailover: "SECONDARY",
        vpcCidr: VPC_CIDRS.secondary,
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
    return cfg.failover ? promotedRegionPlan(cfg) : standbyRegionPlan(standbyCapacity, standbyCache);
}

/** The parts of a standby dr region that every active/passive tier shares; a tier sets capacity and cache. */
export function standbyRegionPlan(capacity: Capacity, cache: CacheSize | undefined): RegionPlan {
    return {
        serving: false,
        capacity,
        natGateways: "Single",
        database: { membership: "global-secondary", instances: STANDBY_DB_INSTANCES, writer: false },
        cache,
        dnsFailover: "SECONDARY",
        vpcCidr: VPC_CIDRS.secondary,
    };
}
