/**
 * The SecretTensor comparison methods (public and shared operands, where with each kind
 * of condition, min/argmin, max over all elements), the property "a2b then b2a is the
 * identity", and the cost targets at 2 parties in Z_2^64.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "@sharetensor/core/ring";
import { runParties } from "../runtime/run_parties.ts";
import { measured } from "./testing.ts";

const xs = [-2.5, -1, 0, 0.5, 1, 3.25, 1, -1];
const ys = [1, -1, 0, 0.5, 2, -3, 1, 0];

Deno.test("comparison methods against plaintext (3 parties)", async () => {
  const out = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [8] });
    const y = await ctx.share(ctx.rank === 2 ? ys : null, { from: 2, shape: [8] });
    const r = async (
      p: Promise<{ reveal(): Promise<Float64Array | null> }>,
    ) => [...(await (await p).reveal())!];
    return {
      lt: await r(x.lt(y)),
      le: await r(x.le(y)),
      gt: await r(x.gt(y)),
      ge: await r(x.ge(y)),
      eq: await r(x.eq(y)),
      ne: await r(x.ne(y)),
      ltp: await r(x.lt(0.5)),
      gep: await r(x.ge(ctx.public(ys))),
      wa: await r(x.where(await x.gt(y), y)),
      wp: await r(x.where(ctx.public([1, 0, 1, 0, 1, 0, 1, 0], { fracBits: 0 }), y)),
      wp16: await r(x.where(ctx.public([0, 1, 0, 1, 0, 1, 0, 1]), y)),
      wc: await r(x.where(await x.msb(), 7)),
      min: await r(x.reshape([2, 4]).min(1)),
      argmin: await r(x.reshape([2, 4]).argmin(1)),
      max: await r(x.max()),
      argmax0: await r(x.reshape([2, 4]).argmax(0)),
      argmaxIdx: await r(x.reshape([2, 4]).argmax(1, { oneHot: false })),
      argminIdx: await r(x.reshape([4, 2]).argmin(-1, { oneHot: false })),
    };
  });
  const cmp = (f: (a: number, b: number) => boolean) => xs.map((a, i) => f(a, ys[i]) ? 1 : 0);
  const o = out[1];
  assert.deepEqual(o.lt, cmp((a, b) => a < b));
  assert.deepEqual(o.le, cmp((a, b) => a <= b));
  assert.deepEqual(o.gt, cmp((a, b) => a > b));
  assert.deepEqual(o.ge, cmp((a, b) => a >= b));
  assert.deepEqual(o.eq, cmp((a, b) => a === b));
  assert.deepEqual(o.ne, cmp((a, b) => a !== b));
  assert.deepEqual(o.ltp, xs.map((a) => a < 0.5 ? 1 : 0));
  assert.deepEqual(o.gep, cmp((a, b) => a >= b));
  assert.deepEqual(o.wa, xs.map((a, i) => Math.max(a, ys[i])));
  assert.deepEqual(o.wp, xs.map((a, i) => i % 2 === 0 ? a : ys[i]));
  assert.deepEqual(o.wp16, xs.map((a, i) => i % 2 === 1 ? a : ys[i]));
  assert.deepEqual(o.wc, xs.map((a) => a < 0 ? a : 7));
  assert.deepEqual(o.min, [-2.5, -1]);
  assert.deepEqual(o.argmin, [1, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(o.max, [3.25]);
  assert.deepEqual(o.argmax0, [0, 0, 0, 1, 1, 1, 1, 0]);
  assert.deepEqual(o.argmaxIdx, [3, 1]);
  assert.deepEqual(o.argminIdx, [0, 0, 0, 1]);
});

Deno.test("comparison methods reject wrong kinds", async () => {
  await runParties(2, async (ctx) => {
    const b = await ctx.share(ctx.rank === 0 ? [1n] : null, {
      from: 0,
      shape: [1],
      kind: "binary",
    });
    await assert.rejects(() => b.lt(0), TypeError);
    await assert.rejects(() => b.relu(), TypeError);
    await assert.rejects(() => b.toBinary(), TypeError);
  });
});

Deno.test("property: a2b then b2a is the identity (2 and 3 parties, both rings)", async () => {
  for (const ring of [64, 32] as const) {
    const h = 1n << BigInt(ring - 1);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: -h, max: h - 1n }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 2, max: 3 }),
        async (vals, n) => {
          const t = RingTensor.fromBigInts(vals, [vals.length], ring);
          const out = await runParties(n, async (ctx) => {
            const x = await ctx.share(ctx.rank === 0 ? t : null, {
              from: 0,
              shape: t.shape,
              fracBits: 0,
            });
            const back = await (await x.toBinary()).toArithmeticWord();
            return (await back.revealRing())!.toBigInts(true);
          }, { ring, fracBits: ring === 64 ? 16 : 8 });
          assert.deepEqual(out[0], vals);
        },
      ),
      { numRuns: 8 },
    );
  }
});

Deno.test("cost targets at 2 parties in Z_2^64: relu <= 62 B and 8 rounds per element", async () => {
  const [r] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? new Float64Array(1024).fill(-1.5) : null, {
      from: 0,
      shape: [1024],
    });
    return {
      relu: await measured(ctx, "relu_a", x),
      msb: await measured(ctx, "msb_a", x),
      eqz: await measured(ctx, "eqz_a", x),
    };
  });
  assert.equal(r.relu.rounds, 8);
  assert.ok(r.relu.payload / 1024 <= 62, `relu: ${r.relu.payload / 1024} B per element`);
  assert.equal(r.msb.rounds, 7);
  assert.equal(r.msb.payload / 1024, 181 * 2 / 8);
  assert.equal(r.eqz.rounds, 7);
  assert.ok(r.eqz.payload / 1024 <= 16, `eqz: ${r.eqz.payload / 1024} B per element`);
});

Deno.test("every message is masked: bits sent for zero inputs look uniform", async () => {
  for (const kernel of ["msb_a", "relu_a", "eqz_a", "a2b", "sign_a"]) {
    const density = await runParties(2, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? new Float64Array(4096) : null, {
        from: 0,
        shape: [4096],
      });
      let ones = 0;
      let bits = 0;
      const t = ctx.transport;
      const exchange = t.exchange.bind(t);
      t.exchange = (sends, recvFrom) => {
        for (const m of sends.values()) {
          for (const b of m) ones += popcount(b);
          bits += m.byteLength * 8;
        }
        return exchange(sends, recvFrom);
      };
      await ctx.run(kernel, x);
      await ctx.flush();
      t.exchange = exchange;
      return ones / bits;
    });
    for (const d of density) assert.ok(Math.abs(d - 0.5) < 0.02, `${kernel}: bit density ${d}`);
  }
});

function popcount(b: number): number {
  let c = 0;
  for (let v = b; v; v &= v - 1) c++;
  return c;
}

Deno.test("comparisons issued together share rounds and stay correct (3 parties)", async () => {
  const out = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [8] });
    const y = await ctx.share(ctx.rank === 1 ? ys : null, { from: 1, shape: [8] });
    await ctx.flush();
    const r0 = ctx.stats().rounds;
    const [a, b, c, d] = await Promise.all([x.relu(), y.lt(x), x.max(), x.mul(y)]);
    const rounds = ctx.stats().rounds - r0;
    return { rounds, vals: await Promise.all([a, b, c, d].map((t) => t.reveal())) };
  });
  const o = out[0];
  assert.ok(o.rounds <= 9 * 3 + 1, `rounds ${o.rounds}`);
  assert.ok(o.rounds >= 27, `rounds ${o.rounds}`);
  assert.deepEqual([...o.vals[0]!], xs.map((v) => Math.max(v, 0)));
  assert.deepEqual([...o.vals[1]!], ys.map((v, i) => v < xs[i] ? 1 : 0));
  assert.deepEqual([...o.vals[2]!], [3.25]);
  o.vals[3]!.forEach((v, i) => assert.ok(Math.abs(v - xs[i] * ys[i]) <= 2 ** -15, `mul ${v}`));
});
