/**
 * `b2a`: binary (XOR) to arithmetic sharing of the whole ring word, in ONE round: every
 * bit plane is converted with its own dealer random bit (open c = b ^ r, then
 * b = r + c - 2cr, all planes in one message) and x = sum_k 2^k b_k. The result carries
 * `fracBits` fractional bits (default 0: the word as an integer).
 *
 * Cost: 1 round, (n - 1) * ring * ceil(|x| / 32) * 4 bytes (one bit per bit: 8 bytes per
 * element at Z_2^64). The dealer supplies ring random bits per element, i.e. 2 * ring words
 * of material per element (1 GiB for a million elements at Z_2^64): meant for the small
 * tensors that need a whole word back (comparisons never do).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-7n, 9n] : null, { from: 0, shape: [2], kind: "binary" });
 *   return (await (await x.toArithmeticWord()).revealRing())!.toBigInts(true);
 * });
 * console.log(out[1]); // [-7n, 9n]
 * ```
 * @module
 */
import { assertFracBits } from "@sharetensor/core/fixed_point";
import { RingTensor } from "@sharetensor/core/ring";
import type { KernelConfig } from "../kernel.ts";
import { peersOf } from "../runtime/open.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { hostOf } from "./bit_ops.ts";
import { lowPlane, planeToTensor, strideOf, toPlanes } from "./planes.ts";

/** The kernel: `run(op, x, fracBits = 0)` -> arithmetic share of the word of x. */
export const b2a: KernelConfig<[SecretTensor, number?], SecretTensor> = {
  name: "b2a",
  cost: {
    rounds: () => 1,
    bytesPerParty: (n: number, x: SecretTensor) => (n - 1) * x.ring * strideOf(x.size) * 4,
  },
  async run(op, x, fracBits = 0) {
    x.need("binary", "toArithmeticWord");
    const { ctx } = op;
    assertFracBits(fracBits, ctx.ring);
    const d = ctx.device;
    const k = ctx.ring;
    const n = x.size;
    const s = strideOf(n);
    const round = op.round(); // taken before the downloads
    const r = await ctx.dealer.randBits(op.dealerKey(), [k, n], ctx.ring);
    const rb = await hostOf(d, r.binary);
    const xp = toPlanes(await hostOf(d, x.buf));
    const masked = new Uint32Array(k * s);
    for (let b = 0; b < k; b++) {
      const row = new RingTensor(ctx.ring, [n], rb.data.subarray(b * n, (b + 1) * n));
      const rp = lowPlane(row);
      for (let i = 0; i < s; i++) masked[b * s + i] = xp[b][i] ^ rp[i];
    }
    const peers = peersOf(ctx.rank, ctx.size);
    const bytes = new Uint8Array(masked.buffer);
    const got = await round.exchange(
      new Map(peers.map((p) => [p, [bytes]])),
      peers,
      shapeHash(ctx.ring, [x.shape], "b2a"),
    );
    for (const p of peers) {
      const g = new Uint32Array(got.get(p)!.slice().buffer);
      for (let i = 0; i < masked.length; i++) masked[i] ^= g[i];
    }
    const cs: RingTensor[] = [];
    for (let b = 0; b < k; b++) {
      cs.push(planeToTensor(masked.subarray(b * s, (b + 1) * s), ctx.ring, [n]));
    }
    const cdata = new RingTensor(ctx.ring, [k, n]);
    for (let b = 0; b < k; b++) cdata.data.set(cs[b].data as never, b * n);
    const c = d.upload(cdata);
    // bit_b = r_b (1 - 2 c_b) + c_b (party 0); x = sum_b 2^b bit_b
    let bits = d.sub(r.arith, d.mulScalar(d.mul(r.arith, c), 2n));
    if (ctx.rank === 0) bits = d.add(bits, c);
    const w = RingTensor.fromBigInts(
      Array.from({ length: k }, (_, b) => 1n << BigInt(b)),
      [k, 1],
      ctx.ring,
    );
    const z = d.sum(d.mul(bits, d.upload(w)), [0]);
    return new SecretTensor(ctx, "arithmetic", d.reshape(z, x.shape), fracBits);
  },
};
