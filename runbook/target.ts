// Where a failover goes when the set has several recovery regions and the person names none (--to): the recovery
// region whose Aurora secondary lags least, as AWS advises ("Choosing the secondary Region with the least replication
// lag can minimize data loss", docs/reference.md, "Region sets (three or more regions)"). Each region's lag is read
// from that region's own CloudWatch: nothing is asked of the primary region or of a global service.
import { regionNames } from "../model/naming";
import type { RegionStack } from "../model/stackSet";
import { AwsClients } from "./aws";
import { replicationLagMs } from "./operations";

/** One recovery region's lag as read, or why it could not be read. */
export interface RegionLag {
    readonly region: string;
    readonly stack: string;
    readonly lagMs?: number;
    /** No datapoint in the last 10 minutes, or the read failed (its message). */
    readonly unknown?: string;
}

export interface TargetChoice {
    readonly region: string;
    readonly stack: string;
    /** Why this region: for the run's output and its report. */
    readonly why: string;
    readonly lags: readonly RegionLag[];
}

/**
 * The recovery region with the least lag read; of equal lags, the first in the set's order; where none could be
 * read (backup & restore, which has no secondary; or no data), the first recovery region, as a pair's dr region.
 */
export function leastLagged(lags: readonly RegionLag[]): TargetChoice {
    const known = lags.filter((l) => l.lagMs !== undefined);
    const shown = lags.map((l) => `${l.region} ${l.lagMs !== undefined ? `${l.lagMs} ms` : `unknown (${l.unknown})`}`).join(", ");
    if (known.length === 0) {
        return { ...lags[0], why: `no replication lag could be read (${shown}): the first recovery region of the set`, lags };
    }
    const best = known.reduce((a, b) => (b.lagMs! < a.lagMs! ? b : a));
    return { region: best.region, stack: best.stack, why: `the least Aurora replication lag (${shown})`, lags };
}

/** Reads each recovery region's lag in that region, side by side, and picks the least lagged. */
export async function chooseTarget(appName: string, members: readonly RegionStack[], clientsOf: (region: string) => AwsClients,
    readsLag: boolean): Promise<TargetChoice> {
    const candidates = members.filter((m): m is RegionStack & { stack: string } => m.role === "secondary" && m.stack !== undefined);
    if (candidates.length === 0) {
        throw new Error("no recovery region of the set has a stack file here: add one (docs/regions.md)");
    }
    const lags = await Promise.all(candidates.map(async (m): Promise<RegionLag> => {
        if (!readsLag) {
            return { region: m.region, stack: m.stack, unknown: "no Aurora secondary in this tier" };
        }
        try {
            const lagMs = await replicationLagMs(clientsOf(m.region), regionNames(appName, m.region).dbCluster);
            return lagMs === undefined ? { region: m.region, stack: m.stack, unknown: "no data in the last 10 minutes" } : { region: m.region, stack: m.stack, lagMs };
        } catch (err) {
            return { region: m.region, stack: m.stack, unknown: (err as Error).message };
        }
    }));
    return leastLagged(lags);
}
