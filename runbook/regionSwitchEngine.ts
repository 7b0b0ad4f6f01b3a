// The second runbook engine (`--engine region-switch`): the failover or failback runs as an ARC Region
// switch plan execution, and this engine only starts it and follows it, through the regional data plane
// of the region being activated (runbook/regionSwitch.ts). It approves nothing: a manual-approval step
// waits for a person, and the engine says so and keeps polling. Each Region switch step becomes a
// StepResult, so the run writes the same report as the runbook's own engine (runbook/runRecord.ts, report.ts).
//
// What is started, per the Region switch API and user guide (botocore service-2.json StartPlanExecution:
// targetRegion "the Region that traffic will be shifted to or from, depending on the action", action
// activate | deactivate; the guide's "Execute a Region switch plan": an active/passive plan activates the
// standby Region, an active/active plan deactivates the impaired one; plans are executed from the Region
// being activated):
//   failover, activePassive plan: activate the dr region, called in the dr region;
//   failover, activeActive plan:  deactivate the primary region, called in the dr region (the primary is
//                                 the one in trouble: it is never called);
//   failback, either approach:    activate the primary region again, called in the primary region.
// Mode: graceful for a planned run, ungraceful for an unplanned one (--unplanned, --ungraceful); a failback
// is always graceful.
import { randomUUID } from "crypto";
import { TIERS } from "../model/tiers";
import { outcomeUnknown } from "./aws";
import type { RunOutcome } from "./engine";
import {
    AbbreviatedPlan, ExecutionAction, ExecutionEvent, ExecutionMode, ExecutionState, Plan, PlanExecution, RegionSwitchClient, StepState,
    Workflow, epochMs,
} from "./regionSwitch";
import { PlannedStep, allNames, plannedSteps, resultOf, seconds } from "./regionSwitchSteps";
import { NotConfirmedError, RunbookContext, StepResult } from "./types";
import { regionSet, regionSwitchPlanNameIn } from "../model/regionSet";

/** The engines a run can use; "runbook" is the runbook's own steps (runbook/engine.ts). */
export const ENGINES = ["runbook", "region-switch"] as const;
export type Engine = (typeof ENGINES)[number];

/** Execution states after which nothing more happens (service-2.json ExecutionState; waiters-2.json PlanExecutionCompleted). */
const SUCCEEDED: readonly ExecutionState[] = ["completed", "completedWithExceptions", "completedMonitoringApplicationHealth"];
const FAILED: readonly ExecutionState[] = ["failed", "canceled", "planExecutionTimedOut"];

/** What the run asks Region switch to do, and which region's data plane it asks. */
export interface ExecutionTarget {
    /** The region whose data plane is called: the one being activated (the survivor, in a failover). */
    readonly callRegion: string;
    readonly targetRegion: string;
    readonly action: ExecutionAction;
    readonly mode: ExecutionMode;
}

export function executionTarget(kind: "failover" | "failback", approach: Plan["recoveryApproach"],
    ctx: Pick<RunbookContext, "cfg" | "mode">): ExecutionTarget {
    const { primaryRegion, drRegion } = ctx.cfg;
    if (kind === "failback") {
        return { callRegion: primaryRegion, targetRegion: primaryRegion, action: "activate", mode: "graceful" };
    }
    const mode: ExecutionMode = ctx.mode === "unplanned" ? "ungraceful" : "graceful";
    return approach === "activeActive"
        ? { callRegion: drRegion, targetRegion: primaryRegion, action: "deactivate", mode }
        : { callRegion: drRegion, targetRegion: drRegion, action: "activate", mode };
}

/** The plan's workflow for this action and region: one naming the region first, else one for either region. */
export function workflowFor(plan: Plan, target: ExecutionTarget): Workflow | undefined {
    const forAction = plan.workflows.filter((w) => w.workflowTargetAction === target.action);
    return forAction.find((w) => w.workflowTargetRegion === target.targetRegion) ?? forAction.find((w) => !w.workflowTargetRegion);
}

