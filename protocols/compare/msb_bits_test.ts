import assert from "node:assert/strict";
import { runParties } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { maxCost } from "./max_a.ts";
import { msbCost } from "./msb_a.ts";

for (const n of [2, 3]) {
  Deno.test(`msb(bits): ${n} parties, the sign of |x| < 2^(bits - 1) from the low bits`, async () => {
    const xs = Array.from({ length: 200 }, (_, i) => BigInt((i * 48271) % 1_000_003 - 500_000));
    xs.push(-(1n << 22n), (1n << 22n) - 1n, 0n, -1n);
    const res = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [xs.length] });
      await ctx.flush();
      const s0 = ctx.stats();
      const m = await x.msb(23);
      await ctx.flush();
      const s1 = ctx.stats();
      return {
        out: (await m.revealRing())!.toBigInts(),
        rounds: s1.rounds - s0.rounds,
        bytes: s1.payloadBytes - s0.payloadBytes,
      };
    }, { dealer: "tfpUnsafe" });
    const cost = msbCost(n, xs.length, 64, 23);
    for (const r of res) {
      assert.deepEqual(r.out, xs.map((v) => v < 0n ? 1n : 0n));
      assert.equal(r.rounds, cost.rounds);
      assert.equal(r.bytes, cost.bytes);
    }
    assert.ok(cost.rounds < msbCost(n, xs.length, 64).rounds);
  });
}

Deno.test("msb(bits): bits outside [2, ring] is a RangeError", async () => {
  await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] });
    await assert.rejects(() => x.msb(65), RangeError);
    await assert.rejects(() => x.msb(1), RangeError);
  });
});

Deno.test("toBinary(bits): the whole word of |x| < 2^(bits - 1), sign bit copied up", async () => {
  const xs = [0n, 1n, -1n, 123456n, -123456n, (1n << 22n) - 1n, -(1n << 22n)];
  const res = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [xs.length] });
    return (await (await x.toBinary(23)).revealRing())!.toBigInts(true);
  }, { dealer: "tfpUnsafe" });
  for (const r of res) assert.deepEqual(r, xs);
});

Deno.test("max_a with bits: 32-bit comparisons give the same max, fewer rounds", async () => {
  const xs = Array.from({ length: 8 * 16 }, (_, i) => ((i * 7919) % 2001) / 100 - 10);
  const [r] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [8, 16] });
    await ctx.flush();
    const s0 = ctx.stats();
    const [m] = await ctx.run<[SecretTensor, unknown]>("max_a", x, 1, false, false, 32);
    await ctx.flush();
    const s1 = ctx.stats();
    return {
      out: (await m.reveal())!,
      rounds: s1.rounds - s0.rounds,
      bytes: s1.payloadBytes - s0.payloadBytes,
    };
  }, { dealer: "tfpUnsafe" });
  const want = Array.from({ length: 8 }, (_, i) => Math.max(...xs.slice(16 * i, 16 * i + 16)));
  r.out.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `${v} vs ${want[i]}`));
  const c = maxCost(2, 8, 16, 64, false, 32);
  assert.equal(r.rounds, c.rounds);
  assert.equal(r.bytes, c.bytes);
  assert.ok(c.rounds < maxCost(2, 8, 16, 64, false).rounds);
});
