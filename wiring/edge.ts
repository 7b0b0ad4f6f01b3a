// The region's edge: the app tier behind its ALB and certificate, the web ACL, and the region's DNS record with
// its health check (behind the fence the recovering region holds, where the plan fences it).
import * as pulumi from "@pulumi/pulumi";
import { AppRole } from "../components/appRole";
import { AppTier } from "../components/appTier";
import { Certificate } from "../components/certificate";
import { RegionDns } from "../components/regionDns";
import { WebFirewall } from "../components/webFirewall";
import { HEALTH_CHECK_PATH, HTTPS_PORT, albDeletionProtection } from "../model/app";
import { ALB_LOG_PREFIX } from "../model/policies/bucketPolicy";
import { fenceOf } from "../model/fence";
import type { AppPlan } from "../model/regionPlan";
import { stackTags } from "../model/tags";
import { launchImage } from "../model/workload";
import type { RegionBase } from "./base";

export interface Edge {
    /** Absent where the plan has no app tier. */
    readonly app?: AppTier;
    readonly dns?: RegionDns;
}

/** The edge of the region, as the plan has it; `userData` is dr:userDataFile's text (undefined: the placeholder app). */
export function buildEdge(base: RegionBase, userData: string | undefined): Edge {
    const { name, cfg, plan, names, opts } = base;
    const app = plan.app && appTier(base, plan.app, userData);
    // The web ACL stands wherever dr:waf is on, with or without an ALB to guard yet: the failover deploy creates none.
    if (plan.waf) {
        new WebFirewall(`${name}-waf`, { name: names.webAcl, healthPath: HEALTH_CHECK_PATH, rateLimit: plan.waf.rateLimit, albArn: app?.albArn }, opts);
    }
    const dns = plan.app && app && new RegionDns(`${name}-dns`, {
        zoneId: cfg.dnsZoneId,
        recordName: cfg.dnsName,
        routing: plan.app.routing,
        region: cfg.region,
        setIdentifier: names.dnsSetIdentifier,
        healthCheckName: names.healthCheck,
        albDnsName: app.albDnsName,
        albZoneId: app.albZoneId,
        healthCheckPath: HEALTH_CHECK_PATH,
        port: HTTPS_PORT,
        intervalSeconds: cfg.healthCheckIntervalSeconds,
        failureThreshold: cfg.healthCheckFailureThreshold,
        // The fences the recovery regions hold of this region's record: their alarms, by deterministic name.
        fences: (plan.fencedBy ?? []).map((holder) => ({ alarmName: fenceOf(cfg.appName, cfg.region, holder).alarmName, alarmRegion: holder })),
        fenceCheckName: names.fenceCheck,
        recordCheckName: names.recordCheck,
    }, opts);
    return { app: app || undefined, dns: dns || undefined };
}

/** The app tier: its certificate, its instances' role, the ALB and the Auto Scaling group. */
function appTier(base: RegionBase, app: AppPlan, userData: string | undefined): AppTier | undefined {
    const { name, cfg, plan, names, opts, accountId, key, logs, network } = base;
    // The HTTPS listener's certificate: the one given for this region, or one requested and validated in
    // normal times, standing by with the app tier (the failover deploy requests none).
    const certificate = plan.certificate;
    const certificateArn = certificate === undefined ? undefined : "given" in certificate ? pulumi.output(certificate.given)
        : new Certificate(`${name}-certificate`, certificate.requested, opts).certificateArn;
    const role = new AppRole(`${name}-app-role`, {
        name: names.appRole, accountId, region: cfg.region, prefix: names.prefix, kmsKeyArn: key.keyArn,
    }, opts);
    return certificateArn && new AppTier(`${name}-app`, {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albName: names.alb,
        targetGroupName: names.targetGroup,
        launchTemplateName: names.launchTemplate,
        autoScalingGroupName: names.autoScalingGroup,
        capacity: app.capacity,
        instanceType: cfg.instanceType,
        imageId: launchImage(cfg),
        userData,
        rootDeviceName: cfg.rootDeviceName,
        kmsKeyArn: key.keyArn,
        instanceProfileName: role.instanceProfileName,
        certificateArn,
        deletionProtection: albDeletionProtection(cfg.role),
        accessLogs: { bucket: logs.bucketName, prefix: ALB_LOG_PREFIX },
        warmPool: app.warmPool,
        instanceTags: { ...stackTags(cfg), Name: names.autoScalingGroup },
        hibernationVolumeGib: plan.hibernationVolumeGib,
    }, opts);
}
