// The monthly check (.github/workflows/dr-monthly.yml, README "The monthly check"): what it runs, and what its
// refresh can see. `pulumi preview --refresh --expect-no-changes` fails on any difference between AWS and the
// program, so whatever the runbook changes at run time must either be no property of any resource (the
// fence's alarm state) or be what the stack config describes after the runbook's IaC step.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { load as parseYaml } from "js-yaml";
import { STRATEGIES } from "../model/strategy";
import { ROOT, stackRun } from "../offline/evaluate";

const WORKFLOW = path.join(ROOT, ".github", "workflows", "dr-monthly.yml");

interface Step { readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown>; readonly env?: Record<string, string>; readonly if?: string }
interface Job { readonly needs?: string[]; readonly if?: string; readonly strategy?: { matrix?: Record<string, unknown> }; readonly steps: Step[] }
interface Workflow { readonly on: Record<string, unknown>; readonly jobs: Record<string, Job> }

const workflow = (): Workflow => parseYaml(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;
const action = (step: Step) => /^([^@]+)@v?(\d+)/.exec(step.uses ?? "");
const uses = (job: Job, name: string) => job.steps.filter((s) => action(s)?.[1] === name);
/** Action inputs are strings to the runner: YAML's `true` and `"true"` both arrive as "true". */
const input = (step: Step, key: string) => (step.with?.[key] === undefined ? undefined : String(step.with[key]));

describe("the monthly check (.github/workflows/dr-monthly.yml)", () => {
    it("runs on the 1st of each month and on demand", () => {
        const wf = workflow();
        assert.deepEqual(wf.on.schedule, [{ cron: "0 6 1 * *" }]);
        assert.ok("workflow_dispatch" in wf.on);
    });

    it("previews both stacks with refresh first, --expect-no-changes and the policy pack", () => {
        const { preview } = workflow().jobs;
        assert.deepEqual(preview.strategy?.matrix?.stack, ["prod", "dr"]);
        const steps = uses(preview, "pulumi/actions");
        assert.ok(steps.length > 0, "the preview job runs pulumi/actions");
        for (const step of steps) {
            // v6 and later pass `refresh` to the preview as --refresh (v5 ran a separate `pulumi refresh`,
            // which writes state, before the command): pulumi/actions README, "Migrating from v5".
            assert.ok(Number(action(step)![2]) >= 6, `${step.uses}: refresh is --refresh from v6 on`);
            assert.equal(input(step, "command"), "preview");
            assert.equal(input(step, "refresh"), "true", "without refresh the preview compares the program with the recorded state only: no drift is seen");
            assert.equal(input(step, "expect-no-changes"), "true");
            assert.equal(input(step, "policyPacks"), "policy");
            assert.ok(fs.existsSync(path.join(ROOT, "policy", "PulumiPolicy.yaml")), "the pack the preview runs");
            assert.match(input(step, "stack-name")!, /\$\{\{ matrix\.stack \}\}$/);
            assert.equal(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        }
        const creds = uses(preview, "aws-actions/configure-aws-credentials");
        assert.equal(creds.length, 1);
        assert.equal(input(creds[0], "role-to-assume"), "${{ vars.DR_PREVIEW_ROLE_ARN }}", "OIDC, no long-lived keys");
        assert.ok(preview.steps.indexOf(creds[0]) < preview.steps.indexOf(steps[0]), "credentials before the preview's refresh reads AWS");
    });

    it("every job that runs the project's code gets Node from package.json (engines.node), not a version of its own", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.equal(pkg.engines.node, ">=22", "the project's Node (README, \"Which Node\")");
        const jobs = Object.entries(workflow().jobs).filter(([, job]) => job.steps.some((s) => /\bnpm\b/.test(s.run ?? "")));
        assert.deepEqual(jobs.map(([name]) => name).sort(), ["preview", "tests"]);
        for (const [name, job] of jobs) {
            const setup = uses(job, "actions/setup-node");
            assert.equal(setup.length, 1, name);
            assert.equal(input(setup[0], "node-version-file"), "package.json", name);
            assert.equal(input(setup[0], "node-version"), undefined, `${name}: node-version would win over node-version-file`);
            const firstNpm = job.steps.findIndex((s) => /\bnpm\b/.test(s.run ?? ""));
            assert.ok(job.steps.indexOf(setup[0]) < firstNpm, `${name}: Node is set up before npm runs`);
        }
    });

    it("still runs the tests and both drills against the emulator, keeps their reports, and opens an issue on failure", () => {
        const { tests, ["report-failure"]: report } = workflow().jobs;
        const runs = tests.steps.map((s) => s.run ?? "");
        assert.ok(runs.some((r) => /pip install "moto\[server\]"/.test(r)));
        assert.ok(runs.includes("npm ci --ignore-scripts"));
        assert.ok(runs.includes("npm test"));
        assert.ok(runs.some((r) => /^npm run drill -- --report-dir drill-reports\b/.test(r)), "the drill");
        assert.ok(runs.some((r) => /^npm run drill -- --outage --report-dir drill-reports\b/.test(r)), "the outage drill");
        const upload = uses(tests, "actions/upload-artifact");
        assert.deepEqual([upload.length, upload[0]?.if, input(upload[0], "path")], [1, "always()", "drill-reports"]);
        assert.deepEqual([report.needs, report.if], [["tests", "preview"], "failure()"]);
        assert.match(report.steps[0].run!, /gh issue create/);
    });
});

/** The property names a declaration of @pulumi/aws lists: a class's outputs, or an interface's members. */
function declared(file: string, header: RegExp): string[] {
    const source = fs.readFileSync(require.resolve(`@pulumi/aws/${file}`), "utf8");
    const start = source.search(header);
    assert.ok(start >= 0, `${file}: ${header}`);
    const body = source.slice(start, source.indexOf("\n}", start));
    return [...body.matchAll(/^ {4}(?:readonly )?(\w+)\??: /gm)].map((m) => m[1]).sort();
}

/** The properties only the provider sets: read back by a refresh, set by no program. */
function outputOnly(file: string): string[] {
    const source = fs.readFileSync(require.resolve(`@pulumi/aws/${file}`), "utf8");
    return [...source.matchAll(/resourceInputs\["(\w+)"\] = undefined \/\*out\*\//g)].map((m) => m[1]).sort();
}

/** What would name an alarm's state or a health check's status, as CloudWatch and Route 53 call them. */
const STATE_LIKE = /^(state|stateValue|stateReason|stateReasonData|stateUpdatedTimestamp|stateTransitionedTimestamp|status|healthStatus|healthCheckObservations|lastKnownStatus)$/i;

describe("what the monthly refresh can see of the traffic fence (@pulumi/aws 7 declarations)", () => {
    const RESOURCES = [
        { type: "aws:cloudwatch/metricAlarm:MetricAlarm", file: "cloudwatch/metricAlarm", cls: "MetricAlarm" },
        { type: "aws:route53/healthCheck:HealthCheck", file: "route53/healthCheck", cls: "HealthCheck" },
    ];

    for (const { file, cls } of RESOURCES) {
        it(`${cls}: every output is an input or arn/tagsAll; none is the alarm's state or the check's status`, () => {
            const outputs = declared(`${file}.d.ts`, new RegExp(`^export declare class ${cls} `, "m"));
            const state = declared(`${file}.d.ts`, new RegExp(`^export interface ${cls}State `, "m"));
            const args = declared(`${file}.d.ts`, new RegExp(`^export interface ${cls}Args `, "m"));
            assert.ok(outputs.length > 10 && args.length > 10, "the declarations parsed");
            assert.deepEqual(state, outputs.filter((p) => p !== "id" && p !== "urn"), "what a refresh reads is the class's outputs");
            assert.deepEqual(outputOnly(`${file}.js`), ["arn", "tagsAll"], "the only properties the provider computes");
            assert.deepEqual(outputs.filter((p) => !args.includes(p)), ["arn", "tagsAll"]);
            assert.deepEqual(outputs.filter((p) => STATE_LIKE.test(p)), []);
            // insufficientDataHealthStatus is a setting (what to report while the alarm has too little data),
            // which the fence fixes to LastKnownStatus; the status itself is not a property.
            assert.deepEqual(outputs.filter((p) => /state|status/i.test(p)), cls === "HealthCheck" ? ["insufficientDataHealthStatus"] : []);
        });
    }

    for (const strategy of STRATEGIES) {
        it(`${strategy}: the fence's alarm and prod's health checks set only declared inputs, none of them a state`, async () => {
            const failover = strategy === "backup-restore"
                ? { "dr:failover": "true", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1" }
                : { "dr:failover": "true" };
            // One after another: the mock monitor evaluates one program at a time.
            const runs = [];
            for (const [stack, overrides] of [["dr", {}], ["dr", failover], ["prod", {}]] as const) {
                runs.push(await stackRun(stack, { "dr:strategy": strategy, ...overrides }));
            }
            for (const { type, file, cls } of RESOURCES) {
                const args = declared(`${file}.d.ts`, new RegExp(`^export interface ${cls}Args `, "m"));
                for (const resource of runs.flatMap((r) => r.ofType(type))) {
                    const keys = Object.keys(resource.inputs).filter((k) => !k.startsWith("__"));
                    assert.deepEqual(keys.filter((k) => !args.includes(k)), [], `${resource.name}: inputs of ${cls}Args only`);
                    assert.deepEqual(keys.filter((k) => STATE_LIKE.test(k)), [], resource.name);
                }
            }
            const fence = runs[0].one("aws:cloudwatch/metricAlarm:MetricAlarm", "fence-alarm");
            assert.equal(fence.inputs.actionsEnabled, undefined, "the runbook never disables its actions either");
            assert.deepEqual(runs[1].one("aws:cloudwatch/metricAlarm:MetricAlarm", "fence-alarm").inputs, fence.inputs, "the promoted dr stack declares the same fence");
        });
    }

    it("the runbook's writes: to CloudWatch only the alarm's state and datapoints; the rest are the ones the drift analysis names", () => {
        const sources = fs.readdirSync(path.join(ROOT, "runbook")).filter((f) => f.endsWith(".ts"))
            .map((f) => fs.readFileSync(path.join(ROOT, "runbook", f), "utf8")).join("\n");
        const sent = new Set([...sources.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]));
        const writes = [...sent].filter((c) => !/^(Describe|Get|List)/.test(c)).sort();
        // A new write here is something a monthly `pulumi preview --refresh` may see: say in the README what.
        assert.deepEqual(writes, [
            "ChangeResourceRecordSets", // failback's weighted walk: the records' weights, inputs (drift until the walk ends)
            "DeleteParameter", "PutParameter", // the runbook's lock, /<app>/dr/runbook-lock: no resource of either stack
            "FailoverGlobalCluster", "SwitchoverGlobalCluster", // Aurora's writer: ignoreChanges on the attributes it moves
            "IncreaseReplicaCount", "ModifyReplicationGroup", // warm standby's cache resize: dr:failover=true describes it
            "DisassociateGlobalReplicationGroup", // a Global Datastore member leaves it: ignoreChanges on its membership
            "PutMetricData", "SetAlarmState", // the fence: a datapoint and the alarm's state, no resource's property
            "UpdateAutoScalingGroup", // the DR fleet to N/N/N and back: dr:failover describes it
        ].sort());
    });
});
