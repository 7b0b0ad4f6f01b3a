// The drill of a portfolio against the run's one moto_server (tests/emulator.ts): both example apps (shop's dr,
// pilot light, wave 1; pay's pay-dr, warm standby, wave 2) seeded into it, failed over together through the
// fault proxy (us-east-1 lost, Route 53's and IAM's APIs down) and back, through the same code as
// `npm run failover|failback -- --portfolio portfolio`; the portfolio's reports written.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drillCommand, parseDrillArgs } from "../cli/drill";
import { Moto } from "../offline/moto";
import { sharedEmulator } from "./emulator";

describe("the drill's portfolio (npm run drill -- --portfolio)", function () {
    this.timeout(120_000);
    let moto: Moto;
    let reportDir: string;

    before(async () => {
        moto = await sharedEmulator();
        reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-drill-"));
    });

    after(() => {
        if (reportDir) fs.rmSync(reportDir, { recursive: true, force: true });
    });

    it("--portfolio takes no --strategy (each app drills its own tier) and no --seed-only", () => {
        assert.throws(() => parseDrillArgs(["--portfolio", "--strategy", "warm-standby"]), /--strategy warm-standby and --portfolio exclude each other: each app of the portfolio drills its own stack file's dr:strategy/);
        assert.throws(() => parseDrillArgs(["--portfolio", "--seed-only", "--emulator", "http://127.0.0.1:5000"]), /--seed-only and --portfolio exclude each other/);
        assert.deepEqual(parseDrillArgs(["--portfolio", "--outage"]), { strategy: undefined, reportDir: "reports", outage: true, emulator: undefined, seedOnly: false, portfolio: true });
    });

    it("--outage: both apps fail over in one run, in their waves, through the proxy, which refuses nothing; both pairs checked; then back, the last wave first", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await drillCommand(["--portfolio", "--outage", "--emulator", moto.endpoint, "--report-dir", reportDir],
            { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, { renderer: "silent" });
        const text = out.join("\n");
        assert.equal(code, 0, [...out, ...err].join("\n"));
        assert.match(text, /DR drill of portfolio portfolio \(estate\): dr \(shop, pilot-light, wave 1\), pay-dr \(pay, warm-standby, wave 2\)/);
        assert.match(text, /us-east-1 sts GetCallerIdentity: refused/);
        assert.match(text, /refused by the proxy during the failover: none/);
        // Wave 1 ends before wave 2 starts; the failback takes wave 2 first.
        const order = out.filter((l) => /^wave \d: \S+ .*(started|completed)/.test(l)).map((l) => l.replace(/^wave (\d): (\S+) .*(started|completed).*$/, "$3 $2"));
        assert.deepEqual(order, ["started dr", "completed dr", "started pay-dr", "completed pay-dr", "started pay-dr", "completed pay-dr", "started dr", "completed dr"]);
        assert.match(text, /ok +traffic fence shop-use1-traffic-fence in us-west-2: state ALARM/);
        assert.match(text, /ok +traffic fence pay-use1-traffic-fence in us-west-2: state ALARM/);
        assert.match(text, /ok +dr app pay-usw2-app at the promoted plan's 4\/4\/4: 4\/4\/4, 4 in service/);
        // Each app reads its own global cluster (moto answers them all: runbook/operations.ts picks by id).
        assert.match(text, /simulated pay-usw2-aurora is the writer: moto answers/);
        assert.doesNotMatch(text, /FAILED|NOT REFUSED/);
        const forwarded = text.slice(text.indexOf("forwarded during the failover:"), text.indexOf("checked against"));
        assert.ok(forwarded.split("\n").slice(1).filter((l) => l.trim()).every((l) => /^ {2}us-west-2 /.test(l)), forwarded);
        // What moto could not do, per app and run, then every report.
        assert.match(text, /Simulated \(moto cannot perform them[^\n]*\n(  - .*\n)*  - dr failover promote-database: moto answers/);
        assert.match(text, /  - pay-dr failover warm-cache: moto answers ModifyReplicationGroup with HTTP 500/);
        assert.match(text, /Reports:\n  dr failover: .*failover-dr-.*\.md, .*\.svg\n  pay-dr failover: [\s\S]*  the portfolio's:\n    .*outage-dr-/);
        assert.match(text, /drill completed$/);

        const reports = fs.readdirSync(reportDir);
        const failover = reports.find((f) => f.startsWith("portfolio-failover-portfolio-"))!;
        const failback = reports.find((f) => f.startsWith("portfolio-failback-portfolio-"))!;
        const forward = fs.readFileSync(path.join(reportDir, failover), "utf8");
        assert.match(forward, /^# Portfolio failover report: portfolio \(estate, unplanned\)/);
        assert.match(forward, /- outcome: completed/);
        assert.match(forward, /\| 1 \| dr \| shop \| pilot-light \| completed \| \d+\.\d \| \d+ \| .*failover-dr-.*\.md \|/);
        assert.match(forward, /\| 2 \| pay-dr \| pay \| warm-standby \| completed \| \d+\.\d \| \d+ \| .*failover-pay-dr-.*\.md \|/);
        assert.match(forward, /against the portfolio's RTO target of \d+ s: met/);
        assert.match(fs.readFileSync(path.join(reportDir, failback), "utf8"), /- waves, in the order run: 2, 1 \(a failback takes the last wave first\)/);
        assert.ok(reports.some((f) => f.startsWith("outage-pay-dr-")) && reports.some((f) => f.startsWith("outage-dr-")), reports.join(", "));
        assert.deepEqual(reports.filter((f) => f.endsWith(".progress.json")), [], "everything completed: no progress left");
    });
});
