import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as synthetics from "@pulumi/aws/synthetics";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_PATH } from "../model/app";
import {
    CANARY_ALARM, CANARY_ARTIFACT_PREFIX, CANARY_FAILURE_RETENTION_DAYS, CANARY_FILES_UNDER, CANARY_HANDLER, CANARY_METRIC, CANARY_NAMESPACE,
    CANARY_RATE, CANARY_RUNTIME_VERSION, CANARY_SCRIPT_FILE, CANARY_SCRIPT_PATH, CANARY_SUCCESS_RETENTION_DAYS, CANARY_TIMEOUT_SECONDS,
    canaryArtifactLocation, canaryCodeKey, canaryEnvironment, canaryExecutionPolicy, canaryNameProblem,
} from "../model/canary";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { FunctionLayout, filesArchive, functionFiles } from "./functionCode";
import { FunctionLogs, functionLogGroup } from "./functionLogGroup";
import { functionNameOfArn } from "../model/logGroups";

/** The canary's zip: the script at the path Node.js canaries take, the project's files it requires beside it. */
export const CANARY_LAYOUT: FunctionLayout = { entry: CANARY_SCRIPT_PATH, filesUnder: CANARY_FILES_UNDER };

export interface RegionCanaryArgs {
    /** The canary's name (model/canary.ts, `canaryNames`): 1-255 of a-z, 0-9, _ and -; refused otherwise. */
    readonly canaryName: string;
    /** The execution role's name. IAM is global: it must carry the region code (`canaryNames().role`). */
    readonly roleName: string;
    /** The alarm's name (`canaryNames().alarm`). */
    readonly alarmName: string;
    /** The stack's region: the canary runs here, and its log groups are named in it. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** The region's own ALB (AppTier's `albDnsName`): where the canary connects, whatever DNS answers. */
    readonly albDnsName: pulumi.Input<string>;
    /** The app's name (`dr:dnsName`): sent as SNI and Host, and what the ALB's certificate must be valid for. */
    readonly hostName: string;
    /** The path the canary GETs. Default HEALTH_CHECK_PATH (model/app.ts), the ALB's and Route 53's. */
    readonly healthPath?: string;
    /**
     * The region's log bucket (LogBucket's `bucketName`: SSE-S3, TLS only). The canary writes its artifacts
     * there through its role; the script's zip is uploaded there too. That bucket expires every object after
     * `dr:logRetentionDays`, the zip included: Synthetics keeps its own copy of the code (a Lambda layer), so the
     * canary keeps running, and a `pulumi refresh` then `up` puts the zip back. Pass another bucket here to avoid that.
     */
    readonly artifactBucketName: pulumi.Input<string>;
    /** Prefix of the artifacts and the code in that bucket. Default `synthetics` (CANARY_ARTIFACT_PREFIX). */
    readonly artifactPrefix?: string;
    /** Synthetics rate expression. Default `rate(5 minutes)` (CANARY_RATE, model/canary.ts says why). */
    readonly schedule?: string;
    /** The alarm's evaluation. Default CANARY_ALARM (model/canary.ts), whose period is one run of the default schedule. */
    readonly alarm?: {
        readonly period: number; readonly evaluationPeriods: number; readonly datapointsToAlarm: number;
        readonly treatMissingData: "breaching" | "missing" | "notBreaching" | "ignore";
    };
    /** Synthetics runtime. Default CANARY_RUNTIME_VERSION (model/canary.ts: a current one on Node.js 22). */
    readonly runtimeVersion?: string;
    /** What the alarm says, in its notifications. Default: the region's endpoint fails its canary. */
    readonly alarmDescription?: string;
    /** Told when the alarm fires and clears: the region's alarm topic and the forwarded ones. */
    readonly alarmActions?: pulumi.Input<string>[];
    /**
     * false: only the execution role and the code stand by, no canary and no alarm (a standby with nothing
     * running to probe). The role is IAM, whose control plane is in us-east-1: it exists before the day, so the
     * failover deploy that starts the canary creates none.
     */
    readonly running: boolean;
    /** The log group of the canary's Lambda function: encrypted with the region's key, kept `dr:logRetentionDays`. */
    readonly logs: FunctionLogs;
}

/**
 * A CloudWatch Synthetics canary in its stack's region that GETs that region's own endpoint over HTTPS, with
 * the app's name as SNI and Host, and an alarm on its SuccessPercent (model/canary.ts). The alarm is the
 * region's application-health signal: an ARC Region switch plan can take it, and it fires when the canary
 * fails or stops reporting. The canary runs in the region it watches, with no call to the other one.
 */
export class RegionCanary extends pulumi.ComponentResource {
    public readonly canaryName?: pulumi.Output<string>;
    public readonly alarmName?: pulumi.Output<string>;
    public readonly alarmArn?: pulumi.Output<string>;

