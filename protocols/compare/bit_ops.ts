/**
 * The communicating steps under the comparison kernels, on bit planes (see `planes.ts`):
 *
 * - {@linkcode andFn}: one round of plane ANDs: `and_bb`'s protocol over the planes
 *   packed into ring words (so a round costs (n - 1) * 2 bits per ANDed bit and party);
 * - {@linkcode inputPlanes}: each party's arithmetic share is a valid XOR sharing of
 *   itself when the others hold 0, so the n shares enter a circuit as n words, free;
 * - {@linkcode openPlane} / {@linkcode b2aPlane}: a shared bit plane to an arithmetic 0/1
 *   with a dealer random bit r shared both ways: open c = b ^ r (one round, one bit per
 *   element), then b = r + c - 2cr;
 * - {@linkcode MulBit}: b * y for a shared bit b and an arithmetic y in ONE round after b
 *   is known: the Beaver product r * y with the same random bit r is computed ahead (its
 *   opening of r - A and y - B can share a round with the circuit that makes b), then
 *   b * y = c y + (1 - 2c) r y once c = b ^ r is open.
 *
 * Sub-steps that run concurrently get their own scopes ({@linkcode sub}) so that every
 * party derives the same round keys whatever the timing.
 *
 * @example
 * ```ts
 * import { andBytes } from "./bit_ops.ts";
 * console.log(andBytes(2, 181, 1, 64)); // 1456: 181 planes of one word (32 elements)
 * ```
 * @module
 */
import type { Device, RingBuffer } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import { RingTensor } from "@sharetensor/core/ring";
import { numel, sameShape, type Shape } from "@sharetensor/core/shape";
import { Op } from "../runtime/op.ts";
import { openAll, peersOf } from "../runtime/open.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { beaverCombineMul } from "../kernels/beaver.ts";
import type { AndFn } from "./circuits.ts";
import { lowPlane, planeToTensor, strideOf, toPlanes, xorPlane } from "./planes.ts";

/** A child scope `label` of `op` (labels must be unique within one op). */
export function sub(op: Op, label: string): Op {
  return new Op(op.ctx, `${op.id}/${label}`, op.name);
}

/**
 * The host tensor behind `buf`, read-only: the CPU device's own buffer without a copy
 * (`read`), any other device's by `download`.
 */
export async function hostOf(d: Device, buf: RingBuffer): Promise<RingTensor> {
  const read = (d as { read?: (b: RingBuffer) => RingTensor }).read;
  return typeof read === "function" ? read.call(d, buf) : await d.download(buf);
}

/** Payload bytes one party sends for a round ANDing `planes` planes of `stride` words. */
export function andBytes(n: number, planes: number, stride: number, ring: Ring): number {
  const w32 = planes * stride;
  const words = ring === 64 ? Math.ceil(w32 / 2) : w32;
  return (n - 1) * 2 * words * ring / 8;
}

/** Payload bytes of a circuit with the given per-round plane counts. */
export function scheduleBytes(n: number, rounds: number[], stride: number, ring: Ring): number {
  return rounds.reduce((s, p) => s + andBytes(n, p, stride, ring), 0);
}

/** Payload bytes of opening a plane of `count` bits. */
export function openBytes(n: number, count: number): number {
  return (n - 1) * Math.ceil(count / 8);
}

function u32(t: RingTensor): Uint32Array {
  return new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length * t.ring / 32);
}

function aligned(b: Uint8Array, len32: number): Uint32Array {
  return b.byteOffset % 4 === 0
    ? new Uint32Array(b.buffer, b.byteOffset, len32)
    : new Uint32Array(b.slice(0, len32 * 4).buffer);
}

/** Calls `f` on chunks of [0, n): loops in small, often-called functions get optimized early. */
export function chunked(n: number, f: (lo: number, hi: number) => void, size = 8192): void {
  for (let lo = 0; lo < n; lo += size) f(lo, Math.min(n, lo + size));
}

/** o[oo + j] = x[j] ^ m[mo + j] for j in [lo, hi). */
function xorAt(
  o: Uint32Array,
  oo: number,
  x: Uint32Array,
  m: Uint32Array,
  mo: number,
  lo: number,
  hi: number,
): void {
  for (let j = lo; j < hi; j++) o[oo + j] = x[j] ^ m[mo + j];
}

/** z = c ^ e b ^ a f (^ e f on party 0), e and f the opened halves of `ef`. */
function andCombine(
  z: Uint32Array,
  ef: Uint32Array,
  len: number,
  a: Uint32Array,
  b: Uint32Array,
  c: Uint32Array,
  p0: boolean,
  lo: number,
  hi: number,
): void {
  for (let j = lo; j < hi; j++) {
    const e = ef[j];
    const f = ef[len + j];
    z[j] = c[j] ^ (e & b[j]) ^ (a[j] & f) ^ (p0 ? e & f : 0);
  }
}

