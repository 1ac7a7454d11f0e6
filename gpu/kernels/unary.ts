/**
 * Elementwise unary ring kernels over contiguous tensors: neg, not, shifts by a public
 * amount, bit extraction, product with a public constant, and fill (no input).
 *
 * @example
 * ```ts
 * import { unaryProgram } from "./unary.ts";
 * console.log(typeof unaryProgram);
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d, ringPrelude } from "../wgsl.ts";

/** Unary ops; `k` is the shift or bit index, `c` the constant of mulc and fill. */
export type UnaryOp = "neg" | "not" | "shl" | "shr" | "sar" | "bit" | "mulc" | "fill";

const BODY: Record<UnaryOp, string> = {
  neg: "O[i] = r_neg(A[i]);",
  not: "O[i] = r_not(A[i]);",
  shl: "O[i] = r_shl(A[i], P[1]);",
  shr: "O[i] = r_shr(A[i], P[1]);",
  sar: "O[i] = r_sar(A[i], P[1]);",
  bit: "O[i] = r_bit(A[i], P[1]);",
  mulc: "O[i] = r_mul(A[i], r_const(P[1], P[2]));",
  fill: "O[i] = r_const(P[1], P[2]);",
};

/**
 * Program writing `op(a)` for `n` elements into `out`. `arg` is the shift / bit index,
 * or the ring constant (taken mod 2^ring) of `mulc` and `fill`; `a` is ignored by `fill`.
 *
 * @example
 * ```ts
 * import { unaryProgram } from "./unary.ts";
 * console.log(unaryProgram.length); // 6
 * ```
 */
export function unaryProgram(
  op: UnaryOp,
  ring: Ring,
  out: GPUBuffer,
  a: GPUBuffer | null,
  n: number,
  arg: number | bigint = 0,
): Program {
  const v = BigInt.asUintN(64, BigInt(arg));
  const lo = Number(v & 0xffffffffn);
  const hi = Number(v >> 32n);
  return {
    key: `unary:${op}:${ring}`,
    wgsl: () =>
      ringPrelude(ring) + kernel1d("E", op === "fill" ? [] : [["A", "E"]], `  ${BODY[op]}`),
    output: out,
    inputs: a && op !== "fill" ? [a] : [],
    params: new Uint32Array([n, lo, hi]),
    grid: grid1d(n),
  };
}
