import assert from "node:assert/strict";
import { sigmoid, sigmoidFloat } from "./sigmoid.ts";
import { silu } from "./silu.ts";
import { softplus, softplusFloat } from "./softplus.ts";
import { tanh } from "./tanh.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

const cases = [
  { name: "sigmoid", fn: sigmoid, ref: sigmoidFloat, lo: -16, hi: 16, tol: 2e-3 },
  { name: "tanh", fn: tanh, ref: Math.tanh, lo: -16, hi: 16, tol: 2e-3 },
  { name: "silu", fn: silu, ref: (v: number) => v * sigmoidFloat(v), lo: -16, hi: 16, tol: 2e-3 },
  { name: "softplus", fn: softplus, ref: softplusFloat, lo: -16, hi: 16, tol: 2e-3 },
];

for (const c of cases) {
  Deno.test(`${c.name}: absolute ${c.tol} on [${c.lo}, ${c.hi}] (100k points), 7 rounds`, async () => {
    const r = await run2(grid(c.lo, c.hi, 100_000), (x) => c.fn(x));
    const e = maxErr(r, c.ref);
    console.log(c.name, e, r.rounds, r.bytes / 100_000);
    assert.ok(e.err <= c.tol, JSON.stringify(e));
    assert.equal(r.rounds, 7);
    const far = await run2(new Float64Array([-1e4, 1e4]), (x) => c.fn(x));
    assert.ok(
      Math.abs(far.out[0] - c.ref(-1e4)) < 1e-9 && Math.abs(far.out[1] - c.ref(1e4)) < 1e-9,
    );
  });
}
