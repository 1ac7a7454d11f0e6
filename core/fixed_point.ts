/**
 * Fixed-point encoding of real numbers into ring tensors, and exact decoding.
 *
 * A real `v` is stored as the ring element `round(v * 2^f)` (two's complement), where `f`
 * is the number of fractional bits (16 by default). Rounding is to nearest, **ties to
 * even** (as `numpy.round` and `torch.round`), so encoding is unbiased on exact halves.
 * Values whose rounded image does not fit the signed range, `|round(v * 2^f)| >= 2^(k-1)`
 * for ring Z_2^k, are a `RangeError` (never a silent wrap), as are `NaN` and `±Infinity`.
 *
 * Decoding is exact up to one correct rounding: the signed ring value divided by `2^f`,
 * correctly rounded to float64 (only ring-64 values beyond 2^53 can round at all).
 *
 * Both directions run over 32-bit views of the storage, with no per-element BigInt: 1M
 * values take a few milliseconds each way (see `fixed_point_bench.ts`).
 *
 * @example
 * ```ts
 * import { decode, encode } from "@sharetensor/core/fixed_point";
 * const t = encode(new Float64Array([1.5, -2.25]), { fracBits: 16 });
 * console.log(t.toBigInts(true)); // [98304n, -147456n]
 * console.log(decode(t, 16)); // Float64Array [1.5, -2.25]
 * ```
 * @module
 */
import { assertRing, type Ring, RingTensor } from "./ring.ts";
import { assertShape, fmtShape, numel, type Shape } from "./shape.ts";

/**
 * Options of {@linkcode encode}.
 *
 * @example
 * ```ts
 * import { encode, type EncodeOptions } from "@sharetensor/core/fixed_point";
 * const opts: EncodeOptions = { fracBits: 12, ring: 32, shape: [1, 2] };
 * console.log(encode([1, 2], opts).shape); // [1, 2]
 * ```
 */
export interface EncodeOptions {
  /** Fractional bits `f`, an integer with `0 <= f < ring - 1`. Default 16. */
  fracBits?: number;
  /** Ring size in bits. Default 64. */
  ring?: Ring;
  /** Shape of the result; its element count must equal the number of values. Default `[n]`. */
  shape?: Shape;
}

/**
 * Default number of fractional bits (16, as in CrypTen).
 *
 * @example
 * ```ts
 * import { DEFAULT_FRAC_BITS } from "@sharetensor/core/fixed_point";
 * console.log(2 ** -DEFAULT_FRAC_BITS); // the resolution, 1.52587890625e-05
 * ```
 */
export const DEFAULT_FRAC_BITS = 16;

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Throws `RangeError` unless `fracBits` is an integer with `0 <= fracBits < ring - 1`.
 *
 * @example
 * ```ts
 * import { assertFracBits } from "@sharetensor/core/fixed_point";
 * assertFracBits(16, 64); // ok
 * ```
 */
export function assertFracBits(fracBits: number, ring: Ring): void {
  if (!Number.isInteger(fracBits) || fracBits < 0 || fracBits >= ring - 1) {
    throw new RangeError(
      `fracBits must be an integer in [0, ${ring - 1}) for ring Z_2^${ring}, got ${fracBits}`,
    );
  }
}

/**
 * The largest magnitude that encodes: every finite `v` with `|v| < fixedPointLimit(f, k)`
 * fits, up to rounding at the very edge (the exact test is `|round(v * 2^f)| < 2^(k-1)`).
 *
 * @example
 * ```ts
 * import { fixedPointLimit } from "@sharetensor/core/fixed_point";
 * console.log(fixedPointLimit(16, 64)); // 140737488355328 (2^47)
 * ```
 */
export function fixedPointLimit(fracBits = DEFAULT_FRAC_BITS, ring: Ring = 64): number {
  assertRing(ring);
  assertFracBits(fracBits, ring);
  return 2 ** (ring - 1 - fracBits);
}

