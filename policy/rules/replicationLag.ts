// Replication-lag alarms: the lag of S3 replication and of an Aurora global database is the RPO, so it is watched.
import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { peek } from "./props";
import { alarmsOn, isGlobalSecondary, ofType } from "./stack";
import { REF, TYPES } from "./types";

export const s3ReplicationAlarmed: StackValidationPolicy = {
    name: "s3-replication-alarmed",
    description:
        "A bucket that replicates (BucketReplicationConfig) has CloudWatch alarms on its AWS/S3 ReplicationLatency " +
        "and OperationsFailedReplication metrics. Replication Time Control promises 99.99 % of objects within " +
        `15 min (${REF}, "S3 replication"): that is the objects' RPO, and without the alarms a breach, or objects ` +
        "that never replicate, go unnoticed until the day they are needed.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const replication of ofType(args, TYPES.bucketReplication)) {
            const source = peek(replication.props, "bucket");
            for (const metric of ["ReplicationLatency", "OperationsFailedReplication"]) {
                if (alarmsOn(args, "AWS/S3", metric, "SourceBucket", source).length === 0) {
                    report(`Bucket ${typeof source === "string" ? source : replication.name} replicates (${replication.name}) ` +
                        `but no alarm watches its AWS/S3 ${metric}.`, replication.urn);
                }
            }
        }
    },
};

export const auroraReplicationLagAlarmed: StackValidationPolicy = {
    name: "aurora-replication-lag-alarmed",
    description:
        "An Aurora global database secondary has a CloudWatch alarm on AWS/RDS AuroraGlobalDBReplicationLag: the lag " +
        `(typically under 1 s; ${REF}, "Aurora") is the RPO of an unplanned failover. Advisory: a promoted DR ` +
        "cluster keeps the same inputs (the program ignores the attributes a promotion changes), so a writer can't " +
        "be told from a secondary here, and a writer has no lag to watch.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const cluster of ofType(args, TYPES.auroraCluster)) {
            if (!isGlobalSecondary(cluster, args.resources)) {
                continue;
            }
            const id = peek(cluster.props, "clusterIdentifier");
            if (alarmsOn(args, "AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", id).length === 0) {
                report(`Aurora cluster ${typeof id === "string" ? id : cluster.name} is a global database secondary without an ` +
                    "AuroraGlobalDBReplicationLag alarm (fine only if it has been promoted to writer).", cluster.urn);
            }
        }
    },
};
