/**
 * The WebGPU {@linkcode Device}: every ring kernel of the interface in WGSL, bit-exact
 * with the CPU device, over Z_2^64 (u32 pairs) and Z_2^32 (u32). Kernels record work and
 * return at once; {@linkcode WebGpuDevice.download} submits and waits.
 *
 * Small tensors stay on the host and run on the CPU kernels while every input is below
 * `cpuFallbackBelow` elements: a dispatch and its readback cost more than the work.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice } from "@sharetensor/gpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * if (navigator.gpu && await navigator.gpu.requestAdapter()) {
 *   const gpu = await createWebGpuDevice({ cpuFallbackBelow: 0 });
 *   const a = gpu.upload(RingTensor.fromBigInts([3n, -2n], [2]));
 *   console.log((await gpu.download(gpu.mul(a, a))).toBigInts()); // [9n, 4n]
 * }
 * ```
 * @module
 */
import { cpu } from "@sharetensor/core/cpu";
import type { ConvOptions, Device, RingBuffer } from "@sharetensor/core/device";
import { assertRing, type Ring, RingTensor } from "@sharetensor/core/ring";
import {
  broadcastShapes,
  broadcastStrides,
  fmtShape,
  numel,
  type Shape,
} from "@sharetensor/core/shape";
import { type BinaryOp, binaryProgram } from "./kernels/elementwise.ts";
import { type UnaryOp, unaryProgram } from "./kernels/unary.ts";
import type { MatmulStrategy } from "./kernels/matmul.ts";
import { checkShape } from "@sharetensor/core/plans";
import * as ops from "./compute_ops.ts";
import type { GpuRuntime } from "./runtime.ts";
import { GpuStorage, GpuTensor } from "./tensor.ts";
import * as layout from "./layout_ops.ts";

/** Options of {@linkcode createWebGpuDevice}. */
export interface WebGpuDeviceOptions {
  /**
   * Tensors with fewer elements stay on the host and ops whose inputs all do run on the
   * CPU kernels (0: everything on the GPU, as the tests use).
   */
  cpuFallbackBelow?: number;
  /** Adapter to use (default: `navigator.gpu.requestAdapter()`). */
  adapter?: GPUAdapter;
  /**
   * Matmul kernel: `"tiled"` (workgroup memory; default on hardware GPUs) or `"register"`
   * (default on software adapters such as llvmpipe, where it is several times faster).
   */
  matmul?: MatmulStrategy;
}

/**
 * Validated options: `RangeError` for a negative or fractional `cpuFallbackBelow`,
 * `TypeError` for an unknown matmul strategy.
 *
 * @example
 * ```ts
 * import { checkDeviceOptions } from "./device.ts";
 * console.log(checkDeviceOptions({}).cpuFallbackBelow); // 32768
 * ```
 */
export function checkDeviceOptions(
  opts: WebGpuDeviceOptions,
): { cpuFallbackBelow: number; matmul?: MatmulStrategy } {
  const t = opts.cpuFallbackBelow ?? DEFAULT_CPU_FALLBACK_BELOW;
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new RangeError(`cpuFallbackBelow must be an integer >= 0, got ${t}`);
  }
  const m = opts.matmul;
  if (m !== undefined && m !== "tiled" && m !== "register") {
    throw new TypeError(`matmul must be "tiled" or "register", got ${m}`);
  }
  return { cpuFallbackBelow: t, matmul: m };
}

/** True for software adapters (llvmpipe, lavapipe, SwiftShader, WARP). */
export function isSoftwareAdapter(info: GPUAdapterInfo): boolean {
  const fb = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return fb === true || /llvmpipe|lavapipe|swiftshader|warp/i.test(info.description);
}

/**
 * Default of `cpuFallbackBelow` (elements). Measured on llvmpipe (2 cores): a queued
 * dispatch costs ~0.7 ms and a readback ~12 ms, while the CPU device multiplies 16K
 * elements of Z_2^64 in ~0.4 ms and 64K in ~2-3 ms; pipelined GPU work wins from ~32K.
 */
export const DEFAULT_CPU_FALLBACK_BELOW = 1 << 15;

/** The WebGPU device (see the module docs). Create it with `createWebGpuDevice`. */
export class WebGpuDevice implements Device {
  /** Always "webgpu". */
  readonly name = "webgpu";
  /** The runtime (pipelines, pool, command batching). */
  readonly runtime: GpuRuntime;
  /** Element count below which host tensors stay on the CPU kernels. */
  readonly cpuFallbackBelow: number;
  /** Matmul strategy in use. */
  readonly matmulStrategy: MatmulStrategy;
  readonly #token = {};
  readonly #gc: FinalizationRegistry<GpuStorage>;

