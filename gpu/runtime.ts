/**
 * The WebGPU runtime under the device: a pipeline cache keyed by program, a pool of
 * storage buffers by size class, one open command encoder that collects dispatches until
 * a download (or a batch limit) submits them, and a parameter arena so that each dispatch
 * reads its own small parameter block without a buffer of its own.
 *
 * A {@linkcode Program} is data: a cache key, a WGSL generator (called once per key),
 * the buffers it binds, its u32 parameters and its grid. Queue order makes reuse safe: a
 * pooled buffer handed out again is only written by work recorded after the work that
 * read it.
 *
 * @example
 * ```ts
 * import { GpuRuntime } from "./runtime.ts";
 * const adapter = await navigator.gpu?.requestAdapter();
 * if (adapter) console.log((await GpuRuntime.create(adapter)).pipelines);
 * ```
 * @module
 */

/** A compute program: data plus a WGSL generator behind a cache key. */
export interface Program {
  /** Cache key: equal keys mean equal WGSL. */
  readonly key: string;
  /** Generates the WGSL source (binding 0: params, 1: output, 2..: inputs). */
  readonly wgsl: () => string;
  /** Output buffer (read-write). */
  readonly output: GPUBuffer;
  /** Input buffers (read-only), bound from binding 2 on. */
  readonly inputs: readonly GPUBuffer[];
  /** u32 parameters, bound at binding 0 (never empty: kernels read `P[0]`). */
  readonly params: Uint32Array;
  /** Workgroup grid. */
  readonly grid: readonly [number, number, number];
}

const ARENA_BYTES = 1 << 16;
const MAX_BATCH = 512;
const POOL_MAX_BYTES = 512 * 1024 * 1024;

/** Bytes a buffer of `bytes` occupies in the pool: powers of two from 256 bytes. */
function sizeClass(bytes: number): number {
  let c = 256;
  while (c < bytes) c *= 2;
  return c;
}

/** The WebGPU runtime of one device (see the module docs). */
export class GpuRuntime {
  /** The WebGPU device. */
  readonly device: GPUDevice;
  /** The adapter's description (vendor, architecture, device, description). */
  readonly adapterInfo: GPUAdapterInfo;
  readonly #cache = new Map<string, GPUComputePipeline>();
  readonly #pool = new Map<number, GPUBuffer[]>();
  #pooledBytes = 0;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #batch = 0;
  readonly #arena: GPUBuffer;
  readonly #arenaHost = new Uint32Array(ARENA_BYTES / 4);
  #arenaUsed = 0;
  readonly #align: number;
  #afterSubmit: GPUBuffer[] = [];
  #error: Error | null = null;

  private constructor(device: GPUDevice, info: GPUAdapterInfo) {
    this.device = device;
    this.adapterInfo = info;
    this.#align = device.limits.minStorageBufferOffsetAlignment;
    this.#arena = device.createBuffer({
      size: ARENA_BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    device.addEventListener("uncapturederror", (e) => {
      this.#error ??= new Error(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`);
    });
  }

