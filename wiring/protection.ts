// What protects the region's data and its traffic: the backup vault and plan, the alarm topic with the
// replication alarms, and the traffic fence this region holds of the primary's record.
import type * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "../components/backupPlan";
import { BackupVault } from "../components/backupVault";
import { replicationRuleId } from "../components/objectStore";
import { ReplicationAlarms } from "../components/replicationAlarms";
import { TrafficFence } from "../components/trafficFence";
import { backupVaultArn, vaultLockSettings } from "../model/backups";
import { fenceOf } from "../model/fence";
import { regionNames } from "../model/naming";
import { regionSet } from "../model/regionSet";
import type { RegionBase } from "./base";
import type { Data } from "./data";

export interface Protection {
    readonly vault: BackupVault;
    readonly backupPlan: BackupPlan;
    readonly alarms: ReplicationAlarms;
    /** The fences this region holds of the other regions' records (a recovery region), the primary's first. */
    readonly fences: readonly TrafficFence[];
}

export function buildProtection(base: RegionBase, data: Data): Protection {
    const { name, cfg, plan, names, opts, inAccount, key } = base;
    const { database, store, table, targetBuckets } = data;
    // Backups in every tier: replication copies deletions and corruption too (docs/reference.md).
    const vault = new BackupVault(`${name}-backup-vault`, {
        vaultName: names.backupVault,
        kmsKeyArn: key.keyArn,
        lock: plan.lockVault ? vaultLockSettings(cfg.vaultLockMode, cfg.backupRetentionDays, cfg.vaultLockChangeableForDays) : undefined,
    }, opts);
    const copyTo = plan.backups?.copyTo ?? [];
    // Every region has the plan's role, a region that is not the writer yet the role only: IAM is a control
    // plane in us-east-1, which the dr region's failover deploy must not need (docs/reference.md, the recovery path).
    const backupPlan = new BackupPlan(`${name}-backup`, {
        planName: names.backupPlan,
        roleName: names.backupPlan,
        vaultName: vault.vaultName,
        schedule: cfg.backupSchedule,
        retentionDays: cfg.backupRetentionDays,
        copyToVaultArns: copyTo.map((region) => inAccount((account) => backupVaultArn(region, account, regionNames(cfg.appName, region).backupVault))),
        resourceArns: [database?.clusterArn, store?.bucketArn, table?.tableArn].filter((arn): arn is pulumi.Output<string> => arn !== undefined),
        roleOnly: !plan.backsUp,
    }, opts);

    const alarms = new ReplicationAlarms(`${name}-alarms`, {
        topicName: names.alarmTopic,
        auroraLagAlarmName: names.auroraLagAlarm,
        kmsKeyArn: key.keyArn,
        emails: cfg.alarmEmails,
        forwardTo: cfg.alarmTopicArns,
        // Lag is published by the region that receives the replication (the plan's watchesReplicationLag).
        auroraSecondaryClusterId: database && plan.watchesReplicationLag ? database.clusterIdentifier : undefined,
        s3Replication: store && targetBuckets.map((target, i) => ({
            sourceBucket: store.bucketName, destinationBucket: target.bucketName, ruleId: replicationRuleId(i, target.region), destinationRegion: target.region,
        })),
    }, opts);

    // The fences of the other regions' records, held here: the runbook closes them with this region's CloudWatch.
    // The primary's keeps a pair's resource name; each further one's carries its region.
    const fences = (plan.holdsFencesOf ?? []).map((fenced) => new TrafficFence(fenced === regionSet(cfg).primary ? `${name}-fence` : `${name}-fence-${fenced}`, {
        fence: fenceOf(cfg.appName, fenced, cfg.region),
        fencedRecord: regionNames(cfg.appName, fenced).dnsSetIdentifier,
        alarmActions: alarms.alarmActions,
    }, opts));
    return { vault, backupPlan, alarms, fences };
}
