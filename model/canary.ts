// The region's synthetic canary (components/canary.ts): what it calls, how often, how it fails, what it may
// touch and what it costs. Pure: no Pulumi, no AWS call (its script is functions/healthCanary.ts; what the
// script reads from its environment is here).
//
// Why a canary beside Route 53's health checks (docs/reference.md, "Synthetics": "CloudWatch Synthetics
// canaries run scripted checks on a schedule from a region and publish metrics that alarms can watch"):
// Route 53's checkers do not validate the certificate and answer only "healthy or not" to Route 53. The
// canary runs in the region it watches, calls that region's own ALB (not the shared DNS name, which may
// point at the other region), validates the certificate for the app's name, and publishes a metric an alarm
// in the same region can watch: the application-health signal an ARC Region switch plan takes.
import type { PolicyDocument } from "./policies/iamPolicy";
import { createHash } from "crypto";
import { HEALTH_CHECK_PATH, HTTPS_PORT } from "./app";
import { regionCode, regionNames } from "./naming";

/**
 * The Synthetics runtime. syn-nodejs-puppeteer-15.0 is "the most recent Synthetics runtime for Node.js and
 * Puppeteer" on Lambda's Node.js 22.x (CloudWatch User Guide, "Runtime versions using Node.js and Puppeteer",
 * 2026). The runtimes on Node.js 20 (puppeteer 8.0-11.0) follow Lambda's Node.js 20 end of life (April 2026),
 * and 7.0 and older were deprecated on January 22, 2026 ("Runtime versions support policy"). A deprecated
 * runtime keeps running but a canary cannot be created or updated on it, so moving on is a config change.
 */
export const CANARY_RUNTIME_VERSION = "syn-nodejs-puppeteer-15.0";

/**
 * The script's file and entry point. The handler must end with `.handler` (CreateCanary, Code.Handler); Node.js
 * canaries packaged in a zip put the file at nodejs/node_modules/<file>.js, which every Node.js runtime accepts
 * (11.0 and later also accept it at the zip's root: aws-cdk-lib aws-synthetics/lib/code.ts validates both).
 */
export const CANARY_SCRIPT_FILE = "healthCanary";
export const CANARY_HANDLER = `${CANARY_SCRIPT_FILE}.handler`;
export const CANARY_SCRIPT_PATH = `nodejs/node_modules/${CANARY_SCRIPT_FILE}.js`;
/**
 * Where the zip holds the project's files that the script requires (components/functionCode.ts), beside it.
 * Synthetics runs the zip as a Lambda layer, whose nodejs/node_modules merges with the runtime's own layer
 * under /opt: one folder named after the project keeps its functions/ and model/ clear of the runtime's modules.
 */
export const CANARY_FILES_UNDER = "nodejs/node_modules/multi-region-dr/";

/**
 * Every 5 minutes. The canary is the second opinion, not the fast path: Route 53's checks decide failover
 * in about 30 s (10 s x 3, docs/reference.md, "Route 53"). Five minutes keeps the alarm within about 10-15
 * minutes of an outage (2 failed runs of 3, below) at about $10.51 a month per region (model/cost.ts, canaryMonthlyCostUsd);
 * every minute would cost five times that for a signal a person acts on in minutes anyway.
 */
export const CANARY_RATE_MINUTES = 5;
export const CANARY_RATE = rateExpression(CANARY_RATE_MINUTES);

/** A Synthetics rate expression of whole minutes: rate(1 minute), rate(5 minutes) (CreateCanary, Schedule.Expression). */
export function rateExpression(minutes: number): string {
    return `rate(${minutes} minute${minutes === 1 ? "" : "s"})`;
}
/**
 * A run may take 60 s. The API's floor is advice of 15 s (Lambda cold start and the runtime's own start,
 * "Runtime versions using Node.js and Puppeteer") and its ceiling the run's frequency; the request itself
 * gives up after REQUEST_TIMEOUT_MS, so a hung ALB fails the run rather than timing it out.
 */
export const CANARY_TIMEOUT_SECONDS = 60;
export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Days Synthetics keeps its record of passed and failed runs (1-455, default 31: CreateCanary). Short: the
 * metric and its alarm are the record that matters; a failure is kept twice as long, to be looked at. The
 * artifacts in S3 (logs, HAR) follow the log bucket's own expiry.
 */
