import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { APP_PORT, HEALTH_CHECK_PATH, HTTPS_PORT, HTTP_PORT, TLS_POLICY } from "../model/app";
import { Capacity } from "../model/capacity";
import type { WarmPoolPlan } from "../model/levers";
import { DEFAULT_IMAGE_ID } from "../model/workload";

/** Placeholder app: answers the health check. Teams replace it with their own image or user data (dr:imageId, dr:userDataFile). */
export const PLACEHOLDER_USER_DATA = `#!/bin/bash
mkdir -p /srv/app && cd /srv/app && echo ok > health
nohup python3 -m http.server ${APP_PORT} >/var/log/app.log 2>&1 &
`;

/** The warm pool's state as EC2 Auto Scaling names it. */
const WARM_POOL_STATES = { stopped: "Stopped", hibernated: "Hibernated", running: "Running" } as const;

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
    /** An AMI id or `resolve:ssm:<parameter>`; default: Amazon Linux 2023 through its public SSM parameter. */
    readonly imageId?: pulumi.Input<string>;
    /** Default: a placeholder that serves the health path. */
    readonly userData?: string;
    /** The image's root device, whose volume is encrypted with `kmsKeyArn`. */
    readonly rootDeviceName: string;
    /** The instances' identity (components/appRole.ts). */
    readonly instanceProfileName: pulumi.Input<string>;
    /** The region's KMS key: the instances' root volumes. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The HTTPS listener's certificate, of this region. */
    readonly certificateArn: pulumi.Input<string>;
    /** On for the primary, off for the dr region (model/app.ts, albDeletionProtection, says why). */
    readonly deletionProtection: boolean;
    /** Where the ALB writes its access logs. */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    /**
     * Tags the group gives every instance it launches: the provider's default tags do not reach an Auto
     * Scaling group's instances. Default: none.
     */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /** A warm pool beside the group (model/levers.ts): pre-initialized instances a scale-up starts. Default: none. */
    readonly warmPool?: WarmPoolPlan;
    /**
     * GiB of the root volume where instances hibernate (their memory goes there); unset: the image's size.
     * Setting it also marks the launch template as hibernation-capable.
     */
    readonly hibernationVolumeGib?: number;
}

/**
 * ALB (HTTPS, with HTTP redirected to it), target group with a health check, launch template (IMDSv2 only,
 * encrypted root volume, detailed monitoring) and an Auto Scaling group that replaces instances the ALB
 * finds unhealthy. Capacity comes from the tier.
 */
export class AppTier extends pulumi.ComponentResource {
    public readonly albArn: pulumi.Output<string>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly albZoneId: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly autoScalingGroupArn: pulumi.Output<string>;
    public readonly appSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: AppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:AppTier", name, {}, opts);
        const { albSg, appSg } = this.securityGroups(name, args);
        const { alb, targetGroup } = this.loadBalancer(name, args, albSg);
        const launchTemplate = this.launchTemplate(name, args, appSg);
        const asg = this.group(name, args, launchTemplate, targetGroup);

