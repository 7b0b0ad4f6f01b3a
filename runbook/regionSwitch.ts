// A small signed client of ARC Region switch's regional data plane: no Region switch client is published
// on the npm registry, so the documented JSON protocol is spoken here, signed with SigV4.
//
// Sources (botocore, botocore/data/arc-region-switch/2022-07-26/, as of the model of 2026-07-22):
//   - service-2.json "metadata": jsonVersion 1.0, targetPrefix "ArcRegionSwitch", signingName
//     "arc-region-switch", protocols ["smithy-rpc-v2-cbor", "json"]: the service speaks awsJson1_0 as well
//     as CBOR, and this client speaks awsJson1_0 (POST /, Content-Type application/x-amz-json-1.0,
//     X-Amz-Target ArcRegionSwitch.<Operation>). Timestamps are epoch seconds (the JSON protocols' default).
//   - endpoint-rule-set-1.json: an operation with the static context parameter UseControlPlaneEndpoint
//     (CreatePlan, UpdatePlan, DeletePlan, GetPlan, ListPlans, ListRoute53HealthChecks, the tag
//     operations) goes to https://arc-region-switch-control-plane.<implicitGlobalRegion>.<dualStackDnsSuffix>,
//     which is us-east-1 for the aws partition (partitions.json). Every other operation goes to the region's
//     own data plane, https://arc-region-switch.<region>.<dualStackDnsSuffix> (api.aws), signed for that
//     region; a custom endpoint (SDK::Endpoint) replaces the URL and keeps the signing region.
// The failover may call only the recovering region's regional APIs (docs/deploying.md, "The recovery path"), so this
// client knows data-plane operations only: a control-plane operation cannot be sent through it.
import * as http from "http";
import * as https from "https";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { AwsCallError, AwsTarget, CONNECT_TIMEOUT_MS, MAX_ATTEMPTS, REQUEST_TIMEOUT_MS } from "./aws";

/** Protocol facts, from botocore's service-2.json "metadata". */
export const REGION_SWITCH_PROTOCOL = {
    signingName: "arc-region-switch",
    targetPrefix: "ArcRegionSwitch",
    contentType: "application/x-amz-json-1.0",
} as const;

/** The operations served by each region's data plane (no UseControlPlaneEndpoint in service-2.json) that the runbook uses. */
export const DATA_PLANE_OPERATIONS = [
    "ListPlansInRegion", "GetPlanInRegion", "StartPlanExecution", "GetPlanExecution", "ListPlanExecutionEvents", "ListPlanExecutions",
] as const;
export type DataPlaneOperation = (typeof DATA_PLANE_OPERATIONS)[number];

/** Operations routed to the control plane in us-east-1 (endpoint-rule-set-1.json): never sent from here. */
export const CONTROL_PLANE_OPERATIONS = [
    "CreatePlan", "UpdatePlan", "DeletePlan", "GetPlan", "ListPlans", "ListRoute53HealthChecks", "ListTagsForResource", "TagResource", "UntagResource",
] as const;

/** A region's data-plane URL, as endpoint-rule-set-1.json builds it (FIPS off). */
export function dataPlaneEndpoint(region: string): string {
    // partitions.json: dualStackDnsSuffix of aws and aws-us-gov is api.aws; of aws-cn, api.amazonwebservices.com.cn.
    const suffix = region.startsWith("cn-") ? "api.amazonwebservices.com.cn" : "api.aws";
    return `https://arc-region-switch.${region}.${suffix}`;
}

// The shapes this client reads and writes (service-2.json), as far as the runbook uses them.
export type RecoveryApproach = "activeActive" | "activePassive";
export type ExecutionAction = "activate" | "deactivate" | "postRecovery";
export type ExecutionMode = "graceful" | "ungraceful";
export type ExecutionState = "inProgress" | "pausedByFailedStep" | "pausedByOperator" | "completed" | "completedWithExceptions"
    | "canceled" | "planExecutionTimedOut" | "pendingManualApproval" | "failed" | "pending" | "completedMonitoringApplicationHealth";
/** Region switch's own status of a step in an execution (service-2.json StepStatus); the engine maps it to the runbook's StepStatus. */
export type ExecutionStepStatus = "notStarted" | "running" | "failed" | "completed" | "canceled" | "skipped" | "pendingApproval";

/** Timestamps arrive as epoch seconds (awsJson1_0); an ISO string is read too. */
export type Timestamp = number | string;

export interface AbbreviatedPlan {
    readonly arn: string;
    readonly owner: string;
    readonly name: string;
    readonly regions: readonly string[];
    readonly recoveryApproach: RecoveryApproach;
    readonly primaryRegion?: string;
    readonly activePlanExecution?: string;
}

export interface PlanStep {
    readonly name: string;
    readonly description?: string;
    readonly executionBlockType: string;
    /** A union: one member set, each with an optional timeoutMinutes (parallelConfig has steps). */
    readonly executionBlockConfiguration?: Record<string, { timeoutMinutes?: number; steps?: PlanStep[]; approvalRole?: string } | undefined>;
}

