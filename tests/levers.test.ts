// The recovery levers (model/levers.ts): their config, their effect on the estimate per tier, their price.
import { strict as assert } from "assert";
import { ConfigProblem, DrConfig, formatProblems, parseDrConfig } from "../model/config";
import { drCostShare } from "../model/cost";
import { hibernationProblem, secondsToAlarm, secondsToOk, warmPoolPlan } from "../model/levers";
import { assessObjectives } from "../model/objectives";
import { drCanaryOf, pairPlans, tierPlan } from "../model/tiers";
import { layeredConfig } from "../model/tooling/stackFiles";

const DATASTORE = "ldgnf-shop-cache";

function parse(stack: "prod" | "dr", overrides: Record<string, string>) {
    return parseDrConfig({ ...layeredConfig(stack), ...overrides }, stack);
}

function config(stack: "prod" | "dr", overrides: Record<string, string>): DrConfig {
    const r = parse(stack, overrides);
    assert.ok(r.ok, r.ok ? "" : formatProblems(r.problems, stack));
    return r.config;
}

function problems(stack: "prod" | "dr", overrides: Record<string, string>): readonly ConfigProblem[] {
    const r = parse(stack, overrides);
    assert.equal(r.ok, false, `expected a problem for ${JSON.stringify(overrides)}`);
    return r.ok ? [] : r.problems;
}

/** The estimate's steps by id: [seconds, on the critical path]. */
function steps(cfg: DrConfig): Record<string, [number, boolean]> {
    return Object.fromEntries(assessObjectives(cfg).estimate.rtoSteps.map((s) => [s.step, [s.seconds, s.critical]]));
}

