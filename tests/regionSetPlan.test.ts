// Issue 20, item 7: the plan of a region set of three (prod, dr and the example dr2, Pulumi.dr2.yaml uncommented):
// the estimate of a failover into each recovery region from its own stack's config, each region's monthly cost
// with what the others keep in it, the set's total, the set drawn in three columns with the DNS failover tree,
// and the stacks found by region. A pair's plan is unchanged (tests/plan.test.ts, tests/stackPlan.test.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { instance } from "@viz-js/viz";
import { CliError } from "../cli/command";
import { planCommand } from "../cli/plan";
import { DrConfig, STRATEGIES, formatProblems, parseDrConfig } from "../model/config";
import { drCostShare, monthlyCost, monthlyCostIn } from "../model/cost";
import { regionSetDot } from "../model/drawings/topology";
import { assessObjectives } from "../model/objectives";
import { regionSet } from "../model/regionSet";
import { setCost, setFigures, targetEstimates } from "../model/setFigures";
import { missingStackMessage, setConfigs, setStacksOf } from "../model/stackSet";
import { tierPlan } from "../model/tiers";
import { layeredConfig } from "../model/tooling/stackFiles";
import { THREE_REGIONS, withThirdRegion } from "./helpers";

const THREE = { "dr:regions": JSON.stringify(THREE_REGIONS) };
const REGION_SWITCH = { "dr:regionSwitch": "true", "dr:approverArns": JSON.stringify(["arn:aws:iam::123456789012:role/incident-commander"]) };

interface Run { readonly status: number; readonly stdout: string; readonly stderr: string }

