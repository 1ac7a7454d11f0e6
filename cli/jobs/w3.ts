/**
 * Built-in job `w3` (WORKLOADS.md W3): x ~ U[-4,4] from party 0 (seed 3), shape
 * [size, size] (default 1000); every party learns ReLU(x). Needs the comparison kernels.
 *
 * @example
 * ```ts
 * import { w3Input } from "./w3.ts";
 * console.log(w3Input(2).length); // 4
 * ```
 * @module
 */
import type { Context, SecretTensor } from "@sharetensor/protocols";
import { numberArg, uniform } from "./inputs.ts";

/** The input of W3 for `size` x `size`. */
export function w3Input(size: number): Float64Array {
  return uniform(3, size * size, -4, 4);
}

/** Runs the job on one party. */
export async function main(ctx: Context, args: string[]): Promise<Float64Array | null> {
  const size = numberArg(args, "size", 1000);
  const x = await ctx.share(ctx.rank === 0 ? w3Input(size) : null, {
    from: 0,
    shape: [size, size],
  });
  const relu = (x as SecretTensor & { relu?: () => Promise<SecretTensor> }).relu;
  if (typeof relu !== "function") throw new TypeError("this build has no SecretTensor.relu yet");
  return await (await relu.call(x)).reveal();
}
