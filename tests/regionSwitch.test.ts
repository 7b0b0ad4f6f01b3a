// The Region switch engine (--engine region-switch) against a fake Region switch on loopback that checks what
// it receives: each request's SigV4 signature (recomputed with the same dummy credentials), its credential
// scope (region, service), X-Amz-Target and Content-Type, and the JSON bodies; it answers with scripted
// executions. The run's lock (SSM, awsJson1_1) is answered by the same fake, checked the same way.
import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { CliError, EXIT } from "../cli/command";
import { parseRunbookArgs, runbookCommand } from "../cli/runbook";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { AwsCallError } from "../runbook/aws";
import { runbookConfig, runbookContext } from "../runbook/context";
import { failoverSteps } from "../runbook/failover";
import { CONTROL_PLANE_OPERATIONS, ExecutionEvent, Plan, PlanStep, RegionSwitchClient, StepState, dataPlaneEndpoint } from "../runbook/regionSwitch";
import { RegionSwitchExecutionError, runRegionSwitch } from "../runbook/regionSwitchEngine";
import { RunbookArgs, runRunbook } from "../runbook/run";
import { PlanStep as ModelStep, PlanWorkflow, regionSwitchPlan } from "../model/regionSwitch";
import { TIERS } from "../model/tiers";
import { failbackSteps } from "../runbook/failback";

