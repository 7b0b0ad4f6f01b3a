import * as backup from "@pulumi/aws/backup";
import * as pulumi from "@pulumi/pulumi";
import { VaultLockSettings } from "../model/backups";

export interface BackupVaultArgs {
    /**
     * The vault's name. Deterministic: the other region's backup plan copies into this vault by an ARN
     * it computes from the name (model/backups.ts, `backupVaultArn`).
     */
    readonly vaultName: string;
    /**
     * This region's own KMS key. Cross-region copies must be encrypted with a key of the destination
     * region (docs/reference.md, "KMS"), so the copies arriving here are re-encrypted with it.
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Vault Lock settings (model/backups.ts, `vaultLockSettings`). Absent: the vault is not locked. */
    readonly lock?: VaultLockSettings;
}

/**
 * A region's AWS Backup vault: it receives the local backups and the other region's copies. Optionally
 * locked, so that recovery points cannot be deleted before their minimum retention, whoever asks.
 */
export class BackupVault extends pulumi.ComponentResource {
    public readonly vaultName: pulumi.Output<string>;
    public readonly vaultArn: pulumi.Output<string>;

    constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:BackupVault", name, {}, opts);
        const vault = new backup.Vault(`${name}-vault`, {
            name: args.vaultName,
            kmsKeyArn: args.kmsKeyArn,
            // Never delete recovery points to make a `pulumi destroy` succeed: they are the last line of
            // defence, and a vault that still holds some failing to delete is the safe outcome.
            forceDestroy: false,
        }, { parent: this });

        if (args.lock) {
            new backup.VaultLockConfiguration(`${name}-lock`, {
                backupVaultName: vault.name,
                minRetentionDays: args.lock.minRetentionDays,
                // Omitted means governance mode, set means compliance mode (docs/reference.md, "AWS Backup").
                ...(args.lock.changeableForDays !== undefined ? { changeableForDays: args.lock.changeableForDays } : {}),
            }, { parent: this });
        }

        this.vaultName = vault.name;
        this.vaultArn = vault.arn;
        this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
    }
}
