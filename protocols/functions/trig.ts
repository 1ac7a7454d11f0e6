/**
 * cos and sin: range reduction to one period by the bits of u = x / (2 pi) (20 fractional
 * bits): one a2b, the low 20 bits of the word are frac(u), one word B2A brings them back;
 * then with v = frac(u) - 1/2 in [-1/2, 1/2), cos x = -cos(2 pi v) and sin x = -sin(2 pi v),
 * Chebyshev polynomials in v^2 (degree 8, errors ~1e-7; sin as v h(v^2)).
 *
 * Cost at 2 parties: cos 12 rounds, ~175 bytes per element; sin 13 rounds; `sincos` both
 * for 13 rounds. (CrypTen: (1 + i x / 2^10)^(2^10) in complex numbers: 10 rounds of complex
 * squarings, and wrong for |x| beyond ~100.)
 *
 * Accuracy (16 fractional bits, measured): absolute <= 1e-3 on [-100, 100] (measured
 * ~1e-4: the phase error of x / (2 pi) grows with |x|, ~3e-6 |x|). Domain: |x| < 2^10;
 * beyond, the reduction's products grow and truncations may fail.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { cos, sin } from "./trig.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [0, 1, -4] : null, { from: 0, shape: [3] });
 *   return [await (await cos(x)).reveal(), await (await sin(x)).reveal()];
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~[[1, 0.5403, -0.6536], [0, 0.8415, 0.7568]]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { lincomb, mulAt, reinterpret, squareAt } from "./fixed.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";

const UB = 20; // fractional bits of u = x / (2 pi)

/** cos(2 pi v) on v^2 in [0, 1/4], monomial coefficients in t = 8 v^2 - 1. */
export const COS_COEFFS: readonly number[] = chebyshevFit(
  (s) => Math.cos(2 * Math.PI * Math.sqrt(s)),
  0,
  0.25,
  8,
);
/** sin(2 pi v) / v on v^2 in [0, 1/4], in t = 8 v^2 - 1. */
export const SIN_COEFFS: readonly number[] = chebyshevFit(
  (s) => s < 1e-14 ? 2 * Math.PI : Math.sin(2 * Math.PI * Math.sqrt(s)) / Math.sqrt(s),
  0,
  0.25,
  8,
);

/** v = frac(x / 2 pi) - 1/2 with 20 fractional bits, and t = 8 v^2 - 1. */
async function reduce(x: SecretTensor): Promise<{ v: SecretTensor; t: SecretTensor }> {
  x.need("arithmetic", "trig");
  const u = await lincomb([[x, 1 / (2 * Math.PI)]], 0, UB, 20);
  const low = (await u.toBinary()).andPublic((1n << BigInt(UB)) - 1n);
  const frac = reinterpret(await low.toArithmeticWord(0), UB);
  const v = frac.sub(0.5);
  const s = await squareAt(v, UB);
  return { v, t: await lincomb([[s, 8]], -1, UB) };
}

/** cos(x) elementwise (see the module doc). */
export async function cos(
  x: SecretTensor,
  opts: { fracBits?: number } = {},
): Promise<SecretTensor> {
  const { t } = await reduce(x);
  const c = await polyval(t, COS_COEFFS, { fracBits: UB });
  return await lincomb([[c, -1]], 0, opts.fracBits ?? x.ctx.fracBits);
}

/** sin(x) elementwise (see the module doc). */
export async function sin(
  x: SecretTensor,
  opts: { fracBits?: number } = {},
): Promise<SecretTensor> {
  const { v, t } = await reduce(x);
  const h = await polyval(t, SIN_COEFFS, { fracBits: UB });
  return (await mulAt(v, h, opts.fracBits ?? x.ctx.fracBits)).neg();
}

/** [cos(x), sin(x)] sharing one range reduction. */
export async function sincos(
  x: SecretTensor,
  opts: { fracBits?: number } = {},
): Promise<[SecretTensor, SecretTensor]> {
  const f = opts.fracBits ?? x.ctx.fracBits;
  const { v, t } = await reduce(x);
  const [c, h] = await x.ctx.parallel([
    () => polyval(t, COS_COEFFS, { fracBits: UB }),
    () => polyval(t, SIN_COEFFS, { fracBits: UB }),
  ]);
  const [cc, ss] = await x.ctx.parallel([
    () => lincomb([[c, -1]], 0, f),
    async () => (await mulAt(v, h, f)).neg(),
  ]);
  return [cc, ss];
}
