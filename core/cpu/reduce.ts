/**
 * Ring sums over dimensions on the CPU, mod 2^ring. Adjacent reduced dimensions are merged,
 * then each reduced group is one pass over a `[pre, d, post]` view of the running result,
 * so every inner loop is contiguous.
 *
 * @example
 * ```ts
 * import { sum } from "./reduce.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]);
 * console.log(sum(a, [0]).toBigInts()); // [4n, 6n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { RingTensor } from "../ring.ts";
import { fmtShape } from "../shape.ts";
import { asCpu, axisOf } from "./check.ts";

function sumAxis(a: RingTensor, axis: number): RingTensor {
  const shape = [...a.shape];
  const d = shape[axis];
  let pre = 1, post = 1;
  for (let i = 0; i < axis; i++) pre *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) post *= shape[i];
  shape[axis] = 1;
  const out = new RingTensor(a.ring, shape);
  if (a.data instanceof BigUint64Array && post === 1) {
    // Rows: the running sum stays in o[p] (re-read, not a BigInt local, to stay native).
    const s = a.data, o = out.data as BigUint64Array;
    for (let p = 0; p < pre; p++) {
      for (let j = 0; j < d; j++) o[p] = BigInt.asUintN(64, o[p] + s[p * d + j]);
    }
  } else if (a.data instanceof BigUint64Array) {
    const s = a.data, o = out.data as BigUint64Array;
    for (let p = 0; p < pre; p++) {
      const oi = p * post;
      for (let j = 0; j < d; j++) {
        const si = (p * d + j) * post;
        for (let q = 0; q < post; q++) o[oi + q] = BigInt.asUintN(64, o[oi + q] + s[si + q]);
      }
    }
  } else if (post === 1) {
    const s = a.data, o = out.data as Uint32Array;
    for (let p = 0; p < pre; p++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc = (acc + s[p * d + j]) >>> 0;
      o[p] = acc;
    }
  } else {
    const s = a.data as Uint32Array, o = out.data as Uint32Array;
    for (let p = 0; p < pre; p++) {
      const oi = p * post;
      for (let j = 0; j < d; j++) {
        const si = (p * d + j) * post;
        for (let q = 0; q < post; q++) o[oi + q] = o[oi + q] + s[si + q];
      }
    }
  }
  return out;
}

/**
 * Sum over `dims` mod 2^ring (every dimension when `dims` is omitted; `[]` sums nothing,
 * as in NumPy), keeping reduced dimensions as size 1 when `keepDims`. Negative dims count
 * from the end; `RangeError` for one out of range or repeated.
 *
 * @example
 * ```ts
 * import { sum } from "./reduce.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n, 5n, 6n], [2, 3], 32);
 * console.log(sum(a, [-1], true).shape, sum(a).toBigInts()); // [2, 1] [21n]
 * ```
 */
export function sum(x: RingBuffer, dims?: readonly number[], keepDims = false): RingTensor {
  const a = asCpu(x, "sum");
  const rank = a.rank;
  const axes = dims === undefined
    ? Array.from({ length: rank }, (_, i) => i)
    : dims.map((d) => axisOf(d, rank, "sum"));
  if (new Set(axes).size !== axes.length) {
    throw new RangeError(`sum: dims [${dims}] repeat an axis of ${fmtShape(a.shape)}`);
  }
  // Adjacent dims that are both reduced (or both kept) are merged first, so that e.g. a sum
  // over everything is one pass over one dimension.
  const merged: number[] = [], reduced: boolean[] = [];
  a.shape.forEach((d, i) => {
    const red = axes.includes(i);
    if (merged.length > 0 && reduced[reduced.length - 1] === red) merged[merged.length - 1] *= d;
    else {
      merged.push(d);
      reduced.push(red);
    }
  });
  let t = new RingTensor(a.ring, merged, a.data); // a view: sumAxis never writes its input
  for (let i = merged.length - 1; i >= 0; i--) if (reduced[i]) t = sumAxis(t, i);
  const data = t.data === a.data ? a.data.slice() : t.data;
  const shape = keepDims
    ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : a.shape.filter((_, i) => !axes.includes(i));
  return new RingTensor(a.ring, shape, data);
}
