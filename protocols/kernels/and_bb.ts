/**
 * `and_bb`: bitwise AND of two binary (XOR) shares over whole ring words, with an AND
 * triple `c = a & b` (Beaver's trick over GF(2)^ring): open e = x ^ a and f = y ^ b (one
 * round), then z = c ^ (e & b) ^ (a & f) (^ e & f on party 0). Shapes must be equal.
 *
 * Cost: (n - 1) * 2|x| words per party.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [12n] : null, { from: 0, shape: [1], kind: "binary" });
 *   const y = await ctx.share(ctx.rank === 1 ? [10n] : null, { from: 1, shape: [1], kind: "binary" });
 *   return (await (await x.and(y)).revealRing())!.toBigInts();
 * });
 * console.log(out[0]); // [8n]
 * ```
 * @module
 */
import { fmtShape, sameShape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { openAll } from "../runtime/open.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { disposeTemps } from "./beaver.ts";

/**
 * The kernel: `run(op, x, y)` -> x & y.
 *
 * @example
 * ```ts
 * import { andBB } from "./and_bb.ts";
 * console.log(andBB.name, andBB.cost.rounds(2)); // "and_bb" and its rounds at 2 parties
 * ```
 */
export const andBB: KernelConfig<[SecretTensor, SecretTensor], SecretTensor> = {
  name: "and_bb",
  cost: {
    rounds: () => 1,
    bytesPerParty: (n: number, x: SecretTensor) => (n - 1) * 2 * x.size * x.ring / 8,
  },
  async run(op, x, y) {
    if (!sameShape(x.shape, y.shape)) {
      throw new TypeError(`and_bb: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} differ`);
    }
    const { ctx } = op;
    const d = ctx.device;
    const t = await ctx.dealer.andTriple(op.dealerKey(), x.shape, ctx.ring);
    const masked = [d.xor(x.buf, t.a), d.xor(y.buf, t.b)];
    const [e, f] = await openAll(op, masked, "binary");
    disposeTemps(d, masked, [e, f]);
    const eb = d.and(e, t.b), af = d.and(t.a, f), s = d.xor(eb, af);
    let z = d.xor(t.c, s);
    const temps = [eb, af, s];
    if (ctx.rank === 0) {
      const ef = d.and(e, f), z0 = z;
      z = d.xor(z0, ef);
      temps.push(ef, z0);
    }
    disposeTemps(d, [...temps, e, f]);
    return new SecretTensor(ctx, "binary", z, 0);
  },
};
