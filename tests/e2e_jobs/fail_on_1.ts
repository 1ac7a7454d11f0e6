// A job that fails on party 1 only, after one round: the server must report it and go on.
import type { Context } from "@sharetensor/protocols";

export async function main(ctx: Context): Promise<number> {
  const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] });
  if (ctx.rank === 1) throw new RangeError("job fails on purpose on party 1");
  await (await x.mul(x)).reveal();
  return 1;
}
