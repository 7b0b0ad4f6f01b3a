import { warmStandbyCapacity } from "../capacity";
import type { DrConfig } from "../config/contract";
import { REDUCED_CACHE, RegionPlan, activePassivePlan } from "../regionPlan";
import { HOUR, MINUTE, REF, S3_RTC_SECONDS } from "../reference";
import { TierSpec } from "./tierSpec";

/**
 * Warm standby: the whole stack runs in the DR region at reduced size: the app tier at ceil(N/4)
 * (at least 1), a reduced cache, the Aurora secondary, the S3 replica (docs/reference.md, "Tiers (rule of thumb)").
 */
export function warmStandbyPlan(cfg: DrConfig): RegionPlan {
    return activePassivePlan(cfg, warmStandbyCapacity(cfg.capacity), REDUCED_CACHE);
}

export const WARM_STANDBY: TierSpec = {
    strategy: "warm-standby",
    title: "warm standby",
    typeToken: "multi-region-dr:strategies:WarmStandby",
    plan: warmStandbyPlan,
    bothRegionsServe: false,
    typical: { rto: "15-60 min", rpo: "seconds-minutes", costPercent: [30, 50] },
    // seconds-minutes / near zero for the databases; S3's RTC promise (15 min) bounds the objects
    defaultTargets: { rtoSeconds: HOUR, rpoSeconds: S3_RTC_SECONDS },
    recovery: {
        // "declare or automatic health-check trigger (0-15 min)"
        decide: { seconds: 15 * MINUTE, source: `declare the disaster, a person approves (${REF}, warm-standby procedure)` },
        database: { seconds: 5 * MINUTE, source: `promote the Aurora secondary (${REF}, warm-standby procedure)` }, // "promote DB (2-5 min)"
        scalesFromStandby: true,
        validate: { seconds: 10 * MINUTE, source: `smoke test (${REF}, warm-standby procedure)` }, // 5-10 min
        auroraRpo: "replication",
    },
    failover: ["readiness", "promote-database", "scale-compute", "warm-cache", "shift-traffic", "reconcile-iac", "smoke-check"],
    // Database, fleet and cache side by side; traffic moves when all three are ready. The deploy converges on
    // what they did, so it waits for them (it would otherwise resize the cache a second time), off the path.
    failoverAfter: {
        "promote-database": ["readiness"], "scale-compute": ["readiness"], "warm-cache": ["readiness"],
        "shift-traffic": ["promote-database", "scale-compute", "warm-cache"],
        "reconcile-iac": ["promote-database", "scale-compute", "warm-cache"],
        "smoke-check": ["shift-traffic"],
    },
    failback: ["readiness", "verify-consistency", "switch-database-back", "shift-traffic", "scale-dr-down", "reconcile-iac"],
    iacFailover: { does: "cache, NAT, instance count match the promoted state", slowParts: [], restoresFromBackup: false },
    // Every lever applies: a false alarm moves traffic to a region whose canary has proven it serves.
    refusedLevers: {},
    referenceLevers: { autoFailover: "auto", warmPool: "running", cacheReplication: "global-datastore" },
    drill: { exercised: true },
};
