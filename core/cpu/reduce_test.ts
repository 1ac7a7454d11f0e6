import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { cpu } from "./mod.ts";
import { fromT, refSum, shapeArb, tensorArb, toT } from "./reference_testing.ts";

for (const ring of [64, 32] as const) {
  Deno.test(`sum over dims matches the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        shapeArb(4, 5).chain((s) =>
          fc.tuple(
            tensorArb(ring, s),
            fc.option(fc.subarray(s.map((_, i) => i)), { nil: undefined }),
            fc.boolean(),
            fc.boolean(),
          )
        ),
        ([a, dims, keep, negative]) => {
          const all = dims ?? a.shape.map((_, i) => i);
          const arg = dims && negative ? dims.map((d) => d - a.shape.length) : dims;
          assert.deepEqual(fromT(cpu.sum(toT(a), arg, keep)), refSum(a, all, keep));
        },
      ),
      { numRuns: 200 },
    );
  });
}

Deno.test("sum rejects axes out of range and repeated axes", () => {
  const a = RingTensor.zeros([2, 3]);
  assert.throws(() => cpu.sum(a, [2]), { name: "RangeError", message: /axis 2 .* rank 2/ });
  assert.throws(() => cpu.sum(a, [-3]), RangeError);
  assert.throws(() => cpu.sum(a, [1, -1]), { name: "RangeError", message: /\[2,3\]/ });
  assert.throws(() => cpu.sum(RingTensor.zeros([]), [0]), RangeError);
});
