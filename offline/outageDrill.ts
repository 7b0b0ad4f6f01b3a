// The outage drill (npm run drill -- --outage): an unplanned failover while the primary region is lost and
// Route 53's and IAM's control planes are down, as the fault proxy (offline/faultProxy.ts) makes them for
// every request the runbook sends. Afterwards the emulator's own state, read past the proxy, must show the
// failover done: the fence closed, the dr app at N, the promoted plan's parts in place (or named as
// simulated, or as the IaC step's). Loopback only.
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { ListHostedZonesCommand } from "@aws-sdk/client-route-53";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { fenceOf } from "../model/fence";
import { globalClusterIdentifier, regionNames } from "../model/naming";
import { Overrides } from "../model/tooling/stackFiles";
import { tierPlan } from "../model/tiers";
import { awsClients, route53Client } from "../runbook/aws";
import { cacheSize, isWriter } from "../runbook/operations";
import { RunbookRun } from "../runbook/run";
import { runDrillPhase } from "./drillPhase";
import { FaultProxy, Refusal, outageRule, startFaultProxy, tally } from "./faultProxy";
import { SeededPair } from "./seed";
import { fencesHeldBy, regionSet } from "../model/regionSet";
import type { DrConfig } from "../model/config";

export interface Check {
    readonly what: string;
    readonly outcome: "ok" | "simulated" | "iac" | "FAILED";
    readonly detail: string;
}

export interface OutageDrill {
    /** The calls the drill made through the proxy before the failover, each of which it must refuse: proof that the fault is on. */
    readonly probe: readonly ProbeResult[];
    readonly run: RunbookRun;
    /** What the proxy refused during the failover: nothing, when the recovery path holds. */
    readonly refusedDuringFailover: readonly Refusal[];
    /** What went through, by region, service and operation. */
    readonly forwardedDuringFailover: readonly string[];
    readonly checks: readonly Check[];
}

export interface ProbeResult {
    readonly call: string;
    readonly refused: boolean;
    readonly detail: string;
}

/** One call the rule must refuse for each kind of fault: the lost region, and Route 53's API. */
async function probe(proxy: FaultProxy, lostRegion: string): Promise<ProbeResult[]> {
    const target = { endpoint: proxy.url, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 1000, requestMs: 2000 } };
    const tries: [string, () => Promise<unknown>][] = [
        [`${lostRegion} sts GetCallerIdentity`, () => awsClients(lostRegion, target).sts.send(new GetCallerIdentityCommand({}))],
        ["us-east-1 route53 ListHostedZones", () => route53Client(target).send(new ListHostedZonesCommand({}))],
    ];
    const results: ProbeResult[] = [];
    for (const [call, send] of tries) {
        results.push(await send().then(
            () => ({ call, refused: false, detail: "ANSWERED: the proxy let it through" }),
            (err: Error) => ({ call, refused: true, detail: err.message })));
    }
    return results;
}

/**
 * Reads the emulator past the proxy: the fences, the dr app, and the promoted plan's parts, in the region the run
 * failed into (`cfg`, its dr stack's config); and, in a set of three or more, that each other recovery region
 * (`others`) was left as it stood by: its app's size, its fences open.
 */
