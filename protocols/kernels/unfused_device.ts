/**
 * Test helper: a device without the optional fused Beaver kernels, so that the protocols
 * take the separate kernels; tests compare its share words with the fused path's.
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { unfused } from "./unfused_device.ts";
 * console.log(unfused(cpu).beaverMulTrunc, "beaverMul" in unfused(cpu)); // undefined false
 * ```
 * @module
 */
import type { Device } from "@sharetensor/core/device";

const FUSED = ["beaverSquare", "beaverSquareTrunc", "beaverMul", "beaverMulTrunc"];

/** `base` without the optional fused kernels: the protocols take the separate ones. */
export function unfused(base: Device): Device {
  return new Proxy(base, {
    get(target, prop) {
      if (typeof prop === "string" && FUSED.includes(prop)) return undefined;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
    has(target, prop) {
      return !(typeof prop === "string" && FUSED.includes(prop)) && Reflect.has(target, prop);
    },
  });
}
