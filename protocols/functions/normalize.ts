/**
 * Octave normalization for reciprocal, inverse square root and log: for |x| in
 * [2^k, 2^(k+1)), the scale 2^-k (so that |x| 2^-k is in [1, 2)), 2^(-k/2), and k itself,
 * from ONE bit decomposition and ONE word B2A:
 *
 * 1. `a2b`: x as XOR shares of its ring word (7 rounds, 95.5 bytes at 2 parties).
 * 2. For signed x, XOR with the replicated sign bit (local): ones' complement, |x| - 2^-f
 *    for x < 0, close enough to place the octave.
 * 3. A suffix OR (x | x >> 1 | x >> 2 ...) over the octaves' bit span: ceil(log2 span)
 *    rounds of one AND of whole words (16 bytes each); then the leading one as a one-hot
 *    word l (bit p = k + f), local.
 * 4. Local bit permutations (XOR-linear, so free on XOR shares): reversing l gives the
 *    word 2^(c - p), i.e. 2^-k at any precision; reversing its even / odd bits gives
 *    2^(-k/2) (times sqrt 2 for odd k); the parities of l under the masks of p's bits give
 *    p in binary.
 * 5. One word B2A of the words asked for (1 round, 8 bytes per word per element).
 *
 * Domain: octaves [kmin, kmax]; |x| below 2^kmin is placed in octave kmin, |x| at or above
 * 2^(kmax + 1) gives zero scales (wrong results the protocol cannot see).
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
import { at, reinterpret } from "./fixed.ts";

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

/** Rounds of {@linkcode normalize} at 2 parties. */
export function normalizeRounds(o: { kmin: number; kmax: number }): number {
  return 7 + orLevels(o) + 1;
}

function orLevels(o: { kmin: number; kmax: number }): number {
  return Math.ceil(Math.log2(o.kmax - o.kmin + 1));
}

function ones(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/** Bit i -> bit (ring - 1 - i) of a binary share (local). */
function reverse(v: SecretTensor, ring: number): SecretTensor {
  for (let s = ring / 2; s >= 1; s /= 2) {
    let mask = 0n; // s ones, s zeros, ... from bit 0
    for (let i = 0; i < ring; i += 2 * s) mask |= ones(s) << BigInt(i);
    v = v.shr(s).andPublic(mask).xor(v.andPublic(mask).shl(s));
  }
  return v;
}

/** The even bits of v (bit 2i -> bit i) (local). */
function evens(v: SecretTensor, ring: number): SecretTensor {
  let mask = 0n;
  for (let i = 0; i < ring; i += 2) mask |= 1n << BigInt(i);
  v = v.andPublic(mask);
  for (let s = 1; s < ring / 2; s *= 2) {
    let keep = 0n; // groups of 2s ones every 4s bits
    for (let i = 0; i < ring; i += 4 * s) keep |= ones(2 * s) << BigInt(i);
    v = v.xor(v.shr(s)).andPublic(keep);
  }
  return v;
}

/** Parity of v & mask, in bit 0 (local). */
function parity(v: SecretTensor, mask: bigint, ring: number): SecretTensor {
  v = v.andPublic(mask);
  for (let s = ring / 2; s >= 1; s /= 2) v = v.xor(v.shr(s));
  return v.andPublic(1n);
}

/** Computes the octave of |x| and the tables asked for (see the module doc). */
export async function normalize(x: SecretTensor, o: NormalizeOptions): Promise<Octaves> {
  x.need("arithmetic", "normalize");
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
  let m = await x.toBinary();
  let negative: SecretTensor | null = null;
  if (o.signed) {
    negative = m.bit(ring - 1);
    let rep = negative;
    for (let s = 1; s < ring; s *= 2) rep = rep.xor(rep.shl(s));
    m = m.xor(rep);
  }
  const orChain = async () => {
    for (let s = 1, l = 0; l < orLevels(o); s *= 2, l++) m = await m.or(m.shr(s));
    return m;
  };
  let signWork: SecretTensor | null = null;
  if (o.onSign) {
    if (!negative) throw new TypeError("normalize: onSign needs signed: true");
    const neg = negative;
    [m, signWork] = await x.ctx.parallel([orChain, () => o.onSign!(neg)]);
  } else {
    m = await orChain();
  }
  // OR in the lowest octave's bit (public, so local: m | c = m ^ c ^ (m & c))
  const low = 1n << BigInt(kmin + f);
  m = m.xor(low).xor(m.andPublic(low));
  const range = ones(kmax + f + 1) ^ ones(kmin + f);
  const l = m.xor(m.shr(1)).andPublic(range); // one-hot at p = k + f
  const words: SecretTensor[] = [];
  const rev = reverse(l, ring);
  for (const fb of o.pow2 ?? []) {
    // 2^-k with fb bits is the integer 2^(fb + f - p): bit (ring - 1 - p) moved down
    if (fb + f > ring - 2 - 0 || fb - kmin > ring - 2) {
      throw new RangeError(`normalize: 2^-k with ${fb} fractional bits overflows`);
    }
    words.push(rev.shr(ring - 1 - fb - f));
  }
  if (o.halfPow2 !== undefined) {
    // even p (= even k, f even): 2^(hb - k/2) = bit hb + f/2 - p/2;
    // odd p: 2^(hb - (k+1)/2) (times sqrt 2 later) = bit hb + f/2 - 1 - (p - 1)/2
    if (f % 2 !== 0) throw new RangeError(`normalize: halfPow2 needs even fracBits, got ${f}`);
    const hb = o.halfPow2;
    const e = reverse(evens(l, ring), ring);
    const d = reverse(evens(l.shr(1), ring), ring);
    words.push(e.shr(ring - 1 - hb - f / 2), d.shr(ring - hb - f / 2));
  }
  if (o.octave) {
    let p: SecretTensor | null = null;
    for (let t = 0; 1 << t < ring; t++) {
      let mask = 0n;
      for (let q = 0; q < ring; q++) if ((q >> t) & 1) mask |= 1n << BigInt(q);
      const bit = parity(l, mask, ring).shl(t);
      p = p ? p.xor(bit) : bit;
    }
    words.push(p!);
  }
  const vals = words.length ? await SecretTensor.stack(words, 0).toArithmeticWord(0) : null;
  const shape = x.shape;
  const word = (i: number) => vals!.slice([i, ...shape.map(() => 0)], [1, ...shape]).reshape(shape);
  let i = 0;
  const pow2 = (o.pow2 ?? []).map((fb) => reinterpret(word(i++), fb));
  let halfPow2: SecretTensor | null = null;
  if (o.halfPow2 !== undefined) {
    const even = reinterpret(word(i++), o.halfPow2);
    const odd = reinterpret(word(i++), o.halfPow2);
    const r2 = reinterpret(
      odd.mulPublic(BigInt(Math.round(Math.SQRT2 * 2 ** 14))),
      o.halfPow2 + 14,
    );
    halfPow2 = await at(even.add(r2), o.halfPow2);
  }
  const octave = o.octave ? word(i++).sub(f) : null;
  return { pow2, halfPow2, octave, negative, signWork };
}
