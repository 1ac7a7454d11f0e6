/**
 * `matmul_aa`: x @ y of two arithmetic shares (batched, PyTorch rules) with a matrix Beaver
 * triple `C = A @ B` (see `beaver.ts`). One round, then the truncation. The right operand's
 * mask is opened once and cached (see `fixed_mask.ts`): the first call with a given `y`
 * sends (n - 1)(|x| + |y|) words per party, later calls (n - 1)|x|.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4] : null, { from: 0, shape: [2, 2] });
 *   return await (await x.matmul(x)).reveal();
 * });
 * console.log(out[0]); // Float64Array [7, 10, 15, 22]
 * ```
 * @module
 */
import { numel } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { openAll } from "../runtime/open.ts";
import { matmulShape } from "../runtime/shapes.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import {
  beaverCombineMatmul,
  disposeTemps,
  finishProduct,
  productTruncBytes,
  productTruncRounds,
} from "./beaver.ts";
import { hasMask, maskOf } from "./fixed_mask.ts";

/**
 * The kernel: `run(op, x, y)` -> x @ y.
 *
 * @example
 * ```ts
 * import { matmulAA } from "./matmul_aa.ts";
 * console.log(matmulAA.name); // "matmul_aa"
 * ```
 */
export const matmulAA: KernelConfig<[SecretTensor, SecretTensor], SecretTensor> = {
  name: "matmul_aa",
  cost: {
    rounds: (n: number, x: SecretTensor, y: SecretTensor) =>
      1 + productTruncRounds(n, x.ctx.fracBits, x.fracBits, y.fracBits),
    bytesPerParty: (n: number, x: SecretTensor, y: SecretTensor) =>
      (n - 1) * (x.size + (hasMask(x.ctx, y) ? 0 : y.size)) * x.ring / 8 +
      productTruncBytes(
        n,
        x.ctx.fracBits,
        x.fracBits,
        y.fracBits,
        numel(matmulShape(x.shape, y.shape)),
        x.ring,
      ),
  },
  async run(op, x, y) {
    const { ctx } = op;
    const d = ctx.device;
    matmulShape(x.shape, y.shape); // TypeError before any message
    const { entry, fresh } = maskOf(op, y);
    try {
      const t = await ctx.dealer.matmulTriple(
        op.dealerKey(),
        x.shape,
        y.shape,
        ctx.ring,
        entry.label,
      );
      const ex = d.sub(x.buf, t.a);
      let e, f;
      if (fresh) {
        const fy = d.sub(y.buf, t.b);
        [e, f] = await openAll(op, [ex, fy], "arithmetic", "fresh");
        entry.resolve(f); // cached: never disposed here
        disposeTemps(d, [ex, fy], [e, f]);
      } else {
        [e] = await openAll(op, [ex], "arithmetic", "cached");
        disposeTemps(d, [ex], [e]);
        f = await entry.opened;
      }
      const z = beaverCombineMatmul(op, e, f, t);
      d.dispose(e);
      return await finishProduct(op, z, x.fracBits, y.fracBits);
    } catch (err) {
      if (fresh) entry.reject(err);
      throw err;
    }
  },
};
