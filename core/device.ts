/**
 * The `Device` interface: a device owns memory and runs local ring kernels, bit-exact on
 * every device. Kernels are synchronous and return handles (a GPU queues the work); only
 * {@linkcode Device.download} waits. All arithmetic is mod 2^ring.
 *
 * Shapes follow NumPy/PyTorch: elementwise binary kernels broadcast, `matmul` broadcasts
 * batch dimensions, `conv2d` takes NCHW inputs and OIHW weights. Wrong shapes, mixed rings
 * and a buffer of another device are `TypeError`s that name the shapes.
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * const a = cpu.upload(RingTensor.fromBigInts([1n, 2n], [2]));
 * const b = cpu.mul(a, a);
 * console.log((await cpu.download(b)).toBigInts());
 * ```
 * @module
 */
import type { Ring, RingTensor } from "./ring.ts";
import type { Shape } from "./shape.ts";

/** A tensor resident on a device. Opaque apart from its ring, shape and owner. */
export interface RingBuffer {
  /** Ring size in bits. */
  readonly ring: Ring;
  /** Shape, outermost first. */
  readonly shape: Shape;
  /** Name of the device that owns the memory. */
  readonly deviceName: string;
}

/** Options of a 1-d or 2-d convolution; numbers apply to every spatial dimension. */
export interface ConvOptions {
  /** Stride per spatial dimension (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on both sides per spatial dimension (default 0). */
  padding?: number | readonly number[];
  /** Dilation per spatial dimension (default 1). */
  dilation?: number | readonly number[];
  /** Number of groups; channels in and out must divide by it (default 1). */
  groups?: number;
}

/**
 * An opened value for a fused Beaver finish: the tensor itself, or its two parts (this
 * party's masked share and the peer's), which the kernel adds as it reads them, so that the
 * opened value is never stored.
 *
 * @example
 * ```ts
 * import type { Opened } from "@sharetensor/core/device";
 * import { cpu } from "@sharetensor/core/cpu";
 * const mine = cpu.zeros([2], 64), peers = cpu.zeros([2], 64);
 * const e: Opened = [mine, peers];
 * console.log(Array.isArray(e)); // true
 * ```
 */
export type Opened = RingBuffer | readonly [RingBuffer, RingBuffer];

/** A device: memory plus the local ring kernels the protocols need. */
export interface Device {
  /** "cpu", "webgpu", ... */
  readonly name: string;

  /** Copies a host tensor to the device. */
  upload(t: RingTensor): RingBuffer;
  /** Copies a device tensor back to the host. */
  download(b: RingBuffer): Promise<RingTensor>;
  /** Releases device memory early (optional for the caller; GC reclaims it too). */
  dispose(b: RingBuffer): void;

  /** Zero tensor. */
  zeros(shape: Shape, ring: Ring): RingBuffer;
  /** Tensor with every element `v mod 2^ring`. */
  fill(shape: Shape, ring: Ring, v: bigint): RingBuffer;

