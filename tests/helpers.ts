// Helpers the tests share: running the program where it must fail, reading Outputs, and running a function's
// packaged code.
import { builtinModules } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Recorded, runStack } from "../offline/evaluate";
import { Overrides } from "../model/tooling/stackFiles";

/** Runs the program for a stack expecting it to fail; returns the error message. */
export async function stackError(stack: string, overrides: Overrides): Promise<string> {
    try {
        await runStack(stack, overrides);
    } catch (err) {
        const created = ((err as { recorded?: Recorded[] }).recorded ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack");
        if (created.length > 0) {
            throw new Error(`the failing program still registered ${created.map((r) => r.type).join(", ")}`);
        }
        return (err as Error).message;
    }
    throw new Error(`stack ${stack} with ${JSON.stringify(overrides)} was expected to fail but deployed`);
}

/** Resolves a value that may be an Output (for component unit tests). */
export function unwrap<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(value).apply((v) => { resolve(v as T); return v; }));
}

/** The files of an AssetArchive input of StringAssets, by path in the zip, as the mocks recorded it. */
export async function archiveFiles(archive: any): Promise<Record<string, string>> {
    const assets: Record<string, any> = await archive.assets;
    const files: Record<string, string> = {};
    for (const [file, asset] of Object.entries(assets)) {
        files[file] = await asset.text;
    }
    return files;
}

/**
 * Runs a function's zip (components/functionCode.ts) as its runtime would load it, from its entry file: each
 * file of the zip with its own `require`, `module` and `exports`, and the given `process.env` and `console`. A
 * relative require loads a file of the zip; any other module comes from `modules`, the test's stand-ins for
 * the AWS SDK or Node's https, or else is Node's own (as in the runtime); any other fails, naming it.
 */
export function loadFunction(files: Readonly<Record<string, string>>, entry: string, modules: Record<string, unknown>,
    env: Record<string, string> = {}, console: Pick<Console, "log"> = globalThis.console): Record<string, any> {
    const loaded = new Map<string, { exports: Record<string, any> }>();
    const load = (file: string): Record<string, any> => {
        const cached = loaded.get(file);
        if (cached) {
            return cached.exports;
        }
        if (files[file] === undefined) {
            throw new Error(`the zip holds ${Object.keys(files).join(", ")}, not ${file}`);
        }
        const module = { exports: {} as Record<string, any> };
        loaded.set(file, module);
        const requireIn = (id: string) => {
            if (id.startsWith("./") || id.startsWith("../")) {
                const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), id));
                return load(files[target] === undefined ? `${target}.js` : target);
            }
            if (id in modules) {
                return modules[id];
            }
            if (builtinModules.includes(id.replace(/^node:/, ""))) {
                return require(id);
            }
            throw new Error(`${file} requires ${id}, which the test does not provide`);
        };
        new Function("require", "module", "exports", "process", "console", files[file])(requireIn, module, module.exports, { env }, console);
        return module.exports;
    };
    return load(entry);
}

/** The example third region (offline/thirdRegion.ts): its set, and a project copy with Pulumi.dr2.yaml uncommented. */
export { EXAMPLE_THREE_REGIONS as THREE_REGIONS, withExampleThirdRegion as withThirdRegion } from "../offline/thirdRegion";