        this.albArn = alb.arn;
        this.albDnsName = alb.dnsName;
        this.albZoneId = alb.zoneId;
        this.targetGroupArn = targetGroup.arn;
        this.autoScalingGroupName = asg.name;
        this.autoScalingGroupArn = asg.arn;
        this.appSecurityGroupId = appSg.id;
        this.registerOutputs({
            albArn: this.albArn,
            albDnsName: this.albDnsName,
            targetGroupArn: this.targetGroupArn,
            autoScalingGroupName: this.autoScalingGroupName,
        });
    }

    /** The ALB's group (the internet in) and the app's (the ALB in), and their egress rules. */
    private securityGroups(name: string, args: AppTierArgs): { albSg: ec2.SecurityGroup; appSg: ec2.SecurityGroup } {
        const parent = { parent: this };
        const albSg = new ec2.SecurityGroup(`${name}-alb-sg`, {
            vpcId: args.vpcId,
            description: "ALB: HTTPS from the internet, and HTTP to redirect it",
            ingress: [
                { protocol: "tcp", fromPort: HTTPS_PORT, toPort: HTTPS_PORT, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS from the internet" },
                { protocol: "tcp", fromPort: HTTP_PORT, toPort: HTTP_PORT, cidrBlocks: ["0.0.0.0/0"], description: "HTTP from the internet, redirected to HTTPS" },
            ],
        }, parent);
        const appSg = new ec2.SecurityGroup(`${name}-app-sg`, {
            vpcId: args.vpcId,
            description: "App instances: traffic from the ALB only",
            ingress: [{ protocol: "tcp", fromPort: APP_PORT, toPort: APP_PORT, securityGroups: [albSg.id], description: "the app port, from the ALB" }],
        }, parent);
        // Egress, rule by rule: each group names the other, so these rules stand apart from the groups (a group's
        // inline rules would be a cycle), and the groups declare no egress of their own. A group the provider
        // creates has none (it removes AWS's allow-all on create); the data tier adds the app's egress to its
        // own groups (components/clientSecurityGroup.ts).
        new vpc.SecurityGroupEgressRule(`${name}-alb-to-app`, {
            securityGroupId: albSg.id,
            ipProtocol: "tcp", fromPort: APP_PORT, toPort: APP_PORT,
            referencedSecurityGroupId: appSg.id,
            description: "the app port and its health check, to the app instances only",
        }, parent);
        new vpc.SecurityGroupEgressRule(`${name}-app-to-https`, {
            securityGroupId: appSg.id,
            ipProtocol: "tcp", fromPort: HTTPS_PORT, toPort: HTTPS_PORT,
            cidrIpv4: "0.0.0.0/0",
            description: "HTTPS: AWS's APIs (SSM, S3, CloudWatch) and the OS packages, through the NAT gateway",
        }, parent);
        return { albSg, appSg };
    }

    /** The internet-facing ALB: HTTPS to the app's target group, HTTP redirected. */
    private loadBalancer(name: string, args: AppTierArgs, albSg: ec2.SecurityGroup): { alb: lb.LoadBalancer; targetGroup: lb.TargetGroup } {
        const parent = { parent: this };
        const alb = new lb.LoadBalancer(`${name}-alb`, {
            name: args.albName,
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [albSg.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection,
            ...(args.accessLogs ? { accessLogs: { bucket: args.accessLogs.bucket, prefix: args.accessLogs.prefix, enabled: true } } : {}),
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
        new lb.Listener(`${name}-https`, {
            loadBalancerArn: alb.arn,
            port: HTTPS_PORT,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        }, parent);
        new lb.Listener(`${name}-http`, {
            loadBalancerArn: alb.arn,
            port: HTTP_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
        }, parent);
        return { alb, targetGroup };
    }

    /** The instances' launch template: the team's image and user data, an encrypted root volume, IMDSv2 only. */
    private launchTemplate(name: string, args: AppTierArgs, appSg: ec2.SecurityGroup): ec2.LaunchTemplate {
        const parent = { parent: this };
        return new ec2.LaunchTemplate(`${name}-lt`, {
            name: args.launchTemplateName,
            imageId: args.imageId ?? DEFAULT_IMAGE_ID,
            instanceType: args.instanceType,
            vpcSecurityGroupIds: [appSg.id],
            iamInstanceProfile: { name: args.instanceProfileName },
            userData: Buffer.from(args.userData ?? PLACEHOLDER_USER_DATA).toString("base64"),
            // The root volume encrypted with the region's key, whatever the image's snapshot is.
            blockDeviceMappings: [{
                deviceName: args.rootDeviceName,
                ebs: {
                    encrypted: "true", kmsKeyId: args.kmsKeyArn, volumeType: "gp3", deleteOnTermination: "true",
                    ...(args.hibernationVolumeGib !== undefined ? { volumeSize: args.hibernationVolumeGib } : {}),
                },
            }],
            // A hibernated warm pool needs instances launched hibernation-capable (an encrypted root volume that holds their memory).
            ...(args.hibernationVolumeGib !== undefined ? { hibernationOptions: { configured: true } } : {}),
            // One-minute EC2 metrics: a scale-up on the day is watched at the resolution it happens in.
            monitoring: { enabled: true },
            // IMDSv2 only: tokens required, and a hop limit of 1 keeps containers from reaching it.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            updateDefaultVersion: true,
        }, parent);
    }

    /** The Auto Scaling group at the tier's capacity, with its warm pool where the plan has one. */
    private group(name: string, args: AppTierArgs, launchTemplate: ec2.LaunchTemplate, targetGroup: lb.TargetGroup): autoscaling.Group {
        const parent = { parent: this };
        return new autoscaling.Group(`${name}-asg`, {
            name: args.autoScalingGroupName,
            minSize: args.capacity.min,
            desiredCapacity: args.capacity.desired,
            maxSize: args.capacity.max,
            vpcZoneIdentifiers: args.privateSubnetIds,
            targetGroupArns: [targetGroup.arn],
            // ELB health: an instance the ALB cannot reach is replaced, not only one whose VM died.
            healthCheckType: "ELB",
            // Boot plus app start; docs/reference.md: "a new instance is usually in service within 2-5 min".
            healthCheckGracePeriod: 120,
            tags: Object.entries(args.instanceTags ?? {}).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            // With a warm pool the group names the template's version, so a new version changes the group and
            // starts the instance refresh below; "$Latest" would leave the pool on the old one.
            launchTemplate: { id: launchTemplate.id, version: args.warmPool ? launchTemplate.latestVersion.apply(String) : "$Latest" },
            ...(args.warmPool ? {
                // Pre-initialized instances (their user data has run) kept stopped, hibernated or running, up to N:
                // a failover starts them instead of launching them (EC2 Auto Scaling User Guide, "Warm pools").
                warmPool: {
                    poolState: WARM_POOL_STATES[args.warmPool.state],
                    minSize: args.warmPool.minSize,
                    maxGroupPreparedCapacity: args.warmPool.maxGroupPreparedCapacity,
                    instanceReusePolicy: { reuseOnScaleIn: args.warmPool.reuseOnScaleIn },
                },
                // A new image or launch template replaces the pooled instances too, so a failover never starts
                // yesterday's: the refresh runs when the launch template changes, in normal times.
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, skipMatching: true },
                },
            } : {}),
        }, parent);
    }
}
