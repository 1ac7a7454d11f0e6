/**
 * Newton-Raphson steps on secret tensors, for approximations that start from a guess:
 *
 * - reciprocal: w <- w (2 - a w), 2 rounds and 32 bytes per step at 2 parties; the
 *   relative error e becomes e^2.
 * - inverse square root: w <- w (3 - a w^2) / 2 = 1.5 w - 0.5 (a w) (w^2), with a w and w^2
 *   in the same round: 2 rounds and 40 bytes per step; e becomes ~1.5 e^2.
 *
 * The caller picks the precision `f` (fractional bits of the iterates); a and w should be
 * near 1 (normalized) so that the raw products stay small.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { newtonReciprocal } from "./newton.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const a = await ctx.share(ctx.rank === 0 ? [1.5] : null, { from: 0, shape: [1] });
 *   const w0 = a.mulPublic(0).add(0.6); // a rough guess of 1/1.5
 *   return await (await newtonReciprocal(a, w0, 3, 20)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [0.666667]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { lincomb, mulAt, squareAt } from "./fixed.ts";

/** `n` Newton steps for 1/a from the guess w (results with `f` fractional bits). */
export async function newtonReciprocal(
  a: SecretTensor,
  w: SecretTensor,
  n: number,
  f: number,
): Promise<SecretTensor> {
  for (let i = 0; i < n; i++) {
    const aw = await mulAt(a, w, f);
    w = await mulAt(w, aw.neg().add(2), f);
  }
  return w;
}

/** `n` Newton steps for 1/sqrt(a) from the guess w (results with `f` fractional bits). */
export async function newtonInvSqrt(
  a: SecretTensor,
  w: SecretTensor,
  n: number,
  f: number,
): Promise<SecretTensor> {
  for (let i = 0; i < n; i++) {
    const [aw, w2] = await a.ctx.parallel([() => mulAt(a, w, f), () => squareAt(w, f)]);
    const aw3 = await mulAt(aw, w2, f);
    w = await lincomb([[w, 1.5], [aw3, -0.5]], 0, f);
  }
  return w;
}
