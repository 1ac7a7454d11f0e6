import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { cpu } from "./mod.ts";
import { fromT, refMap, shapeArb, tensorArb, toT } from "./reference_testing.ts";

for (const ring of [64, 32] as const) {
  const R = BigInt(ring);
  Deno.test(`shl, sar, shr, bit match BigInt shifts for every k (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        shapeArb(3, 5).chain((s) => tensorArb(ring, s)),
        fc.integer({ min: 0, max: ring - 1 }),
        (a, k) => {
          const K = BigInt(k);
          assert.deepEqual(fromT(cpu.shl(toT(a), k)), refMap(a, (x) => x << K));
          assert.deepEqual(
            fromT(cpu.sar(toT(a), k)),
            refMap(a, (x) => BigInt.asIntN(ring, x) >> K),
          );
          assert.deepEqual(fromT(cpu.shr(toT(a), k)), refMap(a, (x) => x >> K));
          assert.deepEqual(fromT(cpu.bit(toT(a), k)), refMap(a, (x) => (x >> K) & 1n));
        },
      ),
      { numRuns: 300 },
    );
  });

  Deno.test(`shifts reject k outside [0, ${ring}) (Z_2^${ring})`, () => {
    const a = RingTensor.zeros([2, 2], ring);
    for (const k of [-1, ring, ring + 1, 0.5, NaN]) {
      for (const op of ["shl", "sar", "shr", "bit"] as const) {
        assert.throws(() => cpu[op](a, k), {
          name: "RangeError",
          message: new RegExp(`Z_2\\^${ring} \\[2,2\\]`),
        });
      }
    }
    assert.equal(R, BigInt(ring));
  });
}
