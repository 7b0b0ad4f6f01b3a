// The operations building blocks: the region's canary (components/canary.ts, model/canary.ts) and the monthly
// restore tests (components/restoreTests.ts, model/restoreTests.ts). Pure model tests, the scripts the two
// run (evaluated here, against a local TLS server and against stubbed AWS SDK clients), and the components'
// recorded inputs under Pulumi's mocks.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import type { TLSSocket } from "tls";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CANARY_LAYOUT, RegionCanary, RegionCanaryArgs } from "../components/canary";
import { RESTORE_ROLE_POLICY_ARNS, RestoreTests, RestoreTestsArgs } from "../components/restoreTests";
import {
    CANARY_ALARM, CANARY_HANDLER, CANARY_RATE, CANARY_RUNTIME_VERSION, CANARY_SCRIPT_FILE, CANARY_SCRIPT_PATH, CanaryTarget, canaryCodeKey,
    canaryEnvironment, canaryExecutionPolicy, canaryNameProblem, canaryNames, canaryTargetOf,
} from "../model/canary";
import { backupCronProblem } from "../model/cron";
import {
    FAILED_ALARM, RESTORE_CHECK_LOOKBACK_DAYS, alarmEvaluationRangeProblem, auroraRestoreOverrides, maxRestoreTestAgeHours, overdueAlarm,
    restoreCheckEnvironment, restoreCheckPolicy, restoreCheckSettingsOf, restoreJobEventPattern, restoreTestNames, restoreTestSchedule,
    restoreTestingPlanNameProblem,
} from "../model/restoreTests";
import { LAMBDA_LAYOUT, functionFiles } from "../components/functionCode";
import { canaryMonthlyCostUsd, runsPerMonth } from "../model/cost";
import { record, stackRun } from "../offline/evaluate";
import { STRATEGIES } from "../model/strategy";
import { firstRuleFor, webAclRules } from "../model/waf";
import { HEALTH_CHECK_PATH } from "../model/app";
import { archiveFiles, loadFunction, unwrap } from "./helpers";

const T = {
    canary: "aws:synthetics/canary:Canary",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    plan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    selection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    function: "aws:lambda/function:Function",
    permission: "aws:lambda/permission:Permission",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

const ACCOUNT = "123456789012";
const LOG_KEY = "arn:aws:kms:us-west-2:123456789012:key/logs";
const REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "us-gov-west-1", "il-central-1"];
/** The longest app name config validation accepts (16 characters), with a hyphen. */
const LONGEST_APP = "abcdefgh-ijklmno";
const mockArn = (type: string, name: string) => `arn:aws:mock:::${type}/${name}`;

/** What the loaded scripts logged (kept out of the test report). */
const logged: string[] = [];
const quiet = { log: (...parts: unknown[]) => logged.push(parts.join(" ")) };

/** Runs the canary's packaged script (functions/healthCanary.ts) with the environment the program gives it for `target`. */
function loadCanary(target: CanaryTarget, modules: Record<string, unknown>): Record<string, any> {
    return loadFunction(functionFiles(CANARY_SCRIPT_FILE, CANARY_LAYOUT), CANARY_SCRIPT_PATH, modules, canaryEnvironment(target), quiet);
}

/** The statement that grants an action. */
function byActionOf(statements: ReadonlyArray<Record<string, any>>, action: string): Record<string, any> {
    return statements.find((st) => [st.Action].flat().includes(action))!;
}

