/**
 * Moving tensors between the host and a device without needless copies. The CPU device's
 * buffers are host `RingTensor`s, so a fresh host tensor can be adopted as is, and a buffer
 * can be read in place (`CpuDevice.read`) to be sent; other devices upload and download.
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { adopt, hostView } from "./host.ts";
 * const t = RingTensor.fromBigInts([1n], [1]);
 * console.log(adopt(cpu, t) === t, (await hostView(cpu, t)) === t); // true true
 * ```
 * @module
 */
import type { Device, RingBuffer } from "@sharetensor/core/device";
import { RingTensor } from "@sharetensor/core/ring";

/**
 * A device buffer holding `t`, which the caller hands over (must not use or modify it
 * afterwards): the tensor itself on the CPU device, an upload elsewhere.
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { adopt } from "./host.ts";
 * console.log(adopt(cpu, RingTensor.zeros([2])).shape); // [2]
 * ```
 */
export function adopt(device: Device, t: RingTensor): RingBuffer {
  return device.name === "cpu" && t instanceof RingTensor ? t : device.upload(t);
}

/**
 * The host value of `b` for reading only (in place on the CPU device).
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { hostView } from "./host.ts";
 * console.log((await hostView(cpu, RingTensor.zeros([2]))).size); // 2
 * ```
 */
export async function hostView(device: Device, b: RingBuffer): Promise<RingTensor> {
  const read = (device as { read?: (b: RingBuffer) => RingTensor }).read;
  if (device.name === "cpu" && typeof read === "function" && b instanceof RingTensor) {
    return read.call(device, b);
  }
  return await device.download(b);
}
