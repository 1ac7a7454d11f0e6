/**
 * Argument checks shared by the CPU kernels: device ownership, rings, shapes, axes, and
 * the 32-bit word view that the layout kernels copy through.
 *
 * @example
 * ```ts
 * import { asCpu } from "./check.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = asCpu(RingTensor.zeros([2]), "add");
 * console.log(t.shape);
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { RingTensor } from "../ring.ts";
import { fmtShape } from "../shape.ts";

/**
 * Returns `b` as a {@linkcode RingTensor} when it belongs to the CPU device; `TypeError`
 * naming the op, the shape and the owner otherwise.
 *
 * @example
 * ```ts
 * import { asCpu } from "./check.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(asCpu(RingTensor.zeros([3], 32), "neg").ring); // 32
 * ```
 */
export function asCpu(b: RingBuffer, op: string): RingTensor {
  if (!(b instanceof RingTensor) || b.deviceName !== "cpu") {
    const shape = Array.isArray(b?.shape) ? fmtShape(b.shape) : "?";
    throw new TypeError(
      `${op}: buffer ${shape} belongs to device "${b?.deviceName}", not to "cpu"`,
    );
  }
  return b;
}

/**
 * Checks that `a` and `b` are CPU tensors over one ring; `TypeError` with both shapes when
 * the rings differ.
 *
 * @example
 * ```ts
 * import { asCpuPair } from "./check.ts";
 * import { RingTensor } from "../ring.ts";
 * const [x, y] = asCpuPair(RingTensor.zeros([2]), RingTensor.zeros([1]), "add");
 * console.log(x.ring === y.ring);
 * ```
 */
export function asCpuPair(a: RingBuffer, b: RingBuffer, op: string): [RingTensor, RingTensor] {
  const x = asCpu(a, op);
  const y = asCpu(b, op);
  if (x.ring !== y.ring) {
    throw new TypeError(
      `${op}: mixed rings Z_2^${x.ring} ${fmtShape(x.shape)} and Z_2^${y.ring} ${
        fmtShape(y.shape)
      }`,
    );
  }
  return [x, y];
}

/**
 * The storage of `t` as 32-bit words (two per element in Z_2^64, low word first on the
 * little-endian hosts that Deno runs on); shares memory with `t`.
 *
 * @example
 * ```ts
 * import { words } from "./check.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(words(RingTensor.fromBigInts([1n], [1])).length); // 2
 * ```
 */
export function words(t: RingTensor): Uint32Array {
  const d = t.data;
  return d instanceof Uint32Array ? d : new Uint32Array(d.buffer, d.byteOffset, d.length * 2);
}

// Shape rules shared with the WebGPU device and the protocols.
export { axisOf, checkShape, wordLayout } from "../plans.ts";
