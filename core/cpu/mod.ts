/**
 * The CPU device: every {@linkcode Device} kernel over host memory, bit-exact mod 2^64
 * (`BigUint64Array`) and mod 2^32 (`Uint32Array`). Its buffers are plain
 * {@linkcode RingTensor}s (their `deviceName` is `"cpu"`): `upload` copies, `download`
 * returns a copy, and {@linkcode CpuDevice.read} gives the result synchronously.
 *
 * Where the time goes: elementwise kernels are flat loops that V8 compiles to native
 * 64-bit code (`elementwise.ts`); shifts, bit tests and layout copies work on 32-bit words
 * (`bitwise.ts`, `strided.ts`); matmul and conv (im2col) run a register-blocked
 * WebAssembly SIMD GEMM that is assembled at startup (`gemm_wasm.ts`, `wasm_emit.ts`),
 * ~4x (Z_2^64) and ~20x (Z_2^32) faster than the best plain JS loops. On one core of the
 * 2-vCPU dev VM (Zen 5, Deno 2.9.6, quiet machine) Z_2^64 mul of 1M elements takes ~1.4 ms,
 * [256,256] @ [256,256] ~5.5 ms (Z_2^32: ~0.9 ms), [128,768] @ [768,768] ~19.5 ms (~4.2 ms)
 * and LeNet's first conv2d on a batch of 64 ~7.7 ms (~2.7 ms); see the `*_bench.ts` files.
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * const a = cpu.upload(RingTensor.fromBigInts([1n, 2n, 3n], [3]));
 * const b = cpu.mulScalar(cpu.add(a, a), -1n);
 * console.log(cpu.read(b).toBigInts(true)); // [-2n, -4n, -6n]
 * ```
 * @module
 */
import type { ConvOptions, Device, Opened, RingBuffer } from "../device.ts";
import { assertRing, type Ring, RingTensor } from "../ring.ts";
import type { Shape } from "../shape.ts";
import { beaverMatmul } from "./beaver_matmul.ts";
import { beaverMul, beaverMulTrunc } from "./beaver_mul.ts";
import { beaverSquare, beaverSquareTrunc } from "./beaver_square.ts";
import { bit, shift } from "./bitwise.ts";
import { asCpu, checkShape } from "./check.ts";
import { conv1d, conv2d } from "./conv.ts";
import { binary, mulScalar, neg, not } from "./elementwise.ts";
import * as layout from "./layout.ts";
import { matmul } from "./matmul.ts";
import { type Alloc, BufferPool, type BufferPoolOptions } from "./pool.ts";
import { sum } from "./reduce.ts";

/**
 * The CPU implementation of {@linkcode Device}. Kernels run synchronously on the calling
 * thread and return fresh tensors; inputs are never modified or aliased.
 *
 * @example
 * ```ts
 * import { CpuDevice } from "@sharetensor/core/cpu";
 * const dev = new CpuDevice();
 * console.log(dev.read(dev.fill([2], 32, -1n)).toBigInts()); // [4294967295n, 4294967295n]
 * ```
 */
export class CpuDevice implements Device {
  /** Always `"cpu"`. */
  readonly name = "cpu";
  /** Where kernel outputs come from and disposed buffers go back to. */
  readonly pool: BufferPool;
  readonly #alloc: Alloc;

  /** A device with its own buffer pool (`pool` options; see {@linkcode BufferPool}). */
  constructor(opts: { pool?: BufferPoolOptions } = {}) {
    const pool = new BufferPool(opts.pool);
    this.pool = pool;
    this.#alloc = (ring, shape, zero) => pool.alloc(ring, shape, zero);
  }

