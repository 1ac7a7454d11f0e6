/**
 * `GpuTensor`: the {@linkcode RingBuffer} handle of the WebGPU device. It lives on the GPU
 * (a pooled storage buffer, shared by reshapes and counted), on the host (a small tensor
 * that the device keeps on the CPU kernels, below its `cpuFallbackBelow` threshold), or
 * both once a host tensor has been copied up.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice } from "@sharetensor/gpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * if (navigator.gpu && await navigator.gpu.requestAdapter()) {
 *   const gpu = await createWebGpuDevice();
 *   const t = gpu.upload(RingTensor.fromBigInts([1n], [1]));
 *   console.log(t.deviceName, t.shape); // "webgpu" [1]
 * }
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import type { Ring, RingTensor } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";

/** GPU memory shared by the handles that view it (reshape shares, kernels never do). */
export class GpuStorage {
  /** The buffer; `null` for an empty tensor. */
  buffer: GPUBuffer | null;
  /** Live handles on this storage. */
  refs = 1;
  /** Creates the storage for `buffer`. */
  constructor(buffer: GPUBuffer | null) {
    this.buffer = buffer;
  }
}

/** A ring tensor owned by a WebGPU device (see the module docs). */
export class GpuTensor implements RingBuffer {
  /** Ring size in bits. */
  readonly ring: Ring;
  /** Shape, outermost first (frozen). */
  readonly shape: Shape;
  /** Always "webgpu". */
  readonly deviceName = "webgpu";
  /** The owning device's identity token (a foreign handle has another). */
  readonly owner: object;
  /** GPU copy, when it has one. */
  storage: GpuStorage | null;
  /** Host copy, when it has one (small tensors on the CPU fallback). */
  host: RingTensor | null;
  /** Set by `dispose`; a disposed handle is rejected by every kernel. */
  disposed = false;

  /** Creates a handle; at least one of `storage` and `host` must be set. */
  constructor(
    owner: object,
    ring: Ring,
    shape: Shape,
    storage: GpuStorage | null,
    host: RingTensor | null,
  ) {
    this.owner = owner;
    this.ring = ring;
    this.shape = Object.freeze([...shape]);
    this.storage = storage;
    this.host = host;
  }

  /** Number of elements. */
  get size(): number {
    return numel(this.shape);
  }

  /** Size in 32-bit words (two per element in Z_2^64). */
  get words(): number {
    return this.size * (this.ring === 64 ? 2 : 1);
  }
}
