/**
 * `b2a_bit`: converts the lowest bit of each element of a binary share to an arithmetic
 * share of 0/1, with dealer random bits r (shared both ways): open c = x ^ r (one round,
 * one bit per element, packed), then x = c + r - 2 c r, i.e. z_i = r_i (1 - 2c) (+ c on
 * party 0). The result has 0 fractional bits.
 *
 * Cost: (n - 1) * ceil(|x| / 8) bytes per party.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const b = await ctx.share(ctx.rank === 0 ? [1n, 0n, 3n] : null, { from: 0, shape: [3], kind: "binary" });
 *   return await (await b.toArithmetic()).reveal();
 * });
 * console.log(out[0]); // Float64Array [1, 0, 1]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import { packBits, unpackBits } from "../runtime/bits.ts";
import { peersOf } from "../runtime/open.ts";
import { adopt, hostView } from "../runtime/host.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { disposeTemps } from "./beaver.ts";

/**
 * The kernel: `run(op, x)` -> arithmetic share of (x & 1).
 *
 * @example
 * ```ts
 * import { b2aBit } from "./b2a_bit.ts";
 * console.log(b2aBit.name, b2aBit.cost.rounds(2)); // "b2a_bit" and its rounds at 2 parties
 * ```
 */
export const b2aBit: KernelConfig<[SecretTensor], SecretTensor> = {
  name: "b2a_bit",
  cost: {
    rounds: () => 1,
    bytesPerParty: (n: number, x: SecretTensor) => (n - 1) * Math.ceil(x.size / 8),
  },
  async run(op, x) {
    const { ctx } = op;
    const d = ctx.device;
    const r = await ctx.dealer.randBits(op.dealerKey(), x.shape, ctx.ring);
    const lsb = d.bit(x.buf, 0), masked = d.xor(lsb, r.binary);
    d.dispose(lsb);
    const mine = await hostView(d, masked);
    const peers = peersOf(ctx.rank, ctx.size);
    const bits = packBits(mine);
    const got = await op.exchange(
      new Map(peers.map((p) => [p, [bits]])),
      peers,
      shapeHash(ctx.ring, [x.shape]),
    );
    let c = d.upload(mine);
    d.dispose(masked); // `mine` may be its storage: copied just above
    for (const p of peers) {
      const theirs = adopt(d, unpackBits(got.get(p)!, x.shape, ctx.ring)), c0 = c;
      c = d.xor(c0, theirs);
      disposeTemps(d, [c0, theirs]);
    }
    // z = r (1 - 2c) + c (party 0)
    const one = d.fill(x.shape, ctx.ring, 1n), c2 = d.mulScalar(c, 2n);
    const oneMinus2c = d.sub(one, c2);
    let z = d.mul(r.arith, oneMinus2c);
    const temps = [one, c2, oneMinus2c];
    if (ctx.rank === 0) {
      temps.push(z);
      z = d.add(z, c);
    }
    disposeTemps(d, [...temps, c]);
    return new SecretTensor(ctx, "arithmetic", z, 0);
  },
};
