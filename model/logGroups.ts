// The CloudWatch Logs groups of the program's own code in AWS: the Lambda functions' and the canaries'. Pure.
//
// Lambda writes to /aws/lambda/<function name> and creates that group, with no expiry and no key, on a function's
// first run unless it exists. So each group is created by the program first: encrypted with the region's key,
// expiring with the region's other logs (`dr:logRetentionDays`).

/**
 * The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy, retentionInDays:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_GROUP_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * A log group's retention for `dr:logRetentionDays`: the shortest period CloudWatch Logs accepts that keeps the
 * logs at least that long (45 days -> 60), so a group never expires a log before the log bucket would.
 */
export function logGroupRetentionDays(days: number): number {
    const kept = LOG_GROUP_RETENTION_DAYS.find((allowed) => allowed >= days);
    if (kept === undefined) {
        throw new Error(`${days} days is longer than CloudWatch Logs keeps a log with a retention (${LOG_GROUP_RETENTION_DAYS[LOG_GROUP_RETENTION_DAYS.length - 1]} days at most)`);
    }
    return kept;
}

/** Where Lambda writes a function's logs. */
export function lambdaLogGroupName(functionName: string): string {
    return `/aws/lambda/${functionName}`;
}

/**
 * The function name in a Lambda function ARN, with or without a version or alias: a canary's `engineArn`
 * names the function Synthetics created for it (cwsyn-<canary>-<id>), whose id only AWS knows.
 */
export function functionNameOfArn(arn: string): string {
    const m = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(:[^:]+)?$/.exec(arn);
    if (!m) {
        throw new Error(`"${arn}" is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<version>])`);
    }
    return m[1];
}

/** The ARNs of every log group of a region and account: what the region's key encrypts for CloudWatch Logs. */
export function logGroupArnPattern(region: string, accountId: string): string {
    return `arn:aws:logs:${region}:${accountId}:log-group:*`;
}