const ACCOUNT = "123456789012";
const PLAN_ARN = `arn:aws:arc-region-switch::${ACCOUNT}:plan/shop-region-switch:abc123`;
const EXECUTION_ID = "us-west-2/0123456789abcdef";
const APPROVAL_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-approver`;

/** What one scripted poll of GetPlanExecution answers: the execution's state, its steps, the events so far. */
interface Tick { state: string; steps: StepState[]; events?: ExecutionEvent[] }

interface Received {
    region: string;
    service: string;
    operation: string;
    body: any;
}

const step = (name: string, executionBlockType: string, config: Record<string, unknown> = {}): PlanStep =>
    ({ name, executionBlockType, executionBlockConfiguration: config as PlanStep["executionBlockConfiguration"] });

/** The pair's plan: approval, Aurora, a parallel block (ASG, a Lambda), Route 53 health check. */
function plan(recoveryApproach: Plan["recoveryApproach"] = "activePassive"): Plan {
    const steps = [
        step("approve-failover", "ManualApproval", { executionApprovalConfig: { approvalRole: APPROVAL_ROLE, timeoutMinutes: 60 } }),
        step("promote-database", "AuroraGlobalDatabase", { globalAuroraConfig: { timeoutMinutes: 60 } }),
        step("scale", "Parallel", { parallelConfig: { steps: [
            step("Scale app", "EC2AutoScaling", { ec2AsgCapacityIncreaseConfig: { timeoutMinutes: 30 } }),
            step("Warm cache", "CustomActionLambda", { customActionLambdaConfig: { timeoutMinutes: 10 } }),
        ] } }),
        step("Route traffic", "Route53HealthCheck", { route53HealthCheckConfig: { timeoutMinutes: 5 } }),
    ];
    const workflows = recoveryApproach === "activePassive"
        ? [{ workflowTargetAction: "activate" as const, steps }]
        : [{ workflowTargetAction: "activate" as const, steps }, { workflowTargetAction: "deactivate" as const, steps }];
    return { arn: PLAN_ARN, name: "shop-region-switch", regions: ["us-east-1", "us-west-2"], recoveryApproach, primaryRegion: "us-east-1", workflows, executionRole: "r" } as Plan;
}

/** A step of the dr stack's plan (model/regionSwitch.ts, the provider's shape) as the API returns it (service-2.json). */
function apiStep(s: ModelStep): PlanStep {
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(s)) {
        if (key.endsWith("Configs") && Array.isArray(value)) {
            const first = value[0] as Record<string, unknown>;
            config[key.slice(0, -1)] = key === "parallelConfigs" ? { steps: (first.steps as ModelStep[]).map(apiStep) } : first;
        }
    }
    return step(s.name, s.executionBlockType, config);
}

/** The plan the dr stack creates for a tier (model/regionSwitch.ts), as GetPlanInRegion returns it. */
function stackPlan(strategy: keyof typeof TIERS): Plan {
    const spec = regionSwitchPlan(TIERS[strategy], {
        primaryRegion: "us-east-1", drRegion: "us-west-2", approvalRoleArn: APPROVAL_ROLE,
        asgArns: ["arn:aws:autoscaling:us-east-1:1:asg/a", "arn:aws:autoscaling:us-west-2:1:asg/b"],
        aurora: { globalClusterIdentifier: "shop-global", clusterArns: ["arn:aws:rds:us-east-1:1:cluster:a", "arn:aws:rds:us-west-2:1:cluster:b"] },
        fenceCloseLambdaArn: "arn:aws:lambda:us-west-2:1:function:close", fenceOpenLambdaArn: "arn:aws:lambda:us-west-2:1:function:open",
    });
    const workflow = (w: PlanWorkflow) => ({ ...w, steps: w.steps.map(apiStep) });
    return { ...plan(spec.recoveryApproach), workflows: [workflow(spec.failover.workflow), workflow(spec.failback.workflow)] };
}

/**
 * A fake Region switch (and SSM, for the lock) on 127.0.0.1. Every request is verified; a request that
 * fails a check is answered 400/403 and the problem is kept, so a test fails on it by name.
 */
class FakeRegionSwitch {
    readonly received: Received[] = [];
    readonly problems: string[] = [];
    readonly started: any[] = [];
    private readonly parameters = new Map<string, string>();
    private polls = 0;
    private server!: http.Server;
    url = "";

    /** Set: StartPlanExecution starts the execution (the plan lists it as active) and answers only after this many ms. */
    slowStartMs: number | undefined;

    constructor(private readonly script: Tick[], private readonly thePlan: Plan = plan(), private active?: string) {}

    async start(): Promise<this> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                this.handle(req, Buffer.concat(chunks).toString("utf8")).then(({ status, body }) => {
                    res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
                    res.end(JSON.stringify(body));
                }, (err) => { res.writeHead(500); res.end(JSON.stringify({ __type: "InternalServerException", message: String(err) })); });
            });
        });
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
        return this;
    }

    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    private problem(text: string, status = 400, type = "ValidationException") {
        this.problems.push(text);
        return { status, body: { __type: type, message: text } };
    }

    /** Checks the signature: the scope, then the whole signature recomputed with the same credentials. */
    private async verify(req: http.IncomingMessage, body: string): Promise<{ region: string; service: string } | string> {
        const auth = req.headers.authorization ?? "";
        const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
        if (!m) {
            return `not a SigV4 Authorization header: ${auth}`;
        }
        const [, accessKey, day, region, service, signedHeaders] = m;
        if (accessKey !== EMULATOR_CREDENTIALS.accessKeyId) {
            return `signed with access key ${accessKey}`;
        }
        for (const needed of ["host", "x-amz-date", "x-amz-target", "content-type"]) {
            if (!signedHeaders.split(";").includes(needed)) {
                return `${needed} is not signed (SignedHeaders=${signedHeaders})`;
            }
        }
        const amzDate = String(req.headers["x-amz-date"]);
        const when = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
        if (!when || !amzDate.startsWith(day)) {
            return `x-amz-date ${amzDate} does not match the scope's day ${day}`;
        }
        const signingDate = new Date(Date.UTC(+when[1], +when[2] - 1, +when[3], +when[4], +when[5], +when[6]));
        if (Math.abs(Date.now() - signingDate.getTime()) > 5 * 60_000) {
            return `x-amz-date ${amzDate} is not now`;
        }
        // The signer trusts x-amz-content-sha256 as the payload's hash: check it against the body itself.
        const contentHash = req.headers["x-amz-content-sha256"];
        if (contentHash !== undefined && contentHash !== createHash("sha256").update(body).digest("hex")) {
            return "x-amz-content-sha256 is not the body's hash";
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "authorization").map(([k, v]) => [k, String(v)]));
        const expected = await new SignatureV4({ service, region, credentials: EMULATOR_CREDENTIALS, sha256: Sha256 }).sign({
            method: req.method ?? "POST", protocol: "http:", hostname: "127.0.0.1", path: req.url ?? "/", query: {}, headers, body,
        }, { signingDate });
        if (expected.headers.authorization !== auth) {
            return `signature does not verify:\n  got      ${auth}\n  expected ${expected.headers.authorization}`;
        }
        return { region, service };
    }

    private async handle(req: http.IncomingMessage, raw: string): Promise<{ status: number; body: unknown }> {
        const verified = await this.verify(req, raw);
        if (typeof verified === "string") {
            return this.problem(verified, 403, "InvalidSignatureException");
        }
        const { region, service } = verified;
        const target = String(req.headers["x-amz-target"] ?? "");
        const contentType = String(req.headers["content-type"] ?? "");
        const body = JSON.parse(raw || "{}");
        if (service === "ssm") {
            if (!target.startsWith("AmazonSSM.") || contentType !== "application/x-amz-json-1.1") {
                return this.problem(`ssm: X-Amz-Target ${target}, Content-Type ${contentType}`);
            }
            const operation = target.slice("AmazonSSM.".length);
            this.received.push({ region, service, operation, body });
            return this.ssm(operation, body);
        }
        if (service !== "arc-region-switch") {
            return this.problem(`signed for service ${service}`);
        }
        if (req.method !== "POST" || req.url !== "/" || contentType !== "application/x-amz-json-1.0" || !target.startsWith("ArcRegionSwitch.")) {
            return this.problem(`${req.method} ${req.url}: X-Amz-Target ${target}, Content-Type ${contentType}`);
        }
        const operation = target.slice("ArcRegionSwitch.".length);
        this.received.push({ region, service, operation, body });
        const notFound = (what: string) => ({ status: 400, body: { __type: "com.amazonaws.arcregionswitch#ResourceNotFoundException", message: `${what} not found` } });
        switch (operation) {
            case "ListPlansInRegion":
                // Two pages: the engine must follow nextToken to find the pair's plan.
                return body.nextToken === undefined
                    ? { status: 200, body: { plans: [{ arn: `arn:aws:arc-region-switch::${ACCOUNT}:plan/other:zzz999`, name: "other", owner: ACCOUNT, regions: ["eu-west-1", "eu-central-1"], recoveryApproach: "activePassive" }], nextToken: "page-2" } }
                    : { status: 200, body: { plans: [{ arn: this.thePlan.arn, name: this.thePlan.name, owner: ACCOUNT, regions: this.thePlan.regions, recoveryApproach: this.thePlan.recoveryApproach, primaryRegion: "us-east-1", ...(this.active ? { activePlanExecution: this.active } : {}) }] } };
            case "GetPlanInRegion":
                return body.arn === this.thePlan.arn ? { status: 200, body: { plan: this.thePlan } } : notFound(body.arn);
            case "StartPlanExecution": {
                this.started.push(body);
                const missing = ["planArn", "targetRegion", "action"].filter((k) => typeof body[k] !== "string");
                if (missing.length || body.planArn !== this.thePlan.arn || !["graceful", "ungraceful"].includes(body.mode) || !/^[\x21-\x7E]{1,128}$/.test(body.clientToken ?? "x")) {
                    return this.problem(`StartPlanExecution body: ${JSON.stringify(body)}`);
                }
                if (this.slowStartMs !== undefined) {
                    this.active = EXECUTION_ID;
                    await new Promise((resolve) => setTimeout(resolve, this.slowStartMs));
                }
                return { status: 200, body: { executionId: EXECUTION_ID, plan: this.thePlan.arn, planVersion: "3", activateRegion: body.action === "activate" ? body.targetRegion : undefined } };
            }
            case "GetPlanExecution": {
                if (body.planArn !== this.thePlan.arn || (body.executionId !== EXECUTION_ID && body.executionId !== this.active)) {
                    return notFound(`execution ${body.executionId}`);
                }
                const tick = this.script[Math.min(this.polls++, this.script.length - 1)];
                const started = this.started[0] ?? { action: "activate", targetRegion: "us-west-2", mode: "graceful" };
                return { status: 200, body: {
                    planArn: this.thePlan.arn, executionId: body.executionId, startTime: T0, mode: started.mode, executionState: tick.state,
                    executionAction: started.action, executionRegion: started.targetRegion, stepStates: tick.steps, actualRecoveryTime: tick.state === "completed" ? "PT1M10S" : undefined,
                } };
            }
            case "ListPlanExecutionEvents": {
                const tick = this.script[Math.min(Math.max(this.polls - 1, 0), this.script.length - 1)];
                return { status: 200, body: { items: tick.events ?? [] } };
            }
            default:
                return this.problem(`operation ${operation} was not expected`);
        }
    }

    private ssm(operation: string, body: any): { status: number; body: unknown } {
        switch (operation) {
            case "PutParameter":
                if (this.parameters.has(body.Name) && !body.Overwrite) {
                    return { status: 400, body: { __type: "ParameterAlreadyExists", message: "exists" } };
                }
                this.parameters.set(body.Name, body.Value);
                return { status: 200, body: { Version: 1 } };
            case "GetParameter":
                return this.parameters.has(body.Name)
                    ? { status: 200, body: { Parameter: { Name: body.Name, Value: this.parameters.get(body.Name), Type: "String" } } }
                    : { status: 400, body: { __type: "ParameterNotFound", message: "not found" } };
            case "DeleteParameter":
                this.parameters.delete(body.Name);
                return { status: 200, body: {} };
            default:
                return this.problem(`ssm ${operation} was not expected`);
        }
    }
}

