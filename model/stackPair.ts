// A DR pair's configs, as the stack files give them: the stack named and its peer (the other stack file of the
// same dr:appName whose dr:role differs and which targets the same AWS: the real stacks pair with each other,
// the local stacks likewise; what the stacks are called says nothing), both validated. The plan, the drill's seed and the runbook (which reads the prod stack's
// configured weights) use it.
import { CONFIG_FIELDS, CONTRACT, ConfigProblem, DrConfig, KeySpec, configKey, formatProblems, parseDrConfig } from "./config";
import { regionSet } from "./regionSet";
import { Overrides, layeredConfig, stackNames } from "./tooling/stackFiles";

/** A problem the person fixes (a missing stack file, invalid config): reported without a stack trace. */
export class PairError extends Error {}

/** Keys that describe one stack rather than the pair (`stackOnly` in the contract): an override of them is not copied to the peer. */
export const STACK_ONLY_KEYS: ReadonlySet<string> = new Set(CONFIG_FIELDS.filter((f) => (CONTRACT[f] as KeySpec).stackOnly).map(configKey));

/** The other stack of the pair; `requested` names it where several stack files could be. */
export function findPeer(stack: string, overrides: Overrides = {}, requested?: string, root?: string): string {
    const stacks = stackNames(root);
    for (const s of [stack, requested]) {
        if (s !== undefined && !stacks.includes(s)) {
            throw new PairError(`There is no stack file Pulumi.${s}.yaml. Stacks: ${stacks.join(", ")}.`);
        }
    }
    const own = layeredConfig(stack, overrides, root);
    const role = own["dr:role"];
    if (role === "portfolio") {
        throw new PairError(`Stack "${stack}" is a portfolio (dr:role portfolio): it has apps, not a peer. Name one of its apps' stacks, or use --portfolio ${stack}.`);
    }
    const endpoint = own["dr:awsEndpoint"] ?? "";
    const app = own["dr:appName"];
    // The stack of the same app in the other role, against the same AWS: the stacks' names say nothing.
    const peers = stacks.filter((s) => {
        if (s === stack) return false;
        const other = layeredConfig(s, {}, root);
        return (other["dr:role"] === "primary" || other["dr:role"] === "secondary") && other["dr:role"] !== role
            && other["dr:appName"] === app && (other["dr:awsEndpoint"] ?? "") === endpoint;
    });
    if (requested !== undefined) {
        if (!peers.includes(requested)) {
            throw new PairError(`--peer ${requested}: not the other stack of app ${app}: a pair is a primary and a secondary of the same dr:appName (and dr:awsEndpoint); stack "${stack}" is the ${role}.`);
        }
        return requested;
    }
    if (peers.length === 0) {
        throw new PairError(`No peer for stack "${stack}" (dr:role ${role}, dr:appName ${app}): no other Pulumi.<stack>.yaml has the other dr:role and the same dr:appName.`);
    }
    // A primary of three or more regions has a stack per recovery region: its peer is the first recovery region's.
    const next = role === "primary" ? nextRecoveryRegion(own, stack) : undefined;
    const inNext = next === undefined ? [] : peers.filter((s) => layeredConfig(s, {}, root)["aws:region"] === next);
    if (peers.length > 1 && inNext.length !== 1) {
        throw new PairError(`Stack "${stack}" has several possible peers (${peers.join(", ")}): pick one with --peer.`);
    }
    return peers.length > 1 ? inNext[0] : peers[0];
}

/** The first recovery region of a stack's region set, where its config is valid (model/regionSet.ts). */
function nextRecoveryRegion(raw: Record<string, string>, stack: string): string | undefined {
    const parsed = parseDrConfig(raw, stack);
    return parsed.ok ? regionSet(parsed.config).next : undefined;
}

/**
 * The dr stack a command means when it names none: the one stack file with dr:role secondary that targets AWS
 * (no dr:awsEndpoint). Where there are several (many apps, docs/portfolio.md), or none, the person names one.
 */
export function defaultDrStack(root?: string): string {
    const dr = stackNames(root).filter((s) => {
        const raw = layeredConfig(s, {}, root);
        return raw["dr:role"] === "secondary" && (raw["dr:awsEndpoint"] ?? "") === "";
    });
    // One app in three or more regions has a dr stack per recovery region: the first recovery region's is its dr stack.
    const apps = new Set(dr.map((s) => layeredConfig(s, {}, root)["dr:appName"]));
    const first = dr.length > 1 && apps.size === 1 ? setMembers(dr[0], {}, root).find((m) => m.role === "secondary")?.stack : undefined;
    if (first !== undefined) {
        return first;
    }
    if (dr.length !== 1) {
        throw new PairError(dr.length === 0 ? "no stack file here has dr:role secondary: name the dr stack with --stack <stack>"
            : `--stack is needed: the dr stacks here are ${dr.join(", ")} (one per app); name one, e.g. --stack ${dr[0]}, or run a portfolio with --portfolio`);
    }
    return dr[0];
}

