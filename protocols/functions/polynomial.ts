/**
 * Polynomials with public coefficients on secret tensors, in few rounds and few bytes. The
 * powers come from squarings (8 bytes per element at 2 parties, half a product's 16):
 * round 1 gives x^2; round 2 gives A^2 and B^2 for A = x + x^2 and B = x - x^2, hence
 * x^3 = (A^2 - B^2) / 4 and x^4 = (A^2 + B^2) / 2 - x^2 (two squarings instead of the
 * product x x^2 and the squaring of x^2). An even degree 2m <= 8 is then ONE more squaring:
 * p = s R^2 + S with R = r_1 x + .. + r_m x^m and S of degree <= m, solved from the top m
 * coefficients (s the sign of the leading one; `squareForm`). Odd degrees 5..7 take the
 * product x^4 q(x); degrees 9..16 Paterson-Stockmeyer blocks p = q_0 + x^4 q_1 + x^8 q_2 +
 * ..., each q_j a free linear combination of the powers.
 *
 * Cost at 2 parties: degree 2: 1 round, 8 bytes per element; 3: 2 rounds, 24 bytes;
 * 4: 2 rounds, 16 bytes; 6 and 8: 3 rounds, 32 bytes; 5 and 7: 3 rounds, 40 bytes;
 * 9..12: 4 rounds, 64 bytes; 13..16: 5 rounds, 88 bytes.
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
import { at, lincomb, mulAt, reinterpret, release, squareAt, workBits } from "./fixed.ts";

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
    if (lo === 2 && hi === 4) {
      pw.push(...await cubeAndFourth(x, pw[1], f));
      continue;
    }
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

/**
 * [x^3, x^4] with `f` fractional bits from x and x^2 by two squarings in one round:
 * A = x + x^2 and B = x - x^2 give x^3 = (A^2 - B^2) / 4 and x^4 = (A^2 + B^2) / 2 - x^2.
 */
export async function cubeAndFourth(
  x: SecretTensor,
  x2: SecretTensor,
  f: number,
): Promise<[SecretTensor, SecretTensor]> {
  const [a2, b2] = await plusMinusSquares(x, x2, f);
  const x3 = reinterpret(a2.sub(b2), f + 2);
  const x4 = reinterpret(a2.add(b2), f + 1).sub(x2);
  release(a2, b2);
  const out: [SecretTensor, SecretTensor] = [await at(x3, f), await at(x4, f)];
  release(x3, x4);
  return out;
}

/** [(x + x^2)^2, (x - x^2)^2] with `f` fractional bits (two squarings, one round). */
async function plusMinusSquares(
  x: SecretTensor,
  x2: SecretTensor,
  f: number,
): Promise<SecretTensor[]> {
  const [a, b] = [x.add(x2), x.sub(x2)];
  const out = await x.ctx.parallel([() => squareAt(a, f), () => squareAt(b, f)]);
  release(a, b);
  return out;
}

/**
 * The square form of an even-degree polynomial: p = sign R^2 + S with R = sum_{i=1..m}
 * r_i x^i (no constant) and S of degree <= m, for p of degree 2m with a non-zero leading
 * coefficient. Returns null when there is none or R's coefficients would exceed `maxCoeff`
 * (precision).
 */
export function squareForm(
  coeffs: readonly number[],
  maxCoeff = 64,
): { sign: 1 | -1; r: number[]; s: number[] } | null {
  const d = coeffs.length - 1;
  if (d < 2 || d % 2 !== 0 || coeffs[d] === 0) return null;
  const m = d / 2;
  const sign = coeffs[d] > 0 ? 1 : -1;
  const r = new Array(m + 1).fill(0); // r[0] = 0
  r[m] = Math.sqrt(Math.abs(coeffs[d]));
  for (let k = d - 1; k > m; k--) {
    // sign sum_{i + j = k} r_i r_j = c_k; the unknown is r_(k-m) (paired with r_m)
    let known = 0;
    for (let i = k - m + 1; i < m; i++) known += r[i] * r[k - i];
    r[k - m] = (sign * coeffs[k] - known) / (2 * r[m]);
  }
  if (r.some((v) => !Number.isFinite(v) || Math.abs(v) > maxCoeff)) return null;
  const s = coeffs.slice(0, m + 1);
  for (let k = 2; k <= m; k++) {
    let sq = 0;
    for (let i = 1; i < k; i++) sq += r[i] * r[k - i];
    s[k] -= sign * sq;
  }
  return { sign, r: r.slice(1), s };
}

