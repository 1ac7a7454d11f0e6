/**
 * The comparison methods of {@linkcode SecretTensor} (declared here and installed on its
 * prototype when this module loads, which `semi2k.ts` does): conversions, comparisons,
 * sign/abs/relu, where, max/min/argmax/argmin along a dim, and max pooling. Comparison
 * results are arithmetic 0/1 with 0 fractional bits (they decode to 0.0/1.0 and multiply
 * without truncation). A comparison of x and y is exact while |x - y| < 2^(ring-1) in raw
 * ring units (2^47 for Z_2^64 with 16 fractional bits).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3] : null, { from: 0, shape: [3] });
 *   return await (await x.lt(2)).reveal();
 * });
 * console.log(out[0]); // Float64Array [1, 0, 0]
 * ```
 * @module
 */
import { type PublicOperand, SecretTensor } from "../secret_tensor.ts";
import type { PublicTensor } from "../public_tensor.ts";
import type { MaxResult } from "./max_a.ts";
import type { MaxPoolOptions } from "./max_pool.ts";

declare module "../secret_tensor.ts" {
  interface SecretTensor {
    /**
     * Arithmetic -> binary sharing of the whole ring word (`a2b`); with `bits`, from the
     * low bits only (valid when |x| < 2^(bits - 1), fewer ANDs and rounds).
     */
    toBinary(bits?: number): Promise<SecretTensor>;
    /** Binary -> arithmetic sharing of the whole word (`b2a`), with `fracBits` (default 0). */
    toArithmeticWord(fracBits?: number): Promise<SecretTensor>;
    /**
     * The most significant bit as a binary share (bit 0) (`msb_a`); with `bits`, the top
     * bit of x mod 2^bits: the sign of x when |x| < 2^(bits - 1) is known (fewer ANDs).
     */
    msb(bits?: number): Promise<SecretTensor>;
    /** [x < y] as arithmetic 0/1. */
    lt(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** [x <= y]. */
    le(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** [x > y]. */
    gt(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** [x >= y]. */
    ge(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** [x == y] (a zero test of x - y). */
    eq(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** [x != y]. */
    ne(y: SecretTensor | PublicOperand): Promise<SecretTensor>;
    /** sign(x) in {-1, 0, 1} (0 fractional bits). */
    sign(): Promise<SecretTensor>;
    /** |x|. */
    abs(): Promise<SecretTensor>;
    /** max(x, 0). */
    relu(): Promise<SecretTensor>;
    /** [max(x, 0), [x >= 0] as 0/1] for the backward pass, at the cost of `relu`. */
    reluWithMask(): Promise<[SecretTensor, SecretTensor]>;
    /**
     * cond ? x : y elementwise (PyTorch's `x.where(cond, y)`): `cond` a binary bit share
     * (one round), an arithmetic 0/1 share (one product) or a public tensor (local).
     */
    where(
      cond: SecretTensor | PublicTensor,
      y: SecretTensor | PublicOperand,
    ): Promise<SecretTensor>;
    /** Maximum along `dim` (all elements when omitted). */
    max(dim?: number, keepDims?: boolean): Promise<SecretTensor>;
    /** Minimum along `dim` (all elements when omitted). */
    min(dim?: number, keepDims?: boolean): Promise<SecretTensor>;
    /**
     * The first maximum along `dim`: a one-hot (x's shape, 0/1) as CrypTen, or with
     * `{ oneHot: false }` the index (dim removed, an integer with 0 fractional bits) as
     * PyTorch, from the one-hot by a local weighted sum.
     */
    argmax(dim: number, opts?: { oneHot?: boolean }): Promise<SecretTensor>;
    /** The first minimum along `dim` (see `argmax`). */
    argmin(dim: number, opts?: { oneHot?: boolean }): Promise<SecretTensor>;
    /** [max, one-hot argmax] along `dim` at the cost of one tree. */
    maxArgmax(dim: number, keepDims?: boolean): Promise<[SecretTensor, SecretTensor]>;
    /** [min, one-hot argmin] along `dim`. */
    minArgmin(dim: number, keepDims?: boolean): Promise<[SecretTensor, SecretTensor]>;
    /**
     * Max pooling over [N, C, H, W] with the one-hot of each window's first maximum,
     * [N, C, OH, OW, KH * KW] (for the backward pass; one more round than `maxPool2d`).
     */
    maxPool2dWithArgmax(
      kernel: number | readonly [number, number],
      opts?: MaxPoolOptions,
    ): Promise<[SecretTensor, SecretTensor]>;
    /** Max pooling over [N, C, H, W]. */
    maxPool2d(
      kernel: number | readonly [number, number],
      opts?: MaxPoolOptions,
    ): Promise<SecretTensor>;
  }
}

type Operand = SecretTensor | PublicOperand;
const P = SecretTensor.prototype;

function diff(x: SecretTensor, y: Operand, op: string): SecretTensor {
  x.need("arithmetic", op);
  if (y instanceof SecretTensor) x.check(y, op, "arithmetic");
  return x.sub(y);
}
function rdiff(x: SecretTensor, y: Operand, op: string): SecretTensor {
  return diff(x, y, op).neg();
}
async function extreme(
  x: SecretTensor,
  dim: number | undefined,
  keep: boolean,
  arg: boolean,
  min: boolean,
) {
  const src = dim === undefined ? x.reshape([x.size]) : x;
  const v = min ? src.neg() : src;
  const [m, a] = await x.ctx.run<MaxResult>("max_a", v, dim ?? 0, arg, keep);
  return [min ? m.neg() : m, a] as MaxResult;
}

/** The one-hot itself, or sum_i i * oneHot_i along `dim` (local). */
function indexOf(oneHot: SecretTensor, dim: number, keep: boolean): SecretTensor {
  if (keep) return oneHot;
  const r = oneHot.shape.length;
  const ax = dim < 0 ? dim + r : dim;
  const k = oneHot.shape[ax];
  const shape = oneHot.shape.map((s, i) => i === ax ? s : 1);
  const idx = oneHot.ctx.public(Array.from({ length: k }, (_, i) => i), { shape, fracBits: 0 });
  return oneHot.mulPublic(idx).sum(ax);
}

P.toBinary = async function (bits?: number) {
  return await this.ctx.run("a2b", this, bits);
};
P.toArithmeticWord = async function (fracBits = 0) {
  return await this.ctx.run("b2a", this, fracBits);
};
P.msb = async function (bits?: number) {
  return await this.ctx.run("msb_a", this, bits);
};
P.lt = async function (y) {
  return await this.ctx.run("ltz_a", diff(this, y, "lt"));
};
P.ge = async function (y) {
  return await this.ctx.run("gez_a", diff(this, y, "ge"));
};
P.gt = async function (y) {
  return await this.ctx.run("ltz_a", rdiff(this, y, "gt"));
};
P.le = async function (y) {
  return await this.ctx.run("gez_a", rdiff(this, y, "le"));
};
P.eq = async function (y) {
  return await this.ctx.run("eqz_a", diff(this, y, "eq"));
};
P.ne = async function (y) {
  return await this.ctx.run("nez_a", diff(this, y, "ne"));
};
P.sign = async function () {
  return await this.ctx.run("sign_a", this);
};
P.abs = async function () {
  return await this.ctx.run("abs_a", this);
};
P.reluWithMask = async function () {
  return await this.ctx.run("relu_mask_a", this);
};
P.relu = async function () {
  return await this.ctx.run("relu_a", this);
};
P.where = async function (cond, y) {
  this.need("arithmetic", "where");
  if (y === 0 && cond instanceof SecretTensor && cond.kind === "binary") {
    return this.ctx.run("where_b", cond, this, null); // cond ? x : 0 skips the sums
  }
  const other = y instanceof SecretTensor ? y : this.sub(this).add(y);
  if (!(cond instanceof SecretTensor)) return this.sub(other).mulPublic(cond).add(other);
  if (cond.kind === "binary") return this.ctx.run("where_b", cond, this, other);
  return (await cond.mul(this.sub(other))).add(other);
};
P.max = async function (dim, keepDims = false) {
  return (await extreme(this, dim, keepDims, false, false))[0];
};
P.min = async function (dim, keepDims = false) {
  return (await extreme(this, dim, keepDims, false, true))[0];
};
P.argmax = async function (dim, opts = {}) {
  return indexOf((await extreme(this, dim, false, true, false))[1]!, dim, opts.oneHot ?? true);
};
P.argmin = async function (dim, opts = {}) {
  return indexOf((await extreme(this, dim, false, true, true))[1]!, dim, opts.oneHot ?? true);
};
P.maxArgmax = async function (dim, keepDims = false) {
  const [m, a] = await extreme(this, dim, keepDims, true, false);
  return [m, a!];
};
P.minArgmin = async function (dim, keepDims = false) {
  const [m, a] = await extreme(this, dim, keepDims, true, true);
  return [m, a!];
};
P.maxPool2d = async function (kernel, opts = {}) {
  return await this.ctx.run("max_pool2d_a", this, kernel, opts);
};
P.maxPool2dWithArgmax = async function (kernel, opts = {}) {
  return await this.ctx.run("max_pool2d_a", this, kernel, opts, true);
};
