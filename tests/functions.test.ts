// functions/: the code that runs in AWS, as the program packages it (components/functionCode.ts). The handlers'
// behaviour is tested where their resources are (tests/operations.test.ts, tests/regionSwitchPlan.test.ts);
// here: that each zip the program emits loads as its runtime loads it, that the packaging is deterministic and
// refuses what the runtime would not have, and that no program code is left in template strings.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CANARY_LAYOUT } from "../components/canary";
import { LAMBDA_LAYOUT, functionFiles } from "../components/functionCode";
import { CANARY_HANDLER } from "../model/canary";
import { ROOT, Recording, stackRun } from "../offline/evaluate";
import { archiveFiles } from "./helpers";
import { RUNTIME_LIVES, runtimeWarnings } from "../model/runtimes";

/** Every .ts file under a folder of the project, as a path relative to the project. */
function sources(folder: string): string[] {
    return fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(folder, f));
}

/** The handler files of functions/: every .ts file but the shared requests and the declarations. */
const HANDLERS = fs.readdirSync(path.join(ROOT, "functions")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "requests.ts")
    .map((f) => f.replace(/\.ts$/, ""));

interface Packaged {
    /** Which resource carries it. */
    readonly what: string;
    readonly files: Record<string, string>;
    /** The entry file its runtime loads, and the export it calls (the handler setting). */
    readonly entry: string;
    readonly handler: string;
}

