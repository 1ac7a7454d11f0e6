import assert from "node:assert/strict";
import { exp } from "./exp.ts";
import { grid, maxErr, run2 } from "./test_util.ts";

Deno.test("exp: relative 1e-3 (floor 1/16) on a 100k grid over [-16, 8], 6 rounds, 48 B", async () => {
  const r = await run2(grid(-16, 8, 100_000), (x) => exp(x));
  const e = maxErr(r, Math.exp, 1 / 16);
  console.log("exp [-16,8]", e, r.rounds, r.bytes / 100_000);
  assert.ok(e.err <= 1e-3, JSON.stringify(e));
  assert.equal(r.rounds, 6);
  assert.equal(r.bytes, 48 * 100_000);
});

Deno.test("exp: fitted domain down to -32 stays within 6.25e-5 absolute", async () => {
  const r = await run2(grid(-32, -16, 20_000), (x) => exp(x));
  const e = maxErr(r, Math.exp, 1 / 16);
  assert.ok(e.err <= 1e-3, JSON.stringify(e));
});
