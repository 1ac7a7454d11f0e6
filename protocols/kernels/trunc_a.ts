/**
 * `trunc_a`: probabilistic truncation of an arithmetic share by `d` bits, x -> x / 2^d.
 *
 * - **2 parties** (SecureML, Mohassel-Zhang 2017, Thm. 1): local, no message. Party 0
 *   takes `x0 >> d`, party 1 takes `-((-x1) >> d)` (arithmetic shifts).
 * - **n > 2** (ABY3-style truncation pair, Mohassel-Rindal 2018): the dealer gives shares
 *   of a uniform `r` and of `r' = r >> d`; the parties open `c = x - r` to party 0 (one
 *   round; c is uniform, so party 0 learns nothing), which adds `c >> d` to its share of r'.
 *
 * Error (both): if |x| < 2^lx, the result is `floor(x / 2^d)` or one more (at most one
 * unit in the last place), except with probability at most 2^(lx + 1 - ring) per element,
 * when the shares wrap and the result is off by about 2^(ring - d). With ring 64, 16
 * fractional bits and |values| < 2^15 after a product (lx = 47), that is below 2^-16 per
 * element; with |values| < 2^10 below 2^-21.
 *
 * @example
 * ```ts
 * import { runParties, type SecretTensor } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1.25] : null, { from: 0, shape: [1], fracBits: 24 });
 *   return await (await ctx.run<SecretTensor>("trunc_a", x, 8)).reveal(); // now 16 fractional bits
 * });
 * console.log(out[0]); // Float64Array [1.25]
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import { numel } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import type { Context } from "../runtime/context.ts";
import type { Op } from "../runtime/op.ts";
import { openTo } from "../runtime/open.ts";
import { SecretTensor } from "../secret_tensor.ts";

/**
 * The 2-party local truncation of this party's share `buf` by `d` bits.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { truncLocal } from "./trunc_a.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1], fracBits: 20 });
 *   return truncLocal(ctx, x.buf, 4).shape;
 * });
 * console.log(out[0]); // [1]
 * ```
 */
export function truncLocal(ctx: Context, buf: RingBuffer, d: number): RingBuffer {
  const dev = ctx.device;
  if (d === 0) return buf;
  if (ctx.rank === 0) return dev.sar(buf, d);
  const n = dev.neg(buf), s = dev.sar(n, d);
  dev.dispose(n);
  const out = dev.neg(s);
  dev.dispose(s);
  return out;
}

/**
 * Truncates share `buf` by `d` bits in scope `op` (local for 2 parties, 1 round otherwise).
 *
 * @example
 * ```ts
 * import { truncShare } from "./trunc_a.ts";
 * console.log(typeof truncShare);
 * ```
 */
export async function truncShare(op: Op, buf: RingBuffer, d: number): Promise<RingBuffer> {
  const ctx = op.ctx;
  if (d === 0) return buf;
  if (ctx.size === 2) return truncLocal(ctx, buf, d);
  const dev = ctx.device;
  const { r, rShift } = await ctx.dealer.truncPair(op.dealerKey(), buf.shape, ctx.ring, d);
  const masked = dev.sub(buf, r);
  const c = await openTo(op, [masked], 0, "arithmetic", `trunc${d}`);
  if (!c) {
    dev.dispose(masked);
    return rShift;
  }
  const cs = dev.sar(c[0], d);
  if (c[0] !== masked) dev.dispose(c[0]);
  dev.dispose(masked);
  const out = dev.add(rShift, cs);
  dev.dispose(cs);
  return out;
}

/**
 * Rounds of a truncation among `n` parties.
 *
 * @example
 * ```ts
 * import { truncRounds } from "./trunc_a.ts";
 * console.log(truncRounds(2), truncRounds(3)); // 0 1
 * ```
 */
export function truncRounds(n: number): number {
  return n === 2 ? 0 : 1;
}

/**
 * Payload bytes of a truncation of `count` elements on the busiest party.
 *
 * @example
 * ```ts
 * import { truncBytes } from "./trunc_a.ts";
 * console.log(truncBytes(3, 10, 64)); // 80
 * ```
 */
export function truncBytes(n: number, count: number, ring: number): number {
  return n === 2 ? 0 : count * ring / 8;
}

/**
 * The kernel: `run(op, x, d)` -> x / 2^d with `x.fracBits - d` fractional bits.
 *
 * @example
 * ```ts
 * import { truncA } from "./trunc_a.ts";
 * console.log(truncA.name, truncA.cost.rounds(2)); // "trunc_a" and its rounds at 2 parties
 * ```
 */
export const truncA: KernelConfig<[SecretTensor, number], SecretTensor> = {
  name: "trunc_a",
  cost: {
    rounds: (n: number) => truncRounds(n),
    bytesPerParty: (n: number, x: SecretTensor) => truncBytes(n, numel(x.shape), x.ring),
  },
  async run(op, x, d) {
    x.need("arithmetic", "trunc_a");
    if (!Number.isInteger(d) || d < 0 || d > x.fracBits) {
      throw new RangeError(`trunc_a: cannot drop ${d} of ${x.fracBits} fractional bits`);
    }
    return new SecretTensor(op.ctx, "arithmetic", await truncShare(op, x.buf, d), x.fracBits - d);
  },
};
