import assert from "node:assert/strict";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";

Deno.test("warmOnce runs a loop's warm-up once per loop", () => {
  let n = 0;
  const f = () => {}, g = () => {};
  warmOnce(f, () => n++);
  warmOnce(f, () => n++);
  warmOnce(g, () => n++);
  assert.equal(n, 2);
});

Deno.test("warmArrays gives distinct non-zero operands of WARM_SIZE", () => {
  const [a, b] = warmArrays(2);
  assert.equal(a.length, WARM_SIZE);
  assert.notEqual(a, b);
  assert.notEqual(a[5], b[5]);
});

Deno.test("warmLoop stops once two batches run fast", () => {
  let calls = 0;
  warmLoop(() => calls++);
  assert.ok(calls >= 40 && calls < 100_000, `${calls} calls`);
});
