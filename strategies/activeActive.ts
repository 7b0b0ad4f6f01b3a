import * as pulumi from "@pulumi/pulumi";
import { activeActiveCapacity } from "../lib/capacity";
import { DrConfig } from "../lib/config";
import { FULL_CACHE, RegionPlan, Routing, SERVING_DB_INSTANCES, VPC_CIDRS, primaryRegionPlan } from "../lib/regionPlan";
import { STRATEGY_TYPES, StrategyComponent } from "./strategyComponent";

/** Latency-based records by default; weighted where a team wants to set the split (or drain a region with 0). */
export function activeActiveRouting(cfg: DrConfig): Routing {
    return cfg.routingPolicy === "weighted" ? { policy: "weighted", weight: cfg.routingWeight } : { policy: "latency" };
}

/**
 * Active-active: both regions run the full stack and serve. Each has its own health-checked record, so a
 * failed region drops out of DNS without anyone editing it. Data written in both regions goes to the
 * DynamoDB global table (owned by prod, a replica in dr); the Aurora global database's dr secondary
 * forwards its writes to the writer; objects replicate both ways.
 *
 * `dr:failover=true` is accepted: nothing needs promoting for traffic, but the Aurora writer does if the
 * primary region is lost. The flag marks the dr cluster as the writer (the runbook promotes it) and gives
 * the region its own backup plan (local recovery points); compute, routing and the cluster's inputs stay.
 */
export function activeActivePlan(cfg: DrConfig): RegionPlan {
    const app = { capacity: activeActiveCapacity(cfg.capacity, cfg.activeActiveCapacityPercent), routing: activeActiveRouting(cfg) };
    if (cfg.role === "primary") {
        return { ...primaryRegionPlan(cfg), app, globalTable: { replicaRegions: [cfg.drRegion] } };
    }
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: VPC_CIDRS.secondary,
        app,
        database: { membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: cfg.failover, writeForwarding: true },
        cache: FULL_CACHE,
        // Writes land in both regions' buckets: the dr bucket replicates back to the prod bucket.
        objects: { replicateToRegion: cfg.primaryRegion },
        backups: cfg.failover ? {} : undefined,
        lockVault: true,
    };
}

export class ActiveActive extends StrategyComponent {
    constructor(name: string, cfg: DrConfig, opts?: pulumi.ComponentResourceOptions) {
        super(STRATEGY_TYPES["active-active"], name, cfg, activeActivePlan(cfg), opts);
    }
}
