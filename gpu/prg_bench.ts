// 1M ring elements of Z_2^64 from the PRG: core's ChaCha20 Prg on the CPU (baseline)
// against the same keystream drawn on the GPU.
import { Prg } from "@sharetensor/core/prg";
import { createWebGpuDevice, prgRing, webGpuAdapter } from "./mod.ts";

const adapter = await webGpuAdapter();
const gpu = adapter ? await createWebGpuDevice({ adapter, cpuFallbackBelow: 0 }) : null;
const skip = adapter ? "" : " (skipped: no WebGPU adapter)";
const seed = new Uint8Array(32).fill(3);
const group = "prg 1M (Z_2^64)";

Deno.bench("cpu Prg.ring", { group, baseline: true }, () => {
  new Prg(seed).ring([1 << 20]);
});
const run = async (read: boolean) => {
  const r = prgRing(gpu!, { seed, position: 0 }, [1 << 20], 64);
  if (read) await gpu!.download(r);
  else await gpu!.sync();
  gpu!.dispose(r);
};
Deno.bench(`webgpu prgRing, kernel${skip}`, { group, ignore: !gpu }, () => run(false));
Deno.bench(`webgpu prgRing + download${skip}`, { group, ignore: !gpu }, () => run(true));
