// The portfolio's parent ARC Region switch plan: one approval (the portfolio's one decision), then each wave's
// apps' plans as child steps (ARCRegionSwitchPlan execution blocks), side by side within a wave, waves in
// sequence; failback the same way with the waves in reverse, so the most important apps move back last, once
// the primary region has taken the others. Pure: plain objects shaped like arcregionswitch.Plan's inputs.
// Sources: the ARC Developer Guide ("ARC Region switch plan execution block", "Create child plans", "Region
// switch plan execution block sample policy").
import { detectorNames } from "../canary";
import type { DrConfig } from "../config/contract";
import { fenceOf } from "../fence";
import type { PolicyDocument } from "../policies/iamPolicy";
import { APPROVAL_TIMEOUT_MINUTES, PlanStep, PlanTrigger, PlanWorkflow, autoFailoverTrigger } from "../regionSwitch";
import { wavesOf } from "./checks";
import type { PortfolioMember } from "./config";
import { regionSet, regionSwitchPlanNameIn } from "../regionSet";

/** A child plan: the app's dr stack, its wave, and its plan's ARN (read from the app's stack in normal times). */
export interface ChildPlan {
    readonly member: PortfolioMember;
    readonly planArn: string;
}

export interface ParentPlanTargets {
    readonly primaryRegion: string;
    readonly drRegion: string;
    readonly recoveryApproach: "activeActive" | "activePassive";
    readonly approvalRoleArn: string;
    readonly children: readonly ChildPlan[];
    /** dr:autoFailover auto: the detector's and the fence's alarms that start the failover (no approval then). */
    readonly auto?: { readonly detector: string; readonly fence: string };
}

/**
 * The alarms a portfolio's trigger watches (dr:autoFailover auto): its detector app's detector (the dr region's
 * canary on the primary, model/canary.ts) and that app's traffic fence (model/fence.ts), both in the recovery
 * region, named as the app's dr stack names them. The app's dr stack holds the primary's fence (model/regionPlan.ts).
 */
export function triggerAlarms(app: Pick<DrConfig, "appName" | "primaryRegion" | "drRegion" | "regions" | "region">): { readonly detector: string; readonly fence: string } {
    return {
        detector: detectorNames(app.appName, app.region, regionSet(app).primary).alarm,
        fence: fenceOf(app.appName, regionSet(app).primary, app.region).alarmName,
    };
}

/**
 * The parent plan's name: a portfolio per target region, each over its apps' plans into that region, named as an app's
 * plan into it is (model/regionSet.ts, regionSwitchPlanNameIn): `<dr:appName>-region-switch` into the first recovery
 * region, `<dr:appName>-rs-<code>` into another. `app`: one of its apps' dr stack config (they share the set's primary).
 */
export function parentPlanName(app: Pick<DrConfig, "primaryRegion" | "drRegion" | "regions">, portfolioAppName: string, region: string): string {
    return regionSwitchPlanNameIn(regionSet(app), portfolioAppName, region);
}

/** A step's name from a stack's: what Region switch accepts in a name (letters, digits, hyphens). */
export function childStepName(stack: string): string {
    return `app-${stack.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

function childStep(child: ChildPlan, direction: string): PlanStep {
    return {
        name: childStepName(child.member.stack),
        description: `${direction} of ${child.member.stack} (wave ${child.member.wave}): its own plan, run as this plan's child`,
        executionBlockType: "ARCRegionSwitchPlan",
        regionSwitchPlanConfigs: [{ arn: child.planArn }],
    };
}

/** One wave: its only app's step, or its apps' steps side by side in one Parallel block. */
function waveStep(wave: number, children: readonly ChildPlan[], direction: string): PlanStep {
    if (children.length === 1) {
        return childStep(children[0], direction);
    }
    return {
        name: `wave-${wave}`, description: `wave ${wave}: ${children.map((c) => c.member.stack).join(", ")} side by side`,
        executionBlockType: "Parallel", parallelConfigs: [{ steps: children.map((c) => childStep(c, direction)) }],
    };
}

function approval(roleArn: string, what: string): PlanStep {
    return {
        name: "approve", description: `a person with the portfolio's approval role decides, once for every app: ${what}`, executionBlockType: "ManualApproval",
        executionApprovalConfigs: [{ approvalRole: roleArn, timeoutMinutes: APPROVAL_TIMEOUT_MINUTES }],
    };
}

/**
 * The parent plan's two workflows, in the recovery approach its children share (model/regionSwitch.ts does the
 * same for one app); with dr:autoFailover auto, the trigger that starts the failover, as an app's would.
 */
export function parentWorkflows(t: ParentPlanTargets): { readonly failover: PlanWorkflow; readonly failback: PlanWorkflow; readonly triggers?: PlanTrigger[] } {
    const waves = wavesOf(t.children);
    const forward = waves.map((w) => waveStep(w.wave, w.apps, "failover"));
    const back = [...waves].reverse().map((w) => waveStep(w.wave, w.apps, "failback"));
    const activeActive = t.recoveryApproach === "activeActive";
    const failoverWhat = activeActive ? `take ${t.primaryRegion} out for every app, wave by wave` : `activate ${t.drRegion} for every app, wave by wave`;
    const failbackWhat = `${t.primaryRegion} serves every app again, the last wave first`;
    return {
        failover: {
            workflowTargetAction: activeActive ? "deactivate" : "activate", workflowTargetRegion: activeActive ? t.primaryRegion : t.drRegion,
            // Started by the trigger (dr:autoFailover auto), the failover has no approval: the trigger was the decision.
            workflowDescription: `portfolio failover: ${failoverWhat}`, steps: [...(t.auto ? [] : [approval(t.approvalRoleArn, failoverWhat)]), ...forward],
        },
        failback: {
            workflowTargetAction: "activate", workflowTargetRegion: t.primaryRegion,
            workflowDescription: `portfolio failback: ${failbackWhat}`, steps: [approval(t.approvalRoleArn, failbackWhat), ...back],
        },
        ...(t.auto ? { triggers: [autoFailoverTrigger(t, t.recoveryApproach, t.auto)] } : {}),
    };
}

/**
 * The parent's execution role: run, follow and cancel its children's executions (AWS's sample policy for the
 * block), and read nothing else; the children's own roles do their work.
 */
export function parentExecutionPolicy(childPlanArns: readonly string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "RunChildPlans", Effect: "Allow",
            Action: ["arc-region-switch:StartPlanExecution", "arc-region-switch:GetPlanExecution", "arc-region-switch:CancelPlanExecution",
                "arc-region-switch:UpdatePlanExecution", "arc-region-switch:ListPlanExecutions"],
            Resource: [...childPlanArns],
        }],
    };
}
