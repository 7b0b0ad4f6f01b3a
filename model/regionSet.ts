// The region set, defined once: the regions of a deployment in order, the primary first, one stack per region
// (a stack's aws:region says which member it is). `dr:regions` lists them; `dr:primaryRegion` and `dr:drRegion`
// stay valid and mean `dr:regions = [primary, dr]`. This module answers what every part asks of the set: which
// regions, which is primary, which recovery region is next, a region's peer, each one's short code. Pure.
// A set may be longer than a pair as far as its data services allow (regionLimitProblems).
import type { DrConfig } from "./config/contract";
import { regionCode, regionSwitchPlanName } from "./naming";
import { repeated } from "./lists";

/** The fewest regions a set has: a primary and one recovery region. */
export const MIN_REGIONS = 2;
/** Aurora global database: up to 10 secondary Regions (docs/reference.md, "Region sets (three or more regions)"). */
export const AURORA_MAX_SECONDARY_REGIONS = 10;
/** ElastiCache Global Datastore: a primary and up to two secondary Regions (docs/reference.md, "Region sets (three or more regions)"). */
export const GLOBAL_DATASTORE_MAX_SECONDARY_REGIONS = 2;
/**
 * DynamoDB global tables with multi-Region strong consistency: three replicas in the Regions of one set
 * (docs/reference.md, "Region sets (three or more regions)").
 */
