import assert from "node:assert/strict";
import { reciprocal } from "./reciprocal.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

function pm(lo: number, hi: number, n: number): Float64Array {
  const g = grid(lo, hi, n / 2);
  return Float64Array.from([...g, ...g.map((v) => -v)]);
}

Deno.test("reciprocal: relative 2e-3 on +-[0.5, 50], sign unknown (100k points)", async () => {
  const r = await run2(pm(0.5, 50, 100_000), (x) => reciprocal(x));
  const e = maxErr(r, (v) => 1 / v, 0);
  console.log("recip +-[0.5,50]", e, r.rounds, r.bytes / 100_000);
  assert.ok(e.err <= 2e-3, JSON.stringify(e));
});

Deno.test("reciprocal: range hint [0.5, 50] is cheaper and as accurate", async () => {
  const r = await run2(pm(0.5, 50, 20_000), (x) => reciprocal(x, { range: [0.5, 50] }));
  const e = maxErr(r, (v) => 1 / v, 0);
  console.log("recip hint", e, r.rounds, r.bytes / 20_000);
  assert.ok(e.err <= 2e-3, JSON.stringify(e));
  assert.equal(r.rounds, 15);
  // a Newton step after the polynomial: two more rounds, as accurate
  const n = await run2(
    pm(0.5, 50, 2_000),
    (x) => reciprocal(x, { range: [0.5, 50], iterations: 1 }),
  );
  assert.ok(maxErr(n, (v) => 1 / v, 0).err <= 2e-3);
  assert.equal(n.rounds, 17);
});

Deno.test("reciprocal: [0.01, 1e4] within 2e-3 relative or 2 ulp (3.1e-5) absolute", async () => {
  const xs = Float64Array.from({ length: 40_000 }, (_, i) => 0.01 * 1e6 ** (i / 39_999));
  const r = await run2(xs, (x) => reciprocal(x, { signed: false }));
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = 1 / r.input[i];
    const e = Math.abs(r.out[i] - want) / Math.max(Math.abs(want) * 2e-3, 2 ** -15);
    worst = Math.max(worst, e);
  }
  console.log("recip wide", worst, r.rounds, r.bytes / 40_000);
  assert.ok(worst <= 1, `${worst}`);
});

Deno.test("reciprocal: bad options are RangeErrors", async () => {
  await assert.rejects(run2(grid(1, 2, 4), (x) => reciprocal(x, { iterations: -1 })), RangeError);
  await assert.rejects(run2(grid(1, 2, 4), (x) => reciprocal(x, { range: [0, 1] })), RangeError);
});
