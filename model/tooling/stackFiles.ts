// A stack's config as the Pulumi CLI layers it: Pulumi.yaml's declared defaults, then Pulumi.<stack>.yaml,
// then overrides. The runbook, the offline plan and the tests all read config this way, so they see what
// `pulumi up` would.
import * as fs from "fs";
import * as path from "path";
import { load as parseYaml } from "js-yaml";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const PROJECT = "dr";

/** Pulumi.yaml's declared defaults, as the CLI passes them (strings, `dr:` namespaced). */
export function projectDefaults(root = PROJECT_ROOT): Record<string, string> {
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
    const defaults: Record<string, string> = {};
    for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
        if (decl && typeof decl === "object" && "default" in decl) {
            // A list (or object) default as JSON, as the CLI passes it: `[]`, not the empty string String([]) gives.
            const value = decl.default !== null && typeof decl.default === "object" ? JSON.stringify(decl.default) : String(decl.default);
            defaults[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
        }
    }
    return defaults;
}

/** A stack file's config values, as strings. Throws a clear error when the stack file is missing. */
export function stackFileConfig(stack: string, root = PROJECT_ROOT): Record<string, string> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.basename(file)} in ${root}: stacks here are ${stackNames(root).join(", ") || "(none)"}`);
    }
    const parsed = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    // A list or an object as JSON, as Pulumi passes structured values to the program.
    return Object.fromEntries(Object.entries<any>(parsed?.config ?? {}).map(([k, v]) => [k, v !== null && typeof v === "object" ? JSON.stringify(v) : String(v)]));
}

/**
 * The stacks that have a Pulumi.<stack>.yaml with config, sorted. A stack file whose config is all commented out
 * (the example Pulumi.dr2.yaml, a third region) is not a stack of the project until it is uncommented.
 */
export function stackNames(root = PROJECT_ROOT): string[] {
    return stackFileNames(root).filter((s) => hasConfig(path.join(root, `Pulumi.${s}.yaml`)));
}

/**
 * The stack files whose config is all commented out (the example Pulumi.dr2.yaml), with their text: not stacks
 * of the project, but what a message can point at when a stack is missing.
 */
export function commentedOutStacks(root = PROJECT_ROOT): { readonly stack: string; readonly text: string }[] {
    return stackFileNames(root).filter((s) => !hasConfig(path.join(root, `Pulumi.${s}.yaml`)))
        .map((stack) => ({ stack, text: fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8") }));
}

/** Every Pulumi.<stack>.yaml here, by stack name, sorted: with config or without. */
function stackFileNames(root: string): string[] {
    return fs.readdirSync(root).map((f) => f.match(/^Pulumi\.(.+)\.yaml$/)?.[1]).filter((s): s is string => s !== undefined).sort();
}

function hasConfig(file: string): boolean {
    const parsed = parseYaml(fs.readFileSync(file, "utf8")) as { config?: unknown } | null;
    return parsed !== null && typeof parsed === "object" && parsed.config !== undefined && parsed.config !== null;
}

/** Overrides: a string sets a key; undefined removes it (as `pulumi config rm` would). */
export type Overrides = Record<string, string | undefined>;

export function layeredConfig(stack: string, overrides: Overrides = {}, root = PROJECT_ROOT): Record<string, string> {
    const config: Record<string, string | undefined> = { ...projectDefaults(root), ...stackFileConfig(stack, root), ...overrides };
    return Object.fromEntries(Object.entries(config).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Pulumi.yaml's `backend.url`, where the project pins its state backend; undefined when it does not. */
export function projectBackendUrl(root = PROJECT_ROOT): string | undefined {
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { backend?: { url?: unknown } };
    return typeof project.backend?.url === "string" ? project.backend.url : undefined;
}