  /** Wraps a runtime; prefer `createWebGpuDevice`. */
  constructor(runtime: GpuRuntime, opts: WebGpuDeviceOptions = {}) {
    this.runtime = runtime;
    const o = checkDeviceOptions(opts);
    this.cpuFallbackBelow = o.cpuFallbackBelow;
    this.matmulStrategy = o.matmul ??
      (isSoftwareAdapter(runtime.adapterInfo) ? "register" : "tiled");
    this.#gc = new FinalizationRegistry((s) => this.#unref(s));
  }

  /** The adapter's info (vendor, architecture, device, description), for bench records. */
  get adapterInfo(): GPUAdapterInfo {
    return this.runtime.adapterInfo;
  }

  // ---- handles -------------------------------------------------------------------------

  /** @internal The handle `b` as this device's tensor; `TypeError` otherwise. */
  t(b: RingBuffer, op: string): GpuTensor {
    if (!(b instanceof GpuTensor) || b.owner !== this.#token) {
      const shape = Array.isArray(b?.shape) ? fmtShape(b.shape) : "?";
      const who = b instanceof GpuTensor ? "another webgpu device" : `device "${b?.deviceName}"`;
      throw new TypeError(`${op}: buffer ${shape} belongs to ${who}, not to this "webgpu" device`);
    }
    if (b.disposed) throw new TypeError(`${op}: buffer ${fmtShape(b.shape)} was disposed`);
    return b;
  }

  /** @internal Two tensors of this device over one ring. */
  pair(a: RingBuffer, b: RingBuffer, op: string): [GpuTensor, GpuTensor] {
    const x = this.t(a, op), y = this.t(b, op);
    if (x.ring !== y.ring) {
      throw new TypeError(
        `${op}: mixed rings Z_2^${x.ring} ${fmtShape(x.shape)} and Z_2^${y.ring} ${
          fmtShape(y.shape)
        }`,
      );
    }
    return [x, y];
  }

  /** @internal True when every input is a small host tensor: run the CPU kernel. */
  onHost(ts: readonly GpuTensor[]): boolean {
    return this.cpuFallbackBelow > 0 && ts.every((t) => t.host && t.size < this.cpuFallbackBelow);
  }