  /** A copy of `t` owned by the device. */
  upload(t: RingTensor): RingTensor {
    if (!(t instanceof RingTensor)) {
      throw new TypeError(
        `upload: expected a RingTensor, got ${
          (t as unknown as object)?.constructor?.name ?? typeof t
        }`,
      );
    }
    const out = this.#alloc(t.ring, t.shape, false);
    (out.data as Uint32Array).set(t.data as Uint32Array);
    return out;
  }
  /** A copy of `b` on the host (resolved at once). */
  download(b: RingBuffer): Promise<RingTensor> {
    try {
      return Promise.resolve(asCpu(b, "download").clone());
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** The tensor behind `b` itself, synchronously (no copy: do not modify it). */
  read(b: RingBuffer): RingTensor {
    return asCpu(b, "read");
  }
  /**
   * Gives `b`'s storage back to the pool when the device allocated it (no-op otherwise and
   * on a second call). `b` must not be used afterwards.
   */
  dispose(b: RingBuffer): void {
    this.pool.release(asCpu(b, "dispose"));
  }

  /** Zero tensor. */
  zeros(shape: Shape, ring: Ring): RingTensor {
    checkShape(shape, "zeros");
    assertRing(ring);
    return this.#alloc(ring, shape, true);
  }
  /** Every element `v mod 2^ring`. */
  fill(shape: Shape, ring: Ring, v: bigint): RingTensor {
    const t = this.zeros(shape, ring);
    if (typeof v !== "bigint") throw new TypeError(`fill: v must be a bigint, got ${typeof v}`);
    if (t.data instanceof BigUint64Array) t.data.fill(BigInt.asUintN(64, v));
    else t.data.fill(Number(BigInt.asUintN(32, v)));
    return t;
  }

  /** a + b, broadcasting. */
  add(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("add", a, b, this.#alloc);
  }
  /** a - b, broadcasting. */
  sub(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("sub", a, b, this.#alloc);
  }
  /** -a. */
  neg(a: RingBuffer): RingTensor {
    return neg(a, this.#alloc);
  }
  /** a * b elementwise, broadcasting. */
  mul(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("mul", a, b, this.#alloc);
  }
  /** Fused Beaver finish `c + e*b + a*f (+ e*f)` over equal shapes. */
  beaverMul(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: Opened,
    f: Opened,
    withEf: boolean,
  ): RingTensor {
    return beaverMul(a, b, c, e, f, withEf, this.#alloc);
  }
  /** Fused Beaver finish with the 2-party truncation by `drop` bits (see `beaver_mul.ts`). */
  beaverMulTrunc(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: Opened,
    f: Opened,
    party0: boolean,
    drop: number,
  ): RingTensor {
    return beaverMulTrunc(a, b, c, e, f, party0, drop, this.#alloc);
  }
  /** Fused Beaver square finish `c + 2*e*a (+ e*e)` over equal shapes (see `beaver_square.ts`). */
  beaverSquare(a: RingBuffer, c: RingBuffer, e: Opened, withEe: boolean): RingTensor {
    return beaverSquare(a, c, e, withEe, this.#alloc);
  }
  /** Fused Beaver square finish with the 2-party truncation by `drop` bits. */
  beaverSquareTrunc(
    a: RingBuffer,
    c: RingBuffer,
    e: Opened,
    party0: boolean,
    drop: number,
  ): RingTensor {
    return beaverSquareTrunc(a, c, e, party0, drop, this.#alloc);
  }
  /** Fused Beaver matrix finish `c + e@b + a@f (+ e@f)`, b at most 2-d (see `beaver_matmul.ts`). */
  beaverMatmul(
    a: RingBuffer,
    b: RingBuffer,
    c: RingBuffer,
    e: RingBuffer,
    f: RingBuffer,
    withEf: boolean,
  ): RingTensor {
    return beaverMatmul(a, b, c, e, f, withEf, this.#alloc);
  }
  /** a * c for a public scalar c. */
  mulScalar(a: RingBuffer, c: bigint): RingTensor {
    return mulScalar(a, c, this.#alloc);
  }
  /** PyTorch `matmul` mod 2^ring. */
  matmul(a: RingBuffer, b: RingBuffer): RingTensor {
    return matmul(a, b, this.#alloc);
  }
  /** conv1d of x [N, C, L] with w [O, C/groups, K]. */
  conv1d(x: RingBuffer, w: RingBuffer, opts?: ConvOptions): RingTensor {
    return conv1d(x, w, opts);
  }
  /** conv2d of x [N, C, H, W] with w [O, C/groups, KH, KW]. */
  conv2d(x: RingBuffer, w: RingBuffer, opts?: ConvOptions): RingTensor {
    return conv2d(x, w, opts);
  }
  /** Sum over `dims` (all when omitted; `[]` reduces none), size-1 dims kept when `keepDims`. */
  sum(a: RingBuffer, dims?: readonly number[], keepDims?: boolean): RingTensor {
    return sum(a, dims, keepDims);
  }

  /** a << k. */
  shl(a: RingBuffer, k: number): RingTensor {
    return shift("shl", a, k, this.#alloc);
  }
  /** Arithmetic a >> k. */
  sar(a: RingBuffer, k: number): RingTensor {
    return shift("sar", a, k, this.#alloc);
  }
  /** Logical a >> k. */
  shr(a: RingBuffer, k: number): RingTensor {
    return shift("shr", a, k, this.#alloc);
  }
  /** Bitwise and, broadcasting. */
  and(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("and", a, b, this.#alloc);
  }
  /** Bitwise or, broadcasting. */
  or(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("or", a, b, this.#alloc);
  }
  /** Bitwise xor, broadcasting. */
  xor(a: RingBuffer, b: RingBuffer): RingTensor {
    return binary("xor", a, b, this.#alloc);
  }
  /** Bitwise not. */
  not(a: RingBuffer): RingTensor {
    return not(a, this.#alloc);
  }
  /** Bit k as 0 or 1. */
  bit(a: RingBuffer, k: number): RingTensor {
    return bit(a, k, this.#alloc);
  }

  /** Copy with a new shape of equal size (one dim may be -1). */
  reshape(a: RingBuffer, shape: Shape): RingTensor {
    return layout.reshape(a, shape, this.#alloc);
  }
  /** Dimensions reordered by `perm`. */
  permute(a: RingBuffer, perm: readonly number[]): RingTensor {
    return layout.permute(a, perm, this.#alloc);
  }
  /** Swaps two dims (the last two by default). */
  transpose(a: RingBuffer, d0?: number, d1?: number): RingTensor {
    return layout.transpose(a, d0, d1, this.#alloc);
  }
  /** Sub-tensor at `begin` of sizes `size` (-1: to the end). */
  slice(a: RingBuffer, begin: readonly number[], size: readonly number[]): RingTensor {
    return layout.slice(a, begin, size, this.#alloc);
  }
  /** Concatenation along `axis`. */
  concat(list: readonly RingBuffer[], axis: number): RingTensor {
    return layout.concat(list, axis, this.#alloc);
  }
  /** Stack along a new `axis`. */
  stack(list: readonly RingBuffer[], axis: number): RingTensor {
    return layout.stack(list, axis, this.#alloc);
  }
  /** Constant padding, `pads[i] = [before, after]`. */
  pad(a: RingBuffer, pads: readonly (readonly [number, number])[], value?: bigint): RingTensor {
    return layout.pad(a, pads, value, this.#alloc);
  }
  /** Index-select along `axis`. */
  gather(a: RingBuffer, indices: ArrayLike<number>, axis: number): RingTensor {
    return layout.gather(a, indices, axis, this.#alloc);
  }
  /** Materialised broadcast to `shape`. */
  expand(a: RingBuffer, shape: Shape): RingTensor {
    return layout.expand(a, shape, this.#alloc);
  }
}

function poisonFromEnv(): boolean {
  const name = "SHARETENSOR_POOL_POISON";
  try {
    const d = globalThis.Deno;
    if (d?.permissions.querySync({ name: "env", variable: name }).state !== "granted") return false;
    return d.env.get(name) === "1";
  } catch {
    return false; // no env permission
  }
}

/**
 * The shared CPU device (one instance serves every context; when the environment variable
 * `SHARETENSOR_POOL_POISON` is `1`, its pool takes buffers of every size and poisons them on
 * dispose).
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * console.log(cpu.name); // "cpu"
 * ```
 */
export const cpu: CpuDevice = new CpuDevice({
  pool: poisonFromEnv() ? { poison: true, minBytes: 0 } : {},
});
