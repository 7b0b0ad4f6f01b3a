// The outage drill (npm run drill -- --outage) and the fault proxy it runs behind: the primary region lost,
// Route 53's and IAM's APIs down, and an unplanned failover that must not need any of them. Against the run's
// one moto_server (tests/emulator.ts), through the drill's --emulator; its checks read the emulator itself.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListHostedZonesCommand } from "@aws-sdk/client-route-53";
import { parseDrillArgs, drillCommand } from "../cli/drill";
import { runbookCommand } from "../cli/runbook";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { credentialScope, operationOf, outageRule, startFaultProxy, tally } from "../offline/faultProxy";
import { Moto } from "../offline/moto";
import { AwsCallError, awsClients, route53Client } from "../runbook/aws";
import { sharedEmulator } from "./emulator";

/** Captures a command's output lines. */
function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, out, err };
}

describe("the fault proxy's rules (offline/faultProxy.ts)", () => {
    it("reads region and service off a SigV4 Authorization header", () => {
        assert.deepEqual(credentialScope("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=abc"),
            { region: "us-east-1", service: "route53" });
        assert.equal(credentialScope(undefined), undefined, "unsigned: the emulator's own API");
    });

    it("the outage refuses the lost region and Route 53's and IAM's APIs, and nothing else", () => {
        const rule = outageRule("us-east-1");
        assert.equal(rule({ region: "us-east-1", service: "sts" }), "the lost region us-east-1");
        assert.equal(rule({ region: "us-east-1", service: "route53" }), "the lost region us-east-1");
        assert.equal(rule({ region: "us-west-2", service: "iam" }), "iam's control plane (us-east-1)");
        assert.equal(rule({ region: "us-west-2", service: "monitoring" }), undefined);
    });

    it("names the operation from X-Amz-Target, the query's Action, or the REST path", () => {
        assert.equal(operationOf("POST", "/", "AmazonSSM.PutParameter", "{}"), "PutParameter");
        assert.equal(operationOf("POST", "/", undefined, "Action=DescribeAlarms&Version=2010-08-01"), "DescribeAlarms");
        assert.equal(operationOf("GET", "/2013-04-01/hostedzone?maxitems=1", undefined, ""), "GET /2013-04-01/hostedzone");
        assert.deepEqual(tally([{ region: "r", service: "s", operation: "b" }, { region: "r", service: "s", operation: "a" }, { region: "r", service: "s", operation: "b" }]),
            ["r s a x 1", "r s b x 2"]);
    });

    it("forwards to loopback only", async () => {
        await assert.rejects(startFaultProxy("http://example.com:5000", outageRule("us-east-1")), /forwards to loopback only/);
    });
});

describe("the drill's outage options", () => {
    it("--seed-only needs --emulator; --emulator must be loopback; --seed-only and --outage exclude each other", () => {
        assert.throws(() => parseDrillArgs(["--seed-only"]), /--seed-only needs --emulator URL/);
        assert.throws(() => parseDrillArgs(["--emulator", "http://10.0.0.5:5000"]), /loopback only/);
        assert.throws(() => parseDrillArgs(["--emulator", "http://127.0.0.1:5000", "--seed-only", "--outage"]), /exclude each other/);
        assert.deepEqual(parseDrillArgs(["--outage", "--emulator", "http://127.0.0.1:5000"]),
            { strategy: undefined, reportDir: "reports", outage: true, emulator: "http://127.0.0.1:5000", seedOnly: false });
    });
});