describe("operations: the region's canary", () => {
    describe("model: names, schedule, cost", () => {
        it("names the canary, its role and its alarm after the region: shop-usw2-health, shop-usw2-canary, shop-usw2-canary-health", () => {
            assert.deepEqual(canaryNames("shop", "us-west-2"), { canary: "shop-usw2-health", role: "shop-usw2-canary", alarm: "shop-usw2-canary-health" });
        });

        for (const region of REGIONS) {
            it(`gives a name Synthetics accepts for the longest app name in ${region}, distinct from the other regions'`, () => {
                const name = canaryNames(LONGEST_APP, region).canary;
                assert.equal(canaryNameProblem(name), undefined);
                const others = REGIONS.filter((r) => r !== region).map((r) => canaryNames(LONGEST_APP, r).canary);
                assert.ok(!others.includes(name));
            });
        }

        const NAME_CASES: ReadonlyArray<readonly [name: string, accepted: boolean]> = [
            ["shop-usw2-health", true],
            ["a_b-9", true],
            ["a".repeat(255), true],
            ["a".repeat(256), false],
            ["", false],
            ["Shop-usw2-health", false],
            ["shop.usw2", false],
            ["shop usw2", false],
        ];
        for (const [name, accepted] of NAME_CASES) {
            it(`canary name ${JSON.stringify(name.length > 30 ? `${name.slice(0, 8)}... (${name.length})` : name)}: ${accepted ? "accepted" : "refused"}`, () => {
                assert.equal(canaryNameProblem(name) === undefined, accepted, canaryNameProblem(name));
            });
        }

        const RATES: ReadonlyArray<readonly [rate: string, runs: number]> = [
            ["rate(5 minutes)", 8760], ["rate(1 minute)", 43_800], ["rate(10 minutes)", 4380], ["rate(1 hour)", 730], ["rate(0 minute)", 0],
        ];
        for (const [rate, runs] of RATES) {
            it(`${rate}: ${runs} runs in a 730-hour month`, () => {
                assert.equal(runsPerMonth(rate), runs);
            });
        }

        it("refuses schedules Synthetics does not take as a rate: cron, less often than hourly, nonsense", () => {
            for (const rate of ["cron(0/5 * * * ? *)", "rate(2 hours)", "rate(90 minutes)", "every 5 minutes"]) {
                assert.throws(() => runsPerMonth(rate), /rate/, rate);
            }
        });

        it("runs every 5 minutes by default, at $0.0012 a run: about $10.51 a month", () => {
            assert.equal(CANARY_RATE, "rate(5 minutes)");
            assert.ok(Math.abs(canaryMonthlyCostUsd() - 10.512) < 1e-9, String(canaryMonthlyCostUsd()));
            assert.ok(Math.abs(canaryMonthlyCostUsd("rate(1 minute)") - 52.56) < 1e-9);
        });

        it("alarms below 90 % success in 2 of 3 five-minute periods, missing data breaching, within CloudWatch's evaluation range", () => {
            assert.deepEqual({ ...CANARY_ALARM }, {
                statistic: "Average", period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 90,
                comparisonOperator: "LessThanThreshold", treatMissingData: "breaching",
            });
            assert.equal(alarmEvaluationRangeProblem(CANARY_ALARM.period, CANARY_ALARM.evaluationPeriods), undefined);
        });

        it("uses a current Node.js runtime and the documented entry point", () => {
            assert.equal(CANARY_RUNTIME_VERSION, "syn-nodejs-puppeteer-15.0");
            assert.equal(CANARY_HANDLER, "healthCanary.handler");
            assert.equal(CANARY_SCRIPT_PATH, "nodejs/node_modules/healthCanary.js");
        });

        it("keys the code's zip by the code's hash: the same code the same key, a changed code a new one", () => {
            const a = JSON.stringify(functionFiles(CANARY_SCRIPT_FILE, CANARY_LAYOUT));
            const b = a.replace("multi-region-dr-canary", "multi-region-dr-canary-2");
            assert.notEqual(a, b);
            assert.equal(canaryCodeKey("synthetics", "shop-usw2-health", a), canaryCodeKey("synthetics", "shop-usw2-health", a));
            assert.notEqual(canaryCodeKey("synthetics", "shop-usw2-health", a), canaryCodeKey("synthetics", "shop-usw2-health", b));
            assert.match(canaryCodeKey("synthetics", "shop-usw2-health", a), /^synthetics\/code\/shop-usw2-health-[0-9a-f]{16}\.zip$/);
        });
    });

    describe("model: the execution role's policy", () => {
        const policy = canaryExecutionPolicy({ bucketName: "shop-logs-123456789012-us-west-2", prefix: "synthetics", region: "us-west-2", accountId: ACCOUNT, canaryName: "shop-usw2-health" });
        const statements = policy.Statement as ReadonlyArray<Record<string, any>>;
        const actions = (st: Record<string, any>): string[] => [st.Action].flat();

        it("writes and reads objects under its artifact prefix only", () => {
            const objects = statements.filter((st) => actions(st).some((a) => a === "s3:PutObject" || a === "s3:GetObject"));
            assert.deepEqual(objects.map((st) => st.Resource), ["arn:aws:s3:::shop-logs-123456789012-us-west-2/synthetics/*"]);
            assert.ok(statements.every((st) => !actions(st).some((a) => a === "s3:*" || a === "*")), "no wildcard action");
        });

        it("finds the bucket's location, lists bucket names as CreateCanary requires, and logs only to its own Lambda's groups", () => {
            assert.equal(statements.find((st) => actions(st).includes("s3:GetBucketLocation"))!.Resource, "arn:aws:s3:::shop-logs-123456789012-us-west-2");
            assert.equal(statements.find((st) => actions(st).includes("s3:ListAllMyBuckets"))!.Resource, "*");
            const logs = statements.find((st) => actions(st).includes("logs:PutLogEvents"))!;
            assert.equal(logs.Resource, "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/cwsyn-shop-usw2-health-*");
        });

        it("publishes metrics in the CloudWatchSynthetics namespace only, and needs no X-Ray", () => {
            const metrics = statements.find((st) => actions(st).includes("cloudwatch:PutMetricData"))!;
            assert.deepEqual(metrics.Condition, { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
            assert.ok(statements.every((st) => !actions(st).some((a) => a.startsWith("xray:"))));
        });
    });

    describe("the canary's script, against stubbed https", () => {
        /** An https module whose request answers `status` (or fails with `error`), recording the options it was given. */
        function stubHttps(outcome: { status?: number; error?: string; hang?: boolean }) {
            const seen: Record<string, any>[] = [];
            const request = (options: Record<string, any>, onResponse: (res: unknown) => void) => {
                seen.push(options);
                const req = Object.assign(new EventEmitter(), {
                    destroy: (err: Error) => req.emit("error", err),
                    end: () => setImmediate(() => {
                        if (outcome.hang) req.emit("timeout");
                        else if (outcome.error) req.emit("error", new Error(outcome.error));
                        else onResponse({ statusCode: outcome.status, resume: () => undefined });
                    }),
                });
                return req;
            };
            return { seen, https: { request } };
        }
        const TARGET = { connectTo: "shop-usw2-alb-123.us-west-2.elb.amazonaws.com", hostName: "shop.example.com" };

        it("what it sends passes the web ACL's first rule, before any rule only AWS evaluates (dr:waf; issue 17, item 1.1)", async () => {
            const stub = stubHttps({ status: 200 });
            await loadCanary(TARGET, { https: stub.https }).handler();
            const [uriPath, queryString = ""] = String(stub.seen[0].path).split("?");
            const rules = webAclRules("shop-usw2-web-acl", HEALTH_CHECK_PATH, 2000);
            assert.deepEqual(firstRuleFor(rules, { method: stub.seen[0].method, uriPath, queryString }), { rule: "allow-health-checks", outcome: "allow" });
        });

        it("connects to the region's ALB but sends SNI and Host for the app's name, GETs /health over a fresh connection", async () => {
            const stub = stubHttps({ status: 200 });
            const result = await loadCanary(TARGET, { https: stub.https }).handler();
            assert.equal(stub.seen.length, 1);
            const o = stub.seen[0];
            assert.deepEqual([o.host, o.port, o.method, o.path, o.servername, o.headers.Host, o.agent, o.timeout],
                [TARGET.connectTo, 443, "GET", "/health", "shop.example.com", "shop.example.com", false, 10_000]);
            assert.match(result, /200/);
        });

        for (const status of [200, 204, 301, 302, 399]) {
            it(`passes on ${status}`, async () => {
                await loadCanary(TARGET, { https: stubHttps({ status }).https }).handler();
            });
        }
        for (const status of [400, 403, 404, 500, 502, 503]) {
            it(`fails on ${status}, naming it`, async () => {
                await assert.rejects(loadCanary(TARGET, { https: stubHttps({ status }).https }).handler(), new RegExp(`answered ${status}`));
            });
        }

        it("fails on a connection error and on no answer, naming the URL", async () => {
            await assert.rejects(loadCanary(TARGET, { https: stubHttps({ error: "connect ECONNREFUSED" }).https }).handler(),
                /shop\.example\.com\/health via shop-usw2-alb.*ECONNREFUSED/);
            await assert.rejects(loadCanary({ ...TARGET, timeoutMs: 2500 }, { https: stubHttps({ hang: true }).https }).handler(), /no answer within 2500 ms/);
        });

        it("fails its run, naming what it lacks, when its environment does not say what to call", async () => {
            const stub = stubHttps({ status: 200 });
            const env = canaryEnvironment(TARGET);
            for (const missing of Object.keys(env)) {
                const without = Object.fromEntries(Object.entries(env).filter(([key]) => key !== missing));
                const canary = loadFunction(functionFiles(CANARY_SCRIPT_FILE, CANARY_LAYOUT), CANARY_SCRIPT_PATH, { https: stub.https }, without, quiet);
                await assert.rejects(canary.handler(), new RegExp(`${missing}=undefined`));
            }
            assert.equal(stub.seen.length, 0);
        });

        it("GETs another path when given one", async () => {
            const stub = stubHttps({ status: 200 });
            await loadCanary({ ...TARGET, path: "/ready" }, { https: stub.https }).handler();
            assert.equal(stub.seen[0].path, "/ready");
        });
    });

    describe("the canary's script, against a local HTTPS server", function () {
        this.timeout(20_000);
        let dir = "";
        let cert = "";
        let server: https.Server | undefined;
        let port = 0;
        let answer = 200;
        const seen: { sni?: string | false | null; host?: string; path?: string; method?: string }[] = [];

        before(function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "canary-tls-"));
            try {
                // A certificate for shop.example.com only, as ACM's for dr:dnsName; the server listens on loopback.
                execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1",
                    "-subj", "/CN=shop.example.com", "-addext", "subjectAltName=DNS:shop.example.com"], { stdio: "ignore" });
            } catch {
                this.skip(); // no openssl here: the stubbed tests above still hold the script's logic
            }
            cert = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
            server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert }, (req, res) => {
                seen.push({ sni: (req.socket as TLSSocket).servername, host: req.headers.host, path: req.url, method: req.method });
                res.statusCode = answer;
                res.end();
            });
            return new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => { port = (server!.address() as AddressInfo).port; resolve(); }));
        });
        after(() => {
            server?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });
        beforeEach(() => { seen.length = 0; answer = 200; });

        /** Node's https, trusting the test certificate (as the runtime trusts ACM's through the public CAs). */
        const trusting = () => ({ request: (options: https.RequestOptions, cb: (res: unknown) => void) => https.request({ ...options, ca: cert }, cb) });

        it("validates the certificate for the app's name while connecting to another address, and the server sees SNI, Host and path", async () => {
            await loadCanary({ connectTo: "127.0.0.1", port, hostName: "shop.example.com" }, { https: trusting() }).handler();
            assert.deepEqual(seen, [{ sni: "shop.example.com", host: "shop.example.com", path: "/health", method: "GET" }]);
        });

        it("fails when the endpoint's certificate is not valid for the name it sends", async () => {
            await assert.rejects(loadCanary({ connectTo: "127.0.0.1", port, hostName: "other.example.com" }, { https: trusting() }).handler(),
                /other\.example\.com.*(altnames|Hostname|certificate)/i);
        });

        it("fails on the server's 503 (an ALB without healthy targets)", async () => {
            answer = 503;
            await assert.rejects(loadCanary({ connectTo: "127.0.0.1", port, hostName: "shop.example.com" }, { https: trusting() }).handler(), /answered 503/);
        });
    });

    describe("RegionCanary", () => {
        const LOGS = "shop-logs-123456789012-us-west-2";
        const ALB = "shop-usw2-alb.elb.example";
        const args = (extra: Partial<RegionCanaryArgs> = {}): RegionCanaryArgs => ({
            canaryName: "shop-usw2-health",
            roleName: "shop-usw2-canary",
            alarmName: "shop-usw2-canary-health",
            region: "us-west-2",
            accountId: pulumi.output(ACCOUNT),
            albDnsName: pulumi.output(ALB),
            hostName: "shop.example.com",
            artifactBucketName: pulumi.output(LOGS),
            alarmActions: ["arn:aws:sns:us-west-2:123456789012:shop-usw2-dr-alarms"],
            running: true,
            logs: { kmsKeyArn: LOG_KEY, retentionDays: 45 },
            ...extra,
        });

        it("standing by with nothing to probe (running false): the role, its policy and the code only, no canary and no alarm", async () => {
            const rec = await record(() => { new RegionCanary("t", args({ running: false })); });
            assert.deepEqual(rec.resources.filter((r) => r.custom !== false).map((r) => r.type).sort(),
                ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:s3/bucketObjectv2:BucketObjectv2"]);
        });

        it("creates a started canary on the current runtime, every 5 minutes, short retention, artifacts SSE-S3 under its prefix", async () => {
            const rec = await record(() => { new RegionCanary("t", args()); });
            const c = rec.one(T.canary).inputs;
            assert.deepEqual(
                [c.name, c.runtimeVersion, c.handler, c.schedule, c.startCanary, c.successRetentionPeriod, c.failureRetentionPeriod],
                ["shop-usw2-health", "syn-nodejs-puppeteer-15.0", "healthCanary.handler", { expression: "rate(5 minutes)" }, true, 7, 14]);
            assert.equal(c.artifactS3Location, `s3://${LOGS}/synthetics/`);
            assert.deepEqual(c.artifactConfig, { s3Encryption: { encryptionMode: "SSE_S3" } });
            assert.deepEqual(c.runConfig, {
                timeoutInSeconds: 60, activeTracing: false,
                environmentVariables: { CONNECT_TO: ALB, HOST_NAME: "shop.example.com", HEALTH_PATH: "/health", PORT: "443", TIMEOUT_MS: "10000" },
            });
            assert.equal(c.executionRoleArn, mockArn(T.role, "t-role"));
            assert.equal(c.deleteLambda, true);
            assert.equal(c.zipFile, undefined);
        });

        it("uploads the script as a zip to the log bucket, at the runtime's path, keyed by its hash, and points the canary at it", async () => {
            const rec = await record(() => { new RegionCanary("t", args()); });
            const code = rec.one(T.object).inputs;
            const files = await archiveFiles(code.source);
            assert.ok(files["nodejs/node_modules/healthCanary.js"], `the zip holds ${Object.keys(files).join(", ")}`);
            assert.equal(code.bucket, LOGS);
            assert.equal(code.key, canaryCodeKey("synthetics", "shop-usw2-health", JSON.stringify(files)));
            assert.deepEqual(files, functionFiles(CANARY_SCRIPT_FILE, CANARY_LAYOUT));
            const c = rec.one(T.canary).inputs;
            assert.deepEqual([c.s3Bucket, c.s3Key, c.s3Version], [LOGS, code.key, undefined]);
            // What the script calls is in its environment, the same for the script as written and as the program runs it.
            assert.deepEqual(c.runConfig.environmentVariables, canaryEnvironment({ connectTo: ALB, hostName: "shop.example.com", path: "/health" }));
            assert.deepEqual(canaryTargetOf(c.runConfig.environmentVariables),
                { connectTo: ALB, hostName: "shop.example.com", path: "/health", port: 443, timeoutMs: 10_000 });
        });

        it("its function's log group: named by the function Synthetics created, the region's key, the retention rounded up, kept when the canary goes", async () => {
            const rec = await record(() => { new RegionCanary("t", args()); });
            const logs = rec.one(T.logGroup);
            // The mock's engineArn: arn:aws:lambda:<region>:<account>:function:cwsyn-<name>-<id>:1 (offline/evaluate.ts).
            assert.equal(logs.inputs.name, "/aws/lambda/cwsyn-shop-usw2-health-0123abcd-4567-89ef-0123-456789abcdef");
            assert.deepEqual([logs.inputs.retentionInDays, logs.inputs.kmsKeyId, logs.retainOnDelete], [60, LOG_KEY, true]);
            // The role cannot make the group first, unencrypted and kept forever: it only writes to it.
            const statement = JSON.parse(rec.one(T.rolePolicy).inputs.policy).Statement.find((s: any) => s.Sid === "ItsLambdaLogs");
            assert.deepEqual(statement.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
            const idle = await record(() => { new RegionCanary("t", args({ running: false })); });
            assert.equal(idle.ofType(T.logGroup).length, 0, "no canary, no function, no log group");
        });

        it("runs as a Lambda-trusted role of the given name, whose policy is scoped to the artifact prefix", async () => {
            const rec = await record(() => { new RegionCanary("t", args({ artifactPrefix: "canary" })); });
            const role = rec.one(T.role).inputs;
            assert.equal(role.name, "shop-usw2-canary");
            assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, { Service: "lambda.amazonaws.com" });
            const policy = JSON.parse(rec.one(T.rolePolicy).inputs.policy);
            assert.deepEqual(policy, canaryExecutionPolicy({ bucketName: LOGS, prefix: "canary", region: "us-west-2", accountId: ACCOUNT, canaryName: "shop-usw2-health" }));
            assert.equal(rec.one(T.canary).inputs.artifactS3Location, `s3://${LOGS}/canary/`);
            assert.match(rec.one(T.object).inputs.key, /^canary\/code\//);
        });

        it("alarms on SuccessPercent of its canary below 90 in 2 of 3 periods, missing data breaching, to the given actions", async () => {
            let canary: RegionCanary | undefined;
            const rec = await record(() => { canary = new RegionCanary("t", args()); });
            const a = rec.one(T.alarm).inputs;
            assert.deepEqual(
                [a.name, a.namespace, a.metricName, a.dimensions, a.statistic, a.period, a.evaluationPeriods, a.datapointsToAlarm, a.threshold, a.comparisonOperator, a.treatMissingData],
                ["shop-usw2-canary-health", "CloudWatchSynthetics", "SuccessPercent", { CanaryName: "shop-usw2-health" }, "Average", 300, 3, 2, 90, "LessThanThreshold", "breaching"]);
            assert.deepEqual(a.alarmActions, ["arn:aws:sns:us-west-2:123456789012:shop-usw2-dr-alarms"]);
            assert.deepEqual(a.okActions, a.alarmActions);
            assert.equal(await unwrap(canary!.alarmName), "shop-usw2-canary-health");
            assert.equal(await unwrap(canary!.alarmArn), mockArn(T.alarm, "t-alarm"));
            assert.equal(await unwrap(canary!.canaryName), "shop-usw2-health");
        });

        it("takes another path, schedule and runtime when given", async () => {
            const rec = await record(() => { new RegionCanary("t", args({ healthPath: "/ready", schedule: "rate(1 minute)", runtimeVersion: "syn-nodejs-puppeteer-14.0" })); });
            const c = rec.one(T.canary).inputs;
            assert.deepEqual([c.schedule.expression, c.runtimeVersion], ["rate(1 minute)", "syn-nodejs-puppeteer-14.0"]);
            assert.equal(c.runConfig.environmentVariables.HEALTH_PATH, "/ready");
        });

        it("refuses a name Synthetics would refuse, before creating anything", async () => {
            await assert.rejects(record(() => { new RegionCanary("t", args({ canaryName: "Shop-USW2" })); }), /lowercase/);
        });
    });
});

