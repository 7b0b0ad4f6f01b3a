// The plan as an advisor (model/advisor.ts) and its picture (model/drawings/leverChart.ts).
import { strict as assert } from "assert";
import { DrConfig, formatProblems, parseDrConfig } from "../model/config";
import { adviseLevers, leversOff, tierPoints } from "../model/advisor";
import { leverChartSvg } from "../model/drawings/leverChart";
import { layeredConfig } from "../model/tooling/stackFiles";

function config(stack: "prod" | "dr", overrides: Record<string, string> = {}): DrConfig {
    const r = parseDrConfig({ ...layeredConfig(stack), ...overrides }, stack);
    assert.ok(r.ok, r.ok ? "" : formatProblems(r.problems, stack));
    return r.config;
}

describe("the plan as an advisor", () => {
    it("lists, for pilot light as shipped, each lever it allows that is off; not the ones it refuses", () => {
        assert.deepEqual(leversOff(config("dr")).map((l) => l.setting), [
            "dr:autoFailover approve (dr:approvalSeconds 300)", "dr:warmPool stopped", "dr:warmPool hibernated", "dr:warmPool running",
            "dr:standbyDatabase serverless", "dr:canaryRateMinutes 1",
        ]);
        const ws = leversOff(config("dr", { "dr:strategy": "warm-standby" })).map((l) => l.setting);
        assert.ok(ws.includes("dr:autoFailover auto") && ws.includes("dr:cacheReplication global-datastore"));
        assert.deepEqual(leversOff(config("dr", { "dr:strategy": "active-active", "dr:autoFailover": "auto", "dr:regionSwitch": "true",
            "dr:approverArns": "arn:aws:iam::123456789012:role/x", "dr:canaryRateMinutes": "1" })).map((l) => l.setting), []);
    });

    it("prices each lever against the pair as configured: the RTO it saves and the dollars a month it adds", () => {
        const advice = adviseLevers(config("prod"), config("dr"));
        const approve = advice.find((a) => a.setting.startsWith("dr:autoFailover approve"))!;
        // detect 30 -> 120 s, decide 1800 -> 300 s: 1410 s saved; the detector's canary every minute and its alarm
        assert.equal(approve.savedSeconds, 1800 + 30 - 300 - 120);
        assert.equal(approve.addedMonthlyUsd.toFixed(2), "52.66");
        const serverless = advice.find((a) => a.setting === "dr:standbyDatabase serverless")!;
        assert.equal(serverless.savedSeconds, 0, "the promotion is off the warm start's path and takes as long");
        assert.ok(serverless.addedMonthlyUsd < -100, "it saves: one ACU average instead of a db.r6g.large");
        const pool = advice.find((a) => a.setting === "dr:warmPool stopped")!;
        assert.equal(pool.savedSeconds, 0, "pilot light's critical path runs through the promotion and the cache, not the fleet");
    });

    it("draws every tier with and without its reference levers, and the pair's target", () => {
        const points = tierPoints(config("prod"), config("dr"));
        assert.deepEqual(points.map((p) => p.strategy), ["backup-restore", "pilot-light", "warm-standby", "active-active"]);
        const br = points[0];
        assert.ok(br.on.rtoSeconds < br.off.rtoSeconds && br.on.rtoSeconds <= 2 * 3600, "approve and a measured restore");
        const pl = points[1];
        assert.ok(pl.on.drPercent < pl.off.drPercent, "the serverless standby saves more than the detector costs");
        const svg = leverChartSvg(points, "pilot-light", 4 * 3600);
        assert.ok(svg.startsWith("<svg") && svg.trim().endsWith("</svg>"));
        assert.equal((svg.match(/<circle /g) ?? []).length, 8, "a dot and a ring per tier");
        assert.match(svg, /RTO target of the pair \(pilot-light\): 4 h/);
        assert.match(svg, /font-weight="bold">pilot-light: /);
    });
});
