// The plan as an advisor: for the pair's tier, each recovery lever that is off, with the RTO it would save and
// the dollars a month it would add; and each tier with and without its levers, for the picture of RTO against
// DR cost (model/drawings/leverChart.ts). Pure: it re-runs the RTO and cost models on the configs with one lever on.
import type { DrConfig } from "./config/contract";
import { drCostShare } from "./cost";
import { hibernationProblem } from "./levers";
import { assessObjectives } from "./objectives";
import { asStandby } from "./stackPlan";
import { STRATEGIES, Strategy } from "./strategy";
import { TIERS, tierPlan } from "./tiers";

/** A config change a lever makes: to both stacks, and to the dr stack alone (what its resources need). */
interface Lever {
    /** As a person sets it: `dr:warmPool stopped`. */
    readonly setting: string;
    readonly pair: Partial<DrConfig>;
    readonly drOnly?: Partial<DrConfig>;
    /** What the lever needs besides its key, said beside its price. */
    readonly needs?: string;
}

/** The approval time the advisor prices `approve` at when the team has not said theirs. */
export const ADVISED_APPROVAL_SECONDS = 300;
/** A placeholder for the datastore id the dr stack would copy from prod's output (the model does not read it). */
const DATASTORE_PLACEHOLDER = "xxxxx-advised";

/** The levers that are off in this config and that its tier allows. */
export function leversOff(cfg: DrConfig): Lever[] {
    const refused = TIERS[cfg.strategy].refusedLevers;
    const standbyRuns = tierPlan(asStandby(cfg)).app?.capacity.desired ?? 0;
    const regionSwitch: Partial<DrConfig> = cfg.regionSwitch ? {} : { regionSwitch: true, approverArns: cfg.approverArns ?? ["arn:aws:iam::000000000000:role/advised"] };
    const out: Lever[] = [];
    if (cfg.autoFailover === "off") {
        out.push({
            setting: `dr:autoFailover approve (dr:approvalSeconds ${cfg.approvalSeconds ?? ADVISED_APPROVAL_SECONDS})`,
            pair: { autoFailover: "approve", approvalSeconds: cfg.approvalSeconds ?? ADVISED_APPROVAL_SECONDS },
        });
    }
    if (cfg.autoFailover !== "auto" && refused.autoFailover === undefined) {
        // A tier whose reference procedure has nobody decide (active-active) is modelled with no person already:
        // auto is what makes that true for the promotion, at the detector's time instead of Route 53's.
        const nobody = TIERS[cfg.strategy].recovery.decide.seconds === 0
            ? "; the estimate with it off already counts nobody deciding (the tier's reference procedure), which auto makes true" : "";
        out.push({
            setting: "dr:autoFailover auto", pair: { autoFailover: "auto" }, drOnly: regionSwitch,
            needs: `${cfg.regionSwitch ? "" : "the Region switch plan (dr:regionSwitch)"}${nobody}`.replace(/^; /, "") || undefined,
        });
    }
    if (cfg.warmPool === "off" && refused.warmPool === undefined && standbyRuns < cfg.capacity) {
        const states = hibernationProblem(cfg.instanceType) === undefined ? (["stopped", "hibernated", "running"] as const) : (["stopped", "running"] as const);
        for (const state of states) {
            out.push({ setting: `dr:warmPool ${state}`, pair: { warmPool: state } });
        }
    }
    if (cfg.cacheReplication === "none" && refused.globalDatastore === undefined) {
        out.push({ setting: "dr:cacheReplication global-datastore", pair: { cacheReplication: "global-datastore" }, drOnly: { globalDatastoreId: cfg.globalDatastoreId ?? DATASTORE_PLACEHOLDER } });
    }
    if (cfg.standbyDatabase === "provisioned" && refused.serverlessStandby === undefined) {
        out.push({ setting: "dr:standbyDatabase serverless", pair: { standbyDatabase: "serverless" } });
    }
    if (cfg.canaries && cfg.canaryRateMinutes > 1) {
        out.push({ setting: "dr:canaryRateMinutes 1", pair: { canaryRateMinutes: 1 } });
    }
    return out;
}

