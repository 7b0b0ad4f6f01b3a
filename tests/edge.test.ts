// The production edge, per tier and stack, as the program registers it: HTTPS with a certificate of the
// stack's own region, HTTP redirected, HTTPS health checks with SNI; the team's own image and user data;
// the launch template's encrypted root volume and detailed monitoring.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STRATEGIES } from "../model/strategy";
import { DEFAULT_IMAGE_ID, USER_DATA_MAX_BYTES, readUserData } from "../model/workload";
import { Recording, stackRun } from "../offline/evaluate";
import { stackError } from "./helpers";
import { firstRuleFor } from "../model/waf";

const LISTENER = "aws:lb/listener:Listener";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const CERT = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const ALB = "aws:lb/loadBalancer:LoadBalancer";
const KEY = "aws:kms/key:Key";
const byName = (r: Recording, type: string, name: string) => r.ofType(type).find((x) => x.name === name)!;

describe("the production edge: HTTPS by default", () => {
    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: HTTPS 443 with the region's validated certificate for dr:dnsName; HTTP 80 redirects; the checks use HTTPS with SNI`, async () => {
                const r = await stackRun(stack, { "dr:strategy": strategy });
                const region = stack === "prod" ? "us-east-1" : "us-west-2";
                const cert = r.one(CERT).inputs;
                assert.deepEqual([cert.domainName, cert.validationMethod], ["shop.example.com", "DNS"]);
                const https = byName(r, LISTENER, "shop-app-https").inputs;
                assert.deepEqual([https.port, https.protocol, https.sslPolicy], [443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
                assert.equal(https.certificateArn, r.one(VALIDATION).state!.certificateArn, "the listener waits for the validation");
                assert.match(https.certificateArn, new RegExp(`^arn:aws:acm:${region}:`));
                assert.equal(byName(r, LISTENER, "shop-app-http").inputs.defaultActions[0].type, "redirect");
                const check = r.one("aws:route53/healthCheck:HealthCheck", "-dns-health").inputs;
                assert.deepEqual([check.type, check.port, check.enableSni], ["HTTPS", 443, true]);
                assert.equal(r.outputs.endpoint, "https://shop.example.com");
            });
        }
    }

    for (const strategy of STRATEGIES) {
        for (const stack of ["prod", "dr"] as const) {
            it(`${strategy}, ${stack}: dr:certificateArn: the listener uses it, and the stack requests no certificate`, async () => {
                const region = stack === "prod" ? "us-east-1" : "us-west-2";
                const arn = `arn:aws:acm:${region}:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab`;
                const r = await stackRun(stack, { "dr:strategy": strategy, "dr:certificateArn": arn });
                assert.equal(byName(r, LISTENER, "shop-app-https").inputs.certificateArn, arn);
                assert.deepEqual([r.ofType(CERT).length, r.ofType(VALIDATION).length], [0, 0]);
                assert.equal(r.ofType("aws:route53/record:Record").length, 1, "only the app's record");
            });
        }
    }

    it("the primary's ALB is deletion-protected; the dr region's is not, so its failover deploy can replace it", async () => {
        assert.equal((await stackRun("prod")).one(ALB).inputs.enableDeletionProtection, true);
        assert.equal((await stackRun("dr")).one(ALB).inputs.enableDeletionProtection, false);
    });
});

