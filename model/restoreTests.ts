// Monthly restore tests of the region's recovery points (components/restoreTests.ts): the schedule, what is
// restored and where, how a restore is judged, and how a failed or missing test is noticed. Pure: no Pulumi,
// no AWS call (the check function's code is data here; Lambda runs it).
//
// DR-REFERENCE.md, "Failover procedures": "Test cadence: ... restore test monthly". A backup that was never
// restored is a hope; AWS Backup restore testing restores one recovery point per protected resource on a
// schedule, keeps the restored resource for a validation window, then deletes it (AWS Backup Developer
// Guide, "Restore testing").
//
// How a failure, and a test that never ran, reach a person. An alarm cannot watch a monthly event directly:
// Period x EvaluationPeriods may not exceed 7 days, or 1 day for periods under an hour (CloudWatch
// PutMetricAlarm, Period). So the check function publishes a gauge it can watch instead:
//   - on each restore test job event (EventBridge "Restore Job State Change", filtered to this plan): a
//     COMPLETED job is validated (below) and its verdict posted with PutRestoreValidationResult; a FAILED or
//     ABORTED job, or a failed validation, adds 1 to RestoreTestFailures, whose alarm fires within the hour;
//   - every hour: HoursSinceValidatedRestoreTest per resource type, the age of the newest restore test that
//     completed and validated SUCCESSFUL (or of the plan, before its first). Its alarm fires past a month and
//     its slack, and when the metric stops (missing data breaching): a check that stopped checking is a
//     test nobody watches.
// Not chosen: AWS/Backup's NumberOfRestoreJobsFailed (dimension ResourceType) counts every restore job of a
// type in the region, not ABORTED ones, and never a failed validation; an alarm on
// NumberOfRestoreJobsCompleted cannot span a month; AWS Backup Audit Manager's restore-time control needs
// AWS Config recording in the region and judges duration, not a test's absence. SNS straight from EventBridge
// is not used either: the alarm topic is encrypted with the region's key, whose policy lets CloudWatch
// publish (model/keyPolicy.ts), not EventBridge.
import type { PolicyDocument } from "./iamPolicy";
import { regionNames } from "./naming";

/** The two stores whose recovery points reach the dr vault and are restore-tested (AWS Backup's type names). */
export const RESTORE_TEST_TYPES = { aurora: "Aurora", s3: "S3" } as const;
export type RestoreTestedStore = keyof typeof RESTORE_TEST_TYPES;

/**
 * Day and hour (UTC) of the monthly test: the 1st at 06:00, after the continuous rule's 05:00 maintenance
 * (components/backupPlan.ts) and on the day of the monthly DR preview (README, "The monthly check"), so a
 * month's checks land together. Days 29-31 are refused: they never come in February, and the test would skip it.
 */
export const RESTORE_TEST_DAY_OF_MONTH = 1;
export const RESTORE_TEST_HOUR_UTC = 6;

/** The AWS Backup cron expression of a monthly restore test (cron(minutes hours day-of-month month day-of-week year)). */
export function restoreTestSchedule(dayOfMonth: number = RESTORE_TEST_DAY_OF_MONTH, hourUtc: number = RESTORE_TEST_HOUR_UTC): string {
    if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 28) {
        throw new Error(`restore test day ${dayOfMonth} is not 1-28: a later day never comes in February`);
    }
    if (!Number.isInteger(hourUtc) || hourUtc < 0 || hourUtc > 23) {
        throw new Error(`restore test hour ${hourUtc} is not 0-23`);
    }
    return `cron(0 ${hourUtc} ${dayOfMonth} * ? *)`;
}

/** Hours after the scheduled time within which AWS Backup starts the restore jobs (1-168: "Restore testing quotas"). */
export const START_WINDOW_HOURS = 4;
/**
 * Hours a restored resource is kept for validation before AWS Backup deletes it (1-168). The check function
 * validates as the job completes; 4 hours leave room for Lambda's retries of a failed invocation, and keep a
 * restored cluster's storage for hours, not days.
 */
