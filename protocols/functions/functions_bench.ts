/**
 * Micro benchmarks of the function library at the sizes of WORKLOADS.md (W4, W4b, W5, W6,
 * W7): 2 in-memory parties, `tfpUnsafe` dealer, CPU device. The time covers the function
 * only (sharing the input and revealing are outside). Rounds and payload bytes of party 0
 * are printed once per workload beside CrypTen's figures.
 *
 * Run: `deno bench -A protocols/functions/functions_bench.ts`
 * @module
 */
import { runParties } from "../mod.ts";
import type { Context } from "../runtime/context.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { exp } from "./exp.ts";
import { gelu } from "./gelu.ts";
import { layerNorm } from "./layer_norm.ts";
import { reciprocal } from "./reciprocal.ts";
import { softmax } from "./softmax.ts";
import { uniform } from "./test_util.ts";

interface Work {
  id: string;
  shape: number[];
  draw: (n: number) => Float64Array;
  f: (x: SecretTensor, ctx: Context, w?: SecretTensor[]) => Promise<SecretTensor>;
  /** Weights from party 1 (shapes and values), shared before the timer. */
  weights?: { shape: number[]; draw: (n: number) => Float64Array }[];
  crypten: { rounds: number; mb: number; s: number };
}

const normal = (n: number) => {
  const u = uniform(0, 1, 2 * n, 6);
  return Float64Array.from(
    { length: n },
    (_, i) => Math.sqrt(-2 * Math.log(u[2 * i] + 1e-12)) * Math.cos(2 * Math.PI * u[2 * i + 1]),
  );
};

const WORKS: Work[] = [
  {
    id: "W4 exp",
    shape: [128, 3072],
    draw: (n) => uniform(-4, 4, n, 4),
    f: (x) => exp(x),
    crypten: { rounds: 8, mb: 25.2, s: 0.156 },
  },
  {
    id: "W4b reciprocal",
    shape: [128, 3072],
    draw: (n) => uniform(0.5, 50, n, 4),
    f: (x) => reciprocal(x, { range: [0.5, 50] }), // as bench/workloads.ts
    crypten: { rounds: 38, mb: 217.2, s: 0.955 },
  },
  {
    id: "W5 softmax",
    shape: [12, 128, 128],
    draw: (n) => uniform(-4, 4, n, 5),
    f: (x) => softmax(x),
    crypten: { rounds: 116, mb: 146.4, s: 0.793 },
  },
  {
    id: "W6 gelu",
    shape: [128, 3072],
    draw: normal,
    f: (x) => gelu(x),
    crypten: { rounds: 35, mb: 154.7, s: 0.72 },
  },
  {
    id: "W7 layerNorm",
    shape: [128, 768],
    draw: (n) => {
      // rows N(m, s^2), s ~ U[0.5, 4]
      const z = normal(n);
      const u = uniform(0, 1, 256, 9);
      return z.map((v, i) =>
        -2 + 4 * u[(i / 768) | 0] + (0.5 + 3.5 * u[128 + ((i / 768) | 0)]) * v
      );
    },
    weights: [
      { shape: [768], draw: (n) => uniform(0.5, 1.5, n, 7) },
      { shape: [768], draw: (n) => uniform(-1, 1, n, 8) },
    ],
    f: (x, _ctx, w) => layerNorm(x, { gamma: w![0], beta: w![1] }),
    crypten: { rounds: 20, mb: 2.4, s: 0.065 },
  },
];

async function once(w: Work, timer?: Deno.BenchContext) {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const xs = w.draw(n);
  const [r] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: w.shape });
    const ws: SecretTensor[] = [];
    for (const spec of w.weights ?? []) {
      const v = spec.draw(spec.shape.reduce((a, b) => a * b, 1));
      ws.push(await ctx.share(ctx.rank === 1 ? v : null, { from: 1, shape: spec.shape }));
    }
    await ctx.flush();
    const s0 = ctx.stats();
    if (ctx.rank === 0) timer?.start();
    await w.f(x, ctx, ws);
    await ctx.flush();
    if (ctx.rank === 0) timer?.end();
    const s1 = ctx.stats();
    return { rounds: s1.rounds - s0.rounds, mb: (s1.payloadBytes - s0.payloadBytes) / 1e6 };
  }, { dealer: "tfpUnsafe" });
  return r;
}

const printed = new Set<string>();
/** SHARETENSOR_BENCH_ONLY=W4b,W7 runs a subset. */
const only = (Deno.env.get("SHARETENSOR_BENCH_ONLY") ?? "").split(",").filter((s) => s);

for (const w of WORKS) {
  Deno.bench({
    name: w.id,
    group: "functions",
    n: 2,
    ignore: only.length > 0 && !only.some((o) => w.id.startsWith(o)),
    warmup: 0,
    async fn(b) {
      const r = await once(w, b);
      if (!printed.has(w.id)) {
        printed.add(w.id);
        console.log(
          `${w.id}: ${r.rounds} rounds, ${
            r.mb.toFixed(3)
          } MB (P0 payload); CrypTen ${w.crypten.rounds} rounds, ${w.crypten.mb} MB, ${w.crypten.s} s`,
        );
      }
    },
  });
}
