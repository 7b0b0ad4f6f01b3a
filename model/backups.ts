// AWS Backup rules: retention limits and Vault Lock settings, as pure functions.
// Limits come from docs/reference.md, "AWS Backup" (the AWS Backup bullet).

/**
 * Continuous backups (point-in-time recovery) of RDS/Aurora and S3 are kept 1-35 days
 * (docs/reference.md, "Aurora"; the same 35 days as Aurora automated backups).
 */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** Vault Lock compliance mode needs ChangeableForDays >= 3 (docs/reference.md, "AWS Backup"). */
export const MIN_COMPLIANCE_CHANGEABLE_DAYS = 3;

/**
 * How long the continuous (PITR) recovery points are kept: the requested retention, capped at the
 * 35 days AWS Backup allows for them. Snapshot backups keep the full retention.
 */
export function continuousRetentionDays(retentionDays: number): number {
    return Math.min(retentionDays, MAX_CONTINUOUS_RETENTION_DAYS);
}

/**
 * Governance mode: users with the right IAM permissions can still remove the lock or delete recovery
 * points. Compliance mode: after ChangeableForDays nobody can, not even the account root.
 */
export type VaultLockMode = "governance" | "compliance";

/** The inputs of a Vault Lock configuration. */
export interface VaultLockSettings {
    /** Recovery points kept for less than this are refused by the vault (their backup or copy job fails). */
    readonly minRetentionDays: number;
    /** Set in compliance mode only: the grace period before the lock becomes immutable. */
    readonly changeableForDays?: number;
}

/**
 * The Vault Lock settings for a vault that receives this program's recovery points.
 *
 * The minimum retention is the shortest retention the program itself writes into the vault: snapshot
 * backups and the other region's snapshot copies are kept `retentionDays`, continuous ones
 * `continuousRetentionDays(retentionDays)` (at most 35). Taking the smaller of the two, which is always
 * the continuous one, means every recovery point satisfies the lock; any higher and the continuous
 * backup jobs of a retention above 35 days would be refused by the vault.
 *
 * AWS decides the mode from ChangeableForDays alone: omitted means governance, set means compliance
 * (docs/reference.md, "AWS Backup"), so it is returned only in compliance mode.
 */
export function vaultLockSettings(mode: VaultLockMode, retentionDays: number, changeableForDays: number): VaultLockSettings {
    const minRetentionDays = continuousRetentionDays(retentionDays);
    if (mode === "governance") {
        return { minRetentionDays };
    }
    // Config validation reports this to the user first; this guard keeps a bad value from reaching AWS
    // (written as a negation so that NaN fails it too).
    if (!(changeableForDays >= MIN_COMPLIANCE_CHANGEABLE_DAYS)) {
        throw new Error(
            `Vault Lock compliance mode needs ChangeableForDays >= ${MIN_COMPLIANCE_CHANGEABLE_DAYS}, got ${changeableForDays}`,
        );
    }
    return { minRetentionDays, changeableForDays };
}

/**
 * The ARN of a backup vault, computed rather than read: each stack names the other region's vault as
 * its copy destination without a StackReference (see model/naming.ts for why).
 */
export function backupVaultArn(region: string, accountId: string, vaultName: string): string {
    return `arn:aws:backup:${region}:${accountId}:backup-vault:${vaultName}`;
}
