// The pair's ARC Region switch plan, held by the dr stack, on the targets the stack's plan names
// (model/stackOperations.ts), and the pages that tell the approvers an execution waits.
import { getGroupOutput } from "@pulumi/aws/autoscaling";
import * as pulumi from "@pulumi/pulumi";
import type { AppTier } from "../components/appTier";
import type { Cache } from "../components/cache";
import type { Database } from "../components/database";
import { ExecutionPages } from "../components/executionPages";
import { RegionSwitchPlan } from "../components/regionSwitchPlan";
import type { TrafficFence } from "../components/trafficFence";
import { fenceOf } from "../model/fence";
import { alarmArn, clusterArn, globalClusterIdentifier, regionNames, regionSwitchNames } from "../model/naming";
import type { RegionSwitchTargetNames } from "../model/stackOperations";
import { TIERS } from "../model/tiers";
import { RegionBase, primaryValue } from "./base";
import { regionSet, regionSwitchPlanNameIn } from "../model/regionSet";

export interface RegionSwitchParts {
    readonly app?: AppTier;
    readonly database?: Database;
    readonly cache?: Cache;
    readonly fence?: TrafficFence;
    /** The alarm topic, which the execution pages go to. */
    readonly topicArn: pulumi.Output<string>;
    /** The ARNs of the alarms this region holds, by name: the plan's health alarms and trigger name them. */
    readonly ownAlarms: ReadonlyMap<string, pulumi.Output<string>>;
    /** The pair's RTO target: the plan's objective. */
    readonly rtoTargetSeconds: number;
}

/** The plan where the stack's plan has one (with the app tier and the fence it acts on), and its pages. */
export function buildRegionSwitch(base: RegionBase, p: RegionSwitchParts): RegionSwitchPlan | undefined {
    const targets = base.plan.regionSwitchTargets;
    if (!targets || !p.app || !p.fence) {
        return undefined;
    }
    const plan = regionSwitchPlan(base, targets, { ...p, app: p.app, fence: p.fence });
    // Whoever must approve hears that an execution waits: the approval step notifies nobody.
    new ExecutionPages(`${base.name}-execution-pages`, {
        ruleName: `${base.names.prefix}-region-switch-executions`, topicArn: p.topicArn, accountId: base.accountId,
    }, base.opts);
    return plan;
}

/**
 * The plan itself. Its EC2 Auto Scaling block needs the primary's group by ARN, which holds an id only AWS knows:
 * read from the primary region in normal times only. With dr:failover=true the plan is kept as it is (frozen), and
 * nothing is read from the lost region.
 */
function regionSwitchPlan(base: RegionBase, t: RegionSwitchTargetNames, p: RegionSwitchParts & { app: AppTier; fence: TrafficFence }): RegionSwitchPlan {
    const { name, cfg, names: mine, accountId, logs } = base;
    const primary = regionNames(cfg.appName, regionSet(cfg).primary);
    const rs = regionSwitchNames(cfg.appName, cfg.region);
    const alarm = (a: { readonly name: string; readonly region: string }) => ({ name: a.name, arn: alarmArnOf(base, p.ownAlarms, a) });
    return new RegionSwitchPlan(`${name}-region-switch`, {
        planName: regionSwitchPlanNameIn(regionSet(cfg), cfg.appName, cfg.region),
        roleNames: rs.roles,
        functionNames: rs.functions,
        accountId,
        primaryRegion: regionSet(cfg).primary,
        drRegion: cfg.region,
        approverArns: cfg.approverArns ?? [],
        tier: TIERS[cfg.strategy],
        asgArns: [primaryValue(t.primaryAsg, (asg) => getGroupOutput({ name: asg }, base.readPrimary()).arn), p.app.autoScalingGroupArn],
        aurora: t.aurora ? {
            globalClusterIdentifier: globalClusterIdentifier(cfg.appName),
            clusterArns: [
                accountId.apply((account) => clusterArn(regionSet(cfg).primary, account, primary.dbCluster)),
                accountId.apply((account) => clusterArn(cfg.region, account, mine.dbCluster)),
            ],
        } : undefined,
        fence: fenceOf(cfg.appName, t.fencedRegion, cfg.region),
        fenceAlarmArn: p.fence.alarmArn,
        cache: t.warmCache && p.cache ? {
            replicationGroupId: mine.cache, arn: p.cache.arn, target: t.warmCache.target, globalDatastoreId: t.warmCache.globalDatastoreId,
        } : undefined,
        healthAlarms: t.healthAlarms.map(alarm),
        report: { bucketName: logs.bucketName, bucketArn: logs.bucketArn, prefix: rs.reportPrefix },
        autoTrigger: t.autoTrigger && {
            detector: alarm({ name: t.autoTrigger.detector, region: cfg.region }), fence: { name: t.autoTrigger.fence, arn: p.fence.alarmArn },
        },
        rtoTargetSeconds: p.rtoTargetSeconds,
        portfolio: cfg.portfolio,
        frozen: t.frozen,
        logs: base.functionLogs,
    }, base.opts);
}

/** An alarm's ARN: this region's own from the resource that holds it (a dependency of the plan); the other region's from its name. */
function alarmArnOf(base: RegionBase, own: ReadonlyMap<string, pulumi.Output<string>>, a: { readonly name: string; readonly region: string }): pulumi.Output<string> {
    if (a.region !== base.cfg.region) {
        return base.accountId.apply((account) => alarmArn(a.region, account, a.name));
    }
    const arn = own.get(a.name);
    if (arn === undefined) {
        throw new Error(`the Region switch plan names alarm ${a.name} of ${a.region}, which this stack does not create`);
    }
    return arn;
}
