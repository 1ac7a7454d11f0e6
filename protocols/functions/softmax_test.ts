import assert from "node:assert/strict";
import { logSoftmax, softmax } from "./softmax.ts";
import { run2, uniform } from "./test_util.ts";

function refSoftmax(x: Float64Array, n: number, mask?: number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    let m = -Infinity;
    for (let i = 0; i < n; i++) if (!mask || mask[i]) m = Math.max(m, x[r * n + i]);
    let s = 0;
    for (let i = 0; i < n; i++) s += !mask || mask[i] ? Math.exp(x[r * n + i] - m) : 0;
    for (let i = 0; i < n; i++) {
      out[r * n + i] = !mask || mask[i] ? Math.exp(x[r * n + i] - m) / s : 0;
    }
  }
  return out;
}

function maxAbs(a: Float64Array, b: Float64Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
}

Deno.test("softmax: W5 rows (U[-4, 4], 128 wide), max abs error <= 2e-4, < 116 rounds", async () => {
  const xs = uniform(-4, 4, 128 * 128, 5);
  const r = await run2(xs, (x) => softmax(x), [128, 128]);
  const e = maxAbs(r.out, refSoftmax(r.input, 128));
  console.log("softmax W5 rows", e, r.rounds, r.bytes / xs.length);
  assert.ok(e <= 2e-4, `${e}`);
  assert.ok(r.rounds < 116);
});

Deno.test("softmax: peaked rows and a public mask", async () => {
  const xs = uniform(-2, 2, 64 * 16, 9).map((v, i) => i % 16 === 3 ? v + 12 : v);
  const mask = Array.from({ length: 16 }, (_, i) => i % 5 === 0 ? 0 : 1);
  const r = await run2(xs, (x) => softmax(x, { mask }), [64, 16]);
  const e = maxAbs(r.out, refSoftmax(r.input, 16, mask));
  console.log("softmax masked", e);
  assert.ok(e <= 5e-4, `${e}`);
  for (let i = 0; i < xs.length; i++) if (!mask[i % 16]) assert.equal(r.out[i], 0);
});

Deno.test("logSoftmax: absolute 5e-3 on U[-4, 4] rows", async () => {
  const xs = uniform(-4, 4, 32 * 64, 11);
  const r = await run2(xs, (x) => logSoftmax(x), [32, 64]);
  const ref = refSoftmax(r.input, 64).map(Math.log);
  const e = maxAbs(r.out, ref);
  console.log("logSoftmax", e, r.rounds);
  assert.ok(e <= 5e-3, `${e}`);
});

Deno.test("softmax: a secret 0/1 mask (as comparisons give) equals the public one", async () => {
  const xs = uniform(-3, 3, 8 * 16, 12);
  const mask = Array.from({ length: 16 }, (_, i) => i % 3 === 0 ? 0 : 1);
  const r = await run2(xs, async (x) => {
    const m = await x.ctx.share(x.ctx.rank === 1 ? mask : null, {
      from: 1,
      shape: [16],
      fracBits: 0,
    });
    return await softmax(x, { mask: m });
  }, [8, 16]);
  const e = maxAbs(r.out, refSoftmax(r.input, 16, mask));
  assert.ok(e <= 2e-4, `${e}`);
  for (let i = 0; i < xs.length; i++) if (!mask[i % 16]) assert.equal(r.out[i], 0);
});