/**
 * Rounds to the nearest integer, ties to even. Exact for every double: adding and
 * subtracting 2^52 leaves a single IEEE round-to-nearest-even at integer resolution,
 * and any `|x| >= 2^52` is already an integer.
 */
function roundHalfEven(x: number): number {
  if (x >= 0) return x < TWO52 ? (x + TWO52) - TWO52 : x;
  return x > -TWO52 ? (x - TWO52) + TWO52 : x;
}

// The loops live in small per-ring functions called once per chunk: V8 then optimizes
// each of them as a whole function within the first call, instead of running most of a
// 1M-element loop in the interpreter and through on-stack replacement on every early
// call, and a ring-32 call never deoptimizes the ring-64 loop. Each returns the index of
// the first value that does not fit, or -1.
const CHUNK = 1 << 14;

function encodeChunk64(
  src: Float64Array,
  data: Uint32Array | BigUint64Array,
  from: number,
  to: number,
  scale: number,
  lim: number,
): number {
  const out = new Uint32Array(data.buffer, data.byteOffset + 8 * from, 2 * (to - from));
  for (let i = from, j = 0; i < to; i++, j += 2) {
    const r = roundHalfEven(src[i] * scale);
    if (!(r < lim && r > -lim)) return i;
    // r is an integer double, so both halves are exact; a negative hi wraps to two's
    // complement on the Uint32Array store.
    const hi = Math.floor(r / TWO32);
    out[j] = r - hi * TWO32;
    out[j + 1] = hi;
  }
  return -1;
}

function encodeChunk32(
  src: Float64Array,
  data: Uint32Array | BigUint64Array,
  from: number,
  to: number,
  scale: number,
  lim: number,
): number {
  const out = new Int32Array(data.buffer, data.byteOffset + 4 * from, to - from);
  for (let i = from, j = 0; i < to; i++, j++) {
    const r = roundHalfEven(src[i] * scale);
    if (!(r < lim && r > -lim)) return i;
    out[j] = r;
  }
  return -1;
}

/** Big-endian hosts: the plain BigInt path. */
function encodeChunk64Big(
  src: Float64Array,
  data: Uint32Array | BigUint64Array,
  from: number,
  to: number,
  scale: number,
  lim: number,
): number {
  const out = data as BigUint64Array;
  for (let i = from; i < to; i++) {
    const r = roundHalfEven(src[i] * scale);
    if (!(r < lim && r > -lim)) return i;
    out[i] = BigInt.asUintN(64, BigInt(r));
  }
  return -1;
}

function decodeChunk64(
  data: Uint32Array | BigUint64Array,
  out: Float64Array,
  from: number,
  to: number,
  inv: number,
): void {
  const u = new Uint32Array(data.buffer, data.byteOffset + 8 * from, 2 * (to - from));
  const s = new Int32Array(data.buffer, data.byteOffset + 8 * from, 2 * (to - from));
  for (let i = from, j = 0; i < to; i++, j += 2) {
    // hi * 2^32 and lo are both exact doubles, so their sum is one IEEE addition of
    // exact operands: the correctly rounded value of the 64-bit signed integer.
    out[i] = (s[j + 1] * TWO32 + u[j]) * inv;
  }
}

function decodeChunk32(
  data: Uint32Array | BigUint64Array,
  out: Float64Array,
  from: number,
  to: number,
  inv: number,
): void {
  const src = new Int32Array(data.buffer, data.byteOffset + 4 * from, to - from);
  for (let i = from, j = 0; i < to; i++, j++) out[i] = src[j] * inv;
}

/** Big-endian hosts: the plain BigInt path (Number() of a BigInt rounds correctly). */
function decodeChunk64Big(
  data: Uint32Array | BigUint64Array,
  out: Float64Array,
  from: number,
  to: number,
  inv: number,
): void {
  const src = data as BigUint64Array;
  for (let i = from; i < to; i++) out[i] = Number(BigInt.asIntN(64, src[i])) * inv;
}