export async function verify(endpoint: string, cfg: DrConfig, run: RunbookRun, others: readonly DrConfig[] = []): Promise<Check[]> {
    const dr = awsClients(cfg.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const names = regionNames(cfg.appName, cfg.region);
    const promoted = tierPlan({ ...cfg, failover: true });
    const status = (id: string) => run.results.find((r) => r.id === id);
    const checks: Check[] = [];

    // Every fence the region holds: the primary's record's, and in a set of three or more the other recovery regions'.
    checks.push(...await fenceChecks(endpoint, cfg, "closed"));
    for (const other of others) {
        checks.push(...await leftStandingBy(endpoint, other));
    }

    if (promoted.app) {
        const want = promoted.app.capacity;
        const g = (await dr.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.autoScalingGroup] }))).AutoScalingGroups?.[0];
        const got = g ? `${g.MinSize}/${g.DesiredCapacity}/${g.MaxSize}, ${(g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length} in service` : "missing";
        const ok = g !== undefined && g.MinSize === want.min && g.DesiredCapacity === want.desired && (g.MaxSize ?? 0) >= want.max;
        checks.push({ what: `dr app ${names.autoScalingGroup} at the promoted plan's ${want.min}/${want.desired}/${want.max}`, outcome: ok ? "ok" : "FAILED", detail: got });
    }
    if (promoted.database) {
        const writer = await isWriter(dr, globalClusterIdentifier(cfg.appName), names.dbCluster);
        const promotion = status("promote-database");
        checks.push(writer
            ? { what: `${names.dbCluster} is the writer`, outcome: "ok", detail: "as the promoted plan has it" }
            : promotion?.status === "simulated"
                ? { what: `${names.dbCluster} is the writer`, outcome: "simulated", detail: promotion.notes.join("; ") }
                : { what: `${names.dbCluster} is the writer`, outcome: "FAILED", detail: `not the writer, and the promotion step was ${promotion?.status ?? "not in the run"}` });
    }
    if (promoted.cache) {
        const what = `cache at ${promoted.cache.nodes} x ${promoted.cache.nodeType}`;
        const warm = status("warm-cache");
        const standing = await cacheSize(dr, names.cache);
        checks.push(warm?.status === "simulated"
            ? { what, outcome: "simulated", detail: warm.notes.join("; ") }
            : standing?.nodeType === promoted.cache.nodeType
                // moto keeps one member whatever the count: the node type is what it can show.
                ? { what, outcome: "ok", detail: `${names.cache} is ${standing.nodeType}${warm ? ` (warm-cache ${warm.status})` : ", as it stands by"}` }
                : standing === undefined
                    ? { what, outcome: "iac", detail: `created by the IaC step (pulumi up -s ${run.ctx.stack} with dr:failover=true, which calls no us-east-1 control plane)` }
                    : { what, outcome: "FAILED", detail: `${names.cache} is ${standing.nodeType}` });
    }
    checks.push({
        what: "the rest of the promoted plan (NAT per AZ, the second Aurora instance, the region's own backup plan)",
        outcome: "iac", detail: `the IaC step: ${run.ctx.facts.get("IaC commands") ?? "(not reached)"}`,
    });
    return checks;
}

/** A recovery region the failover did not go into: its app as it stood by, and its fences open. */
async function leftStandingBy(endpoint: string, cfg: DrConfig): Promise<Check[]> {
    const c = awsClients(cfg.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const names = regionNames(cfg.appName, cfg.region);
    const checks: Check[] = [];
    const standby = tierPlan(cfg).app?.capacity;
    if (standby) {
        const g = (await c.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.autoScalingGroup] }))).AutoScalingGroups?.[0];
        const ok = g !== undefined && g.MinSize === standby.min && g.DesiredCapacity === standby.desired;
        checks.push({ what: `${cfg.region}'s app ${names.autoScalingGroup} left standing by at ${standby.min}/${standby.desired}/${standby.max}`,
            outcome: ok ? "ok" : "FAILED", detail: g ? `${g.MinSize}/${g.DesiredCapacity}/${g.MaxSize}` : "missing" });
    }
    return [...checks, ...await fenceChecks(endpoint, cfg, "open")];
}

/** The fences a recovery region holds (model/regionSet.ts, fencesHeldBy), each as wanted: closed is ALARM, open is not. */
export async function fenceChecks(endpoint: string, cfg: DrConfig, want: "closed" | "open"): Promise<Check[]> {
    const c = awsClients(cfg.region, { endpoint, credentials: EMULATOR_CREDENTIALS });
    const checks: Check[] = [];
    for (const fenced of fencesHeldBy(regionSet(cfg), cfg.region)) {
        const fence = fenceOf(cfg.appName, fenced, cfg.region);
        const alarm = (await c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [fence.alarmName] }))).MetricAlarms?.[0]?.StateValue;
        const ok = want === "closed" ? alarm === "ALARM" : alarm !== undefined && alarm !== "ALARM";
        checks.push({ what: `traffic fence ${fence.alarmName} in ${cfg.region}${want === "open" ? " open" : ""}`, outcome: ok ? "ok" : "FAILED", detail: `state ${alarm ?? "missing"} (closed is ALARM)` });
    }
    return checks;
}

