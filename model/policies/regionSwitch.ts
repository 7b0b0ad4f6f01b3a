// The ARC Region switch plan's policies: who may approve it, what its execution role, its custom actions and the
// pages of its executions may do (model/regionSwitch.ts is the plan itself). Pure: plain policy documents.
import type { FenceSpec } from "../fence";
import type { PolicyDocument, Statement } from "./iamPolicy";
import type { RegionSwitchTargets } from "../regionSwitch";

/** The approval role: only the named principals may assume it (IAM refuses a trust policy naming none). */
export function approvalTrustPolicy(approverArns: readonly string[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: [...approverArns] }, Action: "sts:AssumeRole" }] };
}

/**
 * What the approval role lets its holder do: approve (or decline) a step of this plan's executions, and follow
 * them. Approvals go through the regional data plane, like the execution itself.
 */
export function approverPolicy(planArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "ApproveThisPlan", Effect: "Allow",
            Action: ["arc-region-switch:ApprovePlanExecutionStep", "arc-region-switch:GetPlanExecution",
                "arc-region-switch:ListPlanExecutions", "arc-region-switch:ListPlanExecutionEvents", "arc-region-switch:GetPlanInRegion"],
            Resource: [planArn, `${planArn}/*`],
        }],
    };
}

/** What the execution role may do: exactly the plan's blocks, on the plan's resources (the sample policies of each block). */
export function executionRolePolicy(p: {
    readonly accountId: string; readonly asgArns?: readonly string[]; readonly aurora?: RegionSwitchTargets["aurora"];
    readonly lambdaArns: readonly string[]; readonly alarmArns: readonly string[]; readonly reportBucketArn: string; readonly reportPrefix: string;
}): PolicyDocument {
    const statements: Statement[] = [
        { Sid: "RunCustomActions", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [...p.lambdaArns] },
        { Sid: "ReadAssociatedAlarms", Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" },
        { Sid: "WriteReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${p.reportBucketArn}/${p.reportPrefix}*` },
    ];
    if (p.asgArns) {
        statements.push(
            { Sid: "ReadFleets", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "cloudwatch:GetMetricStatistics"], Resource: "*" },
            { Sid: "ScaleFleets", Effect: "Allow", Action: "autoscaling:UpdateAutoScalingGroup", Resource: [...p.asgArns] },
        );
    }
    if (p.aurora) {
        statements.push(
            { Sid: "ReadDatabase", Effect: "Allow", Action: ["rds:DescribeGlobalClusters", "rds:DescribeDBClusters"], Resource: "*" },
            {
                Sid: "MoveTheWriter", Effect: "Allow", Action: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"],
                Resource: [`arn:aws:rds::${p.accountId}:global-cluster:${p.aurora.globalClusterIdentifier}`, ...p.aurora.clusterArns],
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** The fence action's role: put the fence's metric and set its alarm's state, nothing else. */
export function fenceLambdaPolicy(fence: FenceSpec, alarmArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": fence.namespace } } },
            { Effect: "Allow", Action: "cloudwatch:SetAlarmState", Resource: alarmArn },
        ],
    };
}

/**
 * The cache action's role: read and resize the one replication group; for a Global Datastore member, leave
 * that datastore (the action names both the datastore and the member: ElastiCache's authorization reference).
 */
export function cacheLambdaPolicy(replicationGroupArn: string, globalDatastoreArn?: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "elasticache:DescribeReplicationGroups", Resource: "*" },
            { Effect: "Allow", Action: ["elasticache:ModifyReplicationGroup", "elasticache:IncreaseReplicaCount"], Resource: replicationGroupArn },
            ...(globalDatastoreArn !== undefined
                ? [{ Effect: "Allow" as const, Action: "elasticache:DisassociateGlobalReplicationGroup", Resource: [globalDatastoreArn, replicationGroupArn] }]
                : []),
        ],
    };
}

/** A Global Datastore's ARN: a global resource, so no region (ElastiCache's resource types, globalreplicationgroup). */
export function globalDatastoreArn(accountId: string, globalDatastoreId: string, partition = "aws"): string {
    return `arn:${partition}:elasticache::${accountId}:globalreplicationgroup:${globalDatastoreId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Pages of the plan's executions

/**
 * The Region switch events EventBridge receives in the region where an execution runs: "ARC Region Switch
 * Plan Execution" from source aws.arc-region-switch, delivered best effort (EventBridge events reference,
 * "Amazon Application Recovery Controller (ARC) Region switch events"). Every execution event of the region's
 * plans, so the person who must approve hears that an execution waits.
 */
export const EXECUTION_EVENT_PATTERN = { "source": ["aws.arc-region-switch"], "detail-type": ["ARC Region Switch Plan Execution"] } as const;

/**
 * The alarm topic's policy where EventBridge pages through it: what SNS gives a topic by default (the account
 * manages and publishes, CloudWatch's alarms among them), and EventBridge may publish from the one rule.
 */
export function alarmTopicPolicy(topicArn: string, accountId: string, ruleArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "TheAccountUsesTheTopic", Effect: "Allow", Principal: { AWS: "*" },
                Action: ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
                    "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
                Resource: topicArn, Condition: { StringEquals: { "AWS:SourceOwner": accountId } },
            },
            {
                Sid: "EventBridgePagesTheExecutions", Effect: "Allow", Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
            },
        ],
    };
}
