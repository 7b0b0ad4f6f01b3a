// Monthly restore tests of the region's recovery points (components/restoreTests.ts): the schedule, what is
// restored and where, how a restore is judged, and how a failed or missing test is noticed. Pure: no Pulumi,
// no AWS call (the check function's code is functions/restoreCheck.ts; what it reads from its environment is here).
//
// docs/reference.md, "Recovery steps (rule of thumb)": "Test cadence: ... restore test monthly". A backup that was never
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
import { LAMBDA_RUNTIME } from "./reference";
import { lambdaLogGroupName } from "./logGroups";
import type { PolicyDocument } from "./policies/iamPolicy";
import { regionNames } from "./naming";

/** The two stores whose recovery points reach the dr vault and are restore-tested (AWS Backup's type names). */
export const RESTORE_TEST_TYPES = { aurora: "Aurora", s3: "S3" } as const;
export type RestoreTestedStore = keyof typeof RESTORE_TEST_TYPES;

/**
 * Day and hour (UTC) of the monthly test: the 1st at 06:00, after the continuous rule's 05:00 maintenance
 * (components/backupPlan.ts) and on the day of the monthly DR preview (docs/runbook.md, "The monthly check"), so a
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
 * size-dependent)" (docs/reference.md, "Recovery steps (rule of thumb)"), the upper end.
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

/** The check function's runtime: the program's one Lambda runtime (model/reference.ts), which carries the AWS SDK v3. */
export const RESTORE_CHECK_RUNTIME = LAMBDA_RUNTIME;
export const RESTORE_CHECK_TIMEOUT_SECONDS = 60;
/**
 * The fewest days its log group keeps the verdicts (a month's test and the next), whatever a shorter
 * `dr:logRetentionDays` says: the log of the last test must outlive the next one.
 */
export const RESTORE_CHECK_LOG_RETENTION_DAYS = 60;

/** The check function's log retention: `dr:logRetentionDays`, and never less than a month's test and the next. */
export function restoreCheckLogRetentionDays(logRetentionDays: number): number {
    return Math.max(logRetentionDays, RESTORE_CHECK_LOG_RETENTION_DAYS);
}

/**
 * What the check function validates (functions/restoreCheck.ts), per type:
 *   - Aurora: the restored cluster is `available` and encrypted (AWS Backup restores the cluster without
 *     instances: "Restoring an Amazon Aurora cluster", so no query is possible without adding one);
 *   - S3: the restored bucket can be listed, and holds objects where the restore restored bytes.
 * A clear verdict is posted once (a validation status cannot be changed: "Restore testing validation"); an
 * error that may be passing (throttling, a network reset) is thrown instead, so Lambda retries and, failing
 * that, the job stays unvalidated and the overdue alarm has it.
 *
 * Its environment: the plan's name and ARN, known only once the plan exists, and the resource types it watches.
 */
export function restoreCheckEnvironment<T>(planName: T, planArn: T, resourceTypes: readonly string[]): Record<string, T | string> {
    return { PLAN_NAME: planName, PLAN_ARN: planArn, RESOURCE_TYPES: resourceTypes.join(",") };
}

export interface RestoreCheckSettings {
    readonly planName: string;
    readonly planArn: string;
    readonly resourceTypes: readonly string[];
}

/** The check's settings, read back from its environment; a function set up otherwise fails, naming why. */
export function restoreCheckSettingsOf(env: Readonly<Record<string, string | undefined>>): RestoreCheckSettings {
    const resourceTypes = (env.RESOURCE_TYPES ?? "").split(",").filter((t) => t !== "");
    if (!env.PLAN_NAME || !env.PLAN_ARN || resourceTypes.length === 0) {
        throw new Error("the restore check needs PLAN_NAME, PLAN_ARN and RESOURCE_TYPES (comma-separated) in its environment; " +
            `it has PLAN_NAME=${env.PLAN_NAME} PLAN_ARN=${env.PLAN_ARN} RESOURCE_TYPES=${env.RESOURCE_TYPES}`);
    }
    return { planName: env.PLAN_NAME, planArn: env.PLAN_ARN, resourceTypes };
}

export interface RestoreCheckScope {
    readonly region: string;
    readonly accountId: string;
    readonly functionName: string;
    /** The restore testing plan it checks: the one plan it may read. */
    readonly planArn: string;
}



/**
 * What the check function may do: read restore jobs and post validation results (restore jobs have no ARN
 * known ahead, so these take `*`); read its own restore testing plan only; describe and list only what restore tests create, whose names
 * start with `awsbackup-restore-test-` ("Restore testing inferred metadata"; "Restore testing failure
 * troubleshooting"); publish its own namespace's metrics; write its own log group, which the component creates.
 */
export function restoreCheckPolicy(scope: RestoreCheckScope): PolicyDocument {
    const { region, accountId, functionName, planArn } = scope;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadRestoreTestsAndPostVerdicts",
                Effect: "Allow",
                Action: ["backup:ListRestoreJobs", "backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"],
                Resource: "*",
            },
            { Sid: "ReadItsPlan", Effect: "Allow", Action: "backup:GetRestoreTestingPlan", Resource: planArn },
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
                Resource: `arn:aws:logs:${region}:${accountId}:log-group:${lambdaLogGroupName(functionName)}:*`,
            },
        ],
    };
}
