import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Viz, instance } from "@viz-js/viz";
import { DrConfig, STRATEGIES, Strategy, parseDrConfig } from "../model/config";
import { CostLine, MonthlyCost, TYPICAL_DR_COST_PERCENT, drCostShare, monthlyCost } from "../model/cost";
import { REDUCED_CACHE, RegionPlan, VPC_CIDRS } from "../model/regionPlan";
import { dotString, topologyDot } from "../model/drawings/topology";
import { tierPlan } from "../model/tiers";
import { layeredConfig, Overrides } from "../model/tooling/stackFiles";
import { ROOT } from "../offline/evaluate";
import { npmScript } from "../tools/npmScript";
import { CliError } from "../cli/command";
import { planCommand } from "../cli/plan";

/** A stack's config as the CLI would layer it (Pulumi.yaml, Pulumi.<stack>.yaml, overrides), validated. */
function configOf(stack: "prod" | "dr", overrides: Overrides = {}): DrConfig {
    const result = parseDrConfig(layeredConfig(stack, overrides), stack);
    if (!result.ok) {
        throw new Error(`invalid test config: ${JSON.stringify(result.problems)}`);
    }
    return result.config;
}

/** The pair for a tier with the shipped stack files (N = 4). */
function pair(overrides: Overrides = {}, drOverrides: Overrides = {}) {
    const prod = configOf("prod", overrides);
    const dr = configOf("dr", { ...overrides, ...drOverrides });
    return { prod, dr, prodPlan: tierPlan(prod), drPlan: tierPlan(dr) };
}

const near = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

function assertLines(cost: MonthlyCost, expected: [string, number][]): void {
    assert.deepEqual(cost.lines.map((l: CostLine) => l.item), expected.map(([item]) => item));
    cost.lines.forEach((l, i) => near(l.monthly, expected[i][1], l.item));
    near(cost.total, expected.reduce((sum, [, usd]) => sum + usd, 0), "total");
}