export interface Workflow {
    readonly workflowTargetAction: ExecutionAction;
    readonly workflowTargetRegion?: string;
    readonly workflowDescription?: string;
    readonly steps?: readonly PlanStep[];
}

export interface Plan {
    readonly arn: string;
    readonly name: string;
    readonly regions: readonly string[];
    readonly recoveryApproach: RecoveryApproach;
    readonly primaryRegion?: string;
    readonly workflows: readonly Workflow[];
    readonly recoveryTimeObjectiveMinutes?: number;
    readonly version?: string;
}

export interface StepState {
    readonly name?: string;
    readonly status?: ExecutionStepStatus;
    readonly startTime?: Timestamp;
    readonly endTime?: Timestamp;
    readonly stepMode?: ExecutionMode;
}

export interface PlanExecution {
    readonly planArn: string;
    readonly executionId: string;
    readonly startTime: Timestamp;
    readonly endTime?: Timestamp;
    readonly mode: ExecutionMode;
    readonly executionState: ExecutionState;
    readonly executionAction: ExecutionAction;
    readonly executionRegion: string;
    readonly stepStates?: readonly StepState[];
    readonly plan?: Plan;
    readonly actualRecoveryTime?: string;
}

export interface ExecutionEvent {
    readonly eventId: string;
    readonly timestamp?: Timestamp;
    readonly type?: string;
    readonly stepName?: string;
    readonly executionBlockType?: string;
    readonly error?: string;
    readonly description?: string;
}

export interface StartPlanExecutionInput {
    readonly planArn: string;
    readonly targetRegion: string;
    readonly action: ExecutionAction;
    readonly mode: ExecutionMode;
    readonly comment?: string;
    /** Same token, same parameters: the service returns the first execution instead of starting another. */
    readonly clientToken?: string;
}

export interface StartPlanExecutionOutput {
    readonly executionId?: string;
    readonly plan?: string;
    readonly planVersion?: string;
    readonly activateRegion?: string;
    readonly deactivateRegion?: string;
}

/** Reads a Region switch timestamp as epoch milliseconds. */
export function epochMs(t: Timestamp | undefined): number | undefined {
    if (t === undefined || t === null) {
        return undefined;
    }
    const ms = typeof t === "number" ? t * 1000 : Date.parse(t);
    return Number.isFinite(ms) ? ms : undefined;
}

interface Answer {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

/** What a call gets back when AWS says no: the error's name (its __type), its message and the HTTP status. */
function answeredError(answer: Answer): Error {
    let parsed: { __type?: string; message?: string; Message?: string } = {};
    try {
        parsed = JSON.parse(answer.body || "{}");
    } catch {
        // not JSON (a proxy's page): the status says enough
    }
    // awsJson1_0: the type in the body's __type or in X-Amzn-ErrorType, either possibly "namespace#Name" or "Name:uri".
    const header = answer.headers["x-amzn-errortype"];
    const raw = parsed.__type ?? (Array.isArray(header) ? header[0] : header) ?? `HTTP${answer.status}`;
    const name = raw.split("#").pop()!.split(":")[0];
    const message = parsed.message ?? parsed.Message ?? (answer.body.slice(0, 200) || `HTTP ${answer.status}`);
    return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: answer.status } });
}

/** Worth a second attempt: nothing answered, the service was busy, or it failed on its side. */
function retryable(err: unknown): boolean {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    return status === undefined || status >= 500 || status === 429 || /Throttl/.test(e.name ?? "");
}

/** Every page of a paginated call, in order; `enough` stops after the page it accepts. */
async function allPages<P extends { nextToken?: string }>(fetch: (nextToken?: string) => Promise<P>, enough: (page: P) => boolean = () => false): Promise<P[]> {
    const pages: P[] = [];
    let nextToken: string | undefined;
    do {
        const page = await fetch(nextToken);
        pages.push(page);
        nextToken = enough(page) ? undefined : page.nextToken;
    } while (nextToken);
    return pages;
}

export interface RegionSwitchClientOptions {
    /** Called with each request as sent (tests, and the run's own record of where calls went). */
    readonly onRequest?: (call: { region: string; operation: string; url: string }) => void;
}

/**
 * One region's Region switch data plane: every call signed for that region (SigV4, service
 * "arc-region-switch"), sent to its regional endpoint or to the target's endpoint (an emulator, a test's
 * fake), with the runbook's timeouts and two attempts; a failed call is an AwsCallError naming the region,
 * the service and the operation.
 */
export class RegionSwitchClient {
    public readonly endpoint: string;
    private readonly signer: SignatureV4;
    private readonly connectMs: number;
    private readonly requestMs: number;

    constructor(public readonly region: string, target: AwsTarget = {}, private readonly options: RegionSwitchClientOptions = {}) {
        this.endpoint = target.endpoint ?? dataPlaneEndpoint(region);
        this.signer = new SignatureV4({
            service: REGION_SWITCH_PROTOCOL.signingName,
            region,
            // Static credentials for an emulator; otherwise the SDK's default chain (what fromNodeProviderChain wraps).
            credentials: target.credentials ?? defaultProvider(),
            sha256: Sha256,
        });
        this.connectMs = target.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS;
        this.requestMs = target.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS;
    }

