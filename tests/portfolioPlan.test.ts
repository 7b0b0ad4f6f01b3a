// npm run plan -- --portfolio <stack> (cli/plan.ts, offline/portfolioReport.ts, model/drawings/waves.ts): the
// figures it prints are the model's (each app's own pair, model/portfolio/estimate.ts), the waves are drawn in
// order, and bad input is a config report, not a stack trace.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Viz, instance } from "@viz-js/viz";
import { dump as dumpYaml, load as parseYaml } from "js-yaml";
import { CliError, EXIT } from "../cli/command";
import { parsePlanArgs, planCommand } from "../cli/plan";
import { appNode, waveCluster, wavesDot } from "../model/drawings/waves";
import { drCostShare, REGION_SWITCH_PLAN_MONTHLY_USD } from "../model/cost";
import { assessObjectives } from "../model/objectives";
import { AppEstimate, PORTFOLIO_PLAN_MONTHLY_USD, afterDecision, appEstimates, loadPortfolio, portfolioEstimate } from "../model/portfolio";
import { backAt } from "../model/portfolio/estimate";
import { pairConfigs } from "../model/stackPair";
import { tierPlan } from "../model/tiers";
import { PROJECT_ROOT } from "../model/tooling/stackFiles";
import { duration } from "../model/duration";
import { usd } from "../offline/planReport";
import { npmScript } from "../tools/npmScript";

interface Run { status: number; stdout: string; stderr: string }

/** The command in this process, its output captured; a CliError becomes its exit code and message, as runMain prints it. */
async function plan(args: string[], root = PROJECT_ROOT): Promise<Run> {
    const out: string[] = [];
    const status = await planCommand(args, { out: (l = "") => out.push(l), err: () => undefined }, root)
        .then((code) => ({ code, message: "" }), (e) => {
            if (e instanceof CliError) return { code: e.exitCode as number, message: e.message };
            throw e;
        });
    return { status: status.code, stdout: out.join("\n"), stderr: status.message };
}

/** A project of its own: Pulumi.yaml and the shipped stack files, then `stacks` written over them (null: removed). */
function projectWith(stacks: Record<string, Record<string, unknown> | null>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-plan-"));
    for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dr.yaml", "Pulumi.pay-prod.yaml", "Pulumi.pay-dr.yaml", "Pulumi.portfolio.yaml"]) {
        fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
    }
    for (const [stack, config] of Object.entries(stacks)) {
        const file = path.join(root, `Pulumi.${stack}.yaml`);
        if (config === null) {
            fs.rmSync(file);
        } else {
            fs.writeFileSync(file, dumpYaml({ config }));
        }
    }
    return root;
}

