// The portfolio's runbook (issue 19) against fake app runs: waves in order (a failback's reversed), a bounded
// number of apps at a time within a wave, a failed app stopping the next wave unless --keep-going, a re-run
// skipping what an interrupted run completed, the portfolio's report and its command line.
// (tests/portfolio.moto.test.ts: the drill's portfolio against moto.)
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseRunbookArgs, parseRunbookCommandLine, runbookCommand } from "../cli/runbook";
import { loadPortfolio } from "../model/portfolio";
import { AppRunResult, PortfolioAppPlan, bounded, initialOutcomes, nextWaveMayStart, runPortfolio, waveOrder } from "../runbook/portfolio";
import { portfolioProgressPath, readPortfolioProgress } from "../runbook/portfolioRecord";
import { appCommand, portfolioMarkdown, resumeCommand } from "../runbook/portfolioReport";
import { runPortfolioRunbook } from "../runbook/portfolioRunbook";
import type { RunbookArgs, RunbookRun } from "../runbook/run";
import type { RunbookContext } from "../runbook/types";

const plan = (stack: string, wave: number): PortfolioAppPlan => ({ member: { stack, wave }, appName: stack, strategy: "pilot-light", estimateSeconds: 100 * wave });
const tick = () => new Promise((r) => setTimeout(r, 5));
/** The portfolio's lock, taken and released without AWS. */
const noLock = async () => ({ release: async () => undefined });

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, out, err };
}

/** A fake app run: records its start and end, fails where told. */
function fakeApps(failing: readonly string[] = []) {
    const events: string[] = [];
    let active = 0;
    let most = 0;
    const runApp = async (app: PortfolioAppPlan): Promise<AppRunResult> => {
        events.push(`start ${app.member.stack}`);
        most = Math.max(most, ++active);
        await tick();
        active--;
        events.push(`end ${app.member.stack}`);
        const ok = !failing.includes(app.member.stack);
        return { ok, seconds: 1, reportPath: `reports/${app.member.stack}.md`, error: ok ? undefined : `${app.member.stack} broke` };
    };
    return { events, runApp, most: () => most };
}