export const VALIDATION_WINDOW_HOURS = 4;
/**
 * Recovery points of the last 7 days are eligible, the newest chosen (LATEST_WITHIN_WINDOW): the test proves
 * the newest copy restores. A week with no copy at all leaves no eligible point, no job, and the overdue
 * alarm fires: copies that stopped arriving are noticed too.
 */
export const SELECTION_WINDOW_DAYS = 7;
export const RECOVERY_POINT_ALGORITHM = "LATEST_WITHIN_WINDOW";
/**
 * Snapshots only: the dr vault receives the primary's copies, which are snapshot recovery points; continuous
 * backups (PITR) stay in the primary region's vault (components/backupPlan.ts).
 */
export const RECOVERY_POINT_TYPES: readonly string[] = ["SNAPSHOT"];

/**
 * Restore time allowed for the largest store: "restore DB from the newest copied backup (1-4 h,
 * size-dependent)" (DR-REFERENCE.md, "Failover procedures"), the upper end.
 */
export const RESTORE_ALLOWANCE_HOURS = 4;
/** Slack beyond the longest month, the start window, the restore and its validation. */
export const OVERDUE_SLACK_HOURS = 24;

export interface RestoreTestWindows {
    readonly startWindowHours: number;
    readonly validationWindowHours: number;
}

/**
 * The age at which the newest validated restore test is overdue: the longest gap between two monthly runs
 * (31 days) plus the start window, the restore, the validation and a day's slack. 780 hours (32.5 days)
 * with the defaults: a month's test that did not happen, or did not pass, alarms within a day and a half.
 */
export function maxRestoreTestAgeHours(windows: RestoreTestWindows = { startWindowHours: START_WINDOW_HOURS, validationWindowHours: VALIDATION_WINDOW_HOURS }): number {
    return 31 * 24 + windows.startWindowHours + RESTORE_ALLOWANCE_HOURS + windows.validationWindowHours + OVERDUE_SLACK_HOURS;
}

/** How far back the check lists restore jobs: two months, more than the overdue age, so the newest good one is seen. */
export const RESTORE_CHECK_LOOKBACK_DAYS = 62;

/** The check function's metrics (a namespace of this program, as the traffic fence's: model/fence.ts). */
export const RESTORE_CHECK_NAMESPACE = "multi-region-dr/RestoreTests";
export const FAILURES_METRIC = "RestoreTestFailures";
export const AGE_METRIC = "HoursSinceValidatedRestoreTest";

/** The dimensions of both metrics: the plan and the resource type. */
export function restoreCheckDimensions(planName: string, resourceType: string): Record<string, string> {
    return { RestoreTestingPlan: planName, ResourceType: resourceType };
}

/** How often the check publishes the age: hourly, so each 6-hour alarm period holds several datapoints. */
export const RESTORE_CHECK_SCHEDULE = "rate(1 hour)";

/** A failed test or validation: any failure within the hour alarms; no failures is no data, which is fine. */
export const FAILED_ALARM = {
    statistic: "Sum",
    period: 3600,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
} as const;

/**
 * No validated restore within the overdue age, or no age published for 6 hours (missing data is breaching).
 * A 6-hour period is an hour or more, so its evaluation range may reach 7 days; 6 hours x 1 stays well inside.
 */
export function overdueAlarm(maxAgeHours: number = maxRestoreTestAgeHours()) {
    return {
        statistic: "Maximum",
        period: 6 * 3600,
        evaluationPeriods: 1,
        threshold: maxAgeHours,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
    } as const;
}

/** Why CloudWatch refuses an alarm's evaluation range (PutMetricAlarm, Period), or undefined when it accepts it. */
export function alarmEvaluationRangeProblem(periodSeconds: number, evaluationPeriods: number): string | undefined {
    const range = periodSeconds * evaluationPeriods;
    const limit = periodSeconds < 3600 ? 86_400 : 604_800;
    return range > limit
        ? `period ${periodSeconds} s x ${evaluationPeriods} = ${range} s exceeds CloudWatch's ${limit} s for ${periodSeconds < 3600 ? "periods under an hour" : "an alarm"}`
        : undefined;
}

