import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";

/**
 * Blocks every kind of public access to a bucket: ACLs and policies, new and existing. A plain function, not a
 * component: it creates one resource under the caller. Callers put their bucket policy after it, so the policy
 * is accepted under the block that stays (with BlockPublicPolicy, S3 refuses a policy that would be public).
 */
export function blockAllPublicAccess(name: string, bucket: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): s3.BucketPublicAccessBlock {
    return new s3.BucketPublicAccessBlock(name, {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
}
