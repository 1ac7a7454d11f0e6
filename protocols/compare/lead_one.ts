/**
 * `lead_one_b`: the leading one of a range of bits of a binary share, straight into public
 * tables of its position (octave normalization: 2^-k, 2^(-k/2), k). For a binary x whose
 * bits above `lo + span - 1` are 0, the position p in [lo, lo + span) of its highest set bit
 * (p = lo when no bit of the range is set), as `out[o] = weights[o][p - lo]`:
 *
 * 1. A suffix OR over planes lo + 1 .. lo + span - 1 only (o_p = OR of bits p and up), on
 *    bit planes: ceil(log2(span - 1)) AND rounds of at most span - 2 planes.
 * 2. The one-hot l_p = o_p ^ o_(p+1) (local; l_lo = 1 ^ o_(lo+1), so that lo catches all
 *    smaller values).
 * 3. `b2a_bits` of the span planes into the tables (1 round).
 *
 * Signed tables (`signed` true): bit lo + span of x holds a sign bit s, and the outputs are
 * (1 - 2s) weights[o][p - lo], at no extra round: l - 2 l s = (l ^ s) - s, so the B2A takes
 * the span planes XORed with s (local) and s itself with weight -sum(weights[o]) (one more
 * plane: span + 1 bits per element instead of a `where`'s 16 bytes).
 *
 * Cost at 2 parties, span 7 (reciprocal on [0.5, 50]): 4 rounds, ~4.4 bytes per element
 * (the same suffix OR on whole words: 3 rounds, 48 bytes).
 *
 * @example
 * ```ts
 * import { runParties, type SecretTensor } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [12n, 1n, 0n] : null, { from: 0, shape: [3], kind: "binary" });
 *   // positions 1..4 -> the position itself
 *   const p = await ctx.run<SecretTensor>("lead_one_b", x, 1, [[1n, 2n, 3n, 4n]]);
 *   return (await p.revealRing())!.toBigInts();
 * });
 * console.log(out[0]); // [3n, 1n, 1n]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { andFn, hostOf, scheduleBytes, sub } from "./bit_ops.ts";
import { b2aBitsBytes, b2aPlanes } from "./b2a_bits.ts";
import { type Circuit, drive, schedule } from "./circuits.ts";
import { notPlane, strideOf, toPlanes, xorPlane } from "./planes.ts";

/** Suffix OR of `planes` (o_p = OR of planes p and up), a | b = a ^ b ^ (a & b). */
export function* suffixOr(planes: readonly Uint32Array[]): Circuit<Uint32Array[]> {
  let o = planes.slice();
  const k = o.length;
  for (let s = 1; s < k; s *= 2) {
    const xs: Uint32Array[] = [];
    const ys: Uint32Array[] = [];
    for (let p = 0; p + s < k; p++) {
      xs.push(o[p]);
      ys.push(o[p + s]);
    }
    const got = yield [xs, ys];
    o = o.map((v, p) => p + s < k ? xorPlane(xorPlane(v, o[p + s]), got[p]) : v);
  }
  return o;
}

/** Rounds and payload bytes of `lead_one_b` over `span` bits of `count` elements. */
export function leadOneCost(
  n: number,
  count: number,
  ring: 32 | 64,
  span: number,
  signed = false,
): { rounds: number; bytes: number } {
  const z = new Uint32Array(1);
  const s = schedule(() => suffixOr(Array(Math.max(0, span - 1)).fill(z)));
  return {
    rounds: s.length + 1,
    bytes: scheduleBytes(n, s, strideOf(count), ring) +
      b2aBitsBytes(n, count, span + (signed ? 1 : 0)),
  };
}

type Weights = readonly (readonly bigint[])[];

/**
 * The kernel: `run(op, x, lo, weights, signed?)` -> arithmetic [weights.length, ...x.shape]
 * (signed: times 1 - 2 (bit lo + span of x)).
 */
export const leadOneB: KernelConfig<[SecretTensor, number, Weights, boolean?], SecretTensor> = {
  name: "lead_one_b",
  cost: {
    rounds: (n: number, x: SecretTensor, _lo: number, w: Weights, signed?: boolean) =>
      leadOneCost(n, x.size, x.ring, w[0]?.length ?? 0, signed).rounds,
    bytesPerParty: (n: number, x: SecretTensor, _lo: number, w: Weights, signed?: boolean) =>
      leadOneCost(n, x.size, x.ring, w[0]?.length ?? 0, signed).bytes,
  },
  async run(op, x, lo, weights, signed = false) {
    x.need("binary", "lead_one_b");
    const { ctx } = op;
    const span = weights[0]?.length ?? 0;
    if (
      !Number.isInteger(lo) || lo < 0 || span < 2 || lo + span + (signed ? 1 : 0) > ctx.ring ||
      weights.some((w) => w.length !== span)
    ) {
      throw new RangeError(
        `lead_one_b: bits [${lo}, ${lo + span}) of a ${ctx.ring}-bit ring, ${weights.length} rows`,
      );
    }
    const orOp = sub(op, "or");
    const b = sub(op, "b");
    const round = b.round();
    const key = b.dealerKey();
    const planes = toPlanes(await hostOf(ctx.device, x.buf), lo + span + (signed ? 1 : 0));
    const o = await drive(suffixOr(planes.slice(lo + 1, lo + span)), andFn(orOp));
    const l: Uint32Array[] = [];
    const first = xorPlane(o[0], new Uint32Array(o[0].length));
    l.push(ctx.rank === 0 ? notPlane(first, x.size) : first);
    for (let j = 0; j < o.length; j++) l.push(j + 1 < o.length ? xorPlane(o[j], o[j + 1]) : o[j]);
    if (!signed) return await b2aPlanes(b, round, key, l, x.shape, weights);
    // (1 - 2s) l = (l ^ s) - s: the planes l ^ s, and s with weight -sum(w)
    const s = planes[lo + span];
    const mod = (1n << BigInt(ctx.ring)) - 1n;
    const sw = weights.map((w) => [...w, (-w.reduce((a, v) => a + v, 0n)) & mod]);
    return await b2aPlanes(b, round, key, [...l.map((p) => xorPlane(p, s)), s], x.shape, sw);
  },
};
