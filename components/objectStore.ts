import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyPolicy } from "../model/policies/bucketPolicy";
import { replicaKeyStatement } from "../model/policies/keyPolicy";
import { bucketArn } from "../model/naming";
import { RTC_MINUTES } from "../model/reference";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { blockAllPublicAccess } from "./privateBucket";

/** The id of the replication rule; the replication alarms name it as a metric dimension. */
export const REPLICATION_RULE_ID = "to-dr-region";

/** Where the primary's bucket replicates to. */
export interface ReplicationTarget {
    /** The dr region's bucket (deterministic name: it is created by the dr stack). */
    readonly bucketName: pulumi.Input<string>;
    /** The dr region's KMS key, by alias ARN, to encrypt the replicas with. */
    readonly kmsKeyAliasArn: pulumi.Input<string>;
    /** The alias itself (`alias/...`) and the account: the replication role may use that key only. */
    readonly kmsKeyAlias: string;
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    /** IAM is global: the role S3 replicates as. */
    readonly roleName: string;
}

export interface ObjectStoreArgs {
    readonly bucketName: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Set on the primary: replicate every object to the dr bucket with RTC. Absent on the replica. */
    readonly replicateTo?: ReplicationTarget;
    /** Where S3 writes this bucket's server access logs: the region's log bucket, under a prefix of its own. */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    /** Days a replaced (noncurrent) version is kept: the backups' retention, `dr:backupRetentionDays`. */
    readonly noncurrentVersionDays: number;
}

/**
 * A versioned, KMS-encrypted, TLS-only bucket with all public access blocked and its access logged. The primary's replicates to the dr
 * region's with Replication Time Control and metrics; the dr bucket is the replica.
 */
export class ObjectStore extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: ObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:ObjectStore", name, {}, opts);
        const parent = { parent: this };

        const bucket = new s3.Bucket(`${name}-bucket`, {
            bucket: args.bucketName,
        }, { parent: this, protect: true });
        // Replication needs versioning on both sides, and versions are what undo an overwrite.
        const versioning = new s3.BucketVersioning(`${name}-versioning`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, parent);
        // Replaced versions go after the backups' retention (recovery points cover what is older), and
        // uploads that never completed after a day: neither is kept forever.
        new s3.BucketLifecycleConfiguration(`${name}-versions`, {
            bucket: bucket.id,
            rules: [{
                id: "expire-replaced-versions", status: "Enabled", filter: {},
                noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            }],
        }, { parent: this, dependsOn: [versioning] });
        new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
            }],
        }, parent);
        const publicAccess = blockAllPublicAccess(`${name}-public-access`, bucket.id, parent);
        new s3.BucketPolicy(`${name}-tls-only`, {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyPolicy(arn))),
        }, { parent: this, dependsOn: [publicAccess] });
        if (args.accessLogs) {
            new s3.BucketLogging(`${name}-access-logs`, {
                bucket: bucket.id,
                targetBucket: args.accessLogs.bucket,
                targetPrefix: args.accessLogs.prefix,
            }, parent);
        }

        if (args.replicateTo) {
            this.replicate(name, bucket, versioning, args.kmsKeyArn, args.replicateTo);
        }

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }

    private replicate(
        name: string,
        bucket: s3.Bucket,
        versioning: s3.BucketVersioning,
        sourceKeyArn: pulumi.Input<string>,
        target: ReplicationTarget,
    ): void {
        const parent = { parent: this };
        const destinationArn = pulumi.output(target.bucketName).apply(bucketArn);
        const role = new iam.Role(`${name}-replication-role`, {
            name: target.roleName,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("s3.amazonaws.com")),
        }, parent);
        new iam.RolePolicy(`${name}-replication-policy`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: bucket.arn },
                    {
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: pulumi.interpolate`${bucket.arn}/*`,
                    },
                    {
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        Resource: pulumi.interpolate`${destinationArn}/*`,
                    },
                    { Effect: "Allow", Action: ["kms:Decrypt"], Resource: sourceKeyArn },
                    // The replica key is known by alias only: any key of the dr region that carries the alias, through S3 there.
                    pulumi.output(target.accountId).apply((accountId) =>
                        replicaKeyStatement({ region: target.region, accountId, alias: target.kmsKeyAlias })),
                ],
            }),
        }, parent);
        new s3.BucketReplicationConfig(`${name}-replication`, {
            bucket: bucket.id,
            role: role.arn,
            rules: [{
                id: REPLICATION_RULE_ID,
                status: "Enabled",
                priority: 1,
                filter: {},
                // Deletions replicate too; versioning on the replica keeps what they hide.
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: {
                    bucket: destinationArn,
                    storageClass: "STANDARD",
                    encryptionConfiguration: { replicaKmsKeyId: target.kmsKeyAliasArn },
                    replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                    metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
                },
            }],
        }, { parent: this, dependsOn: [versioning] });
    }
}
