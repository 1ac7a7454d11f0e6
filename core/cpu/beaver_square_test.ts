import assert from "node:assert/strict";
import fc from "fast-check";
import type { RingBuffer } from "../device.ts";
import { RingTensor } from "../ring.ts";
import { setTruncCodegen } from "./beaver_mul.ts";
import { beaverSquare, beaverSquareTrunc } from "./beaver_square.ts";
import { cpu, CpuDevice } from "./mod.ts";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** The unfused kernels: c + e*a + a*e (+ e*e), then trunc_a.ts's 2-party truncation. */
function reference(a: RingBuffer, c: RingBuffer, e: RingBuffer, party0: boolean, drop: number) {
  const ea = cpu.mul(e, a);
  let z = cpu.add(c, cpu.add(ea, ea));
  if (party0) z = cpu.add(z, cpu.mul(e, e));
  if (drop === 0) return z.toBigInts();
  return (party0 ? cpu.sar(z, drop) : cpu.neg(cpu.sar(cpu.neg(z), drop))).toBigInts();
}

// A device whose pool hands out every disposed buffer again, filled with 0xDEADBEEF.
const poisoned = new CpuDevice({ pool: { poison: true, minBytes: 0 } });

Deno.test("beaverSquare(Trunc) equal the separate kernels and trunc_a's shifts, e whole or in parts, with and without codegen", () => {
  const old = setTruncCodegen(true);
  try {
    fc.assert(
      fc.property(
        fc.constantFrom(64 as const, 32 as const),
        fc.array(fc.tuple(u64, u64, u64, u64), { minLength: 1, maxLength: 41 }),
        fc.boolean(),
        fc.nat(63),
        fc.boolean(),
        (ring, rows, party0, d, gen) => {
          const drop = d % ring;
          setTruncCodegen(gen);
          const col = (k: number) =>
            RingTensor.fromBigInts(rows.map((r) => r[k]), [rows.length], ring);
          const [a, c, e, m] = [0, 1, 2, 3].map(col);
          const parts = [m, cpu.sub(e, m)] as const; // e in two parts, as opened
          const want = reference(a, c, e, party0, drop);
          assert.deepEqual(beaverSquareTrunc(a, c, e, party0, drop).toBigInts(), want);
          assert.deepEqual(cpu.beaverSquareTrunc(a, c, e, party0, drop).toBigInts(), want);
          // Into a poisoned, reused buffer of the same size.
          poisoned.dispose(poisoned.zeros(a.shape, ring));
          assert.deepEqual(poisoned.beaverSquareTrunc(a, c, e, party0, drop).toBigInts(), want);
          poisoned.dispose(poisoned.zeros(a.shape, ring));
          assert.deepEqual(poisoned.beaverSquareTrunc(a, c, parts, party0, drop).toBigInts(), want);
          const plain = reference(a, c, e, party0, 0);
          assert.deepEqual(beaverSquare(a, c, e, party0).toBigInts(), plain);
          assert.deepEqual(cpu.beaverSquare(a, c, e, party0).toBigInts(), plain);
          assert.deepEqual(cpu.beaverSquare(a, c, parts, party0).toBigInts(), plain);
          assert.deepEqual(
            cpu.beaverSquare(a, c, e, party0).toBigInts(),
            cpu.beaverMul(a, a, c, e, e, party0).toBigInts(),
          );
        },
      ),
      { numRuns: 200 },
    );
  } finally {
    setTruncCodegen(old);
  }
});

Deno.test("beaverSquareTrunc at an odd 2-d size, both parties, several shifts (Z_2^64 and Z_2^32)", () => {
  for (const ring of [64, 32] as const) {
    const shape = [7, 143];
    const n = 7 * 143;
    const rnd = (s: bigint) =>
      RingTensor.fromBigInts(
        Array.from({ length: n }, (_, i) => (BigInt(i + 1) * s) ^ (BigInt(i) << 40n)),
        shape,
        ring,
      );
    const a = rnd(0x9e37_79b9_7f4a_7c15n), c = rnd(0xbf58_476d_1ce4_e5b9n);
    const e = rnd(0x94d0_49bb_1331_11ebn), m = rnd(0xd6e8_feb8_6659_fd93n);
    const parts = [m, cpu.sub(e, m)] as const;
    for (const party0 of [true, false]) {
      for (const drop of [1, 13, 16, 20, 31]) {
        const want = reference(a, c, e, party0, drop);
        poisoned.dispose(poisoned.zeros(shape, ring));
        const got = poisoned.beaverSquareTrunc(a, c, e, party0, drop);
        assert.deepEqual(got.shape, shape);
        assert.deepEqual(got.toBigInts(), want);
        poisoned.dispose(got);
        assert.deepEqual(poisoned.beaverSquareTrunc(a, c, parts, party0, drop).toBigInts(), want);
      }
    }
  }
});

Deno.test("beaverSquare(Trunc) reject shifts outside the ring and mixed shapes or rings", () => {
  const x = RingTensor.zeros([2, 3]);
  assert.throws(() => beaverSquareTrunc(x, x, x, true, 64), RangeError);
  assert.throws(() => beaverSquareTrunc(x, x, x, true, -1), RangeError);
  assert.throws(() => beaverSquareTrunc(x, x, x, false, 2.5), RangeError);
  assert.throws(
    () => beaverSquareTrunc(RingTensor.zeros([2, 3], 32), x, x, true, 40),
    RangeError,
  );
  assert.throws(
    () => beaverSquareTrunc(x, x, RingTensor.zeros([3, 2]), true, 16),
    (e: Error) => e instanceof TypeError && e.message.includes("[3,2]"),
  );
  assert.throws(
    () => beaverSquareTrunc(x, x, [x, RingTensor.zeros([3, 2])], false, 16),
    (e: Error) => e instanceof TypeError && e.message.includes("[3,2]"),
  );
  const three = [x, x, x] as unknown as [RingTensor, RingTensor];
  assert.throws(() => beaverSquare(x, x, three, true), TypeError);
  assert.throws(
    () => beaverSquare(x, RingTensor.zeros([2, 3], 32), x, true),
    (e: Error) => e instanceof TypeError && e.message.includes("Z_2^32"),
  );
});
