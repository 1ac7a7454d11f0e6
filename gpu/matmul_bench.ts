// Matmul [128,768] @ [768,768] (a transformer projection at batch 128), and 2048^3 when
// SHARETENSOR_BENCH_BIG=1: the CPU device (baseline) against the WebGPU device with both
// matmul strategies, kernel only (sync) and with the readback.
import { cpu } from "@sharetensor/core/cpu";
import type { RingBuffer } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import { createWebGpuDevice, webGpuAdapter } from "./mod.ts";
import type { WebGpuDevice } from "./device.ts";
import { randTensor } from "./testing.ts";

const adapter = await webGpuAdapter();
const devs: Record<string, WebGpuDevice | null> = {
  register: adapter
    ? await createWebGpuDevice({ adapter, cpuFallbackBelow: 0, matmul: "register" })
    : null,
  tiled: adapter
    ? await createWebGpuDevice({ adapter, cpuFallbackBelow: 0, matmul: "tiled" })
    : null,
};
const skip = adapter ? "" : " (skipped: no WebGPU adapter)";
const big = Deno.env.get("SHARETENSOR_BENCH_BIG") === "1";

function group(
  m: number,
  k: number,
  n: number,
  ring: Ring,
  withCpu: boolean,
  iters?: number,
  strategies = Object.keys(devs),
) {
  const name = `matmul [${m},${k}]@[${k},${n}] (Z_2^${ring})`;
  const a = randTensor(1, [m, k], ring), b = randTensor(2, [k, n], ring);
  const opt = iters ? { n: iters, warmup: 1 } : {};
  Deno.bench(`cpu matmul`, { group: name, baseline: true, ignore: !withCpu, ...opt }, () => {
    cpu.matmul(a, b);
  });
  for (const [strategy, gpu] of Object.entries(devs).filter(([k]) => strategies.includes(k))) {
    const [ga, gb] = gpu ? [gpu.upload(a), gpu.upload(b)] : [null, null];
    const run = async (read: boolean) => {
      const c: RingBuffer = gpu!.matmul(ga!, gb!);
      if (read) await gpu!.download(c);
      else await gpu!.sync();
      gpu!.dispose(c);
    };
    Deno.bench(
      `webgpu ${strategy}, kernel${skip}`,
      { group: name, ignore: !gpu, ...opt },
      () => run(false),
    );
    Deno.bench(
      `webgpu ${strategy} + download${skip}`,
      { group: name, ignore: !gpu, ...opt },
      () => run(true),
    );
  }
}

group(128, 768, 768, 64, true);
group(128, 768, 768, 32, true);
// 2048^3: the CPU and the strategy the adapter picks by default, one timed run each.
const dflt = devs.register
  ? [(await createWebGpuDevice({ adapter: adapter! })).matmulStrategy]
  : [];
if (big) group(2048, 2048, 2048, 64, true, 1, dflt);
else {
  Deno.bench({
    name: "matmul [2048,2048]@[2048,2048] (skipped: set SHARETENSOR_BENCH_BIG=1)",
    ignore: true,
    fn: () => {},
  });
}