/** A shipped stack file's config, to write a variant of it. */
const shipped = (stack: string) => (parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;

describe("npm run plan -- --portfolio (the shipped example: Pulumi.portfolio.yaml, apps dr:1 and pay-dr:2)", function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-plan-out-"));
    const svg = path.join(dir, "waves.svg");
    let run: Run;
    let apps: AppEstimate[];
    let estimate: ReturnType<typeof portfolioEstimate>;

    before(async () => {
        run = await plan(["--portfolio", "portfolio", "--out", svg]);
        const portfolio = loadPortfolio("portfolio");
        apps = appEstimates(portfolio);
        estimate = portfolioEstimate(apps, { rtoTargetSeconds: portfolio.config.rtoTargetSeconds, parentPlan: portfolio.config.regionSwitch });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const printed = (text: string) => assert.ok(run.stdout.includes(text), `missing ${JSON.stringify(text)} in:\n${run.stdout}`);

    it("exits 0 and prints the four sections in order", () => {
        assert.equal(run.status, EXIT.ok, run.stderr);
        const at = ["1. Apps", "2. The portfolio's recovery", "3. DR cost per month", "4. Diagram: " + svg].map((s) => run.stdout.indexOf(s));
        assert.ok(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])), run.stdout);
        assert.match(run.stdout, /^DR plan for portfolio "portfolio": app "estate", 2 apps in 2 waves, recovering into us-west-2/);
    });

    it("each app's figures are its own pair's: the estimate and cost `npm run plan -- --stack <its dr stack>` prints", () => {
        assert.deepEqual(apps.map((a) => [a.member.stack, a.member.wave, a.appName, a.strategy]), [["dr", 1, "shop", "pilot-light"], ["pay-dr", 2, "pay", "warm-standby"]]);
        for (const app of apps) {
            const pair = pairConfigs(app.member.stack);
            const own = assessObjectives(pair.dr);
            const cost = drCostShare(tierPlan(pair.prod), tierPlan(pair.dr), pair.dr.instanceType);
            assert.equal(app.rtoSeconds, own.estimate.rtoSeconds);
            assert.equal(app.rpoSeconds, own.estimate.rpoSeconds);
            assert.equal(app.drMonthlyUsd, cost.dr.total);
            const row = run.stdout.split("\n").find((l) => l.startsWith(`  ${app.member.stack} `) && l.includes(app.strategy));
            assert.ok(row, `no row for ${app.member.stack}`);
            for (const cell of [app.appName, String(app.member.wave), duration(app.rtoSeconds), duration(own.targets.rtoSeconds), duration(afterDecision(app)),
                duration(app.rpoSeconds), duration(own.targets.rpoSeconds), usd(cost.dr.total), `${cost.percent.toFixed(1)} %`]) {
                assert.ok(row.includes(cell), `${app.member.stack}: ${cell} not in ${JSON.stringify(row)}`);
            }
        }
    });

    it("the portfolio's RTO is the decision once plus each wave in sequence, as slow as its slowest app's path after the decision", () => {
        assert.equal(estimate.waves.length, 2);
        assert.equal(estimate.rtoSeconds, estimate.decidedSeconds + estimate.waves.reduce((s, w) => s + w.seconds, 0));
        for (const w of estimate.waves) {
            assert.equal(w.seconds, Math.max(...apps.filter((a) => a.member.wave === w.wave).map(afterDecision)));
        }
        assert.equal(estimate.waves[0].startSeconds, estimate.decidedSeconds);
        assert.equal(estimate.waves[1].startSeconds, estimate.waves[0].endSeconds);
        printed(`RTO ${duration(estimate.rtoSeconds)} = ${duration(estimate.decidedSeconds)} + ${estimate.waves.map((w) => duration(w.seconds)).join(" + ")}, ` +
            `vs target ${duration(estimate.rtoTargetSeconds)} (dr:rtoTargetSeconds unset on portfolio: the largest of the apps' own targets): met, ` +
            `${duration(estimate.rtoTargetSeconds - estimate.rtoSeconds)} to spare`);
        for (const w of estimate.waves) {
            printed(`wave ${w.wave}    ${duration(w.startSeconds)} - ${duration(w.endSeconds)}`);
        }
        printed(`decision  0 - ${duration(estimate.decidedSeconds)}`);
        // The figures as they stand today (docs/portfolio.md quotes them): detection 30 s and pilot light's 30 min decision, then shop's 55 min, then pay's 18 min 30 s.
        assert.deepEqual([estimate.decidedSeconds, ...estimate.waves.map((w) => w.seconds), estimate.rtoSeconds], [1830, 3300, 1110, 6240]);
    });

    it("the worst RPO, and each app back in service against its own target: pay, second, misses its own though it meets it alone", () => {
        assert.equal(estimate.rpoSeconds, Math.max(...apps.map((a) => a.rpoSeconds)));
        printed(`RPO ${duration(estimate.rpoSeconds)}: the worst of the apps'`);
        const [shop, pay] = apps;
        assert.equal(backAt(estimate, shop), estimate.waves[0].endSeconds);
        assert.equal(backAt(estimate, pay), estimate.rtoSeconds);
        assert.ok(pay.rtoSeconds <= pay.rtoTargetSeconds && backAt(estimate, pay) > pay.rtoTargetSeconds);
        printed(`pay-dr  ${duration(backAt(estimate, pay)).padEnd(16)}  target ${duration(pay.rtoTargetSeconds)}: MISSED by ${duration(backAt(estimate, pay) - pay.rtoTargetSeconds)}`);
        printed("=> pay-dr meets its own RTO target alone but misses it here, behind the waves before:");
    });

    it("the total DR cost is the sum of the apps' (no parent plan: dr:regionSwitch is off), and its share of their prod", () => {
        const sum = (f: (a: AppEstimate) => number) => apps.reduce((s, a) => s + f(a), 0);
        assert.equal(estimate.drMonthlyUsd, sum((a) => a.drMonthlyUsd));
        assert.equal(estimate.prodMonthlyUsd, sum((a) => a.prodMonthlyUsd));
        const share = `${((estimate.drMonthlyUsd / estimate.prodMonthlyUsd) * 100).toFixed(1)} %`;
        assert.match(run.stdout, new RegExp(`\\n  total +${usd(estimate.drMonthlyUsd).replace(/[$.]/g, "\\$&")} +${usd(estimate.prodMonthlyUsd).replace(/[$.]/g, "\\$&")} +${share}\\n`));
        printed(`=> the portfolio's DR costs ${usd(estimate.drMonthlyUsd)} a month, ${share} of its apps' prod`);
        assert.ok(!run.stdout.includes("parent Region switch plan"));
    });

    it("writes the waves' drawing", () => {
        const text = fs.readFileSync(svg, "utf8").replace(/&#45;/g, "-");
        assert.ok(text.includes("<svg"));
        for (const label of ["detection and the decision", "wave 1: ", "wave 2: ", "dr (shop)", "pay-dr (pay)", "every app back"]) {
            assert.ok(text.includes(label), label);
        }
    });

    it("docs/portfolio.md quotes the figures it prints", () => {
        const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "portfolio.md"), "utf8");
        const section = /## Estimates and cost\n([\s\S]*?)(?=\n## |$)/.exec(doc)?.[1];
        assert.ok(section, "docs/portfolio.md has no \"Estimates and cost\" section");
        const quoted = /```\n([\s\S]*?)```/.exec(section)?.[1];
        assert.ok(quoted, "the section quotes no output");
        for (const line of quoted.split("\n").filter((l) => l.trim() && !l.includes("..."))) {
            assert.ok(run.stdout.split("\n").includes(line), `docs/portfolio.md quotes a line the plan no longer prints: ${JSON.stringify(line)}`);
        }
    });

    it("--set applies to the portfolio stack: a portfolio target of 1 h is missed, by how much", async () => {
        const tight = await plan(["--portfolio", "portfolio", "--set", "dr:rtoTargetSeconds=3600", "--out", path.join(dir, "tight.svg")]);
        assert.equal(tight.status, EXIT.ok, tight.stderr);
        assert.ok(tight.stdout.includes(`vs target 1 h (dr:rtoTargetSeconds on portfolio): MISSED by ${duration(estimate.rtoSeconds - 3600)}`), tight.stdout);
        assert.match(fs.readFileSync(path.join(dir, "tight.svg"), "utf8"), /target 1 h: MISSED/);
    });
});

