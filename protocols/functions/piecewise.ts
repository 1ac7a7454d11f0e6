/**
 * Piecewise functions selected by comparisons, in the rounds of ONE comparison: the
 * pieces p_0..p_k (functions of x) and the bits [x < t_j] for all breakpoints t_j (one msb
 * of the stacked differences) are computed side by side, and then
 *
 *   f(x) = p_k + sum_j [x < t_j] (p_j - p_(j+1))
 *
 * with all k selections in one round (`where` with a binary bit: one product each). The
 * sum telescopes exactly in the ring, so a piece may be garbage (overflowed powers, a
 * failed truncation) wherever it is not selected.
 *
 * Cost at 2 parties, 16 fractional bits: max(6, rounds of the slowest piece) + 1 rounds;
 * k x (21.5 + 16) bytes per element plus the pieces'. The comparisons read the low 32 bits
 * of x - t (domain |x - t| < 2^15, option `bound`; 7 rounds and 45.25 bytes for the whole
 * word), or with `cmpFracBits: 4` 20 bits (12.5 bytes).
 *
 * `saturating` builds the common case (PUMA-style): a polynomial in s = x^2 on |x| < T
 * (odd: c + x h(s), or even: a x + r(s)), constants or x outside; its comparisons read 4
 * fractional bits (`SATURATING_CMP_BITS`), so k x (12.5 + 16) bytes.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { piecewise } from "./piecewise.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-3, 0.5, 3] : null, { from: 0, shape: [3] });
 *   // clip to [-1, 1]
 *   return await (await piecewise(x, [-1, 1], [-1, (v) => v, 1])).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // Float64Array [-1, 0.5, 1]
 * ```
 * @module
 */
import { SecretTensor } from "../secret_tensor.ts";
import { at, atContext, diffOf, lincomb, mulAt, plusConst, release, squareAt } from "./fixed.ts";
import { chebyshevFit, polyval } from "./polynomial.ts";

/** A piece: a constant, or a function of x (sync or async). */
export type Piece = number | ((x: SecretTensor) => SecretTensor | Promise<SecretTensor>);

/** Options of {@linkcode piecewise}. */
export interface PiecewiseOptions {
  /**
   * The comparisons assume |x - t| < 2^bound for every break t (default 15: |x| up to
   * ~32767 at any fractional bits), so that they read only the low bound + fracBits + 1
   * bits of x - t: at 16 fractional bits 32 bits, 6 rounds and 86 ANDed bits instead of
   * 7 and 181. Pass 64 (or more) for the whole ring word.
   */
  bound?: number;
  /**
   * Fractional bits the comparisons read (default all of x's). With 2 parties fewer bits
   * make them cheaper: x is truncated locally to this many first, so the msb reads only
   * bound + cmpFracBits + 1 bits (20 instead of 32 for 4 bits: 12.5 bytes per break and
   * element instead of 21.5). The selection may then be wrong where |x - t| < 2^-cmpFracBits:
   * the pieces either side must agree there or hold beyond their interval.
   */
  cmpFracBits?: number;
}

