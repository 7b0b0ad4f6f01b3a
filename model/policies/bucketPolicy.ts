// Bucket policies: TLS only on every bucket the program creates, and the log bucket's delivery grants. Pure.
// Source: Elastic Load Balancing User Guide, "Enable access logs for your Application Load Balancer" (the
// bucket policy per region); Amazon S3 User Guide, "Permissions for log delivery" (server access logs); Amazon
// VPC User Guide, "Publish flow logs to Amazon S3" (the log delivery service's bucket policy).

import type { PolicyDocument, Statement } from "./iamPolicy";

/** Where in the log bucket each kind of log lands. */
export const ALB_LOG_PREFIX = "alb";
export const S3_LOG_PREFIX = "s3";
export const FLOW_LOG_PREFIX = "vpc-flow-logs";

/**
 * What in a log bucket is a log, and expires after `dr:logRetentionDays`: the ALB's and S3's access logs, the VPC's
 * flow logs, and
 * the canaries' run artifacts (Synthetics writes them under `<prefix>/canary/`; an assumption of its layout).
 * Not the canaries' code (`synthetics/code/`) nor the Region switch plan's execution reports: a rule without a
 * filter would delete those too.
 */
export const EXPIRING_LOG_PREFIXES = [`${ALB_LOG_PREFIX}/`, `${S3_LOG_PREFIX}/`, `${FLOW_LOG_PREFIX}/`, "synthetics/canary/"] as const;

/** A lifecycle rule as the provider takes it (s3.BucketLifecycleConfiguration `rules`). */
export interface LifecycleRule {
    readonly id: string;
    readonly status: "Enabled";
    readonly filter: { readonly prefix?: string };
    readonly expiration?: { readonly days: number };
    readonly noncurrentVersionExpiration: { readonly noncurrentDays: number };
    readonly abortIncompleteMultipartUpload: { readonly daysAfterInitiation: number };
}

/**
 * The log bucket's lifecycle: each log prefix expires after the retention; every object's older versions
 * (the bucket is versioned, so a log cannot be silently rewritten) expire as long after they were replaced.
 */
export function logLifecycleRules(retentionDays: number): LifecycleRule[] {
    const common = { status: "Enabled" as const, noncurrentVersionExpiration: { noncurrentDays: retentionDays }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } };
    return [
        ...EXPIRING_LOG_PREFIXES.map((prefix) => ({ id: `expire-${prefix.replace(/\/$/, "").replace(/\//g, "-")}`, filter: { prefix }, expiration: { days: retentionDays }, ...common })),
        { id: "expire-replaced-versions", filter: {}, ...common },
    ];
}

/**
 * The Elastic Load Balancing account that delivers access logs in each region opened before August 2022;
 * newer regions take the log-delivery service principal instead (ELB User Guide, "Attach a bucket policy").
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
    "af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-south-1": "718504428378", "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331", "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266", "ap-southeast-3": "589379963580", "ca-central-1": "985666609251",
    "eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-west-3": "009996457667",
    "eu-south-1": "635631232127", "eu-north-1": "897822967062", "me-south-1": "076674570225", "sa-east-1": "507241528517",
};


/** The principal that writes a region's ALB access logs. */
export function elbLogDeliveryPrincipal(region: string): Record<string, string> {
    const account = ELB_LOG_ACCOUNTS[region];
    return account !== undefined ? { AWS: `arn:aws:iam::${account}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}

/** Refuses every request that does not come over TLS (`aws:SecureTransport`), whoever makes it. */
export function tlsOnlyStatement(bucketArn: string): Statement {
    return {
        Sid: "TlsRequestsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}


/** A bucket whose only policy is TLS only. */
export function tlsOnlyPolicy(bucketArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [tlsOnlyStatement(bucketArn)] };
}

export interface LogBucketScope {
    readonly bucketArn: string;
    readonly region: string;
    readonly accountId: string;
}

/**
 * The log bucket's policy: TLS only; the region's ELB writes under `alb/AWSLogs/<account>/`; S3's logging
 * service writes under `s3/`, only for buckets of this account; the log delivery service writes the VPC's flow
 * logs under `vpc-flow-logs/AWSLogs/<account>/`, only for this account's flow logs in this region.
 */
export function logBucketPolicy(scope: LogBucketScope): PolicyDocument {
    const { bucketArn, region, accountId } = scope;
    return {
        Version: "2012-10-17",
        Statement: [
            tlsOnlyStatement(bucketArn),
            {
                Sid: "AlbAccessLogs",
                Effect: "Allow",
                Principal: elbLogDeliveryPrincipal(region),
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`,
            },
            {
                Sid: "S3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${S3_LOG_PREFIX}/*`,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
            {
                Sid: "VpcFlowLogsWrite",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${FLOW_LOG_PREFIX}/AWSLogs/${accountId}/*`,
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
                    ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` },
                },
            },
            {
                Sid: "VpcFlowLogsAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: ["s3:GetBucketAcl", "s3:ListBucket"],
                Resource: bucketArn,
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` },
                },
            },
        ],
    };
}