describe("the waves' drawing (model/drawings/waves.ts)", () => {
    let viz: Viz;
    before(async () => {
        viz = await instance();
    });

    const app = (stack: string, wave: number, rtoSeconds: number, decide = 930): AppEstimate => ({
        member: { stack, wave }, appName: `${stack}-app`, strategy: "warm-standby", rtoSeconds, rpoSeconds: 60, rtoTargetSeconds: 3600, rpoTargetSeconds: 900,
        rtoSteps: [{ step: "detect", end: 30 }, { step: "decide", end: decide }], drMonthlyUsd: 100, prodMonthlyUsd: 400,
    });
    // Listed out of wave order, waves 1, 3 and 7 (numbers need not follow each other), two apps side by side in two of them.
    // b decides last (30 min 30 s) and is wave 1's slowest; a's own path after the decision is shorter.
    const apps = [app("c", 3, 1200), app("a", 1, 1500), app("f", 7, 1300), app("b", 1, 3000, 1830), app("e", 7, 1100)];
    const estimate = portfolioEstimate(apps, { parentPlan: false, rtoTargetSeconds: 7200 });
    const dot = wavesDot({ stack: "estate", appName: "estate", estimate, apps });

    it("draws the decision, then the waves in order, then every app back: one edge from each to the next", () => {
        const clusters = [...dot.matchAll(/subgraph "(cluster_wave_\d+)"/g)].map((m) => m[1]);
        assert.deepEqual(clusters, [waveCluster(1), waveCluster(3), waveCluster(7)]);
        const drawn = dot.split("\n").filter((l) => l.includes(" -> ") && !l.includes("invis")).map((l) => /"([^"]+)" -> "([^"]+)"/.exec(l)!.slice(1));
        assert.deepEqual(drawn, [["decision", appNode("a")], [appNode("a"), appNode("c")], [appNode("c"), appNode("f")], [appNode("f"), "done"]]);
        assert.match(dot, /"decision" -> "app:a" \[label="\+30 min 30 s", lhead="cluster_wave_1"\]/);
        assert.match(dot, /"app:a" -> "app:c" \[label="\+19 min 30 s", lhead="cluster_wave_3", ltail="cluster_wave_1"\]/);
    });

    it("puts each app in its wave's cluster, in the order listed, labelled with its path after the decision; the slowest bold", () => {
        const clusterOf = (wave: number) => new RegExp(`subgraph "${waveCluster(wave)}" \\{([\\s\\S]*?)\\n  \\}`).exec(dot)![1];
        const nodes = (wave: number) => [...clusterOf(wave).matchAll(/"app:([^"]+)" \[/g)].map((m) => m[1]);
        assert.deepEqual([nodes(1), nodes(3), nodes(7)], [["a", "b"], ["c"], ["f", "e"]]);
        assert.match(clusterOf(1), /"app:b" \[label="b \(b-app\)\\nwarm-standby\\n\+19 min 30 s after the decision\\nsets the wave's time", penwidth=2\]/);
        assert.match(clusterOf(1), /"app:a" \[label="a \(a-app\)\\nwarm-standby\\n\+9 min 30 s after the decision"\]/);
        assert.match(clusterOf(1), /label="wave 1: 30 min 30 s - 50 min"/);
        assert.ok(dot.includes('"app:a" -> "app:c"') && dot.includes('"decision" -> "app:b" [style="invis"]'), "the other apps of a wave share its rank");
    });

    it("ends at the portfolio's RTO against its target, and renders to SVG", () => {
        assert.match(dot, new RegExp(`"done" \\[label="every app back\\\\n${duration(estimate.rtoSeconds)}\\\\ntarget ${duration(estimate.rtoTargetSeconds)}: met"`));
        const missed = wavesDot({ stack: "estate", appName: "estate", estimate: portfolioEstimate(apps, { parentPlan: false, rtoTargetSeconds: 600 }), apps });
        assert.match(missed, /target 10 min: MISSED/);
        for (const d of [dot, missed]) {
            const result = viz.render(d, { format: "svg" });
            assert.equal(result.status, "success", JSON.stringify(result.errors));
        }
    });

    it("quotes what DOT needs quoted in a stack's name", () => {
        const odd = [app('we"ird\\name', 1, 1500)];
        const result = viz.render(wavesDot({ stack: "p", appName: "p", estimate: portfolioEstimate(odd, { parentPlan: false }), apps: odd }), { format: "svg" });
        assert.equal(result.status, "success", JSON.stringify(result.errors));
    });
});

