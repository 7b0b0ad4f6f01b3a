// Validation of one stack's raw config against the contract: every problem is collected and reported at
// once, before any resource exists; each names the key, the bad value, what is allowed and the `pulumi config
// set` that fixes it. `config.requireObject<T>()` would only cast. Pure: the program, the runbook, the plan
// and the tests all validate through parseDrConfig.
import { AWS_REGIONS } from "../awsRegions";
import { configRmCommand, configSetCommand } from "../tooling/shell";
import { TIERS } from "../tiers";
import { closest } from "./closest";
import { CONTRACT, ConfigField, DrConfig, KeySpec } from "./contract";
import { regionSet } from "../regionSet";
import { crossKeyProblems } from "./crossKey";
import { CONFIG_FIELDS, PROJECT_KEYS, configKey, configKeyNames } from "./keys";
import { ConfigProblem, ConfigWarning, setCommand } from "./report";

/** Raw values as Pulumi passes them: strings, keyed `aws:region`, `dr:<name>` and any other namespace's keys. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

export type ConfigResult =
    | { readonly ok: true; readonly config: DrConfig; readonly warnings: readonly ConfigWarning[] }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** The known key closest to an unknown one, when it is close enough to be the one meant. */
export function closestKey(unknown: string): string | undefined {
    const best = closest(unknown.replace(/^dr:/, ""), PROJECT_KEYS.map((k) => k.name));
    return best.close ? `dr:${best.value}` : undefined;
}

/**
 * The value a fix suggests: the example, except for dr:role, which follows from the stack's region, and for
 * aws:region, which follows from the role: the region the stack deploys (dr:primaryRegion or dr:drRegion, or
 * its default where that one is not valid).
 */
function suggestion(field: ConfigField, raw: RawConfig): string {
    if (field === "role") {
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:primaryRegion"]) return "primary";
        if (raw["aws:region"] && raw["aws:region"] === raw["dr:drRegion"]) return "secondary";
    }
    if (field === "region" && (raw["dr:role"] === "primary" || raw["dr:role"] === "secondary")) {
        const own = raw["dr:role"] === "primary" ? [raw["dr:primaryRegion"], CONTRACT.primaryRegion.default] : [raw["dr:drRegion"], CONTRACT.drRegion.default];
        return own.find((r) => r !== undefined && AWS_REGIONS.includes(r))!;
    }
    return CONTRACT[field].example;
}

/** Keys in the `dr` namespace that the program does not read: a typo would silently deploy the default. */
export function unknownKeyProblems(raw: RawConfig, stack: string): ConfigProblem[] {
    const known = new Set(configKeyNames());
    return Object.keys(raw).filter((key) => key.startsWith("dr:") && !known.has(key)).sort().map((key) => {
        const meant = closestKey(key);
        const value = raw[key] ?? "";
        return meant
            ? { key, value, message: `is not a key of this program: did you mean ${meant}?`,
                fix: `${configRmCommand(key, stack)} && ${configSetCommand(meant, value, stack)}` }
            : { key, value, message: "is not a key of this program (docs/config.md, the config reference, lists them)", fix: configRmCommand(key, stack) };
    });
}

/**
 * Keys set where they do not apply (each key's `applies` says why it is ignored), in the contract's order.
 * A key counts as set when its value differs from its default (the program cannot tell a default it was
 * given from the same value set by hand).
 */
function ignoredKeyWarnings(c: DrConfig, raw: RawConfig, stack: string): ConfigWarning[] {
    const warnings: ConfigWarning[] = [];
    const tier = TIERS[c.strategy];
    for (const field of CONFIG_FIELDS) {
        const spec = CONTRACT[field] as KeySpec;
        if (spec.applies === undefined) {
            continue;
        }
        const key = configKey(field);
        const value = raw[key];
        // An empty list is a list key left at Pulumi.yaml's default (the CLI passes it as `[]`): not set.
        const emptyList = spec.type === "array" && value !== undefined && /^\s*\[\s*\]\s*$/.test(value);
        const set = value !== undefined && value !== "" && !emptyList && (spec.presence !== "default" || value !== spec.default);
        const why = set ? spec.applies(c, tier) : undefined;
        if (why !== undefined) {
            warnings.push({ key, value: value!, message: `is ignored: ${why}`, fix: configRmCommand(key, stack) });
        }
    }
    return warnings;
}

/**
 * Each of `fields` from the raw config: its value (the default where unset), or its problem with the fix.
 * The app stacks read every field (parseDrConfig); a portfolio stack its own few (model/portfolio/config.ts).
 */
export function parseFields(raw: RawConfig, stack: string, fields: readonly ConfigField[], problems: ConfigProblem[] = []): { values: Record<string, unknown>; problems: ConfigProblem[] } {
    const values: Record<string, unknown> = {};
    for (const field of fields) {
        const spec = CONTRACT[field] as KeySpec;
        const key = configKey(field);
        const given = raw[key];
        const fix = setCommand(field, suggestion(field, raw), stack);
        const problem = (message: string) => problems.push({ key, value: given, message, fix });
        const notSet = (message: string) => problems.push({ key, value: undefined, message, fix });
        // Pulumi.yaml declares "" as the default of the keys without one, so that the program, not the CLI,
        // reports a missing key: for those, empty is unset. Elsewhere an empty value is a mistake.
        if (given === undefined || (given === "" && spec.presence !== "default")) {
            if (spec.presence === "required") {
                notSet(`is not set: must be ${spec.allowed}`);
            } else if (spec.presence === "default") {
                values[field] = (spec.schema(spec.default) as { value: unknown }).value;
            }
            continue;
        }
        if (given === "" && spec.presence === "default") {
            problem(`is empty: must be ${spec.allowed}; an empty value does not mean the default (${spec.default}): set one, or remove the key`);
            continue;
        }
        const parsed = spec.schema(given);
        if (parsed.ok) {
            values[field] = parsed.value;
        } else {
            const message = `must be ${spec.allowed}${parsed.why ? `; ${parsed.why}` : ""}`;
            problems.push({ key, value: given, message, fix: parsed.suggest !== undefined ? setCommand(field, parsed.suggest, stack) : fix });
        }
    }
    return { values, problems };
}

/**
 * Validates the raw config of one stack. Pure: takes the values, returns the typed config and its warnings,
 * or every problem at once.
 */
export function parseDrConfig(raw: RawConfig, stack: string): ConfigResult {
    const { values, problems } = parseFields(raw, stack, CONFIG_FIELDS, unknownKeyProblems(raw, stack));
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const given = values as DrConfig;
    const cross = crossKeyProblems(given, stack);
    if (cross.length > 0) {
        return { ok: false, problems: cross };
    }
    // dr:regions, where set, decides the pair's two regions (model/regionSet.ts): the keys it replaced agree with it.
    const set = regionSet(given);
    const config: DrConfig = given.regions !== undefined && given.regions.length > 0 ? { ...given, primaryRegion: set.primary, drRegion: set.next } : given;
    return { ok: true, config, warnings: ignoredKeyWarnings(config, raw, stack) };
}
