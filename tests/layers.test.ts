// The layers, held: each folder imports only from the folders below it, and no module imports itself back
// through others (no import cycle). A new folder needs a line here, which is where its place is decided.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../offline/evaluate";

/** What each part of the program may import, besides itself: the layers below it. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
    model: [],
    functions: ["model"],
    components: ["model"],
    wiring: ["components", "model"],
    "index.ts": ["wiring", "model"],
    runbook: ["functions", "model"],
    offline: ["runbook", "policy", "model"],
    cli: ["offline", "runbook", "model", "tools"],
    // The bench's and the tests' own tools.
    tools: ["model"],
    // The policy pack is standalone: its own package.json, nothing of the program.
    policy: [],
};

function sourceFiles(): string[] {
    const files = ["index.ts"];
    for (const folder of Object.keys(MAY_IMPORT).filter((f) => !f.endsWith(".ts"))) {
        for (const f of fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })) {
            if (/\.ts$/.test(f) && !f.endsWith(".d.ts") && !f.includes("node_modules")) {
                files.push(path.join(folder, f));
            }
        }
    }
    return files;
}

/** The project files a file imports (relative imports only), as paths from the project's root. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => {
        const target = path.normalize(path.join(path.dirname(file), m[1]));
        return [".ts", "/index.ts"].map((ext) => target + ext).find((f) => fs.existsSync(path.join(ROOT, f))) ?? target;
    });
}

const layerOf = (file: string) => (file.includes("/") ? file.split("/")[0] : file);

describe("layers", () => {
    const files = sourceFiles();
    const graph = new Map(files.map((f) => [f, importsOf(f)]));

    it("every folder imports only from the layers below it", () => {
        const wrong: string[] = [];
        for (const [file, targets] of graph) {
            const layer = layerOf(file);
            for (const target of targets) {
                const to = layerOf(target);
                if (to !== layer && !(MAY_IMPORT[layer] ?? []).includes(to)) {
                    wrong.push(`${file} imports ${target}`);
                }
            }
        }
        assert.deepEqual(wrong, []);
    });

    it("no import cycle, among all the program's modules", () => {
        const state = new Map<string, "open" | "done">();
        const cycles: string[] = [];
        const visit = (file: string, trail: string[]): void => {
            if (state.get(file) === "done") return;
            if (state.get(file) === "open") {
                cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
                return;
            }
            state.set(file, "open");
            for (const target of graph.get(file) ?? []) {
                visit(target, [...trail, file]);
            }
            state.set(file, "done");
        };
        for (const file of files) visit(file, []);
        assert.deepEqual(cycles, []);
    });
});
