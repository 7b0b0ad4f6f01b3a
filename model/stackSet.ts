// A region set's stacks (docs/regions.md): one stack file per region of the set, found as the pair's peer is
// (model/stackPair.ts), by what the files say and not by their names: the same dr:appName and dr:awsEndpoint, a
// primary or secondary dr:role, and the region in aws:region. The plan of a set of three or more uses it. The
// search itself is pure (setStacksOf); setConfigs reads the stack files and validates each member's config.
import { ConfigProblem, DrConfig, formatProblems, parseDrConfig } from "./config";
import { RegionSet, regionSet } from "./regionSet";
import { PairError, noStackFile, peerOverrides } from "./stackPair";
import { Overrides, commentedOutStacks, layeredConfig, stackNames } from "./tooling/stackFiles";

/** A stack file as the search reads it: its name and its config, layered (raw strings, `dr:` keys). */
export interface StackFile {
    readonly stack: string;
    readonly raw: Readonly<Record<string, string>>;
}

/** What the search found: each region's stack, the regions with none, the regions with more than one. */
export interface SetStacks {
    /** By region, in the set's order. */
    readonly found: ReadonlyMap<string, string>;
    readonly missing: readonly string[];
    readonly several: readonly { readonly region: string; readonly stacks: readonly string[] }[];
}

/**
 * Each region of `set`'s stack among `files`: the file of app `app` against `endpoint` (dr:awsEndpoint, "" for
 * AWS) whose dr:role is primary or secondary and whose aws:region is the region. Pure.
 */
export function setStacksOf(set: RegionSet, app: string, endpoint: string, files: readonly StackFile[]): SetStacks {
    const ofApp = files.filter(({ raw }) => (raw["dr:role"] === "primary" || raw["dr:role"] === "secondary")
        && raw["dr:appName"] === app && (raw["dr:awsEndpoint"] ?? "") === endpoint);
    const found = new Map<string, string>();
    const missing: string[] = [];
    const several: { region: string; stacks: string[] }[] = [];
    for (const region of set.regions) {
        const stacks = ofApp.filter(({ raw }) => raw["aws:region"] === region).map((f) => f.stack);
        if (stacks.length === 0) {
            missing.push(region);
        } else if (stacks.length > 1) {
            several.push({ region, stacks });
        } else {
            found.set(region, stacks[0]);
        }
    }
    return { found, missing, several };
}

