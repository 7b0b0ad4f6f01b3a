import { isPortfolio, parsePortfolioConfig } from "../model/portfolio";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { load as parseYaml } from "js-yaml";
// The AWS SDK's partition metadata (a dependency of every @aws-sdk client the project installs): which
// partition each Region is in, by AWS's own table, to check the split that npm run contract makes.
import { partition } from "@aws-sdk/core/client";
import { Region, ec2 } from "@pulumi/aws/types/enums";
import { awsRegionsModule, ec2InstanceTypesModule } from "../cli/contract";
import { AWS_REGIONS, OTHER_PARTITION_REGIONS } from "../model/awsRegions";
import { ConfigProblem, PROJECT_KEYS, formatProblems, parseDrConfig, readmeKeyTable } from "../model/config";
import { EC2_HOURLY_USD } from "../model/cost";
import { EC2_INSTANCE_TYPES } from "../model/ec2InstanceTypes";
import { HIBERNATING_FAMILIES, INSTANCE_MEMORY_GIB } from "../model/levers";
import { bucketName, logBucketName } from "../model/naming";
import { layeredConfig, stackNames } from "../model/tooling/stackFiles";
import { ROOT } from "../offline/evaluate";
import { stackError } from "./helpers";
import { RUNTIME_LIVES } from "../model/runtimes";

/** A valid dr stack's raw config, as the CLI would pass it. */
const VALID_DR: Record<string, string> = layeredConfig("dr");

function problemsOf(overrides: Record<string, string | undefined>, stack = "dr"): ConfigProblem[] {
    const raw = { ...(stack === "dr" ? VALID_DR : layeredConfig("prod")), ...overrides };
    const result = parseDrConfig(raw, stack);
    assert.equal(result.ok, false, `expected a problem for ${JSON.stringify(overrides)}`);
    return result.ok ? [] : [...result.problems];
}

describe("config contract", () => {
    it("Pulumi.yaml declares every key of model/config/contract.ts with the same type, description and default", () => {
        const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any;
        assert.equal(project.name, "dr", "project name dr makes the dr: keys the project's own");
        assert.deepEqual(Object.keys(project.config).sort(), PROJECT_KEYS.map((k) => k.name).sort());
        for (const { name, spec } of PROJECT_KEYS) {
            const decl = project.config[name];
            assert.equal(decl.type, spec.type, name);
            assert.equal(decl.description, spec.description, name);
            assert.equal(String(decl.default), spec.presence === "default" ? spec.default : "", name);
        }
    });

    it("the key table of docs/config.md is the contract's (npm run contract writes it), and CI runs the README's test command", () => {
        const configDoc = fs.readFileSync(path.join(ROOT, "docs", "config.md"), "utf8");
        const table = /<!-- config keys: [^\n]*-->\n([\s\S]*?)<!-- end of config keys -->/.exec(configDoc);
        assert.ok(table, "docs/config.md lost its generated key table");
        assert.equal(table[1], readmeKeyTable(), "docs/config.md's key table differs from model/config/contract.ts: run npm run contract");
        for (const { name } of PROJECT_KEYS) {
            assert.ok(table[1].includes(`| \`dr:${name}\` |`), `docs/config.md's key table lacks dr:${name}`);
        }
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.match(readme, /```sh\nnpm ci\nnpm test\n```/);
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        assert.match(ci, /^npm ci /m);
        assert.match(ci, /^npm test$/m);
    });

    it("the suite runs on the Node that package.json's engines asks for (node_modules/.bin/node where the system's is older)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const wanted = Number(/^>=(\d+)/.exec(pkg.engines.node)![1]);
        assert.ok(wanted >= 22, `engines.node ${pkg.engines.node}: Node 20 is past end of life`);
        const running = Number(process.versions.node.split(".")[0]);
        assert.ok(running >= wanted, `running Node ${process.version} (${process.execPath}), engines wants ${pkg.engines.node}: ` +
            "run the tests through npm (npm test), which puts node_modules/.bin/node first on PATH");
    });

    it("both shipped stack files are valid and agree on the regions and the app", () => {
        const prod = parseDrConfig(layeredConfig("prod"), "prod");
        const dr = parseDrConfig(layeredConfig("dr"), "dr");
        assert.ok(prod.ok && dr.ok);
        if (prod.ok && dr.ok) {
            assert.equal(prod.config.role, "primary");
            assert.equal(dr.config.role, "secondary");
            assert.equal(prod.config.strategy, "pilot-light");
            for (const k of ["primaryRegion", "drRegion", "appName", "strategy", "capacity", "dnsZoneId", "dnsName"] as const) {
                assert.equal(prod.config[k], dr.config[k], `${k} must match across the two stacks`);
            }
            assert.equal(prod.config.region, "us-east-1");
            assert.equal(dr.config.region, "us-west-2");
        }
    });

    it("accepts each of the four tiers on both stacks", () => {
        for (const strategy of ["backup-restore", "pilot-light", "warm-standby", "active-active"]) {
            for (const stack of ["prod", "dr"]) {
                const result = parseDrConfig({ ...layeredConfig(stack), "dr:strategy": strategy }, stack);
                assert.ok(result.ok, `${strategy} on ${stack}: ${result.ok ? "" : formatProblems(result.problems, stack)}`);
                if (result.ok) assert.equal(result.config.strategy, strategy);
            }
        }
    });

    it("applies the documented defaults when keys are unset", () => {
        const result = parseDrConfig({ ...VALID_DR, "dr:capacity": undefined, "dr:failover": undefined, "dr:healthCheckIntervalSeconds": undefined }, "dr");
        assert.ok(result.ok);
        if (result.ok) {
            assert.equal(result.config.capacity, 4);
            assert.equal(result.config.failover, false);
            assert.equal(result.config.healthCheckIntervalSeconds, 10);
            assert.equal(result.config.healthCheckFailureThreshold, 3);
        }
    });
});