    listPlansInRegion(input: { nextToken?: string; maxResults?: number } = {}): Promise<{ plans?: AbbreviatedPlan[]; nextToken?: string }> {
        return this.call("ListPlansInRegion", input);
    }

    getPlanInRegion(arn: string): Promise<{ plan?: Plan }> {
        return this.call("GetPlanInRegion", { arn });
    }

    startPlanExecution(input: StartPlanExecutionInput): Promise<StartPlanExecutionOutput> {
        return this.call("StartPlanExecution", input);
    }

    getPlanExecution(input: { planArn: string; executionId: string; nextToken?: string }): Promise<PlanExecution & { nextToken?: string }> {
        return this.call("GetPlanExecution", input);
    }

    listPlanExecutionEvents(input: { planArn: string; executionId: string; nextToken?: string }): Promise<{ items?: ExecutionEvent[]; nextToken?: string }> {
        return this.call("ListPlanExecutionEvents", input);
    }

    /** Every page of GetPlanExecution: the execution with all its step states. */
    async planExecution(planArn: string, executionId: string): Promise<PlanExecution> {
        const pages = await allPages((nextToken) => this.getPlanExecution({ planArn, executionId, nextToken }));
        return { ...pages[0], stepStates: pages.flatMap((page) => page.stepStates ?? []) };
    }

    /** Every event of an execution so far, oldest first as the service lists them. */
    async executionEvents(planArn: string, executionId: string): Promise<ExecutionEvent[]> {
        const pages = await allPages((nextToken) => this.listPlanExecutionEvents({ planArn, executionId, nextToken }));
        return pages.flatMap((page) => page.items ?? []);
    }

    /** The plan of that name among the plans this region's data plane serves, or undefined. */
    async findPlan(name: string): Promise<AbbreviatedPlan | undefined> {
        const pages = await allPages((nextToken) => this.listPlansInRegion({ nextToken }), (page) => (page.plans ?? []).some((p) => p.name === name));
        return pages.flatMap((page) => page.plans ?? []).find((p) => p.name === name);
    }

    /** One data-plane operation, signed and sent, with the runbook's timeouts and attempts. */
    async call<O>(operation: DataPlaneOperation, input: object): Promise<O> {
        if (!(DATA_PLANE_OPERATIONS as readonly string[]).includes(operation)) {
            // A guard for callers that cast: the control plane lives in us-east-1.
            throw new AwsCallError(this.region, REGION_SWITCH_PROTOCOL.signingName, operation,
                new Error(`${operation} is not a data-plane operation of this client (control plane: us-east-1)`));
        }
        const body = JSON.stringify(input);
        let lastError: unknown;
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                const answer = await this.send(operation, body);
                if (answer.status >= 200 && answer.status < 300) {
                    return (answer.body ? JSON.parse(answer.body) : {}) as O;
                }
                throw answeredError(answer);
            } catch (err) {
                lastError = err;
                if (!retryable(err)) {
                    break;
                }
            }
        }
        throw new AwsCallError(this.region, REGION_SWITCH_PROTOCOL.signingName, operation, lastError);
    }

    private async send(operation: string, body: string): Promise<Answer> {
        const url = new URL(this.endpoint);
        const signed = await this.signer.sign({
            method: "POST",
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port ? Number(url.port) : undefined,
            path: url.pathname || "/",
            query: {},
            headers: {
                host: url.host,
                "content-type": REGION_SWITCH_PROTOCOL.contentType,
                "x-amz-target": `${REGION_SWITCH_PROTOCOL.targetPrefix}.${operation}`,
                "content-length": String(Buffer.byteLength(body)),
            },
            body,
        }, { signingDate: new Date() });
        this.options.onRequest?.({ region: this.region, operation, url: this.endpoint });
        const transport = url.protocol === "http:" ? http : https;
        return new Promise<Answer>((resolve, reject) => {
            let settled = false;
            const fail = (err: Error) => {
                if (!settled) {
                    settled = true;
                    clearTimeout(whole);
                    reject(err);
                }
            };
            const request = transport.request({
                method: "POST", protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || undefined,
                path: signed.path, headers: signed.headers,
            }, (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (c: Buffer) => chunks.push(c));
                response.on("error", fail);
                response.on("end", () => {
                    if (!settled) {
                        settled = true;
                        clearTimeout(whole);
                        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") });
                    }
                });
            });
            const timeout = (what: string, ms: number) => {
                const err = Object.assign(new Error(`${what} timed out after ${ms} ms`), { name: "TimeoutError", code: "ETIMEDOUT" });
                request.destroy(err);
                fail(err);
            };
            // A region that takes the connection and never answers must not hang the failover.
            const whole = setTimeout(() => timeout("request", this.requestMs), this.requestMs);
            request.on("socket", (socket) => {
                if (socket.connecting) {
                    const connecting = setTimeout(() => timeout("connection", this.connectMs), this.connectMs);
                    socket.once("connect", () => clearTimeout(connecting));
                    socket.once("close", () => clearTimeout(connecting));
                }
            });
            request.on("error", fail);
            request.end(body);
        });
    }
}
