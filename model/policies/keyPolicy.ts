// The key policy of each region's data key, and the scoped KMS statement of S3's replication role. Pure:
// both are decisions about who may do what with the keys that every backup and replica depends on.

import type { PolicyDocument, Statement } from "./iamPolicy";
import { logGroupArnPattern } from "../logGroups";

/** The AWS services that encrypt this program's data with the region's key (each through its regional endpoint). */
export const KEY_USING_SERVICES = ["rds", "s3", "elasticache", "backup", "sns", "ec2", "dynamodb", "ssm"] as const;

/** Managing the key, never using it: the administrators cannot decrypt a backup through this statement. */
export const KEY_ADMIN_ACTIONS = [
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
] as const;

/** Envelope encryption: what a service does with the key on its caller's behalf. */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"] as const;

export interface KeyPolicyScope {
    readonly accountId: string;
    readonly region: string;
    /** EventBridge publishes to the region's encrypted alarm topic (the Region switch plan's execution pages). */
    readonly eventsPublish?: boolean;
}



/** The service-linked role that launches the Auto Scaling group's instances, and so creates their encrypted root volumes. */
export function autoScalingServiceRoleArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * Who administers and who uses a region's data key.
 * - Administers: the account, that is the IAM principals its policies allow kms administration (the account
 *   root as principal is what keeps the key manageable: a policy naming one role locks the key if that role goes).
 * - Uses: principals of this account, only through the services that store the program's data, in this region.
 * - The Auto Scaling service-linked role, which creates the instances' encrypted root volumes; it is named by a
 *   condition, not as the principal, because KMS refuses a policy whose principal does not exist yet, and
 *   the role appears only with the account's first Auto Scaling group.
 * - CloudWatch Logs of this region, for the log groups of the program's functions and canaries
 *   (model/logGroups.ts): only for log groups of this account and region, by the encryption context CloudWatch
 *   Logs sends (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 * - CloudWatch, to publish alarms to the encrypted alarm topic (alarms call SNS as the service, not as a
 *   principal of the account); and EventBridge likewise, where it pages the Region switch plan's executions
 *   (`eventsPublish`: the dr stack with dr:regionSwitch).
 */
export function dataKeyPolicy(scope: KeyPolicyScope): PolicyDocument {
    const { accountId, region } = scope;
    const inAccount = { "kms:CallerAccount": accountId };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersTheKey",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: [...KEY_ADMIN_ACTIONS],
                Resource: "*",
            },
            {
                Sid: "UseThroughTheDataServicesOfThisRegion",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: [...KEY_USE_ACTIONS, "kms:CreateGrant", "kms:ListGrants"],
                Resource: "*",
                Condition: {
                    StringEquals: {
                        ...inAccount,
                        "kms:ViaService": KEY_USING_SERVICES.map((service) => `${service}.${region}.amazonaws.com`),
                    },
                },
            },
            {
                Sid: "AutoScalingEncryptsRootVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: [...KEY_USE_ACTIONS],
                Resource: "*",
                Condition: { StringEquals: inAccount, ArnEquals: { "aws:PrincipalArn": autoScalingServiceRoleArn(accountId) } },
            },
            {
                Sid: "AutoScalingGrantsToEc2",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: {
                    StringEquals: inAccount,
                    ArnEquals: { "aws:PrincipalArn": autoScalingServiceRoleArn(accountId) },
                    Bool: { "kms:GrantIsForAWSResource": "true" },
                },
            },
            {
                Sid: "CloudWatchPublishesToTheEncryptedTopic",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsEncryptsThisRegionsLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupArnPattern(region, accountId) } },
            },
            ...(scope.eventsPublish ? [{
                Sid: "EventBridgePublishesToTheEncryptedTopic",
                Effect: "Allow" as const,
                Principal: { Service: "events.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            }] : []),
        ],
    };
}

/**
 * The replication role's use of the dr region's key: any key of that region and account, but only the one
 * behind the data key's alias (S3 knows the replica key by alias ARN only) and only through S3 there.
 */
export function replicaKeyStatement(target: { readonly region: string; readonly accountId: string; readonly alias: string }): Statement {
    return {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: `arn:aws:kms:${target.region}:${target.accountId}:key/*`,
        Condition: {
            StringEquals: { "kms:ViaService": `s3.${target.region}.amazonaws.com` },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": target.alias },
        },
    };
}
