import { strict as assert } from "assert";
import {
    DEFAULT_TARGETS, RecoverySettings, estimateRecovery, remedies, rpoByStore, rtoSteps, scaleSeconds,
} from "../model/objectives";
import { stackRun } from "../offline/evaluate";
import { stackError } from "./helpers";
import { backupIntervalSeconds } from "../model/cron";

const WARM: RecoverySettings = {
    strategy: "warm-standby",
    capacity: 8,
    standbyInstances: 2,
    standbyCache: "reduced",
    healthCheckIntervalSeconds: 10,
    healthCheckFailureThreshold: 3,
    dnsTtlSeconds: 60,
    backupIntervalSeconds: 3600,
    objectsReplicated: true,
    globalTable: false,
    overrides: {},
};

const rto = (s: RecoverySettings) => estimateRecovery(s).rtoSeconds;
const rpo = (s: RecoverySettings) => estimateRecovery(s).rpoSeconds;

describe("recovery objectives model", () => {
    it("warm standby, N=8 with 2 running: each step's arithmetic and source", () => {
        const steps = rtoSteps(WARM);
        assert.deepEqual(steps.map((x) => [x.step, x.seconds]), [
            ["detect", 30], // 10 s x 3
            ["decide", 900], // declare: 0-15 min
            ["readiness", 0], // reads in the dr region
            ["promote-database", 300], // 2-5 min
            ["scale-compute", 750], // 300 x (1 + 2 x 6/8)
            ["warm-cache", 600], // reduced cache: resize and warm, the lower end of 10-30 min
            ["shift-traffic", 60], // TTL
            ["reconcile-iac", 0], // converges on what the steps did
            ["smoke-check", 600], // 5-10 min
        ]);
        for (const step of steps) {
            assert.ok(step.source.length > 10, `${step.step} has a source`);
        }
        assert.match(steps[0].source, /10 s interval x 3 failures/);
        assert.match(steps[4].source, /2 of 8 instances running/);
    });

    it("warm standby: the RTO is the critical path, not the sum: database, fleet and cache run side by side", () => {
        const e = estimateRecovery(WARM);
        // 30 + 900 + max(300, 750, 600) + 60 + 600; the sum would be 3240
        assert.equal(e.rtoSeconds, 2340);
        assert.deepEqual(e.criticalPath, ["detect", "decide", "readiness", "scale-compute", "shift-traffic", "smoke-check"]);
        const at = (id: string) => e.rtoSteps.find((x) => x.step === id)!;
        assert.deepEqual([at("promote-database").start, at("scale-compute").start, at("warm-cache").start], [930, 930, 930]);
        assert.deepEqual([at("shift-traffic").start, at("shift-traffic").end], [1680, 1740]);
        assert.equal(at("warm-cache").critical, false);
        assert.equal(at("promote-database").critical, false);
        assert.deepEqual(at("shift-traffic").after, ["promote-database", "scale-compute", "warm-cache"]);
    });

    it("pilot light: the deploy that creates the cache follows the promotion, and the validation waits for it", () => {
        const pl = { ...WARM, strategy: "pilot-light" as const, standbyInstances: 0, standbyCache: "none" as const };
        const e = estimateRecovery(pl);
        const at = (id: string) => e.rtoSteps.find((x) => x.step === id)!;
        assert.equal(at("reconcile-iac").seconds, 1800);
        assert.equal(at("reconcile-iac").start, at("promote-database").end);
        // 30 + 1800 (decide) + 900 (promote) + 1800 (cache) + 900 (validate)
        assert.equal(e.rtoSeconds, 30 + 1800 + 900 + 1800 + 900);
        assert.deepEqual(e.criticalPath, ["detect", "decide", "readiness", "promote-database", "reconcile-iac", "smoke-check"]);
        assert.equal(at("scale-compute").critical, false);
    });

    it("backup & restore: the fence closes first, then the deploy restores, creates and launches side by side, then the validation", () => {
        const br = { ...WARM, strategy: "backup-restore" as const, standbyInstances: 0, standbyCache: "none" as const, objectsReplicated: false };
        const e = estimateRecovery(br);
        assert.deepEqual(e.criticalPath, ["detect", "decide", "readiness", "shift-traffic", "reconcile-iac", "smoke-check"]);
        const iac = e.rtoSteps.find((x) => x.step === "reconcile-iac")!;
        // The restore (4 h) is the longest of restore, cache (30 min) and fleet (8 from 0: 900 s); the rest stands by.
        assert.equal(iac.seconds, 4 * 3600);
        assert.match(iac.source, /14400 s restore the database.*; 1800 s create the cache.*; 900 s launch the fleet/);
        assert.equal(e.rtoSeconds, 30 + 1800 + 60 + 4 * 3600 + 1800);
        assert.equal(estimateRecovery({ ...br, overrides: { restoreSeconds: 3600 } }).rtoSeconds, 30 + 1800 + 60 + 3600 + 1800,
            "dr:restoreSeconds, the measured restore, replaces the reference's 4 h");
    });

    it("every tier's estimate at the defaults falls inside the reference's typical range and meets the default targets", () => {
        const tiers: [RecoverySettings, number, number][] = [
            [{ ...WARM, strategy: "backup-restore", standbyInstances: 0, standbyCache: "none", objectsReplicated: false }, 2 * 3600, 24 * 3600],
            [{ ...WARM, strategy: "pilot-light", standbyInstances: 0, standbyCache: "none" }, 3600, 4 * 3600],
            [WARM, 15 * 60, 3600],
            // Writes to the DynamoDB global table only: the reference's "near zero (30-90 s)".
            [{ ...WARM, strategy: "active-active", standbyInstances: 8, standbyCache: "full", globalTable: true, writes: "dynamodb" }, 30, 90],
        ];
        for (const [settings, low, high] of tiers) {
            const e = estimateRecovery(settings);
            assert.ok(e.rtoSeconds >= low && e.rtoSeconds <= high, `${settings.strategy}: RTO ${e.rtoSeconds} outside ${low}-${high}`);
            assert.ok(e.rtoSeconds <= DEFAULT_TARGETS[settings.strategy].rtoSeconds, `${settings.strategy}: RTO ${e.rtoSeconds}`);
            assert.ok(e.rpoSeconds <= DEFAULT_TARGETS[settings.strategy].rpoSeconds);
        }
    });

    it("active-active, DynamoDB writes only: detect plus TTL, nothing to promote or scale", () => {
        const aa = { ...WARM, strategy: "active-active" as const, standbyInstances: 8, standbyCache: "full" as const, globalTable: true, writes: "dynamodb" as const };
        assert.equal(rto(aa), 30 + 60);
        assert.deepEqual(rpoByStore(aa).map((x) => [x.store, x.seconds]), [["aurora", 1], ["s3", 900], ["dynamodb", 1]]);
    });

    it("active-active, Aurora writes (the default): the secondary forwarded them to the lost writer, so they wait for the promotion", () => {
        const aa = { ...WARM, strategy: "active-active" as const, standbyInstances: 8, standbyCache: "full" as const, globalTable: true };
        const e = estimateRecovery(aa);
        // The promotion and the DNS move run side by side: Aurora writes are back when the longer of them ends.
        assert.deepEqual(e.rtoByStore?.map((x) => [x.store, x.seconds]), [["dynamodb", 30 + 60], ["aurora", 30 + 300]]);
        assert.equal(e.rtoSeconds, 330, "the worst store's");
        assert.match(e.rtoSteps.find((x) => x.step === "promote-database")!.source, /write forwarding/);
        assert.ok(e.rtoSeconds <= DEFAULT_TARGETS["active-active"].rtoSeconds, "within the tier's default target for Aurora writes");
        assert.equal(estimateRecovery({ ...aa, globalTable: false }).rtoByStore, undefined, "without the global table, one estimate");
    });

    describe("the estimate follows the configuration", () => {
        const cases: [string, Partial<RecoverySettings>, "rto" | "rpo"][] = [
            ["a 30 s health-check interval", { healthCheckIntervalSeconds: 30 }, "rto"],
            ["a higher failure threshold", { healthCheckFailureThreshold: 5 }, "rto"],
            ["a longer TTL", { dnsTtlSeconds: 300 }, "rto"],
            ["a smaller warm-standby fleet", { standbyInstances: 1 }, "rto"],
            ["no cache in standby", { standbyCache: "none" }, "rto"],
            ["a slower decision (dr:decisionSeconds)", { overrides: { decisionSeconds: 3600 } }, "rto"],
            ["a slower instance boot (dr:instanceBootSeconds)", { overrides: { instanceBootSeconds: 600 } }, "rto"],
        ];
        for (const [what, change, objective] of cases) {
            it(`${what} raises the ${objective.toUpperCase()}`, () => {
                const measure = objective === "rto" ? rto : rpo;
                assert.ok(measure({ ...WARM, ...change }) > measure(WARM), `${measure({ ...WARM, ...change })} vs ${measure(WARM)}`);
            });
        }

        it("less frequent backups raise backup & restore's RPO, one for one", () => {
            const br = { ...WARM, strategy: "backup-restore" as const, objectsReplicated: false };
            assert.equal(rpo(br), 3600);
            assert.equal(rpo({ ...br, backupIntervalSeconds: 4 * 3600 }), 4 * 3600);
        });

        it("a full standby fleet needs no scaling; an empty one the most", () => {
            assert.equal(scaleSeconds(4, 4, 300), 0);
            assert.equal(scaleSeconds(4, 0, 300), 900);
            assert.equal(scaleSeconds(4, 1, 300), 750);
            assert.ok(scaleSeconds(8, 1, 300) > scaleSeconds(8, 2, 300));
        });

        it("a team's faster numbers lower it", () => {
            assert.ok(rto({ ...WARM, overrides: { decisionSeconds: 0, instanceBootSeconds: 90 } }) < rto(WARM));
        });
    });

    describe("backup interval from dr:backupSchedule", () => {
        const cases: [string, number][] = [
            ["cron(0 * * * ? *)", 3600],
            ["cron(15 */4 * * ? *)", 4 * 3600],
            ["cron(0 5 * * ? *)", 24 * 3600],
            ["cron(0 0,12 * * ? *)", 12 * 3600],
            ["cron(0 1,7,20 * * ? *)", 13 * 3600], // 07:00 -> 20:00 is the longest gap
            ["cron(0 5 ? * MON *)", 7 * 24 * 3600],
        ];
        for (const [cron, expected] of cases) {
            it(`${cron}: ${expected} s`, () => assert.equal(backupIntervalSeconds(cron), expected));
        }
    });

    it("remedies name the largest steps and the keys to change", () => {
        const e = estimateRecovery(WARM);
        const [rtoRemedy] = remedies(e, { rtoSeconds: 600, rpoSeconds: 900 });
        assert.match(rtoRemedy, /largest steps on the critical path are decide, scale-compute, smoke-check/);
        assert.match(rtoRemedy, /dr:rtoTargetSeconds/);
        const rpoRemedy = remedies(e, { rtoSeconds: 99999, rpoSeconds: 60 });
        assert.equal(rpoRemedy.length, 1);
        assert.match(rpoRemedy[0], /^RPO: s3 exceed the target/);
        assert.deepEqual(remedies(e, { rtoSeconds: 99999, rpoSeconds: 99999 }), []);
    });
});

