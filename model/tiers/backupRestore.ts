import { emptyCapacity, fullCapacity } from "../capacity";
import type { DrConfig } from "../config/contract";
import { FULL_CACHE, RegionPlan, SERVING_DB_INSTANCES, failoverRoutingIn, otherRecoveryRegions, primaryRegionPlan, recoveryFences, vpcCidrIn } from "../regionPlan";
import { HOUR, MINUTE, REF } from "../reference";
import { TierSpec } from "./tierSpec";

/**
 * Backup & restore: nothing runs in the DR region but what receives the backups (the vault under Vault
 * Lock, the region's KMS key), the network, pre-created without NAT gateways (a VPC and subnets cost
 * nothing, and having them makes the restore faster and certain: no VPC or subnet quota surprise on the
 * day), and what the restore's deploy must not create on the day: an empty app tier behind its ALB, its
 * Route 53 health check and record (Route 53's and IAM's control planes live in us-east-1), and the traffic
 * fence of prod's record. Prod runs the full stack and copies its backups here; it does not replicate
 * objects, as there is no replica bucket (docs/reference.md, "Tiers (rule of thumb)": "backups ... are copied there").
 *
 * Restore (`dr:failover=true` with `dr:restoreFrom`): the dr stack provisions the full stack at N and
 * creates the database from the recovery point; the bucket is created empty, and its objects are restored
 * from the copied S3 recovery point by an AWS Backup restore job (the runbook's step).
 */
export function backupRestorePlan(cfg: DrConfig): RegionPlan {
    if (cfg.role === "primary") {
        return { ...primaryRegionPlan(cfg), objects: { replicateTo: [] } };
    }
    if (!cfg.failover) {
        // What the restore's deploy would otherwise create through control planes in us-east-1 exists
        // already: the ALB (an empty target group, so the SECONDARY alias is unhealthy until the restore),
        // its Route 53 health check and record, and the backup role. No instance runs.
        return {
            serving: false,
            natGateways: "None",
            vpcCidr: vpcCidrIn(cfg),
            app: { capacity: emptyCapacity(cfg.capacity), routing: failoverRoutingIn(cfg) },
            lockVault: true,
            ...recoveryFences(cfg),
        };
    }
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: vpcCidrIn(cfg),
        app: { capacity: fullCapacity(cfg.capacity), routing: failoverRoutingIn(cfg) },
        database: {
            membership: "restored", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false,
            restoreFrom: cfg.restoreFrom,
        },
        cache: FULL_CACHE,
        // No replica bucket in this tier: a restored region replicates to nobody, and copies to the other recovery regions.
        objects: { replicateTo: [] },
        backups: { copyTo: otherRecoveryRegions(cfg) },
        lockVault: true,
        ...recoveryFences(cfg),
    };
}

export const BACKUP_RESTORE: TierSpec = {
    strategy: "backup-restore",
    title: "backup & restore",
    typeToken: "multi-region-dr:strategies:BackupRestore",
    plan: backupRestorePlan,
    bothRegionsServe: false,
    typical: { rto: "12-24 h (2-6 h best case)", rpo: "1-24 h", costPercent: [5, 10] },
    defaultTargets: { rtoSeconds: 24 * HOUR, rpoSeconds: 24 * HOUR }, // 12-24 h / 1-24 h
    recovery: {
        decide: { seconds: 30 * MINUTE, source: `declare the disaster, a person approves (${REF}, backup-restore procedure)` }, // "declare (15-30 min)"
        database: { seconds: 4 * HOUR, source: `restore the database from the newest copied backup, 1-4 h by size (${REF})` },
        scalesFromStandby: false,
        validate: { seconds: 30 * MINUTE, source: `smoke test (${REF}, backup-restore procedure)` }, // 15-30 min
        auroraRpo: "backups",
    },
    // The fence closes first: the old primary must stay out even if it comes back before the restore is done.
    failover: ["readiness", "shift-traffic", "reconcile-iac", "smoke-check"],
    failoverAfter: { "shift-traffic": ["readiness"], "reconcile-iac": ["shift-traffic"], "smoke-check": ["reconcile-iac"] },
    failback: ["readiness", "verify-consistency", "switch-database-back", "shift-traffic", "reconcile-iac"],
    iacFailover: { does: "provisions the stack and the database", slowParts: ["restore-database", "create-cache", "launch-fleet"], restoresFromBackup: true },
    refusedLevers: {
        autoFailover: "its failover restores a recovery point that a person names (dr:restoreFrom) and deploys: nothing can start it unattended",
        warmPool: "its fleet launches with the restore's deploy, once there is a database to serve",
        globalDatastore: "it keeps no cache standing by: the restore's deploy creates one",
        serverlessStandby: "it keeps no database standing by: the restore creates one from the recovery point",
    },
    // A person approves once paged; the restore takes what the team's restore tests measured.
    referenceLevers: { autoFailover: "approve", approvalSeconds: 300, restoreSeconds: 3600 },
    drill: { exercised: false, why: "backup-restore has no replica to fail over to; its failover is the IaC restore" },
};