describe("the portfolio's run (runbook/portfolio.ts)", () => {
    const apps = [plan("a", 1), plan("b", 1), plan("c", 2), plan("d", 3), plan("e", 1), plan("f", 1), plan("g", 1)];

    it("takes the waves in order for a failover, the last wave first for a failback, each wave's apps as listed", () => {
        assert.deepEqual(waveOrder("failover", apps).map((w) => [w.wave, w.apps.map((a) => a.member.stack).join("")]), [[1, "abefg"], [2, "c"], [3, "d"]]);
        assert.deepEqual(waveOrder("failback", apps).map((w) => w.wave), [3, 2, 1]);
    });

    it("runs a wave's apps side by side, never more than --parallel at once, and the next wave after the whole of this one", async () => {
        const fake = fakeApps();
        const run = await runPortfolio({ kind: "failover", apps, parallel: 2, keepGoing: false, runApp: fake.runApp });
        assert.equal(fake.most(), 2);
        const lastOfWave1 = Math.max(...["a", "b", "e", "f", "g"].map((s) => fake.events.indexOf(`end ${s}`)));
        assert.ok(fake.events.indexOf("start c") > lastOfWave1, fake.events.join(", "));
        assert.ok(fake.events.indexOf("start d") > fake.events.indexOf("end c"));
        assert.deepEqual(run.outcomes.map((o) => `${o.stack}:${o.status}`), ["a:completed", "b:completed", "e:completed", "f:completed", "g:completed", "c:completed", "d:completed"]);
        assert.equal(run.stoppedAfterWave, undefined);
    });

    it("a failback runs the last wave first", async () => {
        const fake = fakeApps();
        await runPortfolio({ kind: "failback", apps: [plan("a", 1), plan("c", 2), plan("d", 3)], parallel: 4, keepGoing: false, runApp: fake.runApp });
        assert.deepEqual(fake.events.filter((e) => e.startsWith("start")), ["start d", "start c", "start a"]);
    });

    it("a failed app does not stop the others of its wave, but the next wave does not start; --keep-going starts it", async () => {
        const stopped = fakeApps(["b"]);
        const run = await runPortfolio({ kind: "failover", apps, parallel: 4, keepGoing: false, runApp: stopped.runApp });
        assert.deepEqual(run.outcomes.map((o) => `${o.stack}:${o.status}`), ["a:completed", "b:failed", "e:completed", "f:completed", "g:completed", "c:not-started", "d:not-started"]);
        assert.equal(run.stoppedAfterWave, 1);
        assert.equal(run.outcomes.find((o) => o.stack === "b")!.error, "b broke");

        const going = fakeApps(["b"]);
        const kept = await runPortfolio({ kind: "failover", apps, parallel: 4, keepGoing: true, runApp: going.runApp });
        assert.deepEqual(kept.outcomes.filter((o) => o.status !== "completed").map((o) => o.stack), ["b"]);
        assert.equal(kept.stoppedAfterWave, undefined);
        assert.equal(nextWaveMayStart([{ stack: "x", wave: 1, status: "failed" }], true), true);
    });

    it("an app whose run throws is that app's failure; the others go on", async () => {
        const run = await runPortfolio({
            kind: "failover", apps: [plan("a", 1), plan("b", 1)], parallel: 4, keepGoing: false,
            runApp: async (app) => { if (app.member.stack === "a") throw new Error("report not written: disk full"); return { ok: true, seconds: 2 }; },
        });
        assert.deepEqual(run.outcomes.map((o) => `${o.stack}:${o.status}:${o.error ?? ""}`), ["a:failed:report not written: disk full", "b:completed:"]);
    });

    it("skips the apps an interrupted run completed, keeping their outcome, and runs the rest", async () => {
        const earlier = [{ stack: "a", wave: 1, status: "completed" as const, seconds: 7, reportPath: "r/a.md" }, { stack: "b", wave: 1, status: "failed" as const }];
        assert.deepEqual(initialOutcomes("failover", [plan("a", 1), plan("b", 1)], earlier).map((o) => o.status), ["completed-earlier", "not-started"]);
        const fake = fakeApps();
        const run = await runPortfolio({ kind: "failover", apps: [plan("a", 1), plan("b", 1), plan("c", 2)], parallel: 4, keepGoing: false, earlier, runApp: fake.runApp });
        assert.deepEqual(fake.events.filter((e) => e.startsWith("start")), ["start b", "start c"]);
        assert.deepEqual(run.outcomes[0], { stack: "a", wave: 1, status: "completed-earlier", seconds: 7, reportPath: "r/a.md", startedAt: undefined, endedAt: undefined });
    });

    it("bounded() keeps the order of its results and takes a limit above the items", async () => {
        assert.deepEqual(await bounded([3, 1, 2], 10, async (n) => { await tick(); return n * 2; }), [6, 2, 4]);
        assert.deepEqual(await bounded([], 2, async (n: number) => n), []);
    });
});