describe("outage drill against moto: us-east-1 lost, Route 53's and IAM's APIs down", function () {
    this.timeout(60_000);
    let moto: Moto;
    let reportDir: string;

    before(async function () {
        moto = await sharedEmulator();
        reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "outage-"));
    });

    after(() => {
        if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
    });

    it("the proxy refuses what the rule names, resetting the connection: the SDK reports the region unreachable", async () => {
        const proxy = await startFaultProxy(moto.endpoint, outageRule("us-east-1"));
        try {
            const target = { endpoint: proxy.url, credentials: EMULATOR_CREDENTIALS };
            const err = await awsClients("us-east-1", target).sts.send(new GetCallerIdentityCommand({})).then(() => undefined, (e) => e);
            assert.ok(err instanceof AwsCallError && err.unreachable, String(err));
            await assert.rejects(route53Client(target).send(new ListHostedZonesCommand({})), /us-east-1 route53 ListHostedZones: no answer \(ECONNRESET/);
            const west = await awsClients("us-west-2", target).sts.send(new GetCallerIdentityCommand({}));
            assert.equal(west.Account, "123456789012", "the dr region's calls go through");
            assert.deepEqual(tally(proxy.refusals()), ["us-east-1 route53 GET /2013-04-01/hostedzone x 2", "us-east-1 sts GetCallerIdentity x 2"], "two attempts each");
            assert.deepEqual(tally(proxy.forwarded()), ["us-west-2 sts GetCallerIdentity x 1"]);
        } finally {
            await proxy.close();
        }
    });

    for (const strategy of ["pilot-light", "warm-standby", "active-active"]) {
        it(`${strategy}: the unplanned failover completes through the proxy, which refuses nothing; the emulator shows the fence closed and the dr app at N`, async () => {
            const { io, out, err } = capture();
            const code = await drillCommand(["--strategy", strategy, "--outage", "--emulator", moto.endpoint, "--report-dir", reportDir], io, { renderer: "silent" });
            assert.equal(code, 0, [...out, ...err].join("\n"));
            const text = out.join("\n");
            assert.match(text, /us-east-1 sts GetCallerIdentity: refused \(us-east-1 sts GetCallerIdentity: no answer/);
            assert.match(text, /us-east-1 route53 ListHostedZones: refused/);
            assert.match(text, /refused by the proxy during the failover: none/);
            assert.match(text, /ok +traffic fence shop-use1-traffic-fence in us-west-2: state ALARM/);
            assert.match(text, /ok +dr app shop-usw2-app at the promoted plan's 4\/4\/4: 4\/4\/4, 4 in service/);
            assert.match(text, /simulated shop-usw2-aurora is the writer: moto answers/);
            // The promoted plan's full cache: the IaC step's where none stands by, the runbook's resize (simulated
            // on moto) where a reduced one does, and there already in active-active.
            const cache = { "pilot-light": /iac +cache at 2 x cache\.r7g\.large: created by the IaC step/,
                "warm-standby": /simulated cache at 2 x cache\.r7g\.large: moto answers ModifyReplicationGroup/,
                "active-active": /ok +cache at 2 x cache\.r7g\.large: shop-usw2-cache is cache\.r7g\.large, as it stands by/ }[strategy]!;
            assert.match(text, cache);
            assert.doesNotMatch(text, /FAILED|NOT REFUSED/);
            // Only the dr region was called, and only regional services.
            const forwarded = text.slice(text.indexOf("forwarded during the failover:"), text.indexOf("checked against"));
            assert.ok(forwarded.split("\n").slice(1).filter((l) => l.trim()).every((l) => /^ {2}us-west-2 (autoscaling|elasticache|elasticloadbalancing|monitoring|rds|ssm|sts) /.test(l)), forwarded);
            const summary = out.find((l) => l.includes("outage report:"))!.split("outage report: ")[1];
            assert.match(fs.readFileSync(summary, "utf8"), /Refused during the failover: nothing/);
            assert.match(text, /drill completed$/);
        });
    }

    it("three regions (the example Pulumi.dr2.yaml): the unplanned failover into us-east-2 calls only us-east-2; both its fences close, us-west-2 is left standing by; failback opens both", async () => {
        const { io, out, err } = capture();
        const code = await drillCommand(["--three-regions", "--outage", "--emulator", moto.endpoint, "--report-dir", reportDir], io, { renderer: "silent" });
        assert.equal(code, 0, [...out, ...err].join("\n"));
        const text = out.join("\n");
        assert.match(text, /failover into the second recovery region, us-east-2 \(stack dr2\), us-west-2 \(stack dr\) left standing by/);
        assert.match(text, /refused by the proxy during the failover: none/);
        const forwarded = text.slice(text.indexOf("forwarded during the failover:"), text.indexOf("checked against"));
        assert.ok(forwarded.split("\n").slice(1).filter((l) => l.trim()).every((l) => /^ {2}us-east-2 (autoscaling|elasticache|elasticloadbalancing|monitoring|rds|ssm|sts) /.test(l)), forwarded);
        for (const line of [
            /ok +traffic fence shop-use1-traffic-fence in us-east-2: state ALARM/,
            /ok +traffic fence shop-usw2-traffic-fence in us-east-2: state ALARM/,
            /ok +us-west-2's app shop-usw2-app left standing by at 0\/0\/4: 0\/0\/4/,
            /ok +traffic fence shop-use1-traffic-fence in us-west-2 open: state OK/,
            /ok +traffic fence shop-use2-traffic-fence in us-west-2 open: state OK/,
            /ok +dr app shop-use2-app at the promoted plan's 4\/4\/4: 4\/4\/4, 4 in service/,
            /reconcile-iac: run: pulumi config set dr:failover false -s dr2/,
            /ok +traffic fence shop-use1-traffic-fence in us-east-2 open: state OK/,
            /ok +traffic fence shop-usw2-traffic-fence in us-east-2 open: state OK/,
        ]) {
            assert.match(text, line);
        }
        assert.doesNotMatch(text, /FAILED|NOT REFUSED/);
        assert.match(text, /drill completed$/);
    });

    it("--seed-only leaves the pair in the emulator and prints the failover a person runs through their own proxy; it works", async () => {
        const seeded = capture();
        assert.equal(await drillCommand(["--emulator", moto.endpoint, "--seed-only", "--strategy", "warm-standby"], seeded.io, { renderer: "silent" }), 0, seeded.err.join("\n"));
        const failover = seeded.out.find((l) => l.trim().startsWith("npm run failover"))!.trim();
        assert.match(failover, /^npm run failover -- --stack dr --unplanned --yes --endpoint http:\/\/127\.0\.0\.1:\d+ --set dr:strategy=warm-standby --set dr:dnsZoneId=Z[A-Z0-9]+$/);
        // Someone's own proxy in front: the same rule, their URL in place of the emulator's.
        const proxy = await startFaultProxy(moto.endpoint, outageRule("us-east-1"));
        try {
            const argv = failover.replace(/^npm run failover -- /, "").replace(moto.endpoint, proxy.url).split(" ");
            const ran = capture();
            const code = await runbookCommand(["failover", ...argv, "--report-dir", reportDir, "--wait-seconds", "20"], ran.io, { renderer: "silent" });
            // moto cannot promote Aurora: outside the drill nothing simulates it, so the run stops there, named.
            assert.equal(code, 1);
            assert.match(ran.err.join("\n"), /failover stopped: us-west-2 rds FailoverGlobalCluster: /);
            assert.deepEqual(proxy.refusals(), [], "nothing the outage took away was called");
        } finally {
            await proxy.close();
        }
    });
});
