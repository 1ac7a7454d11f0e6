/**
 * Natural log of x > 0: octave normalization (see `normalize.ts`) gives k and
 * u = x 2^-k in [1, 2); then log x = k ln 2 + log u, with log u a degree-4 Chebyshev fit
 * in t = 2u - 3 (error 8e-5), evaluated in 2 rounds.
 *
 * Cost at 2 parties, default range: 16 rounds, ~111 bytes per element (a2b of 38 bits
 * 45.25, leading one on 31 bit planes ~34, u 16, polynomial 16). CrypTen: Householder iterations around exp,
 * ~8 exps in sequence.
 *
 * Accuracy (16 fractional bits, measured by the tests): absolute <= 5e-3 on [0.01, 1e4]
 * (measured ~1e-4). Domain: x in [2^kmin, 2^(kmax+1)) of the range (default
 * [2^-10, 2^21)); x <= 0 or values outside give wrong results that the protocol cannot see.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { log } from "./log.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 10, 0.05] : null, { from: 0, shape: [3] });
 *   return await (await log(x)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [0, 2.302585, -2.995732]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { atContext, lincomb, mulAt, reinterpret } from "./fixed.ts";
import { normalize } from "./normalize.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";
import { octavesOf } from "./reciprocal.ts";

/** Options of {@linkcode log}. */
export interface LogOptions {
  /** Public bounds on x (default [2^-10, 2^21)). */
  range?: readonly [number, number];
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
}

/** log((t + 3) / 2) on t in [-1, 1], monomial coefficients in t. */
export const LOG_COEFFS: readonly number[] = chebyshevFit((u) => Math.log(u), 1, 2, 4);

/** log(x) elementwise, x > 0 (see the module doc). */
export async function log(x: SecretTensor, opts: LogOptions = {}): Promise<SecretTensor> {
  x.need("arithmetic", "log");
  x = await atContext(x);
  const [kmin, kmax] = octavesOf(opts.range ?? [2 ** -10, 2 ** 21 - 1], "log");
  const ctxF = x.ctx.fracBits;
  const out = opts.fracBits ?? ctxF;
  const wb = ctxF + 2;
  const sb = ctxF + 4; // the scales 2^-k are exact powers of two: more bits cost nothing
  const oct = await normalize(x, { kmin, kmax, pow2: [sb], octave: true });
  const u = await mulAt(x, oct.pow2[0], wb);
  const t = u.mulPublic(2).sub(3); // exact: integer factor
  const p = await polyval(t, LOG_COEFFS, { fracBits: wb });
  const k = reinterpret(oct.octave!, 0);
  return await lincomb([[p, 1], [k, Math.LN2]], 0, out);
}
