// The structure, held by tests: the pure model imports nothing from Pulumi, the tests are never imported,
// and the runbook, the drill's runbook phase and the plan's pure parts load no @pulumi module at all, so
// they start fast and keep working whatever the Pulumi SDK does (measured by npm run bench).
import { strict as assert } from "assert";
import { execFile } from "child_process";
import { builtinModules } from "module";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../offline/evaluate";
import { npmScript } from "../tools/npmScript";

/** Every .ts file under a folder of the project, as a path relative to the project. */
function sources(folder: string): string[] {
    const dir = path.join(ROOT, folder);
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => path.join(folder, f));
}

function imports(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
}

/** The modules a process loaded, run as `node -r ./cli/register.js <args>` from the project. */
function loadedModules(args: string[]): Promise<{ modules: string[]; stdout: string }> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loaded-")), "modules.json");
    const [exe, ...pre] = args;
    return new Promise((resolve, reject) => {
        execFile(exe, ["-r", path.join(ROOT, "tests", "fixtures", "reportLoadedModules.js"), ...pre],
            { cwd: ROOT, encoding: "utf8", env: { ...process.env, LOADED_MODULES_FILE: file } },
            (err, stdout, stderr) => {
                if (err) {
                    reject(new Error(`${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
                    return;
                }
                resolve({ modules: JSON.parse(fs.readFileSync(file, "utf8")), stdout });
            });
    });
}

const pulumiModules = (modules: string[]) => modules.filter((m) => m.includes(`${path.sep}node_modules${path.sep}@pulumi${path.sep}`));
const requiring = (...files: string[]) => [process.execPath, "-r", "./cli/register.js", "-e", files.map((f) => `require("./${f}");`).join(" ")];

describe("boundaries", function () {
    this.timeout(30_000);

    it("model/ imports nothing from @pulumi/* (nor from the AWS SDK): it is the pure model", () => {
        for (const file of sources("model")) {
            const bad = imports(file).filter((i) => i.startsWith("@pulumi/") || i.startsWith("@aws-sdk/"));
            assert.deepEqual(bad, [], `${file} imports ${bad.join(", ")}`);
        }
    });

    it("functions/ imports only Node's own modules, the AWS SDK the Lambda runtime provides, and files of functions/ and model/", () => {
        // What a function imports is what its zip must hold (components/functionCode.ts): nothing else is there.
        for (const file of sources("functions")) {
            const bad = imports(file).filter((i) => !builtinModules.includes(i.replace(/^node:/, "")) && !i.startsWith("@aws-sdk/")
                && !/^(functions|model)(\/|$)/.test(path.normalize(path.join(path.dirname(file), i))));
            assert.deepEqual(bad, [], `${file} imports ${bad.join(", ")}`);
        }
    });

    it("nothing outside tests/ imports tests/", () => {
        const files = ["index.ts", ...["model", "functions", "components", "wiring", "runbook", "offline", "tools", "cli", "policy"].flatMap(sources)];
        for (const file of files) {
            const bad = imports(file).filter((i) => /(^|\/)tests(\/|$)/.test(path.normalize(path.join(path.dirname(file), i))));
            assert.deepEqual(bad, [], `${file} imports ${bad.join(", ")}`);
        }
    });

    it("tools/ is the bench's and the tests' own: nothing but cli/bench.ts and the tests imports it", () => {
        const files = ["index.ts", ...["model", "functions", "components", "wiring", "runbook", "offline", "cli", "policy"].flatMap(sources)]
            .filter((f) => f !== path.join("cli", "bench.ts"));
        for (const file of files) {
            const bad = imports(file).filter((i) => /^tools(\/|$)/.test(path.normalize(path.join(path.dirname(file), i))));
            assert.deepEqual(bad, [], `${file} imports ${bad.join(", ")}`);
        }
    });

    it("a command imports no other command: what commands share is in cli/command.ts or a lower layer", () => {
        for (const file of sources("cli")) {
            const bad = imports(file).filter((i) => i.startsWith("./") && i !== "./command");
            assert.deepEqual(bad, [], `${file} imports ${bad.join(", ")}`);
        }
    });

    it("the Layout (docs/architecture.md) names every folder, and every file of the folders it describes file by file", () => {
        const architecture = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");
        const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(architecture)?.[1] ?? "";
        assert.ok(layout, "docs/architecture.md lost its Layout block");
        // Folders .gitignore names (reports/, a drill's output) are a run's artifacts, not the layout.
        const ignored = fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n").filter((l) => l.endsWith("/")).map((l) => l.slice(0, -1));
        const top = fs.readdirSync(ROOT, { withFileTypes: true })
            .filter((e) => !e.name.startsWith(".") && !ignored.includes(e.name) && (e.isDirectory() || e.name.endsWith(".ts")))
            .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
        for (const entry of top) {
            assert.match(layout, new RegExp(`^${entry.replace(".", "\\.")} `, "m"), `docs/architecture.md's Layout lacks ${entry}`);
        }
        for (const folder of ["model", "model/tiers", "model/config", "model/policies", "model/tooling", "model/drawings", "functions", "wiring", "runbook", "offline", "tools", "cli"]) {
            for (const file of fs.readdirSync(path.join(ROOT, folder)).filter((f) => /\.(ts|js)$/.test(f))) {
                assert.ok(layout.includes(file), `docs/architecture.md's Layout does not name ${folder}/${file}`);
            }
        }
        for (const named of layout.matchAll(/(?<![\w./])([\w/]+(?:\.test)?\.(?:ts|js))\b/g)) {
            const exists = ["", "model", "model/tiers", "functions", "components", "wiring", "runbook", "offline", "tools", "cli", "tests", "policy"]
                .some((folder) => fs.existsSync(path.join(ROOT, folder, named[1])));
            assert.ok(exists, `docs/architecture.md's Layout names ${named[1]}, which is not in the tree`);
        }
    });

    it("every project .ts or .md file the docs name in backticks exists: docs/security.md's fixes and tests, the README's and every docs page's paths", () => {
        const pages = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
        for (const doc of ["README.md", ...pages]) {
            const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
            for (const named of text.matchAll(/`((?:model|components|wiring|runbook|offline|cli|functions|tests|policy|docs)\/[\w./-]+\.(?:ts|md))`/g)) {
                assert.ok(fs.existsSync(path.join(ROOT, named[1])), `${doc} names ${named[1]}, which is not in the tree`);
            }
        }
    });

    it("every relative link of the README and the docs pages reaches a file, and its #anchor a heading there (GitHub's slugs)", () => {
        const outsideFences = (text: string) => text.split(/^```.*$/m).filter((_, i) => i % 2 === 0).join("\n");
        const anchors = (file: string) => {
            const seen = new Map<string, number>();
            return new Set([...outsideFences(fs.readFileSync(file, "utf8")).matchAll(/^#+ (.*)$/gm)].map((h) => {
                const slug = h[1].trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, "").replace(/ /g, "-");
                const n = seen.get(slug) ?? 0;
                seen.set(slug, n + 1);
                return n === 0 ? slug : `${slug}-${n}`;
            }));
        };
        const pages = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
        for (const doc of ["README.md", ...pages]) {
            for (const link of outsideFences(fs.readFileSync(path.join(ROOT, doc), "utf8")).matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(link[1])) continue;
                const [target, anchor] = link[1].split("#");
                const file = target ? path.join(ROOT, path.dirname(doc), target) : path.join(ROOT, doc);
                assert.ok(fs.existsSync(file), `${doc} links ${link[1]}, which is not in the tree`);
                if (anchor) assert.ok(anchors(file).has(anchor), `${doc} links ${link[1]}: no such heading in ${path.relative(ROOT, file)}`);
            }
        }
    });

    describe("what loads no @pulumi module", () => {
        let dryRun: { modules: string[]; stdout: string };
        let drillPhase: { modules: string[] };
        let planPure: { modules: string[] };
        let portfolioPlan: { modules: string[]; stdout: string };
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-plan-"));
        before(async () => {
            [dryRun, drillPhase, planPure, portfolioPlan] = await Promise.all([
                loadedModules([...npmScript("failover"), "--stack", "dr", "--dry-run"]),
                loadedModules(requiring("offline/drillPhase.ts", "runbook/portfolioRunbook.ts")),
                loadedModules(requiring("model/config/index.ts", "model/objectives.ts", "model/cost.ts", "model/tiers/index.ts",
                    "model/drawings/topology.ts", "offline/planReport.ts")),
                loadedModules([...npmScript("plan"), "--portfolio", "portfolio", "--out", path.join(out, "waves.svg")]),
            ]);
        });
        after(() => fs.rmSync(out, { recursive: true, force: true }));

        it("npm run failover -- --stack dr --dry-run: the runbook, from the command line on", () => {
            assert.match(dryRun.stdout, /^failover plan for dr: pilot-light, planned, into us-west-2/);
            assert.ok(dryRun.modules.some((m) => m.endsWith(path.join("runbook", "failover.ts"))), "the check saw the runbook load");
            assert.deepEqual(pulumiModules(dryRun.modules), []);
        });

        it("the drill's runbook phase (offline/drillPhase.ts), and a portfolio's run (runbook/portfolioRunbook.ts)", () => {
            assert.ok(drillPhase.modules.some((m) => m.endsWith(path.join("runbook", "run.ts"))));
            assert.ok(drillPhase.modules.some((m) => m.endsWith(path.join("model", "portfolio", "load.ts"))));
            assert.deepEqual(pulumiModules(drillPhase.modules), []);
        });

        it("the plan's pure parts: config, objectives, cost, tiers, topology, the report's text", () => {
            assert.ok(planPure.modules.some((m) => m.endsWith(path.join("offline", "planReport.ts"))));
            assert.deepEqual(pulumiModules(planPure.modules), []);
        });

        it("npm run plan -- --portfolio portfolio: the stack files' arithmetic, from the command line on (the pair's evaluation is loaded for --stack only)", () => {
            assert.match(portfolioPlan.stdout, /^DR plan for portfolio "portfolio"/);
            assert.ok(portfolioPlan.modules.some((m) => m.endsWith(path.join("offline", "portfolioReport.ts"))), "the check saw the report load");
            assert.deepEqual(pulumiModules(portfolioPlan.modules), []);
        });
    });
});
