// Wrong shapes, mixed rings, foreign and disposed buffers: TypeErrors naming the shapes,
// and the same error class as the CPU device for every bad call.
import assert from "node:assert/strict";
import { cpu } from "@sharetensor/core/cpu";
import type { Device, RingBuffer } from "@sharetensor/core/device";
import { RingTensor } from "@sharetensor/core/ring";
import { createWebGpuDevice } from "./mod.ts";
import { adapter, gpuTest } from "./testing.ts";

gpuTest("foreign, disposed and non-tensor buffers are TypeErrors naming the shape", async (gpu) => {
  const host = RingTensor.fromBigInts([1n, 2n, 3n], [3]);
  const mine = gpu.upload(host);
  assert.throws(
    () => gpu.add(mine, cpu.upload(host)),
    (e: Error) =>
      e instanceof TypeError && /add: buffer \[3\] belongs to device "cpu"/.test(e.message),
  );
  const other = await createWebGpuDevice({ cpuFallbackBelow: 0, adapter: adapter! });
  const theirs = other.upload(host);
  assert.throws(() => gpu.mul(mine, theirs), /mul: buffer \[3\] belongs to another webgpu device/);
  await assert.rejects(gpu.download(theirs), TypeError);
  assert.throws(() => cpu.add(mine, mine), TypeError);
  const gone = gpu.upload(host);
  gpu.dispose(gone);
  assert.throws(() => gpu.neg(gone), /neg: buffer \[3\] was disposed/);
  await assert.rejects(gpu.download(gone), /download: buffer \[3\] was disposed/);
  assert.throws(() => gpu.upload([1n] as unknown as RingTensor), TypeError);
});

gpuTest("mixed rings and shapes that do not fit name both shapes", (gpu) => {
  const a = gpu.upload(RingTensor.zeros([2, 3], 64));
  const b = gpu.upload(RingTensor.zeros([2, 3], 32));
  const c = gpu.upload(RingTensor.zeros([4], 64));
  assert.throws(() => gpu.add(a, b), /add: mixed rings Z_2\^64 \[2,3\] and Z_2\^32 \[2,3\]/);
  assert.throws(() => gpu.sub(a, c), /sub: shapes \[2,3\] and \[4\] do not broadcast/);
  assert.throws(() => gpu.matmul(a, a), /matmul: \[2,3\] @ \[2,3\]: inner sizes 3 and 2 differ/);
  assert.throws(() => gpu.conv2d(a, a), /conv2d: input \[2,3\] and weight \[2,3\]/);
  assert.throws(() => gpu.reshape(a, [4, 2]), /reshape: cannot view \[2,3\] as \[4,2\]/);
  assert.throws(() => gpu.concat([a, c], 0), /concat: .*\[2,3\].*\[4\]/);
});

