import { strict as assert } from "assert";
import { DrConfig } from "../model/config";
import {
    FULL_CACHE, REDUCED_CACHE, RegionPlan, SERVING_DB_INSTANCES, STANDBY_DB_INSTANCES, VPC_CIDRS, primaryRegionPlan,
} from "../model/regionPlan";
import { byTier } from "../model/tiers";
import { activeActivePlan, activeActiveRouting } from "../model/tiers/activeActive";
import { backupRestorePlan } from "../model/tiers/backupRestore";
import { pilotLightPlan } from "../model/tiers/pilotLight";
import { warmStandbyPlan } from "../model/tiers/warmStandby";
import { strategyAliases } from "../wiring/tierComponent";

/** Each tier's component type token, from its TierSpec. */
const STRATEGY_TYPES = byTier((t) => t.typeToken);

const N = 9;

function config(overrides: Partial<DrConfig> = {}): DrConfig {
    const base: DrConfig = {
        region: "us-east-1",
        strategy: "pilot-light",
        role: "primary",
        primaryRegion: "us-east-1",
        drRegion: "us-west-2",
        appName: "shop",
        capacity: N,
        failover: false,
        childPlanLimit: 10,
        dnsZoneId: "Z0123456789ABCDEFGHIJ",
        dnsName: "app.example.com",
        healthCheckIntervalSeconds: 10,
        healthCheckFailureThreshold: 3,
        instanceType: "t3.medium",
        replicateObjects: true,
        backupSchedule: "cron(0 * * * ? *)",
        backupRetentionDays: 14,
        vaultLockMode: "governance",
        vaultLockChangeableForDays: 3,
        routingPolicy: "latency",
        tableConsistency: "eventual",
        routingWeight: 50,
        activeActiveCapacityPercent: 100,
        activeActiveWrites: "aurora",
        enforceObjectives: true,
        logRetentionDays: 90, regionSwitch: false, canaries: true, restoreTests: true, waf: true, wafRateLimit: 2000,
        rootDeviceName: "/dev/xvda",
        autoFailover: "off", warmPool: "off", cacheReplication: "none", standbyDatabase: "provisioned", canaryRateMinutes: 5,
    };
    return { ...base, ...overrides };
}

const primary = (strategy: DrConfig["strategy"]) => config({ strategy, role: "primary", region: "us-east-1" });
const secondary = (strategy: DrConfig["strategy"], failover = false) =>
    config({ strategy, role: "secondary", region: "us-west-2", failover });

const TIERS: ReadonlyArray<readonly [name: DrConfig["strategy"], plan: (cfg: DrConfig) => RegionPlan]> = [
    ["pilot-light", pilotLightPlan],
    ["warm-standby", warmStandbyPlan],
];

/** Parses an IPv4 CIDR into [first, last] addresses as numbers. */
function cidrRange(cidr: string): [number, number] {
    const [ip, bits] = cidr.split("/");
    const base = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const size = 2 ** (32 - Number(bits));
    return [base, base + size - 1];
}

