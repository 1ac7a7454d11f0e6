import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { beaverMatmul, beaverMatmulFits } from "./beaver_matmul.ts";
import { cpu } from "./mod.ts";
import { fromT, refBinary, refMatmul, tensorArb, toT } from "./reference_testing.ts";

/** Left shapes [..., m, k] or [k], right shapes [k, n] or [k]. */
const shapesArb = fc.record({
  batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
  m: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 0, max: 11 }),
  n: fc.integer({ min: 1, max: 10 }),
  leftVec: fc.boolean(),
  rightVec: fc.boolean(),
}).map(({ batch, m, k, n, leftVec, rightVec }) => ({
  left: leftVec ? [k] : [...batch, m, k],
  right: rightVec ? [k] : [k, n],
}));

for (const ring of [64, 32] as const) {
  Deno.test(`beaverMatmul equals c + e@b + a@f (+ e@f) by the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        shapesArb.chain(({ left, right }) => {
          const out = refMatmul(
            { ring, shape: left, v: Array(left.reduce((x, y) => x * y, 1)).fill(0n) },
            { ring, shape: right, v: Array(right.reduce((x, y) => x * y, 1)).fill(0n) },
          ).shape;
          return fc.tuple(
            tensorArb(ring, left),
            tensorArb(ring, right),
            tensorArb(ring, out),
            tensorArb(ring, left),
            tensorArb(ring, right),
            fc.boolean(),
          );
        }),
        ([a, b, c, e, f, withEf]) => {
          let want = refBinary("add", c, refBinary("add", refMatmul(e, b), refMatmul(a, f)));
          if (withEf) want = refBinary("add", want, refMatmul(e, f));
          const args = [a, b, c, e, f].map(toT) as [
            RingTensor,
            RingTensor,
            RingTensor,
            RingTensor,
            RingTensor,
          ];
          assert.deepEqual(fromT(beaverMatmul(...args, withEf)), want);
          assert.deepEqual(fromT(cpu.beaverMatmul(...args, withEf)), want);
        },
      ),
      { numRuns: 80 },
    );
  });
}

Deno.test("beaverMatmul at a W2a-like size matches the separate kernels (Z_2^64, odd n)", () => {
  const rnd = (shape: number[], s: number) => {
    const t = RingTensor.zeros(shape);
    const w = new Uint32Array(t.data.buffer);
    for (let i = 0; i < w.length; i++) w[i] = s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return t;
  };
  const [a, e] = [rnd([37, 70], 1), rnd([37, 70], 2)];
  const [b, f] = [rnd([70, 45], 3), rnd([70, 45], 4)];
  const c = rnd([37, 45], 5);
  for (const withEf of [true, false]) {
    let want = cpu.add(c, cpu.add(cpu.matmul(e, b), cpu.matmul(a, f)));
    if (withEf) want = cpu.add(want, cpu.matmul(e, f));
    assert.deepEqual(beaverMatmul(a, b, c, e, f, withEf).toBigInts(), want.toBigInts());
  }
});

Deno.test("beaverMatmul rejects shapes it does not fuse and mixed rings, naming them", () => {
  const x = RingTensor.zeros([2, 3]), w = RingTensor.zeros([3, 4]), c = RingTensor.zeros([2, 4]);
  assert.equal(beaverMatmulFits([2, 3], [3, 4], [2, 4], [2, 3], [3, 4]), true);
  // A batched right operand, e unlike a, c of the wrong shape, inner sizes that differ.
  assert.equal(beaverMatmulFits([2, 3], [2, 3, 4], [2, 2, 4], [2, 3], [2, 3, 4]), false);
  assert.equal(beaverMatmulFits([2, 3], [3, 4], [2, 4], [3, 3], [3, 4]), false);
  assert.equal(beaverMatmulFits([2, 3], [3, 4], [4, 2], [2, 3], [3, 4]), false);
  assert.equal(beaverMatmulFits([2, 3], [2, 4], [2, 4], [2, 3], [2, 4]), false);
  assert.throws(
    () => beaverMatmul(x, w, RingTensor.zeros([4, 2]), x, w, true),
    (e: Error) => e instanceof TypeError && e.message.includes("[4,2]"),
  );
  assert.throws(() => beaverMatmul(x, w, c, x, RingTensor.zeros([3, 4], 32), false), TypeError);
});
