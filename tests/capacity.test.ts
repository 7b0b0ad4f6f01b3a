import { strict as assert } from "assert";
import { fullCapacity, pilotLightCapacity, warmStandbyCapacity, warmStandbyInstances } from "../lib/capacity";

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