describe("region plans", () => {
    for (const [tier, plan] of TIERS) {
        describe(`${tier}: primary role`, () => {
            const p = plan(primary(tier));

            it("serves at full capacity N/N/N with the full cache", () => {
                assert.equal(p.serving, true);
                assert.deepEqual(p.app!.capacity, { min: N, desired: N, max: N });
                assert.deepEqual(p.cache, FULL_CACHE);
            });

            it("is the global primary and the writer, with serving instances", () => {
                assert.deepEqual(p.database, { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false });
            });

            it("is the PRIMARY DNS record with one NAT gateway per AZ", () => {
                assert.deepEqual(p.app!.routing, { policy: "failover", role: "PRIMARY" });
                assert.equal(p.natGateways, "OnePerAz");
            });
        });

        describe(`${tier}: failover=true on the secondary`, () => {
            const p = plan(secondary(tier, true));

            it("serves at full capacity N/N/N with the full cache", () => {
                assert.equal(p.serving, true);
                assert.deepEqual(p.app!.capacity, { min: N, desired: N, max: N });
                assert.deepEqual(p.cache, FULL_CACHE);
                assert.equal(p.natGateways, "OnePerAz");
            });

            it("becomes the writer but stays declared as the global secondary", () => {
                assert.deepEqual(p.database, { membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false });
            });

            it("keeps the membership of the standby plan (never re-attached or changed by a failover)", () => {
                assert.equal(p.database!.membership, plan(secondary(tier, false)).database!.membership);
            });

            it("keeps the SECONDARY DNS record and the standby's CIDR", () => {
                assert.deepEqual(p.app!.routing, { policy: "failover", role: "SECONDARY" });
                assert.equal(p.vpcCidr, plan(secondary(tier, false)).vpcCidr);
            });
        });

        it(`${tier}: the two roles get non-overlapping VPC CIDRs`, () => {
            const a = cidrRange(plan(primary(tier)).vpcCidr);
            const b = cidrRange(plan(secondary(tier)).vpcCidr);
            assert.ok(a[1] < b[0] || b[1] < a[0], `${plan(primary(tier)).vpcCidr} overlaps ${plan(secondary(tier)).vpcCidr}`);
        });
    }

    describe("pilot-light: standby secondary", () => {
        const p = pilotLightPlan(secondary("pilot-light"));

        it("keeps the ASG at 0/0/N and has no cache", () => {
            assert.equal(p.serving, false);
            assert.deepEqual(p.app!.capacity, { min: 0, desired: 0, max: N });
            assert.equal(p.cache, undefined);
        });

        it("is a read-only global secondary with standby instances", () => {
            assert.deepEqual(p.database, { membership: "global-secondary", instances: STANDBY_DB_INSTANCES, writer: false, writeForwarding: false });
        });

        it("is the SECONDARY DNS record with a single NAT gateway", () => {
            assert.deepEqual(p.app!.routing, { policy: "failover", role: "SECONDARY" });
            assert.equal(p.natGateways, "Single");
        });
    });

    describe("warm-standby: standby secondary", () => {
        const CASES: ReadonlyArray<readonly [n: number, k: number]> = [[1, 1], [4, 1], [5, 2], [9, 3], [100, 25]];
        for (const [n, k] of CASES) {
            it(`runs the app tier at ${k}/${k}/${n} for N = ${n}`, () => {
                const p = warmStandbyPlan(config({ strategy: "warm-standby", role: "secondary", region: "us-west-2", capacity: n }));
                assert.deepEqual(p.app!.capacity, { min: k, desired: k, max: n });
            });
        }

        const p = warmStandbyPlan(secondary("warm-standby"));

        it("runs the reduced cache", () => {
            assert.equal(p.serving, false);
            assert.deepEqual(p.cache, REDUCED_CACHE);
        });

        it("is a read-only global secondary, SECONDARY record, single NAT gateway", () => {
            assert.deepEqual(p.database, { membership: "global-secondary", instances: STANDBY_DB_INSTANCES, writer: false, writeForwarding: false });
            assert.deepEqual(p.app!.routing, { policy: "failover", role: "SECONDARY" });
            assert.equal(p.natGateways, "Single");
        });
    });

    describe("strategyAliases", () => {
        it("lists the three other tiers' types for pilot light, not its own", () => {
            const own = STRATEGY_TYPES["pilot-light"];
            const aliases = strategyAliases(own).map((a) => a.type);
            assert.deepEqual(
                [...aliases].sort(),
                [STRATEGY_TYPES["backup-restore"], STRATEGY_TYPES["warm-standby"], STRATEGY_TYPES["active-active"]].sort(),
            );
            assert.ok(!aliases.includes(own));
        });

        it("aliases every tier to every other tier", () => {
            for (const own of Object.values(STRATEGY_TYPES)) {
                const aliases = strategyAliases(own).map((a) => a.type);
                assert.equal(aliases.length, 3);
                assert.equal(new Set([...aliases, own]).size, 4);
            }
        });
    });
});

const PRIMARY_REGION = "us-east-1";
const DR_REGION = "us-west-2";
const SNAPSHOT_ARN = "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:x";

/** Every tier's plan function; backup & restore's failover needs the recovery point to restore. */
const ALL_TIERS: ReadonlyArray<readonly [name: DrConfig["strategy"], plan: (cfg: DrConfig) => RegionPlan]> = [
    ["backup-restore", backupRestorePlan],
    ["pilot-light", pilotLightPlan],
    ["warm-standby", warmStandbyPlan],
    ["active-active", activeActivePlan],
];