describe("the portfolio through the runbook (runbook/portfolioRunbook.ts), with fake app runs", () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "portfolio-")); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A fake runbook: each app's run as runRunbook returns it, failing where told. */
    function fakeRunbook(failing: Set<string>, seen: RunbookArgs[], during?: (args: RunbookArgs) => void) {
        return async (args: RunbookArgs): Promise<RunbookRun> => {
            seen.push(args);
            during?.(args);
            const failed = failing.has(args.stack);
            return {
                results: [{ id: "scale-app", title: "Scale", status: failed ? "failed" : "done", expectedSeconds: 10, seconds: 3, startedAt: 0, endedAt: 3, notes: [] }],
                error: failed ? new Error(`${args.stack}: scale-app failed`) : undefined,
                reportPath: args.dryRun ? undefined : path.join(args.reportDir, `${args.kind}-${args.stack}.md`),
                ctx: {} as RunbookContext, approved: !args.dryRun,
            };
        };
    }

    it("one approval for every app; each app's run approved by it; nothing runs when it is refused", async () => {
        const portfolio = loadPortfolio("portfolio");
        const seen: RunbookArgs[] = [];
        const asked: string[] = [];
        const refused = await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "unplanned", parallel: 4, keepGoing: false, dryRun: false, yes: false, reportDir: dir,
            approve: async (what) => { asked.push(what); return false; }, takeLock: noLock, runbook: fakeRunbook(new Set(), seen), print: () => undefined,
        });
        assert.equal(refused.approved, false);
        assert.equal(seen.length, 0);
        assert.deepEqual(asked, ["failover portfolio portfolio (unplanned, 2 apps) into us-west-2, wave 1: dr (shop, pilot-light); then wave 2: pay-dr (pay, warm-standby)"]);
        assert.deepEqual(fs.readdirSync(dir), [], "a refused run writes nothing");

        const approved = await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "unplanned", parallel: 4, keepGoing: false, dryRun: false, yes: false, reportDir: dir,
            approve: async () => true, takeLock: noLock, runbook: fakeRunbook(new Set(), seen), print: () => undefined,
        });
        assert.equal(approved.approved, true);
        assert.deepEqual(seen.map((a) => [a.stack, a.yes, a.mode, a.engine]), [["dr", true, "unplanned", "runbook"], ["pay-dr", true, "unplanned", "runbook"]]);
        assert.ok(!fs.existsSync(portfolioProgressPath(dir, "failover", "portfolio")), "completed: no progress left");
    });

    it("writes the portfolio's report: per app its wave, status, measured time, estimate and report; the total against the target", async () => {
        const portfolio = loadPortfolio("portfolio");
        const done = await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir,
            takeLock: noLock, runbook: fakeRunbook(new Set(), []), print: () => undefined,
        });
        assert.match(path.basename(done.reportPath!), /^portfolio-failover-portfolio-\d{4}-\d\d-\d\dT[\d-]+Z\.md$/);
        const text = fs.readFileSync(done.reportPath!, "utf8");
        assert.match(text, /^# Portfolio failover report: portfolio \(estate, planned\)/);
        assert.match(text, /- outcome: completed/);
        const dr = done.plans.find((p) => p.member.stack === "dr")!;
        assert.match(text, new RegExp(`\\| 1 \\| dr \\| shop \\| pilot-light \\| completed \\| 3\\.0 \\| ${dr.estimateSeconds} \\| ${path.join(dir, "failover-dr.md").replace(/[.]/g, "\\.")} \\|`));
        assert.match(text, /\| 2 \| pay-dr \| pay \| warm-standby \| completed \| 3\.0 \| \d+ \|/);
        assert.match(text, new RegExp(`against the portfolio's RTO target of ${done.estimate.rtoTargetSeconds} s: met`));
        assert.doesNotMatch(text, /To resume/);
    });

    it("a failed app: the next wave does not start, the failure is named with the command that resumes it; the re-run skips what completed", async () => {
        const portfolio = loadPortfolio("portfolio");
        const seen: RunbookArgs[] = [];
        const { io, out, err } = capture();
        const first = await runPortfolioRunbook({
            kind: "failback", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir,
            takeLock: noLock, runbook: fakeRunbook(new Set(["pay-dr"]), seen), print: io.out, printError: io.err,
        });
        // A failback: wave 2 (pay-dr) first; its failure keeps wave 1 (dr) from starting.
        assert.deepEqual(seen.map((a) => a.stack), ["pay-dr"]);
        assert.deepEqual(first.run!.outcomes.map((o) => `${o.stack}:${o.status}`), ["pay-dr:failed", "dr:not-started"]);
        assert.equal(first.run!.stoppedAfterWave, 2);
        const text = fs.readFileSync(first.reportPath!, "utf8");
        assert.match(text, /- outcome: \*\*stopped\*\* after wave 2: an app of it failed/);
        assert.match(text, /pay-dr \(wave 2\) failed: pay-dr: scale-app failed/);
        assert.match(text, /not started: dr \(wave 1\): wave 2 had a failed app/);
        assert.match(text, new RegExp(`Resume .*: \`npm run failback -- --portfolio portfolio --report-dir ${dir.replace(/[.]/g, "\\.")} --yes\``));
        assert.match(text, new RegExp(`- or pay-dr alone: \`npm run failback -- --stack pay-dr --report-dir ${dir.replace(/[.]/g, "\\.")}\``));
        assert.match(text, /RTO target/, "a failback names the failover's target");
        assert.match(out.join("\n"), /wave 2: pay-dr failed in 3\.0 s: pay-dr: scale-app failed/);
        assert.deepEqual(err, []);
        const progress = readPortfolioProgress(portfolioProgressPath(dir, "failback", "portfolio"))!;
        assert.deepEqual(progress.outcomes.map((o) => o.status), ["failed", "not-started"]);

        // Fixed; the same command: pay-dr runs again (continuing from its own progress), then dr.
        seen.length = 0;
        const again = await runPortfolioRunbook({
            kind: "failback", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir,
            takeLock: noLock, runbook: fakeRunbook(new Set(), seen), print: () => undefined,
        });
        assert.deepEqual(seen.map((a) => a.stack), ["pay-dr", "dr"]);
        assert.equal(again.reportPath, first.reportPath, "the continued run keeps the first run's report");
        assert.match(fs.readFileSync(again.reportPath!, "utf8"), /- continued: the run started .* stopped before it finished/);
    });

    it("a killed run: as each app ends the progress says so; the same command skips the apps it completed", async () => {
        const portfolio = loadPortfolio("portfolio");
        const seen: RunbookArgs[] = [];
        const file = portfolioProgressPath(dir, "failover", "portfolio");
        // Killed as wave 2 runs: what the progress holds then is what a killed process leaves.
        let atKill: string | undefined;
        await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir, print: () => undefined,
            takeLock: noLock, runbook: fakeRunbook(new Set(), seen, (args) => { if (args.stack === "pay-dr") atKill = fs.readFileSync(file, "utf8"); }),
        });
        fs.writeFileSync(file, atKill!);
        assert.deepEqual(readPortfolioProgress(file)!.outcomes.map((o) => `${o.stack}:${o.status}`), ["dr:completed", "pay-dr:not-started"]);
        seen.length = 0;
        const resumed = await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir,
            takeLock: noLock, runbook: fakeRunbook(new Set(), seen), print: () => undefined,
        });
        assert.deepEqual(seen.map((a) => a.stack), ["pay-dr"]);
        assert.deepEqual(resumed.run!.outcomes.map((o) => `${o.stack}:${o.status}`), ["dr:completed-earlier", "pay-dr:completed"]);
        assert.ok(!fs.existsSync(file));
    });

    it("takes the portfolio's own lock after the approval and releases it at the end; held by another run, no app runs", async () => {
        const portfolio = loadPortfolio("portfolio");
        const seen: RunbookArgs[] = [];
        const events: string[] = [];
        await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: false, reportDir: dir, print: () => undefined,
            approve: async () => { events.push("approved"); return true; },
            takeLock: async () => { events.push("locked"); return { release: async () => { events.push("released"); } }; },
            runbook: fakeRunbook(new Set(), seen, (args) => events.push(args.stack)),
        });
        assert.deepEqual(events, ["approved", "locked", "dr", "pay-dr", "released"]);

        seen.length = 0;
        const held = await runPortfolioRunbook({
            kind: "failover", portfolio, mode: "planned", parallel: 4, keepGoing: false, dryRun: false, yes: true, reportDir: dir, print: () => undefined,
            takeLock: async () => { throw new Error("another runbook run holds the lock /estate/dr/runbook-lock in us-west-2"); },
            runbook: fakeRunbook(new Set(), seen),
        });
        assert.equal(seen.length, 0);
        assert.equal(held.run, undefined);
        assert.match(held.error!.message, /\/estate\/dr\/runbook-lock/);
    });

    it("a dry run reads each app's plan, wave by wave, approves and writes nothing", async () => {
        const seen: RunbookArgs[] = [];
        const done = await runPortfolioRunbook({
            kind: "failback", portfolio: loadPortfolio("portfolio"), mode: "planned", parallel: 4, keepGoing: false, dryRun: true, yes: false, reportDir: dir,
            takeLock: noLock, runbook: fakeRunbook(new Set(), seen), approve: async () => assert.fail("a dry run asks nothing"),
        });
        assert.deepEqual(seen.map((a) => [a.stack, a.dryRun]), [["pay-dr", true], ["dr", true]]);
        assert.equal(done.run, undefined);
        assert.deepEqual(fs.readdirSync(dir), []);
    });
});

