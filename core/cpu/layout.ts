/**
 * Layout kernels on the CPU: reshape, permute, transpose, slice, concat, stack, pad, gather
 * and expand. Each returns a fresh contiguous tensor (kernels never alias their inputs) and
 * moves 32-bit words through {@linkcode copyStrided}, so both rings share one code path.
 *
 * @example
 * ```ts
 * import { permute } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n, 5n, 6n], [2, 3]);
 * console.log(permute(a, [1, 0]).toBigInts()); // [1n, 4n, 2n, 5n, 3n, 6n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { type Ring, RingTensor } from "../ring.ts";
import { broadcastStrides, fmtShape, numel, type Shape } from "../shape.ts";
import { asCpu, axisOf, checkShape, wordLayout, words } from "./check.ts";
import { copyStrided } from "./strided.ts";
import { type Alloc, freshAlloc } from "./pool.ts";

/** Word strides of `shape` with a trailing word dimension in Z_2^64 (see `wordLayout`). */
function wl(shape: Shape, ring: Ring) {
  return wordLayout(shape, ring);
}

/**
 * Copy of `a` with a new shape of the same size; one dimension may be -1. `TypeError`
 * naming both shapes when the sizes differ.
 *
 * @example
 * ```ts
 * import { reshape } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [4]);
 * console.log(reshape(a, [2, -1]).shape); // [2, 2]
 * ```
 */
export function reshape(x: RingBuffer, shape: Shape, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "reshape");
  const free = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1);
  checkShape(known, "reshape");
  const bad = () =>
    new TypeError(`reshape: cannot view ${fmtShape(a.shape)} as ${fmtShape(shape)}`);
  if (free > 1) throw bad();
  const rest = numel(known);
  let s = [...shape];
  if (free === 1) {
    if (rest === 0 || a.size % rest !== 0) throw bad();
    s = shape.map((d) => (d === -1 ? a.size / rest : d));
  }
  if (numel(s) !== a.size) throw bad();
  const out = alloc(a.ring, s, false);
  (out.data as Uint32Array).set(a.data as Uint32Array);
  return out;
}

/**
 * Dimensions reordered: output dim i is input dim `perm[i]`. `RangeError` unless `perm` is
 * a permutation of the dims (negative ones count from the end).
 *
 * @example
 * ```ts
 * import { permute } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n, 5n, 6n], [1, 2, 3]);
 * console.log(permute(a, [2, 0, 1]).shape); // [3, 1, 2]
 * ```
 */
export function permute(
  x: RingBuffer,
  perm: readonly number[],
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, "permute");
  if (perm.length !== a.rank) {
    throw new RangeError(
      `permute: [${perm}] is not a permutation of the dims of ${fmtShape(a.shape)}`,
    );
  }
  const p = perm.map((d) => axisOf(d, a.rank, "permute"));
  if (new Set(p).size !== p.length) {
    throw new RangeError(`permute: [${perm}] repeats a dim of ${fmtShape(a.shape)}`);
  }
  const shape = p.map((d) => a.shape[d]);
  const out = alloc(a.ring, shape, false);
  const src = wl(a.shape, a.ring), dst = wl(shape, a.ring);
  const ss = p.map((d) => src.strides[d]);
  if (a.ring === 64) ss.push(1);
  copyStrided(words(out), 0, dst.strides, words(a), 0, ss, dst.shape);
  return out;
}

/**
 * Swaps dims `d0` and `d1` (the last two by default); `RangeError` for an axis out of range.
 *
 * @example
 * ```ts
 * import { transpose } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]);
 * console.log(transpose(a).toBigInts()); // [1n, 3n, 2n, 4n]
 * ```
 */
export function transpose(
  x: RingBuffer,
  d0 = -2,
  d1 = -1,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, "transpose");
  const i = axisOf(d0, a.rank, "transpose"), j = axisOf(d1, a.rank, "transpose");
  const perm = a.shape.map((_, k) => k);
  perm[i] = j;
  perm[j] = i;
  return permute(a, perm, alloc);
}

