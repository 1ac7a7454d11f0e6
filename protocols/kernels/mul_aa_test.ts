/**
 * `mul_aa` at 2 parties opens `x - a` and `y - b` without storing e and f: the fused device
 * pass (`Device.beaverMulTrunc`) takes each as this party's masked share and the peer's
 * part. Its share words equal those of the separate kernels (openAll, the Beaver finish,
 * trunc_a) on both rings and both parties, at several truncations, odd sizes and into
 * poisoned buffer pools; broadcasting shapes take the unfused path.
 */
import assert from "node:assert/strict";
import { CpuDevice } from "@sharetensor/core/cpu";
import type { Device } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import type { Context } from "../runtime/context.ts";
import { seedUnsafe } from "../runtime/context.ts";
import { runParties } from "../runtime/run_parties.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { unfused } from "./unfused_device.ts";

/** `base`, counting the calls of `beaverMulTrunc` whose e and f came in two parts. */
function spied(base: Device, calls: { split: number; whole: number }): Device {
  return new Proxy(base, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (prop !== "beaverMulTrunc") return v.bind(target);
      return (...args: unknown[]) => {
        const split = Array.isArray(args[3]) && Array.isArray(args[4]);
        calls[split ? "split" : "whole"]++;
        return v.apply(target, args);
      };
    },
  });
}

// Pools that hand out every disposed buffer again, filled with 0xDEADBEEF.
const poisoned = () => new CpuDevice({ pool: { poison: true, minBytes: 0 } });

const [R, C] = [7, 13]; // odd
const vals = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => (((i + 3 * k) * 37) % 91) / 9 - 5);

/** Each party's share words of x * y at a few precisions, and of a broadcasting product. */
async function shares(ctx: Context): Promise<bigint[][]> {
  const f = ctx.fracBits;
  const input = (from: number, k: number, shape: number[], fracBits = f) =>
    ctx.share(ctx.rank === from ? vals(shape.reduce((s, d) => s * d, 1), k) : null, {
      from,
      shape,
      fracBits,
    });
  const x = await input(0, 1, [R, C]);
  const y = await input(1, 2, [R, C]);
  const x2 = await input(0, 3, [R, C], f + 2);
  const y3 = await input(1, 4, [R, C], f + 3);
  const row = await input(1, 5, [C]);
  const int = new SecretTensor(ctx, "arithmetic", y.buf, 0);
  const outs = [
    await x.mul(y), // drop f
    await x2.mul(y3), // drop f + 5
    await x2.mul(y), // drop f + 2
    await x.mul(int), // integer operand: no truncation
    await x.mul(row), // broadcasting: the unfused path
    await y.mul(x), // the other order
  ];
  return await Promise.all(outs.map(async (t) => (await ctx.device.download(t.buf)).toBigInts()));
}

Deno.test("mul_aa: e and f in parts give the separate kernels' share words (2 parties, both rings)", async () => {
  for (const ring of [64, 32] as Ring[]) {
    const fracBits = ring === 64 ? 16 : 8;
    const calls = { split: 0, whole: 0 };
    const run = (device: (r: number) => Device) =>
      runParties(2, shares, {
        ring,
        fracBits,
        device,
        seedUnsafe: seedUnsafe(13, { quiet: true }),
        inputAware: false, // fresh inputs of P0 and P1 would take mul_owned
      });
    const got = await run(() => spied(poisoned(), calls));
    const want = await run(() => unfused(poisoned()));
    assert.deepEqual(got, want, `Z_2^${ring}`);
    // Every same-shape product took the parts (2 parties x 5), the broadcasting one did not.
    assert.deepEqual(calls, { split: 10, whole: 0 }, `Z_2^${ring}`);
    assert.notDeepEqual(got[0][0], got[1][0]); // a real sharing
  }
});

Deno.test("mul_aa: products at 2 and 3 parties, with and without the fused kernels", async () => {
  for (const n of [2, 3]) {
    for (const device of [() => poisoned(), () => unfused(poisoned())]) {
      const out = await runParties(n, async (ctx) => {
        const x = await ctx.share(ctx.rank === 0 ? vals(R * C, 1) : null, {
          from: 0,
          shape: [R, C],
        });
        const y = await ctx.share(ctx.rank === n - 1 ? vals(R * C, 2) : null, {
          from: n - 1,
          shape: [R, C],
        });
        return await (await x.mul(y)).reveal();
      }, { device, inputAware: false }); // mul_aa (fresh inputs would take mul_owned)
      const xs = vals(R * C, 1), ys = vals(R * C, 2);
      for (const v of out) {
        assert.ok(v);
        xs.forEach((x, i) => assert.ok(Math.abs(v[i] - x * ys[i]) < 1e-3, `n=${n} i=${i}`));
      }
    }
  }
});
