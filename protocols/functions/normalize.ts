/**
 * Octave normalization for reciprocal, inverse square root and log: the bits
 * c_j = [|x| >= 2^j] for the octaves j of a public range, from ONE bit decomposition.
 *
 * 1. `a2b`: x as XOR shares of its ring word (7 rounds, 95.5 bytes at 2 parties).
 * 2. For signed x, XOR with the replicated sign bit (local): ones' complement, |x| - 2^-f
 *    for x < 0, close enough to place the octave.
 * 3. A suffix OR (x | x >> 1 | x >> 2 ...) over the octaves' bit span: ceil(log2 span)
 *    rounds of one AND of whole words (16 bytes each). Bit j + f is then c_j.
 * 4. For signed x, one more AND gives sign & c_j (so that sign-carrying tables are local).
 * 5. One bit-B2A of all the bits needed (1 round, 1 bit per bit).
 *
 * Then any per-octave public table v_k (the value for |x| in [2^k, 2^(k+1))) is the local
 * sum v_kmin + sum_j c_j (v_j - v_(j-1)): the scale 2^-k that maps x into [1, 2), the
 * factor 2^(-k/2), k ln 2, ...
 *
 * Domain: the octaves [kmin, kmax]; |x| below 2^kmin is treated as octave kmin and |x| at
 * or above 2^(kmax + 1) gives wrong bits (the suffix OR only spans the range).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { normalize } from "./normalize.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [3, -0.3] : null, { from: 0, shape: [2] });
 *   const n = await normalize(x, { kmin: -4, kmax: 4, signed: true });
 *   return await n.table((k) => k, 0).reveal(); // the octave: floor(log2 |x|)
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // Float64Array [1, -2]
 * ```
 * @module
 */
import { SecretTensor } from "../secret_tensor.ts";
import { rawOf, reinterpret } from "./fixed.ts";

/** Options of {@linkcode normalize}. */
export interface NormalizeOptions {
  /** Lowest octave (|x| >= 2^kmin expected). */
  kmin: number;
  /** Highest octave (|x| < 2^(kmax + 1) required). */
  kmax: number;
  /** x may be negative: also give the sign. */
  signed?: boolean;
}

/** What {@linkcode normalize} gives: tables over the octave of |x|, and the sign. */
export interface Octaves {
  /** sum over octaves of [octave of |x| == k] v(k), with `f` fractional bits (local). */
  table(v: (k: number) => number, f: number): SecretTensor;
  /** Like `table`, times sign(x) (-1 for x < 0); needs `signed`. */
  signedTable(v: (k: number) => number, f: number): SecretTensor;
  /** [x < 0] as arithmetic 0/1 (signed only). */
  negative: SecretTensor | null;
}

/** Rounds of {@linkcode normalize} at 2 parties (after the a2b's 7). */
export function normalizeRounds(o: NormalizeOptions): number {
  return 7 + orLevels(o) + (o.signed ? 1 : 0) + 1;
}

function orLevels(o: NormalizeOptions): number {
  return Math.max(0, Math.ceil(Math.log2(o.kmax - o.kmin)));
}

/** Computes the octave bits of x (see the module doc). */
export async function normalize(x: SecretTensor, o: NormalizeOptions): Promise<Octaves> {
  x.need("arithmetic", "normalize");
  const { kmin, kmax } = o;
  const f = x.fracBits;
  const ring = x.ring;
  if (!Number.isInteger(kmin) || !Number.isInteger(kmax) || kmax <= kmin) {
    throw new RangeError(`normalize: needs integer kmin < kmax, got ${kmin}, ${kmax}`);
  }
  if (kmin + f < 0 || kmax + f + 1 >= ring - 1) {
    throw new RangeError(
      `normalize: octaves [${kmin}, ${kmax}] do not fit ${f} fractional bits in Z_2^${ring}`,
    );
  }
  let m = await x.toBinary();
  let rep: SecretTensor | null = null;
  if (o.signed) {
    rep = m.bit(ring - 1);
    for (let s = 1; s < ring; s *= 2) rep = rep.xor(rep.shl(s));
    m = m.xor(rep);
  }
  for (let s = 1, l = 0; l < orLevels(o); s *= 2, l++) m = await m.or(m.shr(s));
  const js = Array.from({ length: kmax - kmin }, (_, i) => kmin + 1 + i);
  const planes = js.map((j) => m.shr(j + f));
  let negAnd: SecretTensor | null = null;
  if (rep) {
    negAnd = await m.and(rep);
    planes.push(...js.map((j) => negAnd!.shr(j + f)), rep);
  }
  const bits = await SecretTensor.stack(planes, 0).toArithmetic();
  const shape = x.shape;
  const plane = (i: number) => bits.slice([i, ...shape.map(() => 0)], [1, ...shape]).reshape(shape);
  const c = js.map((_, i) => plane(i));
  const d = rep ? js.map((_, i) => plane(js.length + i)) : [];
  const negative = rep ? plane(2 * js.length) : null;
  const sum = (
    bs: SecretTensor[],
    base: SecretTensor | number,
    v: (k: number) => number,
    fb: number,
  ) => {
    let acc = typeof base === "number" ? null : reinterpret(base.mulPublic(rawOf(v(kmin), fb)), fb);
    for (let i = 0; i < js.length; i++) {
      const delta = rawOf(v(js[i]), fb) - rawOf(v(js[i] - 1), fb);
      if (delta === 0n) continue;
      const t = reinterpret(bs[i].mulPublic(delta), fb);
      acc = acc ? acc.add(t) : t;
    }
    return acc;
  };
  const table = (v: (k: number) => number, fb: number) => {
    const acc = sum(c, 0, v, fb) ?? reinterpret(x.mulPublic(0n), fb);
    return acc.add(x.ctx.public(v(kmin), { fracBits: fb }));
  };
  return {
    negative,
    table,
    signedTable(v, fb) {
      if (!negative) throw new TypeError("signedTable: normalize was not asked for the sign");
      // sign * v = v - 2 [x < 0] v, and [x < 0] c_j are the bits d_j
      const neg = sum(d, negative, v, fb)!;
      return table(v, fb).sub(neg.mulPublic(2n));
    },
  };
}
