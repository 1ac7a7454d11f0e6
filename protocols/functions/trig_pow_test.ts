import assert from "node:assert/strict";
import { pow } from "./pow.ts";
import { cos, sin, sincos } from "./trig.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

Deno.test("cos and sin: absolute 1e-3 on [-100, 100] (100k points)", async () => {
  const xs = grid(-100, 100, 100_000);
  const rc = await run2(xs, (x) => cos(x));
  const ec = maxErr(rc, Math.cos);
  const rs = await run2(xs.subarray(0, 20_000), (x) => sin(x));
  const es = maxErr(rs, Math.sin);
  console.log("cos", ec, rc.rounds, rc.bytes / xs.length, "sin", es, rs.rounds);
  assert.ok(ec.err <= 1e-3 && es.err <= 1e-3, JSON.stringify([ec, es]));
});

Deno.test("sincos matches cos and sin", async () => {
  const xs = grid(-7, 7, 1000);
  const r = await run2(xs, async (x) => {
    const [c, s] = await sincos(x);
    return c.mulPublic(0n).add(c.sub(s)); // cos - sin
  });
  const e = maxErr(r, (v) => Math.cos(v) - Math.sin(v));
  assert.ok(e.err <= 2e-3, JSON.stringify(e));
});

Deno.test("pow: integers, negative integers, halves and reals", async () => {
  const xs = grid(0.5, 3, 2000);
  for (const p of [0, 1, 2, 3, 7, -1, -2, 0.5, -0.5, 1.7]) {
    const r = await run2(xs, (x) => pow(x, p));
    const e = maxErr(r, (v) => v ** p, 1);
    assert.ok(e.err <= 5e-3, `p=${p} ${JSON.stringify(e)}`);
  }
  await assert.rejects(run2(xs.subarray(0, 2), (x) => pow(x, NaN)), RangeError);
  await assert.rejects(run2(xs.subarray(0, 2), (x) => pow(x, 100)), RangeError);
});