export const CANARY_SUCCESS_RETENTION_DAYS = 7;
export const CANARY_FAILURE_RETENTION_DAYS = 14;

/** Where in the region's log bucket the canary's artifacts land (its IAM policy is scoped to this prefix). */
export const CANARY_ARTIFACT_PREFIX = "synthetics";

/** The metric Synthetics publishes per canary (namespace CloudWatchSynthetics, dimension CanaryName). */
export const CANARY_NAMESPACE = "CloudWatchSynthetics";
export const CANARY_METRIC = "SuccessPercent";

/**
 * The canary's alarm. One run per 5-minute period, so each datapoint is 100 (passed) or 0 (failed); below
 * 90 means the period's run failed. Two failed periods of three alarm: one failure (a deploy, a blip) does
 * not page, a region that fails twice in 15 minutes does. Missing data is breaching: a canary that stopped
 * running (stopped, deleted, its role broken) tells nothing, which is as bad as failing.
 */
export const CANARY_ALARM = {
    statistic: "Average",
    period: CANARY_RATE_MINUTES * 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 90,
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "breaching",
} as const;

/** Synthetics' rule for a canary name: 1-255 characters of 0-9, a-z, _ and - (CreateCanary, Name; it was 21 before September 2024). */
export const CANARY_NAME_MAX = 255;
const CANARY_NAME_PATTERN = /^[0-9a-z_-]+$/;

/** Why a canary name is refused by Synthetics, or undefined when it is accepted. */
export function canaryNameProblem(name: string): string | undefined {
    if (name.length < 1 || name.length > CANARY_NAME_MAX) {
        return `canary name "${name}" has ${name.length} characters, not 1-${CANARY_NAME_MAX}`;
    }
    if (!CANARY_NAME_PATTERN.test(name)) {
        return `canary name "${name}" may hold only lowercase letters, digits, hyphens and underscores`;
    }
    return undefined;
}

export interface CanaryNames {
    /** `<app>-<code>-health`: the canary, and so its metric's CanaryName dimension. */
    readonly canary: string;
    /** Its IAM execution role (IAM is global: the region code keeps the two regions' roles apart). */
    readonly role: string;
    /** The alarm on its SuccessPercent. */
    readonly alarm: string;
}

/** The names of a region's canary; both stacks and the runbook derive them alike (model/naming.ts prefixes). */
export function canaryNames(appName: string, region: string): CanaryNames {
    const { prefix } = regionNames(appName, region);
    const names = { canary: `${prefix}-health`, role: `${prefix}-canary`, alarm: `${prefix}-canary-health` };
    const problem = canaryNameProblem(names.canary);
    if (problem) {
        throw new Error(problem);
    }
    return names;
}

/**
 * The detector's names (model/levers.ts): a canary of the dr region that watches the primary's endpoint. The
 * role is the dr region's (IAM names are global, the prefix's region code keeps them apart).
 */
export function detectorNames(appName: string, region: string, watched: string): CanaryNames {
    const { prefix } = regionNames(appName, region);
    const code = regionCode(watched);
    const names = { canary: `${prefix}-watch-${code}`, role: `${prefix}-detector`, alarm: `${prefix}-${code}-down` };
    const problem = canaryNameProblem(names.canary);
    if (problem) {
        throw new Error(problem);
    }
    return names;
}

/** What the detector's page says: the primary looks lost, and the commands that fail over, with either engine. */
export function detectorPage(p: { readonly watched: string; readonly region: string; readonly stack: string; readonly regionSwitch: boolean; readonly starts: boolean }): string {
    const runbook = `npm run failover -- --stack ${p.stack} --unplanned`;
    const engine = `npm run failover -- --stack ${p.stack} --engine region-switch --unplanned`;
    const what = `${p.watched} fails the dr region's detector (its canary on ${p.watched}'s own load balancer, every minute).`;
    return p.starts
        ? `${what} The Region switch plan's trigger starts the failover (dr:autoFailover auto): follow its execution in ${p.region}, ` +
            `then run pulumi config set dr:failover true -s ${p.stack} && pulumi up -s ${p.stack}`
        : `${what} If the region is lost, fail over: ${p.regionSwitch ? `${engine} (or the runbook: ${runbook})` : runbook}`;
}