describe("your workload: image, user data, root volume", () => {
    it("default: Amazon Linux 2023 by its public parameter and the placeholder app", async () => {
        const lt = (await stackRun("dr")).one(LT).inputs;
        assert.equal(lt.imageId, DEFAULT_IMAGE_ID);
        assert.match(Buffer.from(lt.userData, "base64").toString(), /python3 -m http\.server 80/);
    });

    it("dr:imageId is the AMI; dr:imageParameter is resolved by EC2 in the stack's region at launch", async () => {
        assert.equal((await stackRun("dr", { "dr:imageId": "ami-0123456789abcdef0" })).one(LT).inputs.imageId, "ami-0123456789abcdef0");
        assert.equal((await stackRun("dr", { "dr:imageParameter": "/shop/app/ami" })).one(LT).inputs.imageId, "resolve:ssm:/shop/app/ami");
    });

    it("dr:userDataFile: the file's text becomes the instances' user data", async () => {
        const lt = (await stackRun("prod", { "dr:userDataFile": "tests/fixtures/user-data.sh" })).one(LT).inputs;
        assert.equal(Buffer.from(lt.userData, "base64").toString(), fs.readFileSync(path.join(__dirname, "fixtures", "user-data.sh"), "utf8"));
    });

    it("a dr:userDataFile that does not exist fails the preview before any resource, naming the key and the fix", async () => {
        const message = await stackError("dr", { "dr:userDataFile": "app/missing.sh" });
        assert.match(message, /dr:userDataFile = "app\/missing\.sh": names no file: \S+\/app\/missing\.sh does not exist\./);
        assert.match(message, /fix: create app\/missing\.sh, or pulumi config rm dr:userDataFile -s dr for the placeholder app/);
    });

    it("a directory or a file over EC2's 16 KB is refused, naming the size", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "user-data-"));
        try {
            fs.mkdirSync(path.join(root, "dir"));
            fs.writeFileSync(path.join(root, "big.sh"), "x".repeat(USER_DATA_MAX_BYTES + 1));
            fs.writeFileSync(path.join(root, "ok.sh"), "x".repeat(USER_DATA_MAX_BYTES));
            const dir = readUserData({ userDataFile: "dir" }, "dr", root);
            assert.ok(!dir.ok && /is not a file/.test(dir.problem.message));
            const big = readUserData({ userDataFile: "big.sh" }, "dr", root);
            assert.ok(!big.ok && big.problem.message.startsWith("is 16385 bytes; EC2 takes at most 16384 bytes of user data"), JSON.stringify(big));
            assert.deepEqual(readUserData({ userDataFile: "ok.sh" }, "dr", root), { ok: true, text: "x".repeat(USER_DATA_MAX_BYTES) });
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("a file under .git/, or a link that leads out of the project, is refused; a link inside it is read (issue 17, item 2.6)", () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "outside-"));
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "user-data-"));
        try {
            fs.writeFileSync(path.join(outside, "secret"), "not the app's");
            fs.mkdirSync(path.join(root, ".git"));
            fs.writeFileSync(path.join(root, ".git", "config"), "[core]");
            fs.mkdirSync(path.join(root, "app"));
            fs.writeFileSync(path.join(root, "app", "boot.sh"), "#!/bin/sh");
            fs.symlinkSync(path.join(outside, "secret"), path.join(root, "app", "escape.sh"));
            fs.symlinkSync(path.join(root, "app", "boot.sh"), path.join(root, "app", "alias.sh"));
            const git = readUserData({ userDataFile: ".git/config" }, "dr", root);
            assert.ok(!git.ok && git.problem.message === "is inside .git/, git's own files, not the app's", JSON.stringify(git));
            const escape = readUserData({ userDataFile: "app/escape.sh" }, "dr", root);
            assert.ok(!escape.ok && /^leads out of the project \(through a link\) to .*\/secret: user data must be a file of the project$/.test(escape.problem.message),
                JSON.stringify(escape));
            assert.deepEqual(readUserData({ userDataFile: "app/alias.sh" }, "dr", root), { ok: true, text: "#!/bin/sh" });
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
            fs.rmSync(outside, { recursive: true, force: true });
        }
    });

    for (const stack of ["prod", "dr"] as const) {
        it(`${stack}: the root volume (dr:rootDeviceName) is encrypted with the region's own key; detailed monitoring is on`, async () => {
            const r = await stackRun(stack, { "dr:rootDeviceName": "/dev/sda1" });
            const lt = r.one(LT).inputs;
            assert.deepEqual(lt.blockDeviceMappings, [{
                deviceName: "/dev/sda1", ebs: { encrypted: "true", kmsKeyId: r.one(KEY).state!.arn, volumeType: "gp3", deleteOnTermination: "true" },
            }]);
            assert.deepEqual(lt.monitoring, { enabled: true });
        });
    }
});

