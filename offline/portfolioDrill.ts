// The drill of a portfolio (npm run drill -- --portfolio): every app's pair seeded into one emulator, then the
// portfolio's failover and its failback through the same code as `npm run failover|failback -- --portfolio`
// (runbook/portfolioRunbook.ts), each app's run as the drill's runbook phase runs one (offline/drillPhase.ts:
// the steps the emulator cannot perform recorded as simulated). With the outage, the failover is unplanned and
// goes through the fault proxy (offline/faultProxy.ts), and each app's pair is checked against the emulator
// afterwards as the single app's outage drill checks it (offline/outageDrill.ts). Loopback only.
import type { LoadedPortfolio } from "../model/portfolio";
import { regionSet } from "../model/regionSet";
import { Kind } from "../runbook/portfolio";
import { PortfolioRunbookRun, runPortfolioRunbook } from "../runbook/portfolioRunbook";
import type { Mode } from "../runbook/types";
import { DRILL_POLL_MS, DRILL_WAIT_SECONDS } from "./drillPhase";
import type { Refusal } from "./faultProxy";
import { EMULATOR_GAPS } from "./moto";
import { Check, ProbeResult, throughOutage, verify } from "./outageDrill";
import { SeededPair, seedDeployedPair } from "./seed";

/**
 * Each app's pair, seeded one after the other into the emulator (moto's zone id must come first and alone:
 * offline/seed.ts). The apps have their own dr:appName, so their names do not collide; they share one hosted
 * zone, as their stacks share dr:dnsZoneId.
 */
export async function seedPortfolio(endpoint: string, portfolio: LoadedPortfolio): Promise<Map<string, SeededPair>> {
    const zones = [...new Set(portfolio.apps.map((a) => a.cfg.dnsZoneId))];
    if (zones.length > 1) {
        throw new Error(`the drill seeds one hosted zone for a portfolio's apps; portfolio ${portfolio.config.stack}'s apps name ${zones.join(", ")} (dr:dnsZoneId): ` +
            "drill each app alone (npm run drill -- --emulator URL --seed-only, then npm run failover -- --stack <its dr stack>)");
    }
    const pairs = new Map<string, SeededPair>();
    let hostedZoneId: string | undefined;
    for (const { member } of portfolio.apps) {
        const pair = await seedDeployedPair(endpoint, { stack: member.stack, hostedZoneId });
        hostedZoneId = pair.hostedZoneId;
        pairs.set(member.stack, pair);
    }
    return pairs;
}

export interface PortfolioDrillOptions {
    readonly endpoint: string;
    readonly portfolio: LoadedPortfolio;
    readonly pairs: ReadonlyMap<string, SeededPair>;
    /** Where every app's smoke check sends its GET: the app's loopback stand-in. */
    readonly smokeUrl: string;
    readonly reportDir: string;
    readonly parallel: number;
    readonly print: (line: string) => void;
    readonly renderer?: "default" | "simple" | "silent";
}

/** One of the drill's portfolio runs, approved (the drill is its own --yes), each app against the emulator. */
export function drillPortfolioRun(o: PortfolioDrillOptions, kind: Kind, mode: Mode, endpoint: string): Promise<PortfolioRunbookRun> {
    return runPortfolioRunbook({
        kind, mode, portfolio: o.portfolio, parallel: o.parallel, keepGoing: false, dryRun: false, yes: true, endpoint, reportDir: o.reportDir,
        waitSeconds: DRILL_WAIT_SECONDS, pollMs: DRILL_POLL_MS, renderer: o.renderer ?? "silent", print: o.print, printError: o.print,
        appArgs: (stack) => ({ smokeUrl: o.smokeUrl, simulate: EMULATOR_GAPS, overrides: o.pairs.get(stack)!.runbookOverrides }),
    });
}

export interface PortfolioOutage {
    readonly probe: readonly ProbeResult[];
    readonly failover: PortfolioRunbookRun;
    /** What the proxy refused during the portfolio's failover (every app's): nothing, when the recovery path holds. */
    readonly refusedDuringFailover: readonly Refusal[];
    readonly forwardedDuringFailover: readonly string[];
    /** Each app's pair, read from the emulator past the proxy. */
    readonly checks: ReadonlyMap<string, readonly Check[]>;
}

/** The portfolio's unplanned failover through the fault proxy, then each app's pair checked against the emulator itself. */
export async function portfolioOutage(o: PortfolioDrillOptions): Promise<PortfolioOutage> {
    const lost = regionSet(o.portfolio.apps[0].cfg).primary;
    const { result: failover, ...outage } = await throughOutage(o.endpoint, lost, (url) => drillPortfolioRun(o, "failover", "unplanned", url));
    const checks = new Map<string, readonly Check[]>();
    for (const [stack, run] of failover.runs) {
        checks.set(stack, await verify(o.endpoint, o.pairs.get(stack)!.dr, run));
    }
    return { ...outage, failover, checks };
}

/** The portfolio's outage drill passes when the fault was on, every app failed over without calling what it took away, and every check holds. */
export function portfolioOutagePassed(d: PortfolioOutage): boolean {
    return d.probe.every((p) => p.refused) && d.failover.run !== undefined && d.failover.run.outcomes.every((x) => x.status === "completed")
        && d.refusedDuringFailover.length === 0 && [...d.checks.values()].every((cs) => cs.every((c) => c.outcome !== "FAILED"));
}