/** A restore testing plan's name: 1-50 letters, digits and underscores ("Restore testing quotas", console rules). */
export function restoreTestingPlanNameProblem(name: string): string | undefined {
    if (name.length < 1 || name.length > 50) {
        return `restore testing plan name "${name}" has ${name.length} characters, not 1-50`;
    }
    return /^[A-Za-z0-9_]+$/.test(name) ? undefined : `restore testing plan name "${name}" may hold only letters, digits and underscores`;
}

export interface RestoreTestNames {
    /** `<app>_<code>_restore_tests`: plan names take no hyphens. */
    readonly plan: string;
    /** The role AWS Backup restores as (IAM is global: the region code keeps the two regions' roles apart). */
    readonly restoreRole: string;
    /** The check function, its role and its log group `/aws/lambda/<name>`. */
    readonly checkFunction: string;
    /** The DB subnet group and the security group a restored test cluster is placed in. */
    readonly subnetGroup: string;
    readonly securityGroup: string;
    /** Prefix of the alarms: `<prefix>-<store>-failed`, `<prefix>-<store>-overdue`. */
    readonly alarmPrefix: string;
}

export function restoreTestNames(appName: string, region: string): RestoreTestNames {
    const { prefix } = regionNames(appName, region);
    const names = {
        plan: `${prefix.replace(/-/g, "_")}_restore_tests`,
        restoreRole: `${prefix}-restore-tests`,
        checkFunction: `${prefix}-restore-check`,
        subnetGroup: `${prefix}-restore-test`,
        securityGroup: `${prefix}-restore-test`,
        alarmPrefix: `${prefix}-restore-test`,
    };
    const problem = restoreTestingPlanNameProblem(names.plan);
    if (problem) {
        throw new Error(problem);
    }
    return names;
}

export interface AuroraPlacement {
    /** The DB subnet group of the region's private subnets the restored cluster goes in. */
    readonly subnetGroupName: string;
    /** Security groups of the restored cluster: one with no rules, so nothing can reach a test copy of the data. */
    readonly securityGroupIds: readonly string[];
}

/**
 * Restore metadata overrides for an Aurora test: where the restored cluster goes. Without them AWS Backup
 * infers the default VPC, which the account may not have ("Restore testing failure troubleshooting": override
 * DBSubnetGroupName). Keys are case-insensitive; list values go as a JSON list in a string, as restore
 * metadata carries them (check a first job's metadata with get-restore-job-metadata).
 */
export function auroraRestoreOverrides(placement: AuroraPlacement): Record<string, string> {
    return {
        DBSubnetGroupName: placement.subnetGroupName,
        VpcSecurityGroupIds: JSON.stringify(placement.securityGroupIds),
    };
}

/** The EventBridge pattern of this plan's restore test jobs reaching an end ("Restore testing validation"). */
export function restoreJobEventPattern(planArn: string): Record<string, unknown> {
    return {
        source: ["aws.backup"],
        "detail-type": ["Restore Job State Change"],
        detail: { restoreTestingPlanArn: [planArn], status: ["COMPLETED", "FAILED", "ABORTED"] },
    };
}

/** The check function: Node.js 22 on Lambda, whose runtime carries the AWS SDK for JavaScript v3. */
export const RESTORE_CHECK_RUNTIME = "nodejs22.x";
export const RESTORE_CHECK_HANDLER = "index.handler";
export const RESTORE_CHECK_FILE = "index.js";
export const RESTORE_CHECK_TIMEOUT_SECONDS = 60;
/** Days its log group keeps the verdicts (a month's test and the next). */
export const RESTORE_CHECK_LOG_RETENTION_DAYS = 60;

/**
 * The check function's code. Its configuration is baked in; the plan's name and ARN come from its environment
 * (PLAN_NAME, PLAN_ARN), known only once the plan exists. Validation, per type:
 *   - Aurora: the restored cluster is `available` and encrypted (AWS Backup restores the cluster without
 *     instances: "Restoring an Amazon Aurora cluster", so no query is possible without adding one);
 *   - S3: the restored bucket can be listed, and holds objects where the restore restored bytes.
 * A clear verdict is posted once (a validation status cannot be changed: "Restore testing validation"); an
 * error that may be passing (throttling, a network reset) is thrown instead, so Lambda retries and, failing
 * that, the job stays unvalidated and the overdue alarm has it.
 */