/** The zips a stack emits: each Lambda function's code, and the canary's code object. */
async function packaged(r: Recording): Promise<Packaged[]> {
    const out: Packaged[] = [];
    for (const fn of r.ofType("aws:lambda/function:Function")) {
        const [file, exported] = fn.inputs.handler.split(".");
        out.push({ what: `function ${fn.inputs.name}`, files: await archiveFiles(fn.inputs.code), entry: `${file}.js`, handler: exported });
    }
    for (const object of r.ofType("aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => /\/code\/.*\.zip$/.test(o.inputs.key))) {
        const [file, exported] = CANARY_HANDLER.split(".");
        out.push({ what: `canary code ${object.inputs.key}`, files: await archiveFiles(object.inputs.source), entry: `nodejs/node_modules/${file}.js`, handler: exported });
    }
    return out;
}

/**
 * Writes a zip's files to a new folder and requires its entry with Node's own loader, as the runtime does. The
 * AWS SDK modules it requires are the project's where installed; the two the project does not install
 * (functions/runtimeModules.d.ts) stand in empty: loading a handler makes no client, so none is used.
 */
function requireFromFolder(files: Record<string, string>, entry: string): Record<string, unknown> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "function-zip-"));
    try {
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
        const sdk = new Set(Object.values(files).flatMap((text) => [...text.matchAll(/require\(['"](@aws-sdk\/[^'"]+)['"]\)/g)].map((m) => m[1])));
        for (const name of sdk) {
            let installed: string | undefined;
            try {
                installed = require.resolve(name, { paths: [ROOT] });
            } catch {
                installed = undefined;
            }
            fs.mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
            fs.writeFileSync(path.join(dir, "node_modules", name, "index.js"), installed === undefined
                ? "// The Lambda runtime provides this module; the project does not install it.\nmodule.exports = {};\n"
                : `module.exports = require(${JSON.stringify(installed)});\n`);
        }
        return require(path.join(dir, entry));
    } finally {
        for (const cached of Object.keys(require.cache).filter((f) => f.startsWith(dir))) {
            delete require.cache[cached];
        }
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("functions/: code that runs in AWS, as the program packages it", function () {
    this.timeout(30_000);
    let zips: Packaged[] = [];
    before(async () => {
        // warm standby's dr stack with the Region switch plan runs every function there is: the restore check,
        // both fences, the cache resize, and a canary; prod runs the canary of the other region.
        // One after the other: Pulumi's mocks are one per process.
        const dr = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/approver" });
        const prod = await stackRun("prod", { "dr:strategy": "warm-standby" });
        zips = [...await packaged(dr), ...await packaged(prod)];
    });

    it("packages every handler of functions/", () => {
        const packagedHandlers = new Set(zips.flatMap((z) => Object.keys(z.files))
            .map((f) => /(?:^|\/)functions\/(\w+)\.js$/.exec(f)?.[1]).filter((h) => h !== undefined && h !== "requests"));
        assert.deepEqual([...packagedHandlers].sort(), [...HANDLERS].sort());
        assert.deepEqual(zips.map((z) => z.what.replace(/-[0-9a-f]{16}\.zip$/, "-<hash>.zip")).sort(), [
            "canary code synthetics/code/shop-use1-health-<hash>.zip", "canary code synthetics/code/shop-usw2-health-<hash>.zip",
            "function shop-usw2-restore-check", "function shop-usw2-rs-cache-resize", "function shop-usw2-rs-fence-close", "function shop-usw2-rs-fence-open",
        ]);
    });

    it("each zip holds transpiled JavaScript that Node loads from a folder with its bundled files, and exports its handler", () => {
        for (const zip of zips) {
            assert.ok(zip.files[zip.entry], `${zip.what}: the zip holds ${Object.keys(zip.files).join(", ")}, not ${zip.entry}`);
            assert.ok(Object.keys(zip.files).every((f) => f.endsWith(".js")), `${zip.what}: JavaScript only`);
            const loaded = requireFromFolder(zip.files, zip.entry);
            assert.equal(typeof loaded[zip.handler], "function", `${zip.what} exports ${zip.handler}`);
        }
    });

    it("the canary's zip: the script at nodejs/node_modules/healthCanary.js, its files beside it, the same code in both regions", () => {
        const canaries = zips.filter((z) => z.what.startsWith("canary"));
        assert.equal(canaries.length, 2);
        assert.deepEqual(canaries[0].files, canaries[1].files);
        assert.deepEqual(Object.keys(canaries[0].files), [
            "nodejs/node_modules/healthCanary.js",
            "nodejs/node_modules/multi-region-dr/functions/healthCanary.js",
            "nodejs/node_modules/multi-region-dr/model/app.js",
            "nodejs/node_modules/multi-region-dr/model/canary.js",
            "nodejs/node_modules/multi-region-dr/model/naming.js",
        ]);
        // The key is named by the code's hash: one code, one hash, in both regions.
        assert.equal(new Set(canaries.map((c) => /-([0-9a-f]{16})\.zip$/.exec(c.what)?.[1])).size, 1);
    });

    it("a Lambda zip: index.js at its root, the handler's module and what it requires at their project paths", () => {
        assert.deepEqual(Object.keys(functionFiles("fence")), ["functions/fence.js", "functions/requests.js", "index.js", "model/failoverGraph.js", "model/reference.js", "model/regionSwitch.js"]);
        assert.match(functionFiles("fence")["index.js"], /^module\.exports = require\("\.\/functions\/fence\.js"\);$/m);
        assert.match(functionFiles("healthCanary", CANARY_LAYOUT)["nodejs/node_modules/healthCanary.js"],
            /^module\.exports = require\("\.\/multi-region-dr\/functions\/healthCanary\.js"\);$/m);
    });

    it("is deterministic: the same sources give the same files wherever the project is, with no path and no source map in them", () => {
        for (const zip of zips) {
            for (const [file, text] of Object.entries(zip.files)) {
                assert.ok(!text.includes(ROOT), `${zip.what}: ${file} names ${ROOT}`);
                assert.ok(!text.includes("sourceMappingURL"), `${zip.what}: ${file} has a source map`);
            }
        }
        // A copy of the project's functions/ and model/ elsewhere, transpiled afresh: the asset's hash is the same.
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "function-copy-"));
        try {
            for (const folder of ["functions", "model"]) {
                fs.cpSync(path.join(ROOT, folder), path.join(copy, folder), { recursive: true });
            }
            for (const handler of HANDLERS) {
                assert.deepEqual(functionFiles(handler, LAMBDA_LAYOUT, copy), functionFiles(handler, LAMBDA_LAYOUT), handler);
            }
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });

    it("keeps the source's lines, so a stack trace in a function's log names the source line", () => {
        for (const handler of HANDLERS) {
            const source = fs.readFileSync(path.join(ROOT, "functions", `${handler}.ts`), "utf8");
            assert.equal(functionFiles(handler)[`functions/${handler}.js`].split("\n").length, source.split("\n").length, handler);
        }
    });

    describe("refuses, at preview, what the runtime would not have", () => {
        let dir = "";
        const write = (file: string, text: string) => {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        };
        beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "function-project-")); });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("a package the runtime does not carry", () => {
            write("functions/bad.ts", `import leftPad from "left-pad";\nexport const handler = async () => leftPad("x", 2);\n`);
            assert.throws(() => functionFiles("bad", LAMBDA_LAYOUT, dir), /functions\/bad\.ts requires left-pad: a function may require only Node's modules, @aws-sdk\/\* and project files/);
        });

        it("a project file outside functions/ and model/, even through a model file", () => {
            write("functions/bad.ts", `import { x } from "../model/uses";\nexport const handler = async () => x;\n`);
            write("model/uses.ts", `export { x } from "../runbook/x";\n`);
            write("runbook/x.ts", `export const x = 1;\n`);
            assert.throws(() => functionFiles("bad", LAMBDA_LAYOUT, dir), /model\/uses\.ts requires runbook\/x\.ts: a function may require files of functions\/ and model\/ only/);
        });

        it("a file that is not there, and a handler that is not there", () => {
            write("functions/bad.ts", `import { x } from "./gone";\nexport const handler = async () => x;\n`);
            assert.throws(() => functionFiles("bad", LAMBDA_LAYOUT, dir), /functions\/bad\.ts requires \.\/gone, which is no TypeScript file of the project/);
            assert.throws(() => functionFiles("absent", LAMBDA_LAYOUT, dir), /there is no handler functions\/absent\.ts/);
        });
    });

    it("no program code is left in template strings: no `exports.handler =` or SDK require in index.ts, model/, components/, wiring/", () => {
        for (const file of ["index.ts", ...["model", "components", "wiring"].flatMap(sources)]) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.doesNotMatch(text, /exports\.handler\s*=/, `${file} holds a handler's code as text: move it to functions/`);
            assert.doesNotMatch(text, /require\(\s*["'`]@aws-sdk\//, `${file} holds code that requires the AWS SDK as text: move it to functions/`);
        }
    });

    it("declares only runtime modules the project does not install (a declaration would hide the package's own types)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const dependencies = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
        const declarations = fs.readdirSync(path.join(ROOT, "functions")).filter((f) => f.endsWith(".d.ts"));
        const declared = declarations.flatMap((f) => [...fs.readFileSync(path.join(ROOT, "functions", f), "utf8").matchAll(/^declare module "([^"]+)"/gm)].map((m) => m[1]));
        assert.ok(declared.length > 0, "the test sees the declarations");
        for (const name of declared) {
            assert.equal(dependencies[name], undefined, `${name} is a dependency now: delete its declaration in functions/`);
            assert.throws(() => require.resolve(name, { paths: [ROOT] }), /Cannot find module/, `${name} is installed now: delete its declaration in functions/`);
        }
    });
});

