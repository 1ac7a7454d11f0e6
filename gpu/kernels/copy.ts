/**
 * Strided copies over 32-bit words, the one kernel behind permute, slice, pad, concat,
 * stack and expand: `dst[dstOff + sum(c_d * ds_d)] = src[srcOff + sum(c_d * ss_d)]` for
 * every coordinate `c` of `shape`. A Z_2^64 element is two words (a trailing dimension of
 * 2), so the copy is ring-agnostic; the host collapses contiguous runs first.
 *
 * @example
 * ```ts
 * import { copyProgram } from "./copy.ts";
 * console.log(typeof copyProgram);
 * ```
 * @module
 */
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d, unravel } from "../wgsl.ts";
import { collapse as collapseDims } from "@sharetensor/core/plans";

/**
 * Program copying a word tensor of `shape` from `src` (offset, strides in words; stride 0
 * broadcasts) into `dst` (offset, strides in words).
 *
 * @example
 * ```ts
 * import { copyProgram } from "./copy.ts";
 * console.log(copyProgram.length); // 7
 * ```
 */
export function copyProgram(
  dst: GPUBuffer,
  dstOff: number,
  dstStrides: readonly number[],
  src: GPUBuffer,
  srcOff: number,
  srcStrides: readonly number[],
  shape: readonly number[],
): Program {
  const n = shape.reduce((x, y) => x * y, 1);
  const c = collapseDims(shape, [dstStrides, srcStrides]);
  const r = c.shape.length;
  const [ds, ss] = c.strides;
  let key: string, body: string;
  if (r === 1 && ds[0] === 1 && ss[0] === 1) {
    key = "copy:flat";
    body = "  O[P[2] + i] = A[P[1] + i];";
  } else {
    key = `copy:r${r}`;
    body = `  var is = P[1]; var id = P[2];\n${
      unravel("i", r, 3, [["is", 3 + r], ["id", 3 + 2 * r]])
    }
  O[id] = A[is];`;
  }
  return {
    key,
    wgsl: () => kernel1d("u32", [["A", "u32"]], body),
    output: dst,
    inputs: [src],
    params: new Uint32Array([n, srcOff, dstOff, ...c.shape, ...ss, ...ds]),
    grid: grid1d(n),
  };
}

/**
 * Program for index-select: `out[o, j, t] = src[o, idx[j], t]` over words, with `outer`
 * leading elements, `idx` (already non-negative) along an axis of length `axisLen`, and
 * `inner` trailing words per index.
 *
 * @example
 * ```ts
 * import { gatherProgram } from "./copy.ts";
 * console.log(gatherProgram.length); // 7
 * ```
 */
export function gatherProgram(
  dst: GPUBuffer,
  src: GPUBuffer,
  idx: GPUBuffer,
  outer: number,
  nIdx: number,
  axisLen: number,
  inner: number,
): Program {
  const n = outer * nIdx * inner;
  const body = `  let t = i % P[3]; let q = i / P[3]; let j = q % P[1]; let o = q / P[1];
  O[i] = A[(o * P[2] + I[j]) * P[3] + t];`;
  return {
    key: "gather",
    wgsl: () => kernel1d("u32", [["A", "u32"], ["I", "u32"]], body),
    output: dst,
    inputs: [src, idx],
    params: new Uint32Array([n, nIdx, axisLen, inner]),
    grid: grid1d(n),
  };
}
