/**
 * LayerNorm over the last dim: (x - mean) / sqrt(var + eps) * gamma + beta. The centred
 * values' square and their product with gamma share the first round; the inverse square
 * root of the (few) variances is `sqrt.ts`'s (one a2b, 4 OR levels for the default
 * variance range, a degree-4 polynomial in 2 rounds); one product at the end.
 *
 * Cost at 2 parties, [128, 768] (W7): 17 rounds (CrypTen 20); 24 bytes per element for the
 * square, gamma and the last product, plus ~231 bytes per row for the inverse square root
 * (2.38 MB; CrypTen 2.4 MB).
 *
 * Accuracy (16 fractional bits, measured on W7's inputs): max absolute error 3.9e-4
 * (CrypTen 1.4e-2). Domain: var + eps in [2^-6, 2^10) by default (`range` to change it;
 * a wider range may cost one more OR round); rows outside give wrong results that the
 * protocol cannot see.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { layerNorm } from "./layer_norm.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4] : null, { from: 0, shape: [1, 4] });
 *   return await (await layerNorm(x)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [-1.3416, -0.4472, 0.4472, 1.3416]
 * ```
 * @module
 */
import { PublicTensor } from "../public_tensor.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, lincomb, mulAt } from "./fixed.ts";
import { invSqrt } from "./sqrt.ts";

/** A per-feature parameter: secret, public, or numbers (shape [n]). */
export type NormParam = SecretTensor | PublicTensor | readonly number[] | Float64Array;

/** Options of {@linkcode layerNorm}. */
export interface LayerNormOptions {
  /** Scale (default 1). */
  gamma?: NormParam;
  /** Shift (default 0). */
  beta?: NormParam;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Public bounds on var + eps (default [2^-6, 2^10)). */
  range?: readonly [number, number];
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
}

/**
 * Mean over the last dim with 1/n encoded to ~2^-14 relative precision (`SecretTensor.mean`
 * encodes 1/n with the context's bits: 0.6% off for n = 768 at 16 bits). The raw product
 * is the mean times 2^(f + 14 + log2 n): per row, so its truncation risk is per row.
 */
export function meanLast(x: SecretTensor, f: number): Promise<SecretTensor> {
  const n = x.shape[x.shape.length - 1];
  return lincomb([[x.sum(-1, true), 1 / n]], 0, f, 14 + Math.ceil(Math.log2(n)));
}

/** LayerNorm over the last dim (see the module doc). */
export async function layerNorm(
  x: SecretTensor,
  opts: LayerNormOptions = {},
): Promise<SecretTensor> {
  x.need("arithmetic", "layerNorm");
  x = await atContext(x);
  const eps = opts.eps ?? 1e-5;
  if (!(eps >= 0) || !Number.isFinite(eps)) {
    throw new RangeError(`layerNorm: eps must be finite and >= 0, got ${eps}`);
  }
  const ctxF = x.ctx.fracBits;
  const param = (p: NormParam) =>
    p instanceof SecretTensor || p instanceof PublicTensor ? p : x.ctx.public(p as number[]);
  const d = x.sub(await meanLast(x, ctxF + 2));
  const { gamma, beta } = opts;
  const scale = async (): Promise<SecretTensor> => {
    if (gamma === undefined) return d;
    const p = param(gamma);
    if (p instanceof SecretTensor) return await d.mul(p);
    // public gamma: the exact ring product, truncated once (mulPublic would keep the extra
    // bits lazily on n > 2 parties)
    const raw = new SecretTensor(
      x.ctx,
      "arithmetic",
      x.ctx.device.mul(d.buf, p.buf),
      d.fracBits + p.fracBits,
    );
    return await at(raw, ctxF + 2);
  };
  const [d2, g] = await x.ctx.parallel([() => d.square(), scale]);
  const v = (await meanLast(d2, ctxF + 2)).add(eps);
  const r = await invSqrt(v, {
    range: opts.range ?? [2 ** -6, 2 ** 10 - 2 ** -6],
    fracBits: ctxF + 2,
  });
  const y = await mulAt(g, r, opts.fracBits ?? ctxF);
  return beta === undefined ? y : y.add(param(beta) as SecretTensor);
}
