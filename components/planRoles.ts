// The two roles every ARC Region switch plan of this project has (an app's, components/regionSwitchPlan.ts, and a
// portfolio's parent, components/portfolioPlan.ts): the role Region switch assumes to run the plan, and the role
// whose holders approve; and the approver's policy, once the plan has its ARN. A plain function, not a
// component: the resources are the plan component's own children, so their URNs are the plan's.
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";
import { approvalTrustPolicy, approverPolicy } from "../model/policies/regionSwitch";

export interface PlanRoles {
    readonly approval: iam.Role;
    readonly execution: iam.Role;
    /** Lets the approvers approve this plan's steps: written once the plan has its ARN (a constant afterwards). */
    approveOnly(planArn: pulumi.Output<string>): iam.RolePolicy;
}

export function planRoles(name: string, args: {
    readonly roleNames: { readonly execution: string; readonly approval: string };
    readonly approverArns: readonly string[];
    /** What the approval decides, for the role's description. */
    readonly approvalDescription: string;
}, parent: pulumi.Resource): PlanRoles {
    const approval = new iam.Role(`${name}-approval-role`, {
        name: args.roleNames.approval,
        description: args.approvalDescription,
        assumeRolePolicy: JSON.stringify(approvalTrustPolicy(args.approverArns)),
    }, { parent });
    const execution = new iam.Role(`${name}-execution-role`, {
        name: args.roleNames.execution,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("arc-region-switch.amazonaws.com")),
    }, { parent });
    return {
        approval, execution,
        approveOnly: (planArn) => new iam.RolePolicy(`${name}-approval-policy`, {
            role: approval.id,
            policy: planArn.apply((arn) => JSON.stringify(approverPolicy(arn))),
        }, { parent }),
    };
}
