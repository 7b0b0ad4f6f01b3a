// The second runbook engine (`--engine region-switch`): the failover or failback runs as an ARC Region
// switch plan execution, and this engine only starts it and follows it, through the regional data plane
// of the region being activated (runbook/regionSwitch.ts). It approves nothing: a manual-approval step
// waits for a person, and the engine says so and keeps polling. Each Region switch step becomes a
// StepResult, so the run writes the same report as the runbook's own engine (runbook/run.ts, report.ts).
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
import { regionSwitchPlanName } from "../model/naming";
import { TIERS } from "../model/tiers";
import { outcomeUnknown } from "./aws";
import type { RunOutcome } from "./engine";
import { failbackSteps } from "./failback";
import { failoverSteps } from "./failover";
import {
    AbbreviatedPlan, ExecutionAction, ExecutionEvent, ExecutionMode, ExecutionState, Plan, PlanExecution, PlanStep,
    RegionSwitchClient, StepState, Workflow, epochMs,
} from "./regionSwitch";
import { NotConfirmedError, RunbookContext, StepResult } from "./types";

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

/** The step of the runbook's own procedure that a Region switch execution block does, by block type. */
const BLOCK_STEP: Readonly<Record<"failover" | "failback", Readonly<Record<string, string>>>> = {
    failover: {
        AuroraGlobalDatabase: "promote-database", EC2AutoScaling: "scale-compute", ECSServiceScaling: "scale-compute",
        EKSResourceScaling: "scale-compute", Route53HealthCheck: "shift-traffic", ARCRoutingControl: "shift-traffic",
    },
    failback: { AuroraGlobalDatabase: "switch-database-back", Route53HealthCheck: "shift-traffic", ARCRoutingControl: "shift-traffic" },
};

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** The runbook's steps for this tier, by id, with their expected seconds (weighted walks' steps added up). */
function runbookExpectations(kind: "failover" | "failback", ctx: RunbookContext): Map<string, number> {
    const steps = kind === "failover" ? failoverSteps(ctx) : failbackSteps(ctx);
    const byId = new Map<string, number>();
    for (const step of steps) {
        const id = step.id.replace(/-\d+$/, "");
        byId.set(id, (byId.get(id) ?? 0) + step.expectedSeconds);
    }
    return byId;
}

/** A workflow step as the engine reports it. */
interface PlannedStep {
    readonly name: string;
    readonly type: string;
    readonly expectedSeconds: number;
    /** Where the expectation comes from. */
    readonly expectedFrom: string;
    readonly approvalRole?: string;
}

/** Every step name of a workflow, a parallel block's own among them. */
function allNames(steps: readonly PlanStep[]): string[] {
    return steps.flatMap((s) => [s.name, ...allNames(s.executionBlockConfiguration?.parallelConfig?.steps ?? [])]);
}

/** The workflow's steps in order, a parallel block's steps in its place (the block itself is their sum). */
function flatten(steps: readonly PlanStep[]): PlanStep[] {
    return steps.flatMap((s) => {
        const inner = s.executionBlockType === "Parallel" ? s.executionBlockConfiguration?.parallelConfig?.steps : undefined;
        return inner ? flatten(inner) : [s];
    });
}

function blockConfig(step: PlanStep) {
    return Object.values(step.executionBlockConfiguration ?? {}).find((c) => c !== undefined && c !== null);
}

/**
 * Each step's expectation: the tier's, where the step is one of the runbook's (by its name, else by its block
 * type; each runbook step stands for one Region switch step), else the plan's (the block's timeout).
 */
