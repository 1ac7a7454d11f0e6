/**
 * The fused finish of an elementwise Beaver product on the CPU: one pass computing
 * `z = c + e * b + a * f` (and `+ e * f` on the party that adds it, as `c + e (b + f) + a f`)
 * instead of six kernels with five temporaries: ~1.9 ms against ~6.7 ms for 1M elements of
 * Z_2^64 on the dev VM, before counting the temporaries' allocation.
 *
 * @example
 * ```ts
 * import { beaverMul } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * console.log(beaverMul(t(1n), t(2n), t(3n), t(4n), t(5n), true).toBigInts()); // [36n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import type { RingTensor } from "../ring.ts";
import { fmtShape, sameShape } from "../shape.ts";
import { asCpu } from "./check.ts";
import { type Alloc, freshAlloc } from "./pool.ts";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";

type B64 = BigUint64Array;
type U32 = Uint32Array;

type Loop64 = (o: B64, a: B64, b: B64, c: B64, e: B64, f: B64, n: number) => void;

const fusedEf64: Loop64 = (o, a, b, c, e, f, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * (b[i] + f[i]) + a[i] * f[i]);
};

const fused64: Loop64 = (o, a, b, c, e, f, n) => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, c[i] + e[i] * b[i] + a[i] * f[i]);
};

function fused32(o: U32, a: U32, b: U32, c: U32, e: U32, f: U32, n: number, ef: boolean): void {
  if (ef) {
    for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], b[i] + f[i]) + Math.imul(a[i], f[i]);
  } else {
    for (let i = 0; i < n; i++) o[i] = c[i] + Math.imul(e[i], b[i]) + Math.imul(a[i], f[i]);
  }
}

/**
 * `c + e*b + a*f (+ e*f when withEf)` elementwise mod 2^ring; every operand must have the
 * same shape and ring (`TypeError` naming the shapes otherwise).
 *
 * @example
 * ```ts
 * import { beaverMul } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1], 32);
 * console.log(beaverMul(t(1n), t(2n), t(3n), t(4n), t(5n), false).toBigInts()); // [16n]
 * ```
 */
