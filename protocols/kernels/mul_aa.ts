/**
 * `mul_aa`: elementwise product of two arithmetic shares with a Beaver triple (see
 * `beaver.ts`), broadcasting like NumPy. One round opening `x - a` and `y - b`; then the
 * truncation (local for 2 parties, one more round otherwise). With 2 parties and equal shapes
 * the opened values are never stored: the device's fused finish and truncation
 * (`Device.beaverMulTrunc`) adds each party's masked share and the peer's part as it reads
 * them.
 *
 * Cost: (n - 1) * (|x| + |y|) ring words per party (16 bytes per element at 2 parties in
 * Z_2^64), plus the truncation's |z| words on n > 2.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1.5, -2] : null, { from: 0, shape: [2] });
 *   return await (await x.mul(x)).reveal();
 * });
 * console.log(out[0]); // Float64Array [2.25, 4]
 * ```
 * @module
 */
import { broadcastShapes, numel, sameShape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { openAll } from "../runtime/open.ts";
import { SecretTensor } from "../secret_tensor.ts";
import {
  beaverCombineMul,
  disposeTemps,
  finishProduct,
  peerParts,
  productFracBits,
  productTruncBytes,
  productTruncRounds,
} from "./beaver.ts";

/**
 * The kernel: `run(op, x, y)` -> x * y.
 *
 * @example
 * ```ts
 * import { mulAA } from "./mul_aa.ts";
 * console.log(mulAA.name); // "mul_aa"
 * ```
 */
export const mulAA: KernelConfig<[SecretTensor, SecretTensor], SecretTensor> = {
  name: "mul_aa",
  cost: {
    rounds: (n: number, x: SecretTensor, y: SecretTensor) =>
      1 + productTruncRounds(n, x.ctx.fracBits, x.fracBits, y.fracBits),
    bytesPerParty: (n: number, x: SecretTensor, y: SecretTensor) =>
      (n - 1) * (x.size + y.size) * x.ring / 8 +
      productTruncBytes(
        n,
        x.ctx.fracBits,
        x.fracBits,
        y.fracBits,
        numel(broadcastShapes(x.shape, y.shape)),
        x.ring,
      ),
  },
  async run(op, x, y) {
    const { ctx } = op;
    const d = ctx.device;
    broadcastShapes(x.shape, y.shape); // TypeError before any message
    const t = await ctx.dealer.mulTriple(op.dealerKey(), x.shape, y.shape, ctx.ring);
    const masked = [d.sub(x.buf, t.a), d.sub(y.buf, t.b)];
    const { fracBits, drop } = productFracBits(ctx.fracBits, x.fracBits, y.fracBits);
    const same = sameShape(x.shape, y.shape) &&
      [t.a, t.b, t.c].every((b) => sameShape(b.shape, x.shape));
    if (ctx.size === 2 && same && d.beaverMulTrunc) {
      // e = masked[0] + the peer's part, f = masked[1] + the peer's part, read in the one
      // device pass of the product and the 2-party local truncation (trunc_a.ts).
      const [pe, pf] = await peerParts(op, masked);
      const [me, mf] = masked;
      const z = d.beaverMulTrunc(t.a, t.b, t.c, [me, pe], [mf, pf], ctx.rank === 0, drop);
      disposeTemps(d, [...masked, pe, pf]);
      return new SecretTensor(ctx, "arithmetic", z, fracBits);
    }
    const [e, f] = await openAll(op, masked, "arithmetic");
    disposeTemps(d, masked, [e, f]);
    const z = beaverCombineMul(op, e, f, t);
    disposeTemps(d, [e, f]);
    return await finishProduct(op, z, x.fracBits, y.fracBits);
  },
};
