/**
 * `square_a`'s fused device passes (`Device.beaverSquare`, `Device.beaverSquareTrunc`) give
 * the same share words as the separate kernels (the Beaver finish with b = a, then
 * trunc_a), on both rings and both parties, into a poisoned buffer pool; its optional
 * fractional-bits argument is checked.
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
import { squarePrecision } from "./square_a.ts";

// Pools that hand out every disposed buffer again, filled with 0xDEADBEEF.
const poisoned = () => new CpuDevice({ pool: { poison: true, minBytes: 0 } });

const SIZE = 7 * 13; // odd
const values = Array.from({ length: SIZE }, (_, i) => ((i * 37) % 91) / 9 - 5);

/** Each party's share words of x^2 in a few precisions (the raw square included). */
async function shares(ctx: Context): Promise<bigint[][]> {
  const f = ctx.fracBits;
  const x = await ctx.share(ctx.rank === 0 ? values : null, { from: 0, shape: [7, 13] });
  const x2 = await ctx.share(ctx.rank === 1 ? values : null, {
    from: 1,
    shape: [7, 13],
    fracBits: f + 2,
  });
  const raw = new SecretTensor(ctx, "arithmetic", x.buf, 0);
  const outs = [
    await x.square(), // drop f by the product rule
    await ctx.run<SecretTensor>("square_a", x2, f), // drop f + 4
    await ctx.run<SecretTensor>("square_a", x2, f + 5), // drop f - 1
    await ctx.run<SecretTensor>("square_a", x, 2 * f), // no truncation
    await raw.square(), // integer operand: no truncation
  ];
  return await Promise.all(outs.map(async (t) => (await ctx.device.download(t.buf)).toBigInts()));
}

Deno.test("square_a: fused device passes give the separate kernels' share words (2 parties, both rings)", async () => {
  for (const ring of [64, 32] as Ring[]) {
    const fracBits = ring === 64 ? 16 : 8;
    const run = (device: (r: number) => Device) =>
      runParties(2, shares, {
        ring,
        fracBits,
        device,
        seedUnsafe: seedUnsafe(11, { quiet: true }),
      });
    const got = await run(() => poisoned());
    const want = await run(() => unfused(poisoned()));
    assert.deepEqual(got, want, `Z_2^${ring}`);
    // Two parties' shares differ (a real sharing).
    assert.notDeepEqual(got[0][0], got[1][0]);
  }
});

Deno.test("square_a: values with the fractional bits asked for, on 2 and 3 parties", async () => {
  for (const n of [2, 3]) {
    const out = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? values : null, {
        from: 0,
        shape: [7, 13],
        fracBits: 18,
      });
      const outs = [
        await ctx.run<SecretTensor>("square_a", x, 16),
        await ctx.run<SecretTensor>("square_a", x, 20),
        await x.square(),
      ];
      return await Promise.all(outs.map(async (t) => [t.fracBits, await t.reveal()] as const));
    }, { device: () => poisoned() });
    for (const res of out) {
      assert.deepEqual(res.map(([f]) => f), [16, 20, 16]);
      for (const [f, v] of res) {
        assert.ok(v);
        values.forEach((x, i) => {
          const q = Math.round(x * 2 ** 18) / 2 ** 18; // the encoded input
          assert.ok(Math.abs(v[i] - q * q) <= 2 ** (1 - f), `n=${n} f=${f}: ${v[i]} vs ${q * q}`);
        });
      }
    }
  }
});

Deno.test("square_a: bad fractional bits are a RangeError before any message", async () => {
  assert.deepEqual(squarePrecision(16, 18, 16), { fracBits: 16, drop: 20 });
  assert.deepEqual(squarePrecision(16, 0), { fracBits: 0, drop: 0 });
  assert.throws(() => squarePrecision(16, 16, 33), RangeError);
  assert.throws(() => squarePrecision(16, 16, -1), RangeError);
  assert.throws(() => squarePrecision(16, 16, 1.5), RangeError);
  await assert.rejects(
    runParties(2, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] });
      return await ctx.run<SecretTensor>("square_a", x, 40);
    }),
    RangeError,
  );
});
