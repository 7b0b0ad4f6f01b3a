// DR operations: the Region switch plan, canaries, restore tests: what proves, before the day, that the
// recovery works.
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { UNKNOWN, isSet, list, peek, show } from "./props";
import { alarmsOn, isGlobalSecondary, ofType } from "./stack";
import { REF, TYPES } from "./types";

export const regionSwitchPlanComplete: ResourceValidationPolicy = {
    name: "region-switch-plan-complete",
    description:
        "An ARC Region switch plan starts every workflow with a manual approval (a person declares the disaster: " +
        `${REF}, "Recovery steps (rule of thumb)"), unless a trigger starts that workflow on alarms that include one that must ` +
        "be green (dr:autoFailover auto: the detector red while the fence is open, so a failover disarms it; docs/objectives.md, Recovering " +
        "in minutes), or is a portfolio's child (tagged dr:portfolio: its parent's approval decides, docs/portfolio.md); has a recovery " +
        "time objective, associates at least one application-health alarm, and writes its execution reports to S3: the measured run is " +
        "the evidence the drill exists for (docs/operations.md). A portfolio's parent plan, whose steps are its apps' plans, leaves the " +
        "health alarms and the reports to them.",
    enforcementLevel: "mandatory",
    remediationSteps: "Build the plan with components/regionSwitchPlan.ts, or add the missing part named in the message.",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TYPES.regionSwitchPlan) {
            return;
        }
        const what = `Region switch plan ${args.name}`;
        // A workflow a trigger starts unattended: the trigger must have a condition that a failover turns off (a green one).
        const triggered = (workflow: unknown) => list(args.props, "triggers").some((t) =>
            peek(t, "action") === peek(workflow, "workflowTargetAction") && peek(t, "targetRegion") === peek(workflow, "workflowTargetRegion")
            && list(t, "conditions").some((c) => peek(c, "condition") === "green"));
        const child = peek(args.props, "tags", "dr:portfolio") !== undefined;
        // A parent: every step but the approval runs child plans (directly, or side by side in a Parallel block).
        const blocks = list(args.props, "workflows").flatMap((w) => list(w, "steps"))
            .flatMap((st) => (peek(st, "executionBlockType") === "Parallel" ? list(peek(st, "parallelConfigs", 0), "steps") : [st]))
            .map((st) => peek(st, "executionBlockType")).filter((t) => t !== "ManualApproval");
        const parent = blocks.length > 0 && blocks.every((t) => t === "ARCRegionSwitchPlan");
        list(args.props, "workflows").forEach((workflow, i) => {
            const first = peek(workflow, "steps", 0, "executionBlockType");
            if (first !== "ManualApproval" && first !== UNKNOWN && !triggered(workflow) && !child) {
                report(`${what}: workflow ${show(peek(workflow, "workflowTargetAction"))} ${show(peek(workflow, "workflowTargetRegion") ?? i)} ` +
                    `starts with ${show(first)}, not a ManualApproval step.`);
            }
        });
        if (!isSet(peek(args.props, "recoveryTimeObjectiveMinutes"))) {
            report(`${what}: no recoveryTimeObjectiveMinutes.`);
        }
        if (parent) {
            return;
        }
        const health = list(args.props, "associatedAlarms").filter((a) => peek(a, "alarmType") === "applicationHealth" || peek(a, "alarmType") === UNKNOWN);
        if (health.length === 0) {
            report(`${what}: no application-health alarm associated.`);
        }
        const s3 = list(args.props, "reportConfigurations").flatMap((c) => list(c, "reportOutputs")).flatMap((o) => list(o, "s3Configurations"));
        if (!s3.some((c) => isSet(peek(c, "bucketPath")))) {
            report(`${what}: no S3 report output: executions leave no report.`);
        }
    },
};

export const replicasHaveRegionSwitchPlan: StackValidationPolicy = {
    name: "replicas-have-region-switch-plan",
    description:
        "A stack that holds an Aurora global database secondary (the dr stack of pilot light, warm standby and active-active) " +
        "has an ARC Region switch plan, whose evaluation every 30 minutes checks the recovery against the real resources. " +
        "Advisory: the plan is opt-in (dr:regionSwitch; docs/operations.md).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const secondaries = ofType(args, TYPES.auroraCluster).filter((c) => isGlobalSecondary(c, args.resources));
        if (secondaries.length > 0 && ofType(args, TYPES.regionSwitchPlan).length === 0) {
            report(`No ARC Region switch plan in a stack holding the global database secondary ${secondaries.map((c) => c.name).join(", ")} ` +
                "(set dr:regionSwitch=true and dr:approverArns on the dr stack).");
        }
    },
};

export const canariesAlarmed: StackValidationPolicy = {
    name: "canaries-alarmed",
    description:
        "Every Synthetics canary has a CloudWatch alarm on its CloudWatchSynthetics SuccessPercent: a canary nobody is " +
        "told about proves nothing (docs/operations.md).",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const canary of ofType(args, TYPES.canary)) {
            const name = peek(canary.props, "name");
            if (alarmsOn(args, "CloudWatchSynthetics", "SuccessPercent", "CanaryName", name).length === 0) {
                report(`Canary ${typeof name === "string" ? name : canary.name} has no SuccessPercent alarm.`, canary.urn);
            }
        }
    },
};

export const warmRegionsHaveCanaries: StackValidationPolicy = {
    name: "warm-regions-have-canaries",
    description:
        "A stack whose Auto Scaling group runs instances (a region that serves or stands warm) has a Synthetics canary on " +
        "its own endpoint, so a warm standby is proven to serve before the day. Advisory: dr:canaries=false turns them off (docs/operations.md).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const running = ofType(args, TYPES.autoScalingGroup).filter((g) => {
            const desired = peek(g.props, "desiredCapacity");
            return typeof desired === "number" && desired > 0;
        });
        if (running.length > 0 && ofType(args, TYPES.canary).length === 0) {
            report(`Auto Scaling group ${running.map((g) => g.name).join(", ")} runs instances, and no canary proves the region serves.`);
        }
    },
};

export const restoreTestsExist: StackValidationPolicy = {
    name: "restore-tests-exist",
    description:
        "The stack whose vault is locked (the dr region's, which receives the primary's copies) has an AWS Backup restore " +
        `testing plan with a selection: a backup never restored is not known to restore (${REF}, testing cadence). ` +
        "Advisory: dr:restoreTests=false turns them off (docs/operations.md).",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        if (ofType(args, TYPES.vaultLock).length === 0) {
            return;
        }
        if (ofType(args, TYPES.restoreTestingPlan).length === 0 || ofType(args, TYPES.restoreTestingSelection).length === 0) {
            report("A locked backup vault receives recovery points, and no restore testing plan with a selection restores them.");
        }
    },
};
