// What one stack builds, every decision made: its tier's RegionPlan (what the region runs, model/tiers/) with what
// the wiring would otherwise decide while it creates resources: the certificate, the operations and what they
// act on (model/stackOperations.ts), and whether the stack reads the primary region at all. Pure: the wiring
// (wiring/) reads this plan and the names, and decides nothing.
import type { DrConfig } from "./config/contract";
import { hibernationVolumeGib } from "./levers";
import { regionNames } from "./naming";
import type { OperationsPlan, RegionPlan } from "./regionPlan";
import type { RestoreTestedStore } from "./restoreTests";
import {
    CanaryProbe, DetectorProbe, PrimaryValue, RegionSwitchTargetNames, canaryProbe, detectorProbe, operationsOf, regionSwitchTargets, restoreTestStores,
} from "./stackOperations";
import type { TierSpec } from "./tiers/tierSpec";
import { regionSet } from "./regionSet";

/** The HTTPS listener's certificate: the one dr:certificateArn gives, or one requested for the app's name and validated in its zone. */
export type CertificatePlan =
    | { readonly given: string }
    | { readonly requested: { readonly domainName: string; readonly zoneId: string } };

export interface StackPlan extends RegionPlan {
    readonly operations: OperationsPlan;
    /** With the app tier: its listener's certificate, requested in normal times and standing by with it. */
    readonly certificate?: CertificatePlan;
    /** A hibernated warm pool: the root volume that must hold the instance's memory, GiB (undefined for a type of unknown memory). */
    readonly hibernationVolumeGib?: number;
    /**
     * The backup plan selects this region's stores: the writer's plan, with a store to back up. Otherwise the plan is
     * its role only, which every region holds so that the dr region's failover deploy creates no IAM.
     */
    readonly backsUp: boolean;
    /** The region receives the Aurora replication: lag is published here, and means something while it does. */
    readonly watchesReplicationLag: boolean;
    readonly canaryProbe?: CanaryProbe;
    readonly detectorProbe?: DetectorProbe;
    /** The dr vault's monthly restore tests and the stores they cover; absent: none. */
    readonly restoreTestStores?: readonly RestoreTestedStore[];
    readonly regionSwitchTargets?: RegionSwitchTargetNames;
    /** A Global Datastore member signs in with the datastore's token: prod's parameter, read from the primary region. */
    readonly primaryCacheTokenParameter?: string;
    /**
     * The stack reads the primary region (only the dr stack, in normal times): the one decision that creates the
     * read provider (wiring/providers.ts). Nothing is ever created through it.
     */
    readonly readsPrimary: boolean;
}

/** The configs of the pair's stacks, from either stack's: prod's, the dr stack's standing by, and promoted. */
export const asPrimary = (cfg: DrConfig): DrConfig => ({ ...cfg, role: "primary", region: regionSet(cfg).primary, failover: false });
export const asStandby = (cfg: DrConfig): DrConfig => ({ ...cfg, role: "secondary", region: regionSet(cfg).next, failover: false });
export const asPromoted = (cfg: DrConfig): DrConfig => ({ ...cfg, role: "secondary", region: regionSet(cfg).next, failover: true });

const isRead = (v: PrimaryValue | undefined): boolean => v !== undefined && "read" in v;

/** A stack's plan: its tier's, with its operations and everything its wiring needs decided (model/tiers/index.ts, tierPlan). */
export function stackPlan(cfg: DrConfig, tier: Pick<TierSpec, "plan" | "failover">): StackPlan {
    const plan = tier.plan(cfg);
    const operations = operationsOf(cfg, plan);
    const watchesReplicationLag = plan.database !== undefined && !plan.database.writer;
    const canary = canaryProbe(cfg, plan, operations);
    const detector = detectorProbe(cfg, plan, operations);
    const restoreTests = restoreTestStores(operations, () => tier.plan(asPrimary(cfg)));
    const regionSwitch = regionSwitchTargets(cfg, plan, operations, {
        tier, promoted: () => tier.plan(asPromoted(cfg)), canary, detector, watchesReplicationLag,
    });
    const cacheToken = plan.cache?.global?.role === "secondary" ? regionNames(cfg.appName, regionSet(cfg).primary).cacheAuthTokenParameter : undefined;
    return {
        ...plan,
        operations,
        ...(cfg.waf ? { waf: { rateLimit: cfg.wafRateLimit } } : {}),
        ...(plan.app ? { certificate: certificateOf(cfg) } : {}),
        ...(plan.app?.warmPool?.state === "hibernated" ? { hibernationVolumeGib: hibernationVolumeGib(cfg.instanceType) } : {}),
        backsUp: plan.backups !== undefined && [plan.database, plan.objects, plan.globalTable].some((store) => store !== undefined),
        watchesReplicationLag,
        ...(canary ? { canaryProbe: canary } : {}),
        ...(detector ? { detectorProbe: detector } : {}),
        ...(restoreTests ? { restoreTestStores: restoreTests } : {}),
        ...(regionSwitch ? { regionSwitchTargets: regionSwitch } : {}),
        ...(cacheToken ? { primaryCacheTokenParameter: cacheToken } : {}),
        readsPrimary: cacheToken !== undefined || isRead(detector?.target) || isRead(regionSwitch?.primaryAsg),
    };
}

function certificateOf(cfg: DrConfig): CertificatePlan {
    return cfg.certificateArn !== undefined ? { given: cfg.certificateArn } : { requested: { domainName: cfg.dnsName, zoneId: cfg.dnsZoneId } };
}