  /** @internal Wraps a host result of the CPU kernels. */
  fromHost(r: RingTensor): GpuTensor {
    return new GpuTensor(this.#token, r.ring, r.shape, null, r);
  }

  /** @internal A new GPU tensor (contents undefined; no buffer when empty). */
  alloc(ring: Ring, shape: Shape): GpuTensor {
    const words = numel(shape) * (ring === 64 ? 2 : 1);
    const s = new GpuStorage(words === 0 ? null : this.runtime.alloc(words * 4));
    const t = new GpuTensor(this.#token, ring, shape, s, null);
    if (s.buffer) this.#gc.register(t, s, t);
    return t;
  }

  /** @internal A new handle of another shape on the same storage (or host data). */
  view(a: GpuTensor, shape: Shape): GpuTensor {
    const t = new GpuTensor(
      this.#token,
      a.ring,
      shape,
      a.storage,
      a.host?.withShape(shape) ?? null,
    );
    if (a.storage) {
      a.storage.refs++;
      if (a.storage.buffer) this.#gc.register(t, a.storage, t);
    }
    return t;
  }

  /** @internal The GPU buffer of `t`, copying a host tensor up first (null when empty). */
  buf(t: GpuTensor): GPUBuffer {
    if (!t.storage) {
      const d = t.host!.data;
      const words = d instanceof Uint32Array
        ? d
        : new Uint32Array(d.buffer, d.byteOffset, d.length * 2);
      t.storage = new GpuStorage(words.length === 0 ? null : this.runtime.uploadWords(words));
      if (t.storage.buffer) this.#gc.register(t, t.storage, t);
    }
    return t.storage.buffer!;
  }

  /** @internal Drops an intermediate tensor right away. */
  drop(t: GpuTensor): void {
    this.dispose(t);
  }

  #unref(s: GpuStorage): void {
    if (--s.refs === 0 && s.buffer) {
      this.runtime.release(s.buffer);
      s.buffer = null;
    }
  }

  // ---- memory --------------------------------------------------------------------------

  /** Copies a host tensor to the device (kept on the host below `cpuFallbackBelow`). */
  upload(t: RingTensor): RingBuffer {
    if (!(t instanceof RingTensor)) {
      throw new TypeError(
        `upload: expected a RingTensor, got ${
          (t as unknown as object)?.constructor?.name ?? typeof t
        }`,
      );
    }
    const h = t.clone();
    const g = this.fromHost(h);
    if (!(this.cpuFallbackBelow > 0 && h.size < this.cpuFallbackBelow)) {
      this.buf(g);
      g.host = null;
    }
    return g;
  }

  /** Waits for the queued work and copies `b` back to the host. */
  async download(b: RingBuffer): Promise<RingTensor> {
    const t = this.t(b, "download");
    if (t.host) return t.host.clone();
    if (t.size === 0) return new RingTensor(t.ring, t.shape);
    const bytes = await this.runtime.read(t.storage!.buffer!, t.words * 4);
    return new RingTensor(
      t.ring,
      t.shape,
      t.ring === 64 ? new BigUint64Array(bytes) : new Uint32Array(bytes),
    );
  }

  /** Releases the handle's memory to the pool; later use of `b` is a `TypeError`. */
  dispose(b: RingBuffer): void {
    const t = this.t(b, "dispose");
    t.disposed = true;
    t.host = null;
    if (t.storage) {
      this.#gc.unregister(t);
      this.#unref(t.storage);
    }
  }

  /** Zero tensor. */
  zeros(shape: Shape, ring: Ring): RingBuffer {
    checkShape(shape, "zeros");
    assertRing(ring);
    if (this.cpuFallbackBelow > 0 && numel(shape) < this.cpuFallbackBelow) {
      return this.fromHost(cpu.zeros(shape, ring));
    }
    const out = this.alloc(ring, shape);
    if (out.size > 0) this.runtime.clear(this.buf(out), out.words * 4);
    return out;
  }

  /** Every element `v mod 2^ring`. */
  fill(shape: Shape, ring: Ring, v: bigint): RingBuffer {
    checkShape(shape, "fill");
    assertRing(ring);
    if (typeof v !== "bigint") throw new TypeError(`fill: v must be a bigint, got ${typeof v}`);
    if (this.cpuFallbackBelow > 0 && numel(shape) < this.cpuFallbackBelow) {
      return this.fromHost(cpu.fill(shape, ring, v));
    }
    const out = this.alloc(ring, shape);
    if (out.size > 0) {
      this.runtime.run(unaryProgram("fill", ring, this.buf(out), null, out.size, v));
    }
    return out;
  }

  // ---- elementwise ---------------------------------------------------------------------

  #binary(op: BinaryOp, a: RingBuffer, b: RingBuffer): RingBuffer {
    const [x, y] = this.pair(a, b, op);
    if (this.onHost([x, y])) return this.fromHost(cpu[op](x.host!, y.host!));
    let shape: number[];
    try {
      shape = broadcastShapes(x.shape, y.shape);
    } catch (e) {
      throw new TypeError(
        `${op}: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} do not broadcast`,
        {
          cause: e,
        },
      );
    }
    const out = this.alloc(x.ring, shape);
    if (out.size === 0) return out;
    const sa = broadcastStrides(x.shape, shape), sb = broadcastStrides(y.shape, shape);
    this.runtime.run(
      binaryProgram(op, x.ring, this.buf(out), this.buf(x), this.buf(y), shape, sa, sb),
    );
    return out;
  }

