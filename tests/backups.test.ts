import { strict as assert } from "assert";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan, BackupPlanArgs } from "../components/backupPlan";
import { BackupVault } from "../components/backupVault";
import {
    MAX_CONTINUOUS_RETENTION_DAYS,
    MIN_COMPLIANCE_CHANGEABLE_DAYS,
    VaultLockSettings,
    backupVaultArn,
    continuousRetentionDays,
    vaultLockSettings,
} from "../model/backups";
import { record } from "../offline/evaluate";
import { unwrap } from "./helpers";

const T = {
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PEER_VAULT_ARN = "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-usw2-backups";

const POLICY_ARNS = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

describe("backups", () => {
    describe("continuousRetentionDays", () => {
        // requested retention -> continuous (PITR) retention: capped at AWS Backup's 35 days.
        const CASES: ReadonlyArray<readonly [requested: number, continuous: number]> = [
            [1, 1], [14, 14], [35, 35], [36, 35], [365, 35],
        ];
        for (const [requested, continuous] of CASES) {
            it(`${requested} days -> ${continuous}`, () => {
                assert.equal(continuousRetentionDays(requested), continuous);
            });
        }

        it("the limits are AWS's: 35 days of continuous backups, 3 days before compliance locks", () => {
            assert.equal(MAX_CONTINUOUS_RETENTION_DAYS, 35);
            assert.equal(MIN_COMPLIANCE_CHANGEABLE_DAYS, 3);
        });
    });

    describe("vaultLockSettings", () => {
        const CASES: ReadonlyArray<{ mode: "governance" | "compliance"; retention: number; changeable: number; expected: VaultLockSettings }> = [
            { mode: "governance", retention: 14, changeable: 3, expected: { minRetentionDays: 14 } },
            { mode: "governance", retention: 90, changeable: 7, expected: { minRetentionDays: 35 } },
            { mode: "governance", retention: 30, changeable: 0, expected: { minRetentionDays: 30 } },
            { mode: "compliance", retention: 14, changeable: 3, expected: { minRetentionDays: 14, changeableForDays: 3 } },
            { mode: "compliance", retention: 365, changeable: 30, expected: { minRetentionDays: 35, changeableForDays: 30 } },
        ];
        for (const c of CASES) {
            it(`${c.mode}, ${c.retention} days retention, changeable ${c.changeable} -> ${JSON.stringify(c.expected)}`, () => {
                const settings = vaultLockSettings(c.mode, c.retention, c.changeable);
                // deepEqual also fails on a changeableForDays key present with value undefined.
                assert.deepEqual(settings, c.expected);
                if (c.mode === "governance") {
                    assert.equal("changeableForDays" in settings, false, "AWS picks governance mode only when ChangeableForDays is omitted");
                }
            });
        }

        it("the minimum retention never exceeds what the program's own recovery points are kept", () => {
            for (const retention of [1, 7, 34, 35, 36, 90, 3650]) {
                const { minRetentionDays } = vaultLockSettings("governance", retention, 3);
                assert.ok(minRetentionDays <= retention, `snapshot copies kept ${retention} < lock ${minRetentionDays}`);
                assert.ok(minRetentionDays <= continuousRetentionDays(retention), `continuous points below lock ${minRetentionDays}`);
                assert.equal(minRetentionDays, Math.min(retention, 35));
            }
        });

        for (const changeable of [2, 0, -1, Number.NaN]) {
            it(`compliance with ChangeableForDays ${changeable} throws, naming the setting and the minimum`, () => {
                assert.throws(
                    () => vaultLockSettings("compliance", 30, changeable),
                    (err: Error) => /ChangeableForDays/.test(err.message) && /\b3\b/.test(err.message),
                );
            });
        }
    });

    describe("backupVaultArn", () => {
        it("is the ARN AWS gives the vault", () => {
            assert.equal(
                backupVaultArn("us-west-2", "123456789012", "shop-usw2-backups"),
                "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-usw2-backups",
            );
        });
    });

    describe("BackupVault", () => {
        const LOCKS: ReadonlyArray<{ title: string; lock: VaultLockSettings; expected: Record<string, number> }> = [
            { title: "governance", lock: { minRetentionDays: 14 }, expected: { minRetentionDays: 14 } },
            { title: "compliance", lock: { minRetentionDays: 35, changeableForDays: 3 }, expected: { minRetentionDays: 35, changeableForDays: 3 } },
        ];

        it("without lock: a vault on the region's key, never force-destroyed, and no lock", async () => {
            let vault: BackupVault | undefined;
            const rec = await record(() => {
                vault = new BackupVault("t", { vaultName: "shop-use1-backups", kmsKeyArn: KEY_ARN });
            });
            const v = rec.one(T.vault);
            assert.equal(v.parent, "t");
            assert.equal(v.inputs.name, "shop-use1-backups");
            assert.equal(v.inputs.kmsKeyArn, KEY_ARN);
            assert.equal(v.inputs.forceDestroy, false);
            assert.equal(rec.has(T.lock), false);
            assert.equal(await unwrap(vault!.vaultName), "shop-use1-backups");
            assert.equal(await unwrap(vault!.vaultArn), `arn:aws:mock:::${T.vault}/t-vault`);
        });

        for (const c of LOCKS) {
            it(`with a ${c.title} lock: the lock names the vault and carries exactly ${JSON.stringify(c.expected)}`, async () => {
                const rec = await record(() => {
                    new BackupVault("t", { vaultName: "shop-use1-backups", kmsKeyArn: KEY_ARN, lock: c.lock });
                });
                rec.one(T.vault);
                const lock = rec.one(T.lock);
                assert.equal(lock.parent, "t");
                assert.deepEqual(lock.inputs, { backupVaultName: "shop-use1-backups", ...c.expected });
            });
        }
    });

    describe("BackupPlan", () => {
        const ARGS: BackupPlanArgs = {
            planName: "shop-use1-backup",
            roleName: "shop-use1-backup",
            vaultName: pulumi.output("shop-use1-backups"),
            schedule: "cron(0 * * * ? *)",
            retentionDays: 90,
            copyToVaultArns: [PEER_VAULT_ARN],
            resourceArns: [
                pulumi.output("arn:aws:rds:us-east-1:123456789012:cluster:shop-use1-aurora"),
                "arn:aws:s3:::shop-data-123456789012-us-east-1",
                "arn:aws:dynamodb:us-east-1:123456789012:table/shop-sessions",
            ],
        };

        /** Records the plan, and the resources the selection was told to depend on. */
        async function backupPlan(overrides: Partial<BackupPlanArgs> = {}) {
            let plan: BackupPlan | undefined;
            const selectionDependsOn: pulumi.Resource[] = [];
            const rec = await record(() => {
                // dependsOn is invisible to the mock monitor and not kept by the harness: capture it here.
                pulumi.runtime.registerStackTransformation((t) => {
                    if (t.type === T.selection) {
                        selectionDependsOn.push(...([] as pulumi.Input<pulumi.Resource>[]).concat(t.opts.dependsOn as any ?? []) as pulumi.Resource[]);
                    }
                    return undefined;
                });
                plan = new BackupPlan("t", { ...ARGS, ...overrides });
            });
            return { rec, plan: plan!, selectionDependsOn };
        }

        const RETENTIONS: ReadonlyArray<readonly [retention: number, continuous: number]> = [[14, 14], [35, 35], [90, 35]];
        for (const [retention, continuous] of RETENTIONS) {
            it(`${retention} days: two rules, scheduled snapshots copied to the peer vault and continuous PITR kept ${continuous} days`, async () => {
                const { rec } = await backupPlan({ retentionDays: retention });
                const plan = rec.one(T.plan);
                assert.equal(plan.parent, "t");
                assert.equal(plan.inputs.name, "shop-use1-backup");
                assert.deepEqual(plan.inputs.rules.map((r: any) => r.ruleName), ["scheduled-snapshots", "continuous-pitr"]);
                const [scheduled, continuousRule] = plan.inputs.rules;
                // Exact: no enableContinuousBackup here, as snapshots are what a copy action copies.
                assert.deepEqual(scheduled, {
                    ruleName: "scheduled-snapshots",
                    targetVaultName: "shop-use1-backups",
                    schedule: "cron(0 * * * ? *)",
                    startWindow: 60,
                    completionWindow: 180,
                    lifecycle: { deleteAfter: retention },
                    copyActions: [{ destinationVaultArn: PEER_VAULT_ARN, lifecycle: { deleteAfter: retention } }],
                });
                assert.deepEqual(continuousRule, {
                    ruleName: "continuous-pitr",
                    enableContinuousBackup: true,
                    targetVaultName: "shop-use1-backups",
                    schedule: "cron(0 5 * * ? *)",
                    lifecycle: { deleteAfter: continuous },
                });
            });
        }

        it("without a copy target (a promoted DR region), keeps its snapshots local: no copy action", async () => {
            const { rec } = await backupPlan({ copyToVaultArns: [] });
            const [scheduled] = rec.one(T.plan).inputs.rules;
            assert.equal(scheduled.ruleName, "scheduled-snapshots");
            assert.equal(scheduled.copyActions, undefined);
            assert.deepEqual(scheduled.lifecycle, { deleteAfter: ARGS.retentionDays });
        });

        it("selects exactly the ARNs passed, under the plan's name, with the backup role", async () => {
            const { rec } = await backupPlan();
            const selection = rec.one(T.selection);
            assert.equal(selection.parent, "t");
            assert.equal(selection.inputs.name, "shop-use1-backup");
            assert.equal(selection.inputs.planId, "t-plan-id");
            assert.equal(selection.inputs.iamRoleArn, `arn:aws:mock:::${T.role}/t-role`);
            assert.deepEqual(selection.inputs.resources, [
                "arn:aws:rds:us-east-1:123456789012:cluster:shop-use1-aurora",
                "arn:aws:s3:::shop-data-123456789012-us-east-1",
                "arn:aws:dynamodb:us-east-1:123456789012:table/shop-sessions",
            ]);
            assert.equal(selection.inputs.selectionTags, undefined);
            assert.equal(selection.inputs.conditions, undefined);
        });

        it("a role only AWS Backup can assume, with the four managed backup and restore policies", async () => {
            const { rec } = await backupPlan();
            const role = rec.one(T.role);
            assert.equal(role.inputs.name, "shop-use1-backup");
            const trust = JSON.parse(role.inputs.assumeRolePolicy);
            assert.deepEqual(trust.Statement, [
                { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const attachments = rec.ofType(T.attachment);
            assert.deepEqual(attachments.map((a) => a.inputs.policyArn).sort(), [...POLICY_ARNS].sort());
            for (const a of attachments) {
                assert.equal(a.inputs.role, "shop-use1-backup");
                assert.equal(a.parent, "t");
            }
        });

        it("the selection waits for all four policy attachments", async () => {
            const { selectionDependsOn } = await backupPlan();
            assert.equal(selectionDependsOn.length, 4);
            for (const d of selectionDependsOn) {
                assert.ok(d instanceof iam.RolePolicyAttachment, "the selection depends on something other than an attachment");
            }
            const policies = await Promise.all(selectionDependsOn.map((d) => unwrap((d as iam.RolePolicyAttachment).policyArn)));
            assert.deepEqual(policies.sort(), [...POLICY_ARNS].sort());
        });

        it("outputs the plan id and ARN and the role ARN", async () => {
            const { plan } = await backupPlan();
            assert.equal(await unwrap(plan.planId), "t-plan-id");
            assert.equal(await unwrap(plan.planArn), `arn:aws:mock:::${T.plan}/t-plan`);
            assert.equal(await unwrap(plan.roleArn), `arn:aws:mock:::${T.role}/t-role`);
        });
    });
});
