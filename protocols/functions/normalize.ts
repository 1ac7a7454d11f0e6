/**
 * Octave normalization for reciprocal, inverse square root and log: for |x| in
 * [2^k, 2^(k+1)), the scale 2^-k (so that |x| 2^-k is in [1, 2)), 2^(-k/2), and k itself,
 * from ONE bit decomposition and ONE B2A of the octaves' bits:
 *
 * 1. `a2b` of the low kmax + f + 2 bits (the domain bounds |x|): x as XOR shares of its
 *    word (for [0.5, 50] at 16 fractional bits: 23 bits, 5 rounds, ~25 bytes at 2
 *    parties; the whole word takes 7 rounds, 95.5 bytes).
 * 2. For signed x, XOR with the replicated sign bit (local): ones' complement, |x| - 2^-f
 *    for x < 0, close enough to place the octave.
 * 3. `lead_one_b` (compare/lead_one.ts): a suffix OR on the bit planes of the octaves'
 *    span only (ceil(log2(span - 1)) rounds, ~3.5 bytes per element for span 7; whole
 *    words would take 16 bytes a level), the one-hot l of the leading bit (p = k + f), and
 *    a B2A of the span's planes of l (1 round, span / 8 bytes, span dealer bits) straight
 *    into public tables of the position: 2^-k at any precision, 2^(-k/2) (rounded once,
 *    odd k included), k itself. Every output is a local linear map of the arithmetic bits.
 *
 * Domain: octaves [kmin, kmax]; |x| below 2^kmin is placed in octave kmin, |x| at or above
 * 2^(kmax + 1) gives wrong results that the protocol cannot see (only the low kmax + f + 2
 * bits of x are read).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { normalize } from "./normalize.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [3, -0.3] : null, { from: 0, shape: [2] });
 *   const n = await normalize(x, { kmin: -4, kmax: 4, signed: true, octave: true });
 *   return await n.octave!.reveal(); // floor(log2 |x|)
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // Float64Array [1, -2]
 * ```
 * @module
 */
import { SecretTensor } from "../secret_tensor.ts";
import { atContext, reinterpret } from "./fixed.ts";

/** Options of {@linkcode normalize}. */
export interface NormalizeOptions {
  /** Lowest octave (|x| >= 2^kmin expected). */
  kmin: number;
  /** Highest octave (|x| < 2^(kmax + 1) required). */
  kmax: number;
  /** x may be negative: also give the sign bit. */
  signed?: boolean;
  /** Fractional bits of the scales 2^-k wanted (one word each). */
  pow2?: readonly number[];
  /** Fractional bits of 2^(-k/2), if wanted (two words). */
  halfPow2?: number;
  /** Give k as an integer (one word). */
  octave?: boolean;
  /**
   * The tables times sign(x) (needs `signed`): 2^-k becomes sign(x) 2^-k and so on, with
   * one more B2A'd bit instead of a `where` (see `lead_one_b`).
   */
  signedTables?: boolean;
  /**
   * Work that needs only the sign bit (say |x| by `where`): started as soon as the a2b is
   * done, so that it overlaps the suffix OR's rounds. Needs `signed`.
   */
  onSign?: (negative: SecretTensor) => Promise<SecretTensor>;
}

/** What {@linkcode normalize} gives. */
export interface Octaves {
  /** 2^-k for each entry of `pow2`, with those fractional bits. */
  pow2: SecretTensor[];
  /** 2^(-k/2) with `halfPow2` fractional bits. */
  halfPow2: SecretTensor | null;
  /** k (0 fractional bits). */
  octave: SecretTensor | null;
  /** The sign bit [x < 0] as a binary share (bit 0), for `where`. */
  negative: SecretTensor | null;
  /** What `onSign` gave. */
  signWork: SecretTensor | null;
}

/** Computes the octave of |x| and the tables asked for (see the module doc). */
export async function normalize(x: SecretTensor, o: NormalizeOptions): Promise<Octaves> {
  x.need("arithmetic", "normalize");
  x = await atContext(x);
  const { kmin, kmax } = o;
  const f = x.fracBits;
  const ring = x.ring;
  if (!Number.isInteger(kmin) || !Number.isInteger(kmax) || kmax <= kmin) {
    throw new RangeError(`normalize: needs integer kmin < kmax, got ${kmin}, ${kmax}`);
  }
  if (kmin + f < 0 || kmax + f + 2 >= ring) {
    throw new RangeError(
      `normalize: octaves [${kmin}, ${kmax}] do not fit ${f} fractional bits in Z_2^${ring}`,
    );
  }
  if (o.signedTables && !o.signed) {
    throw new TypeError("normalize: signedTables needs signed: true");
  }
  // |x| < 2^(kmax + 1): the low kmax + f + 2 bits (sign included) determine the word
  let m = await x.toBinary(Math.min(ring, kmax + f + 2));
  let negative: SecretTensor | null = null;
  if (o.signed) {
    const sign = m.bit(ring - 1);
    negative = sign;
    // each party spreads its own share of the bit over the word (-b is all ones or 0):
    // the XOR of those is the sign replicated, with one local pass
    m = m.xor(new SecretTensor(x.ctx, "binary", x.ctx.device.neg(sign.buf), 0));
    // signed tables read the sign at bit kmax + f + 1 (the top bit read, 0 after the xor)
    if (o.signedTables) m = m.xor(sign.shl(kmax + f + 1));
  }
  // Each output is a public table of the position: sum_j table(kmin + j) [p = lo + j].
  const ks = Array.from({ length: kmax - kmin + 1 }, (_, j) => kmin + j);
  const int = (v: number) => BigInt.asUintN(ring, BigInt(Math.round(v)));
  const rows: bigint[][] = [];
  for (const fb of o.pow2 ?? []) {
    if (fb - kmin > ring - 2) {
      throw new RangeError(`normalize: 2^-k with ${fb} fractional bits overflows`);
    }
    rows.push(ks.map((k) => int(2 ** (fb - k))));
  }
  if (o.halfPow2 !== undefined) {
    const hb = o.halfPow2;
    if (hb - kmin / 2 > ring - 2) {
      throw new RangeError(`normalize: 2^(-k/2) with ${hb} fractional bits overflows`);
    }
    rows.push(ks.map((k) => int(2 ** (hb - k / 2))));
  }
  if (o.octave) rows.push(ks.map((k) => int(k)));
  // the leading one of bits lo .. kmax + f (lo catches smaller |x|) into the tables
  const lo = kmin + f;
  const lead = () =>
    rows.length
      ? x.ctx.run<SecretTensor>("lead_one_b", m, lo, rows, o.signedTables ?? false)
      : Promise.resolve(null);
  let vals: SecretTensor | null;
  let signWork: SecretTensor | null = null;
  if (o.onSign) {
    if (!negative) throw new TypeError("normalize: onSign needs signed: true");
    const neg = negative;
    [vals, signWork] = await x.ctx.parallel<SecretTensor | null>([lead, () => o.onSign!(neg)]);
  } else {
    vals = await lead();
  }
  const shape = x.shape;
  const word = (i: number) => vals!.slice([i, ...shape.map(() => 0)], [1, ...shape]).reshape(shape);
  let i = 0;
  const pow2 = (o.pow2 ?? []).map((fb) => reinterpret(word(i++), fb));
  const halfPow2 = o.halfPow2 !== undefined ? reinterpret(word(i++), o.halfPow2) : null;
  const octave = o.octave ? word(i++) : null;
  return { pow2, halfPow2, octave, negative, signWork };
}