  #unary(op: UnaryOp, a: RingBuffer, arg: number | bigint, name: string): RingBuffer {
    const x = this.t(a, name);
    if (op === "shl" || op === "shr" || op === "sar" || op === "bit") {
      const k = arg as number;
      if (!Number.isInteger(k) || k < 0 || k >= x.ring) {
        throw new RangeError(
          `${name}: bit index ${k} is out of range [0, ${x.ring}) for Z_2^${x.ring} ${
            fmtShape(x.shape)
          }`,
        );
      }
    }
    if (op === "mulc" && typeof arg !== "bigint") {
      throw new TypeError(`mulScalar: c must be a bigint, got ${typeof arg}`);
    }
    if (this.onHost([x])) {
      const h = x.host!;
      const r = op === "neg"
        ? cpu.neg(h)
        : op === "not"
        ? cpu.not(h)
        : op === "mulc"
        ? cpu.mulScalar(h, arg as bigint)
        : cpu[op as "shl" | "shr" | "sar" | "bit"](h, arg as number);
      return this.fromHost(r);
    }
    const out = this.alloc(x.ring, x.shape);
    if (out.size > 0) {
      this.runtime.run(unaryProgram(op, x.ring, this.buf(out), this.buf(x), out.size, arg));
    }
    return out;
  }

  /** a + b, broadcasting. */
  add(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("add", a, b);
  }
  /** a - b, broadcasting. */
  sub(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("sub", a, b);
  }
  /** -a. */
  neg(a: RingBuffer): RingBuffer {
    return this.#unary("neg", a, 0, "neg");
  }
  /** a * b elementwise, broadcasting. */
  mul(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("mul", a, b);
  }
  /** a * c for a public scalar c (mod 2^ring). */
  mulScalar(a: RingBuffer, c: bigint): RingBuffer {
    return this.#unary("mulc", a, c, "mulScalar");
  }
  /** a << k. */
  shl(a: RingBuffer, k: number): RingBuffer {
    return this.#unary("shl", a, k, "shl");
  }
  /** Arithmetic a >> k. */
  sar(a: RingBuffer, k: number): RingBuffer {
    return this.#unary("sar", a, k, "sar");
  }
  /** Logical a >> k. */
  shr(a: RingBuffer, k: number): RingBuffer {
    return this.#unary("shr", a, k, "shr");
  }
  /** Bitwise and, broadcasting. */
  and(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("and", a, b);
  }
  /** Bitwise or, broadcasting. */
  or(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("or", a, b);
  }
  /** Bitwise xor, broadcasting. */
  xor(a: RingBuffer, b: RingBuffer): RingBuffer {
    return this.#binary("xor", a, b);
  }
  /** Bitwise not. */
  not(a: RingBuffer): RingBuffer {
    return this.#unary("not", a, 0, "not");
  }
  /** Bit k as 0 or 1. */
  bit(a: RingBuffer, k: number): RingBuffer {
    return this.#unary("bit", a, k, "bit");
  }

  // ---- products and reductions ---------------------------------------------------------

  /** PyTorch `matmul` mod 2^ring (see `kernels/matmul.ts` for the two strategies). */
  matmul(a: RingBuffer, b: RingBuffer): RingBuffer {
    const [x, y] = this.pair(a, b, "matmul");
    return ops.matmul(this, x, y);
  }
  /** conv1d of x [N, C, L] with w [O, C/groups, K] (im2col + matmul). */
  conv1d(x: RingBuffer, w: RingBuffer, opts: ConvOptions = {}): RingBuffer {
    const [a, b] = this.pair(x, w, "conv1d");
    return ops.conv(this, a, b, opts, 1);
  }
  /** conv2d of x [N, C, H, W] with w [O, C/groups, KH, KW] (im2col + matmul). */
  conv2d(x: RingBuffer, w: RingBuffer, opts: ConvOptions = {}): RingBuffer {
    const [a, b] = this.pair(x, w, "conv2d");
    return ops.conv(this, a, b, opts, 2);
  }
  /** Sum over `dims` (all when omitted; `[]` sums nothing), size-1 dims kept when `keepDims`. */
  sum(a: RingBuffer, dims?: readonly number[], keepDims = false): RingBuffer {
    return ops.sum(this, this.t(a, "sum"), dims, keepDims);
  }

  // ---- layout --------------------------------------------------------------------------

  /** Same elements, new shape (one dim may be -1); shares the GPU buffer. */
  reshape(a: RingBuffer, shape: Shape): RingBuffer {
    return layout.reshape(this, this.t(a, "reshape"), shape);
  }
  /** Dimensions reordered by `perm`. */
  permute(a: RingBuffer, perm: readonly number[]): RingBuffer {
    return layout.permute(this, this.t(a, "permute"), perm);
  }
  /** Swaps two dims (the last two by default). */
  transpose(a: RingBuffer, d0 = -2, d1 = -1): RingBuffer {
    return layout.transpose(this, this.t(a, "transpose"), d0, d1);
  }
  /** Sub-tensor at `begin` of sizes `size` (-1: to the end). */
  slice(a: RingBuffer, begin: readonly number[], size: readonly number[]): RingBuffer {
    return layout.slice(this, this.t(a, "slice"), begin, size);
  }
  /** Concatenation along `axis`. */
  concat(list: readonly RingBuffer[], axis: number): RingBuffer {
    return layout.concat(this, list.map((b) => this.t(b, "concat")), axis);
  }
  /** Stacks equal shapes along a new `axis`. */
  stack(list: readonly RingBuffer[], axis: number): RingBuffer {
    return layout.stack(this, list.map((b) => this.t(b, "stack")), axis);
  }
  /** Constant padding, `pads[i] = [before, after]`. */
  pad(a: RingBuffer, pads: readonly (readonly [number, number])[], value = 0n): RingBuffer {
    return layout.pad(this, this.t(a, "pad"), pads, value);
  }
  /** Index-select along `axis` (negative indices count from the end). */
  gather(a: RingBuffer, indices: ArrayLike<number>, axis: number): RingBuffer {
    return layout.gather(this, this.t(a, "gather"), indices, axis);
  }
  /** Materialised broadcast to `shape`. */
  expand(a: RingBuffer, shape: Shape): RingBuffer {
    return layout.expand(this, this.t(a, "expand"), shape);
  }

  /** Waits until all recorded work has run; rejects with the first WebGPU error. */
  sync(): Promise<void> {
    return this.runtime.sync();
  }

  /** Frees the pool and the GPU device; the device is unusable afterwards. */
  destroy(): void {
    this.runtime.destroy();
  }
}
