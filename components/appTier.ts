import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { APP_PORT, HEALTH_CHECK_PATH } from "../model/app";
import { Capacity } from "../model/capacity";

/**
 * Amazon Linux 2023, resolved by EC2 at launch from AWS's public parameter: no AMI lookup (an invoke)
 * at preview time and always the current image in whichever region the template is used.
 */
export const DEFAULT_IMAGE_ID = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** Placeholder app: answers the health check. Teams replace it with their own image or user data. */
const PLACEHOLDER_USER_DATA = `#!/bin/bash
mkdir -p /srv/app && cd /srv/app && echo ok > health
nohup python3 -m http.server ${APP_PORT} >/var/log/app.log 2>&1 &
`;

export interface AppTierArgs {
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the internet-facing ALB. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets of the instances. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Deterministic names: the runbook finds the ASG and target group by them. */
    readonly albName: string;
    readonly targetGroupName: string;
    readonly launchTemplateName: string;
    readonly autoScalingGroupName: string;
    /** The tier's capacity for this region. */
    readonly capacity: Capacity;
    readonly instanceType: pulumi.Input<string>;
    /** Default: Amazon Linux 2023 through its public SSM parameter. */
    readonly imageId?: pulumi.Input<string>;
    /** Default: a placeholder that serves the health path. */
    readonly userData?: string;
}

/**
 * ALB, target group with a health check, launch template (IMDSv2 only) and an Auto Scaling group
 * that replaces instances the ALB finds unhealthy. Capacity comes from the tier.
 */
export class AppTier extends pulumi.ComponentResource {
    public readonly albArn: pulumi.Output<string>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly albZoneId: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly appSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: AppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:AppTier", name, {}, opts);
        const parent = { parent: this };

        const albSg = new ec2.SecurityGroup(`${name}-alb-sg`, {
            vpcId: args.vpcId,
            description: "ALB: HTTP from the internet",
            ingress: [{ protocol: "tcp", fromPort: APP_PORT, toPort: APP_PORT, cidrBlocks: ["0.0.0.0/0"] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        }, parent);
        const appSg = new ec2.SecurityGroup(`${name}-app-sg`, {
            vpcId: args.vpcId,
            description: "App instances: traffic from the ALB only",
            ingress: [{ protocol: "tcp", fromPort: APP_PORT, toPort: APP_PORT, securityGroups: [albSg.id] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        }, parent);

        const alb = new lb.LoadBalancer(`${name}-alb`, {
            name: args.albName,
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [albSg.id],
            dropInvalidHeaderFields: true,
        }, parent);
        const targetGroup = new lb.TargetGroup(`${name}-tg`, {
            name: args.targetGroupName,
            vpcId: args.vpcId,
            port: APP_PORT,
            protocol: "HTTP",
            targetType: "instance",
            // Short drain: a failing region should hand its connections over quickly.
            deregistrationDelay: 30,
            healthCheck: {
                path: HEALTH_CHECK_PATH,
                interval: 10,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 2,
                matcher: "200-399",
            },
        }, parent);
        new lb.Listener(`${name}-http`, {
            loadBalancerArn: alb.arn,
            port: APP_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        }, parent);

        const launchTemplate = new ec2.LaunchTemplate(`${name}-lt`, {
            name: args.launchTemplateName,
            imageId: args.imageId ?? DEFAULT_IMAGE_ID,
            instanceType: args.instanceType,
            vpcSecurityGroupIds: [appSg.id],
            userData: Buffer.from(args.userData ?? PLACEHOLDER_USER_DATA).toString("base64"),
            // IMDSv2 only: tokens required, and a hop limit of 1 keeps containers from reaching it.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            updateDefaultVersion: true,
        }, parent);
        const asg = new autoscaling.Group(`${name}-asg`, {
            name: args.autoScalingGroupName,
            minSize: args.capacity.min,
            desiredCapacity: args.capacity.desired,
            maxSize: args.capacity.max,
            vpcZoneIdentifiers: args.privateSubnetIds,
            targetGroupArns: [targetGroup.arn],
            // ELB health: an instance the ALB cannot reach is replaced, not only one whose VM died.
            healthCheckType: "ELB",
            // Boot plus app start; DR-REFERENCE.md: "a new instance is usually in service within 2-5 min".
            healthCheckGracePeriod: 120,
            launchTemplate: { id: launchTemplate.id, version: "$Latest" },
        }, parent);

        this.albArn = alb.arn;
        this.albDnsName = alb.dnsName;
        this.albZoneId = alb.zoneId;
        this.targetGroupArn = targetGroup.arn;
        this.autoScalingGroupName = asg.name;
        this.appSecurityGroupId = appSg.id;
        this.registerOutputs({
            albArn: this.albArn,
            albDnsName: this.albDnsName,
            targetGroupArn: this.targetGroupArn,
            autoScalingGroupName: this.autoScalingGroupName,
        });
    }
}
