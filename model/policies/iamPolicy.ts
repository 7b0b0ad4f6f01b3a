// The shape of an IAM policy document, and the trust policy of a role a service assumes. Pure: every policy
// the program writes (model/policies/keyPolicy.ts, bucketPolicy.ts, canary.ts, restoreTests.ts, regionSwitch.ts, workload.ts)
// is built as one of these and serialized where a resource takes it.

export type Statement = Record<string, unknown>;

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

/**
 * A role only `service` (e.g. "lambda.amazonaws.com") may assume. With `sourceAccount`, only on behalf of that
 * account's resources (`aws:SourceAccount`): the service cannot be made to act with the role for another account's
 * resource (the confused deputy), where the service sets that key when it assumes the role.
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
        }],
    };
}

/**
 * The trust policy of a region's enhanced-monitoring role: RDS's monitoring service, for this account's DB instances
 * only (RDS User Guide, "Setting up and enabling Enhanced Monitoring", the confused deputy).
 */
export function rdsMonitoringTrustPolicy(accountId: string): PolicyDocument {
    return serviceTrustPolicy("monitoring.rds.amazonaws.com", accountId);
}
