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