  /**
   * Opens a device on `adapter` with the adapter's largest buffer and workgroup limits.
   *
   * @example
   * ```ts
   * import { GpuRuntime } from "./runtime.ts";
   * const a = await navigator.gpu?.requestAdapter();
   * if (a) console.log((await GpuRuntime.create(a)).adapterInfo.description);
   * ```
   */
  static async create(adapter: GPUAdapter): Promise<GpuRuntime> {
    const l = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxBufferSize: l.maxBufferSize,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        minStorageBufferOffsetAlignment: l.minStorageBufferOffsetAlignment,
      },
    });
    return new GpuRuntime(device, adapter.info);
  }

  /** Number of compiled pipelines (one per program key). */
  get pipelines(): number {
    return this.#cache.size;
  }

  /** Dispatches recorded and not yet submitted. */
  get pending(): number {
    return this.#encoder ? Math.max(1, this.#batch) : 0;
  }

  /** Largest storage buffer binding in bytes. */
  get maxBinding(): number {
    return this.device.limits.maxStorageBufferBindingSize;
  }

  /**
   * A storage buffer of at least `bytes` (> 0) from the pool, or a new one. Contents are
   * undefined; kernels write every element they own.
   */
  alloc(bytes: number): GPUBuffer {
    if (bytes > this.maxBinding) {
      throw new RangeError(
        `a tensor of ${bytes} bytes exceeds the device's largest storage binding (${this.maxBinding})`,
      );
    }
    const size = sizeClass(bytes);
    const free = this.#pool.get(size);
    const b = free?.pop();
    if (b) {
      this.#pooledBytes -= size;
      return b;
    }
    return this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  /** Returns a buffer from {@linkcode alloc} to the pool (or frees it when the pool is full). */
  release(b: GPUBuffer): void {
    if (this.#pooledBytes + b.size > POOL_MAX_BYTES) {
      this.#afterSubmit.push(b);
      return;
    }
    let free = this.#pool.get(b.size);
    if (!free) this.#pool.set(b.size, free = []);
    free.push(b);
    this.#pooledBytes += b.size;
  }

  /** A new buffer of the pool's size class holding `words` (no flush needed: it is fresh). */
  uploadWords(words: Uint32Array): GPUBuffer {
    const size = sizeClass(words.byteLength);
    if (words.byteLength > this.maxBinding) this.alloc(words.byteLength); // throws
    const b = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      mappedAtCreation: true,
    });
    new Uint32Array(b.getMappedRange(), 0, words.length).set(words);
    b.unmap();
    return b;
  }

  #openPass(): GPUComputePassEncoder {
    if (!this.#encoder) {
      this.#encoder = this.device.createCommandEncoder();
      // Submit at the end of the current synchronous run: ops issued together share one
      // submission, and the GPU starts while the caller awaits something else.
      queueMicrotask(() => this.flush());
    }
    this.#pass ??= this.#encoder.beginComputePass();
    return this.#pass;
  }

  #pipeline(p: Program): GPUComputePipeline {
    let pl = this.#cache.get(p.key);
    if (!pl) {
      const module = this.device.createShaderModule({ code: p.wgsl(), label: p.key });
      pl = this.device.createComputePipeline({
        layout: "auto",
        compute: { module, entryPoint: "main" },
        label: p.key,
      });
      this.#cache.set(p.key, pl);
    }
    return pl;
  }

  /** Records `p` into the open batch. */
  run(p: Program): void {
    const pbytes = Math.max(4, p.params.byteLength);
    let at = Math.ceil(this.#arenaUsed / this.#align) * this.#align;
    if (at + pbytes > ARENA_BYTES) {
      this.flush();
      at = 0;
    }
    this.#arenaHost.set(p.params, at / 4);
    this.#arenaUsed = at + pbytes;
    const pl = this.#pipeline(p);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.#arena, offset: at, size: pbytes } },
      { binding: 1, resource: { buffer: p.output } },
      ...p.inputs.map((b, j) => ({ binding: j + 2, resource: { buffer: b } })),
    ];
    const bg = this.device.createBindGroup({ layout: pl.getBindGroupLayout(0), entries });
    const pass = this.#openPass();
    pass.setPipeline(pl);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(p.grid[0], p.grid[1], p.grid[2]);
    if (++this.#batch >= MAX_BATCH) this.flush();
  }

  /** Records zeroing of the first `bytes` (a multiple of 4) of `b`. */
  clear(b: GPUBuffer, bytes: number): void {
    this.#openPass();
    this.#pass!.end();
    this.#pass = null;
    this.#encoder!.clearBuffer(b, 0, Math.ceil(bytes / 4) * 4);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (this.#encoder) {
      this.#pass?.end();
      this.#pass = null;
      if (this.#arenaUsed > 0) {
        this.device.queue.writeBuffer(this.#arena, 0, this.#arenaHost, 0, this.#arenaUsed / 4);
      }
      this.device.queue.submit([this.#encoder.finish()]);
      this.#encoder = null;
    }
    this.#arenaUsed = 0;
    this.#batch = 0;
    for (const b of this.#afterSubmit) b.destroy();
    this.#afterSubmit = [];
  }

  /** Flushes, then reads `bytes` from the start of `b` once the queue gets there. */
  async read(b: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.flush();
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(b, 0, staging, 0, size);
    this.device.queue.submit([enc.finish()]);
    try {
      await staging.mapAsync(GPUMapMode.READ);
      this.#throwPending();
      return staging.getMappedRange(0, size).slice(0, bytes);
    } finally {
      staging.destroy();
    }
  }

  /** Waits until the queue is idle; rejects with the first WebGPU error seen. */
  async sync(): Promise<void> {
    // A 4-byte readback behind all submitted work: resolves sooner in Deno than
    // `queue.onSubmittedWorkDone()` (measured ~2x on llvmpipe), and in queue order.
    await this.read(this.#arena, 4);
  }

  #throwPending(): void {
    const e = this.#error;
    if (e) {
      this.#error = null;
      throw e;
    }
  }

  /** Frees the pool and the device. */
  destroy(): void {
    this.flush();
    for (const list of this.#pool.values()) for (const b of list) b.destroy();
    this.#pool.clear();
    this.#pooledBytes = 0;
    this.#arena.destroy();
    this.device.destroy();
  }
}