export function plannedSteps(workflow: Workflow, kind: "failover" | "failback", ctx: RunbookContext): PlannedStep[] {
    const tier = runbookExpectations(kind, ctx);
    const claimed = new Set<string>();
    const steps = flatten(workflow.steps ?? []);
    const byName = new Map<PlanStep, string>();
    for (const s of steps) {
        const id = slug(s.name);
        if (tier.has(id) && !claimed.has(id)) {
            byName.set(s, id);
            claimed.add(id);
        }
    }
    return steps.map((s) => {
        let id = byName.get(s);
        const byType = BLOCK_STEP[kind][s.executionBlockType];
        if (id === undefined && byType !== undefined && tier.has(byType) && !claimed.has(byType)) {
            id = byType;
            claimed.add(byType);
        }
        const config = blockConfig(s);
        const approvalRole = s.executionBlockType === "ManualApproval" ? config?.approvalRole : undefined;
        if (id !== undefined) {
            return { name: s.name, type: s.executionBlockType, expectedSeconds: tier.get(id)!, expectedFrom: `the tier's ${id} step`, approvalRole };
        }
        const timeout = config?.timeoutMinutes;
        return timeout !== undefined
            ? { name: s.name, type: s.executionBlockType, expectedSeconds: timeout * 60, expectedFrom: `the plan's timeout for this block (${timeout} min)`, approvalRole }
            : { name: s.name, type: s.executionBlockType, expectedSeconds: 0, expectedFrom: "the plan sets no time for this block", approvalRole };
    });
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

const seconds = (ms: number) => Math.max(0, Math.round(ms / 100) / 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A step's result from its state in the execution (measured on Region switch's clock). A step that ended has
 * its start and end in seconds from `origin`, the execution's start: a Parallel block's steps overlap.
 */
function resultOf(step: PlannedStep, state: StepState | undefined, notes: readonly string[], now: number, finished: boolean,
    origin?: number): StepResult {
    const started = epochMs(state?.startTime);
    const ended = epochMs(state?.endTime);
    const measured = started === undefined ? 0 : seconds((ended ?? now) - started);
    const base = { id: step.name, title: `${step.name} [${step.type}]`, expectedSeconds: step.expectedSeconds };
    const expectedNote = `expected: ${step.expectedFrom}`;
    const when = started !== undefined && ended !== undefined && origin !== undefined
        ? { startedAt: Math.max(0, started - origin) / 1000, endedAt: Math.max(0, ended - origin) / 1000 } : {};
    switch (state?.status) {
        case "completed":
            return { ...base, status: "done", seconds: measured, ...when, notes: [...notes, expectedNote] };
        case "failed":
            return { ...base, status: "failed", seconds: measured, ...when, notes: [...notes, expectedNote] };
        case "skipped":
            return { ...base, status: "not-run", seconds: measured, notes: ["skipped by Region switch", ...notes] };
        case "canceled":
            return { ...base, status: "not-run", seconds: measured, notes: ["canceled in Region switch", ...notes] };
        case "running":
        case "pendingApproval":
            return { ...base, status: finished ? "not-run" : "planned", seconds: measured,
                notes: [state.status === "running" ? "still running in Region switch when this run stopped following it" : "waiting for a person's approval when this run stopped following it", ...notes] };
        default:
            return { ...base, status: finished ? "not-run" : "planned", seconds: 0, notes: [...notes] };
    }
}

const terminal = (status: StepState["status"]) => status === "completed" || status === "failed" || status === "skipped" || status === "canceled";

/** Runs (or, dry, shows) the failover or failback as a Region switch plan execution. */
export async function runRegionSwitch(ctx: RunbookContext, options: RegionSwitchOptions): Promise<RunOutcome> {
    const { kind, print } = options;
    const planName = regionSwitchPlanName(ctx.cfg.appName);
    let planned: PlannedStep[] = [];
    let known = new Set<string>();
    /** The execution's start (Region switch's clock), from which each step's start and end are counted. */
    let origin: number | undefined;
    const results = (states: ReadonlyMap<string, StepState>, notes: ReadonlyMap<string, string[]>, finished: boolean, now = Date.now()) =>
        [...planned.map((s) => resultOf(s, states.get(s.name), notes.get(s.name) ?? [], now, finished, origin)),
            // Steps the execution reports that the workflow did not list (a child plan's): with what the state says.
            ...[...states.values()].filter((st) => st.name && !known.has(st.name))
                .map((st) => resultOf({ name: st.name!, type: "step", expectedSeconds: 0, expectedFrom: "not in the plan's workflow" }, st, notes.get(st.name!) ?? [], now, finished, origin))];
    const notRun = (): StepResult[] => planned.map((s) => resultOf(s, undefined, [], Date.now(), true));
    /** What the last poll saw: a call failing mid-execution keeps it (the execution itself goes on). */
    let latest: (() => StepResult[]) | undefined;

    try {
        // 1. The plan, by name, through a region's data plane: the region that comes up decides where we ask.
        const askRegion = kind === "failover" ? ctx.cfg.drRegion : ctx.cfg.primaryRegion;
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
        for (const region of [ctx.cfg.primaryRegion, ctx.cfg.drRegion]) {
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
        let executionId: string | undefined;
        if (summary.activePlanExecution) {
            const active = await client.planExecution(plan.arn, summary.activePlanExecution);
            if (!SUCCEEDED.includes(active.executionState) && !FAILED.includes(active.executionState)) {
                // executionRegion read as the region the action targets (service-2.json: "The Amazon Web Services Region for a plan execution").
                if (active.executionAction !== target.action || active.executionRegion !== target.targetRegion) {
                    throw new Error(`Region switch plan ${plan.name} already has execution ${active.executionId} under way ` +
                        `(${active.executionAction} ${active.executionRegion}, ${active.executionState}): wait for it, or cancel it, before this ${kind}`);
                }
                executionId = active.executionId;
                ctx.facts.set("region switch execution", `${executionId}: already under way (started ${new Date(epochMs(active.startTime) ?? Date.now()).toISOString()}), followed, not started again`);
                print(`following execution ${executionId}, already under way (${active.executionState})`);
            }
        }
        if (executionId === undefined) {
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
                executionId = started.executionId;
                ctx.facts.set("region switch execution", `${executionId}: started ${new Date().toISOString()} (plan version ${started.planVersion ?? "?"})`);
                print(`started execution ${executionId}`);
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
                executionId = execution.executionId;
                ctx.facts.set("region switch execution", `${executionId}: ${lost}. Read back: plan ${plan.name} has execution ${executionId} ` +
                    `(${execution.executionAction} ${execution.executionRegion}, ${execution.executionState}): followed, not started again`);
                print(`StartPlanExecution got no answer; the plan shows execution ${executionId} under way (${execution.executionState}): following it`);
            }
        }
        options.onResult?.([], planned.length);

        // 3. Followed until it completes or fails; nothing is approved from here.
        const states = new Map<string, StepState>();
        const notes = new Map<string, string[]>();
        const seenEvents = new Set<string>();
        const announced = new Map<string, string>();
        const reported = new Set<string>();
        let lastState: ExecutionState | undefined;
        const deadline = Date.now() + ctx.waitSeconds * 1000;
        for (;;) {
            const execution: PlanExecution = await client.planExecution(plan.arn, executionId);
            origin ??= epochMs(execution.startTime);
            const events: ExecutionEvent[] = await client.executionEvents(plan.arn, executionId);
            for (const event of events) {
                if (seenEvents.has(event.eventId)) {
                    continue;
                }
                seenEvents.add(event.eventId);
                if (event.stepName && (event.error || event.type === "stepFailed")) {
                    notes.set(event.stepName, [...(notes.get(event.stepName) ?? []), event.error ?? event.description ?? "failed"]);
                }
            }
            for (const state of execution.stepStates ?? []) {
                if (state.name) {
                    states.set(state.name, state);
                }
            }
            if (execution.executionState !== lastState) {
                print(`execution ${executionId}: ${execution.executionState}${execution.executionState === "pendingManualApproval"
                    ? " (waiting for a person's approval: this run approves nothing and keeps polling)" : ""}`);
                lastState = execution.executionState;
            }
            const now = Date.now();
            for (const step of [...planned.map((p) => p.name), ...[...states.keys()].filter((n) => !known.has(n))]) {
                const state = states.get(step);
                const status = state?.status;
                if (!status || announced.get(step) === status) {
                    continue;
                }
                announced.set(step, status);
                const p = planned.find((x) => x.name === step);
                const label = `  ${step}${p ? ` [${p.type}]` : ""}`;
                const took = seconds((epochMs(state.endTime) ?? now) - (epochMs(state.startTime) ?? now)).toFixed(1);
                if (status === "pendingApproval") {
                    print(`${label}: WAITING FOR A PERSON TO APPROVE step "${step}" of execution ${executionId} ` +
                        `(the Region switch console in ${target.callRegion}, or ApprovePlanExecutionStep${p?.approvalRole ? ` as ${p.approvalRole}` : ""}). ` +
                        `This run approves nothing; it checks again every ${ctx.pollMs / 1000} s.`);
                } else if (status === "completed") {
                    print(`${label}: completed in ${took} s`);
                } else if (status === "failed") {
                    print(`${label}: FAILED after ${took} s${notes.get(step)?.length ? `: ${notes.get(step)!.join("; ")}` : ""}`);
                } else {
                    print(`${label}: ${status}`);
                }
            }
            latest = () => results(states, notes, true, now);
            const finishedNow = [...states.values()].filter((s) => s.name && terminal(s.status)).map((s) => s.name!);
            if (finishedNow.some((n) => !reported.has(n))) {
                finishedNow.forEach((n) => reported.add(n));
                options.onResult?.(results(states, notes, false).filter((r) => reported.has(r.id)), planned.length);
            }

            const state = execution.executionState;
            const failedSteps = [...states.values()].filter((s) => s.status === "failed" && s.name).map((s) => s.name!);
            const failedText = failedSteps.map((n) => `"${n}"${notes.get(n)?.length ? ` (${notes.get(n)!.join("; ")})` : ""}`).join(", ");
            if (SUCCEEDED.includes(state)) {
                ctx.facts.set("region switch outcome", `${state}${execution.actualRecoveryTime ? `, actual recovery time ${execution.actualRecoveryTime}` : ""}` +
                    (failedSteps.length ? `; failed and passed by an operator: ${failedText}` : ""));
                return { results: results(states, notes, true) };
            }
            if (FAILED.includes(state) || state === "pausedByFailedStep") {
                const at = failedSteps.length ? ` at step ${failedText}` : "";
                const message = state === "pausedByFailedStep"
                    ? `Region switch execution ${executionId} of plan ${plan.name} stopped${at}: it is paused, waiting for a person ` +
                      `to retry, skip or cancel the step (Region switch console in ${target.callRegion}); re-run this command to follow it again`
                    : `Region switch execution ${executionId} of plan ${plan.name} ended ${state}${at}`;
                ctx.facts.set("region switch outcome", state);
                return { results: results(states, notes, true), error: new RegionSwitchExecutionError(message, executionId, state, failedSteps) };
            }
            if (Date.now() > deadline) {
                return {
                    results: results(states, notes, true),
                    error: new RegionSwitchExecutionError(`gave up after ${ctx.waitSeconds} s following Region switch execution ${executionId} (${state}): ` +
                        "it goes on in Region switch; re-run this command to follow it again", executionId, state, failedSteps),
                };
            }
            await sleep(ctx.pollMs);
        }
    } catch (err) {
        return { results: latest?.() ?? notRun(), error: err as Error };
    }
}
