// A DR pair's configs, as the stack files give them: the stack named and its peer (the other stack file of the
// same dr:appName whose dr:role differs and which targets the same AWS: the real stacks pair with each other,
// the local stacks likewise; what the stacks are called says nothing), both validated. The plan, the drill's seed and the runbook (which reads the prod stack's
// configured weights) use it.
import { CONFIG_FIELDS, CONTRACT, ConfigProblem, DrConfig, KeySpec, configKey, formatProblems, parseDrConfig } from "./config";
import { regionSet } from "./regionSet";
import { Overrides, commentedOutStacks, layeredConfig, stackNames } from "./tooling/stackFiles";

/** A problem the person fixes (a missing stack file, invalid config): reported without a stack trace. */
export class PairError extends Error {}

/** Keys that describe one stack rather than the pair (`stackOnly` in the contract): an override of them is not copied to the peer. */
export const STACK_ONLY_KEYS: ReadonlySet<string> = new Set(CONFIG_FIELDS.filter((f) => (CONTRACT[f] as KeySpec).stackOnly).map(configKey));

/** The other stack of the pair; `requested` names it where several stack files could be. */
export function findPeer(stack: string, overrides: Overrides = {}, requested?: string, root?: string): string {
    const stacks = stackNames(root);
    for (const s of [stack, requested]) {
        if (s !== undefined && !stacks.includes(s)) {
            throw new PairError(noStackFile(s, root));
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
    if (peers.length === 1) {
        return peers[0];
    }
    // A primary of three or more regions has a stack per recovery region: its peer is the first recovery region's.
    const first = role === "primary" ? inFirstRecoveryRegion(peers, own, stack, root) : undefined;
    if (first === undefined) {
        throw new PairError(`Stack "${stack}" has several possible peers (${peers.join(", ")}): pick one with --peer.`);
    }
    return first;
}

/** There is no stack `stack` here: which there are, and whether its file is there with its config commented out (Pulumi.dr2.yaml). */
export function noStackFile(stack: string, root?: string): string {
    const commented = commentedOutStacks(root).some((c) => c.stack === stack)
        ? ` with config: its config is commented out (uncomment it as its header says, docs/regions.md)` : "";
    return `There is no stack file Pulumi.${stack}.yaml${commented}. Stacks: ${stackNames(root).join(", ")}.`;
}

/**
 * Of `candidates` (an app's recovery stacks), the one whose aws:region is the first recovery region of the set that
 * `raw` (stack `stack`'s config) lists (model/regionSet.ts); undefined where that config is invalid, or none or
 * several are there.
 */
function inFirstRecoveryRegion(candidates: readonly string[], raw: Record<string, string>, stack: string, root?: string): string | undefined {
    const parsed = parseDrConfig(raw, stack);
    if (!parsed.ok) {
        return undefined;
    }
    const next = regionSet(parsed.config).next;
    const inNext = candidates.filter((s) => layeredConfig(s, {}, root)["aws:region"] === next);
    return inNext.length === 1 ? inNext[0] : undefined;
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
    const first = dr.length > 1 && apps.size === 1 ? inFirstRecoveryRegion(dr, layeredConfig(dr[0], {}, root), dr[0], root) : undefined;
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
