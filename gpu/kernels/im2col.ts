/**
 * im2col for convolutions (Chellapilla et al., 2006): unfolds x [N, C, H, W] into
 * cols [N, G, C/G * KH * KW, OH * OW], so that conv2d with weights viewed as
 * [G, O/G, C/G * KH * KW] is one batched matmul giving [N, G, O/G, OH * OW], which is
 * already [N, O, OH, OW] in memory. Positions in the zero padding read as 0.
 *
 * @example
 * ```ts
 * import { im2colProgram } from "./im2col.ts";
 * console.log(typeof im2colProgram);
 * ```
 * @module
 */
import type { ConvGeometry } from "@sharetensor/core/plans";
import type { Ring } from "@sharetensor/core/ring";
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d, ringPrelude } from "../wgsl.ts";

export type { ConvGeometry };

const BODY = `  let L = P[8] * P[9]; let KK = P[6] * P[7]; let R = P[5] * KK;
  let l = i % L; let q = i / L; let r = q % R; let ng = q / R;
  let gi = ng % P[16]; let nb = ng / P[16];
  let oh = l / P[9]; let ow = l % P[9];
  let c = r / KK; let kh = (r % KK) / P[7]; let kw = r % P[7];
  let ih = i32(oh * P[10] + kh * P[14]) - i32(P[12]);
  let iw = i32(ow * P[11] + kw * P[15]) - i32(P[13]);
  var v = ZERO;
  if (ih >= 0 && ih < i32(P[3]) && iw >= 0 && iw < i32(P[4])) {
    let ch = gi * P[5] + c;
    v = A[((nb * P[2] + ch) * P[3] + u32(ih)) * P[4] + u32(iw)];
  }
  O[i] = v;`;

/**
 * Program unfolding `x` into `cols` for geometry `g` (see the module docs).
 *
 * @example
 * ```ts
 * import { im2colProgram } from "./im2col.ts";
 * console.log(im2colProgram.length); // 4
 * ```
 */
export function im2colProgram(ring: Ring, cols: GPUBuffer, x: GPUBuffer, g: ConvGeometry): Program {
  const cg = g.c / g.g;
  const total = g.n * g.g * cg * g.kh * g.kw * g.oh * g.ow;
  return {
    key: `im2col:${ring}`,
    wgsl: () => ringPrelude(ring) + kernel1d("E", [["A", "E"]], BODY),
    output: cols,
    inputs: [x],
    params: new Uint32Array([
      total,
      g.n,
      g.c,
      g.h,
      g.w,
      cg,
      g.kh,
      g.kw,
      g.oh,
      g.ow,
      g.sh,
      g.sw,
      g.ph,
      g.pw,
      g.dh,
      g.dw,
      g.g,
    ]),
    grid: grid1d(total),
  };
}
