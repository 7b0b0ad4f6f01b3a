import { strict as assert } from "assert";
import { failoverGraph, failoverGraphProblems, schedule } from "../model/failoverGraph";
import { PlanStep, RegionSwitchTargets, grouped, regionSwitchPlan } from "../model/regionSwitch";
import { STRATEGIES } from "../model/strategy";
import { TIERS } from "../model/tiers";
import { runbookContext } from "../runbook/context";
import { failbackSteps } from "../runbook/failback";
import { failoverSteps } from "../runbook/failover";

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

describe("one graph: the RTO model, the runbook and the Region switch plan agree on which step waits for which", () => {
    /** `from` waits for `to`, directly or through the steps between, in the model's graph. */
    const waitsFor = (graph: ReadonlyMap<string, readonly string[]>, from: string, to: string): boolean =>
        (graph.get(from) ?? []).some((id) => id === to || waitsFor(graph, id, to));
    const targets = (strategy: string): RegionSwitchTargets => ({
        primaryRegion: "us-east-1", drRegion: "us-west-2", approvalRoleArn: "approve", asgArns: ["asg-use1", "asg-usw2"],
        aurora: strategy === "backup-restore" ? undefined : { globalClusterIdentifier: "shop-global", clusterArns: ["cluster-use1", "cluster-usw2"] },
        fenceCloseLambdaArn: "close", fenceOpenLambdaArn: "open", cacheLambdaArn: strategy === "warm-standby" ? "cache" : undefined,
    });
    /** Each step the workflow runs, with the index of the block it runs in (a Parallel block's steps share one). */
    const blocks = (steps: readonly PlanStep[]) =>
        new Map(steps.flatMap((block, i) => (block.parallelConfigs?.[0].steps ?? [block]).map((s) => [s.name, i] as const)));

    for (const strategy of STRATEGIES) {
        it(`${strategy}: the runbook's steps wait for what the model's do; the plan runs two steps side by side iff neither waits for the other`, () => {
            const model = new Map<string, readonly string[]>(failoverGraph(TIERS[strategy]).map((s) => [s.id, s.after]));
            // The runbook: the model's waits, but the decision's, which is the person's confirmation the engine asks.
            const ctx = runbookContext({ stack: "dr", mode: "unplanned", overrides: { "dr:strategy": strategy } });
            assert.deepEqual(failoverSteps(ctx).map((s) => [s.id, s.after]),
                TIERS[strategy].failover.map((id) => [id, model.get(id)!.filter((before) => before !== "decide")]));

            // The plan: the approval first; then, for every two steps it runs (the graph projected onto them),
            // one block iff neither waits for the other, and a step's block after the blocks of what it waits for.
            const plan = regionSwitchPlan(TIERS[strategy], targets(strategy));
            const block = blocks(plan.failover.workflow.steps);
            assert.equal(block.get("approve"), 0);
            const ran = [...block.keys()].filter((id) => id !== "approve");
            assert.ok(ran.length > 0 && ran.every((id) => model.has(id) && block.get(id)! > 0), ran.join(", "));
            for (const a of ran) {
                for (const b of ran.filter((x) => x !== a)) {
                    const independent = !waitsFor(model, a, b) && !waitsFor(model, b, a);
                    assert.equal(block.get(a) === block.get(b), independent, `${a} and ${b}: ${independent ? "independent" : "one waits for the other"}`);
                    if (waitsFor(model, a, b)) {
                        assert.ok(block.get(b)! < block.get(a)!, `${a} waits for ${b}: a later block`);
                    }
                }
            }

            // The failback: one step after another, in the runbook and in the plan.
            const back = failbackSteps(ctx);
            assert.deepEqual(back.map((s) => s.after), back.map((_, i) => (i === 0 ? [] : [back[i - 1].id])));
            const backSteps = plan.failback.workflow.steps.slice(1);
            assert.ok(backSteps.every((s) => s.executionBlockType !== "Parallel"));
            const order = backSteps.map((s) => TIERS[strategy].failback.indexOf(s.name as never));
            assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), "in the runbook's order");
        });
    }

    it("the grouping keeps every wait where no sequence of blocks can run every two independent steps side by side", () => {
        const step = (name: string): PlanStep => ({ name, description: name, executionBlockType: "CustomActionLambda" });
        // c waits for nothing, b for a: c beside a, and b after both (b and c are independent, but b must follow a).
        const out = grouped(["a", "b", "c"].map(step), [{ id: "a", after: [] }, { id: "b", after: ["a"] }, { id: "c", after: [] }]);
        assert.deepEqual(out.map((s) => s.parallelConfigs?.[0].steps.map((x) => x.name) ?? s.name), [["a", "c"], "b"]);
        assert.equal(out[0].name, "database-compute-cache", "the name deployed plans carry");
    });
});
