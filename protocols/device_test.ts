/**
 * The protocols on other devices: a device whose downloads resolve late and at different
 * times on each party (as a GPU's do) must not change results or hang the round batching;
 * and the WebGPU device, where an adapter exists.
 */
import assert from "node:assert/strict";
import { createWebGpuDevice, webGpuAdapter } from "@sharetensor/gpu";
import type { Context } from "./runtime/context.ts";
import { runParties } from "./runtime/run_parties.ts";
import { slowDevice } from "./runtime/slow_device.ts";

async function program(ctx: Context): Promise<(Float64Array | null)[]> {
  const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4] : null, { from: 0, shape: [2, 2] });
  const w = await ctx.share(ctx.rank === 1 ? [1, 0, 0.5, 1] : null, { from: 1, shape: [2, 2] });
  const [a, b, c] = await Promise.all([x.mul(w), x.matmul(w), x.square()]);
  const bx = await ctx.share(ctx.rank === 0 ? [12n, 5n] : null, {
    from: 0,
    shape: [2],
    kind: "binary",
  });
  const by = await ctx.share(ctx.rank === 1 ? [10n, 3n] : null, {
    from: 1,
    shape: [2],
    kind: "binary",
  });
  const bit = await (await bx.and(by)).bit(3).toArithmetic();
  // The comparisons reuse their send buffers right after a round (bit_ops.ts andFn).
  const d = x.sub(2.5);
  const [relu, lt, max] = await Promise.all([d.relu(), d.lt(w), d.max(1)]);
  return await Promise.all(
    [a, b, c, bit, relu, lt, max].map((t) => t.reveal()),
  );
}

function checkProgram(out: (Float64Array | null)[][]): void {
  const want = [
    [1, 0, 1.5, 4],
    [2, 2, 5, 4],
    [1, 4, 9, 16],
    [1, 0],
    [0, 0, 0.5, 1.5],
    [1, 1, 0, 0],
    [-0.5, 1.5],
  ];
  for (const res of out) {
    res.forEach((v, i) => {
      assert.ok(v);
      want[i].forEach((w, j) =>
        assert.ok(Math.abs(v[j] - w) <= 2 ** -15, `${i}[${j}]: ${v[j]} vs ${w}`)
      );
    });
  }
}

Deno.test("devices: late, uneven downloads on each party neither hang nor change results", async () => {
  for (let it = 0; it < 24; it++) {
    const n = 2 + (it % 3);
    const device = (r: number) => slowDevice({ seed: it * 7 + r + 1, maxDelayMs: 2 });
    checkProgram(await runParties(n, program, { device }));
  }
});

const adapter = await webGpuAdapter().catch(() => null);

Deno.test({
  name: "devices: semi2k on the WebGPU device (2 and 3 parties)",
  ignore: !adapter,
  async fn() {
    const gpu = await createWebGpuDevice({ adapter: adapter!, cpuFallbackBelow: 0 });
    try {
      for (const n of [2, 3]) checkProgram(await runParties(n, program, { device: gpu }));
    } finally {
      gpu.destroy();
    }
  },
});
