// Issue 19: a portfolio of apps' DR pairs (model/portfolio/, wiring/portfolio.ts). Its config and its checks
// against its apps, the parent Region switch plan's workflows, its estimate's arithmetic, and the stacks under
// Pulumi's mocks: the shipped example, and the parent plan over both apps' plans (in a project directory of the
// test's own, with the stack files it needs: the program reads its apps' stack files where Pulumi.yaml is).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dump as toYaml } from "js-yaml";
import { DrConfig, parseDrConfig } from "../model/config";
import {
    AppEstimate, PortfolioConfig, childStepName, decidedAt, loadPortfolio, parentExecutionPolicy, parentWorkflows,
    parsePortfolioConfig, portfolioEstimate, portfolioProblems, wavesOf,
} from "../model/portfolio";
import { PlanStep } from "../model/regionSwitch";
import { PairError, defaultDrStack, findPeer } from "../model/stackPair";
import { PROJECT_ROOT, layeredConfig, stackFileConfig } from "../model/tooling/stackFiles";
import { Recording, runStack } from "../offline/evaluate";
import { policies } from "../policy/rules";
import { evaluate } from "../policy/testing";

const APPROVER = "arn:aws:iam::123456789012:role/incident-commander";
const PLAN = "aws:arcregionswitch/plan:Plan";
const raw = (extra: Record<string, string> = {}) => ({ "aws:region": "us-west-2", "dr:role": "portfolio", "dr:appName": "estate", ...extra });
const appCfg = (stack: string, overrides: Record<string, string> = {}): DrConfig => {
    const parsed = parseDrConfig({ ...layeredConfig(stack), ...overrides }, stack);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    return parsed.config;
};
const portfolio = (extra: Partial<PortfolioConfig> = {}): PortfolioConfig => ({
    stack: "portfolio", region: "us-west-2", appName: "estate", members: [{ stack: "dr", wave: 1 }, { stack: "pay-dr", wave: 2 }],
    regionSwitch: false, approverArns: [], childPlanLimit: 10, autoFailover: "off", failover: false, ...extra,
});

describe("a portfolio's config (model/portfolio/config.ts)", () => {
    it("reads \"<dr stack>:<wave>\" entries, wave 1 where none is given, and its own keys only", () => {
        const result = parsePortfolioConfig(raw({ "dr:portfolioApps": JSON.stringify(["dr", "pay-dr:2"]) }), "portfolio");
        assert.ok(result.ok);
        assert.deepEqual(result.config.members, [{ stack: "dr", wave: 1 }, { stack: "pay-dr", wave: 2 }]);
        assert.deepEqual(result.warnings, []);
    });

    it("an app listed twice, a wave that is not a positive whole number, no app at all: each names the key, the value and the fix", () => {
        const problems = (apps: string[]) => {
            const result = parsePortfolioConfig(raw({ "dr:portfolioApps": JSON.stringify(apps) }), "portfolio");
            assert.ok(!result.ok);
            return result.problems;
        };
        const [twice] = problems(["dr:1", "pay-dr:2", "dr:3"]);
        assert.equal(twice.key, "dr:portfolioApps");
        assert.match(twice.message, /lists dr more than once/);
        assert.match(twice.fix, /^pulumi config set --path "dr:portfolioApps\[0\]" dr:1 -s portfolio$/);
        for (const wave of ["0", "-1", "1.5", "x", ""]) {
            const [bad] = problems([`dr:${wave}`]);
            assert.match(bad.message, /not a positive whole number|not "<dr stack>:<wave>"/, wave);
            assert.match(bad.message, new RegExp(`"dr:${wave.replace(".", "\\.")}"`), wave);
        }
        const [none] = problems([]);
        assert.match(none.message, /lists no app/);
    });

    it("the app keys are ignored on a portfolio stack, with a warning that says so", () => {
        const result = parsePortfolioConfig(raw({ "dr:portfolioApps": "dr", "dr:strategy": "warm-standby" }), "portfolio");
        assert.ok(result.ok);
        assert.deepEqual(result.warnings.map((w) => w.key), ["dr:strategy"]);
        assert.match(result.warnings[0].message, /builds no app/);
    });
});

