// The WebGPU device against the CPU device, bit-exact, on random data in both rings:
// empty, scalar, broadcast and odd shapes, and every kernel of the Device interface.
import { cpu } from "@sharetensor/core/cpu";
import type { RingBuffer } from "@sharetensor/core/device";
import type { Ring, RingTensor } from "@sharetensor/core/ring";
import type { Shape } from "@sharetensor/core/shape";
import type { WebGpuDevice } from "./device.ts";
import { assertSameTensor, gpuTest, randTensor } from "./testing.ts";

const RINGS: Ring[] = [64, 32];

/** Runs `f` on both devices with the same inputs and compares the outputs. */
async function same(
  gpu: WebGpuDevice,
  what: string,
  inputs: RingTensor[],
  f: (d: typeof cpu | WebGpuDevice, xs: RingBuffer[]) => RingBuffer,
): Promise<void> {
  const want = cpu.read(f(cpu, inputs.map((t) => cpu.upload(t))));
  const got = await gpu.download(f(gpu, inputs.map((t) => gpu.upload(t))));
  assertSameTensor(got, want, what);
}

const BINARY_SHAPES: [Shape, Shape][] = [
  [[], []],
  [[7], [7]],
  [[2, 3], []],
  [[], [5]],
  [[3, 1, 5], [4, 1]],
  [[1, 1], [1]],
  [[33, 17], [17]],
  [[4, 1, 3, 1], [1, 5, 1, 2]],
  [[2, 3, 4], [2, 3, 4]],
  [[0], [1]],
  [[2, 0, 3], [3]],
  [[1000], [1000]],
];

gpuTest("add, sub, mul, and, or, xor match the CPU with broadcasting", async (gpu) => {
  let seed = 1;
  for (const ring of RINGS) {
    for (const [sa, sb] of BINARY_SHAPES) {
      const a = randTensor(seed++, sa, ring), b = randTensor(seed++, sb, ring);
      for (const op of ["add", "sub", "mul", "and", "or", "xor"] as const) {
        await same(gpu, `${op} Z_2^${ring} [${sa}] [${sb}]`, [a, b], (d, [x, y]) => d[op](x, y));
      }
    }
  }
});

gpuTest("neg, not, mulScalar, shifts and bit match the CPU", async (gpu) => {
  for (const ring of RINGS) {
    for (const shape of [[], [0], [5, 3], [1031]]) {
      const a = randTensor(ring + shape.length, shape, ring);
      await same(gpu, `neg ${ring}`, [a], (d, [x]) => d.neg(x));
      await same(gpu, `not ${ring}`, [a], (d, [x]) => d.not(x));
      for (const c of [0n, 1n, -3n, (1n << 40n) + 3n, (1n << 64n) - 1n, 0x12345678n]) {
        await same(gpu, `mulScalar ${ring} ${c}`, [a], (d, [x]) => d.mulScalar(x, c));
      }
      for (const k of [0, 1, 7, 16, 31, 32, 33, 47, 63].filter((k) => k < ring)) {
        for (const op of ["shl", "sar", "shr", "bit"] as const) {
          await same(gpu, `${op} ${ring} k=${k} [${shape}]`, [a], (d, [x]) => d[op](x, k));
        }
      }
    }
  }
});

const MATMUL_SHAPES: [Shape, Shape][] = [
  [[3], [3]],
  [[2, 3], [3]],
  [[3], [3, 4]],
  [[5, 7], [7, 3]],
  [[2, 1, 5, 7], [3, 7, 2]],
  [[0, 3], [3, 4]],
  [[2, 0], [0, 3]],
  [[65, 70], [70, 67]],
  [[3, 1, 9], [9, 130]],
];

for (const matmul of ["register", "tiled"] as const) {
  gpuTest(`matmul (${matmul}) matches the CPU, batched and broadcast`, async (gpu) => {
    let seed = 100;
    for (const ring of RINGS) {
      for (const [sa, sb] of MATMUL_SHAPES) {
        const a = randTensor(seed++, sa, ring), b = randTensor(seed++, sb, ring);
        await same(gpu, `matmul ${ring} [${sa}] @ [${sb}]`, [a, b], (d, [x, y]) => d.matmul(x, y));
      }
    }
  }, { cpuFallbackBelow: 0, matmul });
}

gpuTest("conv1d and conv2d match the CPU (stride, padding, dilation, groups)", async (gpu) => {
  const cases: [Shape, Shape, object][] = [
    [[2, 3, 7, 6], [4, 3, 3, 2], {}],
    [[2, 3, 7, 6], [4, 3, 3, 2], { stride: 2, padding: 1, dilation: [2, 1] }],
    [[1, 4, 5, 5], [6, 2, 3, 3], { groups: 2, padding: [1, 0] }],
    [[0, 1, 4, 4], [2, 1, 3, 3], {}],
    [[1, 1, 3, 3], [2, 1, 3, 3], {}],
  ];
  let seed = 300;
  for (const ring of RINGS) {
    for (const [xs, ws, opts] of cases) {
      const x = randTensor(seed++, xs, ring), w = randTensor(seed++, ws, ring);
      await same(
        gpu,
        `conv2d ${ring} [${xs}] [${ws}] ${JSON.stringify(opts)}`,
        [x, w],
        (d, [a, b]) => d.conv2d(a, b, opts),
      );
    }
    const x = randTensor(seed++, [2, 4, 9], ring), w = randTensor(seed++, [6, 2, 3], ring);
    const opts = { groups: 2, stride: 2, padding: 1 };
    await same(gpu, `conv1d ${ring}`, [x, w], (d, [a, b]) => d.conv1d(a, b, opts));
    await same(
      gpu,
      `conv1d ${ring} plain`,
      [x, randTensor(seed++, [3, 4, 4], ring)],
      (d, [a, b]) => d.conv1d(a, b),
    );
  }
});