/**
 * The block starting at `begin` with sizes `size` (-1: to the end of the dim); `RangeError`
 * when it does not fit.
 *
 * @example
 * ```ts
 * import { slice } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n, 5n, 6n], [2, 3]);
 * console.log(slice(a, [0, 1], [-1, 2]).toBigInts()); // [2n, 3n, 5n, 6n]
 * ```
 */
export function slice(
  x: RingBuffer,
  begin: readonly number[],
  size: readonly number[],
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, "slice");
  if (begin.length !== a.rank || size.length !== a.rank) {
    throw new TypeError(
      `slice: begin [${begin}] and size [${size}] need one entry per dim of ${fmtShape(a.shape)}`,
    );
  }
  const shape = size.map((s, d) => (s === -1 ? a.shape[d] - begin[d] : s));
  for (let d = 0; d < a.rank; d++) {
    const b = begin[d], s = shape[d];
    if (
      !Number.isSafeInteger(b) || !Number.isSafeInteger(s) || b < 0 || s < 0 || b + s > a.shape[d]
    ) {
      throw new RangeError(
        `slice: begin [${begin}] size [${size}] is out of range for ${fmtShape(a.shape)}`,
      );
    }
  }
  const out = alloc(a.ring, shape, false);
  const src = wl(a.shape, a.ring), dst = wl(shape, a.ring);
  let off = 0;
  for (let d = 0; d < a.rank; d++) off += begin[d] * src.strides[d];
  copyStrided(words(out), 0, dst.strides, words(a), off, src.strides, dst.shape);
  return out;
}

/**
 * Concatenation along `axis`; every other dim and the ring must agree (`TypeError` naming
 * all the shapes otherwise).
 *
 * @example
 * ```ts
 * import { concat } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n], [1, 2]);
 * console.log(concat([a, a], 0).shape); // [2, 2]
 * ```
 */
