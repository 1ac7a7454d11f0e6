/**
 * `square_a`: x * x with a square pair (a, c = a * a): open e = x - a (one round), then
 * z = c + 2 e a (+ e * e on party 0), then the truncation. Half the traffic of `mul_aa`.
 * With 2 parties the finish and the local truncation run as one device pass
 * (`Device.beaverSquareTrunc`) where the device has it. An optional second argument asks
 * for the result's fractional bits (one truncation from the raw square), so that a caller
 * that keeps extra bits need not square at 0 bits and truncate separately.
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
import type { RingBuffer } from "@sharetensor/core/device";
import { sameShape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import type { Op } from "../runtime/op.ts";
import { openAll } from "../runtime/open.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { beaverCombineMul, disposeTemps, peerParts, productFracBits } from "./beaver.ts";
import { truncBytes, truncRounds, truncShare } from "./trunc_a.ts";

/**
 * Fractional bits of x * x and the bits the truncation drops: `f` when given (0 <= f <=
 * 2 * fx, `RangeError` otherwise), else the product rule of `beaver.ts` (`productFracBits`).
 *
 * @example
 * ```ts
 * import { squarePrecision } from "./square_a.ts";
 * console.log(squarePrecision(16, 18, 16)); // { fracBits: 16, drop: 20 }
 * console.log(squarePrecision(16, 16)); // { fracBits: 16, drop: 16 }
 * ```
 */
export function squarePrecision(
  ctxF: number,
  fx: number,
  f?: number,
): { fracBits: number; drop: number } {
  if (f === undefined) return productFracBits(ctxF, fx, fx);
  if (!Number.isInteger(f) || f < 0 || f > 2 * fx) {
    throw new RangeError(`square_a: cannot give ${f} fractional bits from 2 x ${fx}`);
  }
  return { fracBits: f, drop: 2 * fx - f };
}

/**
 * The finish `c + 2 e a (+ e e on party 0)`: `Device.beaverSquare` (one multiplication per
 * element) where the device has it and shapes agree, else the Beaver finish with b = a and
 * f = e.
 */
function combine(op: Op, a: RingBuffer, c: RingBuffer, e: RingBuffer): RingBuffer {
  const d = op.ctx.device;
  if (d.beaverSquare && sameShape(a.shape, e.shape) && sameShape(c.shape, e.shape)) {
    return d.beaverSquare(a, c, e, op.ctx.rank === 0);
  }
  return beaverCombineMul(op, e, e, { a, b: a, c });
}

/**
 * The kernel: `run(op, x, f?)` -> x * x, with `f` fractional bits when given (one
 * truncation of `2 x.fracBits - f` bits), else the product rule of `beaver.ts`.
 *
 * @example
 * ```ts
 * import { squareA } from "./square_a.ts";
 * console.log(squareA.name); // "square_a"
 * ```
 */
export const squareA: KernelConfig<[SecretTensor, number?], SecretTensor> = {
  name: "square_a",
  cost: {
    rounds: (n: number, x: SecretTensor, f?: number) =>
      1 + (squarePrecision(x.ctx.fracBits, x.fracBits, f).drop > 0 ? truncRounds(n) : 0),
    bytesPerParty: (n: number, x: SecretTensor, f?: number) =>
      (n - 1) * x.size * x.ring / 8 +
      (squarePrecision(x.ctx.fracBits, x.fracBits, f).drop > 0 ? truncBytes(n, x.size, x.ring) : 0),
  },
  async run(op, x, f) {
    const { ctx } = op;
    const d = ctx.device;
    const { fracBits, drop } = squarePrecision(ctx.fracBits, x.fracBits, f); // before any message
    const { a, c } = await ctx.dealer.squarePair(op.dealerKey(), x.shape, ctx.ring);
    const masked = d.sub(x.buf, a);
    const same = sameShape(a.shape, x.shape) && sameShape(c.shape, x.shape);
    if (ctx.size === 2 && same && d.beaverSquareTrunc) {
      // e = masked + the peer's part, read in the one device pass of the square and the
      // 2-party local truncation (trunc_a.ts).
      const [theirs] = await peerParts(op, [masked]);
      const z = d.beaverSquareTrunc(a, c, [masked, theirs], ctx.rank === 0, drop);
      disposeTemps(d, [masked, theirs]);
      return new SecretTensor(ctx, "arithmetic", z, fracBits);
    }
    const [e] = await openAll(op, [masked], "arithmetic");
    disposeTemps(d, [masked], [e]);
    const z = combine(op, a, c, e);
    d.dispose(e);
    const out = drop > 0 ? await truncShare(op, z, drop) : z;
    if (out !== z) d.dispose(z);
    return new SecretTensor(ctx, "arithmetic", out, fracBits);
  },
};
