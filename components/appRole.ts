import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { appInstancePolicy } from "../model/workload";
import { serviceTrustPolicy } from "../model/policies/iamPolicy";

export interface AppRoleArgs {
    /** The role's and the instance profile's name (IAM is global: one per region). */
    readonly name: string;
    readonly accountId: pulumi.Input<string>;
    readonly region: string;
    /** The region's name prefix (model/naming.ts): the parameters under `/<prefix>/` are the app's. */
    readonly prefix: string;
    readonly kmsKeyArn: pulumi.Input<string>;
}

/**
 * The app instances' identity: an EC2 role with its instance profile and what it may do in its region
 * (model/workload.ts, `appInstancePolicy`). Created in normal times with the app tier; its inputs are constant,
 * so the failover deploy changes no IAM (IAM's control plane is in us-east-1).
 */
export class AppRole extends pulumi.ComponentResource {
    public readonly instanceProfileName: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: AppRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:AppRole", name, {}, opts);
        const parent = { parent: this };
        const role = new iam.Role(`${name}-role`, {
            name: args.name,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
        }, parent);
        new iam.RolePolicy(`${name}-policy`, {
            role: role.id,
            policy: pulumi.all([args.accountId, args.kmsKeyArn]).apply(([accountId, kmsKeyArn]) =>
                JSON.stringify(appInstancePolicy({ accountId, region: args.region, prefix: args.prefix, kmsKeyArn }))),
        }, parent);
        const profile = new iam.InstanceProfile(`${name}-profile`, { name: args.name, role: role.name }, parent);
        this.instanceProfileName = profile.name;
        this.roleArn = role.arn;
        this.registerOutputs({ instanceProfileName: this.instanceProfileName, roleArn: this.roleArn });
    }
}