describe("the web ACL on each region's ALB (dr:waf; issue 17, item 1.1)", () => {
    const ACL = "aws:wafv2/webAcl:WebAcl";
    const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
    const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
    const ALB_TYPE = "aws:lb/loadBalancer:LoadBalancer";
    const cases = STRATEGIES.flatMap((strategy) => (["prod", "dr"] as const).flatMap((stack) =>
        (stack === "dr" ? [false, true] : [false]).map((failover) => ({ strategy, stack, failover }))));
    for (const { strategy, stack, failover } of cases) {
        it(`${strategy}, ${stack}${failover ? " failed over" : ""}: a regional web ACL in the region (AWS's managed groups, a rate limit), on its ALB where there is one`, async () => {
            const r = await stackRun(stack, {
                "dr:strategy": strategy, ...(failover ? { "dr:failover": "true" } : {}),
                ...(failover && strategy === "backup-restore" ? { "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1" } : {}),
            });
            const acl = r.one(ACL);
            const code = stack === "prod" ? "use1" : "usw2";
            assert.deepEqual([acl.inputs.name, acl.inputs.scope, acl.inputs.defaultAction], [`shop-${code}-web-acl`, "REGIONAL", { allow: {} }]);
            assert.deepEqual(acl.inputs.rules.map((x: any) => [x.priority, x.name]), [
                [0, "allow-health-checks"], [1, "rate-limit-per-ip"], [2, "aws-ip-reputation"], [3, "aws-known-bad-inputs"], [4, "aws-common"],
            ]);
            assert.deepEqual(acl.inputs.rules[1].statement.rateBasedStatement, { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 });
            assert.deepEqual(acl.inputs.rules.slice(2).map((x: any) => x.statement.managedRuleGroupStatement.name),
                ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"]);
            const albs = r.ofType(ALB_TYPE);
            assert.deepEqual(r.ofType(ASSOCIATION).map((a) => [a.inputs.resourceArn, a.inputs.webAclArn]),
                albs.map((alb) => [alb.state!.arn, acl.state!.arn]), "on the region's ALB, where it has one");
        });
    }

    for (const stack of ["prod", "dr"] as const) {
        it(`${stack}: Route 53's checks of the region's endpoint pass the first rule, before any rule only AWS evaluates; other requests do not`, async () => {
            const r = await stackRun(stack, { "dr:strategy": "warm-standby" });
            const rules = r.one(ACL).inputs.rules;
            // Route 53 requests the check's resource path with GET (Route 53 Developer Guide, "How Route 53 determines whether a health check is healthy").
            const endpointChecks = r.ofType(HEALTH_CHECK).filter((c) => c.inputs.type === "HTTPS");
            assert.ok(endpointChecks.length > 0);
            for (const check of endpointChecks) {
                const [uriPath, queryString = ""] = String(check.inputs.resourcePath).split("?");
                assert.deepEqual(firstRuleFor(rules, { method: "GET", uriPath, queryString }), { rule: "allow-health-checks", outcome: "allow" });
            }
            for (const other of [{ method: "GET", uriPath: "/", queryString: "" }, { method: "POST", uriPath: "/health", queryString: "" },
                { method: "GET", uriPath: "/health", queryString: "x=<script>" }, { method: "GET", uriPath: "/health/../admin", queryString: "" }]) {
                assert.deepEqual(firstRuleFor(rules, other), { rule: "rate-limit-per-ip", outcome: "reaches" }, JSON.stringify(other));
            }
        });
    }

    it("dr:waf=false: no web ACL; dr:wafRateLimit sets the limit within AWS's range", async () => {
        assert.equal((await stackRun("dr", { "dr:strategy": "warm-standby", "dr:waf": "false" })).ofType(ACL).length, 0);
        const r = await stackRun("prod", { "dr:strategy": "warm-standby", "dr:wafRateLimit": "500" });
        assert.equal(r.one(ACL).inputs.rules[1].statement.rateBasedStatement.limit, 500);
        const msg = await stackError("prod", { "dr:wafRateLimit": "5" });
        assert.match(msg, /dr:wafRateLimit = "5": must be a whole number from 10 to 2000000000/);
        assert.match(msg, /fix: pulumi config set dr:wafRateLimit 2000 -s prod/);
    });
});
