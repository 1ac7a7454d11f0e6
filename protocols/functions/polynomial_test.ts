import assert from "node:assert/strict";
import { runParties } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { at, lincomb, mulAt, reinterpret } from "./fixed.ts";
import { normalize } from "./normalize.ts";
import { piecewise } from "./piecewise.ts";
import { chebyshevFit, polyRounds, polyval, squareForm } from "./polynomial.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

Deno.test("chebyshevFit reproduces a polynomial exactly and fits cos closely", () => {
  const c = chebyshevFit((x) => 1 - 2 * x + 3 * x ** 3, -1, 1, 3);
  [1, -2, 0, 3].forEach((v, i) => assert.ok(Math.abs(c[i] - v) < 1e-12, `${c}`));
  const d = chebyshevFit(Math.cos, 0, 2, 10);
  for (let x = 0; x <= 2; x += 0.01) {
    const t = x - 1;
    const p = d.reduceRight((acc, ci) => acc * t + ci, 0);
    assert.ok(Math.abs(p - Math.cos(x)) < 1e-9);
  }
  assert.throws(() => chebyshevFit(Math.cos, 1, 1, 3), RangeError);
});

Deno.test("polyval: degrees 2..16 within a few ulps, rounds as declared", async () => {
  // payload bytes per element at 2 parties: squarings 8, products 16
  const bytes: Record<number, number> = { 2: 8, 3: 24, 4: 16, 5: 40, 6: 32, 7: 40, 8: 32 };
  for (const d of [2, 3, 4, 5, 6, 7, 8, 9, 12, 16]) {
    const coeffs = Array.from({ length: d + 1 }, (_, i) => ((i * 7) % 5 - 2.5) / (i + 1));
    const r = await run2(grid(-1, 1, 1001), (x) => polyval(x, coeffs));
    const e = maxErr(r, (v) => coeffs.reduceRight((a, c) => a * v + c, 0));
    assert.ok(e.err <= 2e-4, `degree ${d}: ${JSON.stringify(e)}`);
    assert.equal(r.rounds, polyRounds(d), `degree ${d}`);
    if (bytes[d]) assert.equal(r.bytes, bytes[d] * 1001, `degree ${d}`);
  }
  // both signs of the leading coefficient take the square form
  for (const c of [[0.3, -1, 0.5, 0.25, -0.75], [0.3, -1, 0.5, 0.25, 0.75]]) {
    const r = await run2(grid(-2, 2, 1001), (x) => polyval(x, c));
    assert.ok(maxErr(r, (v) => c.reduceRight((a, k) => a * v + k, 0)).err <= 2e-4);
    assert.equal(r.bytes, 16 * 1001);
  }
  await assert.rejects(run2(grid(0, 1, 3), (x) => polyval(x, [])), RangeError);
  await assert.rejects(run2(grid(0, 1, 3), (x) => polyval(x, [1, NaN])), RangeError);
});

Deno.test("squareForm: s R^2 + S reproduces the coefficients; none for odd degrees", () => {
  const c = [0.5, -0.25, 1, 0.3, -0.2, 0.7, -0.4];
  const q = squareForm(c)!;
  const r = [0, ...q.r];
  const back = new Array(c.length).fill(0);
  q.s.forEach((v, i) => (back[i] += v));
  r.forEach((a, i) => r.forEach((b, j) => (back[i + j] += q.sign * a * b)));
  back.forEach((v, i) => assert.ok(Math.abs(v - c[i]) < 1e-12, `${back} vs ${c}`));
  assert.equal(squareForm([1, 2, 3, 4]), null);
  assert.equal(squareForm([1, 2, 0]), null);
});

