import { strict as assert } from "assert";
import { DrConfig } from "../lib/config";
import {
    FULL_CACHE, REDUCED_CACHE, RegionPlan, SERVING_DB_INSTANCES, STANDBY_DB_INSTANCES,
} from "../lib/regionPlan";
import { pilotLightPlan } from "../strategies/pilotLight";
import { STRATEGY_TYPES, strategyAliases } from "../strategies/strategyComponent";
import { warmStandbyPlan } from "../strategies/warmStandby";

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
        routingWeight: 50,
        activeActiveCapacityPercent: 100,
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