describe("what a portfolio needs of its apps (model/portfolio/checks.ts)", () => {
    const found = (overrides: Record<string, Record<string, string>> = {}) =>
        portfolio().members.map((member) => ({ member, cfg: appCfg(member.stack, overrides[member.stack]) }));

    it("the shipped apps fit the shipped portfolio", () => {
        assert.deepEqual(portfolioProblems(portfolio(), found()), []);
    });

    it("an app with no stack file", () => {
        const [p] = portfolioProblems(portfolio(), [{ member: { stack: "gone-dr", wave: 1 }, missing: "names stack \"gone-dr\", which has no stack file" }]);
        assert.equal(p.key, "dr:portfolioApps");
        assert.match(p.fix, /create Pulumi\.gone-dr\.yaml/);
    });

    it("a portfolio stack in a region that is not the apps' recovery region", () => {
        const problems = portfolioProblems(portfolio({ region: "eu-west-1" }), found());
        assert.deepEqual(problems.map((p) => [p.key, p.fix]), [
            ["aws:region", "pulumi config set aws:region us-west-2 -s portfolio"], ["aws:region", "pulumi config set aws:region us-west-2 -s portfolio"]]);
        assert.match(problems[0].message, /recovers into us-west-2/);
    });

    it("active/passive and active-active apps in one portfolio: AWS's children share the parent's recovery approach", () => {
        const problems = portfolioProblems(portfolio(), found({ "pay-dr": { "dr:strategy": "active-active" } }));
        assert.equal(problems.length, 1);
        assert.equal(problems[0].key, "dr:strategy");
        assert.match(problems[0].message, /activePassive: dr; activeActive: pay-dr/);
    });

    it("with a parent plan: each app needs its own plan, built as the portfolio's child, and the portfolio its approvers", () => {
        const problems = portfolioProblems(portfolio({ regionSwitch: true }), found({ "pay-dr": { "dr:regionSwitch": "true", "dr:approverArns": APPROVER } }));
        assert.deepEqual(problems.map((p) => [p.key, p.fix]), [
            ["dr:regionSwitch", "pulumi config set dr:regionSwitch true -s dr"],
            ["dr:portfolio", "pulumi config set dr:portfolio portfolio -s pay-dr"],
            ["dr:approverArns", `pulumi config set --path "dr:approverArns[0]" ${APPROVER} -s portfolio`],
        ]);
    });

    it("an app with its own trigger (dr:autoFailover auto) is an error: the portfolio decides for all", () => {
        const problems = portfolioProblems(portfolio(), found({ "pay-dr": { "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": APPROVER } }));
        assert.deepEqual(problems.map((p) => [p.key, p.fix]), [["dr:autoFailover", "pulumi config set dr:autoFailover approve -s pay-dr"]]);
        // And on the app's own stack, once it names its portfolio.
        const own = parseDrConfig({ ...layeredConfig("pay-dr"), "dr:regionSwitch": "true", "dr:approverArns": APPROVER, "dr:portfolio": "portfolio", "dr:autoFailover": "auto" }, "pay-dr");
        assert.ok(!own.ok && own.problems.some((p) => p.key === "dr:autoFailover" && /portfolio "portfolio"/.test(p.message)));
    });

    it("more apps than dr:childPlanLimit, with a parent plan", () => {
        const members = Array.from({ length: 3 }, (_, i) => ({ stack: i === 0 ? "dr" : "pay-dr", wave: 1 }));
        const problems = portfolioProblems(portfolio({ regionSwitch: true, approverArns: [APPROVER], childPlanLimit: 2, members }), []);
        assert.ok(problems.some((p) => p.key === "dr:portfolioApps" && /more child plans than the parent plan may run \(dr:childPlanLimit 2/.test(p.message)));
    });

    it("dr:autoFailover auto: a parent plan to trigger, tiers that allow it, and a detector on the first app of wave 1; approve is an app's mode", () => {
        const keys = (p: PortfolioConfig, overrides: Record<string, Record<string, string>> = {}) =>
            portfolioProblems(p, found(overrides)).map((x) => [x.key, x.message.replace(/:.*/s, "")]);
        assert.deepEqual(keys(portfolio({ autoFailover: "approve" })), [["dr:autoFailover", "is an app's mode"]]);
        const problems = portfolioProblems(portfolio({ autoFailover: "auto" }), found());
        assert.deepEqual(problems.map((x) => x.fix), [
            "pulumi config set dr:regionSwitch true -s portfolio",
            "pulumi config set dr:autoFailover off -s portfolio",
            "pulumi config set dr:autoFailover approve -s dr (and dr:approvalSeconds)",
        ]);
        assert.match(problems[1].message, /would fail over app "dr" \(pilot-light\) without a person/);
        assert.match(problems[2].message, /the portfolio's trigger watches its first app's \("dr", wave 1\)/);
    });

    it("waves in order, each wave's apps in the order listed", () => {
        const apps = [{ member: { stack: "c", wave: 2 } }, { member: { stack: "a", wave: 1 } }, { member: { stack: "b", wave: 2 } }];
        assert.deepEqual(wavesOf(apps).map((w) => [w.wave, w.apps.map((a) => a.member.stack)]), [[1, ["a"]], [2, ["c", "b"]]]);
    });
});

describe("a stack's peer is the stack of the same app in the other role, whatever the stacks are called", () => {
    it("prod pairs with dr (shop), pay-prod with pay-dr (pay); a portfolio has apps, not a peer", () => {
        assert.equal(findPeer("prod"), "dr");
        assert.equal(findPeer("dr"), "prod");
        assert.equal(findPeer("pay-dr"), "pay-prod");
        assert.equal(findPeer("pay-prod"), "pay-dr");
        assert.equal(findPeer("local-dr"), "local");
        assert.throws(() => findPeer("portfolio"), (err: Error) => err instanceof PairError && /--portfolio portfolio/.test(err.message));
    });

    it("the runbook's default dr stack is the one there is: with one pair, whatever it is called; with several apps, it must be named", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "one-pair-"));
        try {
            fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
            fs.writeFileSync(path.join(root, "Pulumi.east.yaml"), toYaml({ config: stackFileConfig("prod") }));
            fs.writeFileSync(path.join(root, "Pulumi.west.yaml"), toYaml({ config: stackFileConfig("dr") }));
            assert.equal(defaultDrStack(root), "west");
            assert.equal(findPeer("west", {}, undefined, root), "east");
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
        assert.throws(() => defaultDrStack(), /the dr stacks here are dr, pay-dr/);
    });
});

