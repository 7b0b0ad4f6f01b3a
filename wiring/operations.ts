// What proves and runs the recovery, as the stack's plan has it: the region's canary, the detector, the dr
// vault's restore tests and the Region switch plan (regionSwitch.ts).
import { getLoadBalancerOutput } from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import type { AppTier } from "../components/appTier";
import { RegionCanary } from "../components/canary";
import type { RegionSwitchPlan } from "../components/regionSwitchPlan";
import type { ReplicationAlarms } from "../components/replicationAlarms";
import { RestoreTests } from "../components/restoreTests";
import { CanaryNames, detectorPage, rateExpression } from "../model/canary";
import { DETECTOR_ALARM, DETECTOR_RATE_MINUTES, canaryAlarmAt } from "../model/levers";
import { RestoreTestedStore, restoreCheckLogRetentionDays, restoreTestNames } from "../model/restoreTests";
import type { CanaryProbe, DetectorProbe } from "../model/stackOperations";
import { RegionBase, primaryValue } from "./base";
import type { Data } from "./data";
import type { Edge } from "./edge";
import type { Protection } from "./protection";
import { buildRegionSwitch } from "./regionSwitch";

export interface Operations {
    readonly canary?: RegionCanary;
    readonly detector?: RegionCanary;
    readonly restoreTests?: RestoreTests;
    readonly regionSwitch?: RegionSwitchPlan;
}

export function buildOperations(base: RegionBase, edge: Edge, data: Data, protection: Protection, rtoTargetSeconds: number): Operations {
    const { plan, names } = base;
    const { app } = edge;
    const { alarms } = protection;
    const canary = app && plan.canaryProbe ? regionCanary(base, plan.canaryProbe, app, alarms) : undefined;
    const detector = app && plan.detectorProbe ? detectorCanary(base, plan.detectorProbe, alarms) : undefined;
    // Monthly restore tests of what the dr vault holds: the primary's copies, and this region's own backups once promoted.
    const restoreTests = plan.restoreTestStores && newRestoreTests(base, plan.restoreTestStores, protection);
    const regionSwitch = buildRegionSwitch(base, {
        // The primary's fence: fencesHeldBy lists it first.
        app, database: data.database, cache: data.cache, fence: protection.fences[0], topicArn: alarms.topicArn, rtoTargetSeconds,
        ownAlarms: alarmsHeld([
            [plan.canaryProbe?.names.alarm, canary?.alarmArn], [plan.detectorProbe?.names.alarm, detector?.alarmArn],
            [names.auroraLagAlarm, alarms.auroraLagAlarmArn],
        ]),
    });
    return { canary, detector, restoreTests, regionSwitch };
}

/**
 * The region's canary on its own endpoint, where it serves or stands warm; its role stands by wherever there is an
 * app tier, so the failover deploy that starts a canary creates no IAM.
 */
function regionCanary(base: RegionBase, probe: CanaryProbe, app: AppTier, alarms: ReplicationAlarms): RegionCanary {
    const { name, cfg, plan, opts } = base;
    return new RegionCanary(`${name}-canary`, {
        ...namesOf(probe.names),
        schedule: rateExpression(plan.operations.canaryRateMinutes),
        alarm: canaryAlarmAt(plan.operations.canaryRateMinutes),
        region: cfg.region,
        accountId: base.accountId,
        albDnsName: app.albDnsName,
        hostName: cfg.dnsName,
        artifactBucketName: base.logs.bucketName,
        alarmActions: alarms.alarmActions,
        running: probe.running,
        logs: base.functionLogs,
    }, opts);
}

/**
 * The detector (dr:autoFailover approve or auto): this region's own view of the primary, which needs nothing in
 * us-east-1 (Route 53 publishes its checks' metrics there only). Its alarm pages the approvers, or triggers the
 * Region switch plan. It watches in normal times; promoted, there is nothing left to watch: the canary and its
 * alarm go (regional deletes) and its role stays, so a failback's deploy creates no IAM.
 */
function detectorCanary(base: RegionBase, watch: DetectorProbe, alarms: ReplicationAlarms): RegionCanary {
    const { name, cfg, plan, opts } = base;
    return new RegionCanary(`${name}-detector`, {
        ...namesOf(watch.names),
        region: cfg.region,
        accountId: base.accountId,
        albDnsName: primaryValue(watch.target, (alb) => getLoadBalancerOutput({ name: alb }, base.readPrimary()).dnsName),
        hostName: cfg.dnsName,
        artifactBucketName: base.logs.bucketName,
        schedule: rateExpression(DETECTOR_RATE_MINUTES),
        alarm: DETECTOR_ALARM,
        alarmDescription: detectorPage({
            watched: watch.watched, region: cfg.region, stack: pulumi.getStack(), regionSwitch: plan.operations.regionSwitch, starts: watch.starts,
        }),
        alarmActions: alarms.alarmActions,
        running: watch.running,
        logs: base.functionLogs,
    }, opts);
}

/** The dr region's restore tests, of what its vault holds: the primary's copies and, once promoted, its own backups. */
function newRestoreTests(base: RegionBase, stores: readonly RestoreTestedStore[], protection: Protection): RestoreTests {
    const { name, cfg, opts, network } = base;
    const n = restoreTestNames(cfg.appName, cfg.region);
    return new RestoreTests(`${name}-restore-tests`, {
        planName: n.plan,
        restoreRoleName: n.restoreRole,
        checkFunctionName: n.checkFunction,
        region: cfg.region,
        accountId: base.accountId,
        vaultArn: protection.vault.vaultArn,
        aurora: stores.includes("aurora") ? {
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            subnetGroupName: n.subnetGroup,
            securityGroupName: n.securityGroup,
        } : undefined,
        // Every protected resource whose recovery points are in this vault (the selection's includeVaults): the
        // primary's copies and this region's own, without naming the primary region's resources.
        s3: stores.includes("s3") ? {} : undefined,
        alarmNamePrefix: n.alarmPrefix,
        alarmActions: protection.alarms.alarmActions,
        logs: { kmsKeyArn: base.key.keyArn, retentionDays: restoreCheckLogRetentionDays(cfg.logRetentionDays) },
    }, opts);
}

function namesOf(n: CanaryNames): { canaryName: string; roleName: string; alarmName: string } {
    return { canaryName: n.canary, roleName: n.role, alarmName: n.alarm };
}

/** The alarms a resource of this region holds, by name; an alarm that runs nowhere (a stopped canary's) has none. */
function alarmsHeld(entries: [string | undefined, pulumi.Output<string> | undefined][]): ReadonlyMap<string, pulumi.Output<string>> {
    return new Map(entries.filter((e): e is [string, pulumi.Output<string>] => e[0] !== undefined && e[1] !== undefined));
}