const drConfig = (strategy: DrConfig["strategy"], failover: boolean, overrides: Partial<DrConfig> = {}) =>
    config({
        strategy, role: "secondary", region: DR_REGION, failover,
        ...(strategy === "backup-restore" && failover ? { restoreFrom: SNAPSHOT_ARN } : {}),
        ...overrides,
    });
const primaryConfig = (strategy: DrConfig["strategy"], overrides: Partial<DrConfig> = {}) =>
    config({ strategy, role: "primary", region: PRIMARY_REGION, ...overrides });

describe("region plans: backup & restore", () => {
    describe("primary role", () => {
        const cfg = primaryConfig("backup-restore");
        const p = backupRestorePlan(cfg);

        it("is the active/passive primary plan except for the bucket", () => {
            const { objects: _objects, ...rest } = p;
            const { objects: _expectedObjects, ...expected } = primaryRegionPlan(cfg);
            assert.deepEqual(rest, expected);
        });

        it("has a bucket that replicates nowhere: there is no replica bucket in this tier", () => {
            assert.deepEqual(p.objects, { replicateTo: [] });
        });

        it("serves at N/N/N as the PRIMARY record, writes to the global primary, full cache", () => {
            assert.equal(p.serving, true);
            assert.equal(p.natGateways, "OnePerAz");
            assert.equal(p.vpcCidr, VPC_CIDRS.primary);
            assert.deepEqual(p.app, { capacity: { min: N, desired: N, max: N }, routing: { policy: "failover", role: "PRIMARY" } });
            assert.deepEqual(p.database, { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false });
            assert.deepEqual(p.cache, FULL_CACHE);
            assert.equal(p.globalTable, undefined);
        });

        it("copies its backups to the dr region; its own vault is not locked", () => {
            assert.deepEqual(p.backups, { copyTo: [DR_REGION] });
            assert.equal(p.lockVault, false);
        });
    });

    describe("standby secondary (failover false)", () => {
        const p = backupRestorePlan(drConfig("backup-restore", false));

        it("runs no instance, database, cache, bucket, global table or backup plan", () => {
            assert.equal(p.serving, false);
            assert.equal(p.database, undefined);
            assert.equal(p.cache, undefined);
            assert.equal(p.objects, undefined);
            assert.equal(p.globalTable, undefined);
            assert.equal(p.backups, undefined);
        });

        it("keeps the network without NAT gateways, in the secondary CIDR, and the locked vault", () => {
            assert.equal(p.natGateways, "None");
            assert.equal(p.vpcCidr, VPC_CIDRS.secondary);
            assert.equal(p.lockVault, true);
        });

        it("pre-creates the app tier empty (0/0/N) and its SECONDARY record: the restore's deploy needs no Route 53 or IAM change", () => {
            assert.deepEqual(p.app, { capacity: { min: 0, desired: 0, max: N }, routing: { policy: "failover", role: "SECONDARY" } });
        });

        it("holds the fence of the primary's record, as every dr region does", () => {
            assert.deepEqual(p.holdsFencesOf, [PRIMARY_REGION]);
            assert.deepEqual(backupRestorePlan(drConfig("backup-restore", true)).holdsFencesOf, [PRIMARY_REGION]);
        });
    });

    describe("restore (failover true with restoreFrom)", () => {
        const p = backupRestorePlan(drConfig("backup-restore", true));

        it("serves at N/N/N as the SECONDARY failover record, one NAT gateway per AZ", () => {
            assert.equal(p.serving, true);
            assert.equal(p.natGateways, "OnePerAz");
            assert.equal(p.vpcCidr, VPC_CIDRS.secondary);
            assert.deepEqual(p.app, { capacity: { min: N, desired: N, max: N }, routing: { policy: "failover", role: "SECONDARY" } });
        });

        it("restores the writer from the recovery point, with serving instances", () => {
            assert.deepEqual(p.database, {
                membership: "restored", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false, restoreFrom: SNAPSHOT_ARN,
            });
        });

        it("runs the full cache and an empty bucket that replicates nowhere", () => {
            assert.deepEqual(p.cache, FULL_CACHE);
            assert.deepEqual(p.objects, { replicateTo: [] });
            assert.equal(p.globalTable, undefined);
        });

        it("backs up locally (no copy to the lost primary region) into its locked vault", () => {
            assert.deepEqual(p.backups, { copyTo: [] });
            assert.deepEqual(p.backups!.copyTo, []);
            assert.equal(p.lockVault, true);
        });
    });
});