describe("operations: the monthly restore tests", () => {
    describe("model", () => {
        it("tests monthly, on the 1st at 06:00 UTC, in a cron expression AWS Backup accepts", () => {
            assert.equal(restoreTestSchedule(), "cron(0 6 1 * ? *)");
            assert.equal(backupCronProblem(restoreTestSchedule()), undefined);
            assert.equal(restoreTestSchedule(28, 23), "cron(0 23 28 * ? *)");
            assert.equal(backupCronProblem(restoreTestSchedule(28, 23)), undefined);
        });

        it("refuses days that skip February and hours that do not exist", () => {
            assert.throws(() => restoreTestSchedule(29), /February/);
            assert.throws(() => restoreTestSchedule(31), /February/);
            assert.throws(() => restoreTestSchedule(0), /1-28/);
            assert.throws(() => restoreTestSchedule(1, 24), /0-23/);
        });

        it("calls a test overdue past the longest month, the windows, the restore and a day: 780 hours, within the lookback", () => {
            assert.equal(maxRestoreTestAgeHours(), 31 * 24 + 4 + 4 + 4 + 24);
            assert.equal(maxRestoreTestAgeHours({ startWindowHours: 1, validationWindowHours: 1 }), 31 * 24 + 1 + 4 + 1 + 24);
            assert.ok(maxRestoreTestAgeHours() < RESTORE_CHECK_LOOKBACK_DAYS * 24, "the check must see the newest good job");
        });

        const RANGES: ReadonlyArray<readonly [period: number, periods: number, accepted: boolean]> = [
            [86_400, 31, false], // a month of daily periods: what a monthly alarm would need
            [86_400, 7, true],
            [3600, 168, true],
            [3600, 169, false],
            [300, 288, true],
            [300, 289, false], // under an hour: at most one day
        ];
        for (const [period, periods, accepted] of RANGES) {
            it(`alarm range ${period} s x ${periods}: ${accepted ? "accepted" : "refused"} by CloudWatch`, () => {
                assert.equal(alarmEvaluationRangeProblem(period, periods) === undefined, accepted);
            });
        }

        it("its alarms: a failure within the hour (no data is fine), and an overdue age in 6 hours (no data is not)", () => {
            assert.deepEqual({ ...FAILED_ALARM }, { statistic: "Sum", period: 3600, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" });
            assert.deepEqual({ ...overdueAlarm() }, { statistic: "Maximum", period: 21_600, evaluationPeriods: 1, threshold: 780, comparisonOperator: "GreaterThanThreshold", treatMissingData: "breaching" });
            assert.equal(alarmEvaluationRangeProblem(FAILED_ALARM.period, FAILED_ALARM.evaluationPeriods), undefined);
            assert.equal(alarmEvaluationRangeProblem(overdueAlarm().period, overdueAlarm().evaluationPeriods), undefined);
        });

        it("names the plan with underscores, the rest after the region's prefix", () => {
            assert.deepEqual(restoreTestNames("shop", "us-west-2"), {
                plan: "shop_usw2_restore_tests", restoreRole: "shop-usw2-restore-tests", checkFunction: "shop-usw2-restore-check",
                subnetGroup: "shop-usw2-restore-test", securityGroup: "shop-usw2-restore-test", alarmPrefix: "shop-usw2-restore-test",
            });
            assert.equal(restoreTestNames("my-shop", "us-east-1").plan, "my_shop_use1_restore_tests");
        });

        for (const region of REGIONS) {
            it(`gives a plan name AWS Backup accepts for the longest app name in ${region}`, () => {
                assert.equal(restoreTestingPlanNameProblem(restoreTestNames(LONGEST_APP, region).plan), undefined);
            });
        }

        it("refuses plan names with hyphens or over 50 characters", () => {
            assert.match(restoreTestingPlanNameProblem("shop-usw2")!, /underscores/);
            assert.match(restoreTestingPlanNameProblem("a".repeat(51))!, /1-50/);
            assert.equal(restoreTestingPlanNameProblem("a".repeat(50)), undefined);
        });

        it("places a restored Aurora cluster with its subnet group and security groups, the list as JSON", () => {
            assert.deepEqual(auroraRestoreOverrides({ subnetGroupName: "shop-usw2-restore-test", securityGroupIds: ["sg-1", "sg-2"] }),
                { DBSubnetGroupName: "shop-usw2-restore-test", VpcSecurityGroupIds: "[\"sg-1\",\"sg-2\"]" });
        });

        it("listens to this plan's restore jobs that completed, failed or were aborted", () => {
            assert.deepEqual(restoreJobEventPattern("arn:aws:backup:us-west-2:123456789012:restore-testing-plan:p"), {
                source: ["aws.backup"], "detail-type": ["Restore Job State Change"],
                detail: { restoreTestingPlanArn: ["arn:aws:backup:us-west-2:123456789012:restore-testing-plan:p"], status: ["COMPLETED", "FAILED", "ABORTED"] },
            });
        });

        it("lets the check read restore tests, touch only what restore tests create, and publish its own namespace", () => {
            const plan = "arn:aws:backup:us-west-2:123456789012:restore-testing-plan:shop_usw2_restore_tests-abc";
            const statements = restoreCheckPolicy({ region: "us-west-2", accountId: ACCOUNT, functionName: "shop-usw2-restore-check", planArn: plan })
                .Statement as ReadonlyArray<Record<string, any>>;
            // Its plan only, not every plan of the account (issue 17, 1.8).
            assert.equal(byActionOf(statements, "backup:GetRestoreTestingPlan").Resource, plan);
            const byAction = (action: string) => byActionOf(statements, action);
            assert.equal(byAction("rds:DescribeDBClusters").Resource, "arn:aws:rds:us-west-2:123456789012:cluster:awsbackup-restore-test-*");
            assert.equal(byAction("s3:ListBucket").Resource, "arn:aws:s3:::awsbackup-restore-test-*");
            assert.deepEqual(byAction("cloudwatch:PutMetricData").Condition, { StringEquals: { "cloudwatch:namespace": "multi-region-dr/RestoreTests" } });
            assert.equal(byAction("logs:PutLogEvents").Resource, "arn:aws:logs:us-west-2:123456789012:log-group:/aws/lambda/shop-usw2-restore-check:*");
            assert.ok(byAction("backup:PutRestoreValidationResult"));
            const all = statements.flatMap((st) => [st.Action].flat() as string[]);
            assert.ok(all.every((a) => !a.endsWith(":*") && !/^(s3|rds):(Get|Put|Delete|Create|Modify)/.test(a)), all.join(", "));
        });
    });

    describe("the check function's code, against stubbed AWS SDK clients", () => {
        const PLAN_ARN = "arn:aws:backup:us-west-2:123456789012:restore-testing-plan:shop_usw2_restore_tests-abc";
        const ENV = restoreCheckEnvironment("shop_usw2_restore_tests", PLAN_ARN, ["Aurora", "S3"]);
        type Handler = (input: any) => unknown;

        /** SDK v3 modules whose clients record each command sent and answer it with `handlers[<Command>]`. */
        function sdk(handlers: Record<string, Handler>) {
            const calls: { command: string; input: any }[] = [];
            const module = new Proxy({}, {
                get: (_target, prop: string) => prop.endsWith("Command")
                    ? class { readonly command = prop; constructor(readonly input: unknown) {} }
                    : class {
                        async send(c: { command: string; input: unknown }) {
                            calls.push({ command: c.command, input: c.input });
                            const handler = handlers[c.command];
                            if (!handler) throw new Error(`unexpected ${c.command}`);
                            return handler(c.input);
                        }
                    },
            });
            const modules = Object.fromEntries(["@aws-sdk/client-backup", "@aws-sdk/client-rds", "@aws-sdk/client-s3", "@aws-sdk/client-cloudwatch"].map((m) => [m, module]));
            return { calls, check: loadFunction(functionFiles("restoreCheck"), LAMBDA_LAYOUT.entry, modules, ENV, quiet) };
        }
        const event = (detail: Record<string, unknown>) => ({ source: "aws.backup", "detail-type": "Restore Job State Change", detail: { restoreTestingPlanArn: PLAN_ARN, restoreJobId: "job-1", ...detail } });
        const CLUSTER = "arn:aws:rds:us-west-2:123456789012:cluster:awsbackup-restore-test-abc";
        const BUCKET = "arn:aws:s3:::awsbackup-restore-test-xyz";
        const noted = () => undefined;
        const verdictOf = (calls: { command: string; input: any }[]) => calls.find((c) => c.command === "PutRestoreValidationResultCommand")?.input;
        const failuresOf = (calls: { command: string; input: any }[]) => calls.filter((c) => c.command === "PutMetricDataCommand")
            .flatMap((c) => c.input.MetricData).filter((d: any) => d.MetricName === "RestoreTestFailures");

        it("validates a completed Aurora test whose restored cluster is available and encrypted: SUCCESSFUL, no failure counted", async () => {
            const { calls, check } = sdk({
                DescribeDBClustersCommand: () => ({ DBClusters: [{ Status: "available", StorageEncrypted: true, Engine: "aurora-postgresql", EngineVersion: "16.6" }] }),
                PutRestoreValidationResultCommand: noted,
            });
            await check.handler(event({ status: "COMPLETED", resourceType: "Aurora", createdResourceArn: CLUSTER }));
            assert.deepEqual(calls.find((c) => c.command === "DescribeDBClustersCommand")!.input, { DBClusterIdentifier: CLUSTER });
            assert.equal(verdictOf(calls).RestoreJobId, "job-1");
            assert.equal(verdictOf(calls).ValidationStatus, "SUCCESSFUL");
            assert.deepEqual(failuresOf(calls), []);
            assert.match(logged[logged.length - 1], /job-1 \(Aurora\) SUCCESSFUL: restored cluster available/, "the verdict is in the function's log");
        });

        const AURORA_FAILURES: ReadonlyArray<readonly [label: string, describe: Handler, reason: RegExp]> = [
            ["not available", () => ({ DBClusters: [{ Status: "inaccessible-encryption-credentials", StorageEncrypted: true }] }), /not available/],
            ["not encrypted", () => ({ DBClusters: [{ Status: "available", StorageEncrypted: false }] }), /not encrypted/],
            ["gone", () => { throw Object.assign(new Error("no such cluster"), { name: "DBClusterNotFoundFault" }); }, /not found/],
        ];
        for (const [label, describeCluster, reason] of AURORA_FAILURES) {
            it(`fails an Aurora test whose restored cluster is ${label}, and counts the failure for Aurora`, async () => {
                const { calls, check } = sdk({ DescribeDBClustersCommand: describeCluster, PutRestoreValidationResultCommand: noted, PutMetricDataCommand: noted });
                await check.handler(event({ status: "COMPLETED", resourceType: "Aurora", createdResourceArn: CLUSTER }));
                assert.equal(verdictOf(calls).ValidationStatus, "FAILED");
                assert.match(verdictOf(calls).ValidationStatusMessage, reason);
                const failures = failuresOf(calls);
                assert.equal(failures.length, 1);
                assert.deepEqual(failures[0].Dimensions, [{ Name: "RestoreTestingPlan", Value: "shop_usw2_restore_tests" }, { Name: "ResourceType", Value: "Aurora" }]);
                assert.equal(failures[0].Value, 1);
                assert.equal(calls.find((c) => c.command === "PutMetricDataCommand")!.input.Namespace, "multi-region-dr/RestoreTests");
            });
        }

        it("posts no verdict on an error that may pass (throttling): it throws, so Lambda retries", async () => {
            const { calls, check } = sdk({ DescribeDBClustersCommand: () => { throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }); } });
            await assert.rejects(check.handler(event({ status: "COMPLETED", resourceType: "Aurora", createdResourceArn: CLUSTER })), /Rate exceeded/);
            assert.equal(verdictOf(calls), undefined);
        });

        const S3_CASES: ReadonlyArray<readonly [label: string, bytes: number, list: Handler, status: string]> = [
            ["holds objects", 2048, () => ({ KeyCount: 1 }), "SUCCESSFUL"],
            ["is empty, as its recovery point was", 0, () => ({ KeyCount: 0 }), "SUCCESSFUL"],
            ["is empty though bytes were restored", 2048, () => ({ KeyCount: 0 }), "FAILED"],
            ["does not exist", 2048, () => { throw Object.assign(new Error("gone"), { name: "NoSuchBucket" }); }, "FAILED"],
        ];
        for (const [label, bytes, list, status] of S3_CASES) {
            it(`S3 test whose restored bucket ${label}: ${status}`, async () => {
                const { calls, check } = sdk({
                    DescribeRestoreJobCommand: () => ({ BackupSizeInBytes: bytes }),
                    ListObjectsV2Command: list,
                    PutRestoreValidationResultCommand: noted,
                    PutMetricDataCommand: noted,
                });
                await check.handler(event({ status: "COMPLETED", resourceType: "S3", createdResourceArn: BUCKET }));
                assert.deepEqual(calls.find((c) => c.command === "ListObjectsV2Command")!.input, { Bucket: "awsbackup-restore-test-xyz", MaxKeys: 1 });
                assert.equal(verdictOf(calls).ValidationStatus, status);
                assert.equal(failuresOf(calls).length, status === "FAILED" ? 1 : 0);
            });
        }

        for (const status of ["FAILED", "ABORTED"]) {
            it(`counts a restore job that ended ${status} as a failure of its type, without validating anything`, async () => {
                const { calls, check } = sdk({ PutMetricDataCommand: noted });
                await check.handler(event({ status, resourceType: "S3" }));
                assert.deepEqual(calls.map((c) => c.command), ["PutMetricDataCommand"]);
                assert.equal(failuresOf(calls)[0].Dimensions[1].Value, "S3");
            });
        }

        it("fails before any call when its environment lacks the plan or the types, naming what it lacks", async () => {
            const modules = { "@aws-sdk/client-backup": {}, "@aws-sdk/client-rds": {}, "@aws-sdk/client-s3": {}, "@aws-sdk/client-cloudwatch": {} };
            for (const missing of ["PLAN_NAME", "PLAN_ARN", "RESOURCE_TYPES"]) {
                const env = Object.fromEntries(Object.entries(ENV).filter(([key]) => key !== missing));
                const check = loadFunction(functionFiles("restoreCheck"), LAMBDA_LAYOUT.entry, modules, env, quiet);
                await assert.rejects(check.handler({ source: "aws.events" }), new RegExp(`${missing}=undefined`));
            }
        });

        it("reads back from its environment what the program writes there", () => {
            assert.deepEqual(restoreCheckSettingsOf(ENV), { planName: "shop_usw2_restore_tests", planArn: PLAN_ARN, resourceTypes: ["Aurora", "S3"] });
        });

        it("ignores another plan's jobs", async () => {
            const { calls, check } = sdk({});
            await check.handler({ ...event({ status: "FAILED", resourceType: "S3" }), detail: { restoreTestingPlanArn: "arn:other", status: "FAILED" } });
            assert.deepEqual(calls, []);
        });

        it("hourly: publishes per type the hours since the newest validated test, across pages, the plan's age before any", async () => {
            const now = Date.now();
            const hoursAgo = (h: number) => new Date(now - h * 3600_000);
            const { calls, check } = sdk({
                GetRestoreTestingPlanCommand: () => ({ RestoreTestingPlan: { CreationTime: hoursAgo(100) } }),
                ListRestoreJobsCommand: (input) => input.NextToken === undefined
                    ? {
                        RestoreJobs: [
                            { ResourceType: "Aurora", Status: "COMPLETED", ValidationStatus: "SUCCESSFUL", CompletionDate: hoursAgo(50) },
                            { ResourceType: "Aurora", Status: "COMPLETED", ValidationStatus: "FAILED", CompletionDate: hoursAgo(2) },
                        ],
                        NextToken: "page-2",
                    }
                    : { RestoreJobs: [{ ResourceType: "Aurora", Status: "COMPLETED", ValidationStatus: "SUCCESSFUL", CompletionDate: hoursAgo(10) }] },
                PutMetricDataCommand: noted,
            });
            const ages = await check.handler({ source: "aws.events", "detail-type": "Scheduled Event" });
            assert.deepEqual(ages, [{ type: "Aurora", hours: 10 }, { type: "S3", hours: 100 }]);
            const lists = calls.filter((c) => c.command === "ListRestoreJobsCommand").map((c) => c.input);
            assert.equal(lists.length, 2);
            assert.equal(lists[0].ByRestoreTestingPlanArn, PLAN_ARN);
            assert.equal(lists[0].ByStatus, "COMPLETED");
            assert.ok(Math.abs(now - lists[0].ByCreatedAfter.getTime() - RESTORE_CHECK_LOOKBACK_DAYS * 86_400_000) < 60_000);
            assert.equal(lists[1].NextToken, "page-2");
            const data = calls.find((c) => c.command === "PutMetricDataCommand")!.input.MetricData;
            assert.deepEqual(data.map((d: any) => [d.MetricName, d.Dimensions[1].Value, d.Value]),
                [["HoursSinceValidatedRestoreTest", "Aurora", 10], ["HoursSinceValidatedRestoreTest", "S3", 100]]);
        });
    });

    describe("RestoreTests", () => {
        const VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-usw2-backups";
        const TOPIC = "arn:aws:sns:us-west-2:123456789012:shop-usw2-dr-alarms";
        const names = restoreTestNames("shop", "us-west-2");
        const args = (extra: Partial<RestoreTestsArgs> = {}): RestoreTestsArgs => ({
            planName: names.plan,
            restoreRoleName: names.restoreRole,
            checkFunctionName: names.checkFunction,
            region: "us-west-2",
            accountId: pulumi.output(ACCOUNT),
            vaultArn: pulumi.output(VAULT),
            aurora: { vpcId: "vpc-1", subnetIds: pulumi.output(["priv-a", "priv-b"]), subnetGroupName: names.subnetGroup, securityGroupName: names.securityGroup },
            s3: {},
            alarmNamePrefix: names.alarmPrefix,
            alarmActions: [TOPIC],
            logs: { kmsKeyArn: LOG_KEY, retentionDays: 60 },
            ...extra,
        });
        const PLAN_ARN = mockArn(T.plan, "t-plan");

        it("plans a monthly test of the newest snapshot of the last 7 days, from the given vault only, started within 4 hours", async () => {
            const rec = await record(() => { new RestoreTests("t", args()); });
            const plan = rec.one(T.plan).inputs;
            assert.deepEqual([plan.name, plan.scheduleExpression, plan.startWindowHours], ["shop_usw2_restore_tests", "cron(0 6 1 * ? *)", 4]);
            assert.deepEqual(plan.recoveryPointSelection, {
                algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [VAULT], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 7,
            });
        });

        it("selects Aurora into an isolated security group and its own subnet group, and S3 into a new bucket, validated for 4 hours", async () => {
            const rec = await record(() => { new RestoreTests("t", args()); });
            const aurora = rec.one(T.selection, "-aurora").inputs;
            assert.deepEqual([aurora.name, aurora.restoreTestingPlanName, aurora.protectedResourceType, aurora.protectedResourceArns, aurora.validationWindowHours],
                ["aurora", "shop_usw2_restore_tests", "Aurora", ["*"], 4]);
            assert.deepEqual(aurora.restoreMetadataOverrides, { DBSubnetGroupName: "shop-usw2-restore-test", VpcSecurityGroupIds: "[\"t-aurora-sg-id\"]" });
            const s3 = rec.one(T.selection, "-s3").inputs;
            assert.deepEqual([s3.name, s3.protectedResourceType, s3.protectedResourceArns, s3.validationWindowHours, s3.restoreMetadataOverrides],
                ["s3", "S3", ["*"], 4, undefined]);
            const sg = rec.one(T.securityGroup).inputs;
            assert.deepEqual([sg.name, sg.vpcId, sg.ingress, sg.egress], ["shop-usw2-restore-test", "vpc-1", [], []]);
            const subnets = rec.one(T.subnetGroup).inputs;
            assert.deepEqual([subnets.name, subnets.subnetIds], ["shop-usw2-restore-test", ["priv-a", "priv-b"]]);
            for (const selection of [aurora, s3]) {
                assert.equal(selection.iamRoleArn, mockArn(T.role, "t-restore-role"));
            }
        });

        it("restores as a role AWS Backup assumes, holding the restore policies only (RDS/Aurora and S3), before any selection", async () => {
            const rec = await record(() => { new RestoreTests("t", args()); });
            const role = rec.ofType(T.role).find((r) => r.name === "t-restore-role")!.inputs;
            assert.equal(role.name, "shop-usw2-restore-tests");
            assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, { Service: "backup.amazonaws.com" });
            assert.deepEqual(rec.ofType(T.attachment).map((a) => a.inputs.policyArn).sort(), [...RESTORE_ROLE_POLICY_ARNS].sort());
            assert.ok(RESTORE_ROLE_POLICY_ARNS.every((arn) => /Restore/.test(arn)));
        });

        it("passes explicit protected resources through", async () => {
            const cluster = "arn:aws:rds:us-east-1:123456789012:cluster:shop-use1-aurora";
            const bucket = "arn:aws:s3:::shop-data-123456789012-us-east-1";
            const rec = await record(() => {
                new RestoreTests("t", args({ aurora: { ...args().aurora!, protectedResourceArns: [cluster] }, s3: { protectedResourceArns: [bucket] } }));
            });
            assert.deepEqual(rec.one(T.selection, "-aurora").inputs.protectedResourceArns, [cluster]);
            assert.deepEqual(rec.one(T.selection, "-s3").inputs.protectedResourceArns, [bucket]);
        });

        it("runs the check on Node.js 22 with the plan and the types in its environment, its code functions/restoreCheck.ts packaged, its log group kept 60 days", async () => {
            const rec = await record(() => { new RestoreTests("t", args()); });
            const fn = rec.one(T.function).inputs;
            assert.deepEqual([fn.name, fn.runtime, fn.handler, fn.timeout], ["shop-usw2-restore-check", "nodejs24.x", "index.handler", 60]);
            assert.deepEqual(fn.environment, { variables: { PLAN_NAME: "shop_usw2_restore_tests", PLAN_ARN, RESOURCE_TYPES: "Aurora,S3" } });
            assert.deepEqual(await archiveFiles(fn.code), functionFiles("restoreCheck"));
            const role = rec.ofType(T.role).find((r) => r.name === "t-check-role")!.inputs;
            assert.deepEqual([role.name, JSON.parse(role.assumeRolePolicy).Statement[0].Principal], ["shop-usw2-restore-check", { Service: "lambda.amazonaws.com" }]);
            assert.deepEqual(JSON.parse(rec.one(T.rolePolicy).inputs.policy),
                restoreCheckPolicy({ region: "us-west-2", accountId: ACCOUNT, functionName: "shop-usw2-restore-check", planArn: PLAN_ARN }));
            const logs = rec.one(T.logGroup).inputs;
            assert.deepEqual([logs.name, logs.retentionInDays, logs.kmsKeyId], ["/aws/lambda/shop-usw2-restore-check", 60, LOG_KEY]);
        });

        it("invokes the check on this plan's job events and hourly, each rule allowed to invoke it and no other", async () => {
            const rec = await record(() => { new RestoreTests("t", args()); });
            const jobs = rec.one(T.rule, "-jobs").inputs;
            assert.deepEqual(JSON.parse(jobs.eventPattern), restoreJobEventPattern(PLAN_ARN));
            assert.equal(rec.one(T.rule, "-hourly").inputs.scheduleExpression, "rate(1 hour)");
            const targets = rec.ofType(T.target).map((t) => [t.inputs.rule, t.inputs.arn]);
            assert.deepEqual(targets, [["shop-usw2-restore-check-jobs", mockArn(T.function, "t-check")], ["shop-usw2-restore-check-hourly", mockArn(T.function, "t-check")]]);
            const permissions = rec.ofType(T.permission).map((p) => [p.inputs.principal, p.inputs.function, p.inputs.sourceArn]);
            assert.deepEqual(permissions, [
                ["events.amazonaws.com", "shop-usw2-restore-check", mockArn(T.rule, "t-jobs")],
                ["events.amazonaws.com", "shop-usw2-restore-check", mockArn(T.rule, "t-hourly")],
            ]);
        });

        it("alarms per store on a failure within the hour and on no validated test for 780 hours (or no report), to the given actions", async () => {
            let tests: RestoreTests | undefined;
            const rec = await record(() => { tests = new RestoreTests("t", args()); });
            const alarms = rec.ofType(T.alarm).map((a) => a.inputs);
            assert.deepEqual(await unwrap(tests!.alarmNames), [
                "shop-usw2-restore-test-aurora-failed", "shop-usw2-restore-test-aurora-overdue", "shop-usw2-restore-test-s3-failed", "shop-usw2-restore-test-s3-overdue",
            ]);
            for (const a of alarms) {
                const type = a.name.includes("aurora") ? "Aurora" : "S3";
                assert.equal(a.namespace, "multi-region-dr/RestoreTests");
                assert.deepEqual(a.dimensions, { RestoreTestingPlan: "shop_usw2_restore_tests", ResourceType: type });
                assert.deepEqual([a.alarmActions, a.okActions], [[TOPIC], [TOPIC]]);
                const expected = a.name.endsWith("-failed")
                    ? ["RestoreTestFailures", "Sum", 3600, 1, 0, "GreaterThanThreshold", "notBreaching"]
                    : ["HoursSinceValidatedRestoreTest", "Maximum", 21_600, 1, 780, "GreaterThanThreshold", "breaching"];
                assert.deepEqual([a.metricName, a.statistic, a.period, a.evaluationPeriods, a.threshold, a.comparisonOperator, a.treatMissingData], expected, a.name);
            }
            assert.equal(await unwrap(tests!.planName), "shop_usw2_restore_tests");
            assert.equal(await unwrap(tests!.planArn), PLAN_ARN);
        });

        it("with S3 only: no Aurora selection, security group or subnet group; the check watches S3 alone", async () => {
            const rec = await record(() => { new RestoreTests("t", args({ aurora: undefined })); });
            assert.equal(rec.ofType(T.selection).length, 1);
            assert.equal(rec.has(T.securityGroup), false);
            assert.equal(rec.has(T.subnetGroup), false);
            assert.deepEqual(rec.ofType(T.alarm).map((a) => a.inputs.name), ["shop-usw2-restore-test-s3-failed", "shop-usw2-restore-test-s3-overdue"]);
            assert.equal(rec.one(T.function).inputs.environment.variables.RESOURCE_TYPES, "S3");
            assert.deepEqual(await archiveFiles(rec.one(T.function).inputs.code), functionFiles("restoreCheck"));
        });

        it("takes another schedule AWS Backup accepts", async () => {
            const rec = await record(() => { new RestoreTests("t", args({ schedule: "cron(30 2 15 * ? *)" })); });
            assert.equal(rec.one(T.plan).inputs.scheduleExpression, "cron(30 2 15 * ? *)");
        });

        it("refuses, all problems in one message and before any resource: a bad plan name, a bad schedule, nothing to test", async () => {
            await assert.rejects(
                record(() => { new RestoreTests("t", args({ planName: "shop-usw2", schedule: "cron(0 99 1 * ? *)", aurora: undefined, s3: undefined })); }),
                (err: Error & { recorded?: { type: string }[] }) => {
                    assert.match(err.message, /underscores.*hour 99.*nothing to test/);
                    assert.deepEqual((err.recorded ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "multi-region-dr:components:RestoreTests").map((r) => r.type), []);
                    return true;
                },
            );
        });
    });
});

