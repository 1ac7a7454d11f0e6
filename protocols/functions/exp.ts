/**
 * exp(x) = p(x / 16)^16: a degree-4 polynomial p for exp on y = x / 16 (x / 16 is exact: the
 * same ring words read with 4 more fractional bits), then four squarings. p is a minimax
 * fit (linear program) of relative error 2.2e-6 on y in [-0.173, 0.5] (x in [-2.77, 8]),
 * constrained so that p(y)^16 stays within 2.5e-5 of exp(16 y) on [-2, -0.173]
 * (x in [-32, -2.77]). It is evaluated as R^2 + S with R = r_1 y + r_2 y^2 and S quadratic
 * (`polyval`'s square form: the quartic costs two squarings, y^2 and R^2).
 *
 * Cost at 2 parties: 6 rounds, 48 bytes per element (y^2 and R^2: 16, then 4 squarings:
 * 32). CrypTen's (1 + x/256)^256: 8 rounds, 64 bytes, error 1.94 on [-4, 4].
 *
 * Accuracy (16 fractional bits, measured by the tests): |err| <= 1e-3 max(exp(x), 1/16)
 * on [-16, 8], i.e. relative 1e-3 where exp(x) >= 1/16 and absolute 6.25e-5 below
 * (measured ~5e-4). Domain: x in [-32, 8]. Below -32 the polynomial leaves its fitted
 * range and the result is wrong (large): clamp first (`{ clamp: true }` adds one relu,
 * 8 rounds) or use a masked softmax. Above 8 the result grows past 2^11 and the last
 * truncations may fail (2-party truncation fails with probability ~|value| 2^-32).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { exp } from "./exp.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [0, 1, -2] : null, { from: 0, shape: [3] });
 *   return await (await exp(x)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [1, 2.71828, 0.135335]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, reinterpret, release, squareAt } from "./fixed.ts";
import { polyval } from "./polynomial.ts";

/** Options of {@linkcode exp}. */
export interface ExpOptions {
  /** Clamp x below at -32 first (one relu: 8 rounds, ~61 bytes); default false. */
  clamp?: boolean;
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
  /**
   * The caller promises x <= 0 (softmax): the squarings then keep context + 2 bits,
   * since every value stays <= 1.
   */
  nonPositive?: boolean;
}

/** p(y) ~ exp(y): minimax relative on [-0.173, 0.5], bounded on [-2, -0.173]. */
export const EXP_COEFFS: readonly number[] = [
  1.0000016925528876,
  1.0000270415698598,
  0.4997422741867069,
  0.16572705007413804,
  0.04881512015189157,
];

/** Lowest input of the fitted domain. */
export const EXP_MIN_INPUT = -32;

/** exp(x) elementwise (see the module doc for the method, domain and error). */
export async function exp(x: SecretTensor, opts: ExpOptions = {}): Promise<SecretTensor> {
  x.need("arithmetic", "exp");
  x = await atContext(x);
  const ctxF = x.ctx.fracBits;
  const out = opts.fracBits ?? ctxF;
  if (opts.clamp) x = (await x.sub(EXP_MIN_INPUT).relu()).add(EXP_MIN_INPUT);
  const wb = ctxF + 2; // extra bits for p; raw products stay <= 2^(2 wb + 1)
  const y = reinterpret(x, x.fracBits + 4); // x / 16, exact
  let p = await polyval(y, EXP_COEFFS, { fracBits: wb, workBits: wb }); // y^2, then R^2
  const keep = opts.nonPositive ? ctxF + 2 : ctxF;
  for (let i = 0; i < 4; i++) {
    const sq = await squareAt(p, i === 3 ? Math.max(out, ctxF) : keep);
    release(p);
    p = sq;
  }
  const r = await at(p, out);
  if (r !== p) release(p);
  return r;
}
