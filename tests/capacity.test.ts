import { strict as assert } from "assert";
import {
    activeActiveCapacity, fullCapacity, pilotLightCapacity, warmStandbyCapacity, warmStandbyInstances,
} from "../model/capacity";

// N -> expected warm-standby instances: max(1, ceil(N/4)).
const CASES: ReadonlyArray<readonly [n: number, warm: number]> = [
    [1, 1], [2, 1], [3, 1], [4, 1], [5, 2], [8, 2], [9, 3], [100, 25],
];

describe("capacity", () => {
    for (const [n, warm] of CASES) {
        describe(`N = ${n}`, () => {
            it("full capacity is N/N/N", () => {
                assert.deepEqual(fullCapacity(n), { min: n, desired: n, max: n });
            });

            it("pilot light is 0/0/N", () => {
                assert.deepEqual(pilotLightCapacity(n), { min: 0, desired: 0, max: n });
            });

            it(`warm standby runs ${warm} instance(s)`, () => {
                assert.equal(warmStandbyInstances(n), warm);
                assert.deepEqual(warmStandbyCapacity(n), { min: warm, desired: warm, max: n });
            });

            it("warm standby lies between pilot light and full, within max", () => {
                const c = warmStandbyCapacity(n);
                assert.ok(c.min >= 1 && c.min <= n, `min ${c.min} not in [1, ${n}]`);
                assert.ok(c.desired >= c.min && c.desired <= c.max);
                assert.equal(c.max, fullCapacity(n).max);
            });
        });
    }
});

// [N, percent, expected min = desired]: max(1, ceil(N * percent / 100)); max is always N.
const ACTIVE_ACTIVE_CASES: ReadonlyArray<readonly [n: number, percent: number, k: number]> = [
    [4, 100, 4], [4, 50, 2], [5, 50, 3], [1, 50, 1], [8, 75, 6], [3, 60, 2], [1, 100, 1], [9, 50, 5], [100, 50, 50],
];

describe("activeActiveCapacity", () => {
    for (const [n, percent, k] of ACTIVE_ACTIVE_CASES) {
        it(`N = ${n} at ${percent} % runs ${k}/${k}/${n}`, () => {
            assert.deepEqual(activeActiveCapacity(n, percent), { min: k, desired: k, max: n });
        });
    }

    it("at 100 % equals full capacity", () => {
        for (const n of [1, 2, 3, 4, 5, 9, 100]) {
            assert.deepEqual(activeActiveCapacity(n, 100), fullCapacity(n));
        }
    });

    it("for every N 1-40 and percent 50-100: max N, at least 1, never below the share, never above N", () => {
        for (let n = 1; n <= 40; n++) {
            for (let percent = 50; percent <= 100; percent++) {
                const c = activeActiveCapacity(n, percent);
                const at = `N = ${n}, ${percent} %: ${JSON.stringify(c)}`;
                assert.equal(c.max, n, at);
                assert.equal(c.desired, c.min, at);
                assert.ok(c.min >= 1, at);
                assert.ok(c.min <= n, at);
                assert.ok(c.min * 100 >= n * percent, `${at} is below the share`);
                assert.ok((c.min - 1) * 100 < n * percent || c.min === 1, `${at} rounds up by more than one instance`);
            }
        }
    });
});
