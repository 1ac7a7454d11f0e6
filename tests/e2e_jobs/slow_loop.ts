// A job that runs many small rounds for a long time (to kill a party in the middle).
import type { Context } from "@sharetensor/protocols";

export async function main(
  ctx: Context,
  _args: string[],
  env: { log(m: string): void },
): Promise<Float64Array | null> {
  let x = await ctx.share(ctx.rank === 0 ? [1.5] : null, { from: 0, shape: [1] });
  const one = await ctx.share(ctx.rank === 1 ? [1] : null, { from: 1, shape: [1] });
  for (let i = 0; i < 100_000; i++) {
    x = await x.mul(one);
    if (i === 10) env.log("running");
  }
  return await x.reveal();
}
