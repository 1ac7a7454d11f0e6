import assert from "node:assert/strict";
import { RingTensor } from "../ring.ts";
import { cpu, CpuDevice } from "./mod.ts";

Deno.test("upload and download copy; read does not; buffers say they are on the cpu", async () => {
  const t = RingTensor.fromBigInts([1n, 2n, 3n], [3]);
  const b = cpu.upload(t);
  assert.equal(b.deviceName, "cpu");
  assert.equal(cpu.name, "cpu");
  assert.deepEqual(b.shape, [3]);
  (t.data as BigUint64Array)[0] = 9n;
  assert.deepEqual(cpu.read(b).toBigInts(), [1n, 2n, 3n]);
  const d = await cpu.download(b);
  (d.data as BigUint64Array)[1] = 9n;
  assert.deepEqual(cpu.read(b).toBigInts(), [1n, 2n, 3n]);
  assert.equal(cpu.read(b), b);
  cpu.dispose(b);
  assert.ok(new CpuDevice() instanceof CpuDevice);
});

Deno.test("a buffer of another device is a TypeError, also for download", async () => {
  const foreign = { ring: 32 as const, shape: [4, 4], deviceName: "webgpu" };
  assert.throws(() => cpu.read(foreign), { name: "TypeError", message: /\[4,4\].*"webgpu"/ });
  await assert.rejects(cpu.download(foreign), TypeError);
  assert.throws(() => cpu.upload([1n] as unknown as RingTensor), TypeError);
});

Deno.test("kernels read inputs that are views at an offset into a larger buffer", () => {
  for (const ring of [64, 32] as const) {
    const big = RingTensor.fromBigInts(
      Array.from({ length: 40 }, (_, i) => BigInt(i * i + 1) * 0x9e3779b97f4a7c15n),
      [40],
      ring,
    );
    const view = (off: number, shape: number[]) =>
      new RingTensor(ring, shape, big.data.subarray(off, off + shape.reduce((x, y) => x * y, 1)));
    const a = view(3, [2, 3]), b = view(11, [3, 2]), x = view(5, [1, 2, 3, 3]);
    const w = view(1, [1, 2, 2, 2]);
    const cases: [string, (t: (u: RingTensor) => RingTensor) => RingTensor][] = [
      ["add", (t) => cpu.add(t(a), t(a))],
      ["matmul", (t) => cpu.matmul(t(a), t(b))],
      ["conv2d", (t) => cpu.conv2d(t(x), t(w))],
      ["sar", (t) => cpu.sar(t(a), 3)],
      ["not", (t) => cpu.not(t(a))],
      ["sum", (t) => cpu.sum(t(a), [1])],
      ["transpose", (t) => cpu.transpose(t(a))],
      ["gather", (t) => cpu.gather(t(a), [1, 0], 0)],
    ];
    for (const [name, f] of cases) {
      const onView = f((u) => u).toBigInts();
      const onCopy = f((u) => u.clone()).toBigInts();
      assert.deepEqual(onView, onCopy, `${name} Z_2^${ring}`);
    }
  }
});