describe("npm run failover|failback -- --portfolio: its command line", () => {
    const usage = (argv: string[], message: RegExp) => assert.throws(() => parseRunbookCommandLine(argv), (e: Error & { exitCode?: number }) => {
        assert.match(e.message, message);
        assert.equal(e.exitCode, 2);
        return true;
    });

    it("parses the portfolio's options, with --parallel 4 by default", () => {
        assert.deepEqual(parseRunbookCommandLine(["failover", "--portfolio", "portfolio", "--unplanned", "--parallel", "2", "--keep-going", "--yes", "--endpoint", "http://127.0.0.1:5000"]), {
            portfolio: {
                kind: "failover", portfolio: "portfolio", mode: "unplanned", parallel: 2, keepGoing: true, dryRun: false, yes: true,
                endpoint: "http://127.0.0.1:5000", reportDir: "reports", waitSeconds: undefined,
            },
        });
        const back = parseRunbookCommandLine(["failback", "--portfolio", "portfolio"]);
        assert.ok("portfolio" in back && back.portfolio.parallel === 4 && back.portfolio.mode === "planned");
        assert.throws(() => parseRunbookArgs(["failover"]), /--stack is needed: the dr stacks here are dr, pay-dr/, "two apps here: --stack names one");
        assert.deepEqual(parseRunbookCommandLine(["failover", "--portfolio", "portfolio", "--engine", "region-switch", "--ungraceful"]),
            { app: { ...parseRunbookArgs(["failover", "--stack", "portfolio", "--engine", "region-switch", "--ungraceful"]) } }, "the parent plan: one run, of the portfolio stack");
    });

    it("refuses what is one app's, naming what to run instead", () => {
        usage(["failover", "--portfolio", "portfolio", "--stack", "dr"], /--stack dr: --portfolio runs each of its apps' dr stacks .*give one or the other/);
        usage(["failover", "--portfolio", "portfolio", "--engine", "region-switch", "--keep-going"], /--keep-going: --portfolio with --engine region-switch runs the portfolio's parent plan, whose waves and order are the plan's own/);
        usage(["failover", "--portfolio", "portfolio", "--engine", "region-switch", "--stack", "dr"], /--stack dr: --portfolio with --engine region-switch/);
        usage(["failover", "--portfolio", "portfolio", "--force"], /--force: .*npm run <failover\|failback> -- --stack <its dr stack> --force/);
        usage(["failover", "--portfolio", "portfolio", "--break-lock"], /--break-lock: a lock is one app's/);
        usage(["failover", "--portfolio", "portfolio", "--set", "dr:capacity=2"], /--set: .*pulumi config set <key> <value> -s <its dr stack>/);
        usage(["failback", "--portfolio", "portfolio", "--unplanned"], /failback is always planned/);
        usage(["failover", "--portfolio", "portfolio", "--parallel", "0"], /--parallel 0: must be a whole number from 1 to 64/);
        usage(["failover", "--parallel", "2"], /--parallel is a portfolio's: give --portfolio <portfolio stack>/);
        usage(["failover", "--keep-going"], /--keep-going is a portfolio's/);
        usage(["failover", "--portfolio", ""], /--portfolio needs the portfolio stack's name/);
    });

    it("a stack that is no portfolio, or none at all: the error names it and what there is", async () => {
        await assert.rejects(runbookCommand(["failover", "--portfolio", "prod", "--yes"], capture().io),
            (e: Error & { exitCode?: number }) => /Stack "prod" is not a portfolio: its dr:role is primary, not portfolio \(docs\/portfolio\.md\)/.test(e.message) && e.exitCode === 1);
        await assert.rejects(runbookCommand(["failover", "--portfolio", "nope", "--yes"], capture().io), /There is no stack file Pulumi\.nope\.yaml\. Stacks: .*portfolio/);
    });

    it("without a terminal and without --yes, nothing is changed", async () => {
        const { io, err } = capture();
        const stdin = process.stdin.isTTY;
        process.stdin.isTTY = false;
        try {
            assert.equal(await runbookCommand(["failover", "--portfolio", "portfolio", "--endpoint", "http://127.0.0.1:9"], io, { renderer: "silent" }), 1);
        } finally {
            process.stdin.isTTY = stdin;
        }
        assert.match(err.join("\n"), /refusing to failover portfolio portfolio without a person: no terminal to confirm on\. Re-run with --yes to approve\.\nportfolio failover not approved: nothing was changed\./);
    });

    it("the report judges the portfolio's time against its target only once every app has completed", () => {
        const estimate = { decidedSeconds: 600, waves: [], rtoSeconds: 6240, rtoTargetSeconds: 700, met: false, rpoSeconds: 5, drMonthlyUsd: 1, prodMonthlyUsd: 2 };
        const base = {
            kind: "failover" as const, portfolio: "portfolio", mode: "unplanned" as const, reportDir: "reports", appName: "estate", startedAt: new Date(0), target: "AWS",
            apps: [plan("dr", 1), plan("pay-dr", 2)], estimate, measuredSeconds: 120, inProgress: false,
        };
        const completed = portfolioMarkdown({ ...base, outcomes: [{ stack: "dr", wave: 1, status: "completed", seconds: 50 }, { stack: "pay-dr", wave: 2, status: "completed-earlier", seconds: 60 }] });
        assert.match(completed, /120\.0 s from the approval to the last app's end; with detection and the decision \(the estimate's 600 s, before any run\) 720\.0 s against the portfolio's RTO target of 700 s: \*\*missed\*\*/);
        const stopped = portfolioMarkdown({ ...base, stoppedAfterWave: 1, outcomes: [{ stack: "dr", wave: 1, status: "failed", seconds: 50, error: "a | b" }, { stack: "pay-dr", wave: 2, status: "not-started" }] });
        assert.match(stopped, /RTO target of 700 s: not judged, as not every app has completed/);
        assert.match(stopped, /- dr \(wave 1\) failed: a \\\| b/);
        assert.match(portfolioMarkdown({ ...base, inProgress: true, outcomes: [{ stack: "dr", wave: 1, status: "completed", seconds: 50 }, { stack: "pay-dr", wave: 2, status: "not-started" }] }),
            /- outcome: \*\*in progress, or interrupted\*\*: re-run the same command to continue/);
    });

    it("names the resume commands as a person types them", () => {
        const c = { kind: "failover" as const, portfolio: "portfolio", mode: "unplanned" as const, reportDir: "reports", endpoint: "http://127.0.0.1:5000" };
        assert.equal(resumeCommand(c), "npm run failover -- --portfolio portfolio --unplanned --endpoint http://127.0.0.1:5000 --yes");
        assert.equal(resumeCommand({ ...c, parallel: 2, keepGoing: true }), "npm run failover -- --portfolio portfolio --unplanned --endpoint http://127.0.0.1:5000 --parallel 2 --keep-going --yes");
        assert.equal(appCommand(c, "pay-dr"), "npm run failover -- --stack pay-dr --unplanned --endpoint http://127.0.0.1:5000");
    });
});
