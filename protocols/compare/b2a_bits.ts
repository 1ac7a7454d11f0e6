/**
 * `b2a_bits`: B2A of a RANGE of bits of a binary share, straight into public linear maps of
 * those bits. Bits lo .. lo + count - 1 of x are converted with one dealer random bit each
 * (open c = b ^ r, then b = r + c - 2cr, all planes in one message), and the result is
 * `out[o] = sum_j weights[o][j] * bit_(lo + j)` for every output row o (local: a public
 * matrix times the arithmetic bits). So a one-hot word (octave normalization) becomes any
 * table of its position, 2^-k, 2^(-k/2) or k, from `count` bits instead of the ring's.
 *
 * Cost: 1 round, (n - 1) * count * ceil(|x| / 32) * 4 bytes (count / 8 bytes per element at
 * 2 parties); dealer material: count random bits per element (the whole-word `b2a` takes
 * ring of them).
 *
 * @example
 * ```ts
 * import { runParties, type SecretTensor } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [4n, 2n] : null, { from: 0, shape: [2], kind: "binary" });
 *   // bits 1 and 2 -> [value of bits 1..2, position of the one-hot bit]
 *   const y = await ctx.run<SecretTensor>("b2a_bits", x, 1, [[2n, 4n], [1n, 2n]]);
 *   return (await y.revealRing())!.toBigInts();
 * });
 * console.log(out[0]); // [4n, 2n, 2n, 1n]
 * ```
 * @module
 */
import { RingTensor } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import type { Op, Round } from "../runtime/op.ts";
import { peersOf } from "../runtime/open.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { hostOf } from "./bit_ops.ts";
import { lowPlane, planesToRows, strideOf, toPlanes } from "./planes.ts";

/** Payload bytes of `b2a_bits` on `count` bits of `size` elements. */
export function b2aBitsBytes(n: number, size: number, count: number): number {
  return (n - 1) * count * strideOf(size) * 4;
}

/**
 * B2A of shared bit planes straight into the public tables `weights` ([rows][planes]):
 * the body of `b2a_bits`, for kernels that hold planes already. `round` and `key` must be
 * taken (`op.round()`, `op.dealerKey()`) before any await of the caller.
 */
export async function b2aPlanes(
  op: Op,
  round: Round,
  key: string,
  planes: readonly Uint32Array[],
  shape: Shape,
  weights: readonly (readonly bigint[])[],
  fracBits = 0,
): Promise<SecretTensor> {
  const { ctx } = op;
  const d = ctx.device;
  const k = planes.length;
  const n = numel(shape);
  const s = strideOf(n);
  const r = await ctx.dealer.randBits(key, [k, n], ctx.ring);
  const rb = await hostOf(d, r.binary);
  const masked = new Uint32Array(k * s);
  for (let b = 0; b < k; b++) {
    const rp = lowPlane(new RingTensor(ctx.ring, [n], rb.data.subarray(b * n, (b + 1) * n)));
    const xb = planes[b];
    for (let i = 0; i < s; i++) masked[b * s + i] = xb[i] ^ rp[i];
  }
  const peers = peersOf(ctx.rank, ctx.size);
  const got = await round.exchange(
    new Map(peers.map((p) => [p, [new Uint8Array(masked.buffer)]])),
    peers,
    shapeHash(ctx.ring, [shape, [k]], "b2a_bits"),
  );
  for (const p of peers) {
    const g = new Uint32Array(got.get(p)!.slice().buffer);
    for (let i = 0; i < masked.length; i++) masked[i] ^= g[i];
  }
  const rows = Array.from({ length: k }, (_, b) => masked.subarray(b * s, (b + 1) * s));
  // bit_b = r_b (1 - 2 c_b) + c_b (party 0): one product by the public signs
  const m = d.upload(planesToRows(rows, ctx.ring, n, true));
  let bits = d.mul(r.arith, m);
  d.dispose(m);
  if (ctx.rank === 0) {
    const c = d.upload(planesToRows(rows, ctx.ring, n));
    const sum = d.add(bits, c);
    d.dispose(bits);
    d.dispose(c);
    bits = sum;
  }
  const w = RingTensor.fromBigInts(weights.flat(), [weights.length, k], ctx.ring);
  const z = d.matmul(d.upload(w), bits);
  return new SecretTensor(ctx, "arithmetic", d.reshape(z, [weights.length, ...shape]), fracBits);
}

/**
 * The kernel: `run(op, x, lo, weights, fracBits = 0)` -> arithmetic share of shape
 * [weights.length, ...x.shape], row o = sum_j weights[o][j] * bit (lo + j) of x.
 */
export const b2aBits: KernelConfig<
  [SecretTensor, number, readonly (readonly bigint[])[], number?],
  SecretTensor
> = {
  name: "b2a_bits",
  cost: {
    rounds: () => 1,
    bytesPerParty: (n: number, x: SecretTensor, _lo: number, w: readonly (readonly bigint[])[]) =>
      b2aBitsBytes(n, x.size, w[0]?.length ?? 0),
  },
  async run(op, x, lo, weights, fracBits = 0) {
    x.need("binary", "b2a_bits");
    const { ctx } = op;
    const k = weights[0]?.length ?? 0;
    if (
      !Number.isInteger(lo) || lo < 0 || k < 1 || lo + k > ctx.ring ||
      weights.some((w) => w.length !== k)
    ) {
      throw new RangeError(
        `b2a_bits: bits [${lo}, ${lo + k}) of a ${ctx.ring}-bit ring with ${weights.length} rows`,
      );
    }
    const round = op.round(); // taken before the downloads
    const key = op.dealerKey();
    const xp = toPlanes(await hostOf(ctx.device, x.buf), lo + k).slice(lo, lo + k);
    return await b2aPlanes(op, round, key, xp, x.shape, weights, fracBits);
  },
};
