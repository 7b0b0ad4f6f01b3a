import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { logBucketPolicy, logLifecycleRules } from "../model/policies/bucketPolicy";
import { blockAllPublicAccess } from "./privateBucket";

export interface LogBucketArgs {
    readonly bucketName: pulumi.Input<string>;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** Days a log object is kept (`dr:logRetentionDays`). */
    readonly retentionDays: number;
}

/**
 * A region's access-log bucket: private, encrypted, TLS only, with objects expiring after the retention.
 * SSE-S3, not the region's KMS key: ALB access logs are delivered only to SSE-S3 buckets, and S3 server
 * access logs cannot be written to a bucket whose default encryption is SSE-KMS.
 */
export class LogBucket extends pulumi.ComponentResource {
    /** The bucket's name once its policy lets the log services write (an ALB checks that when logging is turned on). */
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: LogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:LogBucket", name, {}, opts);
        const parent = { parent: this };

        // Protected like the data: the access logs are the record of what happened on the day.
        const bucket = new s3.Bucket(`${name}-bucket`, { bucket: args.bucketName }, { parent: this, protect: true });
        // Bucket owner enforced: ACLs off; the log services write through the bucket policy only.
        new s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, parent);
        new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, parent);
        const publicAccess = blockAllPublicAccess(`${name}-public-access`, bucket.id, parent);
        // Versioned: a log overwritten or deleted keeps its earlier version until it expires (not Object Lock:
        // S3 refuses server access logs into a bucket with a default retention).
        const versioning = new s3.BucketVersioning(`${name}-versioning`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, parent);
        new s3.BucketLifecycleConfiguration(`${name}-expiry`, {
            bucket: bucket.id,
            rules: logLifecycleRules(args.retentionDays).map((r) => ({ ...r })),
        }, { parent: this, dependsOn: [versioning] });
        const policy = new s3.BucketPolicy(`${name}-policy`, {
            bucket: bucket.id,
            policy: pulumi.all([bucket.arn, args.accountId]).apply(([bucketArn, accountId]) =>
                JSON.stringify(logBucketPolicy({ bucketArn, region: args.region, accountId }))),
        }, { parent: this, dependsOn: [publicAccess] });

        this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
