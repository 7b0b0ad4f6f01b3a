// The restore test check (components/restoreTests.ts; model/restoreTests.ts says why it exists and what it
// validates). Two triggers:
//   - a restore test job of its plan ended (EventBridge "Restore Job State Change"): a COMPLETED job is
//     validated and the verdict posted; a FAILED or ABORTED job, or a failed validation, counts a failure;
//   - hourly: per resource type, the hours since the newest restore test that completed and validated.
// The plan and the types it watches are in its environment; the AWS SDK v3 is the Lambda runtime's.
import {
    BackupClient, DescribeRestoreJobCommand, GetRestoreTestingPlanCommand, ListRestoreJobsCommand, PutRestoreValidationResultCommand,
} from "@aws-sdk/client-backup";
import type { RestoreJobsListMember } from "@aws-sdk/client-backup";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { DescribeDBClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
    AGE_METRIC, FAILURES_METRIC, RESTORE_CHECK_LOOKBACK_DAYS, RESTORE_CHECK_NAMESPACE, restoreCheckDimensions, restoreCheckSettingsOf,
} from "../model/restoreTests";
import type { RestoreCheckSettings } from "../model/restoreTests";

const HOUR_MS = 3600 * 1000;

// Made on first use and kept for the next invocations (Lambda reuses the process); loading the module makes
// no client, and an invocation makes only those it needs.
let backup: BackupClient | undefined;
let rds: RDSClient | undefined;
let s3: S3Client | undefined;
let cloudwatch: CloudWatchClient | undefined;
const backupClient = () => (backup ??= new BackupClient({}));
const rdsClient = () => (rds ??= new RDSClient({}));
const s3Client = () => (s3 ??= new S3Client({}));
const cloudwatchClient = () => (cloudwatch ??= new CloudWatchClient({}));

/** The detail of a "Restore Job State Change" event, the fields the check reads. */
interface RestoreJobDetail {
    readonly restoreTestingPlanArn?: string;
    readonly restoreJobId?: string;
    readonly status?: string;
    readonly resourceType?: string;
    readonly createdResourceArn?: string;
}

interface CheckEvent {
    readonly source?: string;
    readonly "detail-type"?: string;
    readonly detail?: RestoreJobDetail;
}

interface Verdict {
    readonly status: "SUCCESSFUL" | "FAILED";
    readonly message: string;
}

/** The same dimensions as the alarms' (model/restoreTests.ts), in the list form PutMetricData takes. */
function dimensions(settings: RestoreCheckSettings, resourceType: string) {
    return Object.entries(restoreCheckDimensions(settings.planName, resourceType)).map(([Name, Value]) => ({ Name, Value }));
}

async function putMetrics(data: MetricDatum[]): Promise<void> {
    await cloudwatchClient().send(new PutMetricDataCommand({ Namespace: RESTORE_CHECK_NAMESPACE, MetricData: data }));
}

function failure(settings: RestoreCheckSettings, resourceType: string): MetricDatum {
    return { MetricName: FAILURES_METRIC, Dimensions: dimensions(settings, resourceType), Value: 1, Unit: "Count" };
}

async function validateAurora(arn: string): Promise<Verdict> {
    let cluster;
    try {
        cluster = (await rdsClient().send(new DescribeDBClustersCommand({ DBClusterIdentifier: arn }))).DBClusters?.[0];
    } catch (err) {
        // Gone is a verdict; anything else may pass (throttling, a reset), so it is thrown and Lambda retries.
        if ((err as { name?: string } | undefined)?.name === "DBClusterNotFoundFault") {
            return { status: "FAILED", message: `restored cluster ${arn} not found` };
        }
        throw err;
    }
    if (!cluster) {
        return { status: "FAILED", message: `restored cluster ${arn} not found` };
    }
    if (cluster.Status !== "available") {
        return { status: "FAILED", message: `restored cluster is ${cluster.Status}, not available` };
    }
    if (!cluster.StorageEncrypted) {
        return { status: "FAILED", message: "restored cluster is not encrypted" };
    }
    return { status: "SUCCESSFUL", message: `restored cluster available and encrypted (${cluster.Engine} ${cluster.EngineVersion})` };
}

