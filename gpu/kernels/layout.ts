/**
 * Host-side layout helpers of the kernels: merging dimensions that are contiguous for
 * every operand, so that most kernels run with rank 1 or 2 and a shader specialised to it.
 *
 * @example
 * ```ts
 * import { collapseDims } from "./layout.ts";
 * console.log(collapseDims([2, 3], [[3, 1], [0, 1]]));
 * ```
 * @module
 */

/**
 * Drops size-1 dimensions and merges a dimension into the next inner one when every
 * stride vector is contiguous across them. Returns at least one dimension.
 *
 * @example
 * ```ts
 * import { collapseDims } from "./layout.ts";
 * console.log(collapseDims([2, 3], [[3, 1]])); // { shape: [6], strides: [[1]] }
 * ```
 */
export function collapseDims(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      for (let k = 0; k < strides.length; k++) st[k][last] = strides[k][d];
    } else {
      sh.push(shape[d]);
      for (let k = 0; k < strides.length; k++) st[k].push(strides[k][d]);
    }
  }
  if (sh.length === 0) {
    sh.push(1);
    for (const s of st) s.push(1);
  }
  return { shape: sh, strides: st };
}

/**
 * Row-major strides of `shape`.
 *
 * @example
 * ```ts
 * import { contiguous } from "./layout.ts";
 * console.log(contiguous([2, 3])); // [3, 1]
 * ```
 */
export function contiguous(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}
