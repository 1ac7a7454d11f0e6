/**
 * `conv1d_aa` and `conv2d_aa`: convolution of an arithmetic share x [N, C, ...] with a
 * shared weight w [O, C/g, ...] by a convolution Beaver triple `C = conv(A, B)` (the map is
 * bilinear, so `beaver.ts` applies). One round, then the truncation. The weight's mask is
 * opened once and cached (see `fixed_mask.ts`): later calls send only (n - 1)|x| words.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3] : null, { from: 0, shape: [1, 1, 3] });
 *   const w = await ctx.share(ctx.rank === 1 ? [1, -1] : null, { from: 1, shape: [1, 1, 2] });
 *   return await (await x.conv1d(w)).reveal();
 * });
 * console.log(out[0]); // Float64Array [-1, -1]
 * ```
 * @module
 */
import type { ConvOptions } from "@sharetensor/core/device";
import { numel } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { openAll } from "../runtime/open.ts";
import { convShape } from "../runtime/shapes.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import {
  beaverCombine,
  disposeTemps,
  finishProduct,
  productTruncBytes,
  productTruncRounds,
} from "./beaver.ts";
import { hasMask, maskOf } from "./fixed_mask.ts";

function convKernel(
  nd: 1 | 2,
): KernelConfig<[SecretTensor, SecretTensor, ConvOptions], SecretTensor> {
  return {
    name: `conv${nd}d_aa`,
    cost: {
      rounds: (n: number, x: SecretTensor, w: SecretTensor) =>
        1 + productTruncRounds(n, x.ctx.fracBits, x.fracBits, w.fracBits),
      bytesPerParty: (n: number, x: SecretTensor, w: SecretTensor, opts: ConvOptions = {}) =>
        (n - 1) * (x.size + (hasMask(x.ctx, w) ? 0 : w.size)) * x.ring / 8 +
        productTruncBytes(
          n,
          x.ctx.fracBits,
          x.fracBits,
          w.fracBits,
          numel(convShape(x.shape, w.shape, opts, nd)),
          x.ring,
        ),
    },
    async run(op, x, w, opts = {}) {
      const { ctx } = op;
      const d = ctx.device;
      convShape(x.shape, w.shape, opts, nd); // TypeError before any message
      const { entry, fresh } = maskOf(op, w);
      try {
        const t = await ctx.dealer.convTriple(
          op.dealerKey(),
          nd,
          x.shape,
          w.shape,
          opts,
          ctx.ring,
          entry.label,
        );
        const ex = d.sub(x.buf, t.a);
        const extra = JSON.stringify(opts);
        let e, f;
        if (fresh) {
          const fw = d.sub(w.buf, t.b);
          [e, f] = await openAll(op, [ex, fw], "arithmetic", `fresh|${extra}`);
          entry.resolve(f); // cached: never disposed here
          disposeTemps(d, [ex, fw], [e, f]);
        } else {
          [e] = await openAll(op, [ex], "arithmetic", `cached|${extra}`);
          disposeTemps(d, [ex], [e]);
          f = await entry.opened;
        }
        const conv = nd === 1
          ? (u: typeof e, v: typeof e) => d.conv1d(u, v, opts)
          : (u: typeof e, v: typeof e) => d.conv2d(u, v, opts);
        const z = beaverCombine(op, conv, e, f, t);
        d.dispose(e);
        return await finishProduct(op, z, x.fracBits, w.fracBits);
      } catch (err) {
        if (fresh) entry.reject(err);
        throw err;
      }
    },
  };
}

/**
 * conv1d: `run(op, x, w, opts)`.
 *
 * @example
 * ```ts
 * import { conv1dAA } from "./conv_aa.ts";
 * console.log(conv1dAA.name); // "conv1d_aa"
 * ```
 */
export const conv1dAA: KernelConfig<[SecretTensor, SecretTensor, ConvOptions], SecretTensor> =
  convKernel(1);
/**
 * conv2d: `run(op, x, w, opts)`.
 *
 * @example
 * ```ts
 * import { conv2dAA } from "./conv_aa.ts";
 * console.log(conv2dAA.name); // "conv2d_aa"
 * ```
 */
export const conv2dAA: KernelConfig<[SecretTensor, SecretTensor, ConvOptions], SecretTensor> =
  convKernel(2);
