/**
 * A size-keyed pool of tensor storage for the CPU device. Touching freshly allocated memory
 * is slow on some hosts (on the Firecracker dev VM the first touch of a new 8 MB typed array
 * costs 25-45 ms in page faults, the loop over it ~1 ms), so kernels take their output
 * storage from here and {@linkcode CpuDevice.dispose} gives it back.
 *
 * Only storage the pool itself issued comes back (tracked per tensor object, so a view or a
 * copy that shares nothing is ignored, and a second dispose is a no-op); buffers below
 * `minBytes` are left to the garbage collector, and at most `maxBytes` are kept. With
 * `poison`, a disposed buffer is filled with the word `0xDEADBEEF`, so that a use after
 * dispose shows up as wrong values in tests.
 *
 * @example
 * ```ts
 * import { BufferPool } from "./pool.ts";
 * const pool = new BufferPool();
 * const t = pool.alloc(64, [1 << 16], false);
 * pool.release(t);
 * console.log(pool.alloc(64, [1 << 16], true).data.buffer === t.data.buffer); // true
 * ```
 * @module
 */
import { type Ring, RingTensor } from "../ring.ts";
import { numel, type Shape } from "../shape.ts";

/** Allocates a kernel's output: zero-filled when `zero`, else with arbitrary contents. */
export type Alloc = (ring: Ring, shape: Shape, zero: boolean) => RingTensor;

/**
 * The allocator without a pool: a fresh zero-filled tensor.
 *
 * @example
 * ```ts
 * import { freshAlloc } from "./pool.ts";
 * console.log(freshAlloc(32, [2], false).toBigInts()); // [0n, 0n]
 * ```
 */
export const freshAlloc: Alloc = (ring: Ring, shape: Shape): RingTensor =>
  new RingTensor(ring, shape);

/** Options of {@linkcode BufferPool}. */
export interface BufferPoolOptions {
  /** Most bytes kept in the free lists (default 512 MiB). */
  maxBytes?: number;
  /** Smallest buffer worth pooling in bytes (default 64 KiB). */
  minBytes?: number;
  /** Fill disposed buffers with 0xDEADBEEF (for tests; default false). */
  poison?: boolean;
  /**
   * Size classes of at least this many bytes are refilled in the background (default
   * `Infinity`: never). Outputs that are kept (a layer's result) never come back, so a
   * workload that runs again finds the pool short by as many buffers; each miss raises the
   * class's target (at most 8 buffers), and a timer task allocates and touches one missing
   * buffer at a time. Off by default: on the loaded 2-core dev VM the touching competed with
   * the parties for the cores and made W1 ~30% slower (2 A/B pairs, 0.27 s vs 0.36 s).
   */
  refillMinBytes?: number;
}

/**
 * The 32-bit word that {@linkcode BufferPool} writes over disposed storage with `poison`.
 *
 * @example
 * ```ts
 * import { POISON_WORD } from "./pool.ts";
 * console.log(POISON_WORD.toString(16)); // "deadbeef"
 * ```
 */
export const POISON_WORD = 0xdead_beef;

/**
 * Free lists of storage keyed by byte length.
 *
 * @example
 * ```ts
 * import { BufferPool } from "./pool.ts";
 * const pool = new BufferPool({ poison: true, minBytes: 0 });
 * const t = pool.alloc(32, [4], true);
 * console.log(pool.release(t), pool.release(t)); // true false
 * ```
 */
export class BufferPool {
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #issued = new WeakSet<RingTensor>();
  readonly #maxBytes: number;
  readonly #minBytes: number;
  readonly #poison: boolean;
  readonly #refillMin: number;
  readonly #target = new Map<number, number>();
  #refilling = false;
  #bytes = 0;

  /** An empty pool. */
  constructor(opts: BufferPoolOptions = {}) {
    this.#maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
    this.#minBytes = opts.minBytes ?? 64 * 1024;
    this.#poison = opts.poison ?? false;
    this.#refillMin = opts.refillMinBytes ?? Infinity;
  }

  /** Whether disposed buffers are poisoned. */
  get poison(): boolean {
    return this.#poison;
  }

  /** Bytes now held in the free lists. */
  get freeBytes(): number {
    return this.#bytes;
  }

  /** A tensor of `shape` over storage from the pool (zero-filled when `zero`). */
  alloc(ring: Ring, shape: Shape, zero: boolean): RingTensor {
    const n = numel(shape);
    const bytes = n * (ring / 8);
    if (bytes < this.#minBytes) return new RingTensor(ring, shape);
    const list = this.#free.get(bytes);
    const buf = list?.pop();
    let t: RingTensor;
    if (buf) {
      this.#bytes -= bytes;
      const data = ring === 64 ? new BigUint64Array(buf) : new Uint32Array(buf);
      if (zero) new Uint8Array(buf).fill(0);
      t = new RingTensor(ring, shape, data);
    } else {
      t = new RingTensor(ring, shape);
      if (bytes >= this.#refillMin) {
        this.#target.set(bytes, Math.min((this.#target.get(bytes) ?? 0) + 1, 8));
      }
    }
    this.#issued.add(t);
    if (bytes >= this.#refillMin && (list?.length ?? 0) < (this.#target.get(bytes) ?? 0)) {
      this.#scheduleRefill();
    }
    return t;
  }

  #scheduleRefill(): void {
    if (this.#refilling) return;
    this.#refilling = true;
    const id = setTimeout(() => {
      this.#refilling = false;
      if (this.#refillOne()) this.#scheduleRefill();
    }, 0);
    (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno?.unrefTimer?.(
      id as unknown as number,
    );
  }

  /** Adds one touched buffer to a class below its target; whether more are missing. */
  #refillOne(): boolean {
    for (const [bytes, target] of this.#target) {
      let list = this.#free.get(bytes);
      if ((list?.length ?? 0) >= target) continue;
      if (this.#bytes + bytes > this.#maxBytes) return false;
      const buf = new ArrayBuffer(bytes);
      new Uint8Array(buf).fill(this.#poison ? 0xa5 : 0); // touch every page now
      if (!list) this.#free.set(bytes, list = []);
      list.push(buf);
      this.#bytes += bytes;
      return true;
    }
    return false;
  }

  /**
   * Takes back the storage of `t` when this pool issued it and it was not released before;
   * returns whether it did. The caller must not use `t` (or anything sharing its storage)
   * afterwards.
   */
  release(t: RingTensor): boolean {
    if (!this.#issued.has(t)) return false;
    this.#issued.delete(t);
    const buf = t.data.buffer as ArrayBuffer;
    const bytes = buf.byteLength;
    if (this.#poison) new Uint32Array(buf).fill(POISON_WORD);
    if (this.#bytes + bytes > this.#maxBytes) return true;
    let list = this.#free.get(bytes);
    if (!list) this.#free.set(bytes, list = []);
    list.push(buf);
    this.#bytes += bytes;
    return true;
  }

  /** Drops every free buffer (the garbage collector reclaims them). */
  clear(): void {
    this.#free.clear();
    this.#target.clear();
    this.#bytes = 0;
  }
}
