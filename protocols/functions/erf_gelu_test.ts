import assert from "node:assert/strict";
import { erf, erfFloat } from "./erf.ts";
import { gelu, geluFloat } from "./gelu.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

Deno.test("erfFloat agrees with known values", () => {
  assert.ok(Math.abs(erfFloat(0.5) - 0.5204998778130465) < 1e-15);
  assert.ok(Math.abs(erfFloat(-2) + 0.9953222650189527) < 1e-15);
  assert.ok(Math.abs(erfFloat(3.5) - 0.9999992569016276) < 1e-15);
});

Deno.test("erf: absolute 2e-3 on [-6, 6] (100k points), 7 rounds", async () => {
  const r = await run2(grid(-6, 6, 100_000), (x) => erf(x));
  const e = maxErr(r, erfFloat);
  console.log("erf", e, r.rounds, r.bytes / 100_000);
  assert.ok(e.err <= 2e-3, JSON.stringify(e));
  assert.equal(r.rounds, 7);
});

Deno.test("gelu: absolute 5e-3 on [-8, 8] (100k points) and exact limits far out", async () => {
  const r = await run2(grid(-8, 8, 100_000), (x) => gelu(x));
  const e = maxErr(r, geluFloat);
  console.log("gelu", e, r.rounds, r.bytes / 100_000);
  assert.ok(e.err <= 5e-3, JSON.stringify(e));
  assert.equal(r.rounds, 7);
  const far = await run2(new Float64Array([-1000, -20, 20, 1000]), (x) => gelu(x));
  assert.deepEqual([...far.out], [0, 0, 20, 1000]);
});
