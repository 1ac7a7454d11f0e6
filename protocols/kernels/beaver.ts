/**
 * Shared steps of the Beaver-triple products (Beaver, CRYPTO 1991): for a bilinear op `∘`
 * and a triple `c = a ∘ b`, the parties open `e = x - a` and `f = y - b`, and each sets
 * `z_i = c_i + e ∘ b_i + a_i ∘ f (+ e ∘ f on party 0)`, so that `sum z_i = x ∘ y`.
 * Then the product's fractional bits are truncated back to the context's precision.
 *
 * @example
 * ```ts
 * import { productFracBits } from "./beaver.ts";
 * console.log(productFracBits(16, 16, 16)); // { fracBits: 16, drop: 16 }
 * ```
 * @module
 */
import type { Device, RingBuffer } from "@sharetensor/core/device";
import { numel, sameShape } from "@sharetensor/core/shape";
import { splitTensors } from "../runtime/frame.ts";
import { adopt } from "../runtime/host.ts";
import type { Op } from "../runtime/op.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { truncBytes, truncRounds, truncShare } from "./trunc_a.ts";

/** A bilinear op on device buffers. */
export type Bilinear = (u: RingBuffer, v: RingBuffer) => RingBuffer;

/**
 * Precision of a product of operands with `fx` and `fy` fractional bits: exact when one is
 * an integer (0) or the sum fits the context's `ctxF`; otherwise truncated to `ctxF`.
 *
 * @example
 * ```ts
 * import { productFracBits } from "./beaver.ts";
 * console.log(productFracBits(16, 0, 16)); // { fracBits: 16, drop: 0 }
 * ```
 */
export function productFracBits(
  ctxF: number,
  fx: number,
  fy: number,
): { fracBits: number; drop: number } {
  const f = fx + fy;
  if (fx === 0 || fy === 0 || f <= ctxF) return { fracBits: f, drop: 0 };
  return { fracBits: ctxF, drop: f - ctxF };
}

/**
 * `c + e∘b + a∘f (+ e∘f on party 0)`.
 *
 * @example
 * ```ts
 * import { beaverCombine } from "./beaver.ts";
 * console.log(typeof beaverCombine);
 * ```
 */
export function beaverCombine(
  op: Op,
  prod: Bilinear,
  e: RingBuffer,
  f: RingBuffer,
  t: { a: RingBuffer; b: RingBuffer; c: RingBuffer },
): RingBuffer {
  const d = op.ctx.device;
  // Party 0 adds e∘f too, without a third product (bilinearity): e∘(b + f) + a∘f or
  // e∘b + (e + a)∘f, whichever adds the smaller operands (a weight is often larger than
  // the activation it multiplies, or the other way round for a convolution).
  let left = t.a, right = t.b;
  if (op.ctx.rank === 0) {
    if (numel(e.shape) <= numel(f.shape)) left = d.add(e, t.a);
    else right = d.add(t.b, f);
  }
  const eb = prod(e, right), af = prod(left, f);
  if (left !== t.a) d.dispose(left);
  if (right !== t.b) d.dispose(right);
  const z = d.add(eb, af);
  d.dispose(eb);
  d.dispose(af);
  const out = d.add(t.c, z);
  d.dispose(z);
  return out;
}

/**
 * {@linkcode beaverCombine} for the elementwise product: one fused device pass
 * (`Device.beaverMul`) when the device has it and every operand has one shape, the separate
 * kernels otherwise.
 *
 * @example
 * ```ts
 * import { beaverCombineMul } from "./beaver.ts";
 * console.log(typeof beaverCombineMul);
 * ```
 */
export function beaverCombineMul(
  op: Op,
  e: RingBuffer,
  f: RingBuffer,
  t: { a: RingBuffer; b: RingBuffer; c: RingBuffer },
): RingBuffer {
  const d = op.ctx.device;
  const same = [t.a, t.b, t.c, f].every((b) => sameShape(b.shape, e.shape));
  if (d.beaverMul && same) return d.beaverMul(t.a, t.b, t.c, e, f, op.ctx.rank === 0);
  return beaverCombine(op, (u, v) => d.mul(u, v), e, f, t);
}

/**
 * {@linkcode beaverCombine} for the matrix product: one fused device pass
 * (`Device.beaverMatmul`: both products as one GEMM, `c` added as it is read out) when the
 * device has it and the right operand is one matrix, the separate kernels otherwise.
 *
 * @example
 * ```ts
 * import { beaverCombineMatmul } from "./beaver.ts";
 * console.log(typeof beaverCombineMatmul);
 * ```
 */
