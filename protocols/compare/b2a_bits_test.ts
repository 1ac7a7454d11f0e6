import assert from "node:assert/strict";
import { runParties } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { b2aBitsBytes } from "./b2a_bits.ts";

for (const n of [2, 3]) {
  Deno.test(`b2a_bits: ${n} parties, bits 5..16 into two tables, 1 round, declared bytes`, async () => {
    const xs = Array.from(
      { length: 100 },
      (_, i) => BigInt.asUintN(64, BigInt(i * 7919) << 3n) ^ (1n << 63n),
    );
    const lo = 5;
    const count = 12;
    const w = [
      Array.from({ length: count }, (_, j) => 1n << BigInt(lo + j)),
      Array.from({ length: count }, (_, j) => BigInt.asUintN(64, BigInt(3 * j - 7))),
    ];
    const res = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? xs : null, {
        from: 0,
        shape: [4, 25],
        kind: "binary",
      });
      await ctx.flush();
      const s0 = ctx.stats();
      const y = await ctx.run<SecretTensor>("b2a_bits", x, lo, w);
      await ctx.flush();
      const s1 = ctx.stats();
      assert.deepEqual(y.shape, [2, 4, 25]);
      return {
        out: (await y.revealRing())!.toBigInts(),
        rounds: s1.rounds - s0.rounds,
        bytes: s1.payloadBytes - s0.payloadBytes,
      };
    }, { dealer: "tfpUnsafe" });
    const bits = (v: bigint, j: number) => (v >> BigInt(lo + j)) & 1n;
    const want = [
      ...xs.map((v) => v & (((1n << BigInt(count)) - 1n) << BigInt(lo))),
      ...xs.map((v) => BigInt.asUintN(64, w[1].reduce((a, c, j) => a + c * bits(v, j), 0n))),
    ];
    for (const r of res) {
      assert.deepEqual(r.out, want);
      assert.equal(r.rounds, 1);
      assert.equal(r.bytes, b2aBitsBytes(n, 100, count));
    }
  });
}

Deno.test("b2a_bits: a range past the ring or ragged weights are RangeErrors", async () => {
  await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1n] : null, {
      from: 0,
      shape: [1],
      kind: "binary",
    });
    await assert.rejects(() => ctx.run("b2a_bits", x, 60, [[1n, 1n, 1n, 1n, 1n]]), RangeError);
    await assert.rejects(() => ctx.run("b2a_bits", x, 0, [[1n, 1n], [1n]]), RangeError);
  });
});
