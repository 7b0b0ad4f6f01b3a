import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";

/**
 * A security group that admits one TCP port from one client security group only: how the data tier
 * (Aurora, the cache) is reachable from the app tier and from nothing else. The client's group may reach
 * it on that port (an egress rule of the client's group, which declares no egress of its own). A plain
 * function, not a component: it creates its resources under the caller.
 */
export function clientOnlySecurityGroup(
    name: string,
    args: {
        vpcId: pulumi.Input<string>; port: number; clientSecurityGroupId: pulumi.Input<string>; description: string;
        /** What the group guards, as the client's egress rule names it: "Aurora", "the cache". */
        readonly service: string;
    },
    opts: pulumi.CustomResourceOptions,
): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(name, {
        vpcId: args.vpcId,
        description: args.description,
        ingress: [{ protocol: "tcp", fromPort: args.port, toPort: args.port, securityGroups: [args.clientSecurityGroupId], description: `port ${args.port}, from the app tier` }],
    }, opts);
    new vpc.SecurityGroupEgressRule(`${name}-from-client`, {
        securityGroupId: args.clientSecurityGroupId,
        ipProtocol: "tcp", fromPort: args.port, toPort: args.port,
        referencedSecurityGroupId: group.id,
        description: `port ${args.port}, to ${args.service} only`,
    }, opts);
    return group;
}
