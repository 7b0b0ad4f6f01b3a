import * as pulumi from "@pulumi/pulumi";
import { fullCapacity } from "../lib/capacity";
import { DrConfig } from "../lib/config";
import { FULL_CACHE, RegionPlan, SERVING_DB_INSTANCES, VPC_CIDRS, primaryRegionPlan } from "../lib/regionPlan";
import { STRATEGY_TYPES, StrategyComponent } from "./strategyComponent";

/**
 * Backup & restore: nothing runs in the DR region but what receives the backups (the vault under Vault
 * Lock, the region's KMS key) and the network, pre-created without NAT gateways: a VPC and subnets cost
 * nothing, and having them makes the restore faster and certain (no VPC or subnet quota surprise on the
 * day). Prod runs the full stack and copies its backups here; it does not replicate objects, as there is
 * no replica bucket (DR-REFERENCE.md, "The four tiers": "backups ... are copied there").
 *
 * Restore (`dr:failover=true` with `dr:restoreFrom`): the dr stack provisions the full stack at N and
 * creates the database from the recovery point; the bucket is created empty, and its objects are restored
 * from the copied S3 recovery point by an AWS Backup restore job (the runbook's step).
 */
export function backupRestorePlan(cfg: DrConfig): RegionPlan {
    if (cfg.role === "primary") {
        return { ...primaryRegionPlan(cfg), objects: {} };
    }
    if (!cfg.failover) {
        return { serving: false, natGateways: "None", vpcCidr: VPC_CIDRS.secondary, lockVault: true };
    }
    return {
        serving: true,
        natGateways: "OnePerAz",
        vpcCidr: VPC_CIDRS.secondary,
        app: { capacity: fullCapacity(cfg.capacity), routing: { policy: "failover", role: "SECONDARY" } },
        database: {
            membership: "restored", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false,
            restoreFrom: cfg.restoreFrom,
        },
        cache: FULL_CACHE,
        objects: {},
        backups: {},
        lockVault: true,
    };
}

export class BackupRestore extends StrategyComponent {
    constructor(name: string, cfg: DrConfig, opts?: pulumi.ComponentResourceOptions) {
        super(STRATEGY_TYPES["backup-restore"], name, cfg, backupRestorePlan(cfg), opts);
    }
}
