// Elementwise product of 1M elements: the CPU device (baseline) against the WebGPU device,
// kernel only (queue drained with sync) and with the readback to the host.
import { cpu } from "@sharetensor/core/cpu";
import type { RingBuffer } from "@sharetensor/core/device";
import { createWebGpuDevice, webGpuAdapter } from "./mod.ts";
import { randTensor } from "./testing.ts";

const adapter = await webGpuAdapter();
const gpu = adapter ? await createWebGpuDevice({ adapter, cpuFallbackBelow: 0 }) : null;
const skip = adapter ? "" : " (skipped: no WebGPU adapter)";

for (const ring of [64, 32] as const) {
  const group = `mul 1M (Z_2^${ring})`;
  const a = randTensor(1, [1024, 1024], ring), b = randTensor(2, [1024, 1024], ring);
  Deno.bench(`cpu mul (Z_2^${ring})`, { group, baseline: true }, () => {
    cpu.mul(a, b);
  });
  const [ga, gb] = gpu ? [gpu.upload(a), gpu.upload(b)] : [null, null];
  const run = async (read: boolean) => {
    const c: RingBuffer = gpu!.mul(ga!, gb!);
    if (read) await gpu!.download(c);
    else await gpu!.sync();
    gpu!.dispose(c);
  };
  Deno.bench(`webgpu mul, kernel (Z_2^${ring})${skip}`, { group, ignore: !gpu }, () => run(false));
  Deno.bench(
    `webgpu mul + download (Z_2^${ring})${skip}`,
    { group, ignore: !gpu },
    () => run(true),
  );
}
