import { strict as assert } from "assert";
import { failoverGraph, failoverGraphProblems, schedule } from "../model/failoverGraph";
import { STRATEGIES } from "../model/strategy";
import { TIERS } from "../model/tiers";

describe("failover graph", () => {
    for (const strategy of STRATEGIES) {
        it(`${strategy}: every step waits only for steps the tier runs before it, and the graph ends in the smoke check`, () => {
            assert.deepEqual(failoverGraphProblems(TIERS[strategy]), []);
            const graph = failoverGraph(TIERS[strategy]);
            assert.deepEqual(graph.slice(0, 2), [{ id: "detect", after: [] }, { id: "decide", after: ["detect"] }]);
            const waitedFor = new Set(graph.flatMap((s) => s.after));
            const sinks = graph.filter((s) => !waitedFor.has(s.id)).map((s) => s.id);
            assert.ok(sinks.includes("smoke-check"), `${strategy}: ${sinks.join(", ")}`);
        });
    }

    it("refuses a wait on a step the tier does not run, or on a later one", () => {
        const spec = { strategy: "pilot-light" as const, failover: ["readiness", "promote-database", "smoke-check"] as const };
        assert.deepEqual(failoverGraphProblems({ ...spec, failoverAfter: { "promote-database": ["warm-cache"] } }),
            ["pilot-light: promote-database waits for warm-cache, a step the tier does not run"]);
        assert.deepEqual(failoverGraphProblems({ ...spec, failoverAfter: { "promote-database": ["smoke-check"] } }),
            ["pilot-light: promote-database waits for smoke-check, which comes after it in TierSpec.failover"]);
    });

    it("schedules each step when the last it waits for ends, and traces the critical path back from the last to end", () => {
        const graph = [
            { id: "detect" as const, after: [] },
            { id: "decide" as const, after: ["detect" as const] },
            { id: "promote-database" as const, after: ["decide" as const] },
            { id: "scale-compute" as const, after: ["decide" as const] },
            { id: "shift-traffic" as const, after: ["promote-database" as const, "scale-compute" as const] },
        ];
        const seconds: Record<string, number> = { "detect": 10, "decide": 5, "promote-database": 30, "scale-compute": 100, "shift-traffic": 1 };
        const s = schedule(graph, (id) => seconds[id]);
        assert.equal(s.total, 116);
        assert.deepEqual(s.path, ["detect", "decide", "scale-compute", "shift-traffic"]);
        assert.deepEqual(s.steps.map((x) => [x.id, x.start, x.end, x.critical]), [
            ["detect", 0, 10, true], ["decide", 10, 15, true], ["promote-database", 15, 45, false],
            ["scale-compute", 15, 115, true], ["shift-traffic", 115, 116, true],
        ]);
        assert.throws(() => schedule([{ id: "decide", after: ["detect"] }], () => 1), /decide waits for detect, which is not before it/);
    });
});
