/**
 * `matmul_owned`: x @ y (batched, PyTorch rules) of two fresh private inputs of different
 * parties, `x` input by party i and `y` (say a weight) by party j, with the dealer-assisted
 * OLE of `mul_owned.ts`: i sends `E = X - A` to j only, j sends `F = Y - B` to i only;
 * `Z_i = X @ F + C_i`, `Z_j = E @ B + C_j`, `Z_k = C_k` elsewhere; then the truncation.
 * One GEMM per owner instead of two per party. A reused `y` keeps its `B` (label fixed by
 * `y`, as in `fixed_mask.ts`): `F` goes to i once, later calls send only `E`.
 *
 * Cost: max(|x|, |y|) ring words on the busiest party for the first product with `y`
 * (|x| once `y`'s mask is open), one round, plus the truncation's on n > 2.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [1, 2] });
 *   const w = await ctx.share(ctx.rank === 1 ? [1, 2, 3, 4] : null, { from: 1, shape: [2, 2] });
 *   return await (await x.matmul(w)).reveal(); // runs matmul_owned
 * });
 * console.log(out[0]); // Float64Array [7, 10]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import { matmulShape } from "../runtime/shapes.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { hasOwnedMask, ownedCost, ownedProduct } from "./mul_owned.ts";

/**
 * The kernel: `run(op, x, y)` -> x @ y for fresh inputs of two different parties.
 *
 * @example
 * ```ts
 * import { matmulOwned } from "./matmul_owned.ts";
 * console.log(matmulOwned.name); // "matmul_owned"
 * ```
 */
export const matmulOwned: KernelConfig<[SecretTensor, SecretTensor], SecretTensor> = {
  name: "matmul_owned",
  cost: {
    rounds: (n: number, x: SecretTensor, y: SecretTensor) => ownedCost.rounds(n, x, y),
    bytesPerParty: (n: number, x: SecretTensor, y: SecretTensor) =>
      ownedCost.bytes(
        n,
        x,
        y,
        matmulShape(x.shape, y.shape),
        x.owner === undefined || !hasOwnedMask(y, x.owner),
      ),
  },
  run(op, x, y) {
    try {
      matmulShape(x.shape, y.shape); // TypeError before any message
    } catch (e) {
      return Promise.reject(e);
    }
    const d = op.ctx.device;
    return ownedProduct(op, "matmul_owned", "matmul", x, y, (u, v) => d.matmul(u, v), true);
  },
};