describe("the runbook names the pair's own stacks, whatever they are called", () => {
    it("pay-dr's failback puts pay-prod back, not a stack called prod", async () => {
        const { runbookContext } = await import("../runbook/context");
        const { failbackSteps } = await import("../runbook/failback");
        const ctx = runbookContext({ stack: "pay-dr", mode: "planned", target: { endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "x", secretAccessKey: "x" } } });
        assert.equal(ctx.primaryStack, "pay-prod");
        const step = failbackSteps(ctx).find((x) => x.id === "reconcile-iac")!;
        await step.run(ctx);
        assert.equal(ctx.facts.get("IaC commands"), "pulumi config set dr:failover false -s pay-dr && pulumi up -s pay-dr --yes && pulumi up -s pay-prod --yes");
    });
});

describe("the parent plan's workflows (model/portfolio/parentPlan.ts)", () => {
    const children = [
        { member: { stack: "dr", wave: 1 }, planArn: "arn:shop" },
        { member: { stack: "pay-dr", wave: 2 }, planArn: "arn:pay" },
        { member: { stack: "ledger-dr", wave: 2 }, planArn: "arn:ledger" },
    ];
    const shape = (steps: readonly PlanStep[]) => steps.map((s) => s.executionBlockType === "Parallel"
        ? s.parallelConfigs![0].steps.map((c) => c.regionSwitchPlanConfigs![0].arn) : s.regionSwitchPlanConfigs?.[0].arn ?? s.name);

    it("one approval, then wave 1's plan, then wave 2's plans side by side; failback the same, the last wave first", () => {
        const w = parentWorkflows({ primaryRegion: "us-east-1", drRegion: "us-west-2", recoveryApproach: "activePassive", approvalRoleArn: "arn:approve", children });
        assert.deepEqual([w.failover.workflowTargetAction, w.failover.workflowTargetRegion], ["activate", "us-west-2"]);
        assert.deepEqual(shape(w.failover.steps), ["approve", "arn:shop", ["arn:pay", "arn:ledger"]]);
        assert.deepEqual([w.failback.workflowTargetAction, w.failback.workflowTargetRegion], ["activate", "us-east-1"]);
        assert.deepEqual(shape(w.failback.steps), ["approve", ["arn:pay", "arn:ledger"], "arn:shop"]);
        assert.equal(w.failover.steps[1].executionBlockType, "ARCRegionSwitchPlan");
        assert.equal(w.failover.steps[0].executionApprovalConfigs![0].approvalRole, "arn:approve");
        assert.equal(childStepName("pay.dr_2"), "app-pay-dr-2");
    });

    it("active-active: the failover takes the primary out", () => {
        const w = parentWorkflows({ primaryRegion: "us-east-1", drRegion: "us-west-2", recoveryApproach: "activeActive", approvalRoleArn: "a", children });
        assert.deepEqual([w.failover.workflowTargetAction, w.failover.workflowTargetRegion], ["deactivate", "us-east-1"]);
    });

    it("the parent's execution role runs, follows and cancels its children's executions, nothing else", () => {
        const doc = parentExecutionPolicy(["arn:shop", "arn:pay"]);
        assert.deepEqual(doc.Statement.map((s) => s.Resource), [["arn:shop", "arn:pay"]]);
        assert.ok((doc.Statement[0].Action as string[]).includes("arc-region-switch:StartPlanExecution"));
    });
});