/** Step times, in epoch seconds as awsJson1_0 sends them: the execution started 100 s ago. */
const T0 = Math.floor(Date.now() / 1000) - 100;
const at = (s: number) => T0 + s;

/** Approval waits for a person twice, then everything runs and completes. */
const COMPLETING: Tick[] = [
    { state: "pendingManualApproval", steps: [{ name: "approve-failover", status: "pendingApproval", startTime: at(0) }] },
    { state: "pendingManualApproval", steps: [{ name: "approve-failover", status: "pendingApproval", startTime: at(0) }],
        events: [{ eventId: "e1", type: "stepPendingApproval", stepName: "approve-failover", description: "waiting for approval" }] },
    { state: "inProgress", steps: [{ name: "approve-failover", status: "completed", startTime: at(0), endTime: at(20) },
        { name: "promote-database", status: "running", startTime: at(20) }] },
    { state: "inProgress", steps: [{ name: "approve-failover", status: "completed", startTime: at(0), endTime: at(20) },
        { name: "promote-database", status: "completed", startTime: at(20), endTime: at(50.5) },
        { name: "scale", status: "running", startTime: at(50.5) },
        { name: "Scale app", status: "running", startTime: at(50.5) }, { name: "Warm cache", status: "completed", startTime: at(50.5), endTime: at(53.5) }] },
    { state: "completed", steps: [{ name: "approve-failover", status: "completed", startTime: at(0), endTime: at(20) },
        { name: "promote-database", status: "completed", startTime: at(20), endTime: at(50.5) },
        { name: "scale", status: "completed", startTime: at(50.5), endTime: at(62.5) },
        { name: "Scale app", status: "completed", startTime: at(50.5), endTime: at(62.5) }, { name: "Warm cache", status: "completed", startTime: at(50.5), endTime: at(53.5) },
        { name: "Route traffic", status: "completed", startTime: at(62.5), endTime: at(67.5) }] },
];

