// Moving code must not move resources: every tier's stacks register the same resources, under the same URNs,
// with the same options and inputs, as recorded in tests/fixtures/graph.json. A change that means to alter the
// graph rewrites that file (WRITE_GRAPH=1 with this file alone) and says so in its commit.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, stackRun } from "../offline/evaluate";
import { GraphEntry, graphCases, graphOf } from "../offline/graph";
import { STRATEGIES } from "../model/strategy";

const FIXTURE = path.join(ROOT, "tests", "fixtures", "graph.json");

describe("the registered graph, per tier and stack, is the recorded one", () => {
    const recorded: Record<string, GraphEntry[]> = fs.existsSync(FIXTURE) ? JSON.parse(fs.readFileSync(FIXTURE, "utf8")) : {};
    const written: Record<string, GraphEntry[]> = {};
    after(() => {
        if (process.env.WRITE_GRAPH) {
            fs.writeFileSync(FIXTURE, `${JSON.stringify(written, null, 1)}\n`);
        }
    });
    for (const c of graphCases(STRATEGIES)) {
        it(`${c.name}: same URNs, options and inputs`, async () => {
            const graph = graphOf(await stackRun(c.stack, c.overrides));
            written[c.name] = graph;
            if (process.env.WRITE_GRAPH) {
                return;
            }
            const before = recorded[c.name];
            assert.ok(before, `no recorded graph for ${c.name}: run WRITE_GRAPH=1 with this file`);
            const urns = (g: GraphEntry[]) => g.map((e) => e.urn);
            assert.deepEqual(urns(graph), urns(before), "the same resources, under the same URNs");
            const changed = graph.filter((e, i) => e.options !== before[i].options || e.inputs !== before[i].inputs).map((e) => e.urn);
            assert.deepEqual(changed, [], "options or inputs changed");
        });
    }
});