function encodeError(v: number, i: number, fracBits: number, ring: Ring): RangeError {
  if (Number.isNaN(v)) return new RangeError(`encode: value at index ${i} is NaN`);
  if (!Number.isFinite(v)) return new RangeError(`encode: value at index ${i} is ${v}`);
  return new RangeError(
    `encode: value ${v} at index ${i} does not fit Z_2^${ring} with ${fracBits} fractional ` +
      `bits: |round(v * 2^${fracBits})| must be < 2^${ring - 1} (|v| < ${
        fixedPointLimit(fracBits, ring)
      })`,
  );
}

/**
 * Encodes reals as fixed point: element `i` of the result is `round(values[i] * 2^f)`
 * (ties to even) in two's complement over Z_2^ring.
 *
 * `RangeError` for a value that does not fit (`|round(v * 2^f)| >= 2^(ring-1)`: the
 * message has the value, its index and the limit), for `NaN` or `±Infinity` (with the
 * index), and for a bad `fracBits`. `TypeError` for a bad ring, a shape whose size is not
 * the number of values, or a non-number element.
 *
 * @example
 * ```ts
 * import { encode } from "@sharetensor/core/fixed_point";
 * const t = encode([0.5, -1, 2.5], { fracBits: 1, ring: 32, shape: [3, 1] });
 * console.log(t.shape, t.toBigInts(true)); // [3, 1] [1n, -2n, 5n]
 * ```
 */
export function encode(
  values: Float64Array | readonly number[],
  opts: EncodeOptions = {},
): RingTensor {
  const ring = opts.ring ?? 64;
  const fracBits = opts.fracBits ?? DEFAULT_FRAC_BITS;
  assertRing(ring);
  assertFracBits(fracBits, ring);
  const n = values.length;
  const shape = opts.shape ?? [n];
  assertShape(shape);
  if (numel(shape) !== n) {
    throw new TypeError(`encode: ${n} values do not fit shape ${fmtShape(shape)}`);
  }
  let src: Float64Array;
  if (values instanceof Float64Array) {
    src = values;
  } else {
    src = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== "number") {
        throw new TypeError(`encode: value at index ${i} is a ${typeof v}, not a number`);
      }
      src[i] = v;
    }
  }
  const t = new RingTensor(ring, shape);
  const scale = 2 ** fracBits; // multiplying by a power of two is exact (no overflow here)
  const lim = 2 ** (ring - 1);
  const kernel = ring === 32 ? encodeChunk32 : LITTLE_ENDIAN ? encodeChunk64 : encodeChunk64Big;
  for (let i = 0; i < n; i += CHUNK) {
    const bad = kernel(src, t.data, i, Math.min(n, i + CHUNK), scale, lim);
    if (bad >= 0) throw encodeError(src[bad], bad, fracBits, ring);
  }
  return t;
}

/**
 * Decodes a fixed-point ring tensor: element `i` is the signed ring value divided by
 * `2^fracBits`, correctly rounded to float64 (exact whenever the signed value has at most
 * 53 significant bits, which covers every ring-32 value and ring-64 values below 2^53).
 *
 * @example
 * ```ts
 * import { decode, encode } from "@sharetensor/core/fixed_point";
 * console.log(decode(encode([-0.75, 3]), 16)); // Float64Array [-0.75, 3]
 * ```
 */
export function decode(t: RingTensor, fracBits = DEFAULT_FRAC_BITS): Float64Array {
  if (!(t instanceof RingTensor)) {
    throw new TypeError(
      `decode: expected a RingTensor, got ${
        (t as unknown as object)?.constructor?.name ?? typeof t
      }`,
    );
  }
  assertFracBits(fracBits, t.ring);
  const n = t.size;
  const out = new Float64Array(n);
  const inv = 2 ** -fracBits; // exact; results stay normal (|value| >= 1 or 0)
  const kernel = t.ring === 32 ? decodeChunk32 : LITTLE_ENDIAN ? decodeChunk64 : decodeChunk64Big;
  for (let i = 0; i < n; i += CHUNK) kernel(t.data, out, i, Math.min(n, i + CHUNK), inv);
  return out;
}