describe("the portfolio's estimate (model/portfolio/estimate.ts)", () => {
    const app = (stack: string, wave: number, rto: number, decided: number, drUsd: number): AppEstimate => ({
        member: { stack, wave }, appName: stack, strategy: "pilot-light", rtoSeconds: rto, rpoSeconds: wave * 10, rtoTargetSeconds: 4 * 3600, rpoTargetSeconds: 3600,
        rtoSteps: [{ step: "detect", end: 30 }, { step: "decide", end: decided }, { step: "scale-compute", end: rto }], drMonthlyUsd: drUsd, prodMonthlyUsd: 1000,
    });

    it("detection and the decision once (the slowest app's), then the waves in sequence, each as slow as its slowest app after the decision", () => {
        const e = portfolioEstimate([app("a", 1, 2000, 1830, 100), app("b", 1, 1500, 300, 50), app("c", 2, 900, 600, 10)], { parentPlan: true });
        assert.equal(e.decidedSeconds, 1830);
        assert.deepEqual(e.waves.map((w) => [w.wave, w.seconds, w.slowest]), [[1, 1200, "b"], [2, 300, "c"]]);
        assert.equal(e.rtoSeconds, 1830 + 1200 + 300);
        assert.equal(e.rpoSeconds, 20);
        assert.equal(e.drMonthlyUsd, 100 + 50 + 10 + 70);
        assert.equal(e.rtoTargetSeconds, 4 * 3600);
        assert.equal(decidedAt([{ step: "scale-compute", end: 5 }]), 0);
    });

    it("the shipped example: shop (pilot light) then pay (warm standby)", () => {
        const { appEstimates } = require("../model/portfolio") as typeof import("../model/portfolio");
        const apps = appEstimates(loadPortfolio("portfolio"));
        const e = portfolioEstimate(apps, { parentPlan: false });
        assert.deepEqual(apps.map((a) => [a.member.stack, a.strategy]), [["dr", "pilot-light"], ["pay-dr", "warm-standby"]]);
        assert.equal(e.rtoSeconds, e.decidedSeconds + e.waves.reduce((s, w) => s + w.seconds, 0));
        assert.ok(Math.abs(e.drMonthlyUsd - apps.reduce((s, a) => s + a.drMonthlyUsd, 0)) < 1e-9);
    });
});

