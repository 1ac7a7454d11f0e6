// The 64-bit emulation in WGSL (carries, the 16-bit-limb product, per-word shifts) against
// plain BigInt arithmetic, independent of the CPU device.
import assert from "node:assert/strict";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { gpuTest, randTensor } from "./testing.ts";

const wrap = (v: bigint, ring: Ring) => BigInt.asUintN(ring, v);

gpuTest("add, sub, mul, mulScalar agree with BigInt on edge and random values", async (gpu) => {
  for (const ring of [64, 32] as const) {
    const a = randTensor(11, [257], ring), b = randTensor(12, [257], ring);
    const [ga, gb] = [gpu.upload(a), gpu.upload(b)];
    const av = a.toBigInts(), bv = b.toBigInts();
    const c = (1n << 63n) + 0x9e3779b97f4a7c15n;
    const got = await Promise.all([
      gpu.download(gpu.add(ga, gb)),
      gpu.download(gpu.sub(ga, gb)),
      gpu.download(gpu.mul(ga, gb)),
      gpu.download(gpu.mulScalar(ga, c)),
    ]);
    const want = [
      av.map((x, i) => wrap(x + bv[i], ring)),
      av.map((x, i) => wrap(x - bv[i], ring)),
      av.map((x, i) => wrap(x * bv[i], ring)),
      av.map((x) => wrap(x * c, ring)),
    ];
    got.forEach((t, k) => assert.deepEqual(t.toBigInts(), want[k], `ring ${ring} op ${k}`));
  }
});

gpuTest("shifts and bits agree with BigInt for every k", async (gpu) => {
  for (const ring of [64, 32] as const) {
    const a = randTensor(21, [64], ring);
    const ga = gpu.upload(a);
    const av = a.toBigInts();
    for (let k = 0; k < ring; k++) {
      const kk = BigInt(k);
      const [shl, sar, shr, bit] = await Promise.all(
        [gpu.shl(ga, k), gpu.sar(ga, k), gpu.shr(ga, k), gpu.bit(ga, k)].map((t) =>
          gpu.download(t)
        ),
      );
      assert.deepEqual(shl.toBigInts(), av.map((x) => wrap(x << kk, ring)), `shl ${k}`);
      assert.deepEqual(
        sar.toBigInts(),
        av.map((x) => wrap(BigInt.asIntN(ring, x) >> kk, ring)),
        `sar ${k}`,
      );
      assert.deepEqual(shr.toBigInts(), av.map((x) => x >> kk), `shr ${k}`);
      assert.deepEqual(bit.toBigInts(), av.map((x) => (x >> kk) & 1n), `bit ${k}`);
    }
  }
});

for (const matmul of ["register", "tiled"] as const) {
  gpuTest(`matmul (${matmul}) agrees with a BigInt triple loop`, async (gpu) => {
    for (const ring of [64, 32] as const) {
      const [m, k, n] = [19, 37, 21];
      const a = randTensor(31, [m, k], ring), b = randTensor(32, [k, n], ring);
      const got = (await gpu.download(gpu.matmul(gpu.upload(a), gpu.upload(b)))).toBigInts();
      const av = a.toBigInts(), bv = b.toBigInts();
      const want: bigint[] = [];
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0n;
          for (let t = 0; t < k; t++) s += av[i * k + t] * bv[t * n + j];
          want.push(wrap(s, ring));
        }
      }
      assert.deepEqual(got, want, `ring ${ring}`);
    }
  }, { cpuFallbackBelow: 0, matmul });
}

gpuTest("upload and download round-trip both rings exactly", async (gpu) => {
  for (const ring of [64, 32] as const) {
    const a = randTensor(41, [3, 0, 2], ring), b = randTensor(42, [999], ring);
    for (const t of [a, b, RingTensor.fromBigInts([-1n], [], ring)]) {
      const back = await gpu.download(gpu.upload(t));
      assert.deepEqual(back.toBigInts(), t.toBigInts());
      assert.deepEqual(back.shape, t.shape);
    }
  }
});