gpuTest("sum matches the CPU over any dims, keepDims, empty and long rows", async (gpu) => {
  const cases: [Shape, number[] | undefined, boolean][] = [
    [[2, 3, 4], undefined, false],
    [[2, 3, 4], [0], false],
    [[2, 3, 4], [-1], true],
    [[2, 3, 4], [0, 2], false],
    [[2, 3, 4], [2, 0], true],
    [[2, 3, 4], [], false],
    [[], undefined, false],
    [[3, 0], [1], false],
    [[0, 3], [1], true],
    [[5000], undefined, false],
    [[3, 4500], [1], false],
  ];
  let seed = 500;
  for (const ring of RINGS) {
    for (const [shape, dims, keep] of cases) {
      const a = randTensor(seed++, shape, ring);
      await same(
        gpu,
        `sum ${ring} [${shape}] ${dims} ${keep}`,
        [a],
        (d, [x]) => d.sum(x, dims, keep),
      );
    }
  }
});

gpuTest("layout ops match the CPU", async (gpu) => {
  let seed = 700;
  for (const ring of RINGS) {
    const a = randTensor(seed++, [2, 3, 4], ring);
    const b = randTensor(seed++, [2, 5, 4], ring);
    const e = randTensor(seed++, [2, 0, 4], ring);
    const s = randTensor(seed++, [], ring);
    const r = `Z_2^${ring}`;
    await same(gpu, `reshape ${r}`, [a], (d, [x]) => d.reshape(x, [4, -1]));
    await same(gpu, `reshape scalar ${r}`, [s], (d, [x]) => d.reshape(x, [1, 1]));
    await same(gpu, `permute ${r}`, [a], (d, [x]) => d.permute(x, [2, 0, 1]));
    await same(gpu, `transpose ${r}`, [a], (d, [x]) => d.transpose(x));
    await same(gpu, `transpose 0 2 ${r}`, [a], (d, [x]) => d.transpose(x, 0, 2));
    await same(gpu, `slice ${r}`, [a], (d, [x]) => d.slice(x, [1, 1, 0], [1, -1, 3]));
    await same(gpu, `slice empty ${r}`, [a], (d, [x]) => d.slice(x, [0, 1, 0], [2, 0, 4]));
    await same(gpu, `concat ${r}`, [a, b, e, a], (d, xs) => d.concat(xs, 1));
    await same(gpu, `concat last ${r}`, [a, a], (d, xs) => d.concat(xs, -1));
    await same(gpu, `stack ${r}`, [a, a, a], (d, xs) => d.stack(xs, 0));
    await same(gpu, `stack last ${r}`, [a, a], (d, xs) => d.stack(xs, -1));
    await same(gpu, `stack scalars ${r}`, [s, s], (d, xs) => d.stack(xs, 0));
    await same(gpu, `pad ${r}`, [a], (d, [x]) => d.pad(x, [[0, 1], [2, 0], [1, 1]]));
    await same(gpu, `pad value ${r}`, [a], (d, [x]) => d.pad(x, [[1, 0], [0, 0], [0, 2]], -5n));
    await same(gpu, `pad empty ${r}`, [e], (d, [x]) => d.pad(x, [[0, 0], [1, 1], [0, 0]], 9n));
    await same(gpu, `gather ${r}`, [a], (d, [x]) => d.gather(x, [2, -1, 0, 0], 1));
    await same(gpu, `gather first ${r}`, [a], (d, [x]) => d.gather(x, [1], 0));
    await same(gpu, `gather last ${r}`, [a], (d, [x]) => d.gather(x, [3, 1], -1));
    await same(gpu, `gather none ${r}`, [a], (d, [x]) => d.gather(x, [], 2));
    await same(
      gpu,
      `expand ${r}`,
      [randTensor(seed++, [3, 1], ring)],
      (d, [x]) => d.expand(x, [2, 3, 4]),
    );
    await same(gpu, `expand scalar ${r}`, [s], (d, [x]) => d.expand(x, [2, 2]));
    await same(gpu, `zeros ${r}`, [], (d) => d.zeros([3, 5], ring));
    await same(gpu, `fill ${r}`, [], (d) => d.fill([7], ring, -2n));
    await same(gpu, `fill empty ${r}`, [], (d) => d.fill([0, 2], ring, 3n));
  }
});

gpuTest("chained ops on device-resident intermediates, with dispose", async (gpu) => {
  for (const ring of RINGS) {
    const x = randTensor(900, [6, 5], ring), w = randTensor(901, [5, 4], ring);
    const f = (d: typeof cpu | WebGpuDevice, [a, b]: RingBuffer[]) => {
      const y = d.matmul(a, b);
      const z = d.add(d.sar(y, 3), d.transpose(d.reshape(y, [4, 6]), 0, 1));
      const s = d.sum(z, [0], true);
      const out = d.sub(z, s);
      d.dispose(y);
      return d.mul(out, d.bit(z, 5));
    };
    await same(gpu, `chain ${ring}`, [x, w], f);
  }
});
