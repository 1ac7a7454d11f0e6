/**
 * W3 of shared/WORKLOADS.md: ReLU on [1000, 1000], x ~ U[-4, 4], 2 in-memory parties in
 * this process. CrypTen: 1.10 s, 232.6 MB, 9 rounds. Also the msb alone and a comparison.
 */
import type { SecretTensor } from "../secret_tensor.ts";
import { timed, twoParties } from "./bench_util.ts";

const N = 1000 * 1000;
const p = await twoParties();
let seed = 1;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const v = new Float64Array(N).map(() => rand() * 8 - 4);
const xs = await Promise.all(
  p.ctxs.map((c) => c.share(c.rank === 0 ? v : null, { from: 0, shape: [1000, 1000] })),
);

const report = new Map<string, string>();
const best = new Map<string, number>();
function note(name: string, r: Awaited<ReturnType<typeof timed>>): void {
  if (r.ms >= (best.get(name) ?? Infinity)) return;
  best.set(name, r.ms);
  report.set(
    name,
    `${name}: ${r.ms.toFixed(0)} ms (dealer ${r.dealerMs.toFixed(0)} ms), ${
      r.mb.toFixed(2)
    } MB, ${r.rounds} rounds (party 0)`,
  );
}

Deno.bench({
  name: "W3 relu [1000,1000], 2 parties",
  group: "W3",
  baseline: true,
  n: 3,
  warmup: 1,
  async fn() {
    note("relu", await timed(p, (c, i) => c.run<SecretTensor>("relu_a", xs[i])));
  },
});

Deno.bench({
  name: "msb [1000,1000], 2 parties",
  group: "W3",
  n: 3,
  warmup: 1,
  async fn() {
    note("msb", await timed(p, (c, i) => c.run<SecretTensor>("msb_a", xs[i])));
  },
});

globalThis.addEventListener("unload", () => {
  for (const line of report.values()) console.log(line);
});
