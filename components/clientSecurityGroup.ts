import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";

/**
 * A security group that admits one TCP port from one client security group only: how the data tier
 * (Aurora, the cache) is reachable from the app tier and from nothing else. A plain function, not a
 * component: it creates one resource under the caller.
 */
export function clientOnlySecurityGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; port: number; clientSecurityGroupId: pulumi.Input<string>; description: string },
    opts: pulumi.CustomResourceOptions,
): ec2.SecurityGroup {
    return new ec2.SecurityGroup(name, {
        vpcId: args.vpcId,
        description: args.description,
        ingress: [{ protocol: "tcp", fromPort: args.port, toPort: args.port, securityGroups: [args.clientSecurityGroupId], description: `port ${args.port}, from the app tier` }],
    }, opts);
}
