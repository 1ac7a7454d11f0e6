/**
 * Fixed-point precision control for the function library. The library keeps intermediate
 * values with more fractional bits than the context (say 20 instead of 16) where that buys
 * accuracy, and chooses where to truncate. Products are exact in the ring when one operand
 * is declared an integer (0 fractional bits), so `mulAt` multiplies the raw words and then
 * truncates once to the precision asked for. Truncation is `trunc_a`: local and free with
 * 2 parties, one round with more.
 *
 * Truncation of a 2-party share fails with probability about |z| / 2^ring (z the raw value
 * being truncated), so the helpers keep raw products below ~2^42 for values in range.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { lincomb, mulAt } from "./fixed.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [0.5, 1.5] : null, { from: 0, shape: [2] });
 *   const x2 = await mulAt(x, x, 20); // 20 fractional bits
 *   return await (await lincomb([[x2, 3], [x, -1]], 0.25, 16)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // Float64Array [0.5, 5.5] (3x^2 - x + 0.25)
 * ```
 * @module
 */
import { SecretTensor } from "../secret_tensor.ts";

/**
 * Default fractional bits of the library's internal values: context bits + 2. (More bits
 * would make raw products of values near 1 reach 2^40, where a 2-party truncation fails
 * with probability 2^-24 per element: visible over a few layers of 10^5 elements.)
 */
export function workBits(x: SecretTensor): number {
  return x.ctx.fracBits + 2;
}

/** The same ring words read with `f` fractional bits (x / 2^(f - x.fracBits)). */
export function reinterpret(x: SecretTensor, f: number): SecretTensor {
  return new SecretTensor(x.ctx, "arithmetic", x.buf, f);
}

/** x with exactly `f` fractional bits: exact when f grows, a truncation when it shrinks. */
export async function at(x: SecretTensor, f: number): Promise<SecretTensor> {
  if (f === x.fracBits) return x;
  if (f > x.fracBits) return reinterpret(x.mulPublic(1n << BigInt(f - x.fracBits)), f);
  if (x.ctx.size === 2) return truncTwo(x, f);
  return await x.ctx.run<SecretTensor>("trunc_a", x, x.fracBits - f);
}

/**
 * `trunc_a`'s 2-party local truncation (SecureML) in one pass per party and op: party 0
 * takes floor(x0 / 2^d), party 1 ceil(x1 / 2^d) = floor((x1 + 2^d - 1) / 2^d) (the same
 * ring words as -floor(-x1 / 2^d), without the two negations), an arithmetic shift after
 * the addition of a public constant. (The addition wraps only for a share within 2^d of
 * 2^63, probability 2^(d - 64), far below the truncation's own ~2^(lx + 1 - 64).)
 */
function truncTwo(x: SecretTensor, f: number): SecretTensor {
  const dev = x.ctx.device;
  const d = x.fracBits - f;
  if (x.ctx.rank === 0) return new SecretTensor(x.ctx, "arithmetic", dev.sar(x.buf, d), f);
  const up = dev.fill([], x.ring, (1n << BigInt(d)) - 1n);
  const s = dev.add(x.buf, up);
  const out = dev.sar(s, d);
  dev.dispose(s);
  dev.dispose(up);
  return new SecretTensor(x.ctx, "arithmetic", out, f);
}

/**
 * x with at most the context's fractional bits. With more than two parties a product by a
 * public fraction keeps its extra bits until the next truncation; every function of this
 * library truncates such an input once on entry, so its fixed-point budget holds.
 */
export async function atContext(x: SecretTensor): Promise<SecretTensor> {
  return x.fracBits > x.ctx.fracBits ? await at(x, x.ctx.fracBits) : x;
}

/**
 * Gives the storage of temporaries back to the device's buffer pool, so that the next op
 * reuses it instead of allocating (and collecting) a fresh tensor: the library's
 * elementwise chains would otherwise allocate one full tensor per step. Only for tensors
 * that the caller made itself, that nothing else refers to (no view, no alias by
 * `reinterpret`, no op still running on them); each buffer once.
 */
export function release(...ts: readonly (SecretTensor | null | undefined)[]): void {
  const seen = new Set<unknown>();
  for (const t of ts) {
    if (!t || seen.has(t.buf)) continue;
    seen.add(t.buf);
    t.ctx.device.dispose(t.buf);
  }
}

/**
 * a + c for a public number c (encoded with a's fractional bits): party 0 adds it, the
 * others return `a` itself (no pass; the result may alias a).
 */
export function plusConst(a: SecretTensor, c: number): SecretTensor {
  if (c === 0 || a.ctx.rank !== 0) return a;
  return a.add(a.ctx.public(c, { fracBits: a.fracBits }));
}

/** a - b in one device pass (`SecretTensor.sub` negates, then adds). */
export function diffOf(a: SecretTensor, b: SecretTensor): SecretTensor {
  if (a.fracBits !== b.fracBits) return a.sub(b);
  return new SecretTensor(a.ctx, "arithmetic", a.ctx.device.sub(a.buf, b.buf), a.fracBits);
}

/** x * y (secret), truncated once to `f` fractional bits. */
export async function mulAt(x: SecretTensor, y: SecretTensor, f: number): Promise<SecretTensor> {
  const raw = x === y ? await reinterpret(x, 0).square() : await reinterpret(x, 0).mul(
    reinterpret(y, 0),
  );
  const out = await at(reinterpret(raw, x.fracBits + y.fracBits), f);
  if (out.buf !== raw.buf) release(raw);
  return out;
}

/** x^2 truncated once to `f` fractional bits (half the traffic of `mulAt`). */
export async function squareAt(x: SecretTensor, f: number): Promise<SecretTensor> {
  if (x.ctx.size === 2 && f <= 2 * x.fracBits) {
    return await x.ctx.run<SecretTensor>("square_a", x, f);
  }
  return await mulAt(x, x, f);
}

/** The raw integer of c with `cf` fractional bits. */
export function rawOf(c: number, cf: number): bigint {
  if (!Number.isFinite(c)) throw new RangeError(`a coefficient must be finite, got ${c}`);
  return BigInt(Math.round(c * 2 ** cf));
}

/**
 * c0 + sum_i c_i t_i for public coefficients, with one truncation to `f` fractional bits:
 * each term is the exact ring product of t_i and c_i encoded with `cf` bits (default 16),
 * all terms are aligned exactly and summed, and the sum is truncated once.
 */
export async function lincomb(
  terms: readonly (readonly [SecretTensor, number])[],
  c0: number,
  f: number,
  cf = 16,
): Promise<SecretTensor> {
  if (terms.length === 0) throw new TypeError("lincomb: needs at least one term");
  const top = Math.max(...terms.map(([t]) => t.fracBits)) + cf;
  let acc: SecretTensor | null = null;
  for (const [t, c] of terms) {
    if (c === 0) continue;
    const shift = top - t.fracBits - cf;
    const r = rawOf(c, cf) << BigInt(shift);
    const p = reinterpret(t.mulPublic(r), top); // a fresh buffer
    if (acc) {
      const sum: SecretTensor = acc.add(p);
      release(acc, p);
      acc = sum;
    } else acc = p;
  }
  if (!acc) acc = reinterpret(terms[0][0].mulPublic(0n), top);
  if (c0 !== 0) {
    const sum: SecretTensor = acc.add(acc.ctx.public(c0, { fracBits: top }));
    release(acc);
    acc = sum;
  }
  const out = await at(acc, Math.min(f, top));
  if (out.buf !== acc.buf) release(acc);
  return out;
}
