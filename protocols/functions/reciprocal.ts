/**
 * 1/x for x of unknown sign: octave normalization (see `normalize.ts`: one a2b, a suffix
 * OR, local bit permutations, one word B2A) gives the signed scale ss = sign(x) 2^-k
 * straight from its tables (`signedTables`: one more B2A'd bit instead of a `where`);
 * u = x ss = |x| 2^-k in [1, 2); a degree-6 Chebyshev
 * polynomial of 1/u (relative error 8.8e-6, `polyval`'s square form: 3 rounds, 32 bytes);
 * optional Newton steps w <- w (2 - u w) (each squares the relative error); and
 * 1/x = ss w.
 *
 * Cost at 2 parties (default range, signed), measured: 18 rounds, 143 bytes per element
 * (a2b of the low 38 bits 45.25, leading one: suffix OR on 30 bit planes ~30 and B2A of
 * 32 planes 4; u 16, polynomial 32, product 16); with `range: [0.5, 50]` 15 rounds,
 * 90.5 bytes (a2b of 23 bits 22.75, OR on 6 planes ~3, B2A of 8 planes 1). Dealer
 * material of the B2A: one random bit per octave and element (the time of wide ranges).
 * CrypTen (3 exp(0.5 - x) + 0.003, 10 Newton steps, sign by a comparison): 38 rounds,
 * 552 bytes.
 *
 * Accuracy (16 fractional bits, measured): relative <= 2e-3 on +-[0.5, 50] (the last bit
 * of outputs near 0.02; absolute ~2.4e-4; CrypTen 7.6e-4 absolute, 3.7e-2 relative); on
 * [0.01, 1e4] the error is <= 2e-3 relative or 2 ulp (3.1e-5) absolute (outputs near
 * 1e-4 have few significant bits).
 * Domain: |x| in [2^kmin, 2^(kmax+1)) of the range (default [2^-10, 2^21)); x = 0 and
 * values outside give wrong results that the protocol cannot see.
 * The last product's raw value is 2^36 / |x|: for |x| near 2^-10 its 2-party truncation
 * fails with probability ~2^-18 per element (~2^-27 for |x| >= 0.5).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { reciprocal } from "./reciprocal.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [4, -0.5, 30] : null, { from: 0, shape: [3] });
 *   return await (await reciprocal(x)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [0.25, -2, 0.0333]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, lincomb, mulAt } from "./fixed.ts";
import { normalize } from "./normalize.ts";
import { newtonReciprocal } from "./newton.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";

/** Options of {@linkcode reciprocal}. */
export interface ReciprocalOptions {
  /** Public bounds on |x| (default [2^-10, 2^21)); a narrower range saves OR rounds. */
  range?: readonly [number, number];
  /** x may be negative (default true); false when x > 0 is known. */
  signed?: boolean;
  /** Newton steps after the polynomial (default 0: its relative error is ~1e-5). */
  iterations?: number;
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
}

/** 1/u on [1, 2] as a degree-6 Chebyshev fit in t = 2u - 3: relative error 8.8e-6. */
export const RECIPROCAL_POLY: readonly number[] = chebyshevFit((u) => 1 / u, 1, 2, 6);

/** Octaves [kmin, kmax] covering a public range of |x|. */
export function octavesOf(range: readonly [number, number], op: string): [number, number] {
  const [lo, hi] = range;
  if (!(lo > 0) || !(hi > lo) || !Number.isFinite(hi)) {
    throw new RangeError(`${op}: range must satisfy 0 < lo < hi < Infinity, got [${lo}, ${hi}]`);
  }
  const kmin = Math.floor(Math.log2(lo));
  const kmax = Math.max(kmin + 1, Math.floor(Math.log2(hi)));
  return [kmin, kmax];
}

/** Checks an iteration count. */
export function checkIterations(n: number, op: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 20) {
    throw new RangeError(`${op}: iterations must be an integer in [0, 20], got ${n}`);
  }
  return n;
}

/** 1/x elementwise (see the module doc). */
export async function reciprocal(
  x: SecretTensor,
  opts: ReciprocalOptions = {},
): Promise<SecretTensor> {
  x.need("arithmetic", "reciprocal");
  x = await atContext(x);
  const [kmin, kmax] = octavesOf(opts.range ?? [2 ** -10, 2 ** 21 - 1], "reciprocal");
  const iters = checkIterations(opts.iterations ?? 0, "reciprocal");
  const signed = opts.signed ?? true;
  const ctxF = x.ctx.fracBits;
  const out = opts.fracBits ?? ctxF;
  const wb = ctxF + 2;
  const sb = ctxF + 4; // the scales 2^-k are exact powers of two: more bits cost nothing
  const oct = await normalize(x, { kmin, kmax, signed, signedTables: signed, pow2: [sb] });
  const ss = oct.pow2[0]; // sign(x) 2^-k, exact
  const u = await mulAt(x, ss, wb); // |x| 2^-k in [1, 2)
  const t = await lincomb([[u, 2]], -3, wb);
  const w0 = await polyval(t, RECIPROCAL_POLY, { fracBits: wb, workBits: wb });
  const w = await at(await newtonReciprocal(u, w0, iters, wb), ctxF);
  // raw product 1/|x| 2^(ctxF + sb): ~2^37 for |x| >= 0.5; |x| near 2^kmin gives 2^46
  return await mulAt(ss, w, out);
}