describe("recovery objectives in the program", () => {
    it("active-active: the default target follows where the app writes (dr:activeActiveWrites)", async () => {
        const aurora = await stackRun("dr", { "dr:strategy": "active-active" });
        const dynamodb = await stackRun("dr", { "dr:strategy": "active-active", "dr:activeActiveWrites": "dynamodb" });
        assert.deepEqual([aurora.outputs.estimatedRtoSeconds, aurora.outputs.recoveryObjectives.targets.rtoSeconds], [330, 600]);
        assert.deepEqual([dynamodb.outputs.estimatedRtoSeconds, dynamodb.outputs.recoveryObjectives.targets.rtoSeconds], [90, 90]);
        assert.deepEqual(aurora.outputs.recoveryObjectives.rtoByStore.map((x: { store: string }) => x.store), ["dynamodb", "aurora"]);
    });

    it("both stacks export the pair's estimate, with the steps and the targets", async () => {
        const prod = await stackRun("prod", { "dr:strategy": "warm-standby" });
        const dr = await stackRun("dr", { "dr:strategy": "warm-standby" });
        assert.equal(prod.outputs.estimatedRtoSeconds, dr.outputs.estimatedRtoSeconds);
        assert.equal(prod.outputs.estimatedRpoSeconds, 900);
        // N=4, 1 running: 30 + 900 + max(300, 750, 600) + 60 + 300 (one run of the dr canary, which stands warm)
        assert.equal(dr.outputs.estimatedRtoSeconds, 2040);
        assert.deepEqual(dr.outputs.recoveryObjectives.targets, { rtoSeconds: 3600, rpoSeconds: 900 });
        assert.equal(dr.outputs.recoveryObjectives.met, true);
        assert.equal(dr.outputs.recoveryObjectives.rtoSteps.length, 9);
    });

    it("the configuration moves the exported estimate", async () => {
        const base = (await stackRun("dr")).outputs.estimatedRtoSeconds;
        const slow = (await stackRun("dr", { "dr:healthCheckIntervalSeconds": "30", "dr:healthCheckFailureThreshold": "5" })).outputs.estimatedRtoSeconds;
        assert.equal(slow - base, 30 * 5 - 10 * 3);
    });

    it("a missed target fails the preview before any resource, listing the steps and what to change", async () => {
        const message = await stackError("dr", { "dr:strategy": "warm-standby", "dr:rtoTargetSeconds": "1800" });
        assert.match(message, /The warm-standby configuration cannot meet its recovery objectives/);
        assert.match(message, /estimated RTO 2040 s \(target 1800 s\), the critical path: detect -> decide -> readiness -> scale-compute/);
        assert.match(message, /\* detect\s+30 s {2}0-30\s+Route 53 health check/);
        assert.match(message, /RTO: the largest steps on the critical path are/);
        assert.match(message, /pulumi config set dr:enforceObjectives false -s dr/);
    });

    it("a missed RPO target fails too: backup & restore with 6-hourly backups against a 1 h target", async () => {
        const message = await stackError("prod", {
            "dr:strategy": "backup-restore", "dr:backupSchedule": "cron(0 */6 * * ? *)", "dr:rpoTargetSeconds": "3600",
        });
        assert.match(message, /estimated RPO 21600 s \(target 3600 s\)/);
        assert.match(message, /RPO: aurora, s3 exceed the target/);
    });

    it("dr:enforceObjectives=false deploys with the estimate reported", async () => {
        const r = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:rtoTargetSeconds": "1800", "dr:enforceObjectives": "false" });
        assert.equal(r.outputs.recoveryObjectives.met, false);
        assert.ok(r.has("aws:autoscaling/group:Group"));
    });

    it("a dr stack that is failing over is never blocked by an estimate", async () => {
        const r = await stackRun("dr", { "dr:strategy": "warm-standby", "dr:rtoTargetSeconds": "60", "dr:failover": "true" });
        assert.equal(r.outputs.recoveryObjectives.met, false);
        assert.deepEqual([r.outputs.asgMin, r.outputs.asgDesired], [4, 4]);
    });
});
