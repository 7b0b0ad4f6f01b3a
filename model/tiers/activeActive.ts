import { activeActiveCapacity } from "../capacity";
import type { DrConfig } from "../config/contract";
import { warmPoolPlan } from "../levers";
import { FULL_CACHE, RegionPlan, Routing, SERVING_DB_INSTANCES, otherRecoveryRegions, primaryRegionPlan, recoveryFences, vpcCidrIn } from "../regionPlan";
import { MINUTE, REF, S3_RTC_SECONDS } from "../reference";
import { TierSpec } from "./tierSpec";
import { regionSet } from "../regionSet";

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
    const set = regionSet(cfg);
    const app = { capacity: activeActiveCapacity(cfg.capacity, cfg.activeActiveCapacityPercent, set.regions.length, cfg.routingPolicy), routing: activeActiveRouting(cfg) };
    if (cfg.role === "primary") {
        return { ...primaryRegionPlan(cfg), app, globalTable: { replicaRegions: [...set.recovery], ...(cfg.tableConsistency === "strong" ? { strong: true } : {}) } };
    }
    // A share below N scales up when the other region is lost: a warm pool holds the rest (dr:warmPool).
    const warmPool = warmPoolPlan(cfg.warmPool, cfg.capacity, app.capacity.desired);
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: vpcCidrIn(cfg),
        app: warmPool ? { ...app, warmPool } : app,
        database: { membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: cfg.failover, writeForwarding: true },
        cache: FULL_CACHE,
        // Writes land in every region's bucket: a recovery region's replicates to every other region's, the prod one's included.
        objects: { replicateTo: set.regions.filter((r) => r !== cfg.region) },
        backups: cfg.failover ? { copyTo: otherRecoveryRegions(cfg) } : undefined,
        lockVault: true,
        ...recoveryFences(cfg),
    };
}

export const ACTIVE_ACTIVE: TierSpec = {
    strategy: "active-active",
    title: "active-active",
    typeToken: "multi-region-dr:strategies:ActiveActive",
    plan: activeActivePlan,
    bothRegionsServe: true,
    typical: { rto: "near zero (30-90 s)", rpo: "near zero", costPercent: [80, 100] },
    // The reference's 30-90 s holds for writes that need no promotion (dr:activeActiveWrites dynamodb); Aurora
    // writes wait for the promotion ("Switchover ... and failover ... take minutes"): 10 minutes by default.
    defaultTargets: { rtoSeconds: 10 * MINUTE, rpoSeconds: S3_RTC_SECONDS },
    multiActiveWrites: { store: "dynamodb", defaultRtoTargetSeconds: 90 }, // 30-90 s
    // The whole RTO is 30-90 s, of which "health check detects (10-30 s)" (docs/reference.md, failover procedures); the
    // alias's 60 s TTL takes the rest.
    detectionBudgetSeconds: 30,
    recovery: {
        // "health check detects ... global routing stops sending to the failed region": nobody decides.
        decide: { seconds: 0, source: `declare the disaster, a person approves (${REF}, active-active procedure)` },
        // Write forwarding sends the dr secondary's writes to the writer in the lost region: Aurora writes stop
        // until the secondary is promoted (${REF}, Aurora write forwarding; warm standby's "promote DB (2-5 min)").
        database: { seconds: 5 * MINUTE, source: `promote the Aurora secondary: its forwarded writes stopped with the lost writer (${REF}, Aurora write forwarding)` },
        scalesFromStandby: true,
        validate: { seconds: 0, source: `smoke test (${REF}, active-active procedure)` },
        auroraRpo: "replication",
    },
    failover: ["readiness", "promote-database", "scale-compute", "shift-traffic", "reconcile-iac", "smoke-check"],
    // Traffic leaves the lost region by itself; the promotion (Aurora writes) and any scale-up run beside it.
    // The region is validated once all three are done; the deploy follows the promotion, off the path.
    failoverAfter: {
        "promote-database": ["readiness"], "scale-compute": ["readiness"], "shift-traffic": ["readiness"],
        "reconcile-iac": ["promote-database"],
        "smoke-check": ["promote-database", "scale-compute", "shift-traffic"],
    },
    // Both regions keep N: nothing to scale back down.
    failback: ["readiness", "verify-consistency", "switch-database-back", "shift-traffic", "reconcile-iac"],
    iacFailover: { does: "the dr cluster is the writer and backs itself up", slowParts: [], restoresFromBackup: false },
    refusedLevers: {
        globalDatastore: "a Global Datastore secondary serves reads only, and active-active writes its cache in both regions",
        serverlessStandby: "its dr cluster serves production in normal times: it is sized as prod's, not a standby",
    },
    referenceLevers: { autoFailover: "auto" },
    drill: {
        exercised: true,
        config: { "dr:routingPolicy": "weighted" },
        note: "weighted records, so the failback's 10/25/50/100 % walk runs too",
    },
};
