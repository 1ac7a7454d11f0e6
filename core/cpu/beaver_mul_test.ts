import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { beaverMul, beaverMulTrunc, setTruncCodegen } from "./beaver_mul.ts";
import { cpu, CpuDevice } from "./mod.ts";

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

// A device whose pool hands out every disposed buffer again, filled with 0xDEADBEEF.
const poisoned = new CpuDevice({ pool: { poison: true, minBytes: 0 } });

Deno.test("beaverMul(Trunc) with e and f in two parts equal them with e and f whole, with and without codegen", () => {
  const old = setTruncCodegen(true);
  try {
    fc.assert(
      fc.property(
        fc.constantFrom(64 as const, 32 as const),
        fc.array(fc.tuple(u64, u64, u64, u64, u64, u64, u64), { minLength: 1, maxLength: 41 }),
        fc.boolean(),
        fc.nat(63),
        fc.boolean(),
        fc.constantFrom("both", "e", "f"),
        (ring, rows, party0, d, gen, which) => {
          const drop = d % ring;
          setTruncCodegen(gen);
          const col = (k: number) =>
            RingTensor.fromBigInts(rows.map((r) => r[k]), [rows.length], ring);
          const [a, b, c, e, f, me, mf] = [0, 1, 2, 3, 4, 5, 6].map(col);
          // e = me + (e - me), as opened: this party's masked share and the peer's part.
          const ep = [me, cpu.sub(e, me)] as const, fp = [mf, cpu.sub(f, mf)] as const;
          const eo = which === "f" ? e : ep, fo = which === "e" ? f : fp;
          const want = beaverMulTrunc(a, b, c, e, f, party0, drop).toBigInts();
          assert.deepEqual(beaverMulTrunc(a, b, c, eo, fo, party0, drop).toBigInts(), want);
          poisoned.dispose(poisoned.zeros(a.shape, ring));
          assert.deepEqual(
            poisoned.beaverMulTrunc(a, b, c, eo, fo, party0, drop).toBigInts(),
            want,
          );
          const plain = beaverMul(a, b, c, e, f, party0).toBigInts();
          assert.deepEqual(beaverMul(a, b, c, eo, fo, party0).toBigInts(), plain);
          poisoned.dispose(poisoned.zeros(a.shape, ring));
          assert.deepEqual(poisoned.beaverMul(a, b, c, eo, fo, party0).toBigInts(), plain);
        },
      ),
      { numRuns: 200 },
    );
  } finally {
    setTruncCodegen(old);
  }
});

Deno.test("beaverMulTrunc with parts at an odd 2-d size, both parties, several shifts (Z_2^64 and Z_2^32)", () => {
  const shape = [37, 29];
  for (const ring of [64, 32] as const) {
    let s = 0x9e37_79b9_7f4a_7c15n;
    const rnd = () =>
      RingTensor.fromBigInts(
        Array.from({ length: 37 * 29 }, () => {
          s = BigInt.asUintN(64, s * 6364136223846793005n + 1442695040888963407n);
          return s;
        }),
        shape,
        ring,
      );
    const [a, b, c, e, f, me, mf] = Array.from({ length: 7 }, rnd);
    const ep = [me, cpu.sub(e, me)] as const, fp = [mf, cpu.sub(f, mf)] as const;
    for (const party0 of [true, false]) {
      for (const drop of [0, 1, 13, 16, 20, 31]) {
        const want = cpu.beaverMulTrunc(a, b, c, e, f, party0, drop).toBigInts();
        poisoned.dispose(poisoned.zeros(shape, ring));
        const got = poisoned.beaverMulTrunc(a, b, c, ep, fp, party0, drop);
        assert.deepEqual(got.shape, shape);
        assert.deepEqual(got.toBigInts(), want, `Z_2^${ring} party0=${party0} drop=${drop}`);
        poisoned.dispose(got);
      }
    }
  }
});

Deno.test("beaverMul(Trunc) reject parts of other shapes or rings and part lists of other lengths", () => {
  const x = RingTensor.zeros([2, 3]);
  assert.throws(
    () => beaverMulTrunc(x, x, x, [x, RingTensor.zeros([3, 2])], [x, x], false, 16),
    (e: Error) => e instanceof TypeError && e.message.includes("[3,2]"),
  );
  assert.throws(
    () => beaverMul(x, x, x, x, [x, RingTensor.zeros([2, 3], 32)], true),
    (e: Error) => e instanceof TypeError && e.message.includes("Z_2^32"),
  );
  const three = [x, x, x] as unknown as [RingTensor, RingTensor];
  assert.throws(() => beaverMul(x, x, x, three, x, true), TypeError);
  assert.throws(
    () => beaverMulTrunc(x, x, x, x, [] as unknown as [RingTensor, RingTensor], true, 3),
    TypeError,
  );
});