/** A Region switch execution that failed, was canceled, timed out or stopped on a failed step. */
export class RegionSwitchExecutionError extends Error {
    constructor(message: string, public readonly executionId: string, public readonly state: ExecutionState, public readonly failedSteps: readonly string[]) {
        super(message);
        this.name = "RegionSwitchExecutionError";
    }
}

export interface RegionSwitchOptions {
    readonly kind: "failover" | "failback";
    readonly dryRun: boolean;
    /** Asked once, before the execution starts; false stops the run with nothing changed. */
    readonly confirm: () => Promise<boolean>;
    /** The data-plane client of a region (run.ts makes them with the run's target). */
    readonly client: (region: string) => RegionSwitchClient;
    /** Progress lines, as they happen. */
    readonly print: (line: string) => void;
    /** Told each time a step finishes: the run writes its report and progress there. */
    readonly onResult?: (soFar: readonly StepResult[], of: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const terminal = (status: StepState["status"]) => status === "completed" || status === "failed" || status === "skipped" || status === "canceled";

/** What following one execution needs: the run, the plan, the data plane it asks and what it asks there. */
interface Following {
    readonly ctx: RunbookContext;
    readonly options: RegionSwitchOptions;
    readonly planName: string;
    readonly plan: Plan;
    readonly client: RegionSwitchClient;
    readonly target: ExecutionTarget;
}

/** The execution's steps as the polls have seen them: their states and notes, kept from poll to poll. */
interface Followed {
    readonly planned: readonly PlannedStep[];
    /** Every step name of the workflow: a step the execution reports beyond them is a child plan's. */
    readonly known: ReadonlySet<string>;
    readonly states: Map<string, StepState>;
    readonly notes: Map<string, string[]>;
    /** The execution's start (Region switch's clock), from which each step's start and end are counted. */
    origin?: number;
    /** When the last poll was read: a call failing mid-execution keeps what it saw (the execution itself goes on). */
    polledAt?: number;
}

function resultsOf(f: Followed, finished: boolean, now = Date.now()): StepResult[] {
    return [...f.planned.map((s) => resultOf(s, f.states.get(s.name), f.notes.get(s.name) ?? [], now, finished, f.origin)),
        // Steps the execution reports that the workflow did not list (a child plan's): with what the state says.
        ...[...f.states.values()].filter((st) => st.name && !f.known.has(st.name))
            .map((st) => resultOf({ name: st.name!, type: "step", expectedSeconds: 0, expectedFrom: "not in the plan's workflow" }, st, f.notes.get(st.name!) ?? [], now, finished, f.origin))];
}

/** An execution already under way (a killed run's, or one a person started), followed rather than started twice; undefined when none. */
async function executionUnderWay(run: Following, activePlanExecution: string | undefined): Promise<string | undefined> {
    const { ctx, options, plan, client, target } = run;
    if (!activePlanExecution) {
        return undefined;
    }
    const active = await client.planExecution(plan.arn, activePlanExecution);
    if (SUCCEEDED.includes(active.executionState) || FAILED.includes(active.executionState)) {
        return undefined;
    }
    // executionRegion read as the region the action targets (service-2.json: "The Amazon Web Services Region for a plan execution").
    if (active.executionAction !== target.action || active.executionRegion !== target.targetRegion) {
        throw new Error(`Region switch plan ${plan.name} already has execution ${active.executionId} under way ` +
            `(${active.executionAction} ${active.executionRegion}, ${active.executionState}): wait for it, or cancel it, before this ${options.kind}`);
    }
    ctx.facts.set("region switch execution", `${active.executionId}: already under way (started ${new Date(epochMs(active.startTime) ?? Date.now()).toISOString()}), followed, not started again`);
    options.print(`following execution ${active.executionId}, already under way (${active.executionState})`);
    return active.executionId;
}

/** Starts the execution once the person approves; a start whose answer is lost is read back from the plan. */
async function startExecution(run: Following): Promise<string> {
    const { ctx, options, planName, plan, client, target } = run;
    const { kind, print } = options;
    if (!(await options.confirm())) {
        throw new NotConfirmedError();
    }
    // The token makes the client's second attempt of a timed-out call the same request: the service
    // returns the first execution rather than start another.
    const clientToken = `multi-region-dr-${randomUUID()}`;
    try {
        const started = await client.startPlanExecution({
            planArn: plan.arn, targetRegion: target.targetRegion, action: target.action, mode: target.mode,
            comment: `multi-region-dr ${kind} of stack ${ctx.stack} (${ctx.mode})`, clientToken,
        });
        if (!started.executionId) {
            throw new Error(`StartPlanExecution in ${target.callRegion} returned no execution id`);
        }
        ctx.facts.set("region switch execution", `${started.executionId}: started ${new Date().toISOString()} (plan version ${started.planVersion ?? "?"})`);
        print(`started execution ${started.executionId}`);
        return started.executionId;
    } catch (err) {
        if (!outcomeUnknown(err)) {
            throw err;
        }
        // No answer: the execution may have started all the same. The plan says which execution is under way.
        const lost = `${(err as Error).message} (client token ${clientToken})`;
        const active = (await client.findPlan(planName))?.activePlanExecution;
        const execution = active === undefined ? undefined : await client.planExecution(plan.arn, active);
        if (execution === undefined || execution.executionAction !== target.action || execution.executionRegion !== target.targetRegion) {
            throw new Error(`${lost}. Read back: plan ${plan.name} has ${execution ? `execution ${execution.executionId} (${execution.executionAction} ` +
                `${execution.executionRegion}, ${execution.executionState})` : "no execution under way"}: this ${kind} did not start`);
        }
        ctx.facts.set("region switch execution", `${execution.executionId}: ${lost}. Read back: plan ${plan.name} has execution ${execution.executionId} ` +
            `(${execution.executionAction} ${execution.executionRegion}, ${execution.executionState}): followed, not started again`);
        print(`StartPlanExecution got no answer; the plan shows execution ${execution.executionId} under way (${execution.executionState}): following it`);
        return execution.executionId;
    }
}

/** One poll: the execution, with its new events' errors noted against their steps and its steps' states kept. */
async function poll(run: Following, executionId: string, f: Followed, seenEvents: Set<string>): Promise<PlanExecution> {
    const execution: PlanExecution = await run.client.planExecution(run.plan.arn, executionId);
    f.origin ??= epochMs(execution.startTime);
    const events: ExecutionEvent[] = await run.client.executionEvents(run.plan.arn, executionId);
    for (const event of events) {
        if (seenEvents.has(event.eventId)) {
            continue;
        }
        seenEvents.add(event.eventId);
        if (event.stepName && (event.error || event.type === "stepFailed")) {
            f.notes.set(event.stepName, [...(f.notes.get(event.stepName) ?? []), event.error ?? event.description ?? "failed"]);
        }
    }
    for (const state of execution.stepStates ?? []) {
        if (state.name) {
            f.states.set(state.name, state);
        }
    }
    return execution;
}

/** Prints each step whose status changed since it was last announced; a step waiting for approval says who approves, and where. */
function announce(run: Following, executionId: string, f: Followed, announced: Map<string, string>, now: number): void {
    const { ctx, options: { print }, target } = run;
    for (const step of [...f.planned.map((p) => p.name), ...[...f.states.keys()].filter((n) => !f.known.has(n))]) {
        const state = f.states.get(step);
        const status = state?.status;
        if (!status || announced.get(step) === status) {
            continue;
        }
        announced.set(step, status);
        const p = f.planned.find((x) => x.name === step);
        const label = `  ${step}${p ? ` [${p.type}]` : ""}`;
        const took = seconds((epochMs(state.endTime) ?? now) - (epochMs(state.startTime) ?? now)).toFixed(1);
        if (status === "pendingApproval") {
            print(`${label}: WAITING FOR A PERSON TO APPROVE step "${step}" of execution ${executionId} ` +
                `(the Region switch console in ${target.callRegion}, or ApprovePlanExecutionStep${p?.approvalRole ? ` as ${p.approvalRole}` : ""}). ` +
                `This run approves nothing; it checks again every ${ctx.pollMs / 1000} s.`);
        } else if (status === "completed") {
            print(`${label}: completed in ${took} s`);
        } else if (status === "failed") {
            print(`${label}: FAILED after ${took} s${f.notes.get(step)?.length ? `: ${f.notes.get(step)!.join("; ")}` : ""}`);
        } else {
            print(`${label}: ${status}`);
        }
    }
}

/** How the run ends at this poll: completed, failed (or paused on a failed step), or given up at the deadline; undefined: it goes on. */
function ending(run: Following, executionId: string, execution: PlanExecution, f: Followed, deadline: number): RunOutcome | undefined {
    const { ctx, plan, target } = run;
    const state = execution.executionState;
    const failedSteps = [...f.states.values()].filter((s) => s.status === "failed" && s.name).map((s) => s.name!);
    const failedText = failedSteps.map((n) => `"${n}"${f.notes.get(n)?.length ? ` (${f.notes.get(n)!.join("; ")})` : ""}`).join(", ");
    if (SUCCEEDED.includes(state)) {
        ctx.facts.set("region switch outcome", `${state}${execution.actualRecoveryTime ? `, actual recovery time ${execution.actualRecoveryTime}` : ""}` +
            (failedSteps.length ? `; failed and passed by an operator: ${failedText}` : ""));
        return { results: resultsOf(f, true) };
    }
    if (FAILED.includes(state) || state === "pausedByFailedStep") {
        const at = failedSteps.length ? ` at step ${failedText}` : "";
        const message = state === "pausedByFailedStep"
            ? `Region switch execution ${executionId} of plan ${plan.name} stopped${at}: it is paused, waiting for a person ` +
              `to retry, skip or cancel the step (Region switch console in ${target.callRegion}); re-run this command to follow it again`
            : `Region switch execution ${executionId} of plan ${plan.name} ended ${state}${at}`;
        ctx.facts.set("region switch outcome", state);
        return { results: resultsOf(f, true), error: new RegionSwitchExecutionError(message, executionId, state, failedSteps) };
    }
    if (Date.now() > deadline) {
        return {
            results: resultsOf(f, true),
            error: new RegionSwitchExecutionError(`gave up after ${ctx.waitSeconds} s following Region switch execution ${executionId} (${state}): ` +
                "it goes on in Region switch; re-run this command to follow it again", executionId, state, failedSteps),
        };
    }
    return undefined;
}

/** Follows the execution until it completes or fails; nothing is approved from here. */
async function follow(run: Following, executionId: string, f: Followed): Promise<RunOutcome> {
    const { ctx, options } = run;
    const seenEvents = new Set<string>();
    const announced = new Map<string, string>();
    const reported = new Set<string>();
    let lastState: ExecutionState | undefined;
    const deadline = Date.now() + ctx.waitSeconds * 1000;
    for (;;) {
        const execution = await poll(run, executionId, f, seenEvents);
        if (execution.executionState !== lastState) {
            options.print(`execution ${executionId}: ${execution.executionState}${execution.executionState === "pendingManualApproval"
                ? " (waiting for a person's approval: this run approves nothing and keeps polling)" : ""}`);
            lastState = execution.executionState;
        }
        const now = Date.now();
        announce(run, executionId, f, announced, now);
        f.polledAt = now;
        const finishedNow = [...f.states.values()].filter((s) => s.name && terminal(s.status)).map((s) => s.name!);
        if (finishedNow.some((n) => !reported.has(n))) {
            finishedNow.forEach((n) => reported.add(n));
            options.onResult?.(resultsOf(f, false).filter((r) => reported.has(r.id)), f.planned.length);
        }
        const ended = ending(run, executionId, execution, f, deadline);
        if (ended) {
            return ended;
        }
        await sleep(ctx.pollMs);
    }
}

/** Runs (or, dry, shows) the failover or failback as a Region switch plan execution. */
export async function runRegionSwitch(ctx: RunbookContext, options: RegionSwitchOptions): Promise<RunOutcome> {
    const { kind, print } = options;
    // The plan of the (primary, this dr stack's region) pair: a set of three has one per recovery region. A portfolio's
    // context is its first app's under the portfolio's name, in the portfolio's region: its parent plan's name likewise.
    const planName = regionSwitchPlanNameIn(regionSet(ctx.cfg), ctx.cfg.appName, ctx.cfg.region);
    let planned: PlannedStep[] = [];
    let known = new Set<string>();
    let followed: Followed | undefined;

    try {
        // 1. The plan, by name, through a region's data plane: the region that comes up decides where we ask.
        const askRegion = kind === "failover" ? ctx.dr.region : regionSet(ctx.cfg).primary;
        const lookup = options.client(askRegion);
        const summary: AbbreviatedPlan | undefined = await lookup.findPlan(planName);
        if (!summary) {
            throw new Error(`no Region switch plan named ${planName} in ${askRegion} (ListPlansInRegion on its data plane): ` +
                "create it (the dr stack's plan) or run with --engine runbook");
        }
        const target = executionTarget(kind, summary.recoveryApproach, ctx);
        const client = target.callRegion === askRegion ? lookup : options.client(target.callRegion);
        const plan = (await client.getPlanInRegion(summary.arn)).plan;
        if (!plan) {
            throw new Error(`GetPlanInRegion in ${target.callRegion} returned no plan for ${summary.arn}`);
        }
        for (const region of [regionSet(ctx.cfg).primary, ctx.dr.region]) {
            if (!plan.regions.includes(region)) {
                throw new Error(`Region switch plan ${plan.name} covers ${plan.regions.join(" and ")}, not ${region}: it is not this pair's plan`);
            }
        }
        const workflow = workflowFor(plan, target);
        if (!workflow) {
            const has = plan.workflows.map((w) => `${w.workflowTargetAction} ${w.workflowTargetRegion ?? "either region"}`).join(", ") || "none";
            throw new Error(`Region switch plan ${plan.name} (${plan.recoveryApproach}) has no workflow to ${target.action} ${target.targetRegion} (it has: ${has})`);
        }
        planned = plannedSteps(workflow, kind, ctx);
        known = new Set(allNames(workflow.steps ?? []));
        const what = `${target.action} ${target.targetRegion}, ${target.mode}`;
        ctx.facts.set("engine", `ARC Region switch: plan ${plan.name} (${plan.recoveryApproach}), ${what}, through the ${target.callRegion} data plane (${client.endpoint})`);
        if (TIERS[ctx.cfg.strategy].bothRegionsServe !== (plan.recoveryApproach === "activeActive")) {
            ctx.facts.set("region switch approach", `the tier is ${ctx.cfg.strategy} but the plan is ${plan.recoveryApproach}: the plan's approach decides what is started`);
        }
        print(`Region switch plan ${plan.name} (${plan.arn}, ${plan.recoveryApproach}): ${what}, through the ${target.callRegion} data plane`);
        if (options.dryRun) {
            return { results: planned.map((s) => ({ id: s.name, title: `${s.name} [${s.type}]`, status: "planned", expectedSeconds: s.expectedSeconds, seconds: 0, notes: [`expected: ${s.expectedFrom}`] })) };
        }

        // 2. An execution already under way (a killed run's, or one a person started) is followed, not started twice.
        followed = { planned, known, states: new Map(), notes: new Map() };
        const run: Following = { ctx, options, planName, plan, client, target };
        const executionId = await executionUnderWay(run, summary.activePlanExecution) ?? await startExecution(run);
        options.onResult?.([], planned.length);
        // 3. Followed until it completes or fails; nothing is approved from here.
        return await follow(run, executionId, followed);
    } catch (err) {
        // What the last poll saw, if one was read (the execution itself goes on); else the workflow's steps, not run.
        const polled = followed?.polledAt;
        const results = followed && polled !== undefined ? resultsOf(followed, true, polled)
            : planned.map((s) => resultOf(s, undefined, [], Date.now(), true));
        return { results, error: err as Error };
    }
}
