/**
 * GeLU, the exact (erf) form x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)): inside |x| < 4 it is
 * 0.5 x + r(x^2) with r(s) = 0.5 sqrt(s) erf(sqrt(s / 2)) (even and smooth) fitted by a
 * degree-8 Chebyshev polynomial in x^2 (fitted on |x| < 4 + 2^-4, error ~5e-5); 0 below
 * -4 and x above 4 (the error there is |x| Phi(-|x|) <= 2e-4 and falls off; the cut may
 * fall 2^-4 either side of 4, see `saturating`). The two comparisons run beside the
 * polynomial (see `piecewise.ts`).
 *
 * Cost at 2 parties: 7 rounds, 97.25 bytes per element (2 msb of 20 bits 25, x^2 8,
 * polynomial 32, 2 selections 32). CrypTen: exact GeLU 35 rounds / 393 bytes and wrong
 * beyond |x| ~ 2.5; its x sigmoid(1.702 x) 24 rounds / 393 bytes with error 1.9e-2.
 *
 * Accuracy (16 fractional bits, measured): absolute <= 5e-3 everywhere (measured
 * ~1.3e-4); exactly 0 below -4 - 2^-4 and exactly x above 4 + 2^-4.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { gelu } from "./gelu.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-1, 0.5, 9] : null, { from: 0, shape: [3] });
 *   return await (await gelu(x)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [-0.158655, 0.345731, 9]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { erfFloat } from "./erf.ts";
import { fitSaturating, saturating, type SaturatingSpec } from "./piecewise.ts";

/** The spec of GeLU (see `piecewise.ts`). */
export const GELU_SPEC: SaturatingSpec = {
  T: 4,
  degree: 8,
  form: "even",
  fn: (s) => 0.5 * Math.sqrt(s) * erfFloat(Math.sqrt(s / 2)),
  linear: 0.5,
  below: 0,
  above: "x",
};
const COEFFS = fitSaturating(GELU_SPEC);

/** GeLU (exact erf form) elementwise (see the module doc). */
export function gelu(x: SecretTensor, opts: { fracBits?: number } = {}): Promise<SecretTensor> {
  return saturating(x, GELU_SPEC, COEFFS, opts.fracBits);
}

/** GeLU in float64 (the reference of the tests). */
export function geluFloat(x: number): number {
  return 0.5 * x * (1 + erfFloat(x / Math.SQRT2));
}
