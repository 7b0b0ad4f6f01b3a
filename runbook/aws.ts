// AWS SDK v3 clients of one region. `endpoint` points them at a local emulator (the drill, the tests).
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { STSClient } from "@aws-sdk/client-sts";

/** The packages the runbook loads to do its work: the SDK clients below and the task list (npm run bench compares). */
export const RUNBOOK_PACKAGES = [
    "@aws-sdk/client-auto-scaling", "@aws-sdk/client-cloudwatch", "@aws-sdk/client-elasticache",
    "@aws-sdk/client-elastic-load-balancing-v2", "@aws-sdk/client-rds", "@aws-sdk/client-route-53", "@aws-sdk/client-sts", "listr2",
] as const;

export interface AwsClients {
    readonly region: string;
    readonly sts: STSClient;
    readonly autoscaling: AutoScalingClient;
    readonly elbv2: ElasticLoadBalancingV2Client;
    readonly rds: RDSClient;
    readonly elasticache: ElastiCacheClient;
    readonly cloudwatch: CloudWatchClient;
    /** Route 53 is global; its data plane (health-checked records) keeps answering while a region is down. */
    readonly route53: Route53Client;
}

export interface AwsTarget {
    /** e.g. http://127.0.0.1:5000 for moto; undefined for AWS itself. */
    readonly endpoint?: string;
    /** Static credentials for an emulator; undefined: the SDK's default chain. */
    readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function awsClients(region: string, target: AwsTarget = {}): AwsClients {
    // A failing region must fail fast: a few attempts, then the runbook reports it unreachable.
    const config = { region, endpoint: target.endpoint, credentials: target.credentials, maxAttempts: 2 };
    return {
        region,
        sts: new STSClient(config),
        autoscaling: new AutoScalingClient(config),
        elbv2: new ElasticLoadBalancingV2Client(config),
        rds: new RDSClient(config),
        elasticache: new ElastiCacheClient(config),
        cloudwatch: new CloudWatchClient(config),
        route53: new Route53Client({ ...config, region: "us-east-1" }),
    };
}
