/**
 * Bit packing for messages that carry one bit per element (8 elements per byte, LSB first).
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { packBits, unpackBits } from "./bits.ts";
 * const t = RingTensor.fromBigInts([1n, 0n, 1n], [3]);
 * console.log(unpackBits(packBits(t), [3], 64).toBigInts()); // [1n, 0n, 1n]
 * ```
 * @module
 */
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { fmtShape, numel, type Shape } from "@sharetensor/core/shape";

/**
 * The lowest bit of every element, packed.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { packBits } from "./bits.ts";
 * console.log(packBits(RingTensor.fromBigInts([1n, 1n, 0n], [3]))); // Uint8Array [3]
 * ```
 */
export function packBits(t: RingTensor): Uint8Array {
  const n = t.size;
  const out = new Uint8Array(Math.ceil(n / 8));
  const step = t.ring === 64 ? 2 : 1;
  const w = new Uint32Array(t.data.buffer, t.data.byteOffset, n * step);
  for (let i = 0; i < n; i++) out[i >>> 3] |= (w[i * step] & 1) << (i & 7);
  return out;
}

/**
 * Unpacks `numel(shape)` bits into a ring tensor of 0/1; `RangeError` on a size mismatch.
 *
 * @example
 * ```ts
 * import { unpackBits } from "./bits.ts";
 * console.log(unpackBits(new Uint8Array([5]), [3], 32).toBigInts()); // [1n, 0n, 1n]
 * ```
 */
export function unpackBits(bytes: Uint8Array, shape: Shape, ring: Ring): RingTensor {
  const n = numel(shape);
  if (bytes.byteLength !== Math.ceil(n / 8)) {
    throw new RangeError(
      `${bytes.byteLength} bytes do not hold the ${n} bits of ${fmtShape(shape)}`,
    );
  }
  const t = new RingTensor(ring, shape);
  const step = ring === 64 ? 2 : 1;
  const w = new Uint32Array(t.data.buffer, t.data.byteOffset, n * step);
  for (let i = 0; i < n; i++) w[i * step] = (bytes[i >>> 3] >>> (i & 7)) & 1;
  return t;
}
