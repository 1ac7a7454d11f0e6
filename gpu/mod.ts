/**
 * `@sharetensor/gpu`: the WebGPU {@linkcode Device} of sharetensor. Every ring kernel of
 * the `Device` interface (elementwise ops with broadcasting, batched matmul tiled through
 * workgroup memory, conv1d/conv2d by im2col, sums, shifts and bit ops, layout ops) runs
 * in WGSL, bit-exact with the CPU device: Z_2^64 as u32 pairs (lo, hi) with carries and a
 * 32x32 -> 64-bit product built from 16-bit halves, Z_2^32 natively as u32.
 *
 * Kernels record work and return handles at once; `download` submits and waits. Programs
 * are data plus a WGSL generator behind a cache key, pipelines are cached, buffers pooled,
 * and small tensors stay on the CPU kernels below `cpuFallbackBelow` elements.
 *
 * Deno exposes WebGPU without a flag; on machines without a GPU, Mesa's llvmpipe software
 * adapter serves (slow, but exact). {@linkcode webGpuAdapter} tells whether one exists.
 * On llvmpipe the CPU device is the faster choice for every kernel (the micro benchmarks
 * `*_bench.ts` here measure both); the WebGPU device is meant for hardware adapters, and
 * on llvmpipe it is the test bed that keeps the WGSL exact.
 *
 * Besides the `Device` kernels, {@linkcode prgRing} draws the core PRG's ChaCha20 stream
 * on the GPU, bit-exact with `Prg.ring`.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice, webGpuAdapter } from "@sharetensor/gpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * if (await webGpuAdapter()) {
 *   const gpu = await createWebGpuDevice();
 *   const a = gpu.upload(RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]));
 *   console.log((await gpu.download(gpu.matmul(a, a))).toBigInts()); // [7n, 10n, 15n, 22n]
 *   console.log(gpu.adapterInfo.description);
 * }
 * ```
 * @module
 */
import { GpuRuntime } from "./runtime.ts";
import { checkDeviceOptions, WebGpuDevice, type WebGpuDeviceOptions } from "./device.ts";

export {
  checkDeviceOptions,
  DEFAULT_CPU_FALLBACK_BELOW,
  isSoftwareAdapter,
  WebGpuDevice,
  type WebGpuDeviceOptions,
} from "./device.ts";
export { GpuStorage, GpuTensor } from "./tensor.ts";
export type { MatmulStrategy } from "./kernels/matmul.ts";
export { GpuRuntime, type Program } from "./runtime.ts";

/**
 * The default WebGPU adapter, or `null` when this runtime has none (no `navigator.gpu`,
 * or no adapter).
 *
 * @example
 * ```ts
 * import { webGpuAdapter } from "@sharetensor/gpu";
 * const a = await webGpuAdapter();
 * console.log(a ? a.info.description : "no WebGPU adapter");
 * ```
 */
export async function webGpuAdapter(): Promise<GPUAdapter | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    return await gpu.requestAdapter();
  } catch {
    return null;
  }
}

/**
 * A plain summary of an adapter's info, for bench records.
 *
 * @example
 * ```ts
 * import { adapterSummary, webGpuAdapter } from "@sharetensor/gpu";
 * const a = await webGpuAdapter();
 * if (a) console.log(adapterSummary(a.info)); // { vendor: "65541", ..., description: "llvmpipe ..." }
 * ```
 */
export function adapterSummary(info: GPUAdapterInfo): {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
} {
  const fb = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: fb ?? false,
  };
}

/**
 * Opens the WebGPU device (name "webgpu"); `Error` when no adapter exists. Options:
 * `cpuFallbackBelow` (elements; 0 puts everything on the GPU) and `adapter`.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice, webGpuAdapter } from "@sharetensor/gpu";
 * if (await webGpuAdapter()) {
 *   const gpu = await createWebGpuDevice({ cpuFallbackBelow: 0 });
 *   console.log(gpu.name, gpu.adapterInfo.description); // "webgpu" "llvmpipe (...)"
 *   gpu.destroy();
 * }
 * ```
 */
export async function createWebGpuDevice(opts: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  checkDeviceOptions(opts);
  const adapter = opts.adapter ?? await webGpuAdapter();
  if (!adapter) throw new Error("createWebGpuDevice: no WebGPU adapter in this runtime");
  return new WebGpuDevice(await GpuRuntime.create(adapter), opts);
}

export { prgRing, type PrgState } from "./prg.ts";
