import assert from "node:assert/strict";
import { runParties } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { leadOneCost } from "./lead_one.ts";

for (const n of [2, 3]) {
  Deno.test(`lead_one_b: ${n} parties, leading one of bits 4..12 into tables`, async () => {
    const xs = Array.from({ length: 300 }, (_, i) => BigInt((i * 2654435761) % 8192));
    const lo = 4;
    const span = 9;
    const w = [
      Array.from({ length: span }, (_, j) => BigInt(lo + j)),
      Array.from({ length: span }, (_, j) => 1n << BigInt(20 - j)),
    ];
    const res = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? xs : null, {
        from: 0,
        shape: [xs.length],
        kind: "binary",
      });
      await ctx.flush();
      const s0 = ctx.stats();
      const y = await ctx.run<SecretTensor>("lead_one_b", x, lo, w);
      await ctx.flush();
      const s1 = ctx.stats();
      return {
        out: (await y.revealRing())!.toBigInts(),
        rounds: s1.rounds - s0.rounds,
        bytes: s1.payloadBytes - s0.payloadBytes,
      };
    }, { dealer: "tfpUnsafe" });
    const pos = xs.map((v) => Math.max(lo, v === 0n ? 0 : v.toString(2).length - 1));
    const want = [...pos.map((p) => BigInt(p)), ...pos.map((p) => 1n << BigInt(20 - (p - lo)))];
    const cost = leadOneCost(n, xs.length, 64, span);
    for (const r of res) {
      assert.deepEqual(r.out, want);
      assert.equal(r.rounds, cost.rounds);
      assert.equal(r.bytes, cost.bytes);
    }
  });
}

for (const n of [2, 3]) {
  Deno.test(`lead_one_b: ${n} parties, signed tables (sign at bit lo + span)`, async () => {
    const lo = 4;
    const span = 9;
    const xs = Array.from({ length: 300 }, (_, i) => {
      const v = BigInt((i * 2654435761) % 8192);
      return i % 3 === 0 ? v | (1n << BigInt(lo + span)) : v; // a third negative
    });
    const w = [Array.from({ length: span }, (_, j) => 1n << BigInt(20 - j))];
    const res = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? xs : null, {
        from: 0,
        shape: [xs.length],
        kind: "binary",
      });
      await ctx.flush();
      const s0 = ctx.stats();
      const y = await ctx.run<SecretTensor>("lead_one_b", x, lo, w, true);
      await ctx.flush();
      const s1 = ctx.stats();
      return {
        out: (await y.revealRing())!.toBigInts(true),
        rounds: s1.rounds - s0.rounds,
        bytes: s1.payloadBytes - s0.payloadBytes,
      };
    }, { dealer: "tfpUnsafe" });
    const want = xs.map((v) => {
      const neg = (v >> BigInt(lo + span)) & 1n;
      const low = v & ((1n << BigInt(lo + span)) - 1n);
      const p = Math.max(lo, low === 0n ? 0 : low.toString(2).length - 1);
      return (1n - 2n * neg) * (1n << BigInt(20 - (p - lo)));
    });
    const cost = leadOneCost(n, xs.length, 64, span, true);
    for (const r of res) {
      assert.deepEqual(r.out, want);
      assert.equal(r.rounds, cost.rounds);
      assert.equal(r.bytes, cost.bytes);
    }
  });
}

Deno.test("lead_one_b: a range past the ring is a RangeError", async () => {
  await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1n] : null, {
      from: 0,
      shape: [1],
      kind: "binary",
    });
    await assert.rejects(() => ctx.run("lead_one_b", x, 62, [[1n, 1n, 1n, 1n]]), RangeError);
  });
});
