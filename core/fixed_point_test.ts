import assert from "node:assert/strict";
import fc from "fast-check";
import { assertFracBits, decode, encode, fixedPointLimit } from "./fixed_point.ts";
import { RingTensor } from "./ring.ts";

/** BigInt reference of the encoding: round half to even of v * 2^f, as a signed BigInt. */
function refEncode(v: number, f: number): bigint {
  // v * 2^f is exact in float64; split into integer part and fraction exactly.
  const x = v * 2 ** f;
  const fl = Math.floor(x);
  const frac = x - fl; // exact
  let r = BigInt(fl);
  if (frac > 0.5 || (frac === 0.5 && (r & 1n) === 1n)) r += 1n;
  return r;
}

/** Correctly rounded signed / 2^f: Number(bigint) rounds to nearest even, /2^f is exact. */
function refDecode(s: bigint, f: number): number {
  return Number(s) / 2 ** f;
}

/** Deterministic 64-bit values from a small xorshift (no Math.random: reproducible). */
function randomU64(n: number, seed: bigint): bigint[] {
  let x = seed;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    // vary the magnitude so small, medium and > 2^53 values all occur
    out.push(BigInt.asUintN(64, BigInt.asIntN(64, x) >> BigInt(i % 64)));
  }
  return out;
}

Deno.test("encode: known values, ties to even, shape and ring", () => {
  const t = encode([1.5, -2.25, 0, -0], { fracBits: 16 });
  assert.deepEqual(t.shape, [4]);
  assert.equal(t.ring, 64);
  assert.deepEqual(t.toBigInts(true), [98304n, -147456n, 0n, 0n]);
  // ties: x * 2^0 with halves rounds to even
  const h = encode([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994], { fracBits: 0 });
  assert.deepEqual(h.toBigInts(true), [0n, 2n, 2n, 0n, -2n, -2n, 0n]);
  const r32 = encode(new Float64Array([1, -1, 0.25]), { fracBits: 2, ring: 32, shape: [3, 1] });
  assert.equal(r32.ring, 32);
  assert.ok(r32.data instanceof Uint32Array);
  assert.deepEqual(r32.shape, [3, 1]);
  assert.deepEqual(r32.toBigInts(true), [4n, -4n, 1n]);
  assert.deepEqual(encode([], {}).shape, [0]);
  assert.deepEqual(encode([2], { shape: [] }).toBigInts(true), [131072n]);
});

Deno.test("encode matches the BigInt reference, or throws exactly when it does not fit", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<64 | 32>(64, 32),
      fc.integer({ min: 0, max: 30 }),
      fc.double({ min: -1e12, max: 1e12, noNaN: true }),
      (ring, f, v) => {
        const want = refEncode(v, f);
        const lim = 2n ** BigInt(ring - 1);
        if (want < lim && want > -lim) {
          assert.equal(encode([v], { fracBits: f, ring }).toBigInts(true)[0], want);
        } else {
          assert.throws(() => encode([v], { fracBits: f, ring }), RangeError);
        }
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("exact halves round to even (fast-check)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40 }), fc.integer(), (f, k) => {
      const v = (2 * k + 1) / 2 ** (f + 1); // v * 2^f = k + 1/2, an exact tie
      const want = BigInt(k) + BigInt(k & 1); // the even one of k and k + 1
      assert.equal(encode([v], { fracBits: f }).toBigInts(true)[0], want);
    }),
  );
});

Deno.test("encode/decode round trip within 2^-(f+1) (fast-check, rings 64 and 32)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<64 | 32>(64, 32),
      fc.integer({ min: 0, max: 24 }),
      fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { maxLength: 30 }),
      (ring, f, vs) => {
        const fits = vs.filter((v) => Math.abs(v) < fixedPointLimit(f, ring) - 1);
        const back = decode(encode(fits, { fracBits: f, ring }), f);
        for (let i = 0; i < fits.length; i++) {
          assert.ok(Math.abs(back[i] - fits[i]) <= 2 ** -(f + 1), `${fits[i]} -> ${back[i]}`);
        }
      },
    ),
  );
});

