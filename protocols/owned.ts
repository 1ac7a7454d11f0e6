/**
 * Which products may take the input-aware kernels (`mul_owned`, `matmul_owned`): both
 * operands are fresh private inputs (straight from `ctx.share`) of two different parties
 * of one input-aware context. Every party decides the same way from public facts (owners,
 * kinds, rings, the context's `inputAware`), so all parties pick the same kernel: never
 * from whether this party holds an owner's clear value (an owner that input no value, via
 * the `share` kernel with null, holds none, and its secret is 0).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { ownedPair } from "./owned.ts";
 * const [r] = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] });
 *   const y = await ctx.share(ctx.rank === 1 ? [2] : null, { from: 1, shape: [1] });
 *   return [ownedPair(x, y), ownedPair(x, x), ownedPair(x, y.reshape([1]))];
 * });
 * console.log(r); // [true, false, false]
 * ```
 * @module
 */
import type { SecretTensor } from "./secret_tensor.ts";

/** True when `x * y` / `x @ y` may take the input-aware kernels (see the module doc). */
export function ownedPair(x: SecretTensor, y: SecretTensor): boolean {
  return x.ctx.inputAware && x.ctx === y.ctx && x.kind === "arithmetic" &&
    y.kind === "arithmetic" && x.owner !== undefined && y.owner !== undefined &&
    x.owner !== y.owner && x.ring === y.ring;
}