describe("operations per tier and stack: where canaries run and restore tests exist", () => {
    const CANARY = "aws:synthetics/canary:Canary";
    const RESTORE_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
    const RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
    const RUNS: Record<string, { prod: boolean; dr: boolean }> = {
        "backup-restore": { prod: true, dr: false },
        "pilot-light": { prod: true, dr: false },
        "warm-standby": { prod: true, dr: true },
        "active-active": { prod: true, dr: true },
    };
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: a canary ${RUNS[strategy][stack] ? "runs" : "stands by (role and code only)"}; restore tests ${stack === "dr" ? "in its vault" : "none (the dr region's)"}`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const code = stack === "prod" ? "use1" : "usw2";
                assert.equal(r.has(CANARY), RUNS[strategy][stack]);
                assert.ok(r.ofType("aws:iam/role:Role").some((x) => x.inputs.name === `shop-${code}-canary`), "the canary's role stands by");
                if (RUNS[strategy][stack]) {
                    assert.equal(r.one(CANARY).inputs.name, `shop-${code}-health`);
                    assert.equal(r.outputs.canaryName, `shop-${code}-health`);
                }
                assert.equal(r.has(RESTORE_PLAN), stack === "dr");
                if (stack === "dr") {
                    const selections = r.ofType(RESTORE_SELECTION).map((x) => x.inputs.protectedResourceType).sort();
                    assert.deepEqual(selections, ["Aurora", "S3"], "the primary copies both stores into the dr vault in every tier");
                    assert.equal(r.outputs.restoreTestingPlanName, "shop_usw2_restore_tests");
                }
            });
        }
    }

    it("dr:canaries=false and dr:restoreTests=false turn them off; a promoted pilot light starts its canary", async () => {
        const off = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:canaries": "false", "dr:restoreTests": "false" });
        assert.deepEqual([off.has(CANARY), off.has(RESTORE_PLAN)], [false, false]);
        assert.equal((await stackRun("dr", { "dr:strategy": "pilot-light", "dr:failover": "true" })).has(CANARY), true);
    });
});