/** f(x) = pieces[i](x) for breaks[i-1] <= x < breaks[i] (see the module doc). */
export async function piecewise(
  x: SecretTensor,
  breaks: readonly number[],
  pieces: readonly Piece[],
  opts: PiecewiseOptions = {},
): Promise<SecretTensor> {
  x.need("arithmetic", "piecewise");
  x = await atContext(x);
  if (pieces.length !== breaks.length + 1 || breaks.length === 0) {
    throw new RangeError(
      `piecewise: needs k >= 1 breaks and k + 1 pieces, got ${breaks.length} and ${pieces.length}`,
    );
  }
  for (let i = 0; i < breaks.length; i++) {
    if (!Number.isFinite(breaks[i]) || (i > 0 && !(breaks[i] > breaks[i - 1]))) {
      throw new RangeError(`piecewise: breaks must be finite and increasing, got [${breaks}]`);
    }
  }
  const cb = opts.cmpFracBits ?? x.fracBits;
  if (!Number.isInteger(cb) || cb < 0) {
    throw new RangeError(`piecewise: cmpFracBits must be an integer >= 0, got ${cb}`);
  }
  // a local truncation with 2 parties; with more it would cost a round, so keep all bits
  const xc = cb < x.fracBits && x.ctx.size === 2 ? await at(x, cb) : x;
  // one msb and one selection per break, all issued together (they share their rounds);
  // separate tensors rather than a stack: no copies in and no reduction out. Constant
  // pieces stay numbers: only party 0 adds them.
  const k = breaks.length;
  const diffs = breaks.map((t) => plusConst(xc, -t)); // party 1: xc itself
  const width = Math.min(x.ring, (opts.bound ?? 15) + xc.fracBits + 1);
  const got = await x.ctx.parallel<SecretTensor | number>([
    ...diffs.map((d) => () => d.msb(width)),
    ...pieces.map((p) => async () => typeof p === "number" ? p : await p(x)),
  ]);
  const bits = got.slice(0, k) as SecretTensor[];
  const vals = got.slice(k);
  release(...diffs.filter((d) => d.buf !== x.buf && d.buf !== xc.buf), xc === x ? null : xc);
  const made = new Set<unknown>(); // buffers made here (a delta may alias a piece)
  const mk = (t: SecretTensor) => (made.add(t.buf), t);
  const subs = vals.slice(0, k).map((v, j) => {
    const w = vals[j + 1];
    if (typeof v !== "number") return typeof w !== "number" ? mk(diffOf(v, w)) : plusConst(v, -w);
    const nw = typeof w !== "number" ? mk(w.neg()) : mk(x.mulPublic(0n).sub(w));
    return mk(plusConst(nw, v));
  });
  const chosen = await x.ctx.parallel(subs.map((s, j) => () => s.where(bits[j], 0)));
  release(...subs.filter((s) => made.has(s.buf)), ...bits);
  let acc = chosen[0];
  for (let j = 1; j < k; j++) acc = acc.add(chosen[j]);
  const last = vals[k];
  const out = typeof last === "number" ? plusConst(acc, last) : acc.add(last);
  release(...chosen.filter((c) => c.buf !== out.buf));
  return out;
}

/** A saturating function: a polynomial in s = x^2 inside |x| < T, constants or x outside. */
export interface SaturatingSpec {
  /** The cut: the polynomial holds on (-T, T). */
  T: number;
  /** Degree of the polynomial in s (<= 16). */
  degree: number;
  /**
   * "odd": f = c + x h(s) inside (fit h); "even": f = a x + r(s) inside (fit r).
   */
  form: "odd" | "even";
  /** The function of s to fit on [0, T^2]. */
  fn: (s: number) => number;
  /** c (odd) or a (even). */
  linear: number;
  /** Value below -T: a number, or "x". */
  below: number | "x";
  /** Value at or above T: a number, or "x". */
  above: number | "x";
}

/**
 * Fractional bits of the comparisons of {@linkcode saturating} (2 parties): the cut may
 * fall up to 2^-4 either side of T, so the polynomial is fitted on |x| < T + 2^-4.
 */
export const SATURATING_CMP_BITS = 4;

/** The polynomial's range: |x| < T + 2^-SATURATING_CMP_BITS. */
function fitEdge(spec: SaturatingSpec): number {
  return spec.T + 2 ** -SATURATING_CMP_BITS;
}

/** The fitted coefficients of a spec (in t = 2 s / E^2 - 1, E = T + 2^-4). */
export function fitSaturating(spec: SaturatingSpec): number[] {
  const e = fitEdge(spec);
  return chebyshevFit(spec.fn, 0, e * e, spec.degree);
}

/** Evaluates a saturating spec with precomputed coefficients (see {@linkcode SaturatingSpec}). */
export function saturating(
  x: SecretTensor,
  spec: SaturatingSpec,
  coeffs: readonly number[],
  fracBits?: number,
): Promise<SecretTensor> {
  x.need("arithmetic", "saturating");
  const out = fracBits ?? x.ctx.fracBits;
  const wb = x.ctx.fracBits + 2;
  const mid = async (v: SecretTensor) => {
    const s = await squareAt(v, wb);
    const t = await lincomb([[s, 2 / fitEdge(spec) ** 2]], -1, wb);
    release(s);
    const p = await polyval(t, coeffs, { fracBits: wb });
    release(t);
    const r = spec.form === "odd"
      ? (await mulAt(v, p, out)).add(spec.linear)
      : await lincomb([[p, 1], [v, spec.linear]], 0, out);
    release(p);
    return r;
  };
  const tail = (c: number | "x"): Piece => c === "x" ? (v) => v : c;
  return piecewise(x, [-spec.T, spec.T], [tail(spec.below), mid, tail(spec.above)], {
    cmpFracBits: SATURATING_CMP_BITS,
  });
}
