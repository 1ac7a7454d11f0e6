/**
 * `SecretTensor`: one party's share of a secret tensor, arithmetic (additive mod 2^ring,
 * fixed point with `fracBits`) or binary (XOR of the ring words). Local ops are synchronous
 * and return a new tensor; ops that communicate return promises. Issue independent ops
 * together (`Promise.all`) and they share rounds.
 *
 * Precision: a product of two fixed-point tensors is truncated back to the context's
 * `fracBits`. Multiplying by a public non-integer is exact on the ring and then truncated:
 * at once and locally with 2 parties, lazily with more (the tensor carries the extra
 * fractional bits until the next product or an explicit `truncate()`).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
 *   const y = await ctx.share(ctx.rank === 1 ? [3, 4] : null, { from: 1, shape: [2] });
 *   const z = await x.mul(y);
 *   return await z.add(x).mulPublic(2).reveal();
 * });
 * console.log(out[2]); // Float64Array [8, 20] (within fixed-point error)
 * ```
 * @module
 */
import type { ConvOptions, RingBuffer } from "@sharetensor/core/device";
import { decode, encode } from "@sharetensor/core/fixed_point";
import type { Ring, RingTensor } from "@sharetensor/core/ring";
import { fmtShape, normAxis, numel, type Shape } from "@sharetensor/core/shape";
import type { ShareKind, ShareTensor } from "@sharetensor/core/share";
import type { Context } from "./runtime/context.ts";
import { ownedPair } from "./owned.ts";
import { PublicTensor } from "./public_tensor.ts";
import { truncLocal } from "./kernels/trunc_a.ts";

/** A public operand: a number, a bigint (raw integer), numbers, or a `PublicTensor`. */
export type PublicOperand = number | bigint | readonly number[] | Float64Array | PublicTensor;

/**
 * The ring image of a public number with `fracBits` fractional bits (RangeError if it does not fit).
 *
 * @example
 * ```ts
 * import { scalarRaw } from "@sharetensor/protocols";
 * console.log(scalarRaw(0.5, 16, 64)); // 32768n
 * ```
 */
export function scalarRaw(c: number, fracBits: number, ring: Ring): bigint {
  return BigInt(encode(new Float64Array([c]), { fracBits, ring, shape: [] }).data[0]);
}

/** Options of `reveal`. */
export interface RevealOptions {
  /** Reveal to this party only (others get null). Default: every party. */
  to?: number;
}

/**
 * One party's share of a secret tensor.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
 *   return await x.sum().reveal();
 * });
 * console.log(out[1]); // Float64Array [3]
 * ```
 */
export class SecretTensor implements ShareTensor {
  /** The context (party and computation) this share belongs to. */
  readonly ctx: Context;
  /** Additive (`arithmetic`) or XOR (`binary`) sharing. */
  readonly kind: ShareKind;
  /** This party's share on the context's device. */
  readonly buf: RingBuffer;
  /** Fractional bits of the fixed-point encoding (0 for integers and binary shares). */
  readonly fracBits: number;

  /**
   * For a fresh private input (straight from `ctx.share`): the rank of the party that
   * input it; undefined for any tensor derived by an op.
   */
  readonly owner: number | undefined;
  /**
   * On the owner of a fresh private input only: its own encoded clear value (ring
   * integers with `fracBits`); undefined on every other party and for derived tensors.
   */
  readonly ownValue: RingBuffer | undefined;

  /**
   * Wraps a share; kernels use it to build results. `input` marks a fresh private input
   * (the `share` kernel only): its owner and, on the owner, its clear value.
   */
  constructor(
    ctx: Context,
    kind: ShareKind,
    buf: RingBuffer,
    fracBits: number,
    input?: { owner: number; value: RingBuffer | null },
  ) {
    if (buf.ring !== ctx.ring) {
      throw new TypeError(
        `a share in Z_2^${buf.ring} does not belong to a Z_2^${ctx.ring} context`,
      );
    }
    this.ctx = ctx;
    this.kind = kind;
    this.buf = buf;
    this.fracBits = kind === "binary" ? 0 : fracBits;
    this.owner = input?.owner;
    this.ownValue = input && input.owner === ctx.rank && input.value ? input.value : undefined;
  }

  /** Public shape. */
  get shape(): Shape {
    return this.buf.shape;
  }
  /** Ring size in bits. */
  get ring(): Ring {
    return this.buf.ring;
  }
  /** Number of elements. */
  get size(): number {
    return numel(this.buf.shape);
  }

