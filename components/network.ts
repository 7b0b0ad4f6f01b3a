import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { AVAILABILITY_ZONES } from "../model/regionPlan";

/** A flow log's aggregation interval: 600 s, AWS's default, or 60 s (CreateFlowLogs, MaxAggregationInterval). */
export const FLOW_LOG_AGGREGATION_SECONDS = 600;

/**
 * The part of awsx's VPC this component uses (@pulumi/awsx's ec2.Vpc and ec2.VpcArgs). awsx's own
 * declarations import the whole of @pulumi/aws, a million lines the type-check parsed for this one
 * constructor, so the module is loaded by name and typed here; tests/components.test.ts checks every
 * name and value below against awsx's declarations, so a new awsx that changes them fails the tests.
 */
export interface AwsxVpcArgs {
    readonly cidrBlock: string;
    readonly numberOfAvailabilityZones: number;
    readonly natGateways: { readonly strategy: "None" | "Single" | "OnePerAz" };
    readonly subnetStrategy: "Auto";
    readonly subnetSpecs: readonly { readonly type: "Public" | "Private"; readonly cidrMask: number }[];
    readonly tags: Record<string, string>;
}

interface AwsxVpc extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const awsxEc2 = require("@pulumi/awsx/ec2") as { Vpc: new (name: string, args: AwsxVpcArgs, opts?: pulumi.ComponentResourceOptions) => AwsxVpc };

export interface NetworkArgs {
    /** The VPC's name tag. */
    readonly vpcName: string;
    /** The VPC's CIDR block; the two regions use non-overlapping blocks. */
    readonly cidrBlock: string;
    /** NAT gateways: one per AZ where the region serves, one where it stands by, none where nothing runs yet. */
    readonly natGateways: "OnePerAz" | "Single" | "None";
    /** Availability zones to spread subnets over. Default AVAILABILITY_ZONES (2, the fewest an ALB accepts). */
    readonly availabilityZones?: number;
    /**
     * Where the VPC's flow logs go: the region's log bucket (once its policy lets the log delivery service write)
     * and the prefix, which expires with the other logs (model/policies/bucketPolicy.ts).
     */
    readonly flowLogs: { readonly bucketName: pulumi.Input<string>; readonly prefix: string };
}

/**
 * A VPC with public subnets (the ALB) and private subnets (app, database, cache) over two or more AZs.
 * awsx saves the subnet, route and NAT wiring; nothing in it decides RTO or RPO beyond the NAT count,
 * which the component's inputs show.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:Network", name, {}, opts);
        const vpc = new awsxEc2.Vpc(`${name}-vpc`, {
            cidrBlock: args.cidrBlock,
            numberOfAvailabilityZones: args.availabilityZones ?? AVAILABILITY_ZONES,
            natGateways: { strategy: args.natGateways },
            subnetStrategy: "Auto",
            subnetSpecs: [
                { type: "Public", cidrMask: 22 },
                { type: "Private", cidrMask: 20 },
            ],
            tags: { Name: args.vpcName },
        }, { parent: this });
        // The VPC's default security group, adopted with no rule at all: AWS gives it rules that let its members
        // reach each other and anything outside, and anything launched without a group would get them. The
        // provider removes every rule of the default group it manages and adds none (issue 17, item 1.6).
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, {
            vpcId: vpc.vpcId,
            tags: { Name: `${args.vpcName}-default-no-rules` },
        }, { parent: this });
        // Every flow, accepted and rejected, of every interface in the VPC, in 10-minute files (the default
        // aggregation: the cheaper one), to S3: no IAM role, and nothing in another region.
        new ec2.FlowLog(`${name}-flow-logs`, {
            vpcId: vpc.vpcId,
            trafficType: "ALL",
            logDestinationType: "s3",
            logDestination: pulumi.output(args.flowLogs.bucketName).apply((bucket) => `arn:aws:s3:::${bucket}/${args.flowLogs.prefix}/`),
            maxAggregationInterval: FLOW_LOG_AGGREGATION_SECONDS,
            tags: { Name: `${args.vpcName}-flow-logs` },
        }, { parent: this });
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}