describe("monthly cost estimate (model/cost.ts)", () => {
    const small: RegionPlan = {
        serving: true,
        natGateways: "Single",
        vpcCidr: VPC_CIDRS.primary,
        app: { capacity: { min: 1, desired: 2, max: 3 }, routing: { policy: "failover", role: "PRIMARY" } },
        database: { membership: "global-primary", instances: 1, writer: true, writeForwarding: false },
        cache: REDUCED_CACHE,
        objects: { replicateTo: [] },
        backups: { copyTo: ["us-west-2"] },
        lockVault: false,
    };

    it("prices a small plan line by line (730 h/month, 100 GB per store)", () => {
        assertLines(monthlyCost(small, "t3.medium"), [
            ["EC2 2 x t3.medium", 2 * 0.0416 * 730], // 60.736
            ["EC2 detailed monitoring x 2", 2 * 7 * 0.3], // 4.2
            ["ALB (1 LCU assumed)", (0.0225 + 0.008) * 730], // 22.265
            ["Route 53 health check", 0.5],
            ["NAT gateway x 1", 0.045 * 730], // 32.85
            ["Aurora 1 x db.r6g.large", 0.26 * 730], // 189.8
            ["Aurora storage 100 GB", 100 * 0.1],
            ["CloudWatch Logs: the Aurora log, 1 GB/month assumed", 0.5],
            ["CloudWatch Logs: Aurora enhanced monitoring, 1 instance x 0.5 GB/month assumed", 1 * 0.5 * 0.5], // 0.25
            ["ElastiCache 1 x cache.t4g.medium", 0.065 * 730], // 47.45
            ["S3 storage 100 GB", 100 * 0.023],
            ["KMS key", 1],
            ["S3 access logs 10 GB assumed (the log bucket)", 10 * 0.023],
            ["VPC flow logs to S3, 5 GB/month assumed (delivery, and a month stored)", 5 * (0.25 + 0.023)], // 1.365
            ["AWS Backup recovery points 200 GB (aurora, s3)", 200 * 0.05],
        ]);
        near(monthlyCost(small, "t3.medium").total, 383.446, "the sum");
    });

    it("prices enhanced monitoring per Aurora instance, as CloudWatch Logs ingestion at an assumed volume; Database Insights' standard mode has no line (no charge)", () => {
        const monitoring = (plan: RegionPlan) => monthlyCost(plan, "t3.medium").lines.filter((l) => /enhanced monitoring|Insights/.test(l.item));
        assert.deepEqual(monitoring({ ...small, database: { ...small.database!, instances: 2 } }),
            [{ item: "CloudWatch Logs: Aurora enhanced monitoring, 2 instances x 0.5 GB/month assumed", monthly: 2 * 0.5 * 0.5 }]);
        const serverless = { ...small, database: { ...small.database!, instances: 1, serverless: { minCapacity: 0.5, maxCapacity: 16 } } };
        assert.deepEqual(monitoring(serverless).map((l) => l.item), ["CloudWatch Logs: Aurora enhanced monitoring, 1 instance x 0.5 GB/month assumed"]);
        // Backup & restore's dr region: no database standing by (its role only), one restored at failover.
        assert.deepEqual(monitoring(pair({ "dr:strategy": "backup-restore" }).drPlan), []);
        assert.deepEqual(monitoring(pair({ "dr:strategy": "backup-restore" }, { "dr:failover": "true", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x" }).drPlan).map((l) => l.item),
            ["CloudWatch Logs: Aurora enhanced monitoring, 2 instances x 0.5 GB/month assumed"]);
    });

    it("prices the web ACL: the ACL, a rule each (a managed group counts as one), and the requests where the region serves (issue 17, item 1.1)", () => {
        const waf = (plan: RegionPlan) => monthlyCost(plan, "t3.medium").lines.filter((l) => l.item.startsWith("WAF"));
        assert.deepEqual(waf(small), [], "dr:waf=false: no line");
        assert.deepEqual(waf({ ...small, waf: { rateLimit: 2000 } }), [{ item: "WAF web ACL, 5 rules, 10 M requests/month assumed", monthly: 5 + 5 * 1 + 10 * 0.6 }]);
        assert.deepEqual(waf({ ...small, serving: false, waf: { rateLimit: 2000 } }), [{ item: "WAF web ACL, 5 rules (standing by: its requests not counted)", monthly: 10 }]);
        // Every tier's both stacks carry one by default, the standby's included (it stands there from normal times).
        for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
            const { prodPlan, drPlan } = pair({ "dr:strategy": strategy });
            assert.equal(waf(prodPlan).length + waf(drPlan).length, 2, strategy);
        }
    });

    it("bills what the other region stores here: its backup copies and its global table's replica", () => {
        const vaultOnly: RegionPlan = { serving: false, natGateways: "None", vpcCidr: VPC_CIDRS.secondary, lockVault: true };
        const peer: RegionPlan = { ...small, globalTable: { replicaRegions: ["us-west-2"] } };
        assertLines(monthlyCost(vaultOnly, "t3.medium", peer), [
            ["DynamoDB replica storage 100 GB", 100 * 0.25],
            ["KMS key", 1],
            ["S3 access logs 10 GB assumed (the log bucket)", 10 * 0.023],
            // A region standing by with nothing running: its flow logs carry little (assumed 0.5 GB).
            ["VPC flow logs to S3, 0.5 GB/month assumed (delivery, and a month stored)", 0.5 * (0.25 + 0.023)],
            ["AWS Backup copies from the other region 300 GB (aurora, s3, dynamodb)", 300 * 0.05],
        ]);
    });

    it("prices the traffic fence: two more checks on the fenced record, one alarm where it is held", () => {
        const fenced = monthlyCost({ ...small, fencedBy: ["us-west-2"] }, "t3.medium").lines.filter((l) => /Route 53|CloudWatch alarm/.test(l.item));
        assert.deepEqual(fenced, [
            { item: "Route 53 health check", monthly: 0.5 },
            { item: "Route 53 fence checks x 2 (the fence's alarm, and both together)", monthly: 1 },
        ]);
        const holder: RegionPlan = { serving: false, natGateways: "None", vpcCidr: VPC_CIDRS.secondary, lockVault: true, holdsFencesOf: ["us-east-1"] };
        assert.deepEqual(monthlyCost(holder, "t3.medium").lines.find((l) => l.item.startsWith("CloudWatch")), { item: "CloudWatch alarm: the traffic fence", monthly: 0.1 });
        // Three regions: the primary's record behind two fences, a recovery region holding two.
        const twice = monthlyCost({ ...small, fencedBy: ["us-west-2", "us-east-2"] }, "t3.medium").lines.filter((l) => /fence/.test(l.item));
        assert.deepEqual(twice, [{ item: "Route 53 fence checks x 3 (each fence's alarm, and all together)", monthly: 1.5 }]);
        const holdsTwo = monthlyCost({ ...holder, holdsFencesOf: ["us-east-1", "us-east-2"] }, "t3.medium").lines.find((l) => l.item.startsWith("CloudWatch"));
        assert.deepEqual(holdsTwo, { item: "CloudWatch alarms: the traffic fences x 2", monthly: 0.2 });
    });

    it("backup & restore standing by pays for the app tier it pre-creates (ALB, health check) but runs no instance", () => {
        const { drPlan } = pair({ "dr:strategy": "backup-restore" });
        const items = monthlyCost(drPlan, "t3.medium").lines.map((l) => l.item);
        assert.deepEqual(items.filter((i) => /EC2|ALB|Route 53|CloudWatch/.test(i)), ["ALB (1 LCU assumed)", "Route 53 health check", "CloudWatch alarm: the traffic fence"]);
    });

    it("prices the operations where they run: the canary per run, the Region switch plan per month (both assumed, and labelled so)", () => {
        const ops = monthlyCost({ ...small, operations: { canary: true, regionSwitch: true, restoreTests: true, canaryRateMinutes: 5 } }, "t3.medium").lines;
        const extra = ops.filter((l) => /canary|Region switch/.test(l.item));
        assert.deepEqual(extra.map((l) => l.item), [
            "Synthetics canary every 5 min (price per run assumed, see model/cost.ts)",
            "ARC Region switch plan (price assumed, see model/cost.ts)",
        ]);
        near(extra[0].monthly, (730 * 60 / 5) * 0.0012, "canary: 8,760 runs at $0.0012"); // 10.512
        assert.equal(extra[1].monthly, 70);
        const standby = pair({ "dr:strategy": "pilot-light" }).drPlan;
        assert.deepEqual(standby.operations, { regionSwitch: false, canary: false, restoreTests: true, canaryRateMinutes: 5 }, "a pilot light standby runs nothing to probe");
        assert.equal(pair({ "dr:strategy": "warm-standby" }).drPlan.operations?.canary, true, "a warm standby is probed");
    });

    it("names an instance type it has no price for instead of guessing", () => {
        const line = monthlyCost(small, "x9.huge").lines[0];
        assert.deepEqual(line, { item: "EC2 2 x x9.huge (no list price in model/cost.ts: not counted)", monthly: 0 });
    });

    it("drCostShare: the dr total as a percentage of prod's", () => {
        const { prodPlan, drPlan } = pair();
        const share = drCostShare(prodPlan, drPlan, "t3.medium");
        near(share.prod.total, monthlyCost(prodPlan, "t3.medium", drPlan).total, "prod");
        near(share.dr.total, monthlyCost(drPlan, "t3.medium", prodPlan).total, "dr");
        near(share.percent, (100 * share.dr.total) / share.prod.total, "percent");
    });

    it("orders the tiers' DR share for the shipped config (N = 4): backup-restore < pilot-light < warm-standby < active-active", () => {
        const percent = (strategy: Strategy) => {
            const { prodPlan, drPlan, dr } = pair({ "dr:strategy": strategy });
            return drCostShare(prodPlan, drPlan, dr.instanceType).percent;
        };
        const shares = STRATEGIES.map((s) => [s, percent(s)] as const).sort((a, b) => a[1] - b[1]);
        assert.deepEqual(shares.map(([s]) => s), ["backup-restore", "pilot-light", "warm-standby", "active-active"],
            shares.map(([s, p]) => `${s} ${p.toFixed(1)} %`).join(", "));
        // Both regions run the same full stack in active-active: within the rule of thumb's 80-100 %.
        const [low, high] = TYPICAL_DR_COST_PERCENT["active-active"];
        const aa = percent("active-active");
        assert.ok(aa >= low && aa <= high, `active-active ${aa} %`);
    });

    it("carries the reference's typical DR cost ranges", () => {
        assert.deepEqual(TYPICAL_DR_COST_PERCENT, {
            "backup-restore": [5, 10], "pilot-light": [10, 20], "warm-standby": [30, 50], "active-active": [80, 100],
        });
    });
});

describe("topology diagram (model/drawings/topology.ts)", () => {
    let viz: Viz;
    before(async () => {
        viz = await instance();
    });

    const dotFor = (overrides: Overrides = {}, drOverrides: Overrides = {}) => {
        const { dr, prodPlan, drPlan } = pair(overrides, drOverrides);
        return topologyDot(dr, prodPlan, drPlan);
    };
    /** The attribute list of a node or an edge statement, e.g. statement(dot, '"prod_alb" -> "prod_asg"'). */
    const statement = (dot: string, head: string) => dot.split("\n").find((l) => l.trim().startsWith(`${head} [`));

    it("one cluster per region, labelled with stack, region and state", () => {
        const dot = dotFor();
        assert.match(dot, /subgraph "cluster_prod" \{\n\s+graph \[label="prod — us-east-1 \(primary\)"/);
        assert.match(dot, /subgraph "cluster_dr" \{\n\s+graph \[label="dr — us-west-2 \(standby\)"/);
        assert.match(dotFor({}, { "dr:failover": "true" }), /label="dr — us-west-2 \(promoted\)"/);
        assert.match(dotFor({ "dr:strategy": "active-active" }), /label="dr — us-west-2 \(serving\)"/);
    });

    it("active/passive: Route 53 sends to prod as PRIMARY and to dr as SECONDARY; the data flows are dashed", () => {
        const dot = dotFor();
        assert.match(statement(dot, '"route53" -> "prod_alb"') ?? "", /label="PRIMARY\\n/);
        assert.match(statement(dot, '"route53" -> "dr_alb"') ?? "", /label="SECONDARY\\n/);
        assert.match(statement(dot, '"dr_asg"') ?? "", /Auto Scaling group 0\/0\/4/);
        assert.match(statement(dot, '"dr_db"') ?? "", /secondary \(1 instance\)/);
        for (const flow of ['"prod_db" -> "dr_db"', '"prod_s3" -> "dr_s3"', '"prod_backup" -> "dr_vault"']) {
            assert.match(statement(dot, flow) ?? "", /style="dashed"/, flow);
        }
        assert.equal(statement(dot, '"dr_cache"'), undefined, "pilot light runs no cache");
    });

    it("active-active: latency records to both regions, the global table and replication both ways", () => {
        const dot = dotFor({ "dr:strategy": "active-active" });
        assert.match(statement(dot, '"route53" -> "prod_alb"') ?? "", /label="latency\\n/);
        assert.match(statement(dot, '"route53" -> "dr_alb"') ?? "", /label="latency\\n/);
        assert.doesNotMatch(dot, /PRIMARY|SECONDARY/);
        assert.ok(statement(dot, '"prod_table" -> "dr_table"'));
        assert.ok(statement(dot, '"dr_s3" -> "prod_s3"'));
        assert.match(dotFor({ "dr:strategy": "active-active", "dr:routingPolicy": "weighted" }), /label="weighted 50\\n/);
    });

    it("backup & restore standby: the locked vault, the network, the fence and the empty app tier its restore serves through", () => {
        const dot = dotFor({ "dr:strategy": "backup-restore" });
        assert.match(statement(dot, '"dr_vault"') ?? "", /label="AWS Backup vault\\nVault Lock \(governance\)"/);
        assert.ok(statement(dot, '"dr_vpc"'));
        const drNodes = dot.split("\n").filter((l) => /^\s+"dr_[a-z0-9]+" \[/.test(l)).map((l) => l.trim().split(" ")[0]);
        assert.deepEqual(drNodes, ['"dr_alb"', '"dr_asg"', '"dr_vault"', '"dr_fence"', '"dr_vpc"']);
        assert.match(statement(dot, '"dr_asg"') ?? "", /Auto Scaling group 0\/0\/4/);
        assert.match(statement(dot, '"route53" -> "dr_alb"') ?? "", /label="SECONDARY\\n/);
        assert.ok(statement(dot, '"prod_backup" -> "dr_vault"'));
    });

    it("the dr region's fence gates prod's record, every tier", () => {
        for (const strategy of STRATEGIES) {
            const dot = dotFor({ "dr:strategy": strategy });
            assert.match(statement(dot, '"dr_fence"') ?? "", /traffic fence of us-east-1/, strategy);
            assert.match(statement(dot, '"dr_fence" -> "prod_alb"') ?? "", /gates the record/, strategy);
            assert.match(statement(dot, '"route53" -> "prod_alb"') ?? "", /fence held in us-west-2/, strategy);
        }
    });

    it("escapes labels for DOT", () => {
        assert.equal(dotString('a "quoted" \\ name\nline 2'), '"a \\"quoted\\" \\\\ name\\nline 2"');
    });

    it("is valid DOT for every tier, standing by and failed over: Graphviz renders it to SVG", () => {
        const restore = { "dr:failover": "true", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1" };
        for (const strategy of STRATEGIES) {
            for (const drOverrides of [{}, strategy === "backup-restore" ? restore : { "dr:failover": "true" }]) {
                const result = viz.render(dotFor({ "dr:strategy": strategy }, drOverrides), { format: "svg" });
                assert.equal(result.status, "success", `${strategy} ${JSON.stringify(drOverrides)}: ${JSON.stringify(result.errors)}`);
                assert.ok(result.output!.startsWith("<?xml") || result.output!.includes("<svg"));
            }
        }
    });
});

describe("npm run plan (cli/plan.ts, end to end)", function () {
    /** What `npm run plan` runs (package.json), with this Node. */
    const PLAN = npmScript("plan");
    this.timeout(60000);
    interface Run { status: number | null; stdout: string; stderr: string }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
    /** The real command, in its own process: exit code, streams and all. */
    const spawned = (...args: string[]) => new Promise<Run>((resolve) => {
        execFile(PLAN[0], [...PLAN.slice(1), ...args],
            { cwd: ROOT, encoding: "utf8" },
            (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
    });
    /** The same command in this process (its output captured): the Pulumi SDK is loaded here already. */
    const inProcess = async (...args: string[]): Promise<Run> => {
        const out: string[] = [];
        const err: string[] = [];
        const status = await planCommand(args, { out: (l = "") => out.push(l), err: (l = "") => err.push(l) })
            .catch((e) => { if (e instanceof CliError) { err.push(e.message); return e.exitCode; } throw e; });
        return { status, stdout: `${out.join("\n")}\n`, stderr: err.join("\n") };
    };
    let pilotLight: Run;
    let activeActive: Run;
    let badConfig: Run;

    before(async () => {
        const bad = spawned("--stack", "dr", "--set", "dr:capacity=abc", "--out", path.join(dir, "bad.svg"));
        pilotLight = await inProcess("--stack", "dr", "--out", path.join(dir, "x.svg"));
        // An RTO target active-active cannot meet: the plan still prints everything and says the preview would fail.
        activeActive = await inProcess("--stack", "dr", "--set", "dr:strategy=active-active", "--set", "dr:rtoTargetSeconds=60", "--out", path.join(dir, "aa.svg"));
        badConfig = await bad;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("dr (pilot light): resources per region, objectives, cost share, diagram", () => {
        const out = pilotLight.stdout;
        assert.equal(pilotLight.status, 0, pilotLight.stderr);
        for (const expected of [
            "1. Resources per region",
            "prod — us-east-1 (primary)",
            "dr — us-west-2 (standby)",
            "Certificate shop-certificate: Certificate, Record, CertificateValidation",
            "AppTier shop-app: SecurityGroup x2, SecurityGroupEgressRule x2, LoadBalancer, TargetGroup, Listener x2, LaunchTemplate, Group (ASG 0/0/4)",
            "Group (ASG 4/4/4)",
            "BackupVault shop-backup-vault: Vault, VaultLockConfiguration",
            "2. Recovery objectives",
            "estimated RTO 5130 s (target 14400 s), the critical path: detect -> decide -> readiness -> promote-database -> reconcile-iac -> smoke-check",
            "objectives met",
            "3. Monthly cost estimate",
            "typical DR cost for pilot-light: 10-20 % of prod",
            "5. Diagram: " + path.join(dir, "x.svg"),
            "4. Levers that are off for this tier, one at a time",
            "dr:autoFailover approve (dr:approvalSeconds 300)",
            "RTO against DR cost, every tier with and without its levers: " + path.join(dir, "x-levers.svg"),
        ]) {
            assert.ok(out.includes(expected), `missing ${JSON.stringify(expected)} in:\n${out}`);
        }
        assert.match(out, /dr +us-west-2 +\$[\d,.]+ \/ month = \d+\.\d % of prod/);
        assert.ok(out.indexOf("1. Resources") < out.indexOf("2. Recovery") && out.indexOf("2. Recovery") < out.indexOf("3. Monthly"));
        const svg = fs.readFileSync(path.join(dir, "x.svg"), "utf8");
        assert.ok(svg.startsWith("<?xml") && svg.includes("<svg"));
    });

    it("dr (active-active, missed RTO target): everything still printed, and the preview would fail", () => {
        const out = activeActive.stdout;
        assert.equal(activeActive.status, 0, activeActive.stderr);
        for (const expected of [
            "dr — us-west-2 (serving)",
            "Record (latency)",
            "GlobalTable shop-table: Table",
            "RTO 5 min 30 s vs target 1 min: MISSED",
            "writes work again, per data store:",
            "would FAIL",
            "typical DR cost for active-active: 80-100 % of prod",
        ]) {
            assert.ok(out.includes(expected), `missing ${JSON.stringify(expected)} in:\n${out}`);
        }
        assert.ok(fs.existsSync(path.join(dir, "aa.svg")));
    });

    it("a bad --set exits 1 with the config report, no stack trace and no diagram", () => {
        assert.equal(badConfig.status, 1);
        assert.match(badConfig.stderr, /Stack "dr" has 1 configuration problem:\n {2}1\. dr:capacity = "abc": must be a whole number from 1 to 1000\./);
        assert.doesNotMatch(badConfig.stderr, /\n\s+at /);
        assert.equal(badConfig.stdout, "");
        assert.ok(!fs.existsSync(path.join(dir, "bad.svg")));
    });
});