/**
 * A project directory of its own for one test: this project's Pulumi.yaml and shipped stack files, and `files`
 * beside them (the program is this one's, and reads its stack files where Pulumi.yaml is). Removed after.
 */
async function withProject<T>(files: Record<string, Record<string, unknown>>, run: (root: string) => Promise<T>): Promise<T> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-"));
    try {
        for (const f of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f))) {
            fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(root, f));
        }
        for (const [stack, config] of Object.entries(files)) {
            fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), toYaml({ config }));
        }
        return await run(root);
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

describe("the portfolio stack under the mocks (wiring/portfolio.ts)", () => {
    it("the shipped portfolio evaluates: the runbook's engine needs nothing created, and its outputs name the waves", async () => {
        const rec = await runStack("portfolio");
        assert.deepEqual(rec.resources.filter((r) => r.custom).map((r) => r.type), []);
        assert.deepEqual(rec.outputs.waves, [{ wave: 1, apps: ["dr"] }, { wave: 2, apps: ["pay-dr"] }]);
        assert.equal(rec.outputs.regionSwitchPlanArn, null);
    });

    const rs = { "dr:regionSwitch": true, "dr:approverArns": [APPROVER] };
    const files = () => ({
        "t19-shop-dr": { ...stackFileConfig("dr"), ...rs, "dr:portfolio": "t19-portfolio" },
        "t19-pay-dr": { ...stackFileConfig("pay-dr"), ...rs, "dr:portfolio": "t19-portfolio" },
        "t19-portfolio": { "aws:region": "us-west-2", "dr:role": "portfolio", "dr:appName": "estate", ...rs, "dr:portfolioApps": ["t19-shop-dr:1", "t19-pay-dr:2"] },
    });
    /** The global resources as the engine would leave them: an input in ignoreChanges keeps the value it had before. */
    const globals = (r: Recording, before: Recording) => r.resources.filter((x) => /^aws:(iam|route53|arcregionswitch)\//.test(x.type)).map((x) => {
        const old = before.resources.find((y) => y.type === x.type && y.name === x.name);
        const kept = Object.fromEntries((x.ignoreChanges ?? []).filter((k) => old && k in old.inputs).map((k) => [k, old!.inputs[k]]));
        return { type: x.type, name: x.name, inputs: { ...Object.fromEntries(Object.entries(x.inputs).filter(([k]) => !(x.ignoreChanges ?? []).includes(k))), ...kept } };
    });

    it("with dr:regionSwitch: the parent plan's inputs name both apps' plans (read by stack reference) in their waves, under one approval", async () => {
        await withProject(files(), async (root) => {
            const rec = await runStack("t19-portfolio", {}, root);
            const plan = rec.one(PLAN, "estate");
            assert.equal(plan.inputs.name, "estate-region-switch");
            assert.deepEqual(plan.inputs.regions, ["us-east-1", "us-west-2"]);
            assert.equal(plan.inputs.recoveryApproach, "activePassive");
            const [failover, failback] = plan.inputs.workflows;
            const arns = (steps: any[]) => steps.map((s: any) => s.regionSwitchPlanConfigs?.[0].arn ?? s.executionBlockType);
            const shop = "arn:aws:arc-region-switch::123456789012:plan/shop-region-switch:mock01";
            const pay = "arn:aws:arc-region-switch::123456789012:plan/pay-region-switch:mock01";
            assert.deepEqual(arns(failover.steps), ["ManualApproval", shop, pay]);
            assert.deepEqual(arns(failback.steps), ["ManualApproval", pay, shop]);
            assert.deepEqual(rec.ofType("pulumi:pulumi:StackReference").map((r) => r.inputs.name), ["organization/dr/t19-shop-dr", "organization/dr/t19-pay-dr"]);
            const policy = JSON.parse(rec.ofType("aws:iam/rolePolicy:RolePolicy").find((r) => r.name.endsWith("execution-policy"))!.inputs.policy);
            assert.deepEqual(policy.Statement[0].Resource, [shop, pay]);
            assert.equal(rec.outputs.regionSwitchPlanArn, plan.state!.arn);
        });
    });

    it("each app's own plan, as the portfolio's child, has no approval step (the parent's decided) in either workflow", async () => {
        await withProject(files(), async (root) => {
            for (const stack of ["t19-shop-dr", "t19-pay-dr"]) {
                const plan = (await runStack(stack, {}, root)).ofType(PLAN)[0];
                for (const workflow of plan.inputs.workflows) {
                    assert.ok(workflow.steps.every((s: any) => s.executionBlockType !== "ManualApproval"), `${stack} ${workflow.workflowTargetAction}`);
                }
            }
        });
    });

    it("with dr:autoFailover auto: one trigger, on the first app's detector and fence; the failover has no approval, the failback keeps it", async () => {
        const warm = { "dr:strategy": "warm-standby" };
        const auto = {
            "t19-shop-dr": { ...files()["t19-shop-dr"], ...warm, "dr:autoFailover": "approve", "dr:approvalSeconds": 300 },
            "t19-pay-dr": files()["t19-pay-dr"],
            "t19-portfolio": { ...files()["t19-portfolio"], "dr:autoFailover": "auto" },
        };
        await withProject(auto, async (root) => {
            const rec = await runStack("t19-portfolio", {}, root);
            const plan = rec.one(PLAN, "estate");
            const [trigger] = plan.inputs.triggers;
            assert.equal(plan.inputs.triggers.length, 1);
            assert.deepEqual([trigger.action, trigger.targetRegion], ["activate", "us-west-2"]);
            assert.deepEqual(trigger.conditions, [{ associatedAlarmName: "shop-usw2-use1-down", condition: "red" }, { associatedAlarmName: "shop-use1-traffic-fence", condition: "green" }]);
            assert.deepEqual(plan.inputs.associatedAlarms.map((a: any) => [a.mapBlockKey, a.alarmType, a.resourceIdentifier]), [
                ["shop-usw2-use1-down", "trigger", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:shop-usw2-use1-down"],
                ["shop-use1-traffic-fence", "trigger", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:shop-use1-traffic-fence"]]);
            const [failover, failback] = plan.inputs.workflows;
            assert.ok(failover.steps.every((s: any) => s.executionBlockType !== "ManualApproval"));
            assert.equal(failback.steps[0].executionBlockType, "ManualApproval");
            // The alarms it names are the ones the detector app's dr stack creates, in this region.
            const app = await runStack("t19-shop-dr", {}, root);
            const alarms = app.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.name);
            assert.ok(alarms.includes("shop-usw2-use1-down") && alarms.includes("shop-use1-traffic-fence"), alarms.join(", "));
            assert.equal(app.ofType(PLAN)[0].inputs.triggers, undefined, "the app's own plan has no trigger");
            // The trigger decides sooner than a person: the estimate's decision is the detector app's, as auto.
            const manual = await runStack("t19-portfolio", { "dr:autoFailover": "off" }, root);
            assert.ok(rec.outputs.estimatedRtoSeconds < manual.outputs.estimatedRtoSeconds, `${rec.outputs.estimatedRtoSeconds} < ${manual.outputs.estimatedRtoSeconds}`);
            // The runbook's portfolio run judges its time against the same estimate as the stack's outputs and the plan.
            const { runPortfolioRunbook } = await import("../runbook/portfolioRunbook");
            const dry = await runPortfolioRunbook({
                kind: "failover", portfolio: loadPortfolio("t19-portfolio", {}, root), mode: "unplanned", parallel: 4, keepGoing: false,
                dryRun: true, yes: false, reportDir: "unused", root, runbook: async () => ({ results: [], ctx: {} as never }),
            });
            assert.equal(dry.estimate.rtoSeconds, rec.outputs.estimatedRtoSeconds);
        });
    });

    it("the policy pack passes the parent plan and its child plans, and still refuses an app plan without an approval that is no portfolio's child", async () => {
        await withProject(files(), async (root) => {
            const mandatory = async (stack: string, edit: (rs: any[]) => void = () => undefined) => {
                const rs = JSON.parse(JSON.stringify((await runStack(stack, {}, root)).resources));
                edit(rs);
                return (await evaluate(policies, rs, { stack, project: "dr" })).filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`);
            };
            assert.deepEqual(await mandatory("t19-portfolio"), []);
            assert.deepEqual(await mandatory("t19-pay-dr"), []);
            const untagged = await mandatory("t19-pay-dr", (rs) => { delete rs.find((r: any) => r.type === PLAN).inputs.tags; });
            assert.equal(untagged.length, 2, untagged.join("\n"));
            assert.match(untagged.join("\n"), /region-switch-plan-complete: .*workflow "activate" "us-west-2" starts with "Parallel", not a ManualApproval step/);
            const parentWithoutApproval = await mandatory("t19-portfolio", (rs) => {
                const plan = rs.find((r: any) => r.type === PLAN);
                plan.inputs.workflows[0].steps.shift();
            });
            assert.equal(parentWithoutApproval.length, 1, parentWithoutApproval.join("\n"));
            assert.match(parentWithoutApproval[0], /starts with "ARCRegionSwitchPlan", not a ManualApproval step/);
        });
    });

    // The shipped stacks: the recovery region's three (the prod stacks are in the region that is lost: they are
    // not deployed on the recovery path, docs/deploying.md).
    for (const stack of ["dr", "pay-dr", "portfolio"]) {
        it(`shipped ${stack}: its failover deploy changes no IAM, Route 53 or Region switch resource and reads nothing from the primary region`, async () => {
            const standby = await runStack(stack);
            const promoted = await runStack(stack, { "dr:failover": "true" });
            assert.deepEqual(globals(promoted, standby), globals(standby, standby));
            assert.deepEqual(promoted.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region === "us-east-1"), []);
        });
    }

    for (const stack of ["t19-portfolio", "t19-shop-dr", "t19-pay-dr"]) {
        it(`${stack}: its failover deploy (dr:failover=true) keeps every IAM, Route 53 and Region switch resource as it is, and reads nothing from the primary region`, async () => {
            await withProject(files(), async (root) => {
                const standby = await runStack(stack, {}, root);
                const promoted = await runStack(stack, { "dr:failover": "true" }, root);
                assert.ok(standby.has(PLAN));
                assert.deepEqual(globals(promoted, standby), globals(standby, standby));
                assert.ok(promoted.ofType(PLAN).every((p) => (p.ignoreChanges ?? []).includes("workflows")), "the plan is frozen");
                const primary = promoted.resources.filter((x) => x.type === "pulumi:providers:aws" && x.inputs.region === "us-east-1");
                assert.deepEqual(primary, [], "on the day: no provider for the lost region");
            });
        });
    }
});