export function beaverMul(
  a: RingBuffer,
  b: RingBuffer,
  c: RingBuffer,
  e: RingBuffer,
  f: RingBuffer,
  withEf: boolean,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const ts = [a, b, c, e, f].map((x) => asCpu(x, "beaverMul"));
  const t0 = ts[0];
  if (ts.some((t) => t.ring !== t0.ring || !sameShape(t.shape, t0.shape))) {
    throw new TypeError(
      `beaverMul: operands must share one ring and shape, got ${
        ts.map((t) => `Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ")
      }`,
    );
  }
  const out = alloc(t0.ring, t0.shape, false);
  const [da, db, dc, de, df] = ts.map((t) => t.data);
  if (t0.ring === 64) {
    const loop = withEf ? fusedEf64 : fused64;
    warmOnce(loop, () => {
      const w = warmArrays(6);
      warmLoop(() => loop(w[0], w[1], w[2], w[3], w[4], w[5], WARM_SIZE));
    });
    loop(out.data as B64, da as B64, db as B64, dc as B64, de as B64, df as B64, out.size);
  } else {
    fused32(
      out.data as U32,
      da as U32,
      db as U32,
      dc as U32,
      de as U32,
      df as U32,
      out.size,
      withEf,
    );
  }
  return out;
}

/**
 * Z_2^64 loops of {@linkcode beaverMulTrunc}, one per (party 0 or not, shift): V8 compiles a
 * BigInt shift to native code only for a literal amount (`>> 16n` runs ~10x faster than
 * `>> s` with `s` a variable), so each amount gets its own loop, built once from a fixed
 * template with the validated integer inserted. `undefined` where the host forbids
 * building functions from strings (the caller then takes separate kernels).
 */
const truncLoops = new Map<string, Loop64 | undefined>();
let codegen = true;

/**
 * Test hook: whether {@linkcode beaverMulTrunc} may build its Z_2^64 loops from strings
 * (else it takes the fused product then in-place word shifts, as on a host that forbids
 * it); returns the previous setting.
 *
 * @example
 * ```ts
 * import { setTruncCodegen } from "./beaver_mul.ts";
 * const old = setTruncCodegen(false);
 * setTruncCodegen(old);
 * ```
 */
export function setTruncCodegen(enabled: boolean): boolean {
  const old = codegen;
  codegen = enabled;
  return old;
}

/**
 * Whether the fused truncating loops may be built from strings (see
 * {@linkcode setTruncCodegen}).
 *
 * @example
 * ```ts
 * import { truncCodegen } from "./beaver_mul.ts";
 * console.log(typeof truncCodegen()); // "boolean"
 * ```
 */
export function truncCodegen(): boolean {
  return codegen;
}

function truncLoop64(party0: boolean, drop: number): Loop64 | undefined {
  if (!codegen) return undefined;
  const key = `${party0}/${drop}`;
  if (truncLoops.has(key)) return truncLoops.get(key);
  if (!Number.isInteger(drop) || drop < 1 || drop > 63) throw new RangeError(`bad shift ${drop}`);
  // Party 0 adds e*f and shifts its share; the other party negates around the shift.
  const body = party0
    ? `o[i] = BigInt.asUintN(64, BigInt.asIntN(64, c[i] + e[i] * (b[i] + f[i]) + a[i] * f[i]) >> ${drop}n);`
    : `o[i] = BigInt.asUintN(64, -(BigInt.asIntN(64, -(c[i] + e[i] * b[i] + a[i] * f[i])) >> ${drop}n));`;
  let loop: Loop64 | undefined;
  try {
    loop = new Function(
      "o",
      "a",
      "b",
      "c",
      "e",
      "f",
      "n",
      `for (let i = 0; i < n; i++) ${body}`,
    ) as Loop64;
  } catch {
    loop = undefined;
  }
  truncLoops.set(key, loop);
  return loop;
}

/**
 * {@linkcode beaverMul} followed by the 2-party local truncation of the share by `drop`
 * bits (SecureML; see `protocols/kernels/trunc_a.ts`), in one pass: party 0 computes
 * `(c + e*b + a*f + e*f) >> drop`, the other party `-((-(c + e*b + a*f)) >> drop)`, with
 * arithmetic shifts. Saves the truncation's one (party 0) or three (the other) passes over
 * the product. `RangeError` for `drop` outside [0, ring); `TypeError` as for `beaverMul`.
 *
 * @example
 * ```ts
 * import { beaverMulTrunc } from "./beaver_mul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1]);
 * // (3 + 4*2 + 1*5 + 4*5) >> 2
 * console.log(beaverMulTrunc(t(1n), t(2n), t(3n), t(4n), t(5n), true, 2).toBigInts()); // [9n]
 * ```
 */
export function beaverMulTrunc(
  a: RingBuffer,
  b: RingBuffer,
  c: RingBuffer,
  e: RingBuffer,
  f: RingBuffer,
  party0: boolean,
  drop: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const ring = asCpu(a, "beaverMulTrunc").ring;
  if (!Number.isInteger(drop) || drop < 0 || drop >= ring) {
    throw new RangeError(`beaverMulTrunc: shift ${drop} is out of range [0, ${ring})`);
  }
  if (drop === 0) return beaverMul(a, b, c, e, f, party0, alloc);
  if (ring === 32) {
    const out = beaverMul(a, b, c, e, f, party0, alloc);
    const o = out.data as U32, n = out.size;
    // Z_2^32 in place: plain int32 shifts are native.
    if (party0) { for (let i = 0; i < n; i++) o[i] = (o[i] | 0) >> drop; }
    else for (let i = 0; i < n; i++) o[i] = -((-o[i] | 0) >> drop);
    return out;
  }
  const loop = truncLoop64(party0, drop);
  if (!loop) {
    const z = beaverMul(a, b, c, e, f, party0, alloc);
    const w = new Uint32Array(z.data.buffer, z.data.byteOffset, 2 * z.size);
    if (!party0) negWords(w);
    sarWords(w, drop);
    if (!party0) negWords(w);
    return z;
  }
  const ts = [a, b, c, e, f].map((x) => asCpu(x, "beaverMulTrunc"));
  const t0 = ts[0];
  if (ts.some((t) => t.ring !== t0.ring || !sameShape(t.shape, t0.shape))) {
    throw new TypeError(
      `beaverMulTrunc: operands must share one ring and shape, got ${
        ts.map((t) => `Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ")
      }`,
    );
  }
  const out = alloc(64, t0.shape, false);
  const [da, db, dc, de, df] = ts.map((t) => t.data as B64);
  warmOnce(loop, () => {
    const w = warmArrays(6);
    warmLoop(() => loop(w[0], w[1], w[2], w[3], w[4], w[5], WARM_SIZE));
  });
  loop(out.data as B64, da, db, dc, de, df, out.size);
  return out;
}

/**
 * In-place arithmetic right shift by `k` (1 <= k < 64) of 64-bit words given as (low, high)
 * 32-bit pairs.
 *
 * @example
 * ```ts
 * import { sarWords } from "./beaver_mul.ts";
 * const w = new Uint32Array([0, 0x8000_0000]); // -2^63
 * sarWords(w, 62);
 * console.log(w); // Uint32Array [0xffff_fffe, 0xffff_ffff] (-2)
 * ```
 */
export function sarWords(w: U32, k: number): void {
  for (let i = 0; i < w.length; i += 2) {
    const hi = w[i + 1];
    if (k < 32) {
      w[i] = (w[i] >>> k) | (hi << (32 - k));
      w[i + 1] = (hi | 0) >> k;
    } else {
      w[i] = (hi | 0) >> (k - 32);
      w[i + 1] = (hi | 0) >> 31;
    }
  }
}

/**
 * In-place negation mod 2^64 of 64-bit words given as (low, high) 32-bit pairs.
 *
 * @example
 * ```ts
 * import { negWords } from "./beaver_mul.ts";
 * const w = new Uint32Array([1, 0]);
 * negWords(w);
 * console.log(w); // Uint32Array [0xffff_ffff, 0xffff_ffff] (-1)
 * ```
 */
export function negWords(w: U32): void {
  for (let i = 0; i < w.length; i += 2) {
    const lo = w[i];
    w[i] = -lo;
    w[i + 1] = ~w[i + 1] + (lo === 0 ? 1 : 0);
  }
}