export function concat(
  list: readonly RingBuffer[],
  axis: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  if (list.length === 0) throw new TypeError("concat: needs at least one tensor");
  const ts = list.map((b) => asCpu(b, "concat"));
  const a = ts[0];
  const shapes = () => ts.map((t) => `Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ");
  if (a.rank === 0) throw new TypeError(`concat: cannot concatenate scalars: ${shapes()}`);
  const ax = axisOf(axis, a.rank, "concat");
  let total = 0;
  for (const t of ts) {
    const same = t.rank === a.rank && t.shape.every((d, i) => i === ax || d === a.shape[i]);
    if (t.ring !== a.ring || !same) {
      throw new TypeError(`concat: tensors do not agree off axis ${axis}: ${shapes()}`);
    }
    total += t.shape[ax];
  }
  const shape = [...a.shape];
  shape[ax] = total;
  const out = alloc(a.ring, shape, false);
  const dst = wl(shape, a.ring), o = words(out);
  let at = 0;
  for (const t of ts) {
    const src = wl(t.shape, t.ring);
    copyStrided(o, at * dst.strides[ax], dst.strides, words(t), 0, src.strides, src.shape);
    at += t.shape[ax];
  }
  return out;
}

/**
 * Stacks tensors of one shape along a new dim `axis` (in [-rank-1, rank]).
 *
 * @example
 * ```ts
 * import { stack } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n], [2]);
 * console.log(stack([a, a], 1).toBigInts()); // [1n, 1n, 2n, 2n]
 * ```
 */
export function stack(
  list: readonly RingBuffer[],
  axis: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  if (list.length === 0) throw new TypeError("stack: needs at least one tensor");
  const ts = list.map((b) => asCpu(b, "stack"));
  const a = ts[0];
  for (const t of ts) {
    if (t.ring !== a.ring || t.rank !== a.rank || t.shape.some((d, i) => d !== a.shape[i])) {
      throw new TypeError(
        `stack: needs one shape and ring, got ${
          ts.map((u) => `Z_2^${u.ring} ${fmtShape(u.shape)}`)
        }`,
      );
    }
  }
  const ax = axisOf(axis, a.rank + 1, "stack");
  const shape = [...a.shape];
  shape.splice(ax, 0, 1);
  return concat(ts.map((t) => new RingTensor(t.ring, shape, t.data)), ax, alloc);
}

/**
 * Pads dim i with `pads[i] = [before, after]` elements of `value` (default 0, taken mod
 * 2^ring).
 *
 * @example
 * ```ts
 * import { pad } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n], [1]);
 * console.log(pad(a, [[1, 2]], -1n).toBigInts(true)); // [-1n, 1n, -1n, -1n]
 * ```
 */
export function pad(
  x: RingBuffer,
  pads: readonly (readonly [number, number])[],
  value = 0n,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, "pad");
  if (pads.length !== a.rank) {
    throw new TypeError(`pad: ${pads.length} pairs for ${fmtShape(a.shape)}, need ${a.rank}`);
  }
  for (const [b, e] of pads) {
    if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || e < 0) {
      throw new RangeError(`pad: pads ${JSON.stringify(pads)} must be integers >= 0`);
    }
  }
  const shape = a.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const out = alloc(a.ring, shape, true);
  if (value !== 0n) {
    if (out.data instanceof BigUint64Array) out.data.fill(BigInt.asUintN(64, value));
    else out.data.fill(Number(BigInt.asUintN(32, value)));
  }
  const src = wl(a.shape, a.ring), dst = wl(shape, a.ring);
  let off = 0;
  for (let d = 0; d < a.rank; d++) off += pads[d][0] * dst.strides[d];
  copyStrided(words(out), off, dst.strides, words(a), 0, src.strides, src.shape);
  return out;
}

/**
 * Index-select along `axis`; negative indices count from the end, others out of range are
 * `RangeError`s.
 *
 * @example
 * ```ts
 * import { gather } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n], [3]);
 * console.log(gather(a, [2, -3, 2], 0).toBigInts()); // [3n, 1n, 3n]
 * ```
 */
export function gather(
  x: RingBuffer,
  indices: ArrayLike<number>,
  axis: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, "gather");
  const ax = axisOf(axis, a.rank, "gather");
  const D = a.shape[ax];
  const shape = [...a.shape];
  shape[ax] = indices.length;
  const out = alloc(a.ring, shape, false);
  const w = a.ring === 64 ? 2 : 1;
  let pre = 1, post = w;
  for (let i = 0; i < ax; i++) pre *= a.shape[i];
  for (let i = ax + 1; i < a.rank; i++) post *= a.shape[i];
  const idx = Array.from(indices, (v) => {
    if (!Number.isInteger(v) || v < -D || v >= D) {
      throw new RangeError(
        `gather: index ${v} is out of range for dim ${axis} of ${fmtShape(a.shape)}`,
      );
    }
    return v < 0 ? v + D : v;
  });
  const s = words(a), o = words(out), L = idx.length;
  for (let p = 0; p < pre; p++) {
    for (let i = 0; i < L; i++) {
      const si = (p * D + idx[i]) * post, oi = (p * L + i) * post;
      if (post >= 16) o.set(s.subarray(si, si + post), oi);
      else for (let q = 0; q < post; q++) o[oi + q] = s[si + q];
    }
  }
  return out;
}

/**
 * Materialised broadcast of `a` to `shape` (NumPy rules; -1 keeps a dim of `a`).
 *
 * @example
 * ```ts
 * import { expand } from "./layout.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n], [2]);
 * console.log(expand(a, [2, -1]).toBigInts()); // [1n, 2n, 1n, 2n]
 * ```
 */
export function expand(x: RingBuffer, shape: Shape, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "expand");
  const off = shape.length - a.rank;
  const bad = () =>
    new TypeError(`expand: ${fmtShape(a.shape)} does not broadcast to ${fmtShape(shape)}`);
  if (off < 0) throw bad();
  const s = shape.map((d, i) => (d === -1 && i >= off ? a.shape[i - off] : d));
  checkShape(s, "expand");
  for (let i = 0; i < a.rank; i++) {
    if (a.shape[i] !== 1 && a.shape[i] !== s[i + off]) throw bad();
  }
  const out = alloc(a.ring, s, false);
  const dst = wl(s, a.ring);
  const ss = broadcastStrides(a.shape, s).map((v) => v * (a.ring === 64 ? 2 : 1));
  if (a.ring === 64) ss.push(1);
  copyStrided(words(out), 0, dst.strides, words(a), 0, ss, dst.shape);
  return out;
}
