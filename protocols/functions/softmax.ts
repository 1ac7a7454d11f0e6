/**
 * softmax(x) along a dim: m = max (comparison tree), e = exp(x - m) (`exp.ts`, on inputs
 * <= 0 with 2 extra fractional bits), S = sum e in [1, n], and e / S with the reciprocal of
 * the n-times smaller S (`reciprocal.ts`, sign known, range [0.5, n + 1]). log-softmax is
 * x - m - log S. The masked variant takes a 0/1 mask (public or secret, broadcast to x):
 * masked entries count as absent (their output is exactly 0).
 *
 * Cost at 2 parties, [12, 128, 128] along the last dim: 71 rounds (max tree 49: 7 levels of
 * 32-bit comparisons, exp 6, reciprocal 15, product 1), ~102 bytes per element: 20 MB.
 * CrypTen: 116 rounds, 146.4 MB.
 *
 * Accuracy (16 fractional bits, measured on W5's inputs, x ~ U[-4, 4]): max absolute
 * error ~3e-5 (CrypTen 7.7e-4). Domain: entries more than 32 below their row's max leave
 * exp's fitted range (their exp is garbage): mask them, or pass `clamp: true` (one relu,
 * 8 rounds more). A fully masked row divides by zero. The max compares the low 32 bits
 * (16 fractional bits): entries of a row must differ by less than 2^15.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { softmax } from "./softmax.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 0, 0, 0] : null, { from: 0, shape: [2, 3] });
 *   return await (await softmax(x, { dim: -1 })).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~[0.0900, 0.2447, 0.6652, 0.3333, 0.3333, 0.3333]
 * ```
 * @module
 */
import { normAxis } from "@sharetensor/core/shape";
import { PublicTensor } from "../public_tensor.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, mulAt } from "./fixed.ts";
import { exp } from "./exp.ts";
import { log } from "./log.ts";
import { reciprocal } from "./reciprocal.ts";

/** Options of {@linkcode softmax} and {@linkcode logSoftmax}. */
export interface SoftmaxOptions {
  /** The dim to normalize (default -1). */
  dim?: number;
  /**
   * 0/1 mask broadcast to x (1 keeps an entry): a public tensor, numbers, or an
   * arithmetic 0/1 secret with 0 fractional bits (as comparisons give).
   */
  mask?: SecretTensor | PublicTensor | readonly number[] | Float64Array;
  /** Clamp x - max at -32 (one relu, 8 rounds) for rows with a wider spread. */
  clamp?: boolean;
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
}

async function shifted(x: SecretTensor, o: SoftmaxOptions) {
  x.need("arithmetic", "softmax");
  x = await atContext(x);
  const dim = normAxis(o.dim ?? -1, x.shape.length);
  const n = x.shape[dim];
  let mask: SecretTensor | PublicTensor | null = null;
  if (o.mask instanceof SecretTensor || o.mask instanceof PublicTensor) mask = o.mask;
  else if (o.mask) mask = x.ctx.public(o.mask as number[], { fracBits: 0 });
  // masked entries move 64 down so that they do not win the max
  let xm = x;
  if (mask instanceof PublicTensor) {
    const c = x.ctx.device;
    const down = new PublicTensor(
      x.ctx,
      c.mulScalar(c.sub(c.fill([], x.ring, 1n), mask.buf), 64n),
      0,
    );
    xm = x.sub(down);
  } else if (mask) {
    xm = x.sub(mask.neg().add(1).mulPublic(64));
  }
  // comparisons on the low 32 bits (at 16 fractional bits): entries differ by < 2^15
  const bits = Math.min(x.ring, 15 + x.fracBits + 1);
  const [m] = await x.ctx.run<[SecretTensor, unknown]>("max_a", xm, dim, false, true, bits);
  return { dim, n, mask, d: xm.sub(m) };
}

async function applyMask(
  e: SecretTensor,
  mask: SecretTensor | PublicTensor | null,
): Promise<SecretTensor> {
  if (!mask) return e;
  if (mask instanceof PublicTensor) {
    const c = e.ctx.device;
    return new SecretTensor(e.ctx, "arithmetic", c.mul(e.buf, mask.buf), e.fracBits);
  }
  return await e.mul(mask);
}

/** softmax along `dim` (see the module doc). */
export async function softmax(x: SecretTensor, o: SoftmaxOptions = {}): Promise<SecretTensor> {
  const ctxF = x.ctx.fracBits;
  const { dim, n, mask, d } = await shifted(x, o);
  const eb = ctxF + 2;
  const e = await applyMask(
    await exp(d, { nonPositive: true, clamp: o.clamp, fracBits: eb }),
    mask,
  );
  const s = await at(e.sum(dim, true), ctxF);
  const r = await reciprocal(s, { signed: false, range: [0.5, n + 1], fracBits: ctxF });
  return await mulAt(e, r, o.fracBits ?? ctxF);
}

/** log-softmax along `dim`: x - max - log(sum exp(x - max)) (masked entries get -64 - ...). */
export async function logSoftmax(x: SecretTensor, o: SoftmaxOptions = {}): Promise<SecretTensor> {
  const ctxF = x.ctx.fracBits;
  const { dim, n, mask, d } = await shifted(x, o);
  const e = await applyMask(
    await exp(d, { nonPositive: true, clamp: o.clamp, fracBits: ctxF + 2 }),
    mask,
  );
  const s = await at(e.sum(dim, true), ctxF);
  const ls = await log(s, { range: [0.5, n + 1] });
  return await at(d.sub(ls), o.fracBits ?? ctxF);
}
