/**
 * Bit planes: the layout the binary circuits of this folder compute on. A tensor of N ring
 * words becomes `ring` planes; plane b holds bit b of every element, packed 32 elements per
 * `Uint32Array` word (element e at word e >> 5, bit e & 31), so a plane has
 * `stride = ceil(N / 32)` words. An AND of whole planes is then an AND of dense bit
 * vectors: a circuit level pays only for the bits it still needs (the carry tree halves its
 * planes at every level), not for whole ring words.
 *
 * The conversion is a 32x32 bit-matrix transpose per block of 32 elements (Hacker's
 * Delight, 7-3, least-significant bit first): 5 stages of masked swaps.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { fromPlanes, toPlanes } from "./planes.ts";
 * const t = RingTensor.fromBigInts([5n, 3n], [2], 32);
 * const p = toPlanes(t);
 * console.log(p.length, p[0][0], p[1][0], p[2][0]); // 32 3 2 1
 * console.log(fromPlanes(p, 32, [2]).toBigInts()); // [5n, 3n]
 * ```
 * @module
 */
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";

/** Words per plane for `n` elements. */
export function strideOf(n: number): number {
  return Math.ceil(n / 32);
}

/**
 * Transposes the 32x32 bit matrix `a[off..off+32)` in place: afterwards bit e of word b
 * is what bit b of word e was.
 *
 * @example
 * ```ts
 * import { transpose32 } from "./planes.ts";
 * const a = new Uint32Array(32);
 * a[3] = 1 << 7;
 * transpose32(a, 0);
 * console.log(a[7] === 1 << 3); // true
 * ```
 */
export function transpose32(a: Uint32Array, off: number): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((a[off + k] >>> j) ^ a[off + k + j]) & m;
      a[off + k + j] ^= t;
      a[off + k] ^= t << j;
    }
  }
}

function words32(t: RingTensor): Uint32Array {
  return new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length * (t.ring / 32));
}

/**
 * The `ring` bit planes of `t` (views into one buffer of `ring * stride` words), or only
 * the low `bits` planes (only the 32-bit halves that hold them are transposed).
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { toPlanes } from "./planes.ts";
 * console.log(toPlanes(RingTensor.fromBigInts([-1n], [1])).length); // 64
 * ```
 */
export function toPlanes(t: RingTensor, bits: number = t.ring): Uint32Array[] {
  const n = t.size;
  const s = strideOf(n);
  const w = words32(t);
  const halves = Math.min(t.ring / 32, Math.ceil(bits / 32));
  const out = new Uint32Array(halves * 32 * s);
  const blk = new Uint32Array(32);
  for (let b = 0; b < s; b += CHUNK) {
    wordsToPlanes(w, out, n, s, t.ring / 32, halves, blk, b, Math.min(s, b + CHUNK));
  }
  const planes: Uint32Array[] = [];
  for (let k = 0; k < Math.min(bits, t.ring); k++) planes.push(out.subarray(k * s, (k + 1) * s));
  return planes;
}

/** Blocks of 32 elements per call: small, often-called loops get optimized early. */
const CHUNK = 64;

function wordsToPlanes(
  w: Uint32Array,
  out: Uint32Array,
  n: number,
  s: number,
  halves: number,
  used: number,
  blk: Uint32Array,
  b0: number,
  b1: number,
): void {
  for (let b = b0; b < b1; b++) {
    const e0 = b * 32;
    const m = Math.min(32, n - e0);
    for (let h = 0; h < used; h++) {
      for (let e = 0; e < m; e++) blk[e] = w[(e0 + e) * halves + h];
      for (let e = m; e < 32; e++) blk[e] = 0;
      transpose32(blk, 0);
      const base = h * 32 * s + b;
      for (let k = 0; k < 32; k++) out[base + k * s] = blk[k];
    }
  }
}

function planesToWords(
  planes: readonly Uint32Array[],
  w: Uint32Array,
  n: number,
  halves: number,
  blk: Uint32Array,
  b0: number,
  b1: number,
): void {
  for (let b = b0; b < b1; b++) {
    const e0 = b * 32;
    const m = Math.min(32, n - e0);
    for (let h = 0; h < halves; h++) {
      for (let k = 0; k < 32; k++) {
        const p = planes[h * 32 + k];
        blk[k] = p === undefined ? 0 : p[b];
      }
      transpose32(blk, 0);
      for (let e = 0; e < m; e++) w[(e0 + e) * halves + h] = blk[e];
    }
  }
}

/**
 * The tensor whose bit b is plane b (`planes.length` <= ring; missing planes are 0).
 *
 * @example
 * ```ts
 * import { fromPlanes } from "./planes.ts";
 * console.log(fromPlanes([new Uint32Array([1]), new Uint32Array([1])], 64, [1]).toBigInts()); // [3n]
 * ```
 */