export interface CanaryTarget {
    /** Where the canary connects: the region's ALB DNS name (its own endpoint, whatever DNS says). */
    readonly connectTo: string;
    /** The app's name (dr:dnsName): sent as SNI and Host, and what the certificate must be valid for. */
    readonly hostName: string;
    readonly path?: string;
    readonly port?: number;
    readonly timeoutMs?: number;
}

/**
 * The canary's environment (CreateCanary, RunConfig.EnvironmentVariables), which its script reads
 * (functions/healthCanary.ts): what it calls, every default written out, so the canary's configuration shows
 * all of it. The script itself is the same for every region and stack.
 */
export function canaryEnvironment(target: CanaryTarget): Record<string, string> {
    return {
        CONNECT_TO: target.connectTo,
        HOST_NAME: target.hostName,
        HEALTH_PATH: target.path ?? HEALTH_CHECK_PATH,
        PORT: String(target.port ?? HTTPS_PORT),
        TIMEOUT_MS: String(target.timeoutMs ?? REQUEST_TIMEOUT_MS),
    };
}

/** The canary's target, read back from its environment; a canary set up otherwise fails its run, naming why. */
export function canaryTargetOf(env: Readonly<Record<string, string | undefined>>): Required<CanaryTarget> {
    const port = Number(env.PORT);
    const timeoutMs = Number(env.TIMEOUT_MS);
    if (!env.CONNECT_TO || !env.HOST_NAME || !env.HEALTH_PATH?.startsWith("/") || !Number.isInteger(port) || port < 1 || port > 65_535
        || !Number.isInteger(timeoutMs) || timeoutMs < 1) {
        throw new Error("the canary needs CONNECT_TO, HOST_NAME, HEALTH_PATH (from /), PORT (1-65535) and TIMEOUT_MS (ms) in its " +
            `environment; it has ${["CONNECT_TO", "HOST_NAME", "HEALTH_PATH", "PORT", "TIMEOUT_MS"].map((k) => `${k}=${env[k]}`).join(" ")}`);
    }
    return { connectTo: env.CONNECT_TO, hostName: env.HOST_NAME, path: env.HEALTH_PATH, port, timeoutMs };
}

/**
 * The S3 key of the script's zip, named by the hash of its code (the zip's files as one text). The log bucket is
 * not versioned, so there is no S3 version to point the canary at: a new key is what makes changed code reach
 * the canary (a changed key is a change of the canary's code).
 */
export function canaryCodeKey(prefix: string, canaryName: string, code: string): string {
    const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
    return `${prefix}/code/${canaryName}-${hash}.zip`;
}

/** `s3://<bucket>/<prefix>/`: where Synthetics writes each run's artifacts (CreateCanary, ArtifactS3Location). */
export function canaryArtifactLocation(bucketName: string, prefix: string): string {
    return `s3://${bucketName}/${prefix}/`;
}

export interface CanaryPolicyScope {
    readonly bucketName: string;
    readonly prefix: string;
    readonly region: string;
    readonly accountId: string;
    readonly canaryName: string;
}



/**
 * What the canary's execution role may do ("Required roles and permissions for canaries", basic canary
 * without KMS or VPC): write and read its artifacts under its prefix only; find the bucket's region;
 * s3:ListAllMyBuckets, which CreateCanary lists among the role's required permissions (it reveals bucket
 * names, no contents); writing to its own Lambda's log group (Synthetics names the function cwsyn-<name>-<id>),
 * which the program creates (components/canary.ts): not creating one, which would be unencrypted and kept forever; and
 * metrics in the CloudWatchSynthetics namespace only. No X-Ray: active tracing is off.
 */
export function canaryExecutionPolicy(scope: CanaryPolicyScope): PolicyDocument {
    const bucketArn = `arn:aws:s3:::${scope.bucketName}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "WriteItsArtifacts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${bucketArn}/${scope.prefix}/*` },
            { Sid: "FindTheArtifactBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
            { Sid: "ListBucketsAsCreateCanaryRequires", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
            {
                Sid: "ItsLambdaLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:/aws/lambda/cwsyn-${scope.canaryName}-*`,
            },
            {
                Sid: "PublishSyntheticsMetricsOnly",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": CANARY_NAMESPACE } },
            },
        ],
    };
}
