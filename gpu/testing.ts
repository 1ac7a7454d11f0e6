/**
 * Test helpers of the WebGPU device suite (test code only): one device per test file,
 * tests registered with `ignore: true` and a name that says so when no adapter exists,
 * seeded random ring tensors rich in edge values, and a bit-exact comparison.
 *
 * @example
 * ```ts
 * import { randTensor } from "./testing.ts";
 * console.log(randTensor(1, [2, 3], 64).shape); // [2, 3]
 * ```
 * @module
 */
import assert from "node:assert/strict";
import type { Ring } from "@sharetensor/core/ring";
import { RingTensor } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";
import { createWebGpuDevice, webGpuAdapter } from "./mod.ts";
import type { WebGpuDevice, WebGpuDeviceOptions } from "./device.ts";

/** The adapter of this process, or null (then the WebGPU tests are ignored). */
export const adapter: GPUAdapter | null = await webGpuAdapter();

/**
 * Registers a WebGPU test; ignored (named "webgpu: skipped, no adapter: ...") without an
 * adapter. The device is created once per options object and kept for the file.
 *
 * @example
 * ```ts
 * import { gpuTest } from "./testing.ts";
 * gpuTest("smoke", async (gpu) => console.log(gpu.name));
 * ```
 */
export function gpuTest(
  name: string,
  fn: (gpu: WebGpuDevice) => Promise<void> | void,
  opts: WebGpuDeviceOptions = { cpuFallbackBelow: 0 },
): void {
  Deno.test({
    name: adapter ? `webgpu: ${name}` : `webgpu: skipped, no adapter: ${name}`,
    ignore: !adapter,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => fn(await deviceFor(opts)),
  });
}

const devices = new Map<WebGpuDeviceOptions, Promise<WebGpuDevice>>();

/**
 * The shared device of this file for `opts` (by identity).
 *
 * @example
 * ```ts
 * import { deviceFor } from "./testing.ts";
 * console.log(typeof deviceFor);
 * ```
 */
export function deviceFor(opts: WebGpuDeviceOptions): Promise<WebGpuDevice> {
  let d = devices.get(opts);
  if (!d) devices.set(opts, d = createWebGpuDevice({ ...opts, adapter: adapter! }));
  return d;
}

const EDGES = [
  0n,
  1n,
  2n,
  0xffffffffn,
  0x100000000n,
  1n << 63n,
  (1n << 64n) - 1n,
  1n << 31n,
  0xffffn,
];

/**
 * A seeded random tensor: a mix of edge values (0, 1, 2^32 - 1, 2^63, -1, ...) and
 * uniform 64-bit values, reduced to the ring.
 *
 * @example
 * ```ts
 * import { randTensor } from "./testing.ts";
 * console.log(randTensor(7, [4], 32).ring); // 32
 * ```
 */
export function randTensor(seed: number, shape: Shape, ring: Ring): RingTensor {
  let s = (seed * 0x9e3779b9 + 0x7f4a7c15) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0);
  };
  const v = Array.from({ length: numel(shape) }, () => {
    const r = next();
    if (r % 4 === 0) return EDGES[next() % EDGES.length];
    return (BigInt(next()) << 32n) | BigInt(next());
  });
  return RingTensor.fromBigInts(v, shape, ring);
}

/**
 * Asserts that two tensors agree bit for bit (ring, shape, every element).
 *
 * @example
 * ```ts
 * import { assertSameTensor } from "./testing.ts";
 * import { RingTensor } from "@sharetensor/core/ring";
 * assertSameTensor(RingTensor.zeros([1]), RingTensor.zeros([1]), "zeros");
 * ```
 */
export function assertSameTensor(got: RingTensor, want: RingTensor, what: string): void {
  assert.equal(got.ring, want.ring, `${what}: ring`);
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  for (let i = 0; i < want.size; i++) {
    if (got.data[i] !== want.data[i]) {
      assert.fail(`${what}: element ${i} is ${got.data[i]}, want ${want.data[i]}`);
    }
  }
}
