/**
 * Row sums mod 2^ring: `out[r, j] = sum_{t < C} in[r, j*C + t]` over a contiguous
 * `[rows, len]` input. The device applies it until one column is left, so a long sum
 * takes log_C(len) passes with C-fold parallelism each, and no workgroup memory.
 *
 * @example
 * ```ts
 * import { rowSumProgram, SUM_CHUNK } from "./reduce.ts";
 * console.log(typeof rowSumProgram, SUM_CHUNK);
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d, ringPrelude } from "../wgsl.ts";

/** Elements summed per thread and pass. */
export const SUM_CHUNK = 64;

/**
 * Program summing chunks of `SUM_CHUNK` along the rows of a `[rows, len]` tensor into
 * `[rows, ceil(len / SUM_CHUNK)]`.
 *
 * @example
 * ```ts
 * import { rowSumProgram } from "./reduce.ts";
 * console.log(rowSumProgram.length); // 5
 * ```
 */
export function rowSumProgram(
  ring: Ring,
  out: GPUBuffer,
  a: GPUBuffer,
  rows: number,
  len: number,
): Program {
  const cols = Math.ceil(len / SUM_CHUNK);
  const body = `  let j = i % P[2]; let r = i / P[2];
  let start = j * P[3]; let end = min(start + P[3], P[1]);
  var acc = ZERO;
  for (var t = start; t < end; t++) { acc = r_add(acc, A[r * P[1] + t]); }
  O[i] = acc;`;
  return {
    key: `rowsum:${ring}`,
    wgsl: () => ringPrelude(ring) + kernel1d("E", [["A", "E"]], body),
    output: out,
    inputs: [a],
    params: new Uint32Array([rows * cols, len, cols, SUM_CHUNK]),
    grid: grid1d(rows * cols),
  };
}