  /** `TypeError` unless `other` is a share of the same context (and of `kind`, if given). */
  check(other: unknown, op: string, kind?: ShareKind): SecretTensor {
    if (!(other instanceof SecretTensor)) {
      throw new TypeError(
        `${op}: expected a SecretTensor, got ${
          (other as object)?.constructor?.name ?? typeof other
        }`,
      );
    }
    if (other.ctx !== this.ctx) {
      throw new TypeError(`${op}: the tensor ${fmtShape(other.shape)} belongs to another context`);
    }
    const want = kind ?? this.kind;
    if (other.kind !== want || this.kind !== want) {
      throw new TypeError(`${op}: needs ${want} shares, got ${this.kind} and ${other.kind}`);
    }
    return other;
  }

  /** `TypeError` unless this share is of `kind`. */
  need(kind: ShareKind, op: string): void {
    if (this.kind !== kind) {
      throw new TypeError(`${op}: needs a ${kind} share, got a ${this.kind} one`);
    }
  }

  #wrap(buf: RingBuffer, fracBits = this.fracBits): SecretTensor {
    return new SecretTensor(this.ctx, this.kind, buf, fracBits);
  }

  /** The share scaled to `f` >= its fractional bits. */
  #at(f: number): RingBuffer {
    return f === this.fracBits
      ? this.buf
      : this.ctx.device.mulScalar(this.buf, 1n << BigInt(f - this.fracBits));
  }

  /**
   * A public operand as a tensor: bigints are integers (0 fractional bits); integer numbers
   * take `fracBits`, other numbers at least the context's precision (so `bit.add(0.5)` is
   * exact, and `bit.add(1)` stays an integer).
   */
  #public(v: PublicOperand, fracBits: number): PublicTensor {
    if (v instanceof PublicTensor) {
      if (v.ctx !== this.ctx) throw new TypeError("a public tensor of another context");
      return v;
    }
    if (typeof v === "bigint") return this.ctx.public(v, { fracBits: 0 });
    const all = typeof v === "number" ? [v] : v as ArrayLike<number>;
    let integral = true;
    for (let i = 0; i < all.length && integral; i++) integral = Number.isInteger(all[i]);
    const f = integral ? fracBits : Math.max(fracBits, this.ctx.fracBits);
    return this.ctx.public(v as number, { fracBits: f });
  }

  // ---- arithmetic, local ----

  /** x + y (a share or a public value); fractional bits align to the larger. */
  add(other: SecretTensor | PublicOperand): SecretTensor {
    if (!(other instanceof SecretTensor)) return this.addPublic(other);
    this.check(other, "add", "arithmetic");
    const f = Math.max(this.fracBits, other.fracBits);
    return this.#wrap(this.ctx.device.add(this.#at(f), other.#at(f)), f);
  }

  /** x - y. */
  sub(other: SecretTensor | PublicOperand): SecretTensor {
    if (!(other instanceof SecretTensor)) {
      const p = this.#public(other, this.fracBits);
      return this.addPublic(new PublicTensor(this.ctx, this.ctx.device.neg(p.buf), p.fracBits));
    }
    return this.add(other.neg());
  }

  /** -x (arithmetic shares only). */
  neg(): SecretTensor {
    this.need("arithmetic", "neg");
    return this.#wrap(this.ctx.device.neg(this.buf));
  }

  /** x + c for a public c: party 0 adds it. */
  addPublic(c: PublicOperand): SecretTensor {
    this.need("arithmetic", "addPublic");
    const p = this.#public(c, this.fracBits);
    const f = Math.max(this.fracBits, p.fracBits);
    const d = this.ctx.device;
    const pb = f === p.fracBits ? p.buf : d.mulScalar(p.buf, 1n << BigInt(f - p.fracBits));
    const mine = this.#at(f);
    return this.#wrap(
      this.ctx.rank === 0 ? d.add(mine, pb) : d.add(mine, d.zeros(pb.shape, this.ring)),
      f,
    );
  }

  /**
   * x * c for a public c. Integers (and bigints) are exact; other numbers are encoded with
   * the context's `fracBits` (error <= 2^-(f+1) in c, so <= |x| 2^-(f+1) in the product)
   * and the product truncated (one more unit in the last place; see the module doc).
   */
  mulPublic(c: PublicOperand): SecretTensor {
    this.need("arithmetic", "mulPublic");
    const d = this.ctx.device;
    if (typeof c === "bigint") return this.#wrap(d.mulScalar(this.buf, c));
    if (typeof c === "number" && Number.isSafeInteger(c)) {
      return this.#wrap(d.mulScalar(this.buf, BigInt(c)));
    }
    if (typeof c === "number") {
      return this.#settle(
        d.mulScalar(this.buf, scalarRaw(c, this.ctx.fracBits, this.ring)),
        this.fracBits + this.ctx.fracBits,
      );
    }
    const p = this.#public(c, 0); // integers exact, fractions at the context precision
    return this.#settle(d.mul(this.buf, p.buf), this.fracBits + p.fracBits);
  }

  /** x / c for a public number c (multiplies by 1/c). */
  divPublic(c: number): SecretTensor {
    if (typeof c !== "number" || c === 0 || !Number.isFinite(c)) {
      throw new RangeError(`divPublic: divisor must be a finite non-zero number, got ${c}`);
    }
    return this.mulPublic(1 / c);
  }

  /** Reduces a public product with `f` fractional bits: locally at once for 2 parties. */
  #settle(buf: RingBuffer, f: number): SecretTensor {
    const target = Math.max(this.fracBits, Math.min(f, this.ctx.fracBits));
    if (f === target) return this.#wrap(buf, f);
    if (this.ctx.size === 2) return this.#wrap(truncLocal(this.ctx, buf, f - target), target);
    if (f > 2 * this.ctx.fracBits) {
      throw new RangeError(
        `mulPublic: ${f} fractional bits would overflow; await x.truncate() first`,
      );
    }
    return this.#wrap(buf, f);
  }

  /** Sum over `dims` (all when omitted). */
  sum(dims?: number | readonly number[], keepDims = false): SecretTensor {
    this.need("arithmetic", "sum");
    const ds = dims === undefined ? undefined : typeof dims === "number" ? [dims] : dims;
    return this.#wrap(this.ctx.device.sum(this.buf, ds, keepDims));
  }

  /** Mean over `dims` (all when omitted): a sum times the public 1/count. */
  mean(dims?: number | readonly number[], keepDims = false): SecretTensor {
    this.need("arithmetic", "mean");
    const ds = dims === undefined
      ? this.shape.map((_, i) => i)
      : typeof dims === "number"
      ? [dims]
      : dims;
    const count = ds.reduce((c, a) => c * this.shape[normAxis(a, this.shape.length)], 1);
    return this.sum(ds, keepDims).divPublic(count);
  }

  /** Average pooling over [N, C, H, W] (zero padding counts, as in PyTorch's default). */
  avgPool2d(
    kernel: number | readonly [number, number],
    opts: {
      stride?: number | readonly [number, number];
      padding?: number | readonly [number, number];
    } = {},
  ): SecretTensor {
    this.need("arithmetic", "avgPool2d");
    if (this.shape.length !== 4) {
      throw new TypeError(`avgPool2d: needs [N, C, H, W], got ${fmtShape(this.shape)}`);
    }
    const [kh, kw] = typeof kernel === "number" ? [kernel, kernel] : kernel;
    const [n, c, h, w] = this.shape;
    const d = this.ctx.device;
    const ones = d.fill([1, 1, kh, kw], this.ring, 1n);
    const x = d.reshape(this.buf, [n * c, 1, h, w]);
    const y = d.conv2d(x, ones, { stride: opts.stride ?? kernel, padding: opts.padding ?? 0 });
    const [, , oh, ow] = y.shape;
    return this.#wrap(d.reshape(y, [n, c, oh, ow])).divPublic(kh * kw);
  }

  // ---- layout, local (any kind) ----

  /** Same elements, new shape (one dim may be -1). */
  reshape(shape: Shape): SecretTensor {
    return this.#wrap(this.ctx.device.reshape(this.buf, shape));
  }
  /** Flattens dims `start..end` into one. */
  flatten(start = 0, end = -1): SecretTensor {
    const r = this.shape.length;
    if (r === 0) return this.reshape([1]);
    const s = normAxis(start, r);
    const e = normAxis(end, r);
    const mid = this.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
    return this.reshape([...this.shape.slice(0, s), mid, ...this.shape.slice(e + 1)]);
  }
  /** Swaps two dims (the last two by default). */
  transpose(d0 = -2, d1 = -1): SecretTensor {
    return this.#wrap(this.ctx.device.transpose(this.buf, d0, d1));
  }
  /** Reorders dims. */
  permute(perm: readonly number[]): SecretTensor {
    return this.#wrap(this.ctx.device.permute(this.buf, perm));
  }
  /** Sub-tensor from `begin` with sizes `size` (-1: to the end). */
  slice(begin: readonly number[], size: readonly number[]): SecretTensor {
    return this.#wrap(this.ctx.device.slice(this.buf, begin, size));
  }
  /** Padding with a public value (0 by default). */
  pad(pads: readonly (readonly [number, number])[], value = 0): SecretTensor {
    const d = this.ctx.device;
    if (value === 0) return this.#wrap(d.pad(this.buf, pads));
    this.need("arithmetic", "pad with a non-zero value");
    const raw = this.ctx.rank === 0 ? scalarRaw(value, this.fracBits, this.ring) : 0n;
    return this.#wrap(d.pad(this.buf, pads, raw));
  }
  /** Index-select along `axis`. */
  gather(indices: ArrayLike<number>, axis = 0): SecretTensor {
    return this.#wrap(this.ctx.device.gather(this.buf, indices, axis));
  }
  /** Broadcast to `shape` (materialised). */
  expand(shape: Shape): SecretTensor {
    return this.#wrap(this.ctx.device.expand(this.buf, shape));
  }
  /** Concatenation along `axis` of shares of one context and kind. */
  static concat(list: readonly SecretTensor[], axis = 0): SecretTensor {
    if (list.length === 0) throw new TypeError("concat: empty list");
    const f = Math.max(...list.map((t) => (list[0].check(t, "concat"), t.fracBits)));
    return list[0].#wrap(list[0].ctx.device.concat(list.map((t) => t.#at(f)), axis), f);
  }
  /** Stacks equal shapes along a new `axis`. */
  static stack(list: readonly SecretTensor[], axis = 0): SecretTensor {
    if (list.length === 0) throw new TypeError("stack: empty list");
    const f = Math.max(...list.map((t) => (list[0].check(t, "stack"), t.fracBits)));
    return list[0].#wrap(list[0].ctx.device.stack(list.map((t) => t.#at(f)), axis), f);
  }

  // ---- arithmetic, communicating ----

  /**
   * x * y elementwise (Beaver), broadcasting; by a public value it is local. Fresh inputs
   * of two different parties take the input-aware kernel (`mul_owned`).
   */
  async mul(other: SecretTensor | PublicOperand): Promise<SecretTensor> {
    if (!(other instanceof SecretTensor)) return this.mulPublic(other);
    this.check(other, "mul", "arithmetic");
    const k = ownedPair(this, other) ? "mul_owned" : "mul_aa";
    return await this.ctx.run(k, this, other);
  }
  /** x * x (one opened operand instead of two). */
  async square(): Promise<SecretTensor> {
    this.need("arithmetic", "square");
    return await this.ctx.run("square_a", this);
  }
  /**
   * x @ y (batched, PyTorch rules). A secret right operand reused across calls (a weight)
   * opens its mask once: later calls send only x's part. Fresh inputs of two different
   * parties take the input-aware kernel (`matmul_owned`: one local product per owner).
   */
  async matmul(other: SecretTensor | PublicTensor): Promise<SecretTensor> {
    this.need("arithmetic", "matmul");
    if (other instanceof PublicTensor) {
      return this.#pubProduct(other, (a, b) => this.ctx.device.matmul(a, b));
    }
    this.check(other, "matmul", "arithmetic");
    const k = ownedPair(this, other) ? "matmul_owned" : "matmul_aa";
    return await this.ctx.run(k, this, other);
  }
  /** conv1d of x [N, C, L] with weight [O, C/g, K]; the weight's mask is opened once. */
  async conv1d(w: SecretTensor | PublicTensor, opts: ConvOptions = {}): Promise<SecretTensor> {
    return await this.#conv(1, w, opts);
  }
  /** conv2d of x [N, C, H, W] with weight [O, C/g, KH, KW]; the weight's mask is opened once. */
  async conv2d(w: SecretTensor | PublicTensor, opts: ConvOptions = {}): Promise<SecretTensor> {
    return await this.#conv(2, w, opts);
  }
  #conv(nd: 1 | 2, w: SecretTensor | PublicTensor, opts: ConvOptions): Promise<SecretTensor> {
    this.need("arithmetic", `conv${nd}d`);
    const d = this.ctx.device;
    if (w instanceof PublicTensor) {
      return Promise.resolve(
        this.#pubProduct(w, (a, b) => nd === 1 ? d.conv1d(a, b, opts) : d.conv2d(a, b, opts)),
      );
    }
    this.check(w, `conv${nd}d`, "arithmetic");
    return this.ctx.run(`conv${nd}d_aa`, this, w, opts);
  }
  #pubProduct(p: PublicTensor, f: (a: RingBuffer, b: RingBuffer) => RingBuffer): SecretTensor {
    if (p.ctx !== this.ctx) throw new TypeError("a public tensor of another context");
    return this.#settle(f(this.buf, p.buf), this.fracBits + p.fracBits);
  }
  /** Truncates the extra fractional bits (beyond the context's) left by public products. */
  async truncate(): Promise<SecretTensor> {
    this.need("arithmetic", "truncate");
    if (this.fracBits <= this.ctx.fracBits) return this;
    return await this.ctx.run("trunc_a", this, this.fracBits - this.ctx.fracBits);
  }

  // ---- binary ----

  /** x ^ y (shares or a public value: party 0 applies it). */
  xor(other: SecretTensor | PublicTensor | bigint): SecretTensor {
    this.need("binary", "xor");
    const d = this.ctx.device;
    if (other instanceof SecretTensor) {
      return this.#wrap(d.xor(this.buf, this.check(other, "xor").buf));
    }
    const p = typeof other === "bigint" ? d.fill([], this.ring, other) : other.buf;
    return this.#wrap(
      this.ctx.rank === 0 ? d.xor(this.buf, p) : d.xor(this.buf, d.zeros(p.shape, this.ring)),
    );
  }
  /** ~x (party 0 flips its share). */
  not(): SecretTensor {
    this.need("binary", "not");
    return this.#wrap(this.ctx.rank === 0 ? this.ctx.device.not(this.buf) : this.buf);
  }
  /** x << k: for binary and arithmetic shares (times 2^k). */
  shl(k: number): SecretTensor {
    return this.#wrap(this.ctx.device.shl(this.buf, k));
  }
  /** Logical x >> k of a binary share. */
  shr(k: number): SecretTensor {
    this.need("binary", "shr");
    return this.#wrap(this.ctx.device.shr(this.buf, k));
  }
  /** Bit k of each element, as a binary share of 0/1. */
  bit(k: number): SecretTensor {
    this.need("binary", "bit");
    return this.#wrap(this.ctx.device.bit(this.buf, k));
  }
  /** x & c for a public mask: local. */
  andPublic(c: PublicTensor | bigint): SecretTensor {
    this.need("binary", "andPublic");
    const d = this.ctx.device;
    return this.#wrap(d.and(this.buf, typeof c === "bigint" ? d.fill([], this.ring, c) : c.buf));
  }
  /** x & y bitwise (AND triple, one round); by a public mask it is local. */
  async and(other: SecretTensor | PublicTensor | bigint): Promise<SecretTensor> {
    if (!(other instanceof SecretTensor)) return this.andPublic(other);
    this.check(other, "and", "binary");
    return await this.ctx.run("and_bb", this, other);
  }
  /** x | y = x ^ y ^ (x & y). */
  async or(other: SecretTensor): Promise<SecretTensor> {
    const both = await this.and(other);
    return this.xor(other).xor(both);
  }
  /** The lowest bit of each element of a binary share as an arithmetic 0/1 (fracBits 0). */
  async toArithmetic(): Promise<SecretTensor> {
    this.need("binary", "toArithmetic");
    return await this.ctx.run("b2a_bit", this);
  }

  // ---- opening ----

  /** The ring value (bit-exact) to every party, or to `to` only (null elsewhere). */
  async revealRing(opts: RevealOptions = {}): Promise<RingTensor | null> {
    if (
      opts.to !== undefined &&
      (!Number.isInteger(opts.to) || opts.to < 0 || opts.to >= this.ctx.size)
    ) {
      throw new RangeError(`reveal: party ${opts.to} does not exist (${this.ctx.size} parties)`);
    }
    return await this.ctx.run(this.kind === "binary" ? "reveal_b" : "reveal_a", this, opts.to);
  }
  /** The decoded value (fixed point: ring value / 2^fracBits) to every party, or to `to`. */
  async reveal(opts: RevealOptions = {}): Promise<Float64Array | null> {
    const t = await this.revealRing(opts);
    return t ? decode(t, this.fracBits) : null;
  }
}