export function fromPlanes(planes: readonly Uint32Array[], ring: Ring, shape: Shape): RingTensor {
  const n = numel(shape);
  const s = strideOf(n);
  const t = new RingTensor(ring, shape);
  const w = words32(t);
  const blk = new Uint32Array(32);
  for (let b = 0; b < s; b += CHUNK) {
    planesToWords(planes, w, n, ring / 32, blk, b, Math.min(s, b + CHUNK));
  }
  return t;
}

/**
 * Bit 0 of every element of `t`, as one plane.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { lowPlane } from "./planes.ts";
 * console.log(lowPlane(RingTensor.fromBigInts([1n, 2n, 3n], [3]))[0]); // 5
 * ```
 */
export function lowPlane(t: RingTensor): Uint32Array {
  const n = t.size;
  const step = t.ring / 32;
  const w = words32(t);
  const out = new Uint32Array(strideOf(n));
  for (let e = 0; e < n; e += 32 * CHUNK) lowBits(w, out, step, e, Math.min(n, e + 32 * CHUNK));
  return out;
}

/**
 * Planes of `n` bits as the rows of one [k, n] tensor: 0/1, or with `signs` 1 - 2 bit
 * (1 or -1 mod 2^ring), one pass and no per-row copies.
 *
 * @example
 * ```ts
 * import { planesToRows } from "./planes.ts";
 * const t = planesToRows([new Uint32Array([5]), new Uint32Array([2])], 32, 3, true);
 * console.log(t.toBigInts(true)); // [-1n, 1n, -1n, 1n, -1n, 1n]
 * ```
 */
export function planesToRows(
  planes: readonly Uint32Array[],
  ring: Ring,
  n: number,
  signs = false,
): RingTensor {
  const t = new RingTensor(ring, [planes.length, n]);
  const w = words32(t);
  const step = ring / 32;
  for (let b = 0; b < planes.length; b++) {
    const p = planes[b];
    const base = b * n * step;
    if (!signs) {
      for (let e = 0; e < n; e++) w[base + e * step] = (p[e >>> 5] >>> (e & 31)) & 1;
    } else {
      // 1 - 2 bit: bit 1 -> all ones (-1), bit 0 -> 1
      for (let e = 0; e < n; e++) {
        const m = -((p[e >>> 5] >>> (e & 31)) & 1);
        const i = base + e * step;
        w[i] = m | 1;
        if (step === 2) w[i + 1] = m;
      }
    }
  }
  return t;
}

/**
 * A plane as a tensor of 0/1 (bit e of the plane is element e).
 *
 * @example
 * ```ts
 * import { planeToTensor } from "./planes.ts";
 * console.log(planeToTensor(new Uint32Array([5]), 32, [3]).toBigInts()); // [1n, 0n, 1n]
 * ```
 */
export function planeToTensor(p: Uint32Array, ring: Ring, shape: Shape): RingTensor {
  const n = numel(shape);
  const t = new RingTensor(ring, shape);
  const step = ring / 32;
  const w = words32(t);
  for (let e = 0; e < n; e += 32 * CHUNK) spreadBits(p, w, step, e, Math.min(n, e + 32 * CHUNK));
  return t;
}

/**
 * a ^ b, word by word (a new plane).
 *
 * @example
 * ```ts
 * import { xorPlane } from "./planes.ts";
 * console.log(xorPlane(new Uint32Array([6]), new Uint32Array([3]))[0]); // 5
 * ```
 */
export function xorPlane(a: Uint32Array, b: Uint32Array): Uint32Array {
  const o = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) o[i] = a[i] ^ b[i];
  return o;
}

/**
 * ~a, keeping the padding bits beyond `n` elements at 0 (a new plane).
 *
 * @example
 * ```ts
 * import { notPlane } from "./planes.ts";
 * console.log(notPlane(new Uint32Array([1]), 3)[0]); // 6
 * ```
 */
export function notPlane(a: Uint32Array, n: number): Uint32Array {
  const o = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) o[i] = ~a[i];
  const r = n & 31;
  if (r !== 0 && o.length > 0) o[o.length - 1] &= (1 << r) - 1;
  return o;
}

function lowBits(w: Uint32Array, out: Uint32Array, step: number, e0: number, e1: number): void {
  for (let e = e0; e < e1; e++) out[e >>> 5] |= (w[e * step] & 1) << (e & 31);
}

function spreadBits(p: Uint32Array, w: Uint32Array, step: number, e0: number, e1: number): void {
  for (let e = e0; e < e1; e++) w[e * step] = (p[e >>> 5] >>> (e & 31)) & 1;
}
