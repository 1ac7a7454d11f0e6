/**
 * `where_b`: cond ? a : b for a binary-shared bit `cond` (bit 0) and arithmetic a, b,
 * as b + cond * (a - b) in ONE round: the Beaver masks of r * (a - b) (r a dealer random
 * bit) and c = cond ^ r are opened together (see `MulBit` in `bit_ops.ts`). Shapes
 * broadcast. (With an arithmetic 0/1 `cond`, `SecretTensor.where` uses `mul_aa` instead.)
 *
 * Cost: 1 round, (n - 1) * (|cond| + |a - b|) ring words + (n - 1) * ceil(|cond| / 8) bytes.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const a = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
 *   const b = await ctx.share(ctx.rank === 1 ? [5, 6] : null, { from: 1, shape: [2] });
 *   const c = await ctx.share(ctx.rank === 0 ? [1n, 0n] : null, { from: 0, shape: [2], kind: "binary" });
 *   return await (await a.where(c, b)).reveal();
 * });
 * console.log(out[0]); // Float64Array [1, 6]
 * ```
 * @module
 */
import { broadcastShapes, numel } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { MulBit, mulBitBytes, sub } from "./bit_ops.ts";
import { hostOf } from "./bit_ops.ts";
import { lowPlane } from "./planes.ts";

/** The kernel: `run(op, cond, a, b)` -> cond ? a : b (b null: cond ? a : 0). */
export const whereB: KernelConfig<
  [SecretTensor, SecretTensor, SecretTensor | null],
  SecretTensor
> = {
  name: "where_b",
  cost: {
    rounds: () => 1,
    bytesPerParty: (n: number, c: SecretTensor, a: SecretTensor, b: SecretTensor | null) =>
      mulBitBytes(n, c.size, numel(b ? broadcastShapes(a.shape, b.shape) : a.shape), c.ring),
  },
  async run(op, cond, a, b) {
    cond.need("binary", "where (condition)");
    const diff = b ? a.sub(b) : a; // null: cond ? a : 0, one product and no sums
    broadcastShapes(cond.shape, diff.shape); // TypeError before any message
    const mb = new MulBit(sub(op, "y"), cond.shape, diff);
    const bit = lowPlane(await hostOf(op.ctx.device, cond.buf));
    const out = await mb.finish(bit);
    return b ? out.add(b) : out;
  },
};