export function restoreCheckCode(resourceTypes: readonly string[]): string {
    const config = {
        namespace: RESTORE_CHECK_NAMESPACE,
        failuresMetric: FAILURES_METRIC,
        ageMetric: AGE_METRIC,
        resourceTypes,
        lookbackDays: RESTORE_CHECK_LOOKBACK_DAYS,
    };
    return `"use strict";
// The restore test check (multi-region-dr, model/restoreTests.ts): validates restore test jobs, publishes ages.
const backup = require("@aws-sdk/client-backup");
const rds = require("@aws-sdk/client-rds");
const s3 = require("@aws-sdk/client-s3");
const cloudwatch = require("@aws-sdk/client-cloudwatch");

const CONFIG = ${JSON.stringify(config)};
const HOUR_MS = 3600 * 1000;
const clients = {};
const backupClient = () => clients.backup || (clients.backup = new backup.BackupClient({}));
const rdsClient = () => clients.rds || (clients.rds = new rds.RDSClient({}));
const s3Client = () => clients.s3 || (clients.s3 = new s3.S3Client({}));
const cloudwatchClient = () => clients.cloudwatch || (clients.cloudwatch = new cloudwatch.CloudWatchClient({}));

function dimensions(resourceType) {
    return [{ Name: "RestoreTestingPlan", Value: process.env.PLAN_NAME }, { Name: "ResourceType", Value: resourceType }];
}

async function putMetrics(data) {
    await cloudwatchClient().send(new cloudwatch.PutMetricDataCommand({ Namespace: CONFIG.namespace, MetricData: data }));
}

function failure(resourceType) {
    return { MetricName: CONFIG.failuresMetric, Dimensions: dimensions(resourceType), Value: 1, Unit: "Count" };
}

async function validateAurora(arn) {
    let cluster;
    try {
        const out = await rdsClient().send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: arn }));
        cluster = (out.DBClusters || [])[0];
    } catch (err) {
        if (err && err.name === "DBClusterNotFoundFault") {
            return { status: "FAILED", message: "restored cluster " + arn + " not found" };
        }
        throw err;
    }
    if (!cluster) {
        return { status: "FAILED", message: "restored cluster " + arn + " not found" };
    }
    if (cluster.Status !== "available") {
        return { status: "FAILED", message: "restored cluster is " + cluster.Status + ", not available" };
    }
    if (!cluster.StorageEncrypted) {
        return { status: "FAILED", message: "restored cluster is not encrypted" };
    }
    return { status: "SUCCESSFUL", message: "restored cluster available and encrypted (" + cluster.Engine + " " + cluster.EngineVersion + ")" };
}

async function validateS3(arn, restoreJobId) {
    const bucket = arn.replace(/^arn:aws[a-z-]*:s3:::/, "");
    const job = await backupClient().send(new backup.DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
    const bytes = job.BackupSizeInBytes || 0;
    let listed;
    try {
        listed = await s3Client().send(new s3.ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    } catch (err) {
        if (err && err.name === "NoSuchBucket") {
            return { status: "FAILED", message: "restored bucket " + bucket + " does not exist" };
        }
        throw err;
    }
    if (bytes > 0 && !(listed.KeyCount > 0)) {
        return { status: "FAILED", message: "restored bucket " + bucket + " is empty, though the restore reports " + bytes + " bytes" };
    }
    return { status: "SUCCESSFUL", message: "restored bucket " + bucket + " can be listed (" + bytes + " bytes restored)" };
}

async function validate(detail) {
    if (detail.resourceType === "Aurora") return validateAurora(detail.createdResourceArn);
    if (detail.resourceType === "S3") return validateS3(detail.createdResourceArn, detail.restoreJobId);
    return undefined;
}

async function onRestoreJob(detail) {
    if (detail.restoreTestingPlanArn !== process.env.PLAN_ARN) {
        return { ignored: "not this plan's job" };
    }
    if (detail.status === "FAILED" || detail.status === "ABORTED") {
        await putMetrics([failure(detail.resourceType)]);
        console.log("restore test job " + detail.restoreJobId + " (" + detail.resourceType + ") " + detail.status);
        return { status: detail.status };
    }
    if (detail.status !== "COMPLETED") {
        return { ignored: "status " + detail.status };
    }
    const verdict = await validate(detail);
    if (!verdict) {
        return { ignored: "no validation for " + detail.resourceType };
    }
    await backupClient().send(new backup.PutRestoreValidationResultCommand({
        RestoreJobId: detail.restoreJobId,
        ValidationStatus: verdict.status,
        ValidationStatusMessage: verdict.message.slice(0, 1000),
    }));
    if (verdict.status !== "SUCCESSFUL") {
        await putMetrics([failure(detail.resourceType)]);
    }
    console.log("restore test job " + detail.restoreJobId + " (" + detail.resourceType + ") " + verdict.status + ": " + verdict.message);
    return verdict;
}

function hoursSinceValidated(jobs, resourceType, since, now) {
    let newest = new Date(since);
    for (const job of jobs) {
        if (job.ResourceType === resourceType && job.Status === "COMPLETED" && job.ValidationStatus === "SUCCESSFUL") {
            const at = new Date(job.CompletionDate || job.CreationDate);
            if (at > newest) newest = at;
        }
    }
    return Math.max(0, Math.round(((now - newest) / HOUR_MS) * 10) / 10);
}

async function publishAges(now) {
    const plan = await backupClient().send(new backup.GetRestoreTestingPlanCommand({ RestoreTestingPlanName: process.env.PLAN_NAME }));
    const created = plan.RestoreTestingPlan.CreationTime;
    const jobs = [];
    let token;
    do {
        const page = await backupClient().send(new backup.ListRestoreJobsCommand({
            ByRestoreTestingPlanArn: process.env.PLAN_ARN,
            ByStatus: "COMPLETED",
            ByCreatedAfter: new Date(now.getTime() - CONFIG.lookbackDays * 24 * HOUR_MS),
            NextToken: token,
        }));
        jobs.push(...(page.RestoreJobs || []));
        token = page.NextToken;
    } while (token);
    const ages = CONFIG.resourceTypes.map((type) => ({ type, hours: hoursSinceValidated(jobs, type, created, now) }));
    await putMetrics(ages.map((a) => ({ MetricName: CONFIG.ageMetric, Dimensions: dimensions(a.type), Value: a.hours, Unit: "None", Timestamp: now })));
    console.log("hours since a validated restore test: " + ages.map((a) => a.type + " " + a.hours).join(", "));
    return ages;
}

exports.hoursSinceValidated = hoursSinceValidated;
exports.handler = async (event) => {
    if (event && event.source === "aws.backup" && event["detail-type"] === "Restore Job State Change") {
        return onRestoreJob(event.detail || {});
    }
    return publishAges(new Date());
};
`;
}

