/**
 * Built-in job `w1` (WORKLOADS.md W1): x ~ U[-4,4] from party 0 (seed 1), y ~ U[-4,4]
 * from party 1 (seed 2), shape [size, size] (default 1000); every party learns x * y.
 * With `--int`, y is rounded and shared as an integer, so the product needs no truncation
 * and is the same bit for bit whatever the randomness.
 *
 * @example
 * ```ts
 * import { w1Inputs } from "./w1.ts";
 * console.log(w1Inputs(2, false).x.length); // 4
 * ```
 * @module
 */
import type { Context } from "@sharetensor/protocols";
import { numberArg, uniform } from "./inputs.ts";

/** The inputs of W1 for `size` x `size` (y rounded with `int`). */
export function w1Inputs(size: number, int: boolean): { x: Float64Array; y: Float64Array } {
  const n = size * size;
  const y = uniform(2, n, -4, 4);
  if (int) { for (let i = 0; i < n; i++) y[i] = Math.round(y[i]); }
  return { x: uniform(1, n, -4, 4), y };
}

/** Runs the job on one party. */
export async function main(ctx: Context, args: string[]): Promise<Float64Array | null> {
  const size = numberArg(args, "size", 1000);
  const int = args.includes("--int");
  const { x, y } = ctx.rank <= 1 ? w1Inputs(size, int) : { x: null, y: null };
  const shape = [size, size];
  const sx = await ctx.share(ctx.rank === 0 ? x : null, { from: 0, shape });
  const sy = await ctx.share(ctx.rank === 1 ? y : null, {
    from: 1,
    shape,
    fracBits: int ? 0 : undefined,
  });
  return await (await sx.mul(sy)).reveal();
}
