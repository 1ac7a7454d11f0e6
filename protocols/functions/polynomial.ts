/**
 * Polynomials with public coefficients on secret tensors, in few rounds: the powers
 * x^2..x^k (k = 2 or 4) come from a squaring ladder (round i gives the powers up to 2^i),
 * and p(x) = q_0(x) + x^k q_1(x) + x^2k q_2(x) + ... (Paterson-Stockmeyer blocks, each q_j a
 * free linear combination of the powers) needs one more round for the block products.
 * Degree 2: 1 round, 8 bytes per element at 2 parties; <= 4: 2 rounds, 24 bytes; <= 8: 3 rounds, 48 bytes;
 * <= 12: 4 rounds, 72 bytes; <= 16: 5 rounds.
 *
 * Also: `chebyshevFit`, a near-minimax fit of a function on [a, b] as monomial
 * coefficients in t = (2x - a - b) / (b - a) (Chebyshev interpolation), which the other
 * approximations use to build their coefficient tables once, when their module loads.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { polyval } from "./polynomial.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [0.5, -1] : null, { from: 0, shape: [2] });
 *   return await (await polyval(x, [1, 2, 0, 0.5])).reveal(); // 1 + 2x + 0.5x^3
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [2.0625, -1.5]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { lincomb, mulAt, squareAt, workBits } from "./fixed.ts";

/** Options of {@linkcode polyval}. */
export interface PolyOptions {
  /** Fractional bits of the result (default the context's). */
  fracBits?: number;
  /** Fractional bits of the powers and partial sums (default context + 2). */
  workBits?: number;
}

/**
 * [x, x^2, ..., x^k] with `f` fractional bits in ceil(log2 k) rounds: x^i for i in
 * (2^(r-1), 2^r] is made in round r from two powers of earlier rounds.
 */
export async function powers(x: SecretTensor, k: number, f: number): Promise<SecretTensor[]> {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`powers: k must be >= 1, got ${k}`);
  const pw: SecretTensor[] = [x];
  for (let lo = 1; lo < k; lo *= 2) {
    const hi = Math.min(2 * lo, k);
    const made = await x.ctx.parallel(
      Array.from({ length: hi - lo }, (_, j) => {
        const i = lo + j + 1; // x^i = x^lo * x^(i - lo)
        const a = pw[lo - 1];
        const b = pw[i - lo - 1];
        return () => a === b ? squareAt(a, f) : mulAt(a, b, f);
      }),
    );
    pw.push(...made);
  }
  return pw;
}

/** Rounds of {@linkcode polyval} at 2 parties for a polynomial of degree `d`. */
export function polyRounds(d: number): number {
  if (d <= 1) return 0;
  const k = d <= 4 ? 2 : 4;
  const blocks = Math.floor((d - 1) / k);
  if (blocks === 0) return Math.ceil(Math.log2(k));
  return Math.ceil(Math.log2(k)) + Math.ceil(Math.log2(blocks)) + 1;
}

/**
 * p(x) = sum_i coeffs[i] x^i with public coefficients. Degrees up to 16 (RangeError
 * beyond); the caller keeps |x| where the powers stay below ~2^20 (scale x first).
 */
export async function polyval(
  x: SecretTensor,
  coeffs: readonly number[],
  opts: PolyOptions = {},
): Promise<SecretTensor> {
  const f = opts.fracBits ?? x.ctx.fracBits;
  const wb = opts.workBits ?? workBits(x);
  const d = coeffs.length - 1;
  if (d < 0 || d > 16) {
    throw new RangeError(`polyval: degree must be 0..16, got ${d}`);
  }
  if (coeffs.some((c) => !Number.isFinite(c))) {
    throw new RangeError(`polyval: coefficients must be finite, got [${coeffs.join(", ")}]`);
  }
  if (d === 0) return await lincomb([[x, 0]], coeffs[0], f);
  if (d === 1) return await lincomb([[x, coeffs[1]]], coeffs[0], f);
  const k = d <= 4 ? 2 : 4;
  const pw = await powers(x, k, wb);
  const nb = Math.floor((d - 1) / k); // blocks 1..nb multiply x^(k j); the last one uses x^k too
  const block = (j: number): [SecretTensor, number][] => {
    const hi = j === nb ? d : k * j + k - 1;
    const terms: [SecretTensor, number][] = [];
    for (let i = k * j + 1; i <= hi; i++) terms.push([pw[i - k * j - 1], coeffs[i]]);
    return terms;
  };
  const q = (j: number, out: number) => {
    const terms = block(j);
    return terms.length === 0
      ? lincomb([[x, 0]], coeffs[k * j], out)
      : lincomb(terms, coeffs[k * j], out);
  };
  // x^(k j) for j = 1..nb: x^k is known; the rest by a ladder over j
  const big: SecretTensor[] = [pw[k - 1]];
  for (let lo = 1; lo < nb; lo *= 2) {
    const hi = Math.min(2 * lo, nb);
    const made = await x.ctx.parallel(
      Array.from({ length: hi - lo }, (_, t) => {
        const j = lo + t + 1;
        const a = big[lo - 1];
        const b = big[j - lo - 1];
        return () => a === b ? squareAt(a, wb) : mulAt(a, b, wb);
      }),
    );
    big.push(...made);
  }
  const parts = await x.ctx.parallel([
    () => q(0, wb),
    ...Array.from({ length: nb }, (_, t) => async () => {
      const qj = await q(t + 1, wb);
      return await mulAt(big[t], qj, wb);
    }),
  ]);
  let acc = parts[0];
  for (let i = 1; i < parts.length; i++) acc = acc.add(parts[i]);
  return await lincomb([[acc, 1]], 0, f);
}

/**
 * Chebyshev interpolation of `fn` on [a, b] with `degree` + 1 nodes, returned as monomial
 * coefficients (ascending) in t = (2x - a - b) / (b - a) in [-1, 1]. Near-minimax for
 * smooth functions; coefficients stay moderate for degrees <= 16.
 */
export function chebyshevFit(
  fn: (x: number) => number,
  a: number,
  b: number,
  degree: number,
): number[] {
  if (!(b > a)) throw new RangeError(`chebyshevFit: needs a < b, got [${a}, ${b}]`);
  const n = degree + 1;
  const ys = Array.from({ length: n }, (_, i) => {
    const t = Math.cos(Math.PI * (i + 0.5) / n);
    return fn((t * (b - a) + a + b) / 2);
  });
  // Chebyshev coefficients c_j, then T_j expanded into monomials
  const c = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += ys[i] * Math.cos(Math.PI * j * (i + 0.5) / n);
    return (j === 0 ? 1 : 2) * s / n;
  });
  const mono = new Array(n).fill(0);
  let tPrev = [1];
  let tCur = [0, 1];
  mono[0] += c[0];
  if (n > 1) mono[1] += c[1];
  for (let j = 2; j < n; j++) {
    const next = new Array(j + 1).fill(0);
    for (let i = 0; i < tCur.length; i++) next[i + 1] += 2 * tCur[i];
    for (let i = 0; i < tPrev.length; i++) next[i] -= tPrev[i];
    for (let i = 0; i <= j; i++) mono[i] += c[j] * next[i];
    tPrev = tCur;
    tCur = next;
  }
  return mono;
}
