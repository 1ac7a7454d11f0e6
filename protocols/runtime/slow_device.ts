/**
 * A test device whose `download` resolves late: a wrapper around another device (the CPU
 * device by default) that runs every kernel on it but answers each download after a
 * pseudorandom delay (seeded, so a failing run can be replayed), hides the CPU device's
 * in-place `read` (so the protocols take the download path, as on WebGPU) and uploads
 * adopted host tensors (as on any device that is not the CPU). With a different seed on
 * each party, the parties reach their rounds at different times: a kernel whose result
 * depends on that timing (round keys taken in arrival order, a send buffer reused too
 * early) shows up as a wrong value or a `ProtocolAbortError`.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { slowDevice } from "./slow_device.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [3, -1] : null, { from: 0, shape: [2] });
 *   return await (await x.mul(x)).reveal();
 * }, { device: (rank) => slowDevice({ seed: rank }) });
 * console.log(out[0]); // Float64Array [9, 1]
 * ```
 * @module
 */
import { cpu } from "@sharetensor/core/cpu";
import type { Device, RingBuffer } from "@sharetensor/core/device";
import type { RingTensor } from "@sharetensor/core/ring";

/** Options of {@linkcode slowDevice}. */
export interface SlowDeviceOptions {
  /** The device that does the work (default the CPU device). */
  base?: Device;
  /** Seed of the delays (default 1); give each party its own. */
  seed?: number;
  /** Largest delay of one download in milliseconds (default 4). */
  maxDelayMs?: number;
  /**
   * Share of downloads that resolve after a microtask only, without a timer (default
   * 0.3): a mix of early and late answers makes more interleavings than timers alone.
   */
  quickShare?: number;
}

/** mulberry32: a tiny seeded generator of floats in [0, 1) (delays only, not crypto). */
function floats(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `base` (the CPU device by default) with downloads that resolve after a seeded random
 * delay; every other member is `base`'s. Its name is `slow(<base name>)`.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { slowDevice } from "./slow_device.ts";
 * const d = slowDevice({ seed: 7, maxDelayMs: 2 });
 * const b = d.upload(RingTensor.fromBigInts([5n], [1]));
 * console.log(d.name, (await d.download(b)).toBigInts()); // slow(cpu) [5n]
 * ```
 */
export function slowDevice(opts: SlowDeviceOptions = {}): Device {
  const base = opts.base ?? cpu;
  const next = floats(opts.seed ?? 1);
  const maxDelayMs = opts.maxDelayMs ?? 4;
  const quickShare = opts.quickShare ?? 0.3;
  const name = `slow(${base.name})`;
  const download = async (b: RingBuffer): Promise<RingTensor> => {
    const t = await base.download(b);
    const u = next();
    if (u < quickShare) return t;
    const ms = ((u - quickShare) / (1 - quickShare)) * maxDelayMs;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return t;
  };
  return new Proxy(base, {
    get(target, prop) {
      if (prop === "name") return name;
      if (prop === "download") return download;
      if (prop === "read") return undefined;
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
    has(target, prop) {
      return prop !== "read" && Reflect.has(target, prop);
    },
  });
}
