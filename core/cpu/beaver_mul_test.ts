import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { beaverMul, beaverMulTrunc, setTruncCodegen } from "./beaver_mul.ts";
import { cpu } from "./mod.ts";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

Deno.test("beaverMul equals c + e*b + a*f (+ e*f) from the separate kernels", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(64 as const, 32 as const),
      fc.array(fc.tuple(u64, u64, u64, u64, u64), { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      (ring, rows, withEf) => {
        const col = (k: number) =>
          RingTensor.fromBigInts(rows.map((r) => r[k]), [rows.length], ring);
        const [a, b, c, e, f] = [0, 1, 2, 3, 4].map(col);
        let want = cpu.add(c, cpu.add(cpu.mul(e, b), cpu.mul(a, f)));
        if (withEf) want = cpu.add(want, cpu.mul(e, f));
        assert.deepEqual(beaverMul(a, b, c, e, f, withEf).toBigInts(), want.toBigInts());
        assert.deepEqual(cpu.beaverMul(a, b, c, e, f, withEf).toBigInts(), want.toBigInts());
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("beaverMul rejects mixed shapes and rings, naming them", () => {
  const x = RingTensor.zeros([2, 3]);
  assert.throws(
    () => beaverMul(x, x, x, RingTensor.zeros([3, 2]), x, true),
    (e: Error) => e instanceof TypeError && e.message.includes("[3,2]"),
  );
  assert.throws(() => beaverMul(x, x, x, x, RingTensor.zeros([2, 3], 32), true), TypeError);
});

Deno.test("beaverMulTrunc equals beaverMul then the 2-party truncation, with and without codegen", () => {
  const old = setTruncCodegen(true);
  try {
    fc.assert(
      fc.property(
        fc.constantFrom(64 as const, 32 as const),
        fc.array(fc.tuple(u64, u64, u64, u64, u64), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.nat(63),
        fc.boolean(),
        (ring, rows, party0, d, gen) => {
          const drop = d % ring;
          setTruncCodegen(gen);
          const col = (k: number) =>
            RingTensor.fromBigInts(rows.map((r) => r[k]), [rows.length], ring);
          const [a, b, c, e, f] = [0, 1, 2, 3, 4].map(col);
          const z = cpu.beaverMul(a, b, c, e, f, party0);
          // trunc_a.ts: party 0 z >> d, the other -((-z) >> d), arithmetic shifts.
          const want = party0 ? cpu.sar(z, drop) : cpu.neg(cpu.sar(cpu.neg(z), drop));
          assert.deepEqual(
            beaverMulTrunc(a, b, c, e, f, party0, drop).toBigInts(),
            want.toBigInts(),
          );
          assert.deepEqual(
            cpu.beaverMulTrunc(a, b, c, e, f, party0, drop).toBigInts(),
            want.toBigInts(),
          );
        },
      ),
      { numRuns: 200 },
    );
  } finally {
    setTruncCodegen(old);
  }
});

Deno.test("beaverMulTrunc rejects shifts outside the ring and mixed shapes", () => {
  const x = RingTensor.zeros([2, 3]);
  assert.throws(() => beaverMulTrunc(x, x, x, x, x, true, 64), RangeError);
  assert.throws(() => beaverMulTrunc(x, x, x, x, x, true, -1), RangeError);
  assert.throws(() => beaverMulTrunc(x, x, x, x, x, false, 1.5), RangeError);
  assert.throws(
    () => beaverMulTrunc(x, x, x, RingTensor.zeros([3, 2]), x, true, 16),
    (e: Error) => e instanceof TypeError && e.message.includes("[3,2]"),
  );
});
