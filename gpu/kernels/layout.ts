/**
 * Host-side layout helpers of the kernels. Merging dimensions that are contiguous for
 * every operand (so most kernels run with rank 1 or 2) is `collapse` in core/plans.ts,
 * shared with the CPU device.
 *
 * @example
 * ```ts
 * import { contiguous } from "./layout.ts";
 * console.log(contiguous([2, 3])); // [3, 1]
 * ```
 * @module
 */

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