/** Ungraceful: the approval is skipped, Aurora's failover fails, and Region switch pauses on it. */
const FAILING: Tick[] = [
    { state: "inProgress", steps: [{ name: "approve-failover", status: "skipped" }, { name: "promote-database", status: "running", startTime: at(0) }] },
    { state: "pausedByFailedStep", steps: [{ name: "approve-failover", status: "skipped" }, { name: "promote-database", status: "failed", startTime: at(0), endTime: at(42) }],
        events: [{ eventId: "f1", type: "stepStarted", stepName: "promote-database" },
            { eventId: "f2", type: "stepFailed", stepName: "promote-database", error: "global cluster shop-global is not in a state to fail over" }] },
];

function reportDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "region-switch-"));
}

async function run(fake: FakeRegionSwitch, args: Partial<RunbookArgs>): Promise<{ run: Awaited<ReturnType<typeof runRunbook>>; lines: string[]; dir: string }> {
    const lines: string[] = [];
    const dir = args.reportDir ?? reportDir();
    const result = await runRunbook({
        kind: "failover", stack: "dr", mode: "planned", engine: "region-switch", dryRun: false, yes: true, force: false,
        endpoint: fake.url, reportDir: dir, pollMs: 5, waitSeconds: 30, renderer: "silent", print: (l) => lines.push(l), ...args,
    });
    return { run: result, lines, dir };
}

const regionSwitchCalls = (fake: FakeRegionSwitch) => fake.received.filter((r) => r.service === "arc-region-switch");

