import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { cpu } from "./mod.ts";
import {
  broadcastPairArb,
  fromT,
  refBinary,
  refMap,
  ringValue,
  shapeArb,
  tensorArb,
  toT,
} from "./reference_testing.ts";

const RINGS = [64, 32] as const;
const OPS = ["add", "sub", "mul", "and", "or", "xor"] as const;

for (const ring of RINGS) {
  for (const op of OPS) {
    Deno.test(`${op} broadcasts bit-exact (Z_2^${ring})`, () => {
      fc.assert(
        fc.property(
          broadcastPairArb().chain(([sa, sb]) =>
            fc.tuple(tensorArb(ring, sa), tensorArb(ring, sb))
          ),
          ([a, b]) => {
            const got = fromT(cpu[op](toT(a), toT(b)));
            assert.deepEqual(got, refBinary(op, a, b));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  Deno.test(`binary ops on long rows match the reference (Z_2^${ring})`, () => {
    // Rows longer than any unrolling, with a broadcast column and a broadcast row.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 40, max: 140 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, seed) => {
          const mk = (shape: number[], s: number) =>
            RingTensor.fromBigInts(
              Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) =>
                BigInt(i + s) * 0x9e3779b97f4a7c15n),
              shape,
              ring,
            );
          const a = mk([m, n], seed), col = mk([m, 1], seed + 1), row = mk([n], seed + 2);
          for (const op of OPS) {
            for (const b of [a, col, row]) {
              assert.deepEqual(fromT(cpu[op](a, b)), refBinary(op, fromT(a), fromT(b)));
              assert.deepEqual(fromT(cpu[op](b, a)), refBinary(op, fromT(b), fromT(a)));
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  Deno.test(`rows longer than a chunk with a broadcast column or scalar (Z_2^${ring})`, () => {
    const mk = (shape: number[], s: bigint) =>
      RingTensor.fromBigInts(
        Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) =>
          (BigInt(i) + s) * 0xd6e8feb86659fd93n),
        shape,
        ring,
      );
    const a = mk([2, 9001], 1n);
    for (const b of [mk([2, 1], 2n), mk([], 3n), mk([1, 1], 4n)]) {
      for (const op of ["mul", "sub"] as const) {
        assert.deepEqual(fromT(cpu[op](a, b)), refBinary(op, fromT(a), fromT(b)));
        assert.deepEqual(fromT(cpu[op](b, a)), refBinary(op, fromT(b), fromT(a)));
      }
    }
  });

  Deno.test(`neg, not, mulScalar, fill match the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        shapeArb().chain((s) => tensorArb(ring, s)),
        fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
        (a, c) => {
          assert.deepEqual(fromT(cpu.neg(toT(a))), refMap(a, (x) => -x));
          assert.deepEqual(fromT(cpu.not(toT(a))), refMap(a, (x) => ~x));
          assert.deepEqual(fromT(cpu.mulScalar(toT(a), c)), refMap(a, (x) => x * c));
          assert.deepEqual(fromT(cpu.fill(a.shape, ring, c)), refMap(a, () => c));
          assert.deepEqual(fromT(cpu.zeros(a.shape, ring)), refMap(a, () => 0n));
        },
      ),
      { numRuns: 100 },
    );
  });

  Deno.test(`elementwise kernels leave their inputs alone (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(fc.array(ringValue(ring), { minLength: 1, maxLength: 9 }), (v) => {
        const a = RingTensor.fromBigInts(v, [v.length], ring);
        const before = a.toBigInts();
        for (const op of OPS) cpu[op](a, a);
        cpu.neg(a);
        cpu.not(a);
        cpu.mulScalar(a, 3n);
        assert.deepEqual(a.toBigInts(), before);
      }),
    );
  });
}

Deno.test("binary ops reject mixed rings, shapes that do not broadcast, foreign buffers", () => {
  const a = RingTensor.zeros([2, 3]);
  for (const op of OPS) {
    assert.throws(() => cpu[op](a, RingTensor.zeros([2, 3], 32)), {
      name: "TypeError",
      message: /Z_2\^64 \[2,3\] and Z_2\^32 \[2,3\]/,
    });
    assert.throws(() => cpu[op](a, RingTensor.zeros([2])), {
      name: "TypeError",
      message: /\[2,3\] and \[2\] do not broadcast/,
    });
    const foreign = { ring: 64 as const, shape: [2, 3], deviceName: "webgpu" };
    assert.throws(() => cpu[op](a, foreign), {
      name: "TypeError",
      message: /\[2,3\] belongs to device "webgpu"/,
    });
  }
  assert.throws(() => cpu.neg({ ring: 64, shape: [1], deviceName: "webgpu" }), TypeError);
  assert.throws(() => cpu.mulScalar(a, 1 as unknown as bigint), TypeError);
  assert.throws(() => cpu.zeros([-1], 64), TypeError);
  assert.throws(() => cpu.fill([2], 16 as 64, 1n), TypeError);
});