    constructor(name: string, args: RegionCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:RegionCanary", name, {}, opts);
        const problem = canaryNameProblem(args.canaryName);
        if (problem) {
            throw new Error(`RegionCanary ${name}: ${problem}`);
        }
        const parent = { parent: this };
        const prefix = args.artifactPrefix ?? CANARY_ARTIFACT_PREFIX;

        const { role, policy } = this.executionRole(name, args, prefix);

        // The script (functions/healthCanary.ts, components/functionCode.ts) reaches the canary as a zip in S3,
        // built by Pulumi from its files (an AssetArchive is zipped on upload: pulumi-terraform-bridge assets.go,
        // TranslateArchive), so nothing is written to disk at deploy. The canary's own `zipFile` input takes a
        // path to a zip on disk instead. The code is the same in every region; what it calls is in runConfig.
        const files = functionFiles(CANARY_SCRIPT_FILE, CANARY_LAYOUT);
        const code = new s3.BucketObjectv2(`${name}-code`, {
            bucket: args.artifactBucketName,
            key: canaryCodeKey(prefix, args.canaryName, JSON.stringify(files)),
            source: filesArchive(files),
            contentType: "application/zip",
        }, parent);

        if (!args.running) {
            this.registerOutputs({});
            return;
        }
        const canary = new synthetics.Canary(`${name}-canary`, {
            name: args.canaryName,
            runtimeVersion: args.runtimeVersion ?? CANARY_RUNTIME_VERSION,
            handler: CANARY_HANDLER,
            s3Bucket: code.bucket,
            s3Key: code.key,
            executionRoleArn: role.arn,
            artifactS3Location: pulumi.output(args.artifactBucketName).apply((bucket) => canaryArtifactLocation(bucket, prefix)),
            // The bucket's default is SSE-S3 already; said here so the artifacts stay SSE-S3 if that changes.
            artifactConfig: { s3Encryption: { encryptionMode: "SSE_S3" } },
            schedule: { expression: args.schedule ?? CANARY_RATE },
            runConfig: {
                timeoutInSeconds: CANARY_TIMEOUT_SECONDS,
                activeTracing: false,
                environmentVariables: pulumi.output(args.albDnsName).apply((connectTo) =>
                    canaryEnvironment({ connectTo, hostName: args.hostName, path: args.healthPath ?? HEALTH_CHECK_PATH })),
            },
            startCanary: true,
            successRetentionPeriod: CANARY_SUCCESS_RETENTION_DAYS,
            failureRetentionPeriod: CANARY_FAILURE_RETENTION_DAYS,
            // Remove the canary's Lambda function and layers with it, rather than leaving them behind.
            deleteLambda: true,
            // The role must hold its policy before the first run, or that run fails on permissions.
        }, { parent: this, dependsOn: [policy] });

        // Synthetics names the canary's function cwsyn-<name>-<id>, an id known once the canary exists; the role may not
        // create a log group, so the function's first runs cannot make one unencrypted and kept forever before this
        // one stands (their log lines are lost: the run results stay in the artifacts). Kept when the canary goes: the
        // detector's log is the evidence of the day it fired.
        functionLogGroup(`${name}-logs`, canary.engineArn.apply(functionNameOfArn), args.logs, { parent: this, retainOnDelete: true });

        const actions = args.alarmActions === undefined ? {} : { alarmActions: args.alarmActions, okActions: args.alarmActions };
        const alarm = new cloudwatch.MetricAlarm(`${name}-alarm`, {
            name: args.alarmName,
            alarmDescription: args.alarmDescription ?? `The ${args.region} endpoint fails its canary (HTTPS GET of https://${args.hostName}` +
                `${args.healthPath ?? HEALTH_CHECK_PATH} through the region's own ALB), or the canary stopped reporting`,
            namespace: CANARY_NAMESPACE,
            metricName: CANARY_METRIC,
            dimensions: { CanaryName: canary.name },
            ...CANARY_ALARM,
            ...args.alarm,
            ...actions,
        }, parent);

        this.canaryName = canary.name;
        this.alarmName = alarm.name;
        this.alarmArn = alarm.arn;
        this.registerOutputs({ canaryName: this.canaryName, alarmName: this.alarmName, alarmArn: this.alarmArn });
    }

    /** The role the canary's function runs as, and what it may do (model/canary.ts, canaryExecutionPolicy). */
    private executionRole(name: string, args: RegionCanaryArgs, prefix: string): { role: iam.Role; policy: iam.RolePolicy } {
        const parent = { parent: this };
        const role = new iam.Role(`${name}-role`, {
            name: args.roleName,
            description: `Runs the ${args.canaryName} canary (CloudWatch Synthetics runs canaries as Lambda functions)`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com")),
        }, parent);
        const policy = new iam.RolePolicy(`${name}-policy`, {
            role: role.id,
            policy: pulumi.all([args.artifactBucketName, args.accountId]).apply(([bucketName, accountId]) => JSON.stringify(
                canaryExecutionPolicy({ bucketName, prefix, region: args.region, accountId, canaryName: args.canaryName }))),
        }, parent);
        return { role, policy };
    }
}