Deno.test("decode is exact against a BigInt reference on random ring-64 values", () => {
  const vals = randomU64(4096, 0x9e3779b97f4a7c15n);
  vals.push(0n, 1n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 54n + 3n);
  vals.push(BigInt.asUintN(64, -(2n ** 53n) - 1n), BigInt.asUintN(64, -(2n ** 62n) - 2n ** 9n));
  const t = RingTensor.fromBigInts(vals, [vals.length]);
  for (const f of [0, 16, 37, 62]) {
    const got = decode(t, f);
    for (let i = 0; i < vals.length; i++) {
      assert.equal(got[i], refDecode(BigInt.asIntN(64, vals[i]), f), `value ${vals[i]} f=${f}`);
    }
  }
});

Deno.test("decode is exact on ring 32, including the extremes", () => {
  const vals = [0n, 1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 12345678n, 3000000000n];
  const t = RingTensor.fromBigInts(vals, [7], 32);
  for (const f of [0, 16, 30]) {
    const got = decode(t, f);
    vals.forEach((v, i) => assert.equal(got[i], refDecode(BigInt.asIntN(32, v), f)));
  }
});

Deno.test("boundary values: largest that fits, smallest that does not", () => {
  // ring 64, f = 16: limit 2^47; doubles just below 2^47 have ulp 2^-6
  assert.equal(fixedPointLimit(16, 64), 2 ** 47);
  const big = 2 ** 47 - 2 ** -6;
  const t = encode([big, -big], { fracBits: 16 });
  assert.deepEqual(t.toBigInts(true), [2n ** 63n - 1024n, -(2n ** 63n) + 1024n]);
  assert.deepEqual([...decode(t, 16)], [big, -big]);
  assert.throws(() => encode([2 ** 47], { fracBits: 16 }), RangeError);
  assert.throws(() => encode([-(2 ** 47)], { fracBits: 16 }), RangeError);
  // ring 32, f = 16: round(v * 2^16) must stay below 2^31
  const top = (2 ** 31 - 1) / 2 ** 16;
  assert.deepEqual(encode([top, -top], { ring: 32 }).toBigInts(true), [
    2n ** 31n - 1n,
    1n - 2n ** 31n,
  ]);
  // 2^15 - 2^-17 scales to 2^31 - 0.5, a tie that rounds to even 2^31: does not fit
  assert.throws(() => encode([2 ** 15 - 2 ** -17], { ring: 32 }), RangeError);
  assert.throws(() => encode([2 ** 15], { ring: 32 }), RangeError);
  // the message names the value, its index and the limit
  assert.throws(
    () => encode([1, 2, 1e300], { fracBits: 16 }),
    (e: unknown) =>
      e instanceof RangeError && /1e\+300/.test(e.message) && /index 2/.test(e.message) &&
      /2\^63/.test(e.message),
  );
});

Deno.test("NaN and infinities throw RangeError naming the index", () => {
  for (
    const [bad, word] of [[NaN, /NaN/], [Infinity, /Infinity/], [-Infinity, /-Infinity/]] as const
  ) {
    for (const ring of [64, 32] as const) {
      assert.throws(
        () => encode(new Float64Array([0, 1, bad]), { ring }),
        (e: unknown) =>
          e instanceof RangeError && /index 2/.test(e.message) && word.test(e.message),
      );
    }
  }
});

Deno.test("validation: fracBits, ring, shape, element types", () => {
  for (const f of [-1, 63, 1.5, NaN]) {
    assert.throws(() => encode([1], { fracBits: f }), RangeError);
    assert.throws(() => assertFracBits(f, 64), RangeError);
  }
  assert.throws(() => encode([1], { fracBits: 31, ring: 32 }), RangeError);
  assert.equal(encode([1], { fracBits: 30, ring: 32 }).toBigInts(true)[0], 2n ** 30n);
  assert.equal(encode([-1], { fracBits: 62 }).toBigInts(true)[0], -(2n ** 62n));
  assert.throws(() => encode([2], { fracBits: 62 }), RangeError);
  assert.throws(() => encode([1], { ring: 16 as 64 }), TypeError);
  assert.throws(
    () => encode([1, 2, 3], { shape: [2, 2] }),
    (e: unknown) => e instanceof TypeError && /\[2,2\]/.test(e.message),
  );
  assert.throws(() => encode(["1"] as unknown as number[]), TypeError);
  assert.throws(() => decode({} as RingTensor), TypeError);
  assert.throws(() => decode(encode([1], { ring: 32 }), 31), RangeError);
});