describe("npm run plan -- --portfolio: bad input", function () {
    this.timeout(30_000);
    const roots: string[] = [];
    const project = (stacks: Record<string, Record<string, unknown> | null>) => {
        const root = projectWith(stacks);
        roots.push(root);
        return root;
    };
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

    /** The command against a project of its own: it must fail with exit 1, a report naming `expected`, and no drawing. */
    async function fails(root: string, stack: string, ...expected: RegExp[]): Promise<string> {
        const out = path.join(root, "out.svg");
        const run = await plan(["--portfolio", stack, "--out", out], root);
        assert.equal(run.status, EXIT.failed, run.stdout);
        for (const e of expected) {
            assert.match(run.stderr, e);
        }
        assert.equal(run.stdout, "");
        assert.ok(!fs.existsSync(out), "no drawing of a portfolio that failed");
        return run.stderr;
    }
    const portfolio = shipped("portfolio");

    it("a portfolio that lists an app twice", async () => {
        const root = project({ portfolio: { ...portfolio, "dr:portfolioApps": ["dr:1", "pay-dr:2", "dr:3"] } });
        await fails(root, "portfolio", /^Stack "portfolio" has 1 configuration problem:/, /dr:portfolioApps = .*: lists dr more than once: each app comes back in one wave/);
    });

    it("a listed stack with no stack file", async () => {
        const root = project({ "pay-dr": null });
        await fails(root, "portfolio", /names stack "pay-dr", which has no stack file Pulumi\.pay-dr\.yaml/, /create Pulumi\.pay-dr\.yaml/);
    });

    it("a wave 0", async () => {
        const root = project({ portfolio: { ...portfolio, "dr:portfolioApps": ["dr:0", "pay-dr:2"] } });
        await fails(root, "portfolio", /dr:portfolioApps/, /each wave a whole number from 1 to 999/);
    });

    it("an app that recovers into another region than the portfolio's", async () => {
        const root = project({
            "pay-prod": { ...shipped("pay-prod"), "dr:drRegion": "eu-west-1" },
            "pay-dr": { ...shipped("pay-dr"), "aws:region": "eu-west-1", "dr:drRegion": "eu-west-1" },
        });
        await fails(root, "portfolio", /aws:region = "us-west-2": must be the apps' recovery region: app "pay-dr" recovers into eu-west-1/);
    });

    it("a stack that is no portfolio: its dr:role, and the fix", async () => {
        const stderr = await fails(projectWith({}), "dr", /^Stack "dr" is not a portfolio: its dr:role is secondary, not portfolio\./);
        assert.ok(stderr.includes("Plan its pair with `npm run plan -- --stack dr`, or name a portfolio stack with --portfolio (here: portfolio)."), stderr);
        await fails(project({ portfolio: null }), "prod", /its dr:role is primary/, /there is none here: docs\/portfolio\.md says how to write one/);
    });

    it("a stack with no stack file", async () => {
        await fails(project({}), "estate", /There is no stack file Pulumi\.estate\.yaml\. Stacks: dr, pay-dr, pay-prod, portfolio, prod\./);
    });

    it("the real command, in its own process: exit 1, the report on stderr, no stack trace", async () => {
        const [exe, ...args] = npmScript("plan");
        const out = path.join(project({}), "x.svg");
        const run = await new Promise<Run>((resolve) => execFile(exe, [...args, "--portfolio", "dr", "--out", out], { cwd: PROJECT_ROOT, encoding: "utf8" },
            (err, stdout, stderr) => resolve({ status: err ? Number(err.code) : 0, stdout, stderr })));
        assert.equal(run.status, EXIT.failed);
        assert.match(run.stderr, /^Stack "dr" is not a portfolio/);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
        assert.ok(!fs.existsSync(out));
    });
});

describe("npm run plan -- --portfolio with a parent Region switch plan (dr:regionSwitch on the portfolio and its apps)", function () {
    this.timeout(30_000);
    const approver = "arn:aws:iam::123456789012:role/incident-commander";
    const childOf = { "dr:regionSwitch": true, "dr:portfolio": "portfolio", "dr:approverArns": [approver] };
    const root = projectWith({
        portfolio: { ...shipped("portfolio"), "dr:regionSwitch": true, "dr:approverArns": [approver] },
        dr: { ...shipped("dr"), ...childOf },
        "pay-dr": { ...shipped("pay-dr"), ...childOf },
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it("prices the parent plan on its own line, and counts it in the total", async () => {
        const run = await plan(["--portfolio", "portfolio", "--out", path.join(root, "p.svg")], root);
        assert.equal(run.status, EXIT.ok, run.stderr);
        const p = loadPortfolio("portfolio", {}, root);
        const apps = appEstimates(p, root);
        const estimate = portfolioEstimate(apps, { parentPlan: p.config.regionSwitch });
        assert.equal(PORTFOLIO_PLAN_MONTHLY_USD, REGION_SWITCH_PLAN_MONTHLY_USD);
        assert.equal(estimate.drMonthlyUsd, apps.reduce((s, a) => s + a.drMonthlyUsd, 0) + PORTFOLIO_PLAN_MONTHLY_USD);
        assert.match(run.stdout, /\n  the parent Region switch plan \(dr:regionSwitch on portfolio; price assumed, model\/cost\.ts\) +\$70\.00\n/);
        assert.ok(run.stdout.includes(`=> the portfolio's DR costs ${usd(estimate.drMonthlyUsd)} a month`), run.stdout);
    });
});

describe("npm run plan's arguments (parsePlanArgs)", () => {
    const usage = (argv: string[], message: RegExp) => assert.throws(() => parsePlanArgs(argv), (e: unknown) => e instanceof CliError && e.exitCode === EXIT.usage && message.test(e.message));

    it("--portfolio <stack>, with --out and --set (the portfolio stack's keys)", () => {
        assert.deepEqual(parsePlanArgs(["--portfolio", "portfolio"]), { kind: "portfolio", stack: "portfolio", overrides: {}, out: undefined });
        assert.deepEqual(parsePlanArgs(["--portfolio", "estate", "--out", "w.svg", "--set", "rtoTargetSeconds=7200"]),
            { kind: "portfolio", stack: "estate", overrides: { "dr:rtoTargetSeconds": "7200" }, out: "w.svg" });
    });

    it("--stack as before", () => {
        assert.deepEqual(parsePlanArgs(["--stack", "dr", "--peer", "prod"]), { kind: "pair", stack: "dr", overrides: {}, out: undefined, peer: "prod" });
    });

    it("--portfolio excludes --stack and --peer; one of --stack and --portfolio is required; --portfolio needs a value", () => {
        usage(["--portfolio", "portfolio", "--stack", "dr"], /^--portfolio plans a portfolio stack and its apps' pairs: leave out --stack$/);
        usage(["--portfolio", "portfolio", "--peer", "prod"], /leave out --peer$/);
        usage([], /^--stack \(a pair\) or --portfolio \(a portfolio of pairs\) is required$/);
        usage(["--portfolio"], /--portfolio/);
        usage(["--portfolio", "portfolio", "--set", "dr:strategee=x"], /did you mean dr:strategy\?/);
    });
});
