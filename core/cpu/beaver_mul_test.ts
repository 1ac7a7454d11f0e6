import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { beaverMul } from "./beaver_mul.ts";
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
