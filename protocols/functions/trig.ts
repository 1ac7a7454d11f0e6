/**
 * cos and sin: range reduction to one period by the bits of u = x / (2 pi) (20 fractional
 * bits): one a2b, the low 20 bits of the word are frac(u), one word B2A brings them back;
 * then with v = frac(u) - 1/2 in [-1/2, 1/2), cos x = -cos(2 pi v) and sin x = -sin(2 pi v),
 * Chebyshev polynomials in v^2 (degree 8, errors ~1e-7; sin as v h(v^2)).
 *
 * Cost at 2 parties: cos 12 rounds, ~141 bytes per element; sin 13 rounds; `sincos` both
 * for 13 rounds. (CrypTen: (1 + i x / 2^10)^(2^10) in complex numbers: 10 rounds of complex
 * squarings, and wrong for |x| beyond ~100.)
 *
 * Accuracy (16 fractional bits, measured): absolute <= 1e-3 on [-100, 100] (measured
 * ~6e-5). Domain: any x (the reduction is exact up to 2^-20 of a period plus 2^-41 |x|).
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
import { at, atContext, lincomb, mulAt, reinterpret, squareAt } from "./fixed.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";

const UB = 20; // fractional bits of u = x / (2 pi)
const PB = 18; // fractional bits of v and the polynomials

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

/**
 * v = frac(x / 2 pi) - 1/2 with 20 fractional bits, and t = 8 v^2 - 1. x / 2 pi is the
 * exact ring product of x's word and 1 / 2 pi with 40 bits: it wraps mod 2^64, which only
 * drops whole periods, and it is never truncated (the a2b reads its bits 36..55).
 */
async function reduce(x: SecretTensor): Promise<{ v: SecretTensor; t: SecretTensor }> {
  x.need("arithmetic", "trig");
  x = await atContext(x);
  const cb = 40;
  const raw = x.mulPublic(BigInt(Math.round(2 ** cb / (2 * Math.PI))));
  const low = (await raw.toBinary()).shr(x.fracBits + cb - UB).andPublic((1n << BigInt(UB)) - 1n);
  const frac = reinterpret(await low.toArithmeticWord(0), UB);
  const v = await at(frac.sub(0.5), PB);
  const s = await squareAt(v, PB);
  return { v, t: await lincomb([[s, 8]], -1, PB) };
}

/** cos(x) elementwise (see the module doc). */
export async function cos(
  x: SecretTensor,
  opts: { fracBits?: number } = {},
): Promise<SecretTensor> {
  const { t } = await reduce(x);
  const c = await polyval(t, COS_COEFFS, { fracBits: PB });
  return await lincomb([[c, -1]], 0, opts.fracBits ?? x.ctx.fracBits);
}

/** sin(x) elementwise (see the module doc). */
export async function sin(
  x: SecretTensor,
  opts: { fracBits?: number } = {},
): Promise<SecretTensor> {
  const { v, t } = await reduce(x);
  const h = await polyval(t, SIN_COEFFS, { fracBits: PB });
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
    () => polyval(t, COS_COEFFS, { fracBits: PB }),
    () => polyval(t, SIN_COEFFS, { fracBits: PB }),
  ]);
  const [cc, ss] = await x.ctx.parallel([
    () => lincomb([[c, -1]], 0, f),
    async () => (await mulAt(v, h, f)).neg(),
  ]);
  return [cc, ss];
}
