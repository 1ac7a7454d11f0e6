/**
 * W1, W2a and W2b of shared/WORKLOADS.md on 2 in-memory parties in this process (one
 * thread for both, so a time is the two parties' work added up). The dealer's time is
 * measured apart, since the workloads count correlated randomness as offline. CrypTen
 * (2 processes, one core each): W1 0.061 s, 16.0 MB, 1 round; W2a 0.067 s, 5.5 MB,
 * 1 round; W2b 0.020 s, 1.05 MB, 1 round.
 *
 * Run: `deno bench -A protocols/kernels/workloads_bench.ts`; the per-run figures (online
 * time without the dealer, MB and rounds of party 0) are printed at the end.
 * @module
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { timed, twoParties } from "../compare/bench_util.ts";

const p = await twoParties();
let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const uni = (n: number, lo: number, hi: number) =>
  new Float64Array(n).map(() => lo + (hi - lo) * rand());

async function shareBoth(v: Float64Array, from: number, shape: number[]): Promise<SecretTensor[]> {
  return await Promise.all(
    p.ctxs.map((c) => c.share(c.rank === from ? v : null, { from, shape })),
  );
}

const x1 = await shareBoth(uni(1e6, -4, 4), 0, [1000, 1000]);
const y1 = await shareBoth(uni(1e6, -4, 4), 1, [1000, 1000]);
const x2a = await shareBoth(uni(128 * 768, -1, 1), 0, [128, 768]);
const w2a = await shareBoth(uni(768 * 768, -1, 1), 1, [768, 768]);
const x2b = await shareBoth(uni(256 * 256, -1, 1), 0, [256, 256]);
const w2b = await shareBoth(uni(256 * 256, -1, 1), 1, [256, 256]);

const best = new Map<string, string>();
const bestMs = new Map<string, number>();
function note(name: string, r: Awaited<ReturnType<typeof timed>>): void {
  const online = r.ms - r.dealerMs;
  if (online >= (bestMs.get(name) ?? Infinity)) return;
  bestMs.set(name, online);
  best.set(
    name,
    `${name}: ${online.toFixed(1)} ms online for both parties (dealer ${
      r.dealerMs.toFixed(1)
    } ms apart), ${r.mb.toFixed(2)} MB, ${r.rounds} round(s) (party 0)`,
  );
}

const cases: [string, string, () => Promise<void>][] = [
  ["W1", "W1 mul [1000,1000]", async () => {
    note("W1", await timed(p, async (_c, i) => void await x1[i].mul(y1[i])));
  }],
  ["W2a", "W2a matmul [128,768]@[768,768]", async () => {
    note("W2a", await timed(p, async (_c, i) => void await x2a[i].matmul(w2a[i])));
  }],
  ["W2b", "W2b matmul [256,256]@[256,256]", async () => {
    note("W2b", await timed(p, async (_c, i) => void await x2b[i].matmul(w2b[i])));
  }],
];
for (const [group, name, fn] of cases) {
  Deno.bench({ name, group, baseline: true, n: 5, warmup: 2, fn });
}

globalThis.addEventListener("unload", () => {
  for (const line of best.values()) console.log(line);
});