/** Bad calls, each given (device, z64 [2,3], z32 [2,3], z64 [4]). */
const BAD: [string, (d: Device, a: RingBuffer, b: RingBuffer, c: RingBuffer) => unknown][] = [
  ["add mixed rings", (d, a, b) => d.add(a, b)],
  ["xor no broadcast", (d, a, _b, c) => d.xor(a, c)],
  ["matmul scalar", (d, a) => d.matmul(d.sum(a), a)],
  ["matmul inner", (d, a) => d.matmul(a, a)],
  [
    "matmul batch",
    (d, a) => d.matmul(d.reshape(a, [2, 3, 1]), d.reshape(d.concat([a, a, a], 0), [3, 1, 6])),
  ],
  ["conv2d rank", (d, a) => d.conv2d(a, a)],
  ["conv2d channels", (d, a) => d.conv2d(d.reshape(a, [1, 2, 1, 3]), d.reshape(a, [2, 3, 1, 1]))],
  [
    "conv2d groups",
    (d, a) => d.conv2d(d.reshape(a, [1, 2, 1, 3]), d.reshape(a, [6, 1, 1, 1]), { groups: 0 }),
  ],
  [
    "conv2d stride",
    (d, a) => d.conv2d(d.reshape(a, [1, 1, 2, 3]), d.reshape(a, [1, 1, 2, 3]), { stride: 0 }),
  ],
  [
    "conv2d too big",
    (d, a) => d.conv2d(d.reshape(a, [1, 1, 2, 3]), d.reshape(d.concat([a, a], 0), [1, 1, 4, 3])),
  ],
  ["conv1d rank", (d, a) => d.conv1d(a, a)],
  ["shl range", (d, a) => d.shl(a, 64)],
  ["sar negative", (d, a) => d.sar(a, -1)],
  ["bit range 32", (d, _a, b) => d.bit(b, 32)],
  ["shr fraction", (d, a) => d.shr(a, 1.5)],
  ["mulScalar number", (d, a) => d.mulScalar(a, 3 as unknown as bigint)],
  ["sum axis", (d, a) => d.sum(a, [2])],
  ["sum repeat", (d, a) => d.sum(a, [0, -2])],
  ["reshape size", (d, a) => d.reshape(a, [5])],
  ["reshape two free", (d, a) => d.reshape(a, [-1, -1])],
  ["permute length", (d, a) => d.permute(a, [0])],
  ["permute repeat", (d, a) => d.permute(a, [1, 1])],
  ["transpose axis", (d, a) => d.transpose(a, 0, 5)],
  ["slice range", (d, a) => d.slice(a, [1, 0], [2, 3])],
  ["slice length", (d, a) => d.slice(a, [0], [1])],
  ["concat empty", (d) => d.concat([], 0)],
  ["concat rings", (d, a, b) => d.concat([a, b], 0)],
  ["concat off-axis", (d, a, _b, c) => d.concat([a, c], 0)],
  ["concat axis", (d, a) => d.concat([a, a], 2)],
  ["stack shapes", (d, a, _b, c) => d.stack([a, c], 0)],
  ["stack axis", (d, a) => d.stack([a, a], 3)],
  ["pad pairs", (d, a) => d.pad(a, [[0, 1]])],
  ["pad negative", (d, a) => d.pad(a, [[0, 1], [-1, 0]])],
  ["gather index", (d, a) => d.gather(a, [3], 1)],
  ["gather axis", (d, a) => d.gather(a, [0], 2)],
  ["expand", (d, a) => d.expand(a, [3, 3])],
  ["zeros shape", (d) => d.zeros([-1], 64)],
  ["zeros ring", (d) => d.zeros([1], 16 as 64)],
  ["fill number", (d) => d.fill([1], 64, 1 as unknown as bigint)],
];

gpuTest("every bad call throws the same error class as on the CPU", (gpu) => {
  const devs: Device[] = [cpu, gpu];
  for (const [what, f] of BAD) {
    const kinds = devs.map((d) => {
      const a = d.upload(RingTensor.zeros([2, 3], 64));
      const b = d.upload(RingTensor.zeros([2, 3], 32));
      const c = d.upload(RingTensor.zeros([4], 64));
      try {
        f(d, a, b, c);
        return "no error";
      } catch (e) {
        return (e as Error).constructor.name;
      }
    });
    assert.notEqual(kinds[0], "no error", `${what}: the CPU device accepts it`);
    assert.deepEqual(kinds, [kinds[0], kinds[0]], `${what}: cpu ${kinds[0]}, webgpu ${kinds[1]}`);
  }
});

gpuTest("a WebGPU error surfaces as a rejected sync, then the device goes on", async (gpu) => {
  const out = gpu.runtime.alloc(16);
  gpu.runtime.run({
    key: "test:broken",
    wgsl: () => "this is not WGSL",
    output: out,
    inputs: [],
    params: new Uint32Array([1]),
    grid: [1, 1, 1],
  });
  await assert.rejects(gpu.sync(), /WebGPU error/);
  gpu.runtime.release(out);
  const t = RingTensor.fromBigInts([5n], [1]);
  assert.deepEqual((await gpu.download(gpu.neg(gpu.upload(t)))).toBigInts(true), [-5n]);
});