describe("the Region switch engine (--engine region-switch)", function () {
    this.timeout(10_000);
    let fake: FakeRegionSwitch;
    afterEach(async () => fake?.stop());

    it("a graceful failover: the plan found through us-west-2's data plane, activated there, followed past a manual approval to completion", async () => {
        fake = await new FakeRegionSwitch(COMPLETING).start();
        const { run: r, lines, dir } = await run(fake, {});
        assert.deepEqual(fake.problems, []);
        assert.equal(r.error, undefined, r.error?.message);

        // Only the dr region's regional APIs: Region switch's data plane and SSM (the lock), none in us-east-1.
        assert.deepEqual([...new Set(fake.received.map((x) => `${x.region} ${x.service}`))].sort(), ["us-west-2 arc-region-switch", "us-west-2 ssm"]);
        assert.deepEqual([...new Set(regionSwitchCalls(fake).map((x) => x.operation))].sort(),
            ["GetPlanExecution", "GetPlanInRegion", "ListPlanExecutionEvents", "ListPlansInRegion", "StartPlanExecution"]);
        assert.deepEqual(fake.started.map(({ planArn, targetRegion, action, mode }) => ({ planArn, targetRegion, action, mode })),
            [{ planArn: PLAN_ARN, targetRegion: "us-west-2", action: "activate", mode: "graceful" }]);
        assert.match(fake.started[0].clientToken, /^multi-region-dr-[0-9a-f-]{36}$/);

        // The approval was waited on, said once with its step name, and never given from here.
        const waiting = lines.filter((l) => /WAITING FOR A PERSON TO APPROVE step "approve-failover"/.test(l));
        assert.equal(waiting.length, 1, lines.join("\n"));
        assert.match(waiting[0], new RegExp(`ApprovePlanExecutionStep as ${APPROVAL_ROLE}.*approves nothing`));
        assert.ok(lines.some((l) => /promote-database \[AuroraGlobalDatabase\]: completed in 30\.5 s/.test(l)), lines.join("\n"));

        // Each step a result: measured on Region switch's clock; expected from the tier where it is a runbook step, else the plan's timeout.
        const tier = new Map(failoverSteps({ cfg: runbookConfig("dr"), mode: "planned" }).map((s) => [s.id, s.expectedSeconds]));
        assert.deepEqual(r.results.map((x) => [x.id, x.status, x.seconds, x.expectedSeconds]), [
            ["approve-failover", "done", 20, 3600],
            ["promote-database", "done", 30.5, tier.get("promote-database")],
            ["Scale app", "done", 12, tier.get("scale-compute")],
            ["Warm cache", "done", 3, 600],
            ["Route traffic", "done", 5, tier.get("shift-traffic")],
        ]);
        assert.match(r.results[2].notes.join(), /the tier's scale-compute step/);
        // From the execution's start: the Parallel block's two steps overlap.
        assert.deepEqual(r.results.map((x) => [x.id, x.startedAt, x.endedAt]), [
            ["approve-failover", 0, 20], ["promote-database", 20, 50.5], ["Scale app", 50.5, 62.5], ["Warm cache", 50.5, 53.5], ["Route traffic", 62.5, 67.5],
        ]);

        // The same report as the runbook's engine, in the report dir; the progress removed once it completed.
        const report = fs.readFileSync(r.reportPath!, "utf8");
        assert.equal(path.dirname(r.reportPath!), dir);
        assert.match(report, /^# Failover drill report: dr \(pilot-light, planned\)/);
        assert.match(report, /- outcome: completed/);
        assert.match(report, /\| 2 \| promote-database \[AuroraGlobalDatabase\] \| done \| 30\.5 \| \d+ \|/);
        assert.match(report, /- engine: ARC Region switch: plan shop-region-switch \(activePassive\), activate us-west-2, graceful, through the us-west-2 data plane/);
        assert.match(report, /- region switch outcome: completed, actual recovery time PT1M10S/);
        assert.ok(fs.existsSync(r.reportPath!.replace(/\.md$/, ".svg")));
        assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".progress.json")), []);
    });

    it("an ungraceful failover (--unplanned) whose Aurora step fails: stopped, the step named with Region switch's error, the report says so", async () => {
        fake = await new FakeRegionSwitch(FAILING).start();
        const { run: r, lines, dir } = await run(fake, { mode: "unplanned" });
        assert.deepEqual(fake.problems, []);
        assert.equal(fake.started[0].mode, "ungraceful");
        assert.deepEqual([fake.started[0].targetRegion, fake.started[0].action], ["us-west-2", "activate"]);
        assert.ok(fake.received.every((x) => x.region === "us-west-2"), "nothing sent to us-east-1");

        assert.ok(r.error instanceof RegionSwitchExecutionError, String(r.error));
        assert.deepEqual([r.error.state, r.error.failedSteps, r.error.executionId], ["pausedByFailedStep", ["promote-database"], EXECUTION_ID]);
        assert.match(r.error.message, /execution us-west-2\/0123456789abcdef of plan shop-region-switch stopped at step "promote-database" \(global cluster shop-global is not in a state to fail over\): it is paused, waiting for a person/);
        assert.deepEqual(r.results.map((x) => [x.id, x.status]), [
            ["approve-failover", "not-run"], ["promote-database", "failed"], ["Scale app", "not-run"], ["Warm cache", "not-run"], ["Route traffic", "not-run"],
        ]);
        assert.equal(r.results[1].seconds, 42);
        assert.match(r.results[0].notes.join(), /skipped by Region switch/);
        assert.ok(lines.some((l) => /promote-database \[AuroraGlobalDatabase\]: FAILED after 42\.0 s: global cluster/.test(l)), lines.join("\n"));

        const report = fs.readFileSync(r.reportPath!, "utf8");
        assert.match(report, /^# Failover drill report: dr \(pilot-light, unplanned\)/);
        assert.match(report, /- outcome: \*\*stopped\*\*: Region switch execution .* stopped at step "promote-database"/);
        assert.match(report, /\| promote-database \[AuroraGlobalDatabase\] \| failed \| 42\.0 \|/);
        assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".progress.json")).length, 1, "the progress stays for the re-run");
    });

    it("failback activates us-east-1 through us-east-1's own data plane (graceful); the lock stays in the dr region", async () => {
        fake = await new FakeRegionSwitch([COMPLETING[4]]).start();
        const { run: r } = await run(fake, { kind: "failback" });
        assert.deepEqual(fake.problems, []);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(fake.started.map(({ targetRegion, action, mode }) => [targetRegion, action, mode]), [["us-east-1", "activate", "graceful"]]);
        assert.ok(regionSwitchCalls(fake).every((x) => x.region === "us-east-1"), JSON.stringify(regionSwitchCalls(fake).map((x) => x.region)));
        assert.ok(fake.received.filter((x) => x.service === "ssm").every((x) => x.region === "us-west-2"));
        assert.match(fs.readFileSync(r.reportPath!, "utf8"), /^# Failback drill report: dr/);
    });

    it("an active/active plan's failover deactivates the lost primary, asked of the dr region's data plane", async () => {
        fake = await new FakeRegionSwitch([COMPLETING[4]], plan("activeActive")).start();
        const { run: r } = await run(fake, { mode: "unplanned" });
        assert.deepEqual(fake.problems, []);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(fake.started.map(({ targetRegion, action, mode }) => [targetRegion, action, mode]), [["us-east-1", "deactivate", "ungraceful"]]);
        assert.ok(fake.received.every((x) => x.region === "us-west-2"), "the primary itself is never called");
    });

    it("notes a plan whose approach is not the tier's: active/active where both regions serve (TierSpec.bothRegionsServe), else active/passive", async () => {
        const note = async (strategy: string, approach: Plan["recoveryApproach"]) => {
            const f = await new FakeRegionSwitch([COMPLETING[4]], plan(approach)).start();
            try {
                const target = { endpoint: f.url, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 500, requestMs: 2000 } };
                const ctx = runbookContext({ stack: "dr", overrides: { "dr:strategy": strategy }, mode: "planned", target, pollMs: 5, waitSeconds: 30 });
                const outcome = await runRegionSwitch(ctx, {
                    kind: "failover", dryRun: true, confirm: async () => true, print: () => undefined, client: (region) => new RegionSwitchClient(region, target),
                });
                assert.equal(outcome.error, undefined, outcome.error?.message);
                return ctx.facts.get("region switch approach");
            } finally {
                await f.stop();
            }
        };
        assert.equal(await note("active-active", "activeActive"), undefined);
        assert.equal(await note("warm-standby", "activePassive"), undefined);
        assert.match((await note("warm-standby", "activeActive"))!, /^the tier is warm-standby but the plan is activeActive: the plan's approach decides what is started$/);
        assert.match((await note("active-active", "activePassive"))!, /^the tier is active-active but the plan is activePassive/);
    });

    it("a portfolio's parent plan (--portfolio with --engine region-switch): found by the portfolio's name, started in us-west-2, its child steps followed, under the portfolio's own lock", async () => {
        const parentArn = `arn:aws:arc-region-switch::${ACCOUNT}:plan/estate-region-switch:def456`;
        const child = (name: string, arn: string) => step(name, "ARCRegionSwitchPlan", { regionSwitchPlanConfig: { arn } });
        const parent = {
            ...plan(), arn: parentArn, name: "estate-region-switch",
            workflows: [{ workflowTargetAction: "activate" as const, steps: [
                step("approve", "ManualApproval", { executionApprovalConfig: { approvalRole: APPROVAL_ROLE, timeoutMinutes: 60 } }),
                child("app-dr", PLAN_ARN), child("app-pay-dr", `arn:aws:arc-region-switch::${ACCOUNT}:plan/pay-region-switch:aaa111`)] }],
        } as Plan;
        const done = (name: string, from: number, to: number): StepState => ({ name, status: "completed", startTime: at(from), endTime: at(to) });
        fake = await new FakeRegionSwitch([
            { state: "pendingManualApproval", steps: [{ name: "approve", status: "pendingApproval", startTime: at(0) }] },
            { state: "inProgress", steps: [done("approve", 0, 15), { name: "app-dr", status: "running", startTime: at(15) }] },
            { state: "completed", steps: [done("approve", 0, 15), done("app-dr", 15, 400), done("app-pay-dr", 400, 700)] },
        ], parent).start();
        const { run: r, lines } = await run(fake, { stack: "portfolio" });
        assert.deepEqual(fake.problems, []);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(fake.started.map(({ planArn, targetRegion, action }) => ({ planArn, targetRegion, action })),
            [{ planArn: parentArn, targetRegion: "us-west-2", action: "activate" }]);
        assert.deepEqual(r.results.map((x) => [x.id, x.status, x.seconds]), [["approve", "done", 15], ["app-dr", "done", 385], ["app-pay-dr", "done", 300]]);
        assert.ok(lines.some((l) => /Region switch plan estate-region-switch/.test(l)), lines.join("\n"));
        assert.deepEqual([...new Set(fake.received.map((x) => `${x.region} ${x.service}`))].sort(), ["us-west-2 arc-region-switch", "us-west-2 ssm"]);
        // The portfolio's lock, not an app's: the apps' own runs (runbook/portfolio.ts) take theirs.
        assert.ok(fake.received.some((x) => x.service === "ssm" && JSON.stringify(x.body).includes("estate")), "the lock is named after the portfolio");
    });

    it("npm run failover -- --portfolio portfolio --engine region-switch: the parent plan, from the command line", async () => {
        const parentArn = `arn:aws:arc-region-switch::${ACCOUNT}:plan/estate-region-switch:def456`;
        const child = (name: string, arn: string) => step(name, "ARCRegionSwitchPlan", { regionSwitchPlanConfig: { arn } });
        const parent = {
            ...plan(), arn: parentArn, name: "estate-region-switch",
            workflows: [{ workflowTargetAction: "activate" as const, steps: [child("app-dr", PLAN_ARN), child("app-pay-dr", `arn:aws:arc-region-switch::${ACCOUNT}:plan/pay-region-switch:aaa111`)] }],
        } as Plan;
        const done = (name: string, from: number, to: number): StepState => ({ name, status: "completed", startTime: at(from), endTime: at(to) });
        fake = await new FakeRegionSwitch([{ state: "completed", steps: [done("app-dr", 0, 400), done("app-pay-dr", 400, 700)] }], parent).start();
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (l = "") => out.push(l), err: (l = "") => err.push(l) };
        assert.deepEqual(parseRunbookArgs(["failover", "--portfolio", "portfolio", "--engine", "region-switch"]).stack, "portfolio");
        assert.throws(() => parseRunbookArgs(["failover", "--portfolio", "portfolio", "--engine", "region-switch", "--parallel", "2"]), /--parallel: --portfolio with --engine region-switch runs the portfolio's parent plan/);
        const code = await runbookCommand(["failover", "--portfolio", "portfolio", "--engine", "region-switch", "--yes", "--endpoint", fake.url, "--report-dir", reportDir(), "--poll-seconds", "1"],
            io, { renderer: "silent" });
        assert.equal(code, EXIT.ok, [...out, ...err].join("\n"));
        assert.deepEqual(fake.started.map(({ planArn, action }) => ({ planArn, action })), [{ planArn: parentArn, action: "activate" }]);
        assert.match(out.join("\n"), /report: .*failover-portfolio-.*\.md \(and \.svg\)/);
    });

    it("an execution already under way (a killed run's) is followed, not started a second time", async () => {
        fake = await new FakeRegionSwitch([COMPLETING[3], COMPLETING[4]], plan(), "us-west-2/fedcba9876543210").start();
        const { run: r, lines } = await run(fake, {});
        assert.deepEqual(fake.problems, []);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(fake.started, []);
        assert.ok(lines.some((l) => /following execution us-west-2\/fedcba9876543210, already under way/.test(l)), lines.join("\n"));
        assert.deepEqual(r.results.map((x) => x.status), ["done", "done", "done", "done", "done"]);
    });

    it("a StartPlanExecution that gets no answer: its second attempt is the same request (one client token); the plan read back shows the execution, which is followed (issue 17, 3.1)", async () => {
        fake = await new FakeRegionSwitch([COMPLETING[4]]).start();
        fake.slowStartMs = 1000;
        const target = { endpoint: fake.url, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 500, requestMs: 200 } };
        const ctx = runbookContext({ stack: "dr", mode: "planned", target, pollMs: 5, waitSeconds: 30 });
        const lines: string[] = [];
        const outcome = await runRegionSwitch(ctx, {
            kind: "failover", dryRun: false, confirm: async () => true, print: (l) => lines.push(l), client: (region) => new RegionSwitchClient(region, target),
        });
        assert.deepEqual(fake.problems, []);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(fake.started.length, 2, "the client's two attempts");
        assert.equal(new Set(fake.started.map((b) => b.clientToken)).size, 1, "with one client token: the same request");
        assert.match(ctx.facts.get("region switch execution")!, new RegExp(`^${EXECUTION_ID}: us-west-2 arc-region-switch StartPlanExecution: no answer \\(ETIMEDOUT: request timed out after 200 ms\\); ` +
            "the region or its arc-region-switch endpoint does not answer \\(client token multi-region-dr-[0-9a-f-]{36}\\)\\. Read back: plan shop-region-switch has execution " +
            `${EXECUTION_ID} \\(activate us-west-2, completed\\): followed, not started again$`));
        assert.ok(lines.some((l) => l.startsWith(`StartPlanExecution got no answer; the plan shows execution ${EXECUTION_ID} under way`)), lines.join("\n"));
        assert.deepEqual(outcome.results.map((x) => x.status), ["done", "done", "done", "done", "done"]);
    });

    it("as the CLI runs it: progress lines, the report, one line per step, exit 0; --dry-run prints the plan's steps", async () => {
        fake = await new FakeRegionSwitch([COMPLETING[4]]).start();
        const dir = reportDir();
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (l = "") => out.push(l), err: (l = "") => err.push(l) };
        const argv = ["failover", "--stack", "dr", "--engine", "region-switch", "--yes", "--endpoint", fake.url, "--report-dir", dir];
        assert.equal(await runbookCommand([...argv, "--dry-run"], io, { renderer: "silent" }), EXIT.ok, err.join("\n"));
        assert.match(out.join("\n"), /failover plan for dr: pilot-light, planned, into us-west-2 \(dry run: nothing changes\)\n  engine: ARC Region switch: plan shop-region-switch[^\n]*\n[\s\S]*   2\. promote-database \[AuroraGlobalDatabase\]  \(~\d+ s\)/);
        assert.deepEqual(fake.started, []);
        out.length = 0;
        assert.equal(await runbookCommand(argv, io, { renderer: "silent" }), EXIT.ok, err.join("\n"));
        assert.deepEqual(fake.problems, []);
        const text = out.join("\n");
        assert.match(text, /started execution us-west-2\/0123456789abcdef/);
        assert.match(text, /report: .*failover-dr-.*\.md \(and \.svg\)/);
        assert.match(text, /  done\s+30\.5 s  promote-database: expected: the tier's promote-database step/);
    });

    it("a dry run reads the plan through the dr region's data plane and starts nothing", async () => {
        fake = await new FakeRegionSwitch(COMPLETING).start();
        const { run: r } = await run(fake, { dryRun: true });
        assert.deepEqual(fake.problems, []);
        assert.deepEqual(fake.received.map((x) => `${x.region} ${x.operation}`), ["us-west-2 ListPlansInRegion", "us-west-2 ListPlansInRegion", "us-west-2 GetPlanInRegion"]);
        assert.deepEqual(r.results.map((x) => [x.id, x.status]), [
            ["approve-failover", "planned"], ["promote-database", "planned"], ["Scale app", "planned"], ["Warm cache", "planned"], ["Route traffic", "planned"],
        ]);
    });

    it("the dr stack's own plan (model/regionSwitch.ts): its steps are the runbook's, so each expects the tier's time; the approval the plan's", async () => {
        const cfg = runbookConfig("dr");
        const tier = (steps: { id: string; expectedSeconds: number }[]) => new Map(steps.map((s) => [s.id, s.expectedSeconds]));
        fake = await new FakeRegionSwitch([], stackPlan("pilot-light")).start();
        const over = await run(fake, { dryRun: true });
        assert.equal(over.run.error, undefined, over.run.error?.message);
        const failover = tier(failoverSteps({ cfg, mode: "planned" }));
        assert.deepEqual(over.run.results.map((x) => [x.id, x.expectedSeconds]), [
            ["approve", 3600], ["promote-database", failover.get("promote-database")], ["scale-compute", failover.get("scale-compute")],
            ["shift-traffic", failover.get("shift-traffic")],
        ]);
        const back = await run(fake, { dryRun: true, kind: "failback" });
        assert.equal(back.run.error, undefined, back.run.error?.message);
        const failback = tier(failbackSteps({ cfg }));
        assert.deepEqual(back.run.results.map((x) => [x.id, x.expectedSeconds]), [
            ["approve", 3600], ["switch-database-back", failback.get("switch-database-back")], ["shift-traffic", failback.get("shift-traffic")],
        ]);
        assert.deepEqual(fake.problems, []);
        assert.deepEqual([...new Set(fake.received.map((x) => x.region))], ["us-west-2", "us-east-1"], "failover asks us-west-2; failback us-east-1");
    });

    it("the fake's signature check is real: a request signed with another secret is refused, and the client names region, service and operation", async () => {
        fake = await new FakeRegionSwitch(COMPLETING).start();
        const client = new RegionSwitchClient("us-west-2", { endpoint: fake.url, credentials: { accessKeyId: "testing", secretAccessKey: "not-the-secret" } });
        const err = await client.listPlansInRegion().then(() => undefined, (e) => e);
        assert.ok(err instanceof AwsCallError, String(err));
        assert.deepEqual([err.region, err.service, err.operation, err.name, err.unreachable], ["us-west-2", "arc-region-switch", "ListPlansInRegion", "InvalidSignatureException", false]);
        assert.match(fake.problems[0], /signature does not verify/);
        // Two attempts are for what may pass (no answer, 5xx): a refused signature is not sent twice.
        assert.equal(fake.problems.length, 1);

        // A body changed after signing (same length, the signed x-amz-content-sha256 kept) is refused too.
        const body = JSON.stringify({ arn: PLAN_ARN });
        const url = new URL(fake.url);
        const signed = await new SignatureV4({ service: "arc-region-switch", region: "us-west-2", credentials: EMULATOR_CREDENTIALS, sha256: Sha256 }).sign({
            method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: {}, body,
            headers: { host: url.host, "content-type": "application/x-amz-json-1.0", "x-amz-target": "ArcRegionSwitch.GetPlanInRegion" },
        });
        const status = await new Promise<number>((resolve, reject) => {
            const req = http.request({ method: "POST", host: url.hostname, port: url.port, path: "/", headers: signed.headers }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
            req.on("error", reject);
            req.end(body.replace("abc123", "abc124"));
        });
        assert.equal(status, 403);
        assert.match(fake.problems[1], /x-amz-content-sha256 is not the body's hash/);
    });

    it("a data plane that takes the connection and never answers is reported unreachable after the timeout, twice tried", async () => {
        const sockets: import("net").Socket[] = [];
        const silent = http.createServer(() => undefined);
        silent.on("connection", (socket) => sockets.push(socket));
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        try {
            const client = new RegionSwitchClient("us-west-2", {
                endpoint: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 150, requestMs: 150 },
            });
            const started = Date.now();
            const err = await client.getPlanInRegion(PLAN_ARN).then(() => undefined, (e) => e);
            assert.ok(err instanceof AwsCallError && err.unreachable, String(err));
            assert.match(err.message, /^us-west-2 arc-region-switch GetPlanInRegion: no answer \(ETIMEDOUT: request timed out after 150 ms\); the region or its arc-region-switch endpoint does not answer$/);
            assert.ok(Date.now() - started < 1000);
            assert.equal(sockets.length, 2, "two attempts");
        } finally {
            sockets.forEach((s) => s.destroy());
            await new Promise((resolve) => silent.close(resolve));
        }
    });

    it("the client knows only the regional data plane: its endpoints, and no control-plane operation", async () => {
        assert.equal(dataPlaneEndpoint("us-west-2"), "https://arc-region-switch.us-west-2.api.aws");
        assert.equal(new RegionSwitchClient("us-west-2").endpoint, "https://arc-region-switch.us-west-2.api.aws");
        const client = new RegionSwitchClient("us-west-2", { endpoint: "http://127.0.0.1:9", credentials: EMULATOR_CREDENTIALS });
        for (const operation of CONTROL_PLANE_OPERATIONS) {
            const err = await client.call(operation as never, {}).then(() => undefined, (e) => e);
            assert.match(String(err?.message), new RegExp(`^us-west-2 arc-region-switch ${operation}: .*not a data-plane operation`));
        }
    });
});

