// A Region switch plan's workflow as the run's steps (runbook/regionSwitchEngine.ts follows the execution): each
// step's expectation, the tier's where the step is one of the runbook's, else the plan's; and each step's
// result, from its state in the execution, as the runbook's own engine would report it.
import { failbackSteps } from "./failback";
import { failoverSteps } from "./failover";
import { PlanStep, StepState, Workflow, epochMs } from "./regionSwitch";
import { RunbookContext, StepResult } from "./types";

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
export interface PlannedStep {
    readonly name: string;
    readonly type: string;
    readonly expectedSeconds: number;
    /** Where the expectation comes from. */
    readonly expectedFrom: string;
    readonly approvalRole?: string;
}

/** Every step name of a workflow, a parallel block's own among them. */
export function allNames(steps: readonly PlanStep[]): string[] {
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

/** Milliseconds as the report's seconds: tenths, never below 0. */
export const seconds = (ms: number) => Math.max(0, Math.round(ms / 100) / 10);

/**
 * A step's result from its state in the execution (measured on Region switch's clock). A step that ended has
 * its start and end in seconds from `origin`, the execution's start: a Parallel block's steps overlap.
 */
export function resultOf(step: PlannedStep, state: StepState | undefined, notes: readonly string[], now: number, finished: boolean,
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