describe("region plans: active-active", () => {
    const FULL = { min: N, desired: N, max: N };

    describe("primary role", () => {
        const p = activeActivePlan(primaryConfig("active-active"));

        it("serves at N/N/N with latency routing by default, one NAT gateway per AZ", () => {
            assert.equal(p.serving, true);
            assert.equal(p.natGateways, "OnePerAz");
            assert.equal(p.vpcCidr, VPC_CIDRS.primary);
            assert.deepEqual(p.app, { capacity: FULL, routing: { policy: "latency" } });
        });

        it("owns the global table with a replica in the dr region", () => {
            assert.deepEqual(p.globalTable, { replicaRegions: [DR_REGION] });
        });

        it("is the global primary writer with the full cache", () => {
            assert.deepEqual(p.database, { membership: "global-primary", instances: SERVING_DB_INSTANCES, writer: true, writeForwarding: false });
            assert.deepEqual(p.cache, FULL_CACHE);
        });

        it("replicates objects and copies backups to the dr region; its vault is not locked", () => {
            assert.deepEqual(p.objects, { replicateTo: [DR_REGION] });
            assert.deepEqual(p.backups, { copyTo: [DR_REGION] });
            assert.equal(p.lockVault, false);
        });
    });

    describe("dr role (failover false)", () => {
        const p = activeActivePlan(drConfig("active-active", false));
        const primaryPlan = activeActivePlan(primaryConfig("active-active"));

        it("serves with the primary's capacity and routing, one NAT gateway per AZ, in the secondary CIDR", () => {
            assert.equal(p.serving, true);
            assert.equal(p.natGateways, "OnePerAz");
            assert.equal(p.vpcCidr, VPC_CIDRS.secondary);
            assert.deepEqual(p.app, { capacity: FULL, routing: { policy: "latency" } });
            assert.deepEqual(p.app, primaryPlan.app);
        });

        it("is a global secondary that forwards writes, not the writer, with serving instances", () => {
            assert.deepEqual(p.database, { membership: "global-secondary", instances: SERVING_DB_INSTANCES, writer: false, writeForwarding: true });
        });

        it("runs the full cache; its bucket replicates back to the primary region", () => {
            assert.deepEqual(p.cache, FULL_CACHE);
            assert.deepEqual(p.objects, { replicateTo: [PRIMARY_REGION] });
        });

        it("has no backup plan and no global table of its own; its vault is locked", () => {
            assert.equal(p.backups, undefined);
            assert.equal(p.globalTable, undefined);
            assert.equal(p.lockVault, true);
        });
    });

    describe("dr role with failover=true", () => {
        const p = activeActivePlan(drConfig("active-active", true));
        const standing = activeActivePlan(drConfig("active-active", false));

        it("becomes the writer", () => {
            assert.equal(p.database!.writer, true);
        });

        it("backs up locally: a plan without a copy region", () => {
            assert.deepEqual(p.backups, { copyTo: [] });
            assert.deepEqual(p.backups!.copyTo, []);
        });

        it("changes nothing else: app, cache, bucket, network, vault and the cluster's inputs stay", () => {
            assert.deepEqual(p.app, standing.app);
            assert.deepEqual(p.cache, standing.cache);
            assert.deepEqual(p.objects, standing.objects);
            assert.equal(p.natGateways, standing.natGateways);
            assert.equal(p.vpcCidr, standing.vpcCidr);
            assert.equal(p.serving, standing.serving);
            assert.equal(p.lockVault, standing.lockVault);
            assert.deepEqual(p.globalTable, standing.globalTable);
            assert.equal(p.database!.membership, standing.database!.membership);
            assert.equal(p.database!.writeForwarding, standing.database!.writeForwarding);
            assert.equal(p.database!.instances, standing.database!.instances);
            assert.equal(p.database!.restoreFrom, standing.database!.restoreFrom);
        });
    });

    describe("routing", () => {
        for (const weight of [0, 200]) {
            const overrides: Partial<DrConfig> = { routingPolicy: "weighted", routingWeight: weight };
            it(`weighted routing with weight ${weight} on both stacks`, () => {
                const expected = { policy: "weighted", weight };
                assert.deepEqual(activeActiveRouting(primaryConfig("active-active", overrides)), expected);
                assert.deepEqual(activeActivePlan(primaryConfig("active-active", overrides)).app!.routing, expected);
                assert.deepEqual(activeActivePlan(drConfig("active-active", false, overrides)).app!.routing, expected);
                assert.deepEqual(activeActivePlan(drConfig("active-active", true, overrides)).app!.routing, expected);
            });
        }

        it("latency routing ignores routingWeight", () => {
            assert.deepEqual(activeActiveRouting(primaryConfig("active-active", { routingPolicy: "latency", routingWeight: 7 })), { policy: "latency" });
        });
    });

    describe("capacity share", () => {
        // [N, percent, k]: both stacks run k/k/N.
        const CASES: ReadonlyArray<readonly [n: number, percent: number, k: number]> = [[5, 50, 3], [4, 50, 2], [8, 75, 6], [9, 100, 9]];
        for (const [n, percent, k] of CASES) {
            it(`N = ${n} at ${percent} %: ${k}/${k}/${n} on both stacks`, () => {
                const overrides: Partial<DrConfig> = { capacity: n, activeActiveCapacityPercent: percent };
                const expected = { min: k, desired: k, max: n };
                assert.deepEqual(activeActivePlan(primaryConfig("active-active", overrides)).app!.capacity, expected);
                assert.deepEqual(activeActivePlan(drConfig("active-active", false, overrides)).app!.capacity, expected);
                assert.deepEqual(activeActivePlan(drConfig("active-active", true, overrides)).app!.capacity, expected);
            });
        }
    });
});