export interface OutageOptions {
    readonly endpoint: string;
    readonly pair: SeededPair;
    /** The recovery region to fail into (a set of three or more): its dr stack and config; default the pair's dr. */
    readonly target?: { readonly stack: string; readonly cfg: DrConfig };
    /** The other recovery regions, checked as left standing by. */
    readonly others?: readonly DrConfig[];
    /** The project copy whose stack files the run reads (offline/thirdRegion.ts). */
    readonly root?: string;
    readonly smokeUrl: string;
    readonly reportDir: string;
    readonly overrides: Overrides;
    readonly renderer?: "default" | "simple" | "silent";
}

/** The unplanned failover through the fault proxy, then the checks against the emulator itself. */
export async function runOutageDrill(o: OutageOptions): Promise<OutageDrill> {
    const target = o.target ?? { stack: "dr", cfg: o.pair.dr };
    const { result: run, ...outage } = await throughOutage(o.endpoint, regionSet(o.pair.dr).primary, (url) => runDrillPhase({
        kind: "failover", mode: "unplanned", stack: target.stack, endpoint: url, smokeUrl: o.smokeUrl, reportDir: o.reportDir, overrides: o.overrides,
        renderer: o.renderer, root: o.root,
    }));
    return { ...outage, run, checks: await verify(o.endpoint, target.cfg, run, o.others) };
}

/**
 * A failover through a fault proxy on loopback that refuses the lost region and the control planes (one app's,
 * or a portfolio's, offline/portfolioDrill.ts): the proxy's own check first, then the failover sent to the
 * proxy's URL, and what the proxy refused and forwarded while it ran.
 */
export async function throughOutage<T>(endpoint: string, lostRegion: string, failover: (proxyUrl: string) => Promise<T>): Promise<{
    readonly probe: ProbeResult[]; readonly result: T; readonly refusedDuringFailover: Refusal[]; readonly forwardedDuringFailover: string[];
}> {
    const proxy = await startFaultProxy(endpoint, outageRule(lostRegion));
    try {
        const probed = await probe(proxy, lostRegion);
        const refusedBefore = proxy.refusals().length;
        const forwardedBefore = proxy.forwarded().length;
        const result = await failover(proxy.url);
        return {
            probe: probed, result,
            refusedDuringFailover: proxy.refusals().slice(refusedBefore),
            forwardedDuringFailover: tally(proxy.forwarded().slice(forwardedBefore)),
        };
    } finally {
        await proxy.close();
    }
}

/** The outage drill's Markdown summary, beside the failover's own report. */
export function outageMarkdown(d: OutageDrill, pair: SeededPair, startedAt: Date): string {
    const lost = regionSet(pair.dr).primary;
    return [
        `# Outage drill: ${pair.dr.strategy}, ${lost} lost, failover into ${d.run.ctx.dr.region}`,
        "",
        `- started: ${startedAt.toISOString()}`,
        `- the fault: a proxy on loopback refuses (resets) every request for ${lost} and every request to Route 53's or IAM's API, read off each request's SigV4 credential scope`,
        `- the failover's own report: ${d.run.reportPath ?? "(none)"}`,
        `- outcome: ${d.run.error ? `**failover stopped**: ${d.run.error.message}` : "failover completed"}; checks ${outagePassed(d) ? "passed" : "**FAILED**"}`,
        "",
        "The proxy's own check, before the failover (each must be refused):",
        ...d.probe.map((p) => `- ${p.call}: ${p.refused ? "refused" : "**not refused**"} (${p.detail})`),
        "",
        `Refused during the failover: ${d.refusedDuringFailover.length === 0 ? "nothing (the failover sent nothing to the lost region or to a us-east-1 control plane)" : ""}`,
        ...tally(d.refusedDuringFailover).map((l) => `- ${l}`),
        "",
        "Forwarded during the failover:",
        ...d.forwardedDuringFailover.map((l) => `- ${l}`),
        "",
        "Checked against the emulator's state afterwards:",
        "",
        "| check | outcome | detail |",
        "|---|---|---|",
        ...d.checks.map((c) => `| ${c.what} | ${c.outcome} | ${c.detail.replace(/\|/g, "\\|")} |`),
        "",
    ].join("\n");
}

/** The drill passes when the fault was on, the failover completed without calling what it took away, and every check holds. */
export function outagePassed(d: OutageDrill): boolean {
    return d.probe.every((p) => p.refused) && d.run.error === undefined && d.refusedDuringFailover.length === 0
        && d.checks.every((c) => c.outcome !== "FAILED");
}
