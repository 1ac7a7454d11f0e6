/**
 * The function library of `@sharetensor/protocols`: approximations of non-linear functions
 * on secret tensors, written against the `SecretTensor` API only (products, comparisons,
 * a2b / b2a), so they run under any protocol that provides those. Options (iterations,
 * ranges, precision) are per call; nothing is global.
 *
 * The octave normalization (reciprocal, invSqrt, sqrt, log) reads only the bits its range
 * needs: an a2b of the low bits, the leading one on the range's bit planes, a B2A of those
 * planes into tables (`normalize.ts`). The piecewise comparisons read the low 32 bits of
 * x - t (|x| < 2^15, option `bound` of `piecewise`); the saturating functions' 20 bits
 * (x truncated to 4 fractional bits first). Polynomials take their powers by squarings
 * (8 bytes each) and even degrees <= 8 as s R^2 + S (`polynomial.ts`). Intermediate
 * tensors go back to the device's buffer pool (`release` in `fixed.ts`).
 *
 * | function | method | 2-party rounds | bytes/elem | measured error (16 frac bits) |
 * |---|---|---|---|---|
 * | exp | p(x/16)^16, p degree-4 minimax as R^2 + S | 6 | 48 | rel 5e-4 on [-16, 8] |
 * | reciprocal | a2b octave (signed tables) + degree-6 poly | 18 (15 on [0.5, 50]) | 143 (90.5) | rel 7.6e-4 on +-[0.5, 50] |
 * | invSqrt, sqrt | a2b octave + degree-4 poly | 17, 18 | 127, 143 | rel 1.5e-3, 4e-4 on [0.01, 1e4] |
 * | log | a2b octave + degree-4 poly | 16 | 111 | abs 1.1e-4 on [0.01, 1e4] |
 * | erf, gelu | piecewise: poly in x^2 + 2 comparisons (20-bit) | 7 | 113, 97 | 5.6e-4, 1.3e-4 |
 * | sigmoid, tanh, silu, softplus | same | 7 | 129-161 | 1.2e-4 .. 1.0e-3 |
 * | softmax | max tree (32-bit), exp, reciprocal of the sums | 71 (128 wide) | ~94 | 3e-5 (W5) |
 * | layerNorm | square, inverse sqrt of the variances | 17 | ~24.4 | 4e-4 (W7) |
 * | cos, sin | a2b range reduction + poly | 12, 13 | 141, ~157 | 1e-4 on [-100, 100] |
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { exp, gelu, softmax } from "./mod.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [0.5, -1, 2] : null, { from: 0, shape: [1, 3] });
 *   const [a, b, c] = [await exp(x), await gelu(x), await softmax(x)];
 *   return [await a.reveal(), await b.reveal(), await c.reveal()];
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]);
 * ```
 * @module
 */
export { exp, EXP_COEFFS, EXP_MIN_INPUT, type ExpOptions } from "./exp.ts";
export { log, type LogOptions } from "./log.ts";
export { reciprocal, type ReciprocalOptions } from "./reciprocal.ts";
export { invSqrt, sqrt, type SqrtOptions } from "./sqrt.ts";
export { pow, type PowOptions } from "./pow.ts";
export { sigmoid } from "./sigmoid.ts";
export { tanh } from "./tanh.ts";
export { erf } from "./erf.ts";
export { gelu } from "./gelu.ts";
export { silu } from "./silu.ts";
export { softplus } from "./softplus.ts";
export { logSoftmax, softmax, type SoftmaxOptions } from "./softmax.ts";
export { layerNorm, type LayerNormOptions, meanLast, type NormParam } from "./layer_norm.ts";
export { cos, sin, sincos } from "./trig.ts";
export { chebyshevFit, type PolyOptions, polyval, powers } from "./polynomial.ts";
export { type Piece, piecewise, saturating, type SaturatingSpec } from "./piecewise.ts";
export { newtonInvSqrt, newtonReciprocal } from "./newton.ts";
export { normalize, type NormalizeOptions, type Octaves } from "./normalize.ts";
export { at, lincomb, mulAt, reinterpret, squareAt } from "./fixed.ts";
