// Issue 20, the region set defined once (model/regionSet.ts): dr:regions, or dr:primaryRegion and dr:drRegion,
// which mean the same; the questions every part asks of the set; and the set's bad input, each with its key,
// value and fix. Today's two stacks are unchanged by it (their resources and URNs: tests/graph.test.ts; the same
// set given as dr:regions: below).
import { strict as assert } from "assert";
import { formatProblems, parseDrConfig } from "../model/config";
import { codesOf, peerOf, regionSet, roleOf } from "../model/regionSet";
import { layeredConfig } from "../model/tooling/stackFiles";
import { runStack } from "../offline/evaluate";

const REGIONS = JSON.stringify(["us-east-1", "us-west-2"]);
const parse = (stack: string, overrides: Record<string, string | undefined>) => {
    const raw = Object.fromEntries(Object.entries({ ...layeredConfig(stack), ...overrides }).filter((e): e is [string, string] => e[1] !== undefined));
    return parseDrConfig(raw, stack);
};
const problems = (stack: string, overrides: Record<string, string | undefined>) => {
    const r = parse(stack, overrides);
    assert.ok(!r.ok, "expected problems");
    return r.problems.map((p) => [p.key, p.fix]);
};

describe("the region set (model/regionSet.ts)", () => {
    it("dr:primaryRegion and dr:drRegion are the two-region set; dr:regions says the same, and the config is the same", () => {
        for (const stack of ["prod", "dr"]) {
            const keys = parse(stack, {});
            const listed = parse(stack, { "dr:regions": REGIONS, "dr:primaryRegion": undefined, "dr:drRegion": undefined });
            assert.ok(keys.ok && listed.ok);
            assert.deepEqual({ ...listed.config, regions: undefined }, { ...keys.config, regions: undefined });
            assert.deepEqual(regionSet(listed.config), regionSet(keys.config));
        }
        const set = regionSet({ primaryRegion: "us-east-1", drRegion: "us-west-2" });
        assert.deepEqual(set, { regions: ["us-east-1", "us-west-2"], primary: "us-east-1", recovery: ["us-west-2"], next: "us-west-2" });
        assert.equal(peerOf(set, "us-east-1"), "us-west-2");
        assert.equal(peerOf(set, "us-west-2"), "us-east-1");
        assert.deepEqual([roleOf(set, "us-east-1"), roleOf(set, "us-west-2"), roleOf(set, "eu-west-1")], ["primary", "secondary", undefined]);
        assert.deepEqual([...codesOf(set)], [["us-east-1", "use1"], ["us-west-2", "usw2"]]);
    });

    it("dr:regions wins where the keys it replaces agree or hold their defaults: a pair in other regions", () => {
        const r = parse("dr", { "aws:region": "eu-central-1", "dr:regions": JSON.stringify(["eu-west-1", "eu-central-1"]), "dr:primaryRegion": undefined, "dr:drRegion": undefined });
        assert.ok(r.ok, r.ok ? "" : formatProblems(r.problems, "dr"));
        assert.deepEqual([r.config.primaryRegion, r.config.drRegion], ["eu-west-1", "eu-central-1"]);
    });

    it("today's dr stack with the same set as dr:regions: the same resources, URNs and inputs", async () => {
        const keys = await runStack("dr");
        const listed = await runStack("dr", { "dr:regions": REGIONS });
        const shape = (r: typeof keys) => r.resources.map((x) => [x.type, x.name, JSON.stringify(x.inputs)]).sort();
        assert.deepEqual(shape(listed), shape(keys));
    });

    it("bad input: a region twice, a primary not first, a key that differs from the set, a stack outside it, a single region, a misspelled region", () => {
        assert.deepEqual(problems("dr", { "dr:regions": JSON.stringify(["us-east-1", "us-east-1"]) }).map(([k]) => k), ["dr:regions", "aws:region"]);
        const notFirst = parse("prod", { "dr:regions": JSON.stringify(["us-west-2", "us-east-1"]), "dr:primaryRegion": "us-east-2" });
        assert.ok(!notFirst.ok);
        const first = problems("prod", { "dr:regions": JSON.stringify(["us-west-2", "us-east-2"]), "dr:primaryRegion": "us-east-2", "aws:region": "us-west-2" });
        assert.deepEqual(first, [["dr:primaryRegion", "pulumi config rm dr:primaryRegion -s prod"]]);
        const why = parse("prod", { "dr:regions": JSON.stringify(["us-west-2", "us-east-2"]), "dr:primaryRegion": "us-east-2", "aws:region": "us-west-2" });
        assert.ok(!why.ok && /listed in dr:regions at position 2: the primary must be first/.test(why.problems[0].message));
        assert.deepEqual(problems("dr", { "dr:regions": JSON.stringify(["us-east-1", "us-east-2"]), "dr:drRegion": "eu-west-1", "aws:region": "us-east-2" }),
            [["dr:drRegion", "pulumi config rm dr:drRegion -s dr"]]);
        const outside = parse("dr", { "dr:regions": REGIONS, "aws:region": "eu-west-1" });
        assert.ok(!outside.ok);
        assert.deepEqual(outside.problems.map((p) => [p.key, p.fix]), [["aws:region", "pulumi config set aws:region us-west-2 -s dr"]]);
        assert.match(outside.problems[0].message, /is not in dr:regions \["us-east-1","us-west-2"\]/);
        // A third region is built (tests/threeRegions.test.ts): the dr stack stays the first recovery region's.
        const three = parse("dr", { "dr:regions": JSON.stringify(["us-east-1", "us-west-2", "us-east-2"]) });
        assert.ok(three.ok && regionSet(three.config).next === "us-west-2");
        const one = parse("dr", { "dr:regions": JSON.stringify(["us-east-1"]) });
        assert.ok(!one.ok);
        assert.match(one.problems[0].message, /must list at least two regions/);
        const copies = parse("prod", { "dr:backupCopyRegions": JSON.stringify(["us-east-1"]) });
        assert.ok(!copies.ok);
        assert.deepEqual(copies.problems.map((p) => [p.key, p.fix]), [["dr:backupCopyRegions", `pulumi config set dr:backupCopyRegions '["us-west-2"]' -s prod`]]);
        assert.match(copies.problems[0].message, /names us-east-1, not a recovery region of the set/);
        const typo = parse("dr", { "dr:regions": JSON.stringify(["us-east-1", "us-wset-2"]) });
        assert.ok(!typo.ok);
        assert.match(typo.problems[0].message, /"us-wset-2"/);
    });
});

