import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyPolicy } from "../model/policies/bucketPolicy";
import { replicaKeyStatement } from "../model/policies/keyPolicy";
import { bucketArn } from "../model/naming";
import { RTC_MINUTES } from "../model/reference";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { blockAllPublicAccess } from "./privateBucket";

/** The id of the first destination's replication rule; the replication alarms name it as a metric dimension. */
export const REPLICATION_RULE_ID = "to-dr-region";

/** The rule id of the destination at `index` (0: the first, and a pair's only one). */
export function replicationRuleId(index: number, region: string): string {
    return index === 0 ? REPLICATION_RULE_ID : `to-${region}`;
}

/** A bucket this one replicates to, or may replicate to once its region is the writer. */
export interface ReplicationTarget {
    /** The destination region's bucket (deterministic name: its own stack creates it). */
    readonly bucketName: pulumi.Input<string>;
    /** The destination region's KMS key, by alias ARN, to encrypt the replicas with. */
    readonly kmsKeyAliasArn: pulumi.Input<string>;
    readonly region: string;
}

/** The bucket's replication: the role S3 replicates as, and the rules, one per target, where `rules` is on. */
export interface Replication {
    /** IAM is global: the role S3 replicates as, allowed to write to every target's bucket with its key. */
    readonly roleName: string;
    /** The alias itself (`alias/...`) and the account: the role may use that key of each target's region only. */
    readonly kmsKeyAlias: string;
    readonly accountId: pulumi.Input<string>;
    readonly targets: readonly ReplicationTarget[];
    /**
     * true: replicate every object to each target with RTC. false: the role only, standing by for the day this
     * region is the writer (a recovery region of three or more), since the failover deploy creates no IAM.
     */
    readonly rules: boolean;
}

export interface ObjectStoreArgs {
    readonly bucketName: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Set on the writer: replicate every object to the other regions' buckets with RTC. Absent on a replica of a pair. */
    readonly replication?: Replication;
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

        if (args.replication && args.replication.targets.length > 0) {
            this.replicate(name, bucket, versioning, args.kmsKeyArn, args.replication);
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
        replication: Replication,
    ): void {
        const parent = { parent: this };
        const destinations = replication.targets.map((t) => pulumi.output(t.bucketName).apply(bucketArn));
        const objectsIn = destinations.map((arn) => pulumi.interpolate`${arn}/*`);
        const role = new iam.Role(`${name}-replication-role`, {
            name: replication.roleName,
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
                        Resource: objectsIn.length === 1 ? objectsIn[0] : objectsIn,
                    },
                    { Effect: "Allow", Action: ["kms:Decrypt"], Resource: sourceKeyArn },
                    // Each replica key is known by alias only: any key of the target region that carries the alias, through S3 there.
                    ...replication.targets.map((t) => pulumi.output(replication.accountId).apply((accountId) =>
                        replicaKeyStatement({ region: t.region, accountId, alias: replication.kmsKeyAlias }))),
                ],
            }),
        }, parent);
        if (!replication.rules) {
            return;
        }
        new s3.BucketReplicationConfig(`${name}-replication`, {
            bucket: bucket.id,
            role: role.arn,
            // One rule per destination, each with its own priority (S3 applies every rule whose filter matches).
            rules: replication.targets.map((target, i) => ({
                id: replicationRuleId(i, target.region),
                status: "Enabled",
                priority: i + 1,
                filter: {},
                // Deletions replicate too; versioning on the replica keeps what they hide.
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: {
                    bucket: destinations[i],
                    storageClass: "STANDARD",
                    encryptionConfiguration: { replicaKmsKeyId: target.kmsKeyAliasArn },
                    replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
                    metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
                },
            })),
        }, { parent: this, dependsOn: [versioning] });
    }
}
