/**
 * Elementwise binary ring kernels with NumPy broadcasting: `out[i] = a[ia] op b[ib]`
 * mod 2^ring for add, sub, mul, and, or, xor. The host collapses contiguous dimensions;
 * equal contiguous operands and scalar operands get flat shaders, the rest a shader
 * specialised to the collapsed rank that unravels the index against per-operand strides.
 *
 * @example
 * ```ts
 * import { binaryProgram } from "./elementwise.ts";
 * console.log(typeof binaryProgram);
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d, ringPrelude, unravel } from "../wgsl.ts";
import { collapse as collapseDims } from "@sharetensor/core/plans";
import { contiguous } from "./layout.ts";

/** The binary ops, named after their WGSL prelude functions (`r_add`, ...). */
export type BinaryOp = "add" | "sub" | "mul" | "and" | "or" | "xor";

/**
 * Program computing `a op b` into `out`, where `a`, `b` are read as `outShape` with
 * broadcast element strides `sa`, `sb` (0 where broadcast).
 *
 * @example
 * ```ts
 * import { binaryProgram } from "./elementwise.ts";
 * console.log(binaryProgram.length); // 8 parameters
 * ```
 */
export function binaryProgram(
  op: BinaryOp,
  ring: Ring,
  out: GPUBuffer,
  a: GPUBuffer,
  b: GPUBuffer,
  outShape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
): Program {
  const n = outShape.reduce((x, y) => x * y, 1);
  const c = collapseDims(outShape, [contiguous(outShape), sa, sb]);
  const [, ca, cb] = c.strides;
  const r = c.shape.length;
  const flatA = r === 1 && ca[0] === 1;
  const flatB = r === 1 && cb[0] === 1;
  const zeroA = ca.every((s) => s === 0);
  const zeroB = cb.every((s) => s === 0);
  const ins: [string, string][] = [["A", "E"], ["B", "E"]];
  const fn = `r_${op}`;
  let mode: string, body: string, params: number[];
  if ((flatA || zeroA) && (flatB || zeroB)) {
    mode = `${flatA ? "f" : "s"}${flatB ? "f" : "s"}`;
    body = `  O[i] = ${fn}(A[${flatA ? "i" : "0u"}], B[${flatB ? "i" : "0u"}]);`;
    params = [n];
  } else {
    mode = `r${r}`;
    body = `  var ia = 0u; var ib = 0u;\n${unravel("i", r, 1, [["ia", 1 + r], ["ib", 1 + 2 * r]])}
  O[i] = ${fn}(A[ia], B[ib]);`;
    params = [n, ...c.shape, ...ca, ...cb];
  }
  return {
    key: `binary:${op}:${ring}:${mode}`,
    wgsl: () => ringPrelude(ring) + kernel1d("E", ins, body),
    output: out,
    inputs: [a, b],
    params: new Uint32Array(params),
    grid: grid1d(n),
  };
}