describe("the runbook CLI's --engine", () => {
    it("parses --engine region-switch --ungraceful (and --unplanned, the same); the default engine is the runbook's", () => {
        const a = parseRunbookArgs(["failover", "--stack", "dr", "--engine", "region-switch", "--ungraceful"]);
        assert.deepEqual([a.kind, a.stack, a.engine, a.mode], ["failover", "dr", "region-switch", "unplanned"]);
        assert.equal(parseRunbookArgs(["failover", "--stack", "dr", "--engine", "region-switch", "--unplanned"]).mode, "unplanned");
        assert.deepEqual([parseRunbookArgs(["failover", "--stack", "dr"]).engine, parseRunbookArgs(["failover", "--stack", "dr"]).mode], ["runbook", "planned"]);
        assert.equal(parseRunbookArgs(["failback", "--stack", "dr", "--engine", "region-switch"]).engine, "region-switch");
        assert.equal(parseRunbookArgs(["failover", "--stack", "dr", "--poll-seconds", "2"]).pollMs, 2000);
    });

    it("rejects --engine bogus with a usage error naming the allowed values, and contradictions", () => {
        const usage = (argv: string[], message: RegExp) => assert.throws(() => parseRunbookArgs(argv),
            (e: unknown) => e instanceof CliError && e.exitCode === EXIT.usage && message.test(e.message), argv.join(" "));
        usage(["failover", "--engine", "bogus"], /^--engine bogus: must be one of runbook, region-switch$/);
        usage(["failover", "--planned", "--ungraceful"], /--planned and --ungraceful exclude each other/);
        usage(["failback", "--engine", "region-switch", "--ungraceful"], /failback is always planned/);
        usage(["failover", "--engine", "region-switch", "--force"], /--force is the runbook engine's/);
    });
});