/** The overrides a peer gets: the pair's keys, not the named stack's own. */
export function peerOverrides(overrides: Overrides): Overrides {
    return Object.fromEntries(Object.entries(overrides).filter(([k]) => !STACK_ONLY_KEYS.has(k)));
}

export interface PairConfigs {
    readonly stack: string;
    readonly peer: string;
    readonly prodStack: string;
    readonly drStack: string;
    readonly prod: DrConfig;
    readonly dr: DrConfig;
    /** The config of the stack named (prod's or dr's). */
    readonly named: DrConfig;
}

/**
 * Both stacks' validated configs. Invalid config fails with the report `pulumi preview` prints, each
 * problem once (the peer shares the overrides, so a bad shared key shows in both).
 */
export function pairConfigs(stack: string, overrides: Overrides = {}, requestedPeer?: string, root?: string): PairConfigs {
    const peer = findPeer(stack, overrides, requestedPeer, root);
    const parsed = [
        { name: stack, result: parseDrConfig(layeredConfig(stack, overrides, root), stack) },
        { name: peer, result: parseDrConfig(layeredConfig(peer, peerOverrides(overrides), root), peer) },
    ];
    const reported = new Set<string>();
    const reports: string[] = [];
    for (const { name, result } of parsed) {
        if (!result.ok) {
            const fresh = result.problems.filter((p: ConfigProblem) => !reported.has(`${p.key} ${p.message}`));
            result.problems.forEach((p) => reported.add(`${p.key} ${p.message}`));
            if (fresh.length > 0) {
                reports.push(formatProblems(fresh, name) + (name === peer ? `\n(stack "${name}" is the peer of "${stack}", evaluated with the same --set values)` : ""));
            }
        }
    }
    if (reports.length > 0) {
        throw new PairError(reports.join("\n\n"));
    }
    const cfgOf = (name: string) => (parsed.find((p) => p.name === name)!.result as { config: DrConfig }).config;
    const named = cfgOf(stack);
    const prodStack = named.role === "primary" ? stack : peer;
    const drStack = named.role === "primary" ? peer : stack;
    return { stack, peer, prodStack, drStack, prod: cfgOf(prodStack), dr: cfgOf(drStack), named };
}

/** A region of an app's set and the stack file that deploys it (undefined: none here yet). */
export interface SetMember {
    readonly region: string;
    readonly role: "primary" | "secondary";
    readonly stack?: string;
}

/**
 * The app's region set as its stack files deploy it: for each region of the named stack's set (model/regionSet.ts),
 * the stack file of the same dr:appName and dr:awsEndpoint whose aws:region it is.
 */
export function setMembers(stack: string, overrides: Overrides = {}, root?: string): SetMember[] {
    const raw = layeredConfig(stack, overrides, root);
    const parsed = parseDrConfig(raw, stack);
    if (!parsed.ok) {
        throw new PairError(formatProblems(parsed.problems, stack));
    }
    const set = regionSet(parsed.config);
    const same = (other: Record<string, string>) => other["dr:appName"] === raw["dr:appName"] && (other["dr:awsEndpoint"] ?? "") === (raw["dr:awsEndpoint"] ?? "")
        && (other["dr:role"] === "primary" || other["dr:role"] === "secondary");
    const stacks = stackNames(root).filter((s) => s !== stack).map((s) => ({ s, raw: layeredConfig(s, {}, root) })).filter((x) => same(x.raw));
    return set.regions.map((region) => ({
        region,
        role: region === set.primary ? "primary" as const : "secondary" as const,
        stack: raw["aws:region"] === region ? stack : stacks.find((x) => x.raw["aws:region"] === region)?.s,
    }));
}

/**
 * The dr stack that fails over into `region` (the runbook's --to): a recovery region of the app's set with a stack
 * file here. Anything else is an error naming the set and what to do.
 */
export function recoveryStackIn(stack: string, region: string, overrides: Overrides = {}, root?: string): string {
    const members = setMembers(stack, overrides, root);
    const recovery = members.filter((m) => m.role === "secondary");
    const member = recovery.find((m) => m.region === region);
    if (member === undefined) {
        throw new PairError(`--to ${region}: not a recovery region of ${stack}'s set ${JSON.stringify(members.map((m) => m.region))}` +
            (members[0]?.region === region ? " (it is the primary)" : "") + `: give one of ${recovery.map((m) => m.region).join(", ")}`);
    }
    if (member.stack === undefined) {
        throw new PairError(`--to ${region}: no stack file here deploys it (a Pulumi.<stack>.yaml with dr:role secondary, dr:appName ` +
            `${layeredConfig(stack, overrides, root)["dr:appName"]} and aws:region ${region}): add it (docs/regions.md), or uncomment Pulumi.dr2.yaml where that is the one`);
    }
    return member.stack;
}