/** Rounds of {@linkcode polyval} at 2 parties for a polynomial of degree `d`. */
export function polyRounds(d: number): number {
  if (d <= 1) return 0;
  if (d === 2) return 1;
  if (d <= 4) return 2;
  if (d <= 8) return 3;
  const blocks = Math.floor((d - 1) / 4);
  return 2 + Math.ceil(Math.log2(blocks)) + 1;
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
  const x2 = await squareAt(x, wb);
  if (d === 2) {
    const out = await lincomb([[x, coeffs[1]], [x2, coeffs[2]]], coeffs[0], f);
    release(x2);
    return out;
  }
  const sq = d <= 8 ? squareForm(coeffs) : null;
  if (d <= 4) {
    if (sq) {
      const out = await fromSquareForm(sq, [x, x2], f, wb);
      release(x2);
      return out;
    }
    // degree 3: c0 + c1 x + x^2 (c2 + c3 x)
    const q = await lincomb([[x, coeffs[3]]], coeffs[2], wb);
    const xq = await mulAt(x2, q, wb);
    release(q, x2);
    const out = await lincomb([[xq, 1], [x, coeffs[1]]], coeffs[0], f);
    release(xq);
    return out;
  }
  if (sq) {
    // x^3 and x^4 only inside the two combinations: c x^3 + e x^4 =
    // (c/4 + e/2) A^2 + (e/2 - c/4) B^2 - e x^2, so no sums or truncations of the powers
    const [a2, b2] = await plusMinusSquares(x, x2, wb);
    const basis = (k: readonly number[]) => {
      const [k0, k1, k2, k3, k4] = [0, 1, 2, 3, 4].map((i) => k[i] ?? 0);
      return [k0, k1, k2 - k4, k3 / 4 + k4 / 2, k4 / 2 - k3 / 4];
    };
    const r = basis([0, ...sq.r]);
    const out = await fromSquareForm(
      { sign: sq.sign, r: r.slice(1), s: basis(sq.s) },
      [x, x2, a2, b2],
      f,
      wb,
    );
    release(x2, a2, b2);
    return out;
  }
  const [x3, x4] = await cubeAndFourth(x, x2, wb);
  const pw = [x, x2, x3, x4];
  const comb = (lo: number, hi: number, out: number) => {
    const terms: [SecretTensor, number][] = [];
    for (let i = lo + 1; i <= Math.min(hi, d); i++) terms.push([pw[i - lo - 1], coeffs[i]]);
    return terms.length ? lincomb(terms, coeffs[lo], out) : lincomb([[x, 0]], coeffs[lo], out);
  };
  // Paterson-Stockmeyer: p = q_0 + x^4 q_1 + x^8 q_2 + ..., q_j of degree <= 3 (the last <= 4)
  const nb = Math.floor((d - 1) / 4);
  const big: SecretTensor[] = [x4]; // x^(4 j) for j = 1..nb by a ladder over j
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
    () => comb(0, 3, wb),
    ...Array.from({ length: nb }, (_, t) => async () => {
      const j = t + 1;
      const qj = await comb(4 * j, j === nb ? d : 4 * j + 3, wb);
      return await mulAt(big[t], qj, wb);
    }),
  ]);
  let acc = parts[0];
  for (let i = 1; i < parts.length; i++) acc = acc.add(parts[i]);
  const out = await lincomb([[acc, 1]], 0, f);
  release(acc, ...parts, ...pw.slice(1), ...big.slice(1));
  return out;
}

/** sign R^2 + S from the powers [x, x^2, ..] (one squaring). */
async function fromSquareForm(
  sq: { sign: 1 | -1; r: number[]; s: number[] },
  pw: readonly SecretTensor[],
  f: number,
  wb: number,
): Promise<SecretTensor> {
  const terms = (c: readonly number[], from: number) =>
    c.slice(from).map((v, i) => [pw[i + from - 1], v] as [SecretTensor, number]);
  const rr = await lincomb(terms([0, ...sq.r], 1), 0, wb);
  const r2 = await squareAt(rr, wb);
  release(rr);
  const out = await lincomb([[r2, sq.sign], ...terms(sq.s, 1)], sq.s[0], f);
  release(r2);
  return out;
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