async function validateS3(arn: string, restoreJobId: string): Promise<Verdict> {
    const bucket = arn.replace(/^arn:aws[a-z-]*:s3:::/, "");
    const job = await backupClient().send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
    const bytes = job.BackupSizeInBytes ?? 0;
    let listed;
    try {
        listed = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    } catch (err) {
        if ((err as { name?: string } | undefined)?.name === "NoSuchBucket") {
            return { status: "FAILED", message: `restored bucket ${bucket} does not exist` };
        }
        throw err;
    }
    // An empty recovery point restores an empty bucket: only bytes restored into nothing is a failure.
    if (bytes > 0 && !((listed.KeyCount ?? 0) > 0)) {
        return { status: "FAILED", message: `restored bucket ${bucket} is empty, though the restore reports ${bytes} bytes` };
    }
    return { status: "SUCCESSFUL", message: `restored bucket ${bucket} can be listed (${bytes} bytes restored)` };
}

async function validate(detail: RestoreJobDetail): Promise<Verdict | undefined> {
    if (detail.resourceType === "Aurora") {
        return validateAurora(detail.createdResourceArn ?? "");
    }
    if (detail.resourceType === "S3") {
        return validateS3(detail.createdResourceArn ?? "", detail.restoreJobId ?? "");
    }
    return undefined;
}

async function onRestoreJob(settings: RestoreCheckSettings, detail: RestoreJobDetail): Promise<Verdict | { status: string } | { ignored: string }> {
    if (detail.restoreTestingPlanArn !== settings.planArn) {
        return { ignored: "not this plan's job" };
    }
    const resourceType = detail.resourceType ?? "";
    if (detail.status === "FAILED" || detail.status === "ABORTED") {
        await putMetrics([failure(settings, resourceType)]);
        console.log(`restore test job ${detail.restoreJobId} (${resourceType}) ${detail.status}`);
        return { status: detail.status };
    }
    if (detail.status !== "COMPLETED") {
        return { ignored: `status ${detail.status}` };
    }
    const verdict = await validate(detail);
    if (!verdict) {
        return { ignored: `no validation for ${resourceType}` };
    }
    // Posted once: a validation status cannot be changed afterwards.
    await backupClient().send(new PutRestoreValidationResultCommand({
        RestoreJobId: detail.restoreJobId ?? "",
        ValidationStatus: verdict.status,
        ValidationStatusMessage: verdict.message.slice(0, 1000),
    }));
    if (verdict.status !== "SUCCESSFUL") {
        await putMetrics([failure(settings, resourceType)]);
    }
    console.log(`restore test job ${detail.restoreJobId} (${resourceType}) ${verdict.status}: ${verdict.message}`);
    return verdict;
}

/** Hours (one decimal) from the newest validated test of a type, or from `since` (the plan's creation) before any. */
export function hoursSinceValidated(jobs: readonly RestoreJobsListMember[], resourceType: string, since: Date, now: Date): number {
    let newest = new Date(since);
    for (const job of jobs) {
        const at = job.CompletionDate ?? job.CreationDate;
        if (job.ResourceType === resourceType && job.Status === "COMPLETED" && job.ValidationStatus === "SUCCESSFUL" && at !== undefined
            && new Date(at) > newest) {
            newest = new Date(at);
        }
    }
    return Math.max(0, Math.round(((now.getTime() - newest.getTime()) / HOUR_MS) * 10) / 10);
}

async function publishAges(settings: RestoreCheckSettings, now: Date): Promise<{ type: string; hours: number }[]> {
    const plan = await backupClient().send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: settings.planName }));
    const created = plan.RestoreTestingPlan?.CreationTime;
    if (created === undefined) {
        throw new Error(`restore testing plan ${settings.planName} has no creation time`);
    }
    const jobs: RestoreJobsListMember[] = [];
    let token: string | undefined;
    do {
        const page = await backupClient().send(new ListRestoreJobsCommand({
            ByRestoreTestingPlanArn: settings.planArn,
            ByStatus: "COMPLETED",
            ByCreatedAfter: new Date(now.getTime() - RESTORE_CHECK_LOOKBACK_DAYS * 24 * HOUR_MS),
            NextToken: token,
        }));
        jobs.push(...(page.RestoreJobs ?? []));
        token = page.NextToken;
    } while (token);
    const ages = settings.resourceTypes.map((type) => ({ type, hours: hoursSinceValidated(jobs, type, created, now) }));
    await putMetrics(ages.map((a) => ({ MetricName: AGE_METRIC, Dimensions: dimensions(settings, a.type), Value: a.hours, Unit: "None", Timestamp: now })));
    console.log(`hours since a validated restore test: ${ages.map((a) => `${a.type} ${a.hours}`).join(", ")}`);
    return ages;
}

export async function handler(event: CheckEvent | undefined) {
    const settings = restoreCheckSettingsOf(process.env);
    if (event?.source === "aws.backup" && event["detail-type"] === "Restore Job State Change") {
        return onRestoreJob(settings, event.detail ?? {});
    }
    return publishAges(settings, new Date());
}
