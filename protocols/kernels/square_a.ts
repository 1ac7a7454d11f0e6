/**
 * `square_a`: x * x with a square pair (a, c = a * a): open e = x - a (one round), then
 * z = c + 2 e a (+ e * e on party 0), then the truncation. Half the traffic of `mul_aa`.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [3] : null, { from: 0, shape: [1] });
 *   return await (await x.square()).reveal();
 * });
 * console.log(out[0]); // Float64Array [9]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import { openAll } from "../runtime/open.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import {
  beaverCombineMul,
  disposeTemps,
  finishProduct,
  productTruncBytes,
  productTruncRounds,
} from "./beaver.ts";

/**
 * The kernel: `run(op, x)` -> x * x.
 *
 * @example
 * ```ts
 * import { squareA } from "./square_a.ts";
 * console.log(squareA.name); // "square_a"
 * ```
 */
export const squareA: KernelConfig<[SecretTensor], SecretTensor> = {
  name: "square_a",
  cost: {
    rounds: (n: number, x: SecretTensor) =>
      1 + productTruncRounds(n, x.ctx.fracBits, x.fracBits, x.fracBits),
    bytesPerParty: (n: number, x: SecretTensor) =>
      (n - 1) * x.size * x.ring / 8 +
      productTruncBytes(n, x.ctx.fracBits, x.fracBits, x.fracBits, x.size, x.ring),
  },
  async run(op, x) {
    const { ctx } = op;
    const d = ctx.device;
    const { a, c } = await ctx.dealer.squarePair(op.dealerKey(), x.shape, ctx.ring);
    const masked = d.sub(x.buf, a);
    const [e] = await openAll(op, [masked], "arithmetic");
    disposeTemps(d, [masked], [e]);
    // z = c + 2 e a (+ e e on party 0): the Beaver finish with b = a and f = e.
    const z = beaverCombineMul(op, e, e, { a, b: a, c });
    d.dispose(e);
    return await finishProduct(op, z, x.fracBits, x.fracBits);
  },
};
