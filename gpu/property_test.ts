// Property tests (fast-check): on random shapes, broadcasts and data, the WebGPU device
// equals the CPU device bit for bit. Few runs: each costs a GPU readback.
import fc from "fast-check";
import { cpu } from "@sharetensor/core/cpu";
import type { Ring } from "@sharetensor/core/ring";
import { assertSameTensor, gpuTest, randTensor } from "./testing.ts";

const ring = fc.constantFrom<Ring>(64, 32);
const dims = (max: number) =>
  fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: max });

gpuTest("binary ops on random broadcast shapes equal the CPU", async (gpu) => {
  // b's shape is a suffix of a's with some dims set to 1: always broadcastable.
  const arb = fc.record({
    ring,
    a: dims(4),
    cut: fc.nat(4),
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    swap: fc.boolean(),
    op: fc.constantFrom("add", "sub", "mul", "and", "or", "xor") as fc.Arbitrary<
      "add" | "sub" | "mul" | "and" | "or" | "xor"
    >,
    seed: fc.nat(),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ ring, a, cut, ones, swap, op, seed }) => {
      const b = a.slice(Math.min(cut, a.length)).map((d, i) => (ones[i] ? 1 : d));
      const [sa, sb] = swap ? [b, a] : [a, b];
      const x = randTensor(seed, sa, ring), y = randTensor(seed + 1, sb, ring);
      const want = cpu.read(cpu[op](x, y));
      const got = await gpu.download(gpu[op](gpu.upload(x), gpu.upload(y)));
      assertSameTensor(got, want, `${op} Z_2^${ring} [${sa}] [${sb}]`);
    }),
    { numRuns: 40 },
  );
});

gpuTest("matmul, sum and permute on random shapes equal the CPU", async (gpu) => {
  const arb = fc.record({
    ring,
    batch: dims(2),
    m: fc.integer({ min: 1, max: 9 }),
    k: fc.integer({ min: 0, max: 9 }),
    n: fc.integer({ min: 1, max: 70 }),
    seed: fc.nat(),
    keep: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ ring, batch, m, k, n, seed, keep }) => {
      const a = randTensor(seed, [...batch, m, k], ring), b = randTensor(seed + 1, [k, n], ring);
      const [ga, gb] = [gpu.upload(a), gpu.upload(b)];
      const c = cpu.matmul(a, b);
      const gc = gpu.matmul(ga, gb);
      assertSameTensor(await gpu.download(gc), cpu.read(c), `matmul [${a.shape}] @ [${b.shape}]`);
      const axes = c.shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
      assertSameTensor(
        await gpu.download(gpu.sum(gc, axes, keep)),
        cpu.read(cpu.sum(c, axes, keep)),
        `sum [${c.shape}] over [${axes}]`,
      );
      const perm = c.shape.map((_, i) => i).reverse();
      assertSameTensor(
        await gpu.download(gpu.permute(gc, perm)),
        cpu.read(cpu.permute(c, perm)),
        `permute [${c.shape}]`,
      );
    }),
    { numRuns: 25 },
  );
});
