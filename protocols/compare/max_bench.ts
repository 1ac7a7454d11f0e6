/**
 * W12 of shared/WORKLOADS.md: max and one-hot argmax along dim 1 of [128, 1000],
 * x ~ U[-1, 1] (any distribution costs the same), 2 in-memory parties in this process.
 * CrypTen: 0.546 s, 80.0 MB, 100 rounds.
 */
import { timed, twoParties } from "./bench_util.ts";

const p = await twoParties();
let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const v = new Float64Array(128 * 1000).map(() => rand() * 2 - 1);
const xs = await Promise.all(
  p.ctxs.map((c) => c.share(c.rank === 0 ? v : null, { from: 0, shape: [128, 1000] })),
);
const report = new Map<string, string>();
let best = Infinity;

Deno.bench({
  name: "W12 max + one-hot argmax, dim 1 of [128,1000], 2 parties",
  group: "W12",
  baseline: true,
  n: 5,
  warmup: 2,
  async fn() {
    const r = await timed(p, (c, i) => c.run("max_a", xs[i], 1, true));
    if (r.ms >= best) return;
    best = r.ms;
    report.set(
      "W12",
      `W12: ${r.ms.toFixed(0)} ms (dealer ${r.dealerMs.toFixed(0)} ms), ${
        r.mb.toFixed(2)
      } MB, ${r.rounds} rounds (party 0)`,
    );
  },
});

globalThis.addEventListener("unload", () => {
  for (const line of report.values()) console.log(line);
});
