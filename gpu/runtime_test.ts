// The runtime's caches: one pipeline per program key, pooled buffers reused by size class,
// and batched work that submits itself without a download.
import assert from "node:assert/strict";
import { RingTensor } from "@sharetensor/core/ring";
import { gpuTest, randTensor } from "./testing.ts";

gpuTest("pipelines are cached per program key, not per call or size", async (gpu) => {
  const a = gpu.upload(randTensor(1, [300], 64)), b = gpu.upload(randTensor(2, [77], 64));
  await gpu.download(gpu.add(a, a));
  const n = gpu.runtime.pipelines;
  await gpu.download(gpu.add(b, b));
  await gpu.download(gpu.add(a, a));
  assert.equal(gpu.runtime.pipelines, n, "same key, same pipeline");
  await gpu.download(gpu.mul(a, a));
  assert.equal(gpu.runtime.pipelines, n + 1, "a new op compiles once");
});

gpuTest("released buffers come back from the pool by size class", (gpu) => {
  const x = gpu.runtime.alloc(1000);
  assert.equal(x.size, 1024);
  gpu.runtime.release(x);
  assert.equal(gpu.runtime.alloc(900), x);
  assert.notEqual(gpu.runtime.alloc(900), x);
  assert.throws(() => gpu.runtime.alloc(gpu.runtime.maxBinding + 1), RangeError);
});

gpuTest(
  "disposed tensors return memory that later results reuse, with correct values",
  async (gpu) => {
    const t = RingTensor.fromBigInts(Array.from({ length: 64 }, (_, i) => BigInt(i)), [64], 32);
    const a = gpu.upload(t);
    let acc = gpu.zeros([64], 32);
    for (let i = 0; i < 50; i++) {
      const next = gpu.add(acc, a);
      gpu.dispose(acc);
      acc = next;
    }
    assert.deepEqual((await gpu.download(acc)).toBigInts(), t.toBigInts().map((v) => v * 50n));
  },
);

gpuTest("recorded work is submitted at the end of the synchronous run", async (gpu) => {
  const a = gpu.upload(randTensor(3, [1000], 64));
  gpu.neg(a);
  assert.ok(gpu.runtime.pending > 0, "the dispatch is recorded, not yet submitted");
  await Promise.resolve();
  assert.equal(gpu.runtime.pending, 0, "submitted by the end-of-run microtask");
});
