// Encryption: stateful data encrypted at rest (and the cache in transit), and every S3 bucket with a KMS key,
// so copies in the other region are encrypted with that region's key.
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Peeked, UNKNOWN, isSet, list, peek, show } from "./props";
import { configures, ofType, receivesLogs } from "./stack";
import { REF, TYPES, kind } from "./types";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const statefulDataEncrypted: ResourceValidationPolicy = {
    name: "stateful-data-encrypted",
    description:
        "Aurora clusters and global clusters have storageEncrypted, DynamoDB tables serverSideEncryption.enabled, " +
        "ElastiCache replication groups encryption at rest and in transit. Storage encryption can only be chosen " +
        "when a cluster is created, an encrypted global database needs encrypted members in every region, and " +
        `cross-region copies of encrypted snapshots need a KMS key in the destination region (${REF}, "KMS").`,
    enforcementLevel: "mandatory",
    remediationSteps: "Set the encryption inputs named in the message; for an existing Aurora cluster, restore an encrypted copy.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const p = args.props;
        switch (args.type) {
            case TYPES.auroraCluster:
            case TYPES.globalCluster: {
                // A global cluster made from an existing cluster takes that cluster's encryption (checked there).
                if (args.type === TYPES.globalCluster && isSet(peek(p, "sourceDbClusterIdentifier"))) {
                    return;
                }
                if (p.storageEncrypted !== true) {
                    report(`${kind(args.type)} ${args.name}: storageEncrypted is ${show(p.storageEncrypted)}, must be true ` +
                        "(fixed at creation; an encrypted global database needs encrypted members).");
                }
                return;
            }
            case TYPES.table:
                if (p.serverSideEncryption?.enabled !== true) {
                    report(`DynamoDB table ${args.name}: serverSideEncryption.enabled is ${show(p.serverSideEncryption?.enabled)}, ` +
                        "must be true (encrypted with a KMS key, not the AWS-owned key).");
                }
                return;
            case TYPES.cache:
                for (const key of ["atRestEncryptionEnabled", "transitEncryptionEnabled"]) {
                    if (p[key] !== true) {
                        report(`ElastiCache replication group ${args.name}: ${key} is ${show(p[key])}, must be true.`);
                    }
                }
                return;
            default:
                return;
        }
    },
};

/** The `sseAlgorithm`s of a server-side encryption configuration (`rules` list, or the older inline `rule`). */
function sseAlgorithms(config: unknown): Peeked[] {
    const rules = [...list(config, "rules"), ...list(config, "rule")];
    const single = peek(config, "rule");
    if (single !== undefined && single !== UNKNOWN && !Array.isArray(single)) {
        rules.push(single);
    }
    return rules.map((rule) => peek(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
}

export const s3BucketsEncryptedWithKms: StackValidationPolicy = {
    name: "s3-buckets-encrypted-with-kms",
    description:
        "Every S3 bucket has a server-side encryption configuration (a BucketServerSideEncryptionConfiguration " +
        "whose bucket is this bucket) with sseAlgorithm aws:kms. Objects replicate to the DR region re-encrypted " +
        `with that region's key, and encrypted copies need a KMS key in the destination region (${REF}, "KMS"); ` +
        "a KMS key also puts who may read the data, and the audit trail, under the account's control. A bucket " +
        "that receives access logs (an ALB's or S3's) may use AES256 instead, the only encryption those deliveries " +
        "support (docs/edge.md, Logs).",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm \"aws:kms\" and the region's key.",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const configs = ofType(args, ...TYPES.bucketEncryption);
        for (const bucket of ofType(args, ...TYPES.buckets)) {
            const accepted = receivesLogs(args, bucket) ? [...KMS_ALGORITHMS, "AES256"] : KMS_ALGORITHMS;
            const algorithms = [
                ...configs.filter((c) => configures(c, bucket)).flatMap((c) => sseAlgorithms(c.props)),
                // A bucket that still declares encryption inline (the deprecated argument) counts too.
                ...sseAlgorithms(peek(bucket.props, "serverSideEncryptionConfiguration")),
            ];
            if (algorithms.some((a) => a === UNKNOWN || accepted.includes(a as string))) {
                continue;
            }
            report(algorithms.length === 0
                ? `S3 bucket ${bucket.name} has no server-side encryption configuration: add one with sseAlgorithm aws:kms.`
                : `S3 bucket ${bucket.name} is encrypted with ${algorithms.map(show).join(", ")}, not aws:kms.`,
            bucket.urn);
        }
    },
};