/** The plan in this process, against the stack files in `root`. */
async function plan(root: string, ...args: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await planCommand(args, { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, root)
        .catch((e) => { if (e instanceof CliError) { err.push(e.message); return e.exitCode; } throw e; });
    return { status, stdout: `${out.join("\n")}\n`, stderr: err.join("\n") };
}

/** The line of the plan's text that starts with `start` (after its indent). */
const lineOf = (text: string, start: string) => text.split("\n").find((l) => l.trimStart().startsWith(start));

describe("the plan of a region set of three (cli/plan.ts, model/setFigures.ts, model/stackSet.ts)", function () {
    this.timeout(60000);
    let project: ReturnType<typeof withThirdRegion>;
    let dir: string;
    before(() => {
        project = withThirdRegion();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "set-plan-"));
    });
    after(() => {
        project.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    /** A stack's config in the three-region project: the set given to prod and dr, dr2's own file as it is. */
    const config = (stack: "prod" | "dr" | "dr2", overrides: Record<string, string> = {}): DrConfig => {
        const parsed = parseDrConfig({ ...layeredConfig(stack, stack === "dr2" ? {} : THREE, project.root), ...overrides }, stack);
        assert.ok(parsed.ok, parsed.ok ? "" : formatProblems(parsed.problems, stack));
        return parsed.config;
    };
    const members = (overrides: Record<string, string> = {}, own: Partial<Record<"prod" | "dr" | "dr2", Record<string, string>>> = {}) =>
        (["prod", "dr", "dr2"] as const).map((stack) => ({ stack, region: THREE_REGIONS[["prod", "dr", "dr2"].indexOf(stack)], config: config(stack, { ...overrides, ...own[stack] }) }));

    describe("npm run plan -- --stack prod with the three-region set (pilot light, as shipped)", () => {
        let run: Run;
        before(async () => {
            run = await plan(project.root, "--stack", "prod", "--set", `dr:regions=${JSON.stringify(THREE_REGIONS)}`, "--out", path.join(dir, "set.svg"));
        });

        it("plans the set: every region's stack, found by its aws:region, with its resources", () => {
            assert.equal(run.status, 0, run.stderr);
            assert.ok(run.stdout.includes("region set: prod (primary, us-east-1) + dr (recovery region 1, us-west-2) + dr2 (recovery region 2, us-east-2)"), run.stdout);
            assert.match(run.stdout, /\n {2}dr2 — us-east-2 \(recovery region 2, standby\): \d+ resources\n/);
            assert.match(run.stdout, /Network shop-network: Vpc \(10\.30\.0\.0\/16/, "dr2's own stack was evaluated");
            assert.match(run.stdout, /TrafficFence shop-fence-us-west-2: MetricAlarm/, "dr2 holds a fence of dr's record");
            assert.doesNotMatch(run.stdout, /^pair: /m);
        });

        it("prints RTO and RPO per target region, each against its targets", () => {
            assert.match(lineOf(run.stdout, "us-west-2  dr ") ?? "", /1 h 25 min 30 s +4 h +15 min +1 h +met +a person \(dr:autoFailover off\)/);
            assert.match(lineOf(run.stdout, "us-east-2  dr2") ?? "", /1 h 25 min 30 s +4 h +15 min +1 h +met +a person \(dr:autoFailover off\)/);
            assert.ok(run.stdout.includes("  into us-east-2 (dr2):\n    estimated RTO 5130 s (target 14400 s)"), run.stdout);
        });

        it("prints each region's monthly cost, the set's total and the DR share, in one table with the RTO and RPO into each", () => {
            assert.match(lineOf(run.stdout, "prod   us-east-1  primary") ?? "", /\$971\.58 \/ month$/);
            assert.match(lineOf(run.stdout, "dr     us-west-2  recovery 1 (standby)") ?? "", /1 h 25 min 30 s +15 min +\$281\.03 \/ month +28\.9 % of prod$/);
            assert.match(lineOf(run.stdout, "dr2    us-east-2  recovery 2 (standby)") ?? "", /1 h 25 min 30 s +15 min +\$281\.03 \/ month +28\.9 % of prod$/);
            assert.match(lineOf(run.stdout, "set  ") ?? "", /3 regions +\$1,533\.65 \/ month$/);
            assert.match(lineOf(run.stdout, "DR  ") ?? "", /2 recovery regions +\$562\.06 \/ month +57\.9 % of prod$/);
            assert.ok(run.stdout.indexOf("2. Recovery objectives per target region") < run.stdout.indexOf("3. Per region"));
        });

        it("draws the set: three clusters, in an SVG Graphviz rendered", () => {
            const svg = fs.readFileSync(path.join(dir, "set.svg"), "utf8");
            assert.deepEqual([...svg.matchAll(/<title>(cluster_[a-z0-9]+)<\/title>/g)].map((m) => m[1]), ["cluster_prod", "cluster_dr", "cluster_dr2"]);
            assert.ok(svg.includes("recovery&#45;1.shop.example.com") || svg.includes("recovery-1.shop.example.com"), "the failover tree's lower level");
            assert.ok(fs.existsSync(path.join(dir, "set-levers.svg")));
        });
    });

    it("with dr2 uncommented, prod and dr without the three-region set still plan as a pair, as before", async () => {
        const run = await plan(project.root, "--stack", "prod", "--out", path.join(dir, "pair.svg"));
        assert.equal(run.status, 0, run.stderr);
        assert.ok(run.stdout.includes("pair: prod (primary, us-east-1) + dr (secondary, us-west-2); --set: none"), run.stdout);
        assert.match(run.stdout, /dr +us-west-2 +\$279\.93 \/ month = 28\.8 % of prod/);
    });

    it("the estimate into each recovery region is model/objectives.ts on its own stack: dr:autoFailover auto's trigger is the next recovery region's only", () => {
        const auto = { "dr:strategy": "warm-standby", "dr:autoFailover": "auto" };
        const [intoDr, intoDr2] = targetEstimates(members(auto, { dr: REGION_SWITCH, dr2: REGION_SWITCH }));
        assert.deepEqual([intoDr.start, intoDr2.start], ["the detector's trigger", "the detector pages"]);
        const decide = (t: typeof intoDr) => t.assessment.estimate.rtoSteps.find((s) => s.step === "decide")!;
        assert.equal(decide(intoDr).seconds, 0);
        assert.equal(decide(intoDr2).seconds, 900, "a person decides: warm standby's decision");
        assert.match(decide(intoDr2).source, /starts the next recovery region's Region switch plan only/);
        assert.equal(intoDr2.assessment.estimate.rtoSeconds - intoDr.assessment.estimate.rtoSeconds, 900);
        // Into the next recovery region, the pair's estimate: the same model, not a second one.
        assert.deepEqual(intoDr.assessment, assessObjectives(config("dr", { ...auto, ...REGION_SWITCH })));
    });

    it("a recovery region's standby comes from its own stack's plan: dr2's warm pool shortens the failover into dr2 only", () => {
        const [intoDr, intoDr2] = targetEstimates(members({ "dr:strategy": "warm-standby" }, { dr2: { "dr:warmPool": "stopped" } }));
        const scale = (t: typeof intoDr) => t.assessment.estimate.rtoSteps.find((s) => s.step === "scale-compute")!;
        assert.match(scale(intoDr2).source, /start from the stopped warm pool/);
        assert.doesNotMatch(scale(intoDr).source, /warm pool/);
        assert.equal(intoDr.assessment.estimate.rtoSeconds - intoDr2.assessment.estimate.rtoSeconds, 150);
    });

    it("a region receives the writer's backup copies only where it is one of its copyTo (dr:backupCopyRegions), and a restore into the other is flagged", () => {
        const only = { "dr:strategy": "backup-restore", "dr:backupCopyRegions": JSON.stringify(["us-east-2"]) };
        const { targets, cost } = setFigures(members(only));
        const copies = (i: number) => cost.regions[i].cost.lines.filter((l) => l.item.startsWith("AWS Backup copies")).map((l) => l.item);
        assert.deepEqual([copies(0), copies(1), copies(2)], [[], [], ["AWS Backup copies from us-east-1 200 GB (aurora, s3)"]]);
        assert.deepEqual(targets.map((t) => [t.region, t.uncopied]), [["us-west-2", ["aurora", "s3"]], ["us-east-2", []]]);
        const both = setFigures(members({ "dr:strategy": "backup-restore" }));
        assert.deepEqual(both.cost.regions.map((r) => r.cost.lines.filter((l) => l.item.startsWith("AWS Backup copies")).length), [0, 1, 1]);
        assert.deepEqual(both.targets.map((t) => t.uncopied), [[], []]);
        assert.ok(Math.abs(both.cost.regions[1].cost.total - cost.regions[1].cost.total - 200 * 0.05) < 1e-9, "dr pays for 200 GB of copies less");
    });

    it("active-active: each recovery region keeps one replica of the global table; the total and the DR share are the regions' sums", () => {
        const { cost } = setFigures(members({ "dr:strategy": "active-active" }));
        const replicas = cost.regions.map((r) => r.cost.lines.filter((l) => l.item === "DynamoDB replica storage 100 GB").length);
        assert.deepEqual(replicas, [0, 1, 1]);
        const sum = cost.regions.reduce((s, r) => s + r.cost.total, 0);
        assert.ok(Math.abs(cost.total - sum) < 1e-9);
        assert.ok(Math.abs(cost.drPercent - (100 * (sum - cost.regions[0].cost.total)) / cost.regions[0].cost.total) < 1e-9);
    });

    it("of a pair, monthlyCostIn and monthlyCost agree line for line in every tier (the pair's numbers are unchanged)", () => {
        for (const strategy of STRATEGIES) {
            const failedOver: Record<string, string> = strategy === "backup-restore"
                ? { "dr:failover": "true", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x" } : { "dr:failover": "true" };
            for (const drOverrides of [{}, failedOver]) {
                const parse = (stack: "prod" | "dr", o: Record<string, string>) => {
                    const r = parseDrConfig(layeredConfig(stack, { "dr:strategy": strategy, ...o }), stack);
                    assert.ok(r.ok);
                    return r.config;
                };
                const [prod, dr] = [parse("prod", {}), parse("dr", drOverrides)];
                const [pp, dp] = [tierPlan(prod), tierPlan(dr)];
                const plans = new Map([["us-east-1", pp], ["us-west-2", dp]]);
                const totals = (c: { lines: { monthly: number }[] }) => c.lines.map((l) => l.monthly);
                assert.deepEqual(totals(monthlyCostIn("us-east-1", pp, prod.instanceType, plans)), totals(monthlyCost(pp, prod.instanceType, dp)), `${strategy} prod`);
                assert.deepEqual(totals(monthlyCostIn("us-west-2", dp, dr.instanceType, plans)), totals(monthlyCost(dp, dr.instanceType, pp)), `${strategy} dr`);
                const share = drCostShare(pp, dp, dr.instanceType);
                const apart = drCostShare(pp, dp, dr.instanceType, { prod: "us-east-1", dr: "us-west-2" });
                assert.equal(apart.percent, share.percent, strategy);
            }
        }
    });

    describe("the drawing (model/drawings/topology.ts, regionSetDot)", () => {
        const dotOf = (overrides: Record<string, string> = {}) => {
            const set = setConfigs("prod", { ...THREE, ...overrides }, project.root);
            return regionSetDot(set.members.map((m) => ({ stack: m.stack, region: m.region, cfg: m.config, plan: tierPlan(m.config) })));
        };
        const statement = (dot: string, head: string) => dot.split("\n").find((l) => l.trim().startsWith(`${head} [`));

        it("three columns: prod, dr, dr2, each labelled with its stack, region and state", () => {
            const dot = dotOf();
            assert.deepEqual([...dot.matchAll(/subgraph "(cluster_[a-z0-9]+)" \{\n\s+graph \[label="([^"]+)"/g)].map((m) => [m[1], m[2]]),
                [["cluster_prod", "prod — us-east-1 (primary)"], ["cluster_dr", "dr — us-west-2 (standby)"], ["cluster_dr2", "dr2 — us-east-2 (standby)"]]);
        });

        it("the DNS failover tree: the app's name, prod PRIMARY, and SECONDARY an alias to recovery-1.<name>, where dr is PRIMARY and dr2 SECONDARY", () => {
            const dot = dotOf();
            assert.match(statement(dot, '"route53_1"') ?? "", /label="Route 53\\nrecovery-1\.shop\.example\.com"/);
            assert.match(statement(dot, '"route53" -> "prod_alb"') ?? "", /label="PRIMARY\\n.*fences held in us-west-2, us-east-2"/);
            assert.match(statement(dot, '"route53" -> "route53_1"') ?? "", /label="SECONDARY\\nalias, evaluate target health"/);
            assert.match(statement(dot, '"route53_1" -> "dr_alb"') ?? "", /label="PRIMARY\\n.*fence held in us-east-2"/);
            assert.match(statement(dot, '"route53_1" -> "dr2_alb"') ?? "", /label="SECONDARY\\n.*fence held in us-west-2"/);
            assert.equal(statement(dot, '"route53" -> "dr_alb"'), undefined);
        });

        it("the fences each recovery region holds gate the other regions' records; the data flows reach both recovery regions", () => {
            const dot = dotOf();
            const gates = dot.split("\n").filter((l) => l.includes("gates the record")).map((l) => l.trim().split(" [")[0]);
            assert.deepEqual(gates, ['"dr_fence" -> "prod_alb"', '"dr_fence" -> "dr2_alb"', '"dr2_fence" -> "prod_alb"', '"dr2_fence" -> "dr_alb"']);
            assert.match(statement(dot, '"dr2_fence"') ?? "", /traffic fence of us-east-1, us-west-2/);
            for (const to of ["dr", "dr2"]) {
                for (const flow of [`"prod_db" -> "${to}_db"`, `"prod_s3" -> "${to}_s3"`, `"prod_backup" -> "${to}_vault"`]) {
                    assert.match(statement(dot, flow) ?? "", /style="dashed"/, flow);
                }
            }
            assert.match(statement(dot, '"dr2_s3"') ?? "", /S3 bucket \(replica\)/);
            const restricted = dotOf({ "dr:backupCopyRegions": JSON.stringify(["us-east-2"]) });
            assert.equal(statement(restricted, '"prod_backup" -> "dr_vault"'), undefined, "no copies to dr");
            assert.ok(statement(restricted, '"prod_backup" -> "dr2_vault"'));
        });

        it("active-active: three latency records at the app's name, no failover tree, the table replicated to both recovery regions", () => {
            const dot = dotOf({ "dr:strategy": "active-active" });
            for (const key of ["prod", "dr", "dr2"]) {
                assert.match(statement(dot, `"route53" -> "${key}_alb"`) ?? "", /label="latency\\n/, key);
            }
            assert.doesNotMatch(dot, /route53_1|PRIMARY|SECONDARY/);
            assert.ok(statement(dot, '"prod_table" -> "dr2_table"'));
            assert.ok(statement(dot, '"dr2_s3" -> "dr_s3"'), "writes in every region reach the other two");
        });

        it("is valid DOT for every tier: Graphviz renders it", async () => {
            const viz = await instance();
            for (const strategy of STRATEGIES) {
                const result = viz.render(dotOf({ "dr:strategy": strategy }), { format: "svg" });
                assert.equal(result.status, "success", `${strategy}: ${JSON.stringify(result.errors)}`);
            }
        });
    });

    describe("finding the set's stacks (model/stackSet.ts)", () => {
        it("each region's stack by its aws:region, whatever the files are called; the missing and the doubled regions named", () => {
            const set = regionSet({ regions: THREE_REGIONS, primaryRegion: "us-east-1", drRegion: "us-west-2" });
            const file = (stack: string, region: string, extra: Record<string, string> = {}) =>
                ({ stack, raw: { "aws:region": region, "dr:role": region === "us-east-1" ? "primary" : "secondary", "dr:appName": "shop", ...extra } });
            const found = setStacksOf(set, "shop", "", [file("a", "us-east-2"), file("b", "us-east-1"), file("c", "us-west-2"), file("d", "us-east-2", { "dr:appName": "pay" })]);
            assert.deepEqual([...found.found], [["us-east-1", "b"], ["us-west-2", "c"], ["us-east-2", "a"]]);
            const missing = setStacksOf(set, "shop", "", [file("b", "us-east-1"), file("c", "us-west-2"), file("e", "us-east-2", { "dr:awsEndpoint": "http://localhost:5000" })]);
            assert.deepEqual(missing.missing, ["us-east-2"], "a stack against another endpoint is another deployment's");
            const twice = setStacksOf(set, "shop", "", [file("b", "us-east-1"), file("c", "us-west-2"), file("a", "us-east-2"), file("z", "us-east-2")]);
            assert.deepEqual(twice.several, [{ region: "us-east-2", stacks: ["a", "z"] }]);
            assert.match(missingStackMessage(set, "shop", "us-east-2"), /lists us-east-2, but no stack file here is its stack \(a Pulumi\.<stack>\.yaml with aws:region us-east-2, dr:role secondary/);
        });

        it("in the project as shipped, where Pulumi.dr2.yaml is commented out, the plan of the set fails naming the file to uncomment", async () => {
            const run = await plan(path.resolve(__dirname, ".."), "--stack", "prod", "--set", `dr:regions=${JSON.stringify(THREE_REGIONS)}`, "--out", path.join(dir, "none.svg"));
            assert.equal(run.status, 1);
            assert.match(run.stderr, /The region set \["us-east-1","us-west-2","us-east-2"\] of app "shop" lists us-east-2, but no stack file here is its stack/);
            assert.match(run.stderr, /Pulumi\.dr2\.yaml would be: its config is commented out\. Uncomment it as its header says/);
            assert.equal(run.stdout, "\n", "nothing printed");
            assert.ok(!fs.existsSync(path.join(dir, "none.svg")));
        });

        it("a member that lists another set is refused, naming the stack and the fix", () => {
            assert.throws(() => setConfigs("dr2", { "dr:strategy": "pilot-light" }, project.root),
                /Stack "prod" \(us-east-1\) has dr:regions \["us-east-1","us-west-2"\], but "dr2" has \["us-east-1","us-west-2","us-east-2"\]: every stack of a region set carries the same dr:regions/);
            assert.deepEqual(setConfigs("dr2", THREE, project.root).members.map((m) => [m.stack, m.region]), [["prod", "us-east-1"], ["dr", "us-west-2"], ["dr2", "us-east-2"]]);
        });

        it("--peer, which picks a pair's other stack, is refused for a set", async () => {
            const run = await plan(project.root, "--stack", "prod", "--peer", "dr", "--set", `dr:regions=${JSON.stringify(THREE_REGIONS)}`, "--out", path.join(dir, "peer.svg"));
            assert.equal(run.status, 2);
            assert.match(run.stderr, /--peer picks a pair's other stack; .* leave out --peer/);
        });
    });

    it("setCost and targetEstimates take the set in its order: the primary first", () => {
        const m = members({ "dr:strategy": "warm-standby" });
        const cost = setCost(m.map((x) => ({ ...x, plan: tierPlan(x.config) })));
        assert.deepEqual(cost.regions.map((r) => [r.stack, r.primary]), [["prod", true], ["dr", false], ["dr2", false]]);
        assert.deepEqual(targetEstimates(m).map((t) => t.stack), ["dr", "dr2"]);
        assert.deepEqual(setFigures([m[2], m[0], m[1]]).targets.map((t) => t.stack), ["dr", "dr2"], "reordered by the set");
    });
});
