import * as arcregionswitch from "@pulumi/aws/arcregionswitch";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { ChildPlan, PortfolioMember, parentExecutionPolicy, parentWorkflows } from "../model/portfolio";
import { rtoMinutes } from "../model/regionSwitch";
import { planRoles } from "./planRoles";

/** Every input of the plan: what `frozen` keeps as it is. */
const PLAN_INPUTS = ["associatedAlarms", "description", "executionRole", "name", "primaryRegion", "recoveryApproach", "recoveryTimeObjectiveMinutes", "regions", "tags", "triggers", "workflows"];

export interface PortfolioPlanArgs {
    readonly planName: string;
    /** IAM names (global: each carries the region code). */
    readonly roleNames: { readonly execution: string; readonly approval: string };
    readonly primaryRegion: string;
    readonly drRegion: string;
    readonly recoveryApproach: "activeActive" | "activePassive";
    /** `dr:approverArns` of the portfolio stack: who may approve for every app at once. */
    readonly approverArns: readonly string[];
    /** Each app's dr stack and wave, with its plan's ARN as that stack reports it. */
    readonly children: readonly { readonly member: PortfolioMember; readonly planArn: pulumi.Input<string> }[];
    readonly rtoTargetSeconds: number;
    /**
     * dr:autoFailover auto: the detector's alarm and the fence's (its detector app's, in this region), associated as
     * trigger alarms; the failover then starts on the trigger, with no approval.
     */
    readonly autoTrigger?: {
        readonly detector: { readonly name: string; readonly arn: pulumi.Input<string> };
        readonly fence: { readonly name: string; readonly arn: pulumi.Input<string> };
    };
    /** The portfolio stack with `dr:failover=true`: the plan and its role's policy are kept exactly as they are. */
    readonly frozen: boolean;
}

/**
 * A portfolio's parent ARC Region switch plan (model/portfolio/parentPlan.ts): one approval, then its apps'
 * plans as child steps, wave by wave; and the roles that run and approve it. Created and changed in normal times only.
 */
export class PortfolioPlan extends pulumi.ComponentResource {
    public readonly planArn: pulumi.Output<string>;
    public readonly approvalRoleArn: pulumi.Output<string>;

    constructor(name: string, args: PortfolioPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:PortfolioPlan", name, {}, opts);
        const roles = planRoles(name, {
            roleNames: args.roleNames, approverArns: args.approverArns,
            approvalDescription: "ARC Region switch: whoever assumes this role approves the portfolio's failover, for every app at once",
        }, this);
        const { approval, execution } = roles;
        const children = pulumi.all(args.children.map((c) => c.planArn)).apply((arns) =>
            args.children.map((c, i): ChildPlan => ({ member: c.member, planArn: arns[i] })));
        const executionPolicy = new iam.RolePolicy(`${name}-execution-policy`, {
            role: execution.id,
            policy: children.apply((cs) => JSON.stringify(parentExecutionPolicy(cs.map((c) => c.planArn)))),
        }, { parent: this, ...(args.frozen ? { ignoreChanges: ["policy"] } : {}) });
        const workflows = pulumi.all([children, approval.arn]).apply(([cs, approvalRoleArn]) => parentWorkflows({
            primaryRegion: args.primaryRegion, drRegion: args.drRegion, recoveryApproach: args.recoveryApproach, approvalRoleArn, children: cs,
            auto: args.autoTrigger && { detector: args.autoTrigger.detector.name, fence: args.autoTrigger.fence.name },
        }));
        const plan = new arcregionswitch.Plan(`${name}-plan`, {
            name: args.planName,
            description: "multi-region-dr portfolio: its apps' plans as child steps, wave by wave, under one approval",
            executionRole: execution.arn,
            recoveryApproach: args.recoveryApproach,
            regions: [args.primaryRegion, args.drRegion],
            primaryRegion: args.primaryRegion,
            recoveryTimeObjectiveMinutes: rtoMinutes(args.rtoTargetSeconds),
            workflows: workflows.apply((w) => [w.failover, w.failback] as any),
            ...(args.autoTrigger ? {
                associatedAlarms: [args.autoTrigger.detector, args.autoTrigger.fence]
                    .map((a) => ({ mapBlockKey: a.name, alarmType: "trigger", resourceIdentifier: a.arn })),
                triggers: workflows.apply((w) => (w.triggers ?? []) as any),
            } : {}),
        }, { parent: this, dependsOn: [executionPolicy], ...(args.frozen ? { ignoreChanges: PLAN_INPUTS } : {}) });
        roles.approveOnly(plan.arn);
        this.planArn = plan.arn;
        this.approvalRoleArn = approval.arn;
        this.registerOutputs({ planArn: this.planArn, approvalRoleArn: this.approvalRoleArn });
    }
}