/** A commented-out stack file (model/tooling/stackFiles.ts, commentedOutStacks) that would be `region`'s stack of `app`, once uncommented. */
export function commentedStackFor(region: string, app: string, files: readonly { readonly stack: string; readonly text: string }[]): string | undefined {
    const says = (text: string, key: string, value: string) => new RegExp(`^#\\s*${key}:\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m").test(text);
    return files.find((f) => says(f.text, "aws:region", region) && says(f.text, "dr:appName", app))?.stack;
}

/** Why a region of the set has no stack: what its stack file must say, and the commented-out one that would be it. */
export function missingStackMessage(set: RegionSet, app: string, region: string, commented?: string): string {
    const role = region === set.primary ? "primary" : "secondary";
    const base = `The region set ${JSON.stringify(set.regions)} of app "${app}" lists ${region}, but no stack file here is its stack ` +
        `(a Pulumi.<stack>.yaml with aws:region ${region}, dr:role ${role}, dr:appName ${app} and the set's dr:regions).`;
    return commented !== undefined
        ? `${base} Pulumi.${commented}.yaml would be: its config is commented out. Uncomment it as its header says ` +
            `(docs/regions.md, "Growing a pair to three regions"), then plan again.`
        : `${base} Add one (Pulumi.dr2.yaml is the example, docs/regions.md), or plan the pair: dr:regions with the primary and one recovery region.`;
}

/** A region of the set: its stack and its validated config. */
export interface SetMember {
    readonly stack: string;
    readonly region: string;
    readonly config: DrConfig;
}

export interface SetConfigs {
    /** The stack named. */
    readonly stack: string;
    readonly set: RegionSet;
    /** One per region of the set, in its order: the primary first. */
    readonly members: readonly SetMember[];
    /** The config of the stack named. */
    readonly named: DrConfig;
}

/**
 * Every stack of the named stack's region set, each config validated. `overrides` apply to the named stack, and
 * to the others except the keys that describe one stack (as the pair's peer, model/stackPair.ts, peerOverrides).
 * Fails, naming what to fix, where a region of the set has no stack file or several, where a config is invalid,
 * and where a member lists another set.
 */
export function setConfigs(stack: string, overrides: Overrides = {}, root?: string): SetConfigs {
    const stacks = stackNames(root);
    if (!stacks.includes(stack)) {
        throw new PairError(noStackFile(stack, root));
    }
    const rawOf = (s: string) => layeredConfig(s, s === stack ? overrides : peerOverrides(overrides), root);
    const parse = (s: string) => parseDrConfig(rawOf(s), s);
    const own = parse(stack);
    if (!own.ok) {
        throw new PairError(formatProblems(own.problems, stack));
    }
    const named = own.config;
    const set = regionSet(named);
    const files = stacks.map((s) => ({ stack: s, raw: rawOf(s) }));
    const found = setStacksOf(set, named.appName, files.find((f) => f.stack === stack)!.raw["dr:awsEndpoint"] ?? "", files);
    if (found.missing.length > 0) {
        const commented = commentedOutStacks(root);
        throw new PairError(found.missing.map((region) => missingStackMessage(set, named.appName, region, commentedStackFor(region, named.appName, commented))).join("\n"));
    }
    if (found.several.length > 0) {
        throw new PairError(found.several.map(({ region, stacks: s }) => `Stacks ${s.join(", ")} all deploy ${region} for app "${named.appName}": ` +
            "a region set has one stack per region; give the others another dr:appName or remove their files.").join("\n"));
    }
    const reported = new Set<string>();
    const reports: string[] = [];
    const members: SetMember[] = [];
    for (const region of set.regions) {
        const s = found.found.get(region)!;
        const result = s === stack ? own : parse(s);
        if (!result.ok) {
            const fresh = result.problems.filter((p: ConfigProblem) => !reported.has(`${p.key} ${p.message}`));
            result.problems.forEach((p) => reported.add(`${p.key} ${p.message}`));
            if (fresh.length > 0) {
                reports.push(`${formatProblems(fresh, s)}\n(stack "${s}" is ${region}'s of the region set of "${stack}", evaluated with the same --set values)`);
            }
            continue;
        }
        const listed = regionSet(result.config).regions;
        if (JSON.stringify(listed) !== JSON.stringify(set.regions)) {
            reports.push(`Stack "${s}" (${region}) has dr:regions ${JSON.stringify(listed)}, but "${stack}" has ${JSON.stringify(set.regions)}: ` +
                `every stack of a region set carries the same dr:regions (docs/regions.md). Set it on "${s}", or plan with --set dr:regions='${JSON.stringify(set.regions)}'.`);
            continue;
        }
        members.push({ stack: s, region, config: result.config });
    }
    if (reports.length > 0) {
        throw new PairError(reports.join("\n\n"));
    }
    return { stack, set, members, named };
}

/** A region of an app's set and the stack file that deploys it (undefined: none here yet). */
export interface RegionStack {
    readonly region: string;
    readonly role: "primary" | "secondary";
    readonly stack?: string;
}

/**
 * The app's region set as its stack files deploy it: for each region of the named stack's set (model/regionSet.ts),
 * the stack file of the same dr:appName and dr:awsEndpoint whose aws:region it is.
 */
export function regionStacks(stack: string, overrides: Overrides = {}, root?: string): RegionStack[] {
    const raw = layeredConfig(stack, overrides, root);
    const parsed = parseDrConfig(raw, stack);
    if (!parsed.ok) {
        throw new PairError(formatProblems(parsed.problems, stack));
    }
    const set = regionSet(parsed.config);
    const files = [{ stack, raw }, ...stackNames(root).filter((s) => s !== stack).map((s) => ({ stack: s, raw: layeredConfig(s, {}, root) }))];
    const { found, several } = setStacksOf(set, raw["dr:appName"], raw["dr:awsEndpoint"] ?? "", files);
    if (several.length > 0) {
        throw new PairError(`several stack files deploy one region of ${stack}'s set: ${several.map((x) => `${x.region}: ${x.stacks.join(", ")}`).join("; ")}: keep one per region`);
    }
    return set.regions.map((region) => ({
        region,
        role: region === set.primary ? "primary" as const : "secondary" as const,
        stack: found.get(region),
    }));
}

/**
 * The dr stack that fails over into `region` (the runbook's --to): a recovery region of the app's set with a stack
 * file here. Anything else is an error naming the set and what to do.
 */
export function recoveryStackIn(stack: string, region: string, overrides: Overrides = {}, root?: string): string {
    const members = regionStacks(stack, overrides, root);
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