describe("bad config: each problem names the key, the value, what is allowed and the fix", () => {
    const cases: { name: string; overrides: Record<string, string | undefined>; key: string; value: string; allowed: RegExp; fix: string }[] = [
        { name: "unknown strategy", overrides: { "dr:strategy": "hot-spare" }, key: "dr:strategy", value: "\"hot-spare\"",
            allowed: /one of backup-restore, pilot-light, warm-standby, active-active/, fix: "pulumi config set dr:strategy pilot-light -s dr" },
        { name: "role/region mismatch", overrides: { "aws:region": "us-east-1" }, key: "aws:region", value: "\"us-east-1\"",
            allowed: /must equal dr:drRegion \(us-west-2\) on a stack with dr:role secondary/, fix: "pulumi config set aws:region us-west-2 -s dr" },
        { name: "N = 0", overrides: { "dr:capacity": "0" }, key: "dr:capacity", value: "\"0\"",
            allowed: /a whole number from 1 to 1000/, fix: "pulumi config set dr:capacity 4 -s dr" },
        { name: "N = -1", overrides: { "dr:capacity": "-1" }, key: "dr:capacity", value: "\"-1\"",
            allowed: /a whole number from 1 to 1000/, fix: "pulumi config set dr:capacity 4 -s dr" },
        { name: "N = 2.5", overrides: { "dr:capacity": "2.5" }, key: "dr:capacity", value: "\"2.5\"",
            allowed: /a whole number from 1 to 1000/, fix: "pulumi config set dr:capacity 4 -s dr" },
        { name: "N = abc", overrides: { "dr:capacity": "abc" }, key: "dr:capacity", value: "\"abc\"",
            allowed: /a whole number from 1 to 1000/, fix: "pulumi config set dr:capacity 4 -s dr" },
        { name: "missing DNS zone", overrides: { "dr:dnsZoneId": undefined }, key: "dr:dnsZoneId", value: "(not set)",
            allowed: /is not set: must be a Route 53 hosted zone id/, fix: "pulumi config set dr:dnsZoneId Z0123456789ABCDEFGHIJ -s dr" },
        { name: "missing DNS name", overrides: { "dr:dnsName": "" }, key: "dr:dnsName", value: "(not set)",
            allowed: /is not set: must be a lowercase DNS name/, fix: "pulumi config set dr:dnsName app.example.com -s dr" },
        { name: "health-check interval Route 53 does not offer", overrides: { "dr:healthCheckIntervalSeconds": "15" }, key: "dr:healthCheckIntervalSeconds",
            value: "\"15\"", allowed: /must be 10 or 30/, fix: "pulumi config set dr:healthCheckIntervalSeconds 10 -s dr" },
        { name: "failure threshold out of range", overrides: { "dr:healthCheckFailureThreshold": "11" }, key: "dr:healthCheckFailureThreshold",
            value: "\"11\"", allowed: /a whole number from 1 to 10/, fix: "pulumi config set dr:healthCheckFailureThreshold 3 -s dr" },
        { name: "failover not a boolean", overrides: { "dr:failover": "yes" }, key: "dr:failover", value: "\"yes\"",
            allowed: /must be true or false/, fix: "pulumi config set dr:failover false -s dr" },
        { name: "same region twice", overrides: { "dr:primaryRegion": "us-west-2" }, key: "dr:drRegion", value: "\"us-west-2\"",
            allowed: /must differ from dr:primaryRegion/, fix: "pulumi config set dr:drRegion \"<another-region>\" -s dr" },
        { name: "missing role: the hint follows from the stack's region", overrides: { "dr:role": undefined }, key: "dr:role", value: "(not set)",
            allowed: /must be primary \(the prod stack\) or secondary \(the dr stack\)/, fix: "pulumi config set dr:role secondary -s dr" },
        { name: "app name unusable in AWS names", overrides: { "dr:appName": "Shop_App" }, key: "dr:appName", value: "\"Shop_App\"",
            allowed: /2-16 lowercase letters, digits and single hyphens/, fix: "pulumi config set dr:appName shop -s dr" },
        { name: "an app name that begins with xn--, which S3 reserves at a bucket name's start", overrides: { "dr:appName": "xn--shop" }, key: "dr:appName",
            value: "\"xn--shop\"", allowed: /2-16 lowercase letters, digits and single hyphens/, fix: "pulumi config set dr:appName shop -s dr" },
        { name: "a Region that does not exist", overrides: { "dr:primaryRegion": "us-east-7" }, key: "dr:primaryRegion", value: "\"us-east-7\"",
            allowed: /must be a Region of the aws partition, such as us-east-1; us-east-7 is not one: did you mean us-east-1\?/,
            fix: "pulumi config set dr:primaryRegion us-east-1 -s dr" },
        { name: "an instance type EC2 does not have", overrides: { "dr:instanceType": "x9.gigantic" }, key: "dr:instanceType", value: "\"x9.gigantic\"",
            allowed: /must be an EC2 instance type @pulumi\/aws knows, such as t3\.medium; x9\.gigantic is not one, nor close to one \(the nearest is [a-z0-9]/,
            fix: "pulumi config set dr:instanceType t3.medium -s dr" },
        { name: "the dr region in another partition", overrides: { "dr:drRegion": "cn-north-1", "aws:region": "cn-north-1" }, key: "dr:drRegion",
            value: "\"cn-north-1\"", allowed: /cn-north-1 is a Region of the aws-cn partition, which this release does not support: it deploys to the aws partition only/,
            fix: "pulumi config set dr:drRegion us-west-2 -s dr" },
    ];

    for (const c of cases) {
        it(`${c.name}: the whole program fails before creating anything, with a clear message`, async () => {
            const message = await stackError("dr", c.overrides);
            const line = message.split("\n").find((l) => l.includes(`${c.key} = ${c.value}`));
            assert.ok(line, `no line for ${c.key} = ${c.value} in:\n${message}`);
            assert.match(line!, c.allowed);
            assert.ok(message.includes(`fix: ${c.fix}`), `missing "fix: ${c.fix}" in:\n${message}`);
        });
    }

    const SNAPSHOT = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1234";
    const backupRestore = { "dr:strategy": "backup-restore" };
    const restoreRules: { name: string; overrides: Record<string, string | undefined>; stack?: string; message: RegExp; fix: string }[] = [
        { name: "a backup-restore failover without dr:restoreFrom", overrides: { ...backupRestore, "dr:failover": "true" },
            message: /is required when a backup-restore dr stack fails over/, fix: "pulumi config set dr:restoreFrom \"<cluster-snapshot-arn>\" -s dr" },
        { name: "dr:restoreFrom on a tier that promotes a replica", overrides: { "dr:restoreFrom": SNAPSHOT },
            message: /applies only to dr:strategy backup-restore; pilot-light promotes its live replica instead/, fix: "pulumi config rm dr:restoreFrom -s dr" },
        { name: "a recovery point in the primary region", overrides: { ...backupRestore, "dr:failover": "true", "dr:restoreFrom": SNAPSHOT.replace("us-west-2", "us-east-1") },
            message: /is in us-east-1, not in the region it restores into \(us-west-2\): restore from the copy in that region's vault/, fix: "pulumi config set dr:restoreFrom \"<cluster-snapshot-arn>\" -s dr" },
        { name: "a restore source that is not a cluster snapshot ARN", overrides: { ...backupRestore, "dr:failover": "true", "dr:restoreFrom": "snap-123" },
            message: /must be an Aurora cluster snapshot ARN in dr:drRegion/, fix: "pulumi config set dr:restoreFrom \"<cluster-snapshot-arn>\" -s dr" },
        { name: "a compliance lock changeable for fewer than 3 days", overrides: { "dr:vaultLockMode": "compliance", "dr:vaultLockChangeableForDays": "2" },
            message: /Vault Lock compliance mode needs ChangeableForDays >= 3/, fix: "pulumi config set dr:vaultLockChangeableForDays 3 -s dr" },
        { name: "an unknown vault lock mode", overrides: { "dr:vaultLockMode": "strict" },
            message: /must be governance or compliance/, fix: "pulumi config set dr:vaultLockMode governance -s dr" },
        { name: "a backup schedule more often than hourly", overrides: { "dr:backupSchedule": "cron(*/15 * * * ? *)" },
            message: /AWS Backup runs at most hourly/, fix: "pulumi config set dr:backupSchedule \"cron(0 * * * ? *)\" -s dr" },
        { name: "backup retention of 0 days", overrides: { "dr:backupRetentionDays": "0" },
            message: /a whole number from 1 to 36500/, fix: "pulumi config set dr:backupRetentionDays 14 -s dr" },
        { name: "an active-active share below half", overrides: { "dr:activeActiveCapacityPercent": "40" },
            message: /a whole number from 50 to 100/, fix: "pulumi config set dr:activeActiveCapacityPercent 100 -s dr" },
        { name: "an unknown routing policy", overrides: { "dr:routingPolicy": "geo" },
            message: /must be latency or weighted/, fix: "pulumi config set dr:routingPolicy latency -s dr" },
        { name: "a routing weight above 255", overrides: { "dr:routingWeight": "256" },
            message: /a whole number from 0 to 255/, fix: "pulumi config set dr:routingWeight 50 -s dr" },
    ];
    const CERT = "arn:aws:acm:us-west-2:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";
    restoreRules.push(
        { name: "a certificate of the other region", overrides: { "dr:certificateArn": CERT.replace("us-west-2", "us-east-1") },
            message: /^is in us-east-1, not in this stack's region us-west-2: an ALB takes a certificate of its own region/, fix: "pulumi config set dr:certificateArn \"<acm-certificate-arn>\" -s dr" },
        { name: "a certificate ARN that is not ACM's", overrides: { "dr:certificateArn": "arn:aws:iam::123456789012:server-certificate/x" },
            message: /^must be an ACM certificate ARN in this stack's region/, fix: "pulumi config set dr:certificateArn \"<acm-certificate-arn>\" -s dr" },
        { name: "an AMI id of the wrong shape", overrides: { "dr:imageId": "ami-xyz" },
            message: /^must be an AMI id such as ami-0123456789abcdef0/, fix: "pulumi config set dr:imageId ami-0123456789abcdef0 -s dr" },
        { name: "both an AMI id and an image parameter", overrides: { "dr:imageId": "ami-0123456789abcdef0", "dr:imageParameter": "/shop/ami" },
            message: /^excludes dr:imageId: the app's image comes from one of them/, fix: "pulumi config rm dr:imageParameter -s dr  (or pulumi config rm dr:imageId -s dr)" },
        { name: "an image parameter without its leading slash", overrides: { "dr:imageParameter": "shop/ami" },
            message: /^must be an SSM parameter name starting with \//, fix: "pulumi config set dr:imageParameter /app/ami -s dr" },
        { name: "a user data path out of the project", overrides: { "dr:userDataFile": "../secrets.sh" },
            message: /^must be a path relative to the project's folder, without ".."/, fix: "pulumi config set dr:userDataFile app/user-data.sh -s dr" },
        { name: "an address that is not one", overrides: { "dr:alarmEmails": "[\"oncall@example.com\", \"pager\"]" },
            message: /^must be a list of email addresses[^;]*; "pager" is not an email address$/, fix: "pulumi config set --path \"dr:alarmEmails[0]\" oncall@example.com -s dr" },
        { name: "a list that is not JSON", overrides: { "dr:alarmEmails": "[oncall@example.com" },
            message: /it starts like a JSON list but is not one/, fix: "pulumi config set --path \"dr:alarmEmails[0]\" oncall@example.com -s dr" },
        { name: "a pager topic of the other region", overrides: { "dr:alarmTopicArns": "[\"arn:aws:sns:us-east-1:123456789012:pager\"]" },
            message: /^is in us-east-1, not in this stack's region us-west-2: a CloudWatch alarm notifies topics of its own region/,
            fix: "pulumi config set --path \"dr:alarmTopicArns[0]\" \"arn:aws:sns:us-west-2:<account>:<topic>\" -s dr" },
        { name: "log retention of 0 days", overrides: { "dr:logRetentionDays": "0" },
            message: /a whole number from 1 to 3650/, fix: "pulumi config set dr:logRetentionDays 90 -s dr" },
        { name: "a root device that is not a device", overrides: { "dr:rootDeviceName": "xvda" },
            message: /^must be a device name such as \/dev\/xvda/, fix: "pulumi config set dr:rootDeviceName /dev/xvda -s dr" },
        { name: "a Region switch plan without an approver", overrides: { "dr:regionSwitch": "true" },
            message: /^must name at least one principal when dr:regionSwitch is true/,
            fix: "pulumi config set --path \"dr:approverArns[0]\" arn:aws:iam::123456789012:role/incident-commander -s dr" },
        { name: "an approver that is not a principal ARN", overrides: { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/*" },
            message: /"arn:aws:iam::123456789012:role\/\*" is not an IAM role, user or account ARN/,
            fix: "pulumi config set --path \"dr:approverArns[0]\" arn:aws:iam::123456789012:role/incident-commander -s dr" },
    );

    for (const c of restoreRules) {
        it(`${c.name} is refused with the fix`, () => {
            const problems = problemsOf(c.overrides, c.stack);
            const p = problems.find((x) => c.message.test(x.message));
            assert.ok(p, `no problem matching ${c.message} in ${JSON.stringify(problems)}`);
            assert.equal(p!.fix, c.fix);
        });
    }

    it("a backup-restore failover with a recovery point in the dr region is valid; an empty restoreFrom is unset", () => {
        const restore = parseDrConfig({ ...VALID_DR, ...backupRestore, "dr:failover": "true", "dr:restoreFrom": SNAPSHOT }, "dr");
        const restoreProblems = restore.ok ? [] : restore.problems.filter((p) => p.key === "dr:restoreFrom");
        assert.deepEqual(restoreProblems, []);
        if (restore.ok) assert.equal(restore.config.restoreFrom, SNAPSHOT);
        const unset = parseDrConfig({ ...VALID_DR, "dr:restoreFrom": "" }, "dr");
        assert.ok(unset.ok);
        if (unset.ok) assert.equal(unset.config.restoreFrom, undefined);
    });

    it("failover=true on the prod stack is refused: only the dr stack is promoted", () => {
        const [p] = problemsOf({ "dr:failover": "true" }, "prod");
        assert.equal(p.key, "dr:failover");
        assert.match(p.message, /applies only to the dr stack/);
        assert.equal(p.fix, "pulumi config set dr:failover false -s prod");
    });

    it("reports every problem at once, numbered, in one message", async () => {
        const message = await stackError("dr", { "dr:capacity": "abc", "dr:strategy": "x", "dr:dnsName": undefined });
        assert.match(message, /^Stack "dr" has 3 configuration problems:/);
        assert.match(message, /1\. dr:strategy/);
        assert.match(message, /2\. dr:capacity/);
        assert.match(message, /3\. dr:dnsName/);
    });

    it("formats a single problem in the singular", () => {
        const text = formatProblems(problemsOf({ "dr:capacity": "0" }), "dr");
        assert.match(text, /^Stack "dr" has 1 configuration problem:\n  1\. dr:capacity = "0": must be a whole number from 1 to 1000\.\n     fix: pulumi config set dr:capacity 4 -s dr$/);
    });
});

describe("bad config a new user writes: typos, empty values, impossible schedules, endpoints and ARNs", () => {
    /** The one problem of a stack's config with these overrides. */
    function problem(overrides: Record<string, string | undefined>, stack = "dr"): ConfigProblem {
        const problems = problemsOf(overrides, stack);
        assert.equal(problems.length, 1, JSON.stringify(problems));
        return problems[0];
    }

    describe("a misspelled dr: key is an error that names the key meant, and the fix keeps the value", () => {
        const typos: [written: string, value: string, meant: string][] = [
            ["dr:stratgy", "warm-standby", "dr:strategy"],
            ["dr:appname", "shop", "dr:appName"],
            ["dr:capacty", "8", "dr:capacity"],
            ["dr:healthCheckIntervalSecond", "30", "dr:healthCheckIntervalSeconds"],
            ["dr:Failover", "true", "dr:failover"],
        ];
        for (const [written, value, meant] of typos) {
            it(`${written}: ${value} (did you mean ${meant}?), before anything is created`, async () => {
                const message = await stackError("dr", { [written]: value });
                assert.match(message, new RegExp(`${written} = "${value}": is not a key of this program: did you mean ${meant}\\?`));
                assert.ok(message.includes(`fix: pulumi config rm ${written} -s dr && pulumi config set ${meant} ${value} -s dr`), message);
            });
        }

        it("a dr: key like no other is refused without a guess; keys of other namespaces are left alone", () => {
            const p = problem({ "dr:zzzzzz": "1" });
            assert.equal(p.key, "dr:zzzzzz");
            assert.match(p.message, /is not a key of this program \(docs\/config\.md/);
            assert.equal(p.fix, "pulumi config rm dr:zzzzzz -s dr");
            assert.ok(parseDrConfig({ ...VALID_DR, "aws:profile": "prod-admin", "team:owner": "platform" }, "dr").ok);
        });
    });

    describe("an empty value is an error where the key has a default: it does not silently mean the default", () => {
        for (const [key, fix] of [["dr:appName", "shop"], ["dr:capacity", "4"], ["dr:strategy", "pilot-light"], ["dr:backupSchedule", "\"cron(0 * * * ? *)\""]]) {
            it(`${key} = ""`, async () => {
                const message = await stackError("dr", { [key]: "" });
                assert.match(message, new RegExp(`${key} = "": is empty: must be .*; an empty value does not mean the default`));
                assert.ok(message.includes(`fix: pulumi config set ${key} ${fix} -s dr`), message);
            });
        }

        it("keys without a default (Pulumi.yaml declares \"\") still read empty as unset", () => {
            const result = parseDrConfig({ ...VALID_DR, "dr:rtoTargetSeconds": "", "dr:awsEndpoint": "" }, "dr");
            assert.ok(result.ok);
            if (result.ok) assert.deepEqual([result.config.rtoTargetSeconds, result.config.awsEndpoint], [undefined, undefined]);
        });
    });

    describe("a backup schedule that matches the pattern but cannot be right", () => {
        const bad: [cron: string, why: RegExp][] = [
            ["cron(0 99 * * ? *)", /hour 99 is not 0-23/],
            ["cron(0 5 * * * *)", /exactly one of day-of-month and day-of-week must be \?/],
            ["cron(0 5 ? * ? *)", /exactly one of day-of-month and day-of-week must be \?/],
            ["cron(0 5 31 2 ? *)", /day 31 never comes in FEB: the plan would never run/],
            ["cron(0 5 31 APR,JUN ? *)", /day 31 never comes in APR,JUN/],
            ["cron(0 x * * ? *)", /hour "x" is not a number/],
            ["cron(a * * * ? *)", /minutes "a" is not one minute 0-59/],
            ["cron(0 5 ? * FUN *)", /day of week "FUN" is not a number or a name \(SUN-SAT\)/],
            ["cron(0 5 * * ?)", /it has 5 fields, not 6/],
            ["0 5 * * ? *", /it is not of the form cron\(/],
        ];
        for (const [cron, why] of bad) {
            it(`${cron} is refused: ${why.source.replace(/\\/g, "")}`, () => {
                const p = problem({ "dr:backupSchedule": cron });
                assert.equal(p.key, "dr:backupSchedule");
                assert.match(p.message, /^must be an AWS Backup cron expression with a single minute/);
                assert.match(p.message, why);
                assert.equal(p.fix, "pulumi config set dr:backupSchedule \"cron(0 * * * ? *)\" -s dr");
            });
        }

        it("AWS's own forms are accepted: steps, lists, ranges, names, L, W and #", () => {
            for (const cron of ["cron(0 * * * ? *)", "cron(30 */4 * * ? *)", "cron(0 1,7,20 * * ? *)", "cron(0 5 ? * MON-FRI *)",
                "cron(0 5 L * ? *)", "cron(0 5 15W * ? *)", "cron(0 5 ? * 2#1 *)", "cron(0 5 29 2 ? *)", "cron(0 0 1 JAN-MAR ? 2027-2030)"]) {
                const result = parseDrConfig({ ...VALID_DR, "dr:backupSchedule": cron }, "dr");
                assert.ok(result.ok, `${cron}: ${result.ok ? "" : JSON.stringify(result.problems)}`);
            }
        });
    });

    describe("an emulator endpoint must be a real loopback URL: the program sends it credentials", () => {
        const bad: [url: string, why: RegExp][] = [
            ["http://127.0.0.1:99999", /port 99999 is not 1-65535/],
            ["http://127.0.0.1:0", /port 0 is not 1-65535/],
            ["http://127.999.999.999:5000", /127\.999\.999\.999 is not a loopback address/],
            ["http://10.0.0.5:5000", /10\.0\.0\.5 is not a loopback address/],
            ["http://localhost.evil.example:5000", /localhost\.evil\.example is not a loopback address/],
            ["http://127.0.0.1", /names no port/],
            ["http://127.0.0.1:5000/moto-api", /has a path or query/],
            ["ftp://127.0.0.1:5000", /not an http:\/\/ or https:\/\/ URL/],
        ];
        for (const [url, why] of bad) {
            it(`${url} is refused`, () => {
                const p = problem({ "dr:awsEndpoint": url });
                assert.match(p.message, /^must be a loopback URL such as http:\/\/127\.0\.0\.1:5000/);
                assert.match(p.message, why);
            });
        }

        it("127.0.0.0/8, localhost and [::1] with a port are accepted", () => {
            for (const url of ["http://127.0.0.1:5000", "http://127.1.2.3:5000/", "http://localhost:5000", "http://[::1]:5000", "https://127.0.0.1:443"]) {
                assert.ok(parseDrConfig({ ...VALID_DR, "dr:awsEndpoint": url }, "dr").ok, url);
            }
        });
    });

    describe("dr:restoreFrom is a strict ARN: the runbook prints it in a command for a person to paste", () => {
        const restoring = { "dr:strategy": "backup-restore", "dr:failover": "true" };
        const base = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:";
        for (const tail of ["x;touch${IFS}f;true", "snap shot", "snap$(id)", "-leading-hyphen", "double--hyphen", "x`id`", "awsbackup:job;rm"]) {
            it(`cluster-snapshot:${tail} is refused`, () => {
                const p = problem({ ...restoring, "dr:restoreFrom": base + tail });
                assert.match(p.message, /^must be an Aurora cluster snapshot ARN in dr:drRegion/);
            });
        }

        it("RDS identifiers and AWS Backup's recovery points are accepted", () => {
            for (const tail of ["x", "shop-final-2026", "awsbackup:job-0123abcd-4567", "rds:shop-usw2-aurora-2026-12-01-05-00"]) {
                const result = parseDrConfig({ ...VALID_DR, ...restoring, "dr:restoreFrom": base + tail }, "dr");
                assert.equal(result.ok, !tail.startsWith("rds:"), `${tail}: ${result.ok ? "" : JSON.stringify(result.problems)}`);
            }
        });
    });
});

describe("keys that do not apply to this tier or stack are warnings that say why they are ignored", () => {
    /** The warnings of a valid config: key, and the reason. */
    function warnings(overrides: Record<string, string>, stack = "dr"): [string, string][] {
        const result = parseDrConfig({ ...(stack === "dr" ? VALID_DR : layeredConfig(stack)), ...overrides }, stack);
        assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems, stack));
        return result.ok ? result.warnings.map((w) => [w.key, w.message]) : [];
    }

    const cases: [name: string, overrides: Record<string, string>, stack: string, key: string, why: RegExp][] = [
        ["dr:routingWeight on pilot light", { "dr:routingWeight": "200" }, "dr", "dr:routingWeight", /applies where both regions serve \(dr:strategy active-active\), not to pilot-light/],
        ["dr:routingWeight on latency records", { "dr:strategy": "active-active", "dr:routingWeight": "200" }, "dr", "dr:routingWeight", /applies to weighted records only/],
        ["dr:routingPolicy on warm standby", { "dr:strategy": "warm-standby", "dr:routingPolicy": "weighted" }, "dr", "dr:routingPolicy", /not to warm-standby/],
        ["dr:activeActiveCapacityPercent on pilot light", { "dr:activeActiveCapacityPercent": "50" }, "prod", "dr:activeActiveCapacityPercent", /sizes active-active's regions/],
        ["dr:replicateObjects on dr", { "dr:replicateObjects": "false" }, "dr", "dr:replicateObjects", /applies to the prod stack \(dr:role primary\)/],
        ["dr:vaultLockChangeableForDays in governance mode", { "dr:vaultLockChangeableForDays": "7" }, "dr", "dr:vaultLockChangeableForDays", /compliance mode only/],
        ["dr:restoreFrom on the prod stack", { "dr:strategy": "backup-restore", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x" }, "prod", "dr:restoreFrom", /applies to the dr stack/],
        ["dr:restoreFrom on a standing-by dr stack", { "dr:strategy": "backup-restore", "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x" }, "dr", "dr:restoreFrom", /read only when the dr stack restores \(dr:failover=true\)/],
    ];
    for (const [name, overrides, stack, key, why] of cases) {
        it(`${name}`, () => {
            const found = warnings(overrides, stack);
            assert.equal(found.length, 1, JSON.stringify(found));
            assert.equal(found[0][0], key);
            assert.match(found[0][1], /^is ignored: /);
            assert.match(found[0][1], why);
        });
    }

    it("the program warns through Pulumi, names the command that removes the key, and deploys", async () => {
        const { evaluateStack } = await import("../offline/pair");
        const { warnings: all } = await evaluateStack("dr", { "dr:routingWeight": "200" });
        // The runtimes' warnings depend on the day the tests run (model/runtimes.ts): not this test's subject.
        const logged = all.filter((w) => !RUNTIME_LIVES.some((life) => w.startsWith(`${life.runtime}, the runtime of`)));
        assert.deepEqual(logged, ["dr:routingWeight = \"200\" is ignored: a routing weight applies where both regions serve " +
            "(dr:strategy active-active), not to pilot-light. To remove it: pulumi config rm dr:routingWeight -s dr"]);
    });

    it("where a key applies, or holds its default, nothing is said: every shipped stack file is warning-free", () => {
        assert.deepEqual(warnings({ "dr:strategy": "active-active", "dr:routingPolicy": "weighted", "dr:routingWeight": "10", "dr:activeActiveCapacityPercent": "75" }), []);
        assert.deepEqual(warnings({ "dr:vaultLockMode": "compliance", "dr:vaultLockChangeableForDays": "7" }), []);
        assert.deepEqual(warnings({ "dr:replicateObjects": "false" }, "prod"), []);
        for (const stack of stackNames().filter((s) => !isPortfolio(layeredConfig(s)))) {
            assert.deepEqual(warnings({}, stack), [], stack);
        }
        // A portfolio stack reads its own few keys (model/portfolio/config.ts): its shipped file is warning-free too.
        for (const stack of stackNames().filter((s) => isPortfolio(layeredConfig(s)))) {
            const result = parsePortfolioConfig(layeredConfig(stack), stack);
            assert.ok(result.ok && result.warnings.length === 0, `${stack}: ${JSON.stringify(result)}`);
        }
    });
});

describe("pagers within AWS's limits (issue 17, items 2.5 and 2.7)", () => {
    const topic = (n: number) => `arn:aws:sns:us-west-2:123456789012:pager-${n}`;
    const list = (xs: string[]) => JSON.stringify(xs);

    it("two addresses that would be one subscription are refused, naming the key and both", () => {
        const [p] = problemsOf({ "dr:alarmEmails": list(["oncall@example.com", "OnCall@Example.com", "ops@example.com"]) });
        assert.equal(p.key, "dr:alarmEmails");
        assert.equal(p.value, "oncall@example.com, OnCall@Example.com");
        assert.match(p.message, /^name one subscription 2 times \(the same address, or addresses that differ only in case or punctuation\)/);
        assert.equal(p.fix, "pulumi config set --path \"dr:alarmEmails[0]\" oncall@example.com -s dr");
    });

    it("a topic named twice is refused", () => {
        const [p] = problemsOf({ "dr:alarmTopicArns": list([topic(1), topic(1)]) });
        assert.deepEqual([p.key, p.value], ["dr:alarmTopicArns", topic(1)]);
        assert.match(p.message, /^names a topic more than once/);
    });

    it("more topics than an alarm can notify beside the region's own is refused; four pass", () => {
        const [p] = problemsOf({ "dr:alarmTopicArns": list([1, 2, 3, 4, 5].map(topic)) });
        assert.deepEqual([p.key, p.value], ["dr:alarmTopicArns", "5 topics"]);
        assert.match(p.message, /^names more than 4: every alarm notifies the region's own topic and these, and CloudWatch takes at most 5 actions/);
        assert.ok(parseDrConfig({ ...VALID_DR, "dr:alarmTopicArns": list([1, 2, 3, 4].map(topic)) }, "dr").ok);
    });
});

describe("app names AWS would refuse in the names made from them (issue 17, item 2.3)", () => {
    for (const [name, why] of [["internal", /an ALB's name may not begin with internal-/], ["internal-api", /internal-/],
        ["sthree", /S3 reserves bucket names beginning with sthree-/], ["amzn-s3-demo-x", /amzn-s3-demo-/]] as const) {
        it(`dr:appName ${name} is refused, saying why`, () => {
            const [p] = problemsOf({ "dr:appName": name });
            assert.equal(p.key, "dr:appName");
            assert.match(p.message, /^must be 2-16 lowercase letters, digits and single hyphens, starting with a letter; AWS would refuse the names made from it: /);
            assert.match(p.message, why);
        });
    }
    it("names that merely contain those words pass", () => {
        for (const name of ["internals", "myinternal", "sthreeapp"]) {
            assert.ok(parseDrConfig({ ...VALID_DR, "dr:appName": name }, "dr").ok, name);
        }
    });

    /** What S3 finds wrong with a general purpose bucket's name (S3 User Guide, "General purpose bucket naming rules"). */
    function s3BucketNameProblems(name: string): string[] {
        const problems: string[] = [];
        if (name.length < 3 || name.length > 63) problems.push(`${name.length} characters, not 3-63`);
        if (!/^[a-z0-9.-]*$/.test(name)) problems.push("a character other than a-z, 0-9, . and -");
        if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) problems.push("does not begin and end with a letter or digit");
        if (name.includes("..")) problems.push("two adjacent periods");
        if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("formatted as an IP address");
        problems.push(...["xn--", "sthree-", "amzn-s3-demo-"].filter((p) => name.startsWith(p)).map((p) => `reserved prefix ${p}`));
        problems.push(...["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].filter((x) => name.endsWith(x)).map((x) => `reserved suffix ${x}`));
        return problems;
    }

    it("the check below knows S3's reserved suffixes and prefixes", () => {
        for (const name of ["shop-s3alias", "shop--ol-s3", "shop.mrap", "shop--usw2-az1--x-s3", "shop--table-s3", "xn--shop", "sthree-shop", "amzn-s3-demo-shop"]) {
            assert.equal(s3BucketNameProblems(name).length, 1, name);
        }
        // What a 48-character name of the old region pattern made (issue 17, item 2.4).
        assert.deepEqual(s3BucketNameProblems(bucketName("shop", `us-${"a".repeat(43)}-1`, "123456789012")), ["71 characters, not 3-63"]);
    });

    it("S3's reserved suffixes cannot end a bucket name made from any app name and Region the config accepts: each ends with its Region", () => {
        // App names the config accepts that end as S3's reserved suffixes do, as far as the pattern allows (no
        // "--", no "."), the longest, and one of each reserved prefix's word without its reserved form.
        const apps = ["s3alias", "shop-s3alias", "shop-ol-s3", "shop-x-s3", "shop-table-s3", "shop-mrap", "abcdefgh-ijklmno", "xn-shop", "sthreeapp"];
        for (const app of apps) {
            assert.ok(parseDrConfig({ ...VALID_DR, "dr:appName": app }, "dr").ok, app);
            for (const region of AWS_REGIONS) {
                for (const name of [bucketName(app, region, "123456789012"), logBucketName(app, region, "123456789012")]) {
                    assert.deepEqual(s3BucketNameProblems(name), [], name);
                }
            }
        }
    });
});

describe("Regions that exist, of the aws partition only (issue 17, item 2.4)", () => {
    const enumRegions: string[] = Object.values(Region);

    it("model/awsRegions.ts is @pulumi/aws's Region enum split by partition as AWS's partition table splits it, as npm run contract writes it", () => {
        const aws = enumRegions.filter((r) => partition(r).name === "aws").sort();
        const others = enumRegions.filter((r) => partition(r).name !== "aws").sort();
        assert.deepEqual(AWS_REGIONS, aws, "model/awsRegions.ts differs from the installed @pulumi/aws: run npm run contract");
        assert.deepEqual(OTHER_PARTITION_REGIONS, Object.fromEntries(others.map((r) => [r, partition(r).name])), "run npm run contract");
        assert.equal(fs.readFileSync(path.join(ROOT, "model", "awsRegions.ts"), "utf8"), awsRegionsModule(), "run npm run contract");
        assert.ok(AWS_REGIONS.length >= 30 && others.length >= 5, `${AWS_REGIONS.length} aws Regions, ${others.length} others`);
    });

    it("a name of no Region is refused for each of the three keys, naming it; a misspelling is answered with the Region meant", () => {
        const longest = `us-${"a".repeat(43)}-1`;
        assert.equal(longest.length, 48, "pattern-valid under the old /^[a-z]{2}(-[a-z]+)+-\\d+$/, and 73 characters of bucket name");
        for (const key of ["aws:region", "dr:primaryRegion", "dr:drRegion"]) {
            for (const bad of ["us-east-7", "zz-nowhere-1", longest, "US-WEST-2"]) {
                const [p, ...more] = problemsOf({ [key]: bad });
                assert.deepEqual(more, [], `${key} ${bad}`);
                assert.deepEqual([p.key, p.value], [key, bad]);
                assert.match(p.message, new RegExp(`^must be a Region of the aws partition, such as us-(east-1|west-2)[^;]*; ${bad} is not one`));
            }
        }
        const guess = (key: string, bad: string) => { const [p] = problemsOf({ [key]: bad }); return [p.message.replace(/^.*is not one/, ""), p.fix]; };
        assert.deepEqual(guess("dr:primaryRegion", "us-east-7"), [": did you mean us-east-1?", "pulumi config set dr:primaryRegion us-east-1 -s dr"]);
        assert.deepEqual(guess("dr:drRegion", "US-WEST-2"), [": did you mean us-west-2?", "pulumi config set dr:drRegion us-west-2 -s dr"]);
        assert.deepEqual(guess("dr:drRegion", "zz-nowhere-1"), ["", "pulumi config set dr:drRegion us-west-2 -s dr"], "no guess far from every Region");
        // aws:region must be the stack's own region: its fix sets that one, whatever the spelling is closest to.
        assert.deepEqual(guess("aws:region", "us-east-7"), ["", "pulumi config set aws:region us-west-2 -s dr"]);
    });

    it("every Region of another partition is refused, naming its partition, for each key; the fix sets a Region of the aws partition", () => {
        for (const [region, name] of Object.entries(OTHER_PARTITION_REGIONS)) {
            // The stack set in the other partition throughout, as a user moving the pair there would.
            const problems = problemsOf({ "dr:primaryRegion": region, "dr:drRegion": "us-west-2" }, "prod");
            assert.deepEqual(problems.map((p) => p.key), ["dr:primaryRegion"], region);
            assert.match(problems[0].message, new RegExp(`; ${region} is a Region of the ${name} partition, which this release does not support`));
            assert.equal(problems[0].fix, "pulumi config set dr:primaryRegion us-east-1 -s prod");
            const dr = problemsOf({ "dr:drRegion": region, "aws:region": region });
            assert.deepEqual(dr.map((p) => [p.key, p.fix]), [["aws:region", "pulumi config set aws:region us-west-2 -s dr"],
                ["dr:drRegion", "pulumi config set dr:drRegion us-west-2 -s dr"]], region);
        }
        assert.ok(["cn-north-1", "us-gov-west-1"].every((r) => r in OTHER_PARTITION_REGIONS));
    });

    it("every Region of the aws partition is accepted, as the primary's and as the dr region of a us-east-1 primary", () => {
        for (const region of AWS_REGIONS) {
            const primary = region === "us-east-1" ? "us-west-2" : "us-east-1";
            const dr = parseDrConfig({ ...VALID_DR, "dr:primaryRegion": primary, "dr:drRegion": region, "aws:region": region }, "dr");
            assert.ok(dr.ok, `${region}: ${dr.ok ? "" : formatProblems(dr.problems, "dr")}`);
            const prod = parseDrConfig({ ...layeredConfig("prod"), "dr:primaryRegion": region, "dr:drRegion": primary, "aws:region": region }, "prod");
            assert.ok(prod.ok, `${region}: ${prod.ok ? "" : formatProblems(prod.problems, "prod")}`);
        }
    });
});

describe("instance types EC2 has (issue 17, item 2.9)", () => {
    it("model/ec2InstanceTypes.ts is @pulumi/aws's ec2.InstanceType enum, as npm run contract writes it", () => {
        assert.deepEqual(EC2_INSTANCE_TYPES, (Object.values(ec2.InstanceType) as string[]).sort(),
            "model/ec2InstanceTypes.ts differs from the installed @pulumi/aws: run npm run contract");
        assert.equal(fs.readFileSync(path.join(ROOT, "model", "ec2InstanceTypes.ts"), "utf8"), ec2InstanceTypesModule(), "run npm run contract");
    });

    it("a type EC2 does not have is refused, naming the nearest; the fix sets it where it is a misspelling", () => {
        const refused = (type: string) => {
            const [p, ...more] = problemsOf({ "dr:instanceType": type });
            assert.deepEqual(more, [], type);
            assert.deepEqual([p.key, p.value], ["dr:instanceType", type]);
            assert.match(p.message, new RegExp(`^must be an EC2 instance type @pulumi/aws knows, such as t3\\.medium; ${type.replace(/\./g, "\\.")} is not one`));
            return [p.message.replace(/^.*is not one/, ""), p.fix];
        };
        assert.deepEqual(refused("t3.mediun"), [": did you mean t3.medium?", "pulumi config set dr:instanceType t3.medium -s dr"]);
        assert.deepEqual(refused("M7G.LARGE"), [": did you mean m7g.large?", "pulumi config set dr:instanceType m7g.large -s dr"]);
        assert.deepEqual(refused("t3medium"), [": did you mean t3.medium?", "pulumi config set dr:instanceType t3.medium -s dr"]);
        const [far, fix] = refused("x9.gigantic");
        const nearest = /^, nor close to one \(the nearest is (\S+)\)$/.exec(far)?.[1];
        assert.ok(nearest !== undefined && EC2_INSTANCE_TYPES.includes(nearest), far);
        assert.equal(fix, "pulumi config set dr:instanceType t3.medium -s dr", "a far guess is named, not set: the fix sets the example");
    });

    it("types the old pattern refused are accepted: metal sizes with a hyphen, and the high-memory and Mac families", () => {
        for (const type of ["c7i.metal-24xl", "m8i.metal-96xl", "u7i-12tb.224xlarge", "mac2-m2pro.metal", "t3.medium", "m7g.large"]) {
            assert.ok(EC2_INSTANCE_TYPES.includes(type), `${type} is not in the provider's enum`);
            const result = parseDrConfig({ ...VALID_DR, "dr:instanceType": type }, "dr");
            assert.ok(result.ok, `${type}: ${result.ok ? "" : formatProblems(result.problems, "dr")}`);
        }
    });

    it("the tables that name instance types name only types EC2 has: hibernating families, memory sizes, prices", () => {
        const families = new Set(EC2_INSTANCE_TYPES.map((t) => t.split(".")[0]));
        assert.deepEqual([...HIBERNATING_FAMILIES].filter((f) => !families.has(f)), [], "model/levers.ts HIBERNATING_FAMILIES");
        assert.deepEqual(Object.keys(INSTANCE_MEMORY_GIB).filter((t) => !EC2_INSTANCE_TYPES.includes(t)), [], "model/levers.ts INSTANCE_MEMORY_GIB");
        assert.deepEqual(Object.keys(EC2_HOURLY_USD).filter((t) => !EC2_INSTANCE_TYPES.includes(t)), [], "model/cost.ts EC2_HOURLY_USD");
    });

    it("a hibernated warm pool still checks the type: a metal size the enum has is valid as a type, refused as hibernating", () => {
        const warm = { "dr:strategy": "warm-standby", "dr:warmPool": "hibernated" };
        assert.ok(parseDrConfig({ ...VALID_DR, ...warm, "dr:instanceType": "m7g.large" }, "dr").ok);
        const [p] = problemsOf({ ...warm, "dr:instanceType": "c7i.metal-24xl" });
        assert.deepEqual([p.key, p.fix], ["dr:warmPool", "pulumi config set dr:warmPool stopped -s dr"]);
        assert.match(p.message, /^needs an instance type that can hibernate: c7i\.metal-24xl is a bare-metal size/);
        const [q] = problemsOf({ ...warm, "dr:instanceType": "x9.gigantic" });
        assert.equal(q.key, "dr:instanceType", "a type EC2 does not have is refused as such, before the pool's check");
    });
});

describe("approvers within IAM's limits (issue 17, item 2.5)", () => {
    const rs = (arns: string[]) => ({ "dr:regionSwitch": "true", "dr:approverArns": JSON.stringify(arns) });
    const role = (n: number) => `arn:aws:iam::123456789012:role/incident-commander-with-a-long-name-${n}`;

    it("an assumed-role session ARN names its role and session; one without the session is not a principal IAM takes", () => {
        assert.ok(parseDrConfig({ ...VALID_DR, ...rs(["arn:aws:sts::123456789012:assumed-role/Admin/alice"]) }, "dr").ok);
        const [p] = problemsOf(rs(["arn:aws:sts::123456789012:assumed-role/Admin"]));
        assert.equal(p.key, "dr:approverArns");
        assert.match(p.message, /"arn:aws:sts::123456789012:assumed-role\/Admin" is not an IAM role, user or account ARN/);
    });

    it("a principal named twice is refused", () => {
        const [p] = problemsOf(rs([role(1), role(1)]));
        assert.deepEqual([p.key, p.value], ["dr:approverArns", role(1)]);
        assert.match(p.message, /^names a principal more than once/);
    });

    it("so many approvers that the trust policy passes IAM's 2,048 characters are refused, saying what to do", () => {
        const many = Array.from({ length: 40 }, (_, i) => role(i));
        const [p] = problemsOf(rs(many));
        assert.deepEqual([p.key, p.value], ["dr:approverArns", "40 principals"]);
        assert.match(p.message, /^make the approval role's trust policy \d+ characters, over IAM's default limit of 2048: name a role your approvers assume/);
        assert.ok(parseDrConfig({ ...VALID_DR, ...rs(many.slice(0, 10)) }, "dr").ok, "ten fit");
    });
});

describe("list defaults as the Pulumi CLI passes them (issue 17, item 2.8)", () => {
    it("Pulumi.yaml's empty list default reaches the program as [] and counts as unset: no warning on prod, nothing for the dr stack to read", () => {
        const prod = layeredConfig("prod");
        assert.equal(prod["dr:approverArns"], "[]", "the CLI's text for an empty list default");
        const result = parseDrConfig(prod, "prod");
        assert.ok(result.ok);
        assert.deepEqual(result.ok && result.warnings, []);
        assert.deepEqual(result.ok && result.config.approverArns, []);
    });
});

describe("the config's imports run one way (issue 18)", () => {
    /** The project files a .ts file imports (type imports too: a cycle of types is still a cycle to read). */
    function importedFiles(file: string): string[] {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        return [...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]*)"/gms)].map((m) => {
            const base = path.join(path.dirname(file), m[1]);
            return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(path.join(ROOT, f)))!;
        }).filter((f) => f !== undefined);
    }

    it("nothing a file of model/config/ imports leads back to it: the tiers import DrConfig from the contract, which imports no validation", () => {
        const folder = path.join("model", "config");
        for (const start of fs.readdirSync(path.join(ROOT, folder)).map((f) => path.join(folder, f))) {
            const seen = new Set<string>();
            const walk = (file: string, trail: string[]): void => {
                for (const next of importedFiles(file)) {
                    assert.notEqual(next, start, `import cycle: ${[...trail, next].join(" -> ")}`);
                    if (!seen.has(next)) {
                        seen.add(next);
                        walk(next, [...trail, next]);
                    }
                }
            };
            walk(start, [start]);
        }
    });
});

describe("a key's scope is on its contract entry (issue 18)", () => {
    it("the keys that describe one stack (stackOnly) are the stack's own: an override of them is not copied to the peer", async () => {
        const { STACK_ONLY_KEYS, peerOverrides } = await import("../model/stackPair");
        assert.deepEqual([...STACK_ONLY_KEYS].sort(), ["aws:region", "dr:alarmTopicArns", "dr:approverArns", "dr:certificateArn", "dr:childPlanLimit", "dr:failover",
            "dr:globalDatastoreId", "dr:imageId", "dr:portfolio", "dr:portfolioApps", "dr:regionSwitch", "dr:restoreTests", "dr:role"]);
        const all = Object.fromEntries(PROJECT_KEYS.map(({ name }) => [`dr:${name}`, "x"]));
        assert.deepEqual(Object.keys(peerOverrides({ ...all, "aws:region": "x" })).sort(),
            Object.keys(all).filter((k) => !STACK_ONLY_KEYS.has(k)).sort());
    });
});
