// How a handler of functions/ becomes Lambda or canary code, at preview. Not a component: the components that
// run code (RestoreTests, RegionSwitchPlan, RegionCanary) take their zips from here.
//
// - Transpile: sucrase, a dependency of the program already (cli/register.js), turns each TypeScript file into
//   CommonJS by stripping the types and rewriting the imports. It does no type-check (tsc --noEmit does, in
//   npm test) and keeps every line where it was, so a stack trace in the function's log names the source line.
//   Its output depends on the source text alone (no path, no time, no source map): the same source gives the
//   same zip, and the asset's hash changes only when a function's code does (or sucrase's output with a new
//   sucrase).
// - Bundle: the handler's file and every project file it requires, followed from file to file, go in the zip
//   at their paths in the project (functions/fence.js, functions/requests.js, model/regionSwitch.js), so each
//   relative require finds its file as it did in the project. A function may require only those, Node's own
//   modules and the AWS SDK v3, which the nodejs24.x runtime and Synthetics' Node.js runtimes provide; anything
//   else is refused here, at preview, rather than failing in AWS.
// - Entry: the runtime loads one file (the handler setting names it), which loads the handler's module.
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { transform } from "sucrase";

/** The project: functions/ and model/ are read from it at preview (Pulumi runs the program from its sources). */
const ROOT = path.join(__dirname, "..");

/** Where a zip holds the entry file the runtime loads, and the project's files. */
export interface FunctionLayout {
    /** The entry file's path in the zip: what the function's handler setting names. */
    readonly entry: string;
    /** The folder of the zip that holds the project's files, at their paths in the project ("" the zip's root). */
    readonly filesUnder: string;
}

/** A Lambda function's zip: index.js at its root, the handler `index.handler`, the project's files beside it. */
export const LAMBDA_LAYOUT: FunctionLayout = { entry: "index.js", filesUnder: "" };
export const LAMBDA_HANDLER = "index.handler";

/** The project's folders a function may require files from: its own and the pure model. */
const BUNDLED_FOLDERS = ["functions/", "model/"];

/** Transpiled files by absolute path: the fence's code is zipped twice, and a pair's canary once per stack. */
const transpiled = new Map<string, string>();

function transpile(root: string, file: string): string {
    const source = path.join(root, file);
    let code = transpiled.get(source);
    if (code === undefined) {
        // No filePath: sucrase needs none for TypeScript, and the output must not depend on where the project is.
        // disableESTransforms: the runtimes' Node.js 22 runs `??` and `?.` as written, so they stay as written.
        code = transform(fs.readFileSync(source, "utf8"), { transforms: ["typescript", "imports"], disableESTransforms: true }).code;
        transpiled.set(source, code);
    }
    return code;
}

/** The project file a relative require of `from` names (`./requests` is functions/requests.ts), or why none. */
function resolveRelative(root: string, from: string, id: string): string {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), id));
    const file = [`${base}.ts`, `${base}/index.ts`].find((f) => fs.existsSync(path.join(root, f)));
    if (file === undefined) {
        throw new Error(`${from} requires ${id}, which is no TypeScript file of the project`);
    }
    if (!BUNDLED_FOLDERS.some((folder) => file.startsWith(folder))) {
        throw new Error(`${from} requires ${file}: a function may require files of ${BUNDLED_FOLDERS.join(" and ")} only`);
    }
    return file;
}

/** Modules the runtime has: Node's own, and the AWS SDK for JavaScript v3. */
function providedByRuntime(id: string): boolean {
    return builtinModules.includes(id.replace(/^node:/, "")) || id.startsWith("@aws-sdk/");
}

/**
 * The files of a handler's zip, by path in the zip, in sorted order: the entry, the handler's module
 * (functions/<name>.ts transpiled) and every project file it requires, transpiled. `root` is the project's
 * folder (another only in tests).
 */
export function functionFiles(name: string, layout: FunctionLayout = LAMBDA_LAYOUT, root: string = ROOT): Record<string, string> {
    const handler = `functions/${name}.ts`;
    if (!fs.existsSync(path.join(root, handler))) {
        throw new Error(`there is no handler ${handler}`);
    }
    const modules = new Map<string, string>();
    const pending = [handler];
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (modules.has(file)) {
            continue;
        }
        const code = transpile(root, file);
        modules.set(file, code);
        for (const [, , id] of code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) {
            if (id.startsWith("./") || id.startsWith("../")) {
                pending.push(resolveRelative(root, file, id));
            } else if (!providedByRuntime(id)) {
                throw new Error(`${file} requires ${id}: a function may require only Node's modules, @aws-sdk/* and project files`);
            }
        }
    }
    const inZip = (file: string) => `${layout.filesUnder}${file.replace(/\.ts$/, ".js")}`;
    const fromEntry = path.posix.relative(path.posix.dirname(layout.entry), inZip(handler));
    const files: Record<string, string> = {
        [layout.entry]: `"use strict";\n// The runtime loads this file; the handler is ${handler} of multi-region-dr, transpiled beside it.\n` +
            `module.exports = require("./${fromEntry}");\n`,
    };
    for (const [file, code] of modules) {
        files[inZip(file)] = code;
    }
    return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Files as a Pulumi asset: Pulumi zips it on upload (no file on disk at deploy) and hashes it by its files' contents. */
export function filesArchive(files: Readonly<Record<string, string>>): pulumi.asset.AssetArchive {
    return new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(files).map(([file, text]) => [file, new pulumi.asset.StringAsset(text)])));
}

/** The handler's zip as a Pulumi asset (a Lambda function's `code`). */
export function functionArchive(name: string, layout: FunctionLayout = LAMBDA_LAYOUT): pulumi.asset.AssetArchive {
    return filesArchive(functionFiles(name, layout));
}
