// The runbook under faults, against fakes on loopback (issue 17, section 3): a change whose answer comes late
// is sent once and read back, never sent again blindly; a run that nothing answers says so, and that it wrote
// no report. (tests/runbookFaults.moto.test.ts: the faults that need the emulator.)
import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nextStep, runbookCommand } from "../cli/runbook";
import { EMULATOR_CREDENTIALS } from "../model/tooling/emulator";
import { freeLoopbackPort } from "../offline/moto";
import { AwsClients } from "../runbook/aws";
import { runbookContext } from "../runbook/context";
import { LOCK_TTL_MS, LockHeldError, LockHolder, acquireLock, lockParameterName, stale, thisRun } from "../runbook/lock";
import { runSteps } from "../runbook/engine";
import { NothingToFailBackError, failbackSteps } from "../runbook/failback";
import { failoverDeployCommands, failoverSteps } from "../runbook/failover";
import { interruptedLines } from "../runbook/run";
import { NotConfirmedError, NotReadyError, RunbookContext, RunbookStep } from "../runbook/types";

const ACCOUNT = "123456789012";
const arnOf = (region: string, cluster: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:${cluster}`;
const PRIMARY_ARN = arnOf("us-east-1", "shop-use1-aurora");
const DR_ARN = arnOf("us-west-2", "shop-usw2-aurora");

/**
 * A slow RDS on 127.0.0.1 (the query protocol, as AWS answers it): the global cluster shop-global of the pair's
 * two clusters. A switchover or failover starts at once (DescribeGlobalClusters shows it under way), completes
 * after `completeMs`, and is answered after `answerMs`: later than the client waits. Every request is counted
 * by its Action.
 */
class SlowRds {
    readonly actions: string[] = [];
    writer = PRIMARY_ARN;
    promoting: { status: string; to: string } | undefined;
    private server!: http.Server;
    url = "";

    constructor(private readonly answerMs: number, private readonly completeMs: number, private readonly takesEffect = true) {}

    count(action: string): number {
        return this.actions.filter((a) => a === action).length;
    }

    async start(): Promise<this> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
                const action = form.get("Action") ?? "";
                this.actions.push(action);
                const answer = (xml: string) => {
                    res.writeHead(200, { "content-type": "text/xml" });
                    res.end(`<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${xml}</${action}Result>` +
                        `<ResponseMetadata><RequestId>r-${this.actions.length}</RequestId></ResponseMetadata></${action}Response>`);
                };
                switch (action) {
                    case "DescribeDBClusters": {
                        const id = form.get("DBClusterIdentifier")!;
                        const arn = id === "shop-usw2-aurora" ? DR_ARN : id === "shop-use1-aurora" ? PRIMARY_ARN : undefined;
                        return answer(`<DBClusters>${arn ? `<DBCluster><DBClusterIdentifier>${id}</DBClusterIdentifier><DBClusterArn>${arn}</DBClusterArn></DBCluster>` : ""}</DBClusters>`);
                    }
                    case "DescribeGlobalClusters":
                        return answer(`<GlobalClusters><GlobalClusterMember><GlobalClusterIdentifier>shop-global</GlobalClusterIdentifier><GlobalClusterMembers>` +
                            [PRIMARY_ARN, DR_ARN].map((arn) => `<GlobalClusterMember><DBClusterArn>${arn}</DBClusterArn><IsWriter>${arn === this.writer}</IsWriter></GlobalClusterMember>`).join("") +
                            `</GlobalClusterMembers>${this.promoting ? `<FailoverState><Status>${this.promoting.status}</Status><ToDbClusterArn>${this.promoting.to}</ToDbClusterArn></FailoverState>` : ""}` +
                            "</GlobalClusterMember></GlobalClusters>");
                    case "SwitchoverGlobalCluster":
                    case "FailoverGlobalCluster": {
                        const to = form.get("TargetDbClusterIdentifier")!;
                        if (this.takesEffect && !this.promoting && this.writer !== to) {
                            this.promoting = { status: action === "SwitchoverGlobalCluster" ? "switching-over" : "failing-over", to };
                            setTimeout(() => { this.writer = to; this.promoting = undefined; }, this.completeMs);
                        }
                        setTimeout(() => answer("<GlobalCluster><GlobalClusterIdentifier>shop-global</GlobalClusterIdentifier></GlobalCluster>"), this.answerMs);
                        return undefined;
                    }
                    default:
                        res.writeHead(400, { "content-type": "text/xml" });
                        return res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`);
                }
            });
        });
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/** The dr stack's context with every client sent to the fake, with timeouts shorter than its answers. */
function context(rds: SlowRds, mode: "planned" | "unplanned"): RunbookContext {
    const ctx = runbookContext({
        stack: "dr", mode, waitSeconds: 5, pollMs: 50,
        target: { endpoint: rds.url, credentials: EMULATOR_CREDENTIALS, timeouts: { connectMs: 500, requestMs: 300 } },
    });
    // The unplanned promotion reads the lag first (CloudWatch, another protocol): no data.
    return { ...ctx, dr: { ...ctx.dr, cloudwatch: { send: async () => ({ Datapoints: [] }) } as never } };
}