/**
 * The AND round of `op`'s circuit: `and_bb`'s protocol (an AND triple over ring words,
 * open e = x ^ a and f = y ^ b in one message, z = c ^ e b ^ a f ^ e f on party 0) run on
 * the planes packed into ring words, computed on 32-bit words (V8's BigInt xor is ~10x
 * slower). Same triple, same messages, same cost as `and_bb` on the packed words.
 */
export function andFn(op: Op): AndFn {
  return async (xs, ys) => {
    const { ctx } = op;
    const { ring } = ctx;
    const d = ctx.device;
    const s = xs[0].length;
    const w32 = xs.length * s;
    const words = ring === 64 ? Math.ceil(w32 / 2) : w32;
    const len = words * ring / 32;
    // Keys taken before any await: they follow the circuit, not download timing.
    const round = op.round();
    const t = await ctx.dealer.andTriple(op.dealerKey(), [words], ring);
    const [a, b, c] = (await Promise.all([t.a, t.b, t.c].map((x) => hostOf(d, x)))).map(u32);
    const ef = new Uint32Array(2 * len);
    for (let i = 0; i < xs.length; i++) {
      chunked(s, (lo, hi) => xorAt(ef, i * s, xs[i], a, i * s, lo, hi));
      chunked(s, (lo, hi) => xorAt(ef, len + i * s, ys[i], b, i * s, lo, hi));
    }
    ef.set(a.subarray(w32, len), w32);
    ef.set(b.subarray(w32, len), len + w32);
    const peers = peersOf(ctx.rank, ctx.size);
    const bytes = new Uint8Array(ef.buffer);
    const got = await round.exchange(
      new Map(peers.map((p) => [p, [bytes]])),
      peers,
      shapeHash(ring, [[words]], "and_planes"),
    );
    for (const p of peers) {
      const g = aligned(got.get(p)!, 2 * len);
      chunked(2 * len, (lo, hi) => xorAt(ef, 0, g, ef, 0, lo, hi));
    }
    const z = new Uint32Array(w32);
    const p0 = ctx.rank === 0;
    chunked(w32, (lo, hi) => andCombine(z, ef, len, a, b, c, p0, lo, hi));
    return xs.map((_, i) => z.subarray(i * s, (i + 1) * s));
  };
}

/**
 * The circuit inputs of an arithmetic share: `ring` planes per party, this party's share
 * at its rank and zero planes elsewhere. `negLast` negates the last party's word first.
 */
export async function inputPlanes(
  x: SecretTensor,
  negLast = false,
  bits: number = x.ring,
): Promise<{ inputs: Uint32Array[][]; zero: Uint32Array }> {
  const { ctx } = x;
  const d = ctx.device;
  const own = negLast && ctx.rank === ctx.size - 1 ? d.neg(x.buf) : x.buf;
  const mine = toPlanes(await hostOf(d, own), bits);
  const zero = new Uint32Array(strideOf(x.size));
  const inputs: Uint32Array[][] = [];
  for (let p = 0; p < ctx.size; p++) inputs.push(p === ctx.rank ? mine : mine.map(() => zero));
  return { inputs, zero };
}

/** Opens a shared plane of `count` bits to everyone (one round, packed bits). */
export async function openPlane(op: Op, plane: Uint32Array, count: number): Promise<Uint32Array> {
  const { ctx } = op;
  const nb = Math.ceil(count / 8);
  const bytes = new Uint8Array(plane.buffer, plane.byteOffset, plane.byteLength).slice(0, nb);
  const peers = peersOf(ctx.rank, ctx.size);
  const got = await op.exchange(
    new Map(peers.map((p) => [p, [bytes]])),
    peers,
    shapeHash(ctx.ring, [[count]], "plane"),
  );
  const acc = new Uint8Array(plane.length * 4);
  acc.set(bytes);
  for (const p of peers) {
    const g = got.get(p)!;
    for (let i = 0; i < nb; i++) acc[i] ^= g[i];
  }
  return new Uint32Array(acc.buffer);
}

/** Dealer random bits r for `shape`: r's plane and its arithmetic share. */
export async function randPlane(
  op: Op,
  shape: Shape,
): Promise<{ plane: Uint32Array; arith: RingBuffer }> {
  const { ctx } = op;
  const r = await ctx.dealer.randBits(op.dealerKey(), shape, ctx.ring);
  return { plane: lowPlane(await hostOf(ctx.device, r.binary)), arith: r.arith };
}

/** A public 0/1 plane as a ring tensor of `shape` on the device. */
export function publicBits(op: Op, c: Uint32Array, shape: Shape): RingBuffer {
  return op.ctx.device.upload(planeToTensor(c, op.ctx.ring, shape));
}