  /** a + b, broadcasting. */
  add(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** a - b, broadcasting. */
  sub(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** -a. */
  neg(a: RingBuffer): RingBuffer;
  /** a * b elementwise, broadcasting. */
  mul(a: RingBuffer, b: RingBuffer): RingBuffer;
  /**
   * Optional fused finish of an elementwise Beaver product, all operands of one shape:
   * `c + e*b + a*f`, plus `e*f` when `withEf` (one pass instead of six kernels). Callers
   * fall back to `mul` and `add` on devices without it. `e` and `f` may each come as their
   * two parts (see {@linkcode Opened}).
   */
  beaverMul?(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: Opened,
    f: Opened,
    withEf: boolean,
  ): RingBuffer;
  /**
   * Optional fused finish of a Beaver matrix product: `c + e @ b + a @ f`, plus `e @ f`
   * when `withEf`, for `a`, `e` of one shape [..., m, k], `b`, `f` of one shape [k, n] (or
   * [k]) and `c` of the product's shape (two products' work in one pass, no temporaries).
   * Callers fall back to `matmul` and `add` on devices without it or for other shapes.
   */
  beaverMatmul?(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: RingBuffer,
    f: RingBuffer,
    withEf: boolean,
  ): RingBuffer;
  /**
   * Optional: `beaverMul` followed by the 2-party local truncation by `drop` bits, in one
   * pass: party 0 (which adds `e*f`) takes `z >> drop`, the other party `-((-z) >> drop)`
   * (arithmetic shifts). Callers fall back to `beaverMul` and the shifts without it. `e`
   * and `f` may come in parts as for `beaverMul`.
   */
  beaverMulTrunc?(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: Opened,
    f: Opened,
    party0: boolean,
    drop: number,
  ): RingBuffer;
  /**
   * Optional fused finish of a Beaver square with a square pair (a, c = a * a) and the
   * opened `e`, all of one shape: `c + 2*e*a`, plus `e*e` when `withEe` (the words of
   * `beaverMul(a, a, c, e, e, withEe)`, one multiplication per element). Callers fall back
   * to `beaverMul` or `mul` and `add` on devices without it. `e` may come as its two parts
   * (see {@linkcode Opened}).
   */
  beaverSquare?(a: RingBuffer, c: RingBuffer, e: Opened, withEe: boolean): RingBuffer;
  /**
   * Optional: `beaverSquare` followed by the 2-party local truncation by `drop` bits, in one
   * pass: party 0 (which adds `e*e`) takes `z >> drop`, the other party `-((-z) >> drop)`
   * (arithmetic shifts). Callers fall back to `beaverSquare` and the shifts without it.
   */
  beaverSquareTrunc?(
    a: RingBuffer,
    c: RingBuffer,
    e: Opened,
    party0: boolean,
    drop: number,
  ): RingBuffer;
  /** a * c for a public scalar c (taken mod 2^ring). */
  mulScalar(a: RingBuffer, c: bigint): RingBuffer;
  /** Batched matrix product [..., m, k] @ [..., k, n], batch dims broadcast; 1-d operands as in PyTorch. */
  matmul(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** conv1d of x [N, C, L] with w [O, C/groups, K]. */
  conv1d(x: RingBuffer, w: RingBuffer, opts?: ConvOptions): RingBuffer;
  /** conv2d of x [N, C, H, W] with w [O, C/groups, KH, KW]. */
  conv2d(x: RingBuffer, w: RingBuffer, opts?: ConvOptions): RingBuffer;
  /** Sum over `dims` (all when omitted), keeping them as size 1 when `keepDims`. */
  sum(a: RingBuffer, dims?: readonly number[], keepDims?: boolean): RingBuffer;

  /** a << k (0 <= k < ring). */
  shl(a: RingBuffer, k: number): RingBuffer;
  /** Arithmetic (sign-filling) a >> k. */
  sar(a: RingBuffer, k: number): RingBuffer;
  /** Logical (zero-filling) a >> k. */
  shr(a: RingBuffer, k: number): RingBuffer;
  /** Bitwise and, broadcasting. */
  and(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** Bitwise or, broadcasting. */
  or(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** Bitwise xor, broadcasting. */
  xor(a: RingBuffer, b: RingBuffer): RingBuffer;
  /** Bitwise not. */
  not(a: RingBuffer): RingBuffer;
  /** Bit k of each element, as 0 or 1. */
  bit(a: RingBuffer, k: number): RingBuffer;

  /** Same elements, new shape of equal size (one dim may be -1). */
  reshape(a: RingBuffer, shape: Shape): RingBuffer;
  /** Dimensions reordered by `perm`. */
  permute(a: RingBuffer, perm: readonly number[]): RingBuffer;
  /** Swaps two dimensions (the last two by default). */
  transpose(a: RingBuffer, d0?: number, d1?: number): RingBuffer;
  /** Sub-tensor starting at `begin` with sizes `size` (-1: to the end). */
  slice(a: RingBuffer, begin: readonly number[], size: readonly number[]): RingBuffer;
  /** Concatenation along `axis`. */
  concat(list: readonly RingBuffer[], axis: number): RingBuffer;
  /** Stacks equal shapes along a new `axis`. */
  stack(list: readonly RingBuffer[], axis: number): RingBuffer;
  /** Zero (or `value`) padding: `pads[i] = [before, after]` for dim i. */
  pad(a: RingBuffer, pads: readonly (readonly [number, number])[], value?: bigint): RingBuffer;
  /** Index-select along `axis` with integer indices (negative ones count from the end). */
  gather(a: RingBuffer, indices: ArrayLike<number>, axis: number): RingBuffer;
  /** Broadcasts to `shape` (materialised). */
  expand(a: RingBuffer, shape: Shape): RingBuffer;
}
