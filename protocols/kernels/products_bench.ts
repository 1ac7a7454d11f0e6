/**
 * Micro benchmarks of the Beaver products over 2 in-memory parties (both parties in this
 * process, so each figure is the work of two parties plus the dealer), ring 64, ttp dealer.
 * Run: `deno bench -A protocols/kernels/products_bench.ts`.
 */
import { memoryNetwork } from "@sharetensor/net/memory";
import { createContext } from "../runtime/context.ts";
import { ttp } from "../dealers/ttp.ts";
import { semi2k } from "../semi2k.ts";
import type { SecretTensor } from "../secret_tensor.ts";

const dealer = ttp();
const ctxs = await Promise.all(
  memoryNetwork(2).map((transport) => createContext({ protocol: semi2k, dealer, transport })),
);

async function shares(shape: number[], from: number): Promise<SecretTensor[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 200) / 50 - 2);
  return await Promise.all(ctxs.map((c) => c.share(c.rank === from ? v : null, { from, shape })));
}

const x1k = await shares([1024], 0);
const x64k = await shares([65536], 0);
const a = await shares([128, 128], 0);
const w = await shares([128, 128], 1);
const aBig = await shares([64, 512], 0);
const wBig = await shares([512, 256], 1);
await Promise.all(ctxs.map((_, i) => aBig[i].matmul(wBig[i]))); // open wBig's mask once

Deno.bench("mul_aa 1k elements", { group: "mul", baseline: true }, async () => {
  await Promise.all(ctxs.map((_, i) => x1k[i].mul(x1k[i])));
});
Deno.bench("mul_aa 64k elements", { group: "mul" }, async () => {
  await Promise.all(ctxs.map((_, i) => x64k[i].mul(x64k[i])));
});
Deno.bench("square_a 64k elements", { group: "mul" }, async () => {
  await Promise.all(ctxs.map((_, i) => x64k[i].square()));
});
Deno.bench(
  "matmul_aa 128x128 @ 128x128 (fresh operands)",
  { group: "matmul", baseline: true },
  async () => {
    await Promise.all(ctxs.map((_, i) => a[i].matmul(w[i].mulPublic(1))));
  },
);
Deno.bench("matmul_aa 128x128 @ 128x128 (reused weight)", { group: "matmul" }, async () => {
  await Promise.all(ctxs.map((_, i) => a[i].matmul(w[i])));
});
Deno.bench("matmul_aa 64x512 @ 512x256 (reused weight)", { group: "matmul" }, async () => {
  await Promise.all(ctxs.map((_, i) => aBig[i].matmul(wBig[i])));
});