Deno.test("fixed: at() truncates at 2 parties to the same ring words as trunc_a", async () => {
  const xs = grid(-3000, 3000, 4001);
  const [same] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [xs.length] });
    const wide = reinterpret(x.mulPublic(12345n), 16); // 16 fractional bits, odd words
    const mine = await at(wide, 3);
    const kernel = await ctx.run<SecretTensor>("trunc_a", wide, 13);
    assert.equal(mine.fracBits, 3);
    const a = (await mine.revealRing())!.toBigInts();
    const b = (await kernel.revealRing())!.toBigInts();
    return a.every((v, i) => v === b[i]) && mine.buf !== kernel.buf;
  }, { dealer: "tfpUnsafe" });
  assert.ok(same);
});

Deno.test("fixed: mulAt and lincomb keep the precision asked for", async () => {
  const r = await run2(grid(-3, 3, 601), async (x) => {
    const x2 = await mulAt(x, x, 24);
    assert.equal(x2.fracBits, 24);
    return await lincomb([[x2, 1 / 3], [x, -0.1]], 0.7, 16);
  });
  const e = maxErr(r, (v) => v * v / 3 - 0.1 * v + 0.7);
  assert.ok(e.err <= 4e-5, JSON.stringify(e));
});

Deno.test("piecewise: clip and a 4-piece function; garbage in unselected pieces cancels", async () => {
  const r = await run2(
    grid(-5, 5, 2001),
    (x) =>
      piecewise(x, [-2, 0, 2], [-1, (v) => v.mulPublic(0.5), async (v) => await v.square(), 4]),
  );
  const ref = (v: number) => v < -2 ? -1 : v < 0 ? v / 2 : v < 2 ? v * v : 4;
  assert.ok(maxErr(r, ref).err <= 1e-4);
  assert.equal(r.rounds, 7); // comparisons on the low 32 bits (|x - t| < 2^15)
  // the middle piece overflows for huge inputs, where it is not selected
  const big = await run2(
    new Float64Array([-3e4, 3e4]),
    (x) =>
      piecewise(x, [-1, 1], [
        0,
        async (v) => await (await (await v.square()).square()).square(),
        1,
      ]),
  );
  assert.deepEqual([...big.out], [0, 1]);
  // past the default bound (|x - t| < 2^15) the whole word is needed: bound 64
  const huge = new Float64Array([-1e6, -40000, 40000, 1e6]);
  const wide = await run2(huge, (x) => piecewise(x, [-1, 1], [-1, 0, 1], { bound: 64 }));
  assert.deepEqual([...wide.out], [-1, -1, 1, 1]);
  assert.equal(wide.rounds, 8);
  await assert.rejects(run2(grid(0, 1, 3), (x) => piecewise(x, [1, 0], [0, 1, 2])), RangeError);
});

Deno.test("normalize: octave, scales and half powers, both signs", async () => {
  const xs = new Float64Array([0.001, 0.3, 1, 1.99, 2, 1000, -0.3, -7, -1000]);
  const k = [...xs].map((v) => Math.max(-10, Math.floor(Math.log2(Math.abs(v)))));
  const opts = { kmin: -10, kmax: 20, signed: true, pow2: [20], halfPow2: 20, octave: true };
  const got = await Promise.all([0, 1, 2].map((which) =>
    run2(xs, async (x) => {
      const o = await normalize(x, opts);
      return [o.octave!, o.pow2[0], o.halfPow2!][which];
    })
  ));
  assert.deepEqual([...got[0].out], k);
  assert.deepEqual([...got[1].out], k.map((v) => 2 ** -v));
  got[2].out.forEach((h, i) => assert.ok(Math.abs(h / 2 ** (-k[i] / 2) - 1) < 1e-4, `${h}`));
  // signed tables: sign(x) 2^-k
  const signed = await run2(xs, async (x) => {
    const o = await normalize(x, {
      kmin: -10,
      kmax: 20,
      signed: true,
      signedTables: true,
      pow2: [20],
    });
    return o.pow2[0];
  });
  assert.deepEqual([...signed.out], k.map((v, i) => Math.sign(xs[i]) * 2 ** -v));
  await assert.rejects(
    run2(xs, async (x) => (await normalize(x, { kmin: -1, kmax: 2, signedTables: true })).pow2[0]),
    TypeError,
  );
});
