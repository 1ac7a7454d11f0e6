// conv2d of x [64,1,28,28] with w [16,1,5,5] (the first layer of a LeNet-style MNIST
// network at batch 64): the CPU device (baseline) against the WebGPU device.
import { cpu } from "@sharetensor/core/cpu";
import type { RingBuffer } from "@sharetensor/core/device";
import { createWebGpuDevice, webGpuAdapter } from "./mod.ts";
import { randTensor } from "./testing.ts";

const adapter = await webGpuAdapter();
const gpu = adapter ? await createWebGpuDevice({ adapter, cpuFallbackBelow: 0 }) : null;
const skip = adapter ? "" : " (skipped: no WebGPU adapter)";

for (const ring of [64, 32] as const) {
  const group = `conv2d x[64,1,28,28] w[16,1,5,5] (Z_2^${ring})`;
  const x = randTensor(1, [64, 1, 28, 28], ring), w = randTensor(2, [16, 1, 5, 5], ring);
  Deno.bench(`cpu conv2d (Z_2^${ring})`, { group, baseline: true }, () => {
    cpu.conv2d(x, w);
  });
  const [gx, gw] = gpu ? [gpu.upload(x), gpu.upload(w)] : [null, null];
  const run = async (read: boolean) => {
    const c: RingBuffer = gpu!.conv2d(gx!, gw!);
    if (read) await gpu!.download(c);
    else await gpu!.sync();
    gpu!.dispose(c);
  };
  Deno.bench(
    `webgpu conv2d, kernel (Z_2^${ring})${skip}`,
    { group, ignore: !gpu },
    () => run(false),
  );
  Deno.bench(
    `webgpu conv2d + download (Z_2^${ring})${skip}`,
    { group, ignore: !gpu },
    () => run(true),
  );
}
