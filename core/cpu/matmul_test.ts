import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { cpu, CpuDevice } from "./mod.ts";
import { fromT, refMatmul, tensorArb, toT } from "./reference_testing.ts";

/** Shapes for a matmul: 1-d or batched operands, batch dims that broadcast, 0 sizes. */
function matmulShapes(maxDim: number): fc.Arbitrary<[number[], number[]]> {
  const dim = fc.integer({ min: 0, max: maxDim });
  const batch = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 });
  return fc.record({
    m: dim,
    k: dim,
    n: dim,
    batch,
    aRank: fc.integer({ min: 1, max: 4 }),
    bRank: fc.integer({ min: 1, max: 4 }),
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  }).map(({ m, k, n, batch, aRank, bRank, ones }) => {
    const bat = (r: number, off: number) =>
      batch.slice(Math.max(0, batch.length - (r - 2))).map((d, i) => (ones[i + off] ? 1 : d));
    const a = aRank === 1 ? [k] : [...bat(aRank, 0), m, k];
    const b = bRank === 1 ? [k] : [...bat(bRank, 2), k, n];
    return [a, b];
  });
}

for (const ring of [64, 32] as const) {
  Deno.test(`matmul matches the reference on batched, 1-d and empty shapes (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        matmulShapes(5).chain(([sa, sb]) => fc.tuple(tensorArb(ring, sa), tensorArb(ring, sb))),
        ([a, b]) => {
          assert.deepEqual(fromT(cpu.matmul(toT(a), toT(b))), refMatmul(a, b));
        },
      ),
      { numRuns: 150 },
    );
  });

  Deno.test(`matmul of larger odd sizes matches the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 19 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 37 }),
        ).chain(([m, k, n]) => fc.tuple(tensorArb(ring, [m, k]), tensorArb(ring, [k, n]))),
        ([a, b]) => {
          assert.deepEqual(fromT(cpu.matmul(toT(a), toT(b))), refMatmul(a, b));
        },
      ),
      { numRuns: 20 },
    );
  });
}

Deno.test("matmul rejects scalars, inner size mismatch, batch mismatch, mixed rings", () => {
  const z = (s: number[], r: 64 | 32 = 64) => RingTensor.zeros(s, r);
  assert.throws(() => cpu.matmul(z([]), z([2])), { name: "TypeError", message: /\[\] @ \[2\]/ });
  assert.throws(() => cpu.matmul(z([2, 3]), z([4, 2])), {
    name: "TypeError",
    message: /\[2,3\] @ \[4,2\]: inner sizes 3 and 4/,
  });
  assert.throws(() => cpu.matmul(z([2, 1, 3]), z([3, 3, 1])), {
    name: "TypeError",
    message: /batch dimensions \[2\] and \[3\]/,
  });
  assert.throws(() => cpu.matmul(z([2, 2]), z([2, 2], 32)), {
    name: "TypeError",
    message: /mixed rings/,
  });
});

Deno.test("matmul writes every output element into recycled (poisoned) storage", () => {
  // The output is not zero-filled: a pooled buffer still holds 0xDEADBEEF words.
  const dev = new CpuDevice({ pool: { poison: true, minBytes: 0 } });
  for (const ring of [64, 32] as const) {
    fc.assert(
      fc.property(
        matmulShapes(6).chain(([sa, sb]) => fc.tuple(tensorArb(ring, sa), tensorArb(ring, sb))),
        ([a, b]) => {
          const [ta, tb] = [toT(a), toT(b)];
          dev.dispose(dev.matmul(ta, tb)); // leaves a poisoned buffer of the output's size
          assert.deepEqual(fromT(dev.matmul(ta, tb)), refMatmul(a, b));
        },
      ),
      { numRuns: 60 },
    );
  }
});
