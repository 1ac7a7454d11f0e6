/**
 * x^p for a public exponent p:
 *
 * - integer p >= 0: square-and-multiply, the squarings in sequence and the products of the
 *   selected powers as a tree (floor(log2 p) + ceil(log2 popcount(p)) rounds);
 * - integer p < 0: (1 / x)^|p| (`reciprocal.ts`, x of either sign);
 * - p = 0.5 and -0.5: `sqrt` and `invSqrt`;
 * - other real p: exp(p log x) for x > 0 (`log.ts`, `exp.ts`; needs p log x in [-32, 8]).
 *
 * A non-finite p, or an integer |p| > 64, is a RangeError. Options go to the reciprocal /
 * sqrt / log underneath (their range).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { pow } from "./pow.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1.5, -2] : null, { from: 0, shape: [2] });
 *   return await (await pow(x, 3)).reveal();
 * }, { dealer: "tfpUnsafe" });
 * console.log(out[0]); // ~Float64Array [3.375, -8]
 * ```
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { exp } from "./exp.ts";
import { atContext } from "./fixed.ts";
import { log } from "./log.ts";
import { reciprocal } from "./reciprocal.ts";
import { invSqrt, sqrt } from "./sqrt.ts";

/** Options of {@linkcode pow}. */
export interface PowOptions {
  /** Public bounds on |x| for the reciprocal / sqrt / log used underneath. */
  range?: readonly [number, number];
}

async function intPow(x: SecretTensor, p: number): Promise<SecretTensor> {
  if (p === 0) return x.mulPublic(0n).add(1);
  const sq: SecretTensor[] = [x];
  for (let b = 1; 2 ** b <= p; b++) sq.push(await sq[b - 1].square());
  let picked = sq.filter((_, b) => Math.floor(p / 2 ** b) % 2 === 1);
  while (picked.length > 1) {
    const pairs = Array.from(
      { length: picked.length >> 1 },
      (_, i) => [picked[2 * i], picked[2 * i + 1]],
    );
    const made = await x.ctx.parallel(pairs.map(([a, b]) => () => a.mul(b)));
    picked = picked.length % 2 ? [...made, picked[picked.length - 1]] : made;
  }
  return picked[0];
}

/** x^p elementwise (see the module doc). */
export async function pow(
  x: SecretTensor,
  p: number,
  opts: PowOptions = {},
): Promise<SecretTensor> {
  x.need("arithmetic", "pow");
  x = await atContext(x);
  if (!Number.isFinite(p)) throw new RangeError(`pow: the exponent must be finite, got ${p}`);
  if (Number.isInteger(p)) {
    if (Math.abs(p) > 64) throw new RangeError(`pow: |p| must be <= 64 for integers, got ${p}`);
    if (p >= 0) return await intPow(x, p);
    return await intPow(await reciprocal(x, { range: opts.range }), -p);
  }
  if (p === 0.5) return await sqrt(x, { range: opts.range });
  if (p === -0.5) return await invSqrt(x, { range: opts.range });
  const l = await log(x, { range: opts.range });
  return await exp(l.mulPublic(p));
}
