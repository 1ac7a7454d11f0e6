/**
 * Shapes: validation, element counts, strides and broadcasting (NumPy rules).
 *
 * @example
 * ```ts
 * import { broadcastShapes, numel } from "@sharetensor/core/shape";
 * console.log(broadcastShapes([2, 1, 3], [4, 3]), numel([2, 3]));
 * ```
 * @module
 */

/** A tensor shape: non-negative integer sizes, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Formats a shape as `[2,3]` for error messages. */
export function fmtShape(s: Shape): string {
  return `[${s.join(",")}]`;
}

/** Throws `TypeError` unless `s` is an array of non-negative safe integers. */
export function assertShape(s: Shape, what = "shape"): void {
  if (!Array.isArray(s)) throw new TypeError(`${what} must be an array, got ${typeof s}`);
  for (const d of s) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new TypeError(`${what} ${fmtShape(s)} has an invalid size ${d}`);
    }
  }
}

/** Number of elements of a shape (1 for a scalar). */
export function numel(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of shape `s`. */
export function stridesOf(s: Shape): number[] {
  const st = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= s[i];
  }
  return st;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Broadcast shape of `a` and `b` by NumPy rules; `TypeError` with both shapes when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TypeError(`shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides to read a tensor of shape `from` as if it had the broadcast shape `to`
 * (0 where a dimension is broadcast).
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const st = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) {
    const j = to.length - from.length + i;
    out[j] = from[i] === 1 && to[j] !== 1 ? 0 : st[i];
  }
  return out;
}

/** Normalises a possibly negative axis against rank `rank`; `RangeError` when out of range. */
export function normAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new RangeError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}
