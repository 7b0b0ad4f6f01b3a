import { pilotLightCapacity } from "../capacity";
import type { DrConfig } from "../config/contract";
import { RegionPlan, activePassivePlan } from "../regionPlan";
import { HOUR, MINUTE, REF } from "../reference";
import { TierSpec } from "./tierSpec";

/**
 * Pilot light: the DR region keeps only the data layer live (Aurora secondary, S3 replica); the ALB and
 * target group exist, the ASG is defined at min 0 / desired 0 / max N, and there is no cache
 * (docs/reference.md, "Tiers (rule of thumb)").
 */
export function pilotLightPlan(cfg: DrConfig): RegionPlan {
    return activePassivePlan(cfg, pilotLightCapacity(cfg.capacity), undefined);
}

export const PILOT_LIGHT: TierSpec = {
    strategy: "pilot-light",
    title: "pilot light",
    typeToken: "multi-region-dr:strategies:PilotLight",
    plan: pilotLightPlan,
    bothRegionsServe: false,
    typical: { rto: "1-4 h (1-2 h by procedure)", rpo: "minutes-1 h", costPercent: [10, 20] },
    defaultTargets: { rtoSeconds: 4 * HOUR, rpoSeconds: HOUR }, // 1-4 h / minutes-1 h
    recovery: {
        decide: { seconds: 30 * MINUTE, source: `declare the disaster, a person approves (${REF}, pilot-light procedure)` }, // "declare (15-30 min)"
        database: { seconds: 15 * MINUTE, source: `promote the Aurora secondary (${REF}, pilot-light procedure)` }, // "promote DB replica (5-15 min)"
        scalesFromStandby: true,
        validate: { seconds: 15 * MINUTE, source: `smoke test (${REF}, pilot-light procedure)` }, // 10-15 min
        auroraRpo: "replication",
    },
    failover: ["readiness", "promote-database", "scale-compute", "shift-traffic", "reconcile-iac", "smoke-check"],
    // The database and the fleet come up side by side; traffic moves when both are ready. The deploy that
    // creates the cache waits for the promotion (it describes a promoted region: its cluster changes must not
    // meet a cluster mid-failover), and the region is validated once the cache stands too.
    failoverAfter: {
        "promote-database": ["readiness"], "scale-compute": ["readiness"],
        "shift-traffic": ["promote-database", "scale-compute"], "reconcile-iac": ["promote-database"],
        "smoke-check": ["shift-traffic", "reconcile-iac"],
    },
    failback: ["readiness", "verify-consistency", "switch-database-back", "shift-traffic", "scale-dr-down", "reconcile-iac"],
    // The promoted plan adds the cache the standby does not have: the IaC step takes the cache's time.
    iacFailover: { does: "cache, NAT, instance count match the promoted state", slowParts: ["create-cache"], restoresFromBackup: false },
    refusedLevers: {
        // A false alarm would move every user onto a fleet that has never served and a region without a cache.
        autoFailover: "a false alarm would move all traffic onto a fleet that has never served and a region whose cache does not exist yet: " +
            "keep a person in the loop (dr:autoFailover approve), or stand by warm (dr:strategy warm-standby)",
        globalDatastore: "pilot light keeps no cache standing by; a Global Datastore member is two nodes of prod's type, which is warm standby (dr:strategy warm-standby)",
    },
    referenceLevers: { autoFailover: "approve", approvalSeconds: 300, warmPool: "stopped", standbyDatabase: "serverless" },
    drill: { exercised: true },
};
