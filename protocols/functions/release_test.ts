import assert from "node:assert/strict";
import { CpuDevice } from "@sharetensor/core/cpu";
import { runParties } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { seedUnsafe } from "../runtime/context.ts";
import { exp } from "./exp.ts";
import { gelu } from "./gelu.ts";
import { layerNorm } from "./layer_norm.ts";
import { polyval } from "./polynomial.ts";
import { reciprocal } from "./reciprocal.ts";
import { softmax } from "./softmax.ts";
import { uniform } from "./test_util.ts";

// The library gives its temporaries back to the device's pool (`release`): a poisoned pool
// (released buffers overwritten, every size pooled) must give bit-identical results, or a
// released buffer was still in use.
Deno.test("functions: results are the same with a poisoned buffer pool", async () => {
  const xs = uniform(-6, 6, 2000, 3);
  const cases: [string, (x: SecretTensor) => Promise<SecretTensor>][] = [
    ["exp", (x) => exp(x)],
    ["gelu", (x) => gelu(x)],
    ["reciprocal", (x) => reciprocal(x)],
    ["softmax", (x) => softmax(x.reshape([20, 100]))],
    ["layerNorm", (x) => layerNorm(x.reshape([20, 100]))],
    ["polyval 7", (x) => polyval(x.mulPublic(0.1), [1, 2, 3, 4, 1, 2, 3, 1])],
    ["polyval 12", (x) => polyval(x.mulPublic(0.1), [1, 2, 3, 4, 1, 2, 3, 1, 1, 1, 1, 1, 1])],
  ];
  for (const [name, f] of cases) {
    const outs = [];
    for (const poison of [false, true]) {
      const [o] = await runParties(2, async (ctx) => {
        const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [xs.length] });
        return await (await f(x)).reveal();
      }, {
        dealer: "tfpUnsafe",
        seedUnsafe: seedUnsafe(5, { quiet: true }),
        device: () => new CpuDevice({ pool: { poison, minBytes: 0 } }),
      });
      outs.push(o);
    }
    assert.deepEqual(outs[1], outs[0], name);
  }
});
