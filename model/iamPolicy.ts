// The shape of an IAM policy document, and the trust policy of a role a service assumes. Pure: every policy
// the program writes (model/keyPolicy.ts, bucketPolicy.ts, canary.ts, restoreTests.ts, regionSwitch.ts, workload.ts)
// is built as one of these and serialized where a resource takes it.

export type Statement = Record<string, unknown>;

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

/** A role only `service` (e.g. "lambda.amazonaws.com") may assume. */
export function serviceTrustPolicy(service: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] };
}