describe("region plans: backups and Vault Lock", () => {
    for (const [tier, plan] of TIERS) {
        describe(tier, () => {
            it("primary copies its backups to the dr region", () => {
                assert.deepEqual(plan(primaryConfig(tier)).backups, { copyTo: [DR_REGION] });
            });

            it("a promoted dr region backs up locally, without a copy region", () => {
                const backups = plan(drConfig(tier, true)).backups;
                assert.deepEqual(backups, { copyTo: [] });
                assert.deepEqual(backups!.copyTo, []);
            });

            it("a standby dr region has no backup plan", () => {
                assert.equal(plan(drConfig(tier, false)).backups, undefined);
            });
        });
    }

    for (const [tier, plan] of ALL_TIERS) {
        it(`${tier}: the primary's vault is not locked; every dr plan's vault is`, () => {
            assert.equal(plan(primaryConfig(tier)).lockVault, false);
            assert.equal(plan(drConfig(tier, false)).lockVault, true, "standby");
            assert.equal(plan(drConfig(tier, true)).lockVault, true, "failover");
        });
    }
});

describe("region plans: replicateObjects=false (first deploy)", () => {
    const CASES: ReadonlyArray<readonly [name: DrConfig["strategy"], plan: (cfg: DrConfig) => RegionPlan]> = [
        ["pilot-light", pilotLightPlan],
        ["warm-standby", warmStandbyPlan],
        ["active-active", activeActivePlan],
    ];
    for (const [tier, plan] of CASES) {
        it(`${tier}: the primary keeps its bucket but replicates nowhere`, () => {
            const p = plan(primaryConfig(tier, { replicateObjects: false }));
            assert.ok(p.objects, "the bucket must still exist");
            assert.deepEqual(p.objects.replicateTo, []);
        });

        it(`${tier}: with replicateObjects true the primary replicates to the dr region`, () => {
            assert.deepEqual(plan(primaryConfig(tier, { replicateObjects: true })).objects, { replicateTo: [DR_REGION] });
        });
    }
});

describe("region plans: the traffic fence", () => {
    for (const [tier, plan] of ALL_TIERS) {
        it(`${tier}: prod's record is fenced by the dr region, which holds the fence standing by and promoted`, () => {
            assert.deepEqual(plan(primaryConfig(tier)).fencedBy, [DR_REGION]);
            assert.equal(plan(primaryConfig(tier)).holdsFencesOf, undefined);
            assert.deepEqual(plan(drConfig(tier, false)).holdsFencesOf, [PRIMARY_REGION]);
            assert.deepEqual(plan(drConfig(tier, true)).holdsFencesOf, [PRIMARY_REGION]);
            assert.equal(plan(drConfig(tier, false)).fencedBy, undefined, "the dr record is the one traffic fails over to");
        });

        it(`${tier}: prod's first deploy, before the dr stack and its alarm exist, has no fence yet`, () => {
            assert.equal(plan(primaryConfig(tier, { replicateObjects: false })).fencedBy, undefined);
        });
    }
});
