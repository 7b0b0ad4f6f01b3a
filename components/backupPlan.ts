import * as backup from "@pulumi/aws/backup";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { continuousRetentionDays } from "../model/backups";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";

/** AWS managed policies AWS Backup needs to back up and restore RDS/Aurora, DynamoDB and S3. */
export const BACKUP_ROLE_POLICY_ARNS: readonly string[] = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    // S3 is not covered by the two above: it has its own pair, outside the service-role/ path.
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

/** The rule of the scheduled snapshot backups, copied to the other region's vault where a copy target is set. */
export const SCHEDULED_RULE_NAME = "scheduled-snapshots";
/** The rule that keeps continuous backups (point-in-time recovery) in the local vault. */
export const CONTINUOUS_RULE_NAME = "continuous-pitr";
/**
 * Continuous backup rules still need a schedule: daily, at 05:00 UTC. For a continuous rule it is the
 * frequency of AWS Backup's maintenance and synchronization of the recovery point, not a snapshot schedule.
 */
export const CONTINUOUS_RULE_SCHEDULE = "cron(0 5 * * ? *)";
/** A scheduled job that has not started within an hour is skipped rather than run late. */
export const START_WINDOW_MINUTES = 60;
/** A backup job not finished three hours after its scheduled time is cancelled (AWS counts from the schedule). */
export const COMPLETION_WINDOW_MINUTES = 180;

export interface BackupPlanArgs {
    /** The plan's name; the selection takes it too. */
    readonly planName: string;
    /** IAM is global: the name of the role AWS Backup runs as must be unique per region, so callers pass one. */
    readonly roleName: string;
    /** The local vault that receives the recovery points. */
    readonly vaultName: pulumi.Input<string>;
    /** AWS Backup cron expression of the snapshot backups, e.g. `cron(0 * * * ? *)` (hourly, the most often AWS allows). */
    readonly schedule: string;
    /**
     * Days snapshot backups and their copies are kept. Continuous backups are kept the same, capped at
     * 35 days (model/backups.ts, `continuousRetentionDays`).
     */
    readonly retentionDays: number;
    /**
     * The other regions' vaults, by deterministic ARN (model/backups.ts, `backupVaultArn`): the copy
     * destinations, one copy action each. None: recovery points stay in the local vault (a promoted DR region of a
     * pair while the primary region is down; failback re-establishes the copies).
     */
    readonly copyToVaultArns?: readonly pulumi.Input<string>[];
    /**
     * What to back up: the Aurora cluster, S3 bucket and DynamoDB table ARNs where present. Explicit ARNs
     * rather than tags, so the selection is exactly the stateful resources and tests can see it.
     */
    readonly resourceArns: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * true: only the role, in a region that is not the writer yet (a standing-by dr region). IAM's control
     * plane lives in us-east-1, so the role exists before the day the region becomes the writer, and that
     * day's deploy adds only the plan and its selection (AWS Backup is regional). Default false.
     */
    readonly roleOnly?: boolean;
}

/**
 * An AWS Backup plan for a region's stateful resources. Replication copies deletions and corruption too;
 * only point-in-time backups undo them (docs/reference.md, "Tiers (rule of thumb)"), and only backups copied to
 * the other region survive the loss of this one. So every tier gets: scheduled snapshots copied to the
 * other region's vault, and continuous backups for point-in-time restores within the last days.
 */
export class BackupPlan extends pulumi.ComponentResource {
    /** Absent where the component holds the role only. */
    public readonly planId?: pulumi.Output<string>;
    public readonly planArn?: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:BackupPlan", name, {}, opts);
        const parent = { parent: this };

        const role = new iam.Role(`${name}-role`, {
            name: args.roleName,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("backup.amazonaws.com")),
        }, parent);
        const attachments = BACKUP_ROLE_POLICY_ARNS.map((policyArn) => new iam.RolePolicyAttachment(
            `${name}-${policyArn.split("/").pop()}`,
            { role: role.name, policyArn },
            parent,
        ));

        this.roleArn = role.arn;
        if (args.roleOnly) {
            this.registerOutputs({ roleArn: this.roleArn });
            return;
        }
        const plan = new backup.Plan(`${name}-plan`, {
            name: args.planName,
            rules: [
                {
                    // Snapshots as often as hourly, copied to a vault in the other region
                    // (docs/reference.md, "AWS Backup").
                    ruleName: SCHEDULED_RULE_NAME,
                    targetVaultName: args.vaultName,
                    schedule: args.schedule,
                    startWindow: START_WINDOW_MINUTES,
                    completionWindow: COMPLETION_WINDOW_MINUTES,
                    lifecycle: { deleteAfter: args.retentionDays },
                    copyActions: args.copyToVaultArns === undefined || args.copyToVaultArns.length === 0 ? undefined
                        : args.copyToVaultArns.map((destinationVaultArn) => ({ destinationVaultArn, lifecycle: { deleteAfter: args.retentionDays } })),
                },
                {
                    // Point-in-time restore of RDS/Aurora and S3, kept at most 35 days
                    // (docs/reference.md, "AWS Backup").
                    ruleName: CONTINUOUS_RULE_NAME,
                    enableContinuousBackup: true,
                    targetVaultName: args.vaultName,
                    schedule: CONTINUOUS_RULE_SCHEDULE,
                    lifecycle: { deleteAfter: continuousRetentionDays(args.retentionDays) },
                },
            ],
        }, parent);

        new backup.Selection(`${name}-selection`, {
            name: args.planName,
            planId: plan.id,
            iamRoleArn: role.arn,
            resources: args.resourceArns,
            // The role must hold its policies before the first job runs, or that job fails on permissions.
        }, { parent: this, dependsOn: attachments });

        this.planId = plan.id;
        this.planArn = plan.arn;
        this.registerOutputs({ planId: this.planId, planArn: this.planArn, roleArn: this.roleArn });
    }
}