describe("nothing but the region set reads the region keys", () => {
    it("no file reads a config's dr:primaryRegion or dr:drRegion but model/regionSet.ts and the config's validation; plan targets and component arguments carry regions as plain values", () => {
        const fs = require("fs") as typeof import("fs");
        const path = require("path") as typeof import("path");
        const root = path.resolve(__dirname, "..");
        const files = ["index.ts", ...["model", "wiring", "components", "runbook", "offline", "cli", "functions"].flatMap((dir) =>
            (fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)))];
        const readers: string[] = [];
        for (const file of files.filter((f) => f !== path.join("model", "regionSet.ts") && !f.startsWith(path.join("model", "config")))) {
            const text = fs.readFileSync(path.join(root, file), "utf8");
            for (const m of text.matchAll(/(?<![\w.])([\w.]+)\.(primaryRegion|drRegion)\b|\["dr:(primaryRegion|drRegion|regions)"\]/g)) {
                // A Region switch plan's targets (t) and a component's arguments (args) are values the wiring resolved from the set.
                if (m[1] !== "t" && m[1] !== "args") {
                    readers.push(`${file}: ${m[0]}`);
                }
            }
        }
        assert.deepEqual(readers, []);
    });
});

describe("a Region switch plan per (primary, recovery region) pair: the naming rule (model/regionSet.ts)", () => {
    it("the first recovery region's plan keeps today's name; another's carries its region code; every allowed dr:appName fits AWS's 32 characters", () => {
        const { REGION_SWITCH_PLAN_NAME_PATTERN, regionSwitchPlanNameIn } = require("../model/regionSet") as typeof import("../model/regionSet");
        const { AWS_REGIONS } = require("../model/awsRegions") as typeof import("../model/awsRegions");
        const set = regionSet({ primaryRegion: "us-east-1", drRegion: "us-west-2" });
        assert.equal(regionSwitchPlanNameIn(set, "shop", "us-west-2"), "shop-region-switch");
        assert.equal(regionSwitchPlanNameIn(set, "shop", "us-east-2"), "shop-rs-use2");
        const longest = "a".repeat(14) + "-b"; // 16 characters, dr:appName's longest
        const names = [...new Set([regionSwitchPlanNameIn(set, longest, "us-west-2"), ...AWS_REGIONS.filter((r) => r !== "us-west-2").map((r) => regionSwitchPlanNameIn(set, longest, r))])];
        const bad = names.filter((n) => !REGION_SWITCH_PLAN_NAME_PATTERN.test(n));
        assert.deepEqual(bad, []);
        assert.equal(names.length, AWS_REGIONS.length, "one name per recovery region");
    });

    it("only the first recovery region's plan carries the detector's trigger (dr:autoFailover auto): the dr stack of today's pair has it", async () => {
        const auto = { "dr:strategy": "warm-standby", "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
        const plan = (await runStack("dr", auto)).ofType("aws:arcregionswitch/plan:Plan")[0];
        assert.equal(plan.inputs.name, "shop-region-switch");
        assert.equal(plan.inputs.triggers.length, 1);
    });
});