describe("recovery levers: config", () => {
    const refused: [name: string, overrides: Record<string, string>, key: string, message: RegExp, fix: string][] = [
        ["approve without the approval time", { "dr:autoFailover": "approve" }, "dr:approvalSeconds",
            /^is required with dr:autoFailover approve/, "pulumi config set dr:approvalSeconds 300 -s dr"],
        ["auto on pilot light", { "dr:autoFailover": "auto" }, "dr:autoFailover",
            /^is not allowed for pilot-light: a false alarm would move all traffic onto a fleet that has never served/, "pulumi config set dr:autoFailover approve -s dr"],
        ["auto on backup & restore", { "dr:strategy": "backup-restore", "dr:autoFailover": "auto" }, "dr:autoFailover",
            /^is not allowed for backup-restore: its failover restores a recovery point that a person names/, "pulumi config set dr:autoFailover approve -s dr"],
        ["auto without the Region switch plan it starts", { "dr:strategy": "warm-standby", "dr:autoFailover": "auto" }, "dr:autoFailover",
            /^starts the pair's ARC Region switch plan/, "pulumi config set dr:regionSwitch true -s dr"],
        ["a hibernated pool of a type that cannot hibernate", { "dr:warmPool": "hibernated", "dr:instanceType": "c6i.metal" }, "dr:warmPool",
            /^needs an instance type that can hibernate: c6i.metal is a bare-metal size/, "pulumi config set dr:warmPool stopped -s dr"],
        ["a hibernated pool of a family that cannot hibernate", { "dr:warmPool": "hibernated", "dr:instanceType": "g5.xlarge" }, "dr:warmPool",
            /family g5 cannot hibernate/, "pulumi config set dr:warmPool stopped -s dr"],
        ["a warm pool on backup & restore", { "dr:strategy": "backup-restore", "dr:warmPool": "stopped" }, "dr:warmPool",
            /^does not apply to backup-restore: its fleet launches with the restore's deploy/, "pulumi config set dr:warmPool off -s dr"],
        ["a Global Datastore on active-active", { "dr:strategy": "active-active", "dr:cacheReplication": "global-datastore" }, "dr:cacheReplication",
            /^does not apply to active-active: a Global Datastore secondary serves reads only/, "pulumi config set dr:cacheReplication none -s dr"],
        ["a Global Datastore on pilot light", { "dr:cacheReplication": "global-datastore" }, "dr:cacheReplication",
            /^does not apply to pilot-light: pilot light keeps no cache standing by/, "pulumi config set dr:cacheReplication none -s dr"],
        ["a Global Datastore member without prod's datastore id", { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore" }, "dr:globalDatastoreId",
            /^is required on the dr stack with dr:cacheReplication global-datastore/,
            "pulumi config set dr:globalDatastoreId \"<id>\" -s dr  (the id: pulumi stack output globalDatastoreId -s <prod stack>)"],
        ["a serverless standby on active-active", { "dr:strategy": "active-active", "dr:standbyDatabase": "serverless" }, "dr:standbyDatabase",
            /^does not apply to active-active: its dr cluster serves production in normal times/, "pulumi config set dr:standbyDatabase provisioned -s dr"],
        ["an unknown mode", { "dr:autoFailover": "yes" }, "dr:autoFailover", /^must be off, approve or auto/, "pulumi config set dr:autoFailover approve -s dr"],
        ["a canary every 0 minutes", { "dr:canaryRateMinutes": "0" }, "dr:canaryRateMinutes", /^must be a whole number from 1 to 60/, "pulumi config set dr:canaryRateMinutes 1 -s dr"],
    ];
    for (const [name, overrides, key, message, fix] of refused) {
        it(`refuses ${name}, naming the key, what is allowed and the fix`, () => {
            const found = problems("dr", overrides).find((p) => p.key === key && message.test(p.message));
            assert.ok(found, JSON.stringify(problems("dr", overrides)));
            assert.equal(found!.fix, fix);
        });
    }

    it("accepts each lever where it applies", () => {
        config("dr", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300", "dr:warmPool": "stopped", "dr:standbyDatabase": "serverless" });
        config("dr", { "dr:strategy": "warm-standby", "dr:warmPool": "hibernated", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": DATASTORE });
        config("dr", { "dr:strategy": "active-active", "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/oncall" });
        config("prod", { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore" });
    });

    it("warns about a lever's key that its lever does not read", () => {
        const r = parse("dr", { "dr:approvalSeconds": "300", "dr:warmStartSeconds": "60", "dr:restoreSeconds": "3600", "dr:cachePromotionSeconds": "60" });
        assert.ok(r.ok);
        assert.deepEqual(r.ok && r.warnings.map((w) => w.key).sort(),
            ["dr:approvalSeconds", "dr:cachePromotionSeconds", "dr:restoreSeconds", "dr:warmStartSeconds"]);
    });

    it("knows which instance types hibernate", () => {
        assert.equal(hibernationProblem("t3.medium"), undefined);
        assert.equal(hibernationProblem("m7g.large"), undefined);
        assert.match(hibernationProblem("p4d.24xlarge")!, /family p4d cannot hibernate/);
    });
});

describe("recovery levers: the region plans", () => {
    it("a warm pool holds what the standby does not run, up to N, on the dr group only, standing by and promoted", () => {
        assert.deepEqual(warmPoolPlan("stopped", 4, 1), { state: "stopped", minSize: 3, maxGroupPreparedCapacity: 4, reuseOnScaleIn: true });
        assert.equal(warmPoolPlan("running", 4, 4), undefined, "nothing to hold");
        assert.equal(warmPoolPlan("off", 4, 0), undefined);
        const ws = config("dr", { "dr:strategy": "warm-standby", "dr:warmPool": "running" });
        const { primary, standby } = pairPlans(ws);
        assert.equal(primary.app?.warmPool, undefined);
        assert.deepEqual(standby.app?.warmPool, { state: "running", minSize: 3, maxGroupPreparedCapacity: 4, reuseOnScaleIn: true });
        assert.deepEqual(tierPlan({ ...ws, failover: true }).app?.warmPool, standby.app?.warmPool, "kept as it stood by");
        assert.equal(pairPlans(config("dr", { "dr:strategy": "active-active", "dr:warmPool": "stopped" })).standby.app?.warmPool, undefined, "both run N");
    });

    it("a Global Datastore: prod's cache is the primary; the dr cache a member of prod's size; the promoted one left it", () => {
        const ws = config("dr", { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": DATASTORE });
        const { primary, standby } = pairPlans(ws);
        assert.deepEqual(primary.cache, { nodeType: "cache.r7g.large", nodes: 2, global: { role: "primary" } });
        assert.deepEqual(standby.cache, { nodeType: "cache.r7g.large", nodes: 2, global: { role: "secondary", globalDatastoreId: DATASTORE } });
        assert.deepEqual(tierPlan({ ...ws, failover: true }).cache, { nodeType: "cache.r7g.large", nodes: 2, global: { role: "promoted" } });
    });

    it("a serverless standby stands by at 0.5-16 ACU and is promoted at 8-16 ACU, staying serverless", () => {
        const pl = config("dr", { "dr:standbyDatabase": "serverless" });
        assert.deepEqual(pairPlans(pl).standby.database?.serverless, { minCapacity: 0.5, maxCapacity: 16 });
        assert.deepEqual(tierPlan({ ...pl, failover: true }).database?.serverless, { minCapacity: 8, maxCapacity: 16 });
        assert.equal(pairPlans(pl).primary.database?.serverless, undefined, "prod stays provisioned");
    });

    it("the detector stands in the dr region with approve or auto, nowhere else", () => {
        assert.deepEqual(tierPlan(config("dr", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300" })).operations?.detector, { starts: false });
        assert.equal(tierPlan(config("prod", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300" })).operations?.detector, undefined);
        assert.equal(tierPlan(config("dr", {})).operations?.detector, undefined);
    });
});

describe("recovery levers: the estimate, per tier", () => {
    it("alarm arithmetic: at least datapoints x period to alarm; evaluation - datapoints + 1 good periods to be OK", () => {
        assert.equal(secondsToAlarm({ period: 60, datapointsToAlarm: 2 }), 120);
        assert.equal(secondsToOk({ period: 300, evaluationPeriods: 3, datapointsToAlarm: 2 }), 600);
    });

    it("approve: the detector's alarm replaces a person noticing, and the approval time replaces the declaration", () => {
        const off = steps(config("dr", {}));
        const on = steps(config("dr", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300" }));
        assert.deepEqual([off.detect[0], off.decide[0]], [30, 1800]);
        assert.deepEqual([on.detect[0], on.decide[0]], [120, 300]);
    });

    it("active-active: DynamoDB writes never wait for the detector or a person, only for Route 53's checks and the TTL", () => {
        const aa = config("dr", { "dr:strategy": "active-active", "dr:autoFailover": "approve", "dr:approvalSeconds": "300" });
        const byStore = assessObjectives(aa).estimate.rtoByStore!;
        assert.deepEqual(byStore.map((x) => [x.store, x.seconds]), [["dynamodb", 30 + 60], ["aurora", 120 + 300 + 300]]);
        const dynamodbOnly = assessObjectives({ ...aa, activeActiveWrites: "dynamodb" }).estimate;
        assert.equal(dynamodbOnly.rtoSeconds, 90);
        assert.deepEqual(dynamodbOnly.criticalPath, ["detect", "readiness", "shift-traffic", "smoke-check"], "no decision, no promotion on its path");
        assert.equal(dynamodbOnly.rtoSteps.find((x) => x.step === "promote-database")!.critical, false);
    });

    it("auto: nobody decides", () => {
        const aa = steps(config("dr", { "dr:strategy": "warm-standby", "dr:autoFailover": "auto", "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/oncall" }));
        assert.deepEqual([aa.detect[0], aa.decide[0]], [120, 0]);
    });

    it("a warm pool turns the scale-up into a warm start (assumed per state, or measured)", () => {
        assert.equal(steps(config("dr", {}))["scale-compute"][0], 900);
        assert.equal(steps(config("dr", { "dr:warmPool": "stopped" }))["scale-compute"][0], 180);
        assert.equal(steps(config("dr", { "dr:warmPool": "hibernated" }))["scale-compute"][0], 120);
        assert.equal(steps(config("dr", { "dr:warmPool": "running" }))["scale-compute"][0], 60);
        assert.equal(steps(config("dr", { "dr:warmPool": "stopped", "dr:warmStartSeconds": "95" }))["scale-compute"][0], 95);
    });

    it("a Global Datastore member is promoted instead of resized (assumed, or measured)", () => {
        const base = { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": DATASTORE };
        assert.equal(steps(config("dr", { "dr:strategy": "warm-standby" }))["warm-cache"][0], 600);
        assert.equal(steps(config("dr", base))["warm-cache"][0], 300);
        assert.equal(steps(config("dr", { ...base, "dr:cachePromotionSeconds": "90" }))["warm-cache"][0], 90);
    });

    it("validation: the dr canary's alarm, one run where it stands warm, two where the failover deploy starts it, the smoke test without canaries", () => {
        assert.equal(steps(config("dr", { "dr:strategy": "warm-standby" }))["smoke-check"][0], 300);
        assert.equal(steps(config("dr", { "dr:strategy": "warm-standby", "dr:canaryRateMinutes": "1" }))["smoke-check"][0], 60);
        assert.equal(steps(config("dr", {}))["smoke-check"][0], 600);
        assert.equal(steps(config("dr", { "dr:canaries": "false" }))["smoke-check"][0], 900, "the reference's pilot-light smoke test");
        assert.equal(steps(config("dr", { "dr:strategy": "active-active" }))["smoke-check"][0], 0, "it served all along");
    });

    it("the dr canary the validation waits for: running where it stands warm or serves, started by the failover deploy elsewhere, none without canaries", () => {
        const of = (overrides: Record<string, string>) => drCanaryOf(config("dr", overrides));
        assert.deepEqual(["backup-restore", "pilot-light", "warm-standby", "active-active"].map((s) => of({ "dr:strategy": s })),
            ["starts-with-deploy", "starts-with-deploy", "running", "running"]);
        assert.equal(of({ "dr:strategy": "warm-standby", "dr:canaries": "false" }), "none");
        assert.equal(of({ "dr:canaries": "false" }), "none");
    });

    it("backup & restore: the measured restore replaces the reference's 4 h", () => {
        const br = (o: Record<string, string>) => steps(config("dr", { "dr:strategy": "backup-restore", ...o }))["reconcile-iac"][0];
        assert.equal(br({}), 4 * 3600);
        assert.equal(br({ "dr:restoreSeconds": "3600" }), 3600);
        assert.equal(br({ "dr:restoreSeconds": "600" }), 1800, "then the cache the deploy creates is the longest part");
    });
});

describe("recovery levers: the price", () => {
    const share = (stack: "dr", o: Record<string, string>) => {
        const cfg = config(stack, o);
        const { primary, standby } = pairPlans(cfg);
        return drCostShare(primary, standby, cfg.instanceType);
    };
    const line = (o: Record<string, string>, match: RegExp) => share("dr", o).dr.lines.find((l) => match.test(l.item));

    it("a stopped pool pays its volumes; a running one its hours too; a hibernated one a volume that holds its memory", () => {
        assert.equal(line({ "dr:warmPool": "stopped" }, /warm pool/)!.monthly.toFixed(2), (4 * 8 * 0.08).toFixed(2));
        assert.equal(line({ "dr:warmPool": "hibernated" }, /warm pool/)!.monthly.toFixed(2), (4 * 12 * 0.08).toFixed(2));
        assert.equal(line({ "dr:warmPool": "running" }, /warm pool \(running\): 4 x t3.medium/)!.monthly.toFixed(2), (4 * 0.0416 * 730).toFixed(2));
    });

    it("a serverless standby is priced at its assumed average ACU instead of a provisioned instance", () => {
        assert.ok(line({}, /^Aurora 1 x db.r6g.large/));
        assert.equal(line({ "dr:standbyDatabase": "serverless" }, /^Aurora Serverless v2 1 x 1 ACU/)!.monthly.toFixed(2), (0.12 * 730).toFixed(2));
        assert.ok(share("dr", { "dr:standbyDatabase": "serverless" }).dr.total < share("dr", {}).dr.total);
    });

    it("a Global Datastore member is two nodes of prod's type; the detector a canary every minute and its alarm", () => {
        const gd = line({ "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": DATASTORE }, /^ElastiCache/)!;
        assert.match(gd.item, /^ElastiCache 2 x cache.r7g.large \(Global Datastore secondary/);
        const detector = line({ "dr:autoFailover": "approve", "dr:approvalSeconds": "300" }, /detector/)!;
        assert.equal(detector.monthly.toFixed(2), (43800 * 0.0012 + 0.1).toFixed(2));
    });

    it("the canary's schedule is priced per run", () => {
        const canary = (rate: string) => line({ "dr:strategy": "warm-standby", "dr:canaryRateMinutes": rate }, /Synthetics canary/)!.monthly;
        assert.equal((canary("1") / canary("5")).toFixed(6), "5.000000");
    });
});
