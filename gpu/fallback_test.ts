// The CPU fallback for small tensors: what stays on the host, what moves to the GPU, and
// that results agree with a GPU-only device either way.
import assert from "node:assert/strict";
import { RingTensor } from "@sharetensor/core/ring";
import type { GpuTensor } from "./tensor.ts";
import { assertSameTensor, deviceFor, gpuTest, randTensor } from "./testing.ts";

const SMALL = { cpuFallbackBelow: 64 };
const GPU_ONLY = { cpuFallbackBelow: 0 };

gpuTest("small tensors stay on the host, large ones and mixed ops go to the GPU", async (dev) => {
  const ref = await deviceFor(GPU_ONLY);
  const small = randTensor(1, [4, 8], 64), large = randTensor(2, [16, 8], 64);
  const s = dev.upload(small) as GpuTensor, l = dev.upload(large) as GpuTensor;
  assert.ok(s.host && !s.storage, "a small upload stays on the host");
  assert.ok(l.storage && !l.host, "a large upload goes to the GPU");
  const ss = dev.mul(s, s) as GpuTensor;
  assert.ok(ss.host && !ss.storage, "small op small inputs: CPU kernel");
  const mixed = dev.add(dev.reshape(l, [4, 32]), dev.reshape(s, [32])) as GpuTensor;
  assert.ok(mixed.storage, "an op with a GPU input runs on the GPU");
  const rs = ref.upload(small), rl = ref.upload(large);
  const pairs = [
    [ss, ref.mul(rs, rs)],
    [mixed, ref.add(ref.reshape(rl, [4, 32]), ref.reshape(rs, [32]))],
    [dev.matmul(s, dev.transpose(s)), ref.matmul(rs, ref.transpose(rs))],
    [
      dev.sum(dev.matmul(l, dev.transpose(s)), [0]),
      ref.sum(ref.matmul(rl, ref.transpose(rs)), [0]),
    ],
    [dev.fill([3], 64, 5n), ref.fill([3], 64, 5n)],
    [dev.zeros([100], 32), ref.zeros([100], 32)],
  ] as const;
  for (const [i, [got, want]] of pairs.entries()) {
    assertSameTensor(await dev.download(got), await ref.download(want), `case ${i}`);
  }
  const z = dev.zeros([100], 32) as GpuTensor;
  assert.ok(z.storage && !z.host);
  dev.dispose(s);
  assert.throws(() => dev.neg(s), TypeError);
}, SMALL);

gpuTest("options are checked before a device is opened", async () => {
  const { createWebGpuDevice } = await import("./mod.ts");
  await assert.rejects(createWebGpuDevice({ cpuFallbackBelow: -1 }), RangeError);
  await assert.rejects(createWebGpuDevice({ cpuFallbackBelow: 0.5 }), RangeError);
  await assert.rejects(createWebGpuDevice({ matmul: "fast" as "tiled" }), TypeError);
  const d = await createWebGpuDevice({ cpuFallbackBelow: 0 });
  assert.equal(d.cpuFallbackBelow, 0);
  assert.equal((d.upload(RingTensor.zeros([1])) as GpuTensor).host, null);
});