export const STRONG_CONSISTENCY_SETS: Readonly<Record<string, readonly string[]>> = {
    US: ["us-east-1", "us-east-2", "us-west-2"],
    EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
    AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

export interface RegionSet {
    /** Every region, the primary first, then the recovery regions in order. */
    readonly regions: readonly string[];
    readonly primary: string;
    /** The recovery regions, in order: the first is the one a failover goes to unless told otherwise. */
    readonly recovery: readonly string[];
    /** The recovery region a failover goes to by default. */
    readonly next: string;
}

/** The set as the config gives it: `dr:regions` where set, else `[dr:primaryRegion, dr:drRegion]`. */
export function regionSet(cfg: Pick<DrConfig, "regions" | "primaryRegion" | "drRegion">): RegionSet {
    const regions = cfg.regions !== undefined && cfg.regions.length > 0 ? [...cfg.regions] : [cfg.primaryRegion, cfg.drRegion];
    return { regions, primary: regions[0], recovery: regions.slice(1), next: regions[1] };
}

/** The region's peer: the primary's is the next recovery region; a recovery region's is the primary. */
export function peerOf(set: RegionSet, region: string): string {
    return region === set.primary ? set.next : set.primary;
}

/** The role of the stack that owns a region of the set; undefined for a region outside it. */
export function roleOf(set: RegionSet, region: string): "primary" | "secondary" | undefined {
    return region === set.primary ? "primary" : set.recovery.includes(region) ? "secondary" : undefined;
}

/** Each region's short code, as names carry it (model/naming.ts): us-east-1 is use1. */
export function codesOf(set: RegionSet): ReadonlyMap<string, string> {
    return new Map(set.regions.map((r) => [r, regionCode(r)]));
}

/**
 * The ARC Region switch plan of the (primary, recovery region) pair, created by that recovery region's stack.
 * A plan covers exactly two regions, so a set with several recovery regions has one plan per recovery region:
 * the next recovery region's keeps the two-region name (model/naming.ts, regionSwitchPlanName); another's is
 * `<app>-rs-<its region code>`. With dr:appName at most 16 characters, both fit AWS's 32.
 */
export function regionSwitchPlanNameIn(set: RegionSet, appName: string, recoveryRegion: string): string {
    return recoveryRegion === set.next ? regionSwitchPlanName(appName) : `${appName}-rs-${regionCode(recoveryRegion)}`;
}

/** AWS's rule for a Region switch plan's name (CreatePlan, `name`: 1-32 characters). */
export const REGION_SWITCH_PLAN_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** A problem with the set, for model/config/crossKey.ts to report with the key and the fix. */
export interface RegionSetProblem {
    readonly key: "dr:regions" | "dr:primaryRegion" | "dr:drRegion" | "aws:region" | "dr:backupCopyRegions";
    readonly value: string;
    readonly message: string;
    /** The value the fix sets, or undefined where the fix removes the key. */
    readonly set?: string;
}

/**
 * What is wrong with the set and the stack's place in it. `defaults`: the keys' defaults, which count as unset
 * (the program cannot tell a default it was given from the same value set by hand).
 */
export function regionSetProblems(c: Pick<DrConfig, "regions" | "primaryRegion" | "drRegion" | "region" | "role" | "backupCopyRegions">,
    defaults: { readonly primaryRegion: string; readonly drRegion: string }): RegionSetProblem[] {
    const problems: RegionSetProblem[] = [];
    const set = regionSet(c);
    const listed = JSON.stringify(set.regions);
    if (c.regions !== undefined && c.regions.length > 0) {
        const twice = repeated(c.regions);
        if (twice.length > 0) {
            problems.push({ key: "dr:regions", value: listed, message: `lists ${twice.join(", ")} more than once: each region is one stack's, listed once` });
        }
        if (c.regions.length < MIN_REGIONS) {
            problems.push({ key: "dr:regions", value: listed, message: "must list at least two regions, the primary first: DR needs a second region" });
        }
        if (c.primaryRegion !== defaults.primaryRegion && c.primaryRegion !== set.primary) {
            const where = c.regions.indexOf(c.primaryRegion);
            problems.push({ key: "dr:primaryRegion", value: c.primaryRegion, message: where > 0
                ? `is listed in dr:regions at position ${where + 1}: the primary must be first (dr:regions wins; remove this key, or put ${c.primaryRegion} first there)`
                : `differs from the first region of dr:regions (${set.primary}), which wins: remove this key` });
        }
        if (c.drRegion !== defaults.drRegion && c.drRegion !== set.next) {
            problems.push({ key: "dr:drRegion", value: c.drRegion, message: `differs from the first recovery region of dr:regions (${set.next}), which wins: remove this key` });
        }
    } else if (set.primary === set.next) {
        problems.push({ key: "dr:drRegion", value: set.next, message: "must differ from dr:primaryRegion: DR needs a second region", set: "<another-region>" });
    }
    const copies = c.backupCopyRegions ?? [];
    const notRecovery = copies.filter((r) => !set.recovery.includes(r));
    if (notRecovery.length > 0 || repeated(copies).length > 0) {
        problems.push({ key: "dr:backupCopyRegions", value: JSON.stringify(copies), set: JSON.stringify(set.recovery),
            message: notRecovery.length > 0
                ? `names ${notRecovery.join(", ")}, not a recovery region of the set ${listed}: backups are copied to recovery regions only`
                : `lists ${repeated(copies).join(", ")} more than once` });
    }
    const role = roleOf(set, c.region);
    if (role !== c.role) {
        const own = c.role === "primary" ? set.primary : set.next;
        const key = c.role === "primary" ? "dr:primaryRegion" : "dr:drRegion";
        const message = c.regions === undefined || c.regions.length === 0
            ? `must equal ${key} (${own}) on a stack with dr:role ${c.role}: each stack deploys only its own region`
            : role === undefined
                ? `is not in dr:regions ${listed}: each stack deploys one region of the set, a stack with dr:role ${c.role} ${c.role === "primary" ? "the first" : "a recovery region"} (${own})`
                : `must be ${c.role === "primary" ? "the first region of dr:regions" : "a recovery region of dr:regions"} (${own}) on a stack with dr:role ${c.role}: each stack deploys only its own region`;
        problems.push({ key: "aws:region", value: c.region, set: own, message });
    }
    return problems;
}

/**
 * The recovery regions that hold a fence of `region`'s record (model/fence.ts): every recovery region but the
 * region itself. The primary's record serves only while every recovery region's fence of it is open, so any
 * recovery region can take the primary out alone; with two regions, the dr region's record has none.
 */
export function fenceHoldersOf(set: RegionSet, region: string): string[] {
    return set.recovery.filter((r) => r !== region);
}

/**
 * The records whose fences `region` holds: a recovery region holds a fence of every other region's record, so
 * that taking over (closing them all) leaves its own record the only one standing; the primary holds none.
 */
export function fencesHeldBy(set: RegionSet, region: string): string[] {
    return region === set.primary ? [] : set.regions.filter((r) => r !== region);
}

/**
 * Where a region's record sits in the failover tree of the app's name (active/passive tiers). Route 53 failover
 * routing takes one PRIMARY and one SECONDARY per name, so a longer set chains them: level 0 is the app's name,
 * with the primary's record as PRIMARY; each level's SECONDARY is the last region's record, or an alias to the
 * next level, where the next region's record is PRIMARY. `links`: the level whose SECONDARY alias this region's
 * stack creates, pointing at its own level. With two regions: the primary PRIMARY and the dr region SECONDARY,
 * both at the app's name, as before.
 */
export interface FailoverPlace {
    readonly level: number;
    readonly role: "PRIMARY" | "SECONDARY";
    readonly links?: number;
}

export function failoverPlace(set: RegionSet, region: string): FailoverPlace {
    const i = set.regions.indexOf(region);
    const last = set.regions.length - 1;
    if (i === last) {
        return { level: last - 1, role: "SECONDARY" };
    }
    return i <= 0 ? { level: 0, role: "PRIMARY" } : { level: i, role: "PRIMARY", links: i - 1 };
}

/** The name a level of the failover tree answers at: the app's name at level 0, `recovery-<level>.<name>` below. */
export function failoverLevelName(recordName: string, level: number): string {
    return level === 0 ? recordName : `recovery-${level}.${recordName}`;
}

/** Each region's VPC range, by its place in the set, so every VPC of the set can be peered: 10.10/16, 10.20/16, ... */
export function vpcCidrOf(set: RegionSet, region: string): string {
    const i = Math.max(0, set.regions.indexOf(region));
    return `10.${10 * (i + 1)}.0.0/16`;
}

/** What the set's data services need of it: the tier's and levers' facts, as model/config/crossKey.ts knows them. */
export interface RegionLimits {
    /** The tier keeps an Aurora global database (every tier but backup & restore). */
    readonly globalDatabase: boolean;
    /** dr:cacheReplication global-datastore. */
    readonly globalDatastore: boolean;
    /** dr:tableConsistency strong (active-active's DynamoDB global table). */
    readonly strongTable: boolean;
}

/** Where the set is longer than a data service of the stack allows: each names what is allowed. */
export function regionLimitProblems(c: Pick<DrConfig, "regions" | "primaryRegion" | "drRegion">, limits: RegionLimits): RegionSetProblem[] {
    const set = regionSet(c);
    const listed = JSON.stringify(set.regions);
    const problems: RegionSetProblem[] = [];
    const secondaries = set.recovery.length;
    if (limits.globalDatabase && secondaries > AURORA_MAX_SECONDARY_REGIONS) {
        problems.push({ key: "dr:regions", value: listed, set: JSON.stringify(set.regions.slice(0, 1 + AURORA_MAX_SECONDARY_REGIONS)),
            message: `lists ${secondaries} recovery regions: an Aurora global database has at most ${AURORA_MAX_SECONDARY_REGIONS} secondary regions` });
    }
    if (limits.globalDatastore && secondaries > GLOBAL_DATASTORE_MAX_SECONDARY_REGIONS) {
        problems.push({ key: "dr:regions", value: listed, set: JSON.stringify(set.regions.slice(0, 1 + GLOBAL_DATASTORE_MAX_SECONDARY_REGIONS)),
            message: `lists ${secondaries} recovery regions: an ElastiCache Global Datastore (dr:cacheReplication global-datastore) has at most ` +
                `${GLOBAL_DATASTORE_MAX_SECONDARY_REGIONS} secondary regions (or set dr:cacheReplication none)` });
    }
    if (limits.strongTable) {
        const inOneSet = Object.entries(STRONG_CONSISTENCY_SETS).find(([, members]) => set.regions.every((r) => members.includes(r)));
        if (set.regions.length !== 3 || inOneSet === undefined) {
            const sets = Object.entries(STRONG_CONSISTENCY_SETS).map(([name, members]) => `${name}: ${members.join(", ")}`).join("; ");
            problems.push({ key: "dr:regions", value: listed, message: `must be three regions of one set for dr:tableConsistency strong ` +
                `(DynamoDB multi-Region strong consistency; ${sets}), or set dr:tableConsistency eventual` });
        }
    }
    return problems;
}