export interface RestoreCheckScope {
    readonly region: string;
    readonly accountId: string;
    readonly functionName: string;
}



/**
 * What the check function may do: read restore jobs and its plan and post validation results (restore jobs
 * have no ARN known ahead, so these take `*`); describe and list only what restore tests create, whose names
 * start with `awsbackup-restore-test-` ("Restore testing inferred metadata"; "Restore testing failure
 * troubleshooting"); publish its own namespace's metrics; write its own log group, which the component creates.
 */
export function restoreCheckPolicy(scope: RestoreCheckScope): PolicyDocument {
    const { region, accountId, functionName } = scope;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadRestoreTestsAndPostVerdicts",
                Effect: "Allow",
                Action: ["backup:ListRestoreJobs", "backup:DescribeRestoreJob", "backup:GetRestoreTestingPlan", "backup:PutRestoreValidationResult"],
                Resource: "*",
            },
            {
                Sid: "DescribeRestoredTestClusters",
                Effect: "Allow",
                Action: "rds:DescribeDBClusters",
                Resource: `arn:aws:rds:${region}:${accountId}:cluster:awsbackup-restore-test-*`,
            },
            { Sid: "ListRestoredTestBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::awsbackup-restore-test-*" },
            {
                Sid: "PublishRestoreTestMetricsOnly",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": RESTORE_CHECK_NAMESPACE } },
            },
            {
                Sid: "WriteItsLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${functionName}:*`,
            },
        ],
    };
}
