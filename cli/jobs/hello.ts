/**
 * Built-in job `hello`: party 0 shares x = [1, 2, 3, 4], party 1 shares y = [0.5, -1,
 * 2, 8]; every party learns x * y = [0.5, -2, 6, 32].
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { main } from "./hello.ts";
 * console.log(typeof main); // "function"
 * ```
 * @module
 */
import type { Context } from "@sharetensor/protocols";

/** Runs the job on one party. */
export async function main(ctx: Context): Promise<Float64Array | null> {
  const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4] : null, { from: 0, shape: [4] });
  const y = await ctx.share(ctx.rank === 1 ? [0.5, -1, 2, 8] : null, { from: 1, shape: [4] });
  return await (await x.mul(y)).reveal();
}