describe("the runtimes' lives: a preview warns months before AWS refuses to create on one (issue 17, item 2.2)", () => {
    it("one Lambda runtime and one Synthetics runtime, the newest of each; the canary's day is the one of Lambda's Node.js 22", () => {
        assert.deepEqual(RUNTIME_LIVES.map((l) => [l.runtime, l.noCreateFrom]), [["nodejs24.x", undefined], ["syn-nodejs-puppeteer-15.0", "2027-06-01"]]);
    });

    it("nothing to say more than 90 days ahead; then the days left; then since when", () => {
        assert.deepEqual(runtimeWarnings(new Date("2027-03-02T12:00:00Z")), []);
        const soon = runtimeWarnings(new Date("2027-04-01T00:00:00Z"));
        assert.equal(soon.length, 1);
        assert.match(soon[0], /^syn-nodejs-puppeteer-15\.0, the runtime of the canaries \(CANARY_RUNTIME_VERSION in model\/canary\.ts\): AWS refuses to create on it from 2027-06-01, in 61 days,/);
        assert.match(soon[0], /the failover deploy that starts a canary/);
        assert.match(runtimeWarnings(new Date("2027-06-02T00:00:00Z"))[0], /since 2027-06-01/);
        assert.deepEqual(runtimeWarnings(new Date("2030-01-01T00:00:00Z"), [{ runtime: "nodejs24.x", what: "x", basis: "none scheduled" }]), []);
    });
});