export function beaverCombineMatmul(
  op: Op,
  e: RingBuffer,
  f: RingBuffer,
  t: { a: RingBuffer; b: RingBuffer; c: RingBuffer },
): RingBuffer {
  const d = op.ctx.device;
  const fits = sameShape(t.a.shape, e.shape) && sameShape(t.b.shape, f.shape) &&
    t.b.shape.length === 2 && e.shape.length >= 1;
  if (d.beaverMatmul && fits) return d.beaverMatmul(t.a, t.b, t.c, e, f, op.ctx.rank === 0);
  return beaverCombine(op, (u, v) => d.matmul(u, v), e, f, t);
}

/**
 * Disposes the buffers in `temps` that the kernel created and no longer needs, skipping
 * any that is also in `keep` (the same handle returned as a result, say).
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { disposeTemps } from "./beaver.ts";
 * disposeTemps(cpu, [cpu.zeros([2], 64)]);
 * ```
 */
export function disposeTemps(
  d: Device,
  temps: readonly RingBuffer[],
  keep: readonly RingBuffer[] = [],
): void {
  for (const t of temps) if (!keep.includes(t)) d.dispose(t);
}

/**
 * Wraps a product share `z` of operands with `fx`, `fy` fractional bits, truncating it.
 *
 * @example
 * ```ts
 * import { finishProduct } from "./beaver.ts";
 * console.log(typeof finishProduct);
 * ```
 */
export async function finishProduct(
  op: Op,
  z: RingBuffer,
  fx: number,
  fy: number,
): Promise<SecretTensor> {
  const { fracBits, drop } = productFracBits(op.ctx.fracBits, fx, fy);
  const buf = drop > 0 ? await truncShare(op, z, drop) : z;
  if (buf !== z) op.ctx.device.dispose(z);
  return new SecretTensor(op.ctx, "arithmetic", buf, fracBits);
}

/**
 * Extra rounds of the truncation after a product.
 *
 * @example
 * ```ts
 * import { productTruncRounds } from "./beaver.ts";
 * console.log(productTruncRounds(3, 16, 16, 16)); // 1
 * ```
 */
export function productTruncRounds(n: number, ctxF: number, fx: number, fy: number): number {
  return productFracBits(ctxF, fx, fy).drop > 0 ? truncRounds(n) : 0;
}

/**
 * Extra payload bytes of the truncation after a product of `count` elements.
 *
 * @example
 * ```ts
 * import { productTruncBytes } from "./beaver.ts";
 * console.log(productTruncBytes(2, 16, 16, 16, 100, 64)); // 0
 * ```
 */
export function productTruncBytes(
  n: number,
  ctxF: number,
  fx: number,
  fy: number,
  count: number,
  ring: number,
): number {
  return productFracBits(ctxF, fx, fy).drop > 0 ? truncBytes(n, count, ring) : 0;
}

/**
 * The opening of `masked` between 2 parties, stopped short of the sums: one round with the
 * words and header of `openAll(op, masked, "arithmetic")` (same messages, same checks),
 * resolving with the peer's parts, which a fused finish adds to `masked` as it reads them
 * (`Opened` in `core/device.ts`: no pass and no tensor for the opened values). The parts
 * are views into the received message (on the CPU device); dispose them with `masked`.
 *
 * @example
 * ```ts
 * import type { Op } from "../runtime/op.ts";
 * import type { RingBuffer } from "@sharetensor/core/device";
 * import { peerParts } from "./beaver.ts";
 * async function opened(op: Op, m: RingBuffer) {
 *   const [theirs] = await peerParts(op, [m]);
 *   return [m, theirs] as const; // e = m + theirs
 * }
 * console.log(typeof opened);
 * ```
 */
export async function peerParts(op: Op, masked: readonly RingBuffer[]): Promise<RingBuffer[]> {
  const { rank, size, ring, device } = op.ctx;
  if (size !== 2) throw new RangeError(`peerParts: 2 parties only, got ${size}`);
  const peer = 1 - rank;
  const shapes = masked.map((m) => m.shape);
  const round = op.round(); // before the download: keys in issue order
  const parts = await op.bytesOf(masked);
  const got = await round.exchange(
    new Map([[peer, parts]]),
    [peer],
    shapeHash(ring, shapes, "arithmetic|"),
  );
  return splitTensors(got.get(peer)!, ring, shapes).map((t) => adopt(device, t));
}
