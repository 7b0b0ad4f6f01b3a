import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { lambdaLogGroupName, logGroupRetentionDays } from "../model/logGroups";

/** How a region keeps the logs of its functions and canaries: the region's key, and `dr:logRetentionDays`. */
export interface FunctionLogs {
    readonly kmsKeyArn: pulumi.Input<string>;
    /** `dr:logRetentionDays`; rounded up to a period CloudWatch Logs accepts (model/logGroups.ts). */
    readonly retentionDays: number;
}

/**
 * The log group a Lambda function writes to, created by the program before the function runs, so Lambda does not
 * create it unencrypted and kept forever. A plain function, not a component: it creates one resource under the
 * caller. `retainOnDelete`: the group outlives its function (a canary's evidence outlives the canary).
 */
export function functionLogGroup(
    name: string,
    functionName: pulumi.Input<string>,
    logs: FunctionLogs,
    opts: pulumi.CustomResourceOptions,
): cloudwatch.LogGroup {
    return new cloudwatch.LogGroup(name, {
        name: pulumi.output(functionName).apply(lambdaLogGroupName),
        retentionInDays: logGroupRetentionDays(logs.retentionDays),
        kmsKeyId: logs.kmsKeyArn,
    }, opts);
}
