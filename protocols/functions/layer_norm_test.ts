import assert from "node:assert/strict";
import { runParties } from "../mod.ts";
import { layerNorm } from "./layer_norm.ts";
import { uniform } from "./test_util.ts";

Deno.test("layerNorm: W7-like rows N(m, s^2), s ~ U[0.5, 4], secret gamma/beta: <= 2e-3, 17 rounds", async () => {
  const rows = 32, n = 768;
  const u = uniform(0, 1, rows * n * 2 + 2 * rows, 3);
  const xs = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const m = -2 + 4 * u[2 * rows * n + r], s = 0.5 + 3.5 * u[2 * rows * n + rows + r];
    for (let i = 0; i < n; i++) {
      const k = r * n + i; // Box-Muller
      xs[k] = m +
        s * Math.sqrt(-2 * Math.log(u[2 * k] + 1e-12)) * Math.cos(2 * Math.PI * u[2 * k + 1]);
    }
  }
  const gamma = uniform(0.5, 1.5, n, 7), beta = uniform(-1, 1, n, 8);
  const [res] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [rows, n] });
    const g = await ctx.share(ctx.rank === 1 ? gamma : null, { from: 1, shape: [n] });
    const b = await ctx.share(ctx.rank === 1 ? beta : null, { from: 1, shape: [n] });
    await ctx.flush();
    const s0 = ctx.stats();
    const y = await layerNorm(x, { gamma: g, beta: b });
    await ctx.flush();
    const s1 = ctx.stats();
    return {
      out: (await y.reveal())!,
      xin: (await x.reveal())!,
      rounds: s1.rounds - s0.rounds,
      bytes: s1.payloadBytes - s0.payloadBytes,
    };
  }, { dealer: "tfpUnsafe" });
  let err = 0;
  for (let r = 0; r < rows; r++) {
    const row = res.xin.subarray(r * n, (r + 1) * n);
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    for (let i = 0; i < n; i++) {
      const want = (row[i] - mean) / Math.sqrt(v + 1e-5) * gamma[i] + beta[i];
      err = Math.max(err, Math.abs(res.out[r * n + i] - want));
    }
  }
  console.log("layerNorm", err, res.rounds, res.bytes / (rows * n));
  assert.ok(err <= 2e-3, `${err}`);
  assert.ok(res.rounds <= 17, `${res.rounds}`);
});