/** Arithmetic shares (0 fractional bits) of the bits of a shared plane of `shape`. */
export async function b2aPlane(op: Op, plane: Uint32Array, shape: Shape): Promise<RingBuffer> {
  const { ctx } = op;
  const d = ctx.device;
  const r = await randPlane(op, shape);
  const c = publicBits(op, await openPlane(op, xorPlane(plane, r.plane), numel(shape)), shape);
  const z = d.sub(r.arith, d.mulScalar(d.mul(r.arith, c), 2n));
  return ctx.rank === 0 ? d.add(z, c) : z;
}

/** Rounds of {@linkcode MulBit} after the bit is known. */
export const MUL_BIT_ROUNDS = 1;

/** Payload bytes of {@linkcode MulBit} for a bit of `bits` elements and y of `ys` elements. */
export function mulBitBytes(n: number, bits: number, ys: number, ring: Ring): number {
  return (n - 1) * (bits + ys) * ring / 8 + openBytes(n, bits);
}

/**
 * b * y for a shared bit b (a plane over `bitShape`) and an arithmetic y whose shape
 * broadcasts with it. The constructor starts the Beaver product r * y (one round opening
 * r - A and y - B, which other work can share); `finish(b)` opens b ^ r (one round, in
 * parallel with the first if that is still under way) and combines locally.
 */
export class MulBit {
  readonly #op: Op;
  readonly #shape: Shape;
  readonly #y: SecretTensor;
  readonly #r: Promise<{ plane: Uint32Array; arith: RingBuffer }>;
  readonly #ry: Promise<RingBuffer>;

  /** Starts r * y in scope `op` (give it its own scope). */
  constructor(op: Op, bitShape: Shape, y: SecretTensor) {
    this.#op = op;
    this.#shape = bitShape;
    this.#y = y;
    const { ctx } = op;
    const d = ctx.device;
    const kr = op.dealerKey();
    const kt = op.dealerKey();
    const rp = (async () => {
      const r = await ctx.dealer.randBits(kr, bitShape, ctx.ring);
      return { plane: lowPlane(await hostOf(d, r.binary)), arith: r.arith };
    })();
    this.#r = rp;
    const masks = sub(op, "m");
    this.#ry = (async () => {
      const [r, t] = await Promise.all([
        rp,
        ctx.dealer.mulTriple(kt, bitShape, y.shape, ctx.ring),
      ]);
      const masked = [d.sub(r.arith, t.a), d.sub(y.buf, t.b)];
      const [e, f] = await openAll(masks, masked, "arithmetic");
      for (const m of masked) if (m !== e && m !== f) d.dispose(m);
      // one fused pass where the device has it (same shapes), else the generic finish
      const z = beaverCombineMul(op, e, f, t);
      d.dispose(e);
      d.dispose(f);
      return z;
    })();
  }

  /** b * y (with y's fractional bits) once the shared bit plane b is known. */
  async finish(b: Uint32Array): Promise<SecretTensor> {
    return (await this.#finish(b, false))[0];
  }

  /** [b * y, b] with b also as an arithmetic 0/1 (0 fractional bits), at no extra cost. */
  async finishWithBit(b: Uint32Array): Promise<[SecretTensor, SecretTensor]> {
    const [z, bit] = await this.#finish(b, true);
    return [z, bit!];
  }

  async #finish(b: Uint32Array, withBit: boolean): Promise<[SecretTensor, SecretTensor | null]> {
    const op = this.#op;
    const { ctx } = op;
    const d = ctx.device;
    const r = await this.#r;
    const [cp, ry] = await Promise.all([
      openPlane(sub(op, "c"), xorPlane(b, r.plane), numel(this.#shape)),
      this.#ry,
    ]);
    const c = publicBits(op, cp, this.#shape);
    // b y = c y + (1 - 2c) r y = r y + c y + c (-2 r y)
    const y = this.#y.buf;
    let z: RingBuffer;
    if (d.beaverMul && sameShape(c.shape, y.shape) && sameShape(ry.shape, y.shape)) {
      const m2 = d.mulScalar(ry, -2n);
      z = d.beaverMul(c, y, ry, c, m2, false); // ry + c y + c (-2 ry), one fused pass
      d.dispose(m2);
    } else {
      z = d.add(ry, d.mul(c, d.sub(y, d.mulScalar(ry, 2n))));
    }
    const out = new SecretTensor(ctx, "arithmetic", z, this.#y.fracBits);
    if (!withBit) return [out, null];
    // b = r + c - 2 c r
    let bit = d.sub(r.arith, d.mulScalar(d.mul(r.arith, c), 2n));
    if (ctx.rank === 0) bit = d.add(bit, c);
    return [out, new SecretTensor(ctx, "arithmetic", bit, 0)];
  }
}
