// What the rules look at and how their messages name it: the resource types, and the reference every
// description cites.
import { oneOf } from "./props";

/** The resource types the rules look at (tokens of @pulumi/aws 7; the V2 S3 tokens are v6-era aliases). */
export const TYPES = {
    auroraCluster: "aws:rds/cluster:Cluster",
    globalCluster: "aws:rds/globalCluster:GlobalCluster",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketEncryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    table: "aws:dynamodb/table:Table",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    record: "aws:route53/record:Record",
    backupPlan: "aws:backup/plan:Plan",
    backupVault: "aws:backup/vault:Vault",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketLogging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    regionSwitchPlan: "aws:arcregionswitch/plan:Plan",
    canary: "aws:synthetics/canary:Canary",
    autoScalingGroup: "aws:autoscaling/group:Group",
    vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    restoreTestingPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreTestingSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    awsProvider: "pulumi:providers:aws",
} as const;

/** Where every number of the rules comes from, cited in their descriptions. */
export const REF = "docs/reference.md";

/** A stateful resource's type as messages name it. */
export function kind(type: string): string {
    switch (type) {
        case TYPES.auroraCluster: return "Aurora cluster";
        case TYPES.globalCluster: return "Aurora global cluster";
        case TYPES.table: return "DynamoDB table";
        default: return oneOf(type, TYPES.buckets) ? "S3 bucket" : type;
    }
}