/** The pair's estimate and cost for a pair of configs. */
export interface PairFigures {
    readonly rtoSeconds: number;
    /** The DR region's monthly cost, USD, and as % of prod's. */
    readonly drMonthlyUsd: number;
    readonly prodMonthlyUsd: number;
    readonly drPercent: number;
}

export function pairFigures(prod: DrConfig, dr: DrConfig): PairFigures {
    const share = drCostShare(tierPlan(prod), tierPlan(dr), dr.instanceType, { prod: prod.region, dr: dr.region });
    return { rtoSeconds: assessObjectives(dr).estimate.rtoSeconds, drMonthlyUsd: share.dr.total, prodMonthlyUsd: share.prod.total, drPercent: share.percent };
}

export interface LeverAdvice {
    readonly setting: string;
    readonly needs?: string;
    readonly before: PairFigures;
    readonly after: PairFigures;
    /** RTO saved, seconds (negative: the estimate grows). */
    readonly savedSeconds: number;
    /** Added to both regions' monthly bill, USD (negative: it saves). */
    readonly addedMonthlyUsd: number;
}

/** Each lever that is off, one at a time, against the pair as configured: what it saves and what it costs. */
export function adviseLevers(prod: DrConfig, dr: DrConfig): LeverAdvice[] {
    const before = pairFigures(prod, dr);
    return leversOff(dr).map((lever) => {
        const after = pairFigures({ ...prod, ...lever.pair }, { ...dr, ...lever.pair, ...lever.drOnly });
        return {
            setting: lever.setting, needs: lever.needs, before, after,
            savedSeconds: before.rtoSeconds - after.rtoSeconds,
            addedMonthlyUsd: after.drMonthlyUsd + after.prodMonthlyUsd - before.drMonthlyUsd - before.prodMonthlyUsd,
        };
    });
}

/** A tier as the picture draws it: its RTO and DR cost with its levers off and with its reference levers on. */
export interface TierPoint {
    readonly strategy: Strategy;
    readonly off: PairFigures;
    readonly on: PairFigures;
    /** The tier's RTO target in this pair (dr:rtoTargetSeconds, or the tier's default). */
    readonly targetSeconds: number;
}

/** A config with every recovery lever off (the keys' defaults), in the same tier. */
export function withoutLevers(cfg: DrConfig): DrConfig {
    return asTier(cfg, cfg.strategy);
}

/** Some recovery lever that adds a resource is on (dr:canaryRateMinutes aside, which only runs the canaries more often). */
export function leversOn(cfg: DrConfig): boolean {
    return cfg.autoFailover !== "off" || cfg.warmPool !== "off" || cfg.cacheReplication !== "none" || cfg.standbyDatabase !== "provisioned";
}

/** The configs of a pair switched to another tier, with every lever off (the keys' defaults). */
function asTier(cfg: DrConfig, strategy: Strategy): DrConfig {
    return {
        ...cfg, strategy, autoFailover: "off", approvalSeconds: undefined, warmPool: "off", cacheReplication: "none",
        standbyDatabase: "provisioned", restoreSeconds: undefined, globalDatastoreId: undefined,
    };
}

export function tierPoints(prod: DrConfig, dr: DrConfig): TierPoint[] {
    return STRATEGIES.map((strategy) => {
        const levers = TIERS[strategy].referenceLevers;
        const needsSwitch: Partial<DrConfig> = levers.autoFailover === "auto" && !dr.regionSwitch
            ? { regionSwitch: true, approverArns: dr.approverArns ?? ["arn:aws:iam::000000000000:role/advised"] } : {};
        const datastore: Partial<DrConfig> = levers.cacheReplication === "global-datastore" ? { globalDatastoreId: DATASTORE_PLACEHOLDER } : {};
        const [p, d] = [asTier(prod, strategy), asTier(dr, strategy)];
        return {
            strategy,
            off: pairFigures(p, d),
            on: pairFigures({ ...p, ...levers }, { ...d, ...levers, ...needsSwitch, ...datastore }),
            targetSeconds: assessObjectives(d).targets.rtoSeconds,
        };
    });
}
