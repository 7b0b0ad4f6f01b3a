// A stack's plan decides everything its wiring builds (model/stackPlan.ts, model/stackOperations.ts): the
// certificate, the canary and the detector and what they probe, the restore tests' stores, what the Region switch
// plan acts on, and whether the stack reads the primary region. tests/graph.test.ts holds the resources built from it.
import { strict as assert } from "assert";
import { DrConfig, formatProblems, parseDrConfig } from "../model/config";
import { layeredConfig } from "../model/tooling/stackFiles";
import { tierPlan } from "../model/tiers";

const APPROVERS = { "dr:regionSwitch": "true", "dr:approverArns": "arn:aws:iam::123456789012:role/incident-commander" };
const RESTORE_FROM = { "dr:restoreFrom": "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:job-1" };

function config(stack: "prod" | "dr", overrides: Record<string, string> = {}): DrConfig {
    const r = parseDrConfig({ ...layeredConfig(stack), ...overrides }, stack);
    assert.ok(r.ok, r.ok ? "" : formatProblems(r.problems, stack));
    return r.config;
}

const plan = (stack: "prod" | "dr", overrides: Record<string, string> = {}) => tierPlan(config(stack, overrides));

describe("a stack's plan decides what its wiring builds", () => {
    it("the certificate: the one dr:certificateArn gives, or one requested for dr:dnsName in dr:dnsZoneId", () => {
        const cfg = config("dr");
        assert.deepEqual(tierPlan(cfg).certificate, { requested: { domainName: cfg.dnsName, zoneId: cfg.dnsZoneId } });
        const arn = "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555";
        assert.deepEqual(plan("dr", { "dr:certificateArn": arn }).certificate, { given: arn });
    });

    it("the canary stands wherever there is an app tier, and runs where the region serves or stands warm", () => {
        assert.deepEqual(plan("prod").canaryProbe, { names: { canary: "shop-use1-health", role: "shop-use1-canary", alarm: "shop-use1-canary-health" }, running: true });
        assert.equal(plan("dr").canaryProbe?.running, false, "pilot light's standby: its role only");
        assert.equal(plan("dr", { "dr:strategy": "warm-standby" }).canaryProbe?.running, true);
        assert.equal(plan("dr", { "dr:canaries": "false" }).canaryProbe, undefined);
    });

    it("the detector watches the primary's ALB, read by name in normal times; promoted, it stops and reads nothing", () => {
        const approve = { "dr:autoFailover": "approve", "dr:approvalSeconds": "300" };
        const watching = plan("dr", approve).detectorProbe;
        assert.deepEqual(watching, {
            names: { canary: "shop-usw2-watch-use1", role: "shop-usw2-detector", alarm: "shop-usw2-use1-down" },
            watched: "us-east-1", target: { read: "shop-use1-alb" }, running: true, starts: false,
        });
        const promoted = plan("dr", { ...approve, "dr:failover": "true" }).detectorProbe;
        assert.deepEqual(promoted?.target, { placeholder: "(us-east-1 is lost: nothing to watch)" });
        assert.equal(promoted?.running, false);
        assert.equal(plan("dr").detectorProbe, undefined);
        assert.equal(plan("prod", approve).detectorProbe, undefined);
    });

    it("restore tests in the dr vault, of the stores the primary copies there", () => {
        assert.deepEqual(plan("dr").restoreTestStores, ["aurora", "s3"]);
        assert.deepEqual(plan("dr", { "dr:strategy": "backup-restore" }).restoreTestStores, ["aurora", "s3"]);
        assert.equal(plan("dr", { "dr:restoreTests": "false" }).restoreTestStores, undefined);
        assert.equal(plan("prod").restoreTestStores, undefined);
    });

    it("the Region switch plan's targets: the primary's group read by name, the health alarms by name, the cache a failover warms", () => {
        const t = plan("dr", { "dr:strategy": "warm-standby", ...APPROVERS }).regionSwitchTargets;
        assert.deepEqual(t?.primaryAsg, { read: "shop-use1-app" });
        assert.equal(t?.aurora, true);
        assert.deepEqual(t?.warmCache, { target: { nodeType: "cache.r7g.large", nodes: 2 }, globalDatastoreId: undefined });
        assert.deepEqual(t?.healthAlarms, [
            { name: "shop-use1-canary-health", region: "us-east-1" },
            { name: "shop-usw2-canary-health", region: "us-west-2" },
            { name: "shop-usw2-aurora-lag", region: "us-west-2" },
        ]);
        assert.equal(t?.autoTrigger, undefined);
        assert.equal(t?.frozen, false);
        // Pilot light's dr canary does not run: its alarm is not the application's health; no cache block.
        const pilot = plan("dr", APPROVERS).regionSwitchTargets;
        assert.deepEqual(pilot?.healthAlarms.map((a) => a.name), ["shop-use1-canary-health", "shop-usw2-aurora-lag"]);
        assert.equal(pilot?.warmCache, undefined);
        assert.equal(plan("prod", APPROVERS).regionSwitchTargets, undefined);
        assert.equal(plan("dr").regionSwitchTargets, undefined);
    });

    it("dr:autoFailover auto: the trigger's alarms by name, in normal times only; dr:failover=true freezes the plan and reads nothing", () => {
        const auto = { "dr:strategy": "warm-standby", "dr:autoFailover": "auto", ...APPROVERS };
        assert.deepEqual(plan("dr", auto).regionSwitchTargets?.autoTrigger, { detector: "shop-usw2-use1-down", fence: "shop-use1-traffic-fence" });
        const frozen = plan("dr", { ...auto, "dr:failover": "true" }).regionSwitchTargets;
        assert.equal(frozen?.autoTrigger, undefined);
        assert.equal(frozen?.frozen, true);
        assert.deepEqual(frozen?.primaryAsg, { placeholder: "(kept as it is: dr:failover=true does not change the plan)" });
    });

    it("reads the primary region only where something needs a value of it, in normal times: the one decision of the read provider", () => {
        assert.equal(plan("prod", APPROVERS).readsPrimary, false);
        assert.equal(plan("dr").readsPrimary, false);
        assert.equal(plan("dr", APPROVERS).readsPrimary, true, "the Region switch plan's EC2 block");
        assert.equal(plan("dr", { "dr:autoFailover": "approve", "dr:approvalSeconds": "300" }).readsPrimary, true, "the detector's target");
        const member = { "dr:strategy": "warm-standby", "dr:cacheReplication": "global-datastore", "dr:globalDatastoreId": "ldgnf-shop-cache" };
        assert.equal(plan("dr", member).primaryCacheTokenParameter, "/shop-use1/cache/auth-token");
        assert.equal(plan("dr", member).readsPrimary, true, "a Global Datastore member signs in with prod's token");
        assert.equal(plan("dr", { ...member, ...APPROVERS, "dr:autoFailover": "auto", "dr:failover": "true" }).readsPrimary, false);
        assert.equal(plan("dr", { "dr:strategy": "backup-restore", ...APPROVERS, ...RESTORE_FROM, "dr:failover": "true" }).readsPrimary, false);
    });

    it("backups of the stores where the region writes, the replication lag alarm where it receives the replication", () => {
        assert.equal(plan("prod").backsUp, true);
        assert.equal(plan("dr").backsUp, false, "the standby's backup plan is its role only");
        assert.equal(plan("dr", { "dr:failover": "true" }).backsUp, true);
        assert.equal(plan("prod").watchesReplicationLag, false);
        assert.equal(plan("dr").watchesReplicationLag, true);
        assert.equal(plan("dr", { "dr:failover": "true" }).watchesReplicationLag, false);
        assert.equal(plan("dr", { "dr:strategy": "backup-restore" }).watchesReplicationLag, false, "no database standing by");
    });

    it("a hibernated warm pool's root volume holds the instance's memory", () => {
        const hibernated = plan("dr", { "dr:warmPool": "hibernated", "dr:instanceType": "m7g.large" });
        assert.ok((hibernated.hibernationVolumeGib ?? 0) > 8, String(hibernated.hibernationVolumeGib));
        assert.equal(plan("dr", { "dr:warmPool": "stopped" }).hibernationVolumeGib, undefined);
    });
});
