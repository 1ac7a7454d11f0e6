import assert from "node:assert/strict";
import fc from "fast-check";
import { SecretTensor } from "./secret_tensor.ts";
import { runParties } from "./runtime/run_parties.ts";

const ULP = 2 ** -16;

function close(a: Float64Array | null, b: number[], tol: number, what = "") {
  assert.ok(a, "expected a value");
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < b.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}] ${a[i]} vs ${b[i]}`);
  }
}

for (const n of [2, 3]) {
  Deno.test(`secret tensor: local arithmetic and layout ops on ${n} parties`, async () => {
    const out = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4, 5, 6] : null, {
        from: 0,
        shape: [2, 3],
      });
      const r = await Promise.all([
        x.add(1.5).reveal(),
        x.sub([1, 1, 2]).reveal(),
        x.neg().reveal(),
        x.mulPublic(3).reveal(),
        x.mulPublic(0.5).reveal(),
        x.divPublic(4).reveal(),
        x.mulPublic(ctx.public([1, -1, 0.25])).reveal(),
        x.sum(1).reveal(),
        x.mean().reveal(),
        x.mean(0, true).reveal(),
        x.transpose().reveal(),
        x.reshape([3, 2]).slice([1, 0], [2, -1]).reveal(),
        SecretTensor.concat([x, x.mulPublic(2)], 0).flatten().gather([0, 11], 0).reveal(),
        x.pad([[0, 0], [1, 0]], 7).reveal(),
        x.reshape([1, 1, 2, 3]).avgPool2d([2, 2], { stride: 1 }).reveal(),
        x.mulPublic(0.5).truncate().then((t) => t.reveal()),
      ]);
      return r;
    });
    const tol = 2 * ULP;
    for (const r of out) {
      close(r[0], [2.5, 3.5, 4.5, 5.5, 6.5, 7.5], 0);
      close(r[1], [0, 1, 1, 3, 4, 4], 0);
      close(r[2], [-1, -2, -3, -4, -5, -6], 0);
      close(r[3], [3, 6, 9, 12, 15, 18], 0);
      close(r[4], [0.5, 1, 1.5, 2, 2.5, 3], tol);
      close(r[5], [0.25, 0.5, 0.75, 1, 1.25, 1.5], tol);
      close(r[6], [1, -2, 0.75, 4, -5, 1.5], tol);
      close(r[7], [6, 15], 0);
      close(r[8], [3.5], 21 * ULP / 2 + ULP); // 1/6 is encoded with error <= ULP/2, times the sum 21
      close(r[9], [2.5, 3.5, 4.5], tol);
      close(r[10], [1, 4, 2, 5, 3, 6], 0);
      close(r[11], [3, 4, 5, 6], 0);
      close(r[12], [1, 12], 0);
      close(r[13], [7, 1, 2, 3, 7, 4, 5, 6], 0);
      close(r[14], [3, 4], tol);
      close(r[15], [0.5, 1, 1.5, 2, 2.5, 3], tol);
    }
  });
}

Deno.test("secret tensor: public operands keep integers exact and fractions precise", async () => {
  const out = await runParties(2, async (ctx) => {
    const b = await ctx.share(ctx.rank === 0 ? [0, 1] : null, { from: 0, shape: [2], fracBits: 0 });
    const plusOne = b.add(1);
    const plusHalf = b.add(0.5);
    const plusBig = b.add(3n);
    assert.equal(plusOne.fracBits, 0);
    assert.equal(plusHalf.fracBits, 16);
    assert.equal(plusBig.fracBits, 0);
    const x = await ctx.share(ctx.rank === 1 ? [1.5, -2] : null, { from: 1, shape: [2] });
    return await Promise.all(
      [plusOne, plusHalf, plusBig, x.add(2n), x.sub(0.25)].map((t) => t.reveal()),
    );
  });
  for (const r of out) {
    close(r[0], [1, 2], 0);
    close(r[1], [0.5, 1.5], 0);
    close(r[2], [3, 4], 0);
    close(r[3], [3.5, 0], 0);
    close(r[4], [1.25, -2.25], 0);
  }
});

Deno.test("secret tensor: binary local ops and or", async () => {
  const out = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [0b1100n, 5n] : null, {
      from: 0,
      shape: [2],
      kind: "binary",
    });
    const y = await ctx.share(ctx.rank === 2 ? [0b1010n, 2n] : null, {
      from: 2,
      shape: [2],
      kind: "binary",
    });
    const rs = await Promise.all([
      x.xor(y).revealRing(),
      x.xor(1n).revealRing(),
      x.not().revealRing(),
      x.shl(2).revealRing(),
      x.shr(2).revealRing(),
      x.bit(2).revealRing(),
      x.andPublic(4n).revealRing(),
      x.or(y).then((z) => z.revealRing()),
    ]);
    return rs.map((r) => r!.toBigInts());
  });
  const m = (1n << 64n) - 1n;
  for (const r of out) {
    assert.deepEqual(r, [
      [6n, 7n],
      [13n, 4n],
      [m ^ 12n, m ^ 5n],
      [48n, 20n],
      [3n, 1n],
      [1n, 1n],
      [4n, 4n],
      [14n, 7n],
    ]);
  }
});

Deno.test("secret tensor: concurrent matmuls share a round; a reused weight opens its mask once", async () => {
  const out = await runParties(2, async (ctx) => {
    const w = await ctx.share(ctx.rank === 1 ? [1, 0, 0, 1, 1, 1] : null, {
      from: 1,
      shape: [3, 2],
    });
    const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4, 5, 6] : null, {
      from: 0,
      shape: [2, 3],
    });
    const s0 = ctx.stats();
    const [a, b] = await Promise.all([x.matmul(w), x.mulPublic(2).matmul(w)]);
    await ctx.flush();
    const s1 = ctx.stats();
    const c = await x.matmul(w);
    await ctx.flush();
    const s2 = ctx.stats();
    return {
      rounds: s1.rounds - s0.rounds,
      first: s1.payloadBytes - s0.payloadBytes,
      again: s2.payloadBytes - s1.payloadBytes,
      v: await Promise.all([a.reveal(), b.reveal(), c.reveal()]),
    };
  }, { inputAware: false }); // matmul_aa: fresh inputs of P0 and P1 would take matmul_owned
  for (const o of out) {
    assert.equal(o.rounds, 1);
    assert.equal(o.first, (6 + 6 + 6) * 8); // two activations, the weight once
    assert.equal(o.again, 6 * 8);
    close(o.v[0], [4, 5, 10, 11], ULP);
    close(o.v[1], [8, 10, 20, 22], ULP);
    close(o.v[2], [4, 5, 10, 11], ULP);
  }
});

Deno.test("secret tensor: share then reveal is the identity (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 2, max: 4 }),
      async (vals, n) => {
        const from = vals.length % n;
        const out = await runParties(n, async (ctx) => {
          const x = await ctx.share(ctx.rank === from ? vals.map((v) => v / 256) : null, {
            from,
            shape: [vals.length],
          });
          return await x.reveal();
        });
        for (const o of out) assert.deepEqual([...o!], vals.map((v) => v / 256));
      },
    ),
    { numRuns: 25 },
  );
});

Deno.test("secret tensor: lazy truncation on 3 parties (public products keep their bits until truncate)", async () => {
  const out = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [3, -1.5] : null, { from: 0, shape: [2] });
    const half = x.mulPublic(0.5);
    assert.equal(half.fracBits, 32);
    assert.throws(() => half.mulPublic(0.5), RangeError);
    const t = await half.truncate();
    assert.equal(t.fracBits, 16);
    const y = await half.mul(x); // the product truncates back to 16 bits
    assert.equal(y.fracBits, 16);
    return await Promise.all([
      half.reveal(),
      t.mulPublic(0.5).truncate().then((v) => v.reveal()),
      y.reveal(),
    ]);
  });
  for (const [h, q, y] of out) {
    close(h, [1.5, -0.75], 0);
    close(q, [0.75, -0.375], 2 * ULP);
    close(y, [4.5, 1.125], ULP);
  }
});
