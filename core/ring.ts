/**
 * Ring tensors: contiguous row-major arrays of elements of Z_2^64 (`BigUint64Array`, the
 * default) or Z_2^32 (`Uint32Array`). Two's complement: a ring element `v` stands for the
 * signed integer `v - 2^k` when its top bit is set.
 *
 * A `RingTensor` is the host-side value every device reads and writes; kernels live on a
 * {@linkcode Device} (see `device.ts`), and the CPU device works on `RingTensor`s directly.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * const t = RingTensor.fromBigInts([1n, -1n, 5n], [3]);
 * console.log(t.toBigInts(true)); // [1n, -1n, 5n]
 * ```
 * @module
 */
import { assertShape, fmtShape, numel, type Shape } from "./shape.ts";

/** Ring size in bits: Z_2^64 or Z_2^32. */
export type Ring = 64 | 32;

/** Storage of a ring tensor: `BigUint64Array` for Z_2^64, `Uint32Array` for Z_2^32. */
export type RingData = BigUint64Array | Uint32Array;

/** Throws `TypeError` unless `ring` is 32 or 64. */
export function assertRing(ring: number): asserts ring is Ring {
  if (ring !== 64 && ring !== 32) {
    throw new TypeError(`ring must be 64 or 32 (bits), got ${ring}`);
  }
}

/** Allocates zeroed storage of `n` elements for `ring`. */
export function allocRing(ring: Ring, n: number): RingData {
  return ring === 64 ? new BigUint64Array(n) : new Uint32Array(n);
}

/** Reduces a BigInt to its ring representative in [0, 2^ring). */
export function toRing(v: bigint, ring: Ring): bigint {
  return BigInt.asUintN(ring, v);
}

/** Reads a ring representative as a signed integer in [-2^(ring-1), 2^(ring-1)). */
export function toSigned(v: bigint, ring: Ring): bigint {
  return BigInt.asIntN(ring, v);
}

/** A contiguous tensor over Z_2^ring. `data.length === numel(shape)` always holds. */
export class RingTensor {
  /** Ring size in bits. */
  readonly ring: Ring;
  /** Shape, outermost first. */
  readonly shape: Shape;
  /** Row-major storage; owned by this tensor (kernels never alias inputs and outputs). */
  readonly data: RingData;

  /**
   * Wraps `data` (not copied). `TypeError` when the storage type does not match the ring
   * or its length does not match the shape.
   */
  constructor(ring: Ring, shape: Shape, data?: RingData) {
    assertRing(ring);
    assertShape(shape);
    const n = numel(shape);
    const d = data ?? allocRing(ring, n);
    const want = ring === 64 ? BigUint64Array : Uint32Array;
    if (!(d instanceof want)) {
      throw new TypeError(
        `ring ${ring} needs ${want.name} storage, got ${d?.constructor?.name ?? typeof d}`,
      );
    }
    if (d.length !== n) {
      throw new TypeError(`storage of ${d.length} elements does not fit shape ${fmtShape(shape)}`);
    }
    this.ring = ring;
    this.shape = Object.freeze([...shape]);
    this.data = d;
  }

  /** Zero tensor. */
  static zeros(shape: Shape, ring: Ring = 64): RingTensor {
    return new RingTensor(ring, shape);
  }

  /** Tensor of BigInts reduced mod 2^ring (negative values wrap, two's complement). */
  static fromBigInts(values: readonly bigint[], shape: Shape, ring: Ring = 64): RingTensor {
    const t = new RingTensor(ring, shape);
    if (values.length !== t.size) {
      throw new TypeError(`${values.length} values do not fit shape ${fmtShape(shape)}`);
    }
    if (t.data instanceof BigUint64Array) {
      for (let i = 0; i < values.length; i++) t.data[i] = BigInt.asUintN(64, values[i]);
    } else {
      for (let i = 0; i < values.length; i++) t.data[i] = Number(BigInt.asUintN(32, values[i]));
    }
    return t;
  }

  /** Owner of the memory: a host tensor is the CPU device's buffer. */
  get deviceName(): string {
    return "cpu";
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Elements as BigInts: ring representatives, or signed values when `signed`. */
  toBigInts(signed = false): bigint[] {
    const out = new Array<bigint>(this.size);
    for (let i = 0; i < this.size; i++) {
      const v = BigInt(this.data[i]);
      out[i] = signed ? BigInt.asIntN(this.ring, v) : v;
    }
    return out;
  }

  /** A deep copy. */
  clone(): RingTensor {
    return new RingTensor(this.ring, this.shape, this.data.slice());
  }

  /** Same storage viewed with another shape of equal size (no copy). */
  withShape(shape: Shape): RingTensor {
    return new RingTensor(this.ring, shape, this.data);
  }
}

/** Throws `TypeError` unless both tensors are over the same ring. */
export function assertSameRing(
  a: { ring: Ring; shape: Shape },
  b: { ring: Ring; shape: Shape },
  op: string,
): void {
  if (a.ring !== b.ring) {
    throw new TypeError(
      `${op}: mixed rings Z_2^${a.ring} ${fmtShape(a.shape)} and Z_2^${b.ring} ${
        fmtShape(b.shape)
      }`,
    );
  }
}
