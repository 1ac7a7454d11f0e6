/**
 * Inverse square root and square root of x > 0: octave normalization (see
 * `normalize.ts`), u = x 2^-k in [1, 2), a degree-4 Chebyshev polynomial of 1/sqrt(u) in
 * t = 2u - 3 (relative error 8.5e-5; `polyval`'s square form: t^2 and R^2, 2 rounds and
 * 16 bytes), optional Newton steps w <- 1.5 w - 0.5 (u w)(w^2), then
 * 1/sqrt(x) = 2^(-k/2) w and sqrt(x) = x / sqrt(x).
 *
 * Cost at 2 parties, default range: inverse sqrt 17 rounds, ~127 bytes per element;
 * sqrt one more round and 16 bytes. (CrypTen: exp-based guess and 3 Newton steps, ~17
 * rounds after its exp.)
 *
 * Accuracy (16 fractional bits, measured by the tests): relative <= 5e-3 on [0.01, 1e4]
 * for both (measured 1.4e-3 for invSqrt, the last bit of outputs near 0.01; 4e-4 for sqrt). Domain: x in
 * [2^kmin, 2^(kmax+1)) of the range (default [2^-10, 2^21)); x <= 0 or values outside give
 * wrong results that the protocol cannot see.
 * Near the top of the default range (x ~ 2^21) sqrt's last 2-party truncation fails with
 * probability ~2^-19 per element (|value| 2^-64 of a raw value sqrt(x) 2^34).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { invSqrt, sqrt } from "./sqrt.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [4, 0.25] : null, { from: 0, shape: [2] });
 *   return [await (await invSqrt(x)).reveal(), await (await sqrt(x)).reveal()];
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~[Float64Array [0.5, 2], Float64Array [2, 0.5]]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, lincomb, mulAt } from "./fixed.ts";
import { normalize } from "./normalize.ts";
import { newtonInvSqrt } from "./newton.ts";
import { checkIterations, octavesOf } from "./reciprocal.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";

/** Options of {@linkcode invSqrt} and {@linkcode sqrt}. */
export interface SqrtOptions {
  /** Public bounds on x (default [2^-10, 2^21)); a narrower range saves rounds. */
  range?: readonly [number, number];
  /** Newton steps after the polynomial (default 0: its relative error is 8.5e-5). */
  iterations?: number;
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
}

/** 1/sqrt(u) on [1, 2] as a degree-4 Chebyshev fit in t = 2u - 3: relative error 8.5e-5. */
export const INV_SQRT_POLY: readonly number[] = chebyshevFit((u) => 1 / Math.sqrt(u), 1, 2, 4);

/** 1/sqrt(x) with `f` fractional bits. */
async function invSqrtAt(x: SecretTensor, opts: SqrtOptions, f: number): Promise<SecretTensor> {
  x.need("arithmetic", "invSqrt");
  x = await atContext(x);
  const [kmin, kmax] = octavesOf(opts.range ?? [2 ** -10, 2 ** 21 - 1], "invSqrt");
  const iters = checkIterations(opts.iterations ?? 0, "invSqrt");
  const ctxF = x.ctx.fracBits;
  const wb = ctxF + 2;
  const sb = ctxF + 4; // the scales 2^-k are exact powers of two: more bits cost nothing
  const oct = await normalize(x, { kmin, kmax, pow2: [sb], halfPow2: sb });
  const u = await mulAt(x, oct.pow2[0], wb); // x 2^-k in [1, 2)
  const t = await lincomb([[u, 2]], -3, wb);
  const w0 = await polyval(t, INV_SQRT_POLY, { fracBits: wb, workBits: wb });
  const w = await newtonInvSqrt(u, w0, iters, wb);
  return await mulAt(oct.halfPow2!, await at(w, ctxF), f);
}

/** 1/sqrt(x) elementwise, x > 0 (see the module doc). */
export function invSqrt(x: SecretTensor, opts: SqrtOptions = {}): Promise<SecretTensor> {
  return invSqrtAt(x, opts, opts.fracBits ?? x.ctx.fracBits);
}

/** sqrt(x) elementwise, x >= 2^kmin (see the module doc). */
export async function sqrt(x: SecretTensor, opts: SqrtOptions = {}): Promise<SecretTensor> {
  const y = await invSqrtAt(x, opts, x.ctx.fracBits + 2);
  return await mulAt(x, y, opts.fracBits ?? x.ctx.fracBits);
}