const only = (steps: RunbookStep[], id: string) => [steps.find((s) => s.id === id)!];
const run = (steps: RunbookStep[], ctx: RunbookContext) => runSteps(steps, ctx, { dryRun: false, confirm: async () => true, renderer: "silent" });

describe("the runbook under faults: a change whose answer comes late (issue 17, 3.1)", function () {
    this.timeout(15_000);
    let rds: SlowRds;
    afterEach(async () => rds?.stop());

    it("a slow SwitchoverGlobalCluster is sent once, not again by the SDK; the state read back shows it under way, and the step waits on it", async () => {
        rds = await new SlowRds(1500, 400).start();
        const ctx = context(rds, "planned");
        const outcome = await run(only(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(rds.count("SwitchoverGlobalCluster"), 1, "sent once");
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(outcome.results[0].status, "done");
        assert.equal(rds.writer, DR_ARN);
        assert.equal(outcome.results[0].notes.length, 1);
        assert.match(outcome.results[0].notes[0], /^us-west-2 rds SwitchoverGlobalCluster: no answer \(ETIMEDOUT: .*requestTimeout\.\); the region or its rds endpoint does not answer: sent once, not again\. Read back: shop-global shows a promotion to shop-usw2-aurora under way \(switching-over\): the change was made$/);
    });

    it("an unplanned failover's FailoverGlobalCluster likewise; and the failback's switchover back", async () => {
        rds = await new SlowRds(1500, 400).start();
        const ctx = context(rds, "unplanned");
        const outcome = await run(only(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.deepEqual([rds.count("FailoverGlobalCluster"), rds.writer], [1, DR_ARN]);
        const back = context(rds, "planned");
        const failback = await run(only(failbackSteps(back), "switch-database-back"), back);
        assert.equal(failback.error, undefined, failback.error?.message);
        assert.deepEqual([rds.count("SwitchoverGlobalCluster"), rds.writer], [1, PRIMARY_ARN]);
        assert.match(failback.results[0].notes.join(), /us-east-1 rds SwitchoverGlobalCluster: no answer .*Read back: shop-global shows a promotion to shop-use1-aurora under way/);
    });

    it("a lost answer whose change does not show: the step fails, saying it was sent once and what was read back", async () => {
        rds = await new SlowRds(1500, 400, false).start();
        const ctx = context(rds, "planned");
        const outcome = await run(only(failoverSteps(ctx), "promote-database"), ctx);
        assert.equal(rds.count("SwitchoverGlobalCluster"), 1, "sent once");
        assert.equal(outcome.results[0].status, "failed");
        assert.match(outcome.error!.message, /^us-west-2 rds SwitchoverGlobalCluster: no answer \(.*\); the region or its rds endpoint does not answer: sent once, not again\. Read back: shop-global shows no promotion to shop-usw2-aurora under way, and shop-usw2-aurora is not the writer: the change was not made$/);
    });
});

describe("the runbook under faults: nothing answers (issue 17, 3.3)", function () {
    this.timeout(15_000);

    it("no emulator nor region answering: the CLI says it could not take the lock, where, that nothing changed and no report was written", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-nothing-"));
        try {
            const out: string[] = [];
            const err: string[] = [];
            const code = await runbookCommand(["failover", "--stack", "dr", "--yes", "--endpoint", `http://127.0.0.1:${await freeLoopbackPort()}`, "--report-dir", dir],
                { out: (l = "") => out.push(l), err: (l = "") => err.push(l) }, { renderer: "silent" });
            assert.equal(code, 1);
            const all = [...out, ...err].join("\n");
            assert.doesNotMatch(all, /undefined/);
            assert.doesNotMatch(all, /\n\s+at /, "no stack trace");
            assert.match(err.join("\n"), /^failover stopped before its first step: could not take the lock \/shop\/dr\/runbook-lock in us-west-2: us-west-2 ssm PutParameter: no answer \(ECONNREFUSED[^)]*\); the region or its ssm endpoint does not answer\nNothing was changed, and no report was written\. Re-run the same command once SSM in us-west-2 answers\.$/);
            assert.deepEqual(fs.readdirSync(dir), [], "no report, no progress");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the runbook's advice agrees with what it does (issue 17, 3.5)", function () {
    this.timeout(15_000);

    it("after a stop: continue where the run changed something; nothing after a refusal, which says what to do; else the same command once fixed", () => {
        assert.equal(nextStep({ approved: true, error: new Error("smoke check GET ...") }), "Re-run the same command to continue: finished steps are skipped.");
        for (const refusal of [new NothingToFailBackError("nothing to fail back: ..."), new NotReadyError(["x"]), new NotConfirmedError()]) {
            assert.equal(nextStep({ approved: false, error: refusal }), undefined, refusal.message);
        }
        assert.equal(nextStep({ approved: false, error: new Error("us-west-2 autoscaling DescribeAutoScalingGroups: no answer") }),
            "Nothing was changed. Re-run the same command once that is fixed.");
        assert.equal(nextStep({ approved: true }), undefined);
    });

    it("--force is offered only where it goes past something: not past a reason the steps after need", () => {
        assert.match(new NotReadyError(["lag 9000 ms"]).message, /\nFix these, or re-run with --force to proceed anyway\.$/);
        assert.equal(new NotReadyError(["the primary does not answer"], ["the primary does not answer"]).message,
            "DR is not ready:\n  - the primary does not answer [needed: --force does not go past it]\nFix these and re-run.");
        assert.equal(new NotReadyError(["lag 9000 ms", "the primary does not answer"], ["the primary does not answer"]).message,
            "DR is not ready:\n  - lag 9000 ms\n  - the primary does not answer [needed: --force does not go past it]\n" +
            "Fix those marked needed and re-run; --force then goes past the others.");
    });

    it("backup & restore: a failover does not warn that dr:restoreFrom is ignored (its IaC step sets it); a failback still does", async () => {
        const arn = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1234";
        const printed = async (kind: string) => {
            const err: string[] = [];
            const code = await runbookCommand([kind, "--stack", "dr", "--dry-run", "--set", "dr:strategy=backup-restore", "--set", `dr:restoreFrom=${arn}`],
                { out: () => undefined, err: (l = "") => err.push(l) }, { renderer: "silent" });
            assert.equal(code, 0, err.join("\n"));
            return err.join("\n");
        };
        assert.doesNotMatch(await printed("failover"), /restoreFrom/);
        const ctx = runbookContext({ stack: "dr", mode: "unplanned", overrides: { "dr:strategy": "backup-restore", "dr:restoreFrom": arn } });
        assert.equal(failoverDeployCommands(ctx)[0], `pulumi config set dr:restoreFrom ${arn} -s dr`, "the IaC step sets the value the stack has");
        assert.match(await printed("failback"), /dr:restoreFrom .*is ignored.*pulumi config rm dr:restoreFrom -s dr/, "the failback's IaC step removes it too");
    });
});

/** SSM as the lock uses it, in memory: PutParameter (create only, unless Overwrite), GetParameter, DeleteParameter. */
class FakeSsm {
    readonly parameters = new Map<string, string>();
    readonly puts: any[] = [];
    /** Set: the next create is made, then answered as its second attempt would be (the first's answer lost). */
    loseNextCreateAnswer = false;

    clients(): AwsClients {
        const fail = (name: string) => Object.assign(new Error(name), { name });
        const ssm = {
            send: async (command: { constructor: { name: string }; input: any }) => {
                const { Name, Value, Overwrite } = command.input;
                switch (command.constructor.name) {
                    case "PutParameterCommand":
                        this.puts.push(JSON.parse(Value));
                        if (this.parameters.has(Name) && !Overwrite) {
                            throw fail("ParameterAlreadyExists");
                        }
                        this.parameters.set(Name, Value);
                        if (this.loseNextCreateAnswer && !Overwrite) {
                            this.loseNextCreateAnswer = false;
                            throw fail("ParameterAlreadyExists");
                        }
                        return { Version: 1 };
                    case "GetParameterCommand":
                        if (!this.parameters.has(Name)) {
                            throw fail("ParameterNotFound");
                        }
                        return { Parameter: { Name, Value: this.parameters.get(Name) } };
                    case "DeleteParameterCommand":
                        this.parameters.delete(Name);
                        return {};
                    default:
                        throw new Error(`FakeSsm: unexpected ${command.constructor.name}`);
                }
            },
        };
        return { region: "us-west-2", ssm } as unknown as AwsClients;
    }

    holder(): LockHolder {
        return JSON.parse(this.parameters.get(lockParameterName("shop"))!);
    }
}

describe("the runbook's lock: a run id and an expiry a live run renews (issue 17, 3.6)", () => {
    const T0 = new Date("2026-11-22T00:00:00Z");
    const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);
    /** A run in a container: the same hostname and pid as the other's, in a pid namespace of its own. */
    const inContainer = (namespace: string): LockHolder => ({ ...thisRun("failover", "dr", "unplanned", T0), host: "runner", pid: 7, machine: `boot-1/pid:[${namespace}]` });
    const nobodyHere = () => false;

    it("two containers with one hostname and pid: the second does not take the first's live lock", async () => {
        const ssm = new FakeSsm();
        const first = inContainer("4026532001"), second = inContainer("4026532002");
        assert.notEqual(first.runId, second.runId, "a random run id each");
        await acquireLock(ssm.clients(), "shop", first, false, { now: at(0), renewMs: 0, alive: nobodyHere });
        // Pid 7 is not running in the second container's namespace: that says nothing of the first's.
        await assert.rejects(acquireLock(ssm.clients(), "shop", second, false, { now: at(1), renewMs: 0, alive: nobodyHere }),
            (e: unknown) => e instanceof LockHeldError && e.holder?.runId === first.runId);
        assert.equal(ssm.holder().runId, first.runId);
    });

    it("a live run renews its lock; a dead run's is stale after its expiry, taken over from any machine; the old holder then finds it lost", async () => {
        const ssm = new FakeSsm();
        const first = inContainer("4026532001"), laptop = { ...thisRun("failover", "dr", "unplanned", T0), host: "laptop", machine: "boot-9/pid:[4026531836]" };
        const lostTo: (LockHolder | undefined)[] = [];
        let minutes = 0;
        const held = await acquireLock(ssm.clients(), "shop", first, false, { now: () => at(minutes)(), renewMs: 0, onLost: (h) => lostTo.push(h) });
        assert.equal(ssm.holder().expiresAt, at(LOCK_TTL_MS / 60_000)().toISOString(), "it holds LOCK_TTL_MS from now");
        const later = (minutes: number) => acquireLock(ssm.clients(), "shop", laptop, false, { now: at(minutes), renewMs: 0, alive: nobodyHere });
        await assert.rejects(later(4), LockHeldError, "not yet expired");

        // The live run renews it at 4 min (its heartbeat): it holds until 9 min.
        minutes = 4;
        await held.renew();
        assert.equal(ssm.holder().expiresAt, at(4 + LOCK_TTL_MS / 60_000)().toISOString());
        await assert.rejects(later(8), LockHeldError, "renewed: still live");
        assert.equal(stale(ssm.holder(), at(8)()), false);

        // Then it dies: no renewal. After 9 min any machine takes it over, saying why.
        assert.equal(stale(ssm.holder(), at(10)()), true);
        const taken = await later(10);
        assert.equal(taken.tookOverFrom?.runId, first.runId);
        assert.match(taken.why!, /^stale: not renewed since it expired at 2026-11-22T00:09:00\.000Z$/);

        // Had it only lost touch, its next renewal finds the lock another run's: it stops, and releases nothing.
        await held.renew();
        assert.deepEqual(lostTo.map((h) => h?.runId), [laptop.runId]);
        await held.release();
        assert.equal(ssm.holder().runId, laptop.runId, "the other run's lock is left alone");
    });

    it("a killed run of this kernel and pid namespace is taken over at once; --break-lock takes a live one; a lock of an earlier version (no expiry) only with --break-lock", async () => {
        const ssm = new FakeSsm();
        const killed = inContainer("4026532001");
        await acquireLock(ssm.clients(), "shop", killed, false, { now: at(0), renewMs: 0 });
        const sameNamespace = { ...inContainer("4026532001"), pid: 8 };
        const mine = await acquireLock(ssm.clients(), "shop", sameNamespace, false, { now: at(1), renewMs: 0, alive: nobodyHere });
        assert.equal(mine.why, "its pid 7 is gone from this machine");

        const legacy = { kind: "failover", stack: "dr", mode: "planned", user: "bob", host: "old", pid: 1, startedAt: T0.toISOString(), token: "1-2-abc" };
        ssm.parameters.set(lockParameterName("shop"), JSON.stringify(legacy));
        await assert.rejects(acquireLock(ssm.clients(), "shop", inContainer("4026532003"), false, { now: at(600), renewMs: 0, alive: nobodyHere }),
            (e: unknown) => e instanceof LockHeldError && e.holder?.runId === "1-2-abc" && /re-run with --break-lock\.$/.test(e.message));
        const broken = await acquireLock(ssm.clients(), "shop", inContainer("4026532003"), true, { now: at(600), renewMs: 0 });
        assert.deepEqual([broken.tookOverFrom?.runId, broken.why], ["1-2-abc", "--break-lock"]);
    });

    it("a create whose answer was lost (the SDK's second attempt finds the lock made) is this run's, not another's", async () => {
        const ssm = new FakeSsm();
        ssm.loseNextCreateAnswer = true;
        const me = inContainer("4026532001");
        const held = await acquireLock(ssm.clients(), "shop", me, false, { now: at(0), renewMs: 0 });
        assert.equal(held.tookOverFrom, undefined);
        assert.equal(ssm.holder().runId, me.runId);
    });

    it("the heartbeat renews the lock by itself until the run releases it", async () => {
        const ssm = new FakeSsm();
        let minutes = 0;
        const held = await acquireLock(ssm.clients(), "shop", inContainer("4026532001"), false, { now: () => at(minutes)(), renewMs: 10 });
        const expiries = () => ssm.puts.map((p) => p.expiresAt);
        minutes = 1;
        await new Promise((resolve) => setTimeout(resolve, 60));
        assert.ok(expiries().length >= 3, `renewed: ${expiries().join(", ")}`);
        assert.equal(ssm.holder().expiresAt, at(1 + LOCK_TTL_MS / 60_000)().toISOString());
        await held.release();
        const puts = ssm.puts.length;
        await new Promise((resolve) => setTimeout(resolve, 40));
        assert.equal(ssm.puts.length, puts, "no renewal after the release");
        assert.equal(ssm.parameters.size, 0);
    });
});

describe("the runbook interrupted (issue 17, 3.7)", () => {
    it("says where the report is, or that there is none yet, and how to go on", () => {
        const lines = (p: Partial<Parameters<typeof interruptedLines>[0]>) => interruptedLines({ kind: "failover", signal: "SIGINT", approved: true, ...p });
        assert.deepEqual(lines({ reportPath: "reports/failover-dr-x.md", progressPath: "reports/.failover-dr.progress.json" }), [
            "\nfailover interrupted (SIGINT): the steps under way stopped where they were; AWS finishes what it was already asked.",
            "report so far: reports/failover-dr-x.md (and .svg)",
            "Re-run the same command to continue: its progress (reports/.failover-dr.progress.json) lets it resume, and finished steps are skipped.",
        ]);
        // Approved, interrupted before a step finished: a promotion may be under way; the re-run reads it first.
        assert.deepEqual(lines({}).slice(1), ["no report written yet: no step had finished.",
            "Re-run the same command to continue: each step reads the state first, and finished steps are skipped."]);
        assert.deepEqual(lines({ approved: false, reportPath: "r.md", signal: "SIGTERM" }).slice(2), ["Nothing was changed. Re-run the same command to start again."]);
        assert.equal(lines({ notReleased: new Error("the lock ... was not released: ...") })[2], "the lock ... was not released: ...");
    });
});
