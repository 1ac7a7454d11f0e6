import assert from "node:assert/strict";
import { Prg } from "@sharetensor/core/prg";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { addPlanes, allOnes, type AndFn, csa, drive, msbOfSum, schedule } from "./circuits.ts";
import {
  fromPlanes,
  lowPlane,
  notPlane,
  planesToRows,
  planeToTensor,
  toPlanes,
  transpose32,
} from "./planes.ts";

const prg = new Prg(new Uint8Array(32).fill(7));

Deno.test("transpose32 matches the naive transpose", () => {
  const a = new Uint32Array(prg.fork("t").ring([32], 32).data as Uint32Array);
  const b = a.slice();
  transpose32(b, 0);
  for (let r = 0; r < 32; r++) {
    for (let c = 0; c < 32; c++) assert.equal((b[r] >>> c) & 1, (a[c] >>> r) & 1);
  }
});

for (const ring of [64, 32] as const) {
  Deno.test(`toPlanes(bits) and planesToRows agree with the full transpose, Z_2^${ring}`, () => {
    const t = prg.fork("pr").ring([70], ring);
    const all = toPlanes(t);
    const low = toPlanes(t, 20);
    assert.equal(low.length, 20);
    low.forEach((p, k) => assert.deepEqual(p, all[k]));
    const rows = planesToRows(all.slice(3, 6), ring, 70).toBigInts();
    const signs = planesToRows(all.slice(3, 6), ring, 70, true).toBigInts(true);
    const v = t.toBigInts();
    for (let b = 0; b < 3; b++) {
      for (let e = 0; e < 70; e++) {
        const bit = (v[e] >> BigInt(b + 3)) & 1n;
        assert.equal(rows[b * 70 + e], bit);
        assert.equal(signs[b * 70 + e], 1n - 2n * bit);
      }
    }
  });

  Deno.test(`planes round trip, Z_2^${ring}, odd sizes`, () => {
    for (const n of [1, 31, 33, 70]) {
      const t = prg.fork(`rt${n}`).ring([n], ring);
      const p = toPlanes(t);
      assert.equal(p.length, ring);
      for (let e = 0; e < n; e++) {
        const v = BigInt(t.data[e]);
        for (let b = 0; b < ring; b += 13) {
          assert.equal((p[b][e >>> 5] >>> (e & 31)) & 1, Number((v >> BigInt(b)) & 1n));
        }
      }
      assert.deepEqual(fromPlanes(p, ring, [n]).toBigInts(), t.toBigInts());
      const low = planeToTensor(lowPlane(t), ring, [n]).toBigInts();
      assert.deepEqual(low, t.toBigInts().map((v) => v & 1n));
    }
  });
}

Deno.test("notPlane keeps the padding bits at zero", () => {
  assert.equal(notPlane(new Uint32Array([0, 0]), 35)[1], 7);
});

/** A plaintext AND over planes: circuits on (value, 0) shares give the plaintext result. */
const and: AndFn = (xs, ys) => Promise.resolve(xs.map((x, i) => x.map((w, j) => w & ys[i][j])));

function planesOf(vals: bigint[], ring: Ring): Uint32Array[] {
  return toPlanes(RingTensor.fromBigInts(vals, [vals.length], ring));
}

for (const ring of [64, 32] as const) {
  Deno.test(`circuits in plaintext agree with BigInt, Z_2^${ring}`, async () => {
    const mask = (1n << BigInt(ring)) - 1n;
    const edge = [0n, 1n, mask, 1n << BigInt(ring - 1), (1n << BigInt(ring - 1)) - 1n];
    const u = [...edge, ...prg.fork(`u${ring}`).ring([40], ring).toBigInts()];
    const v = [...edge.slice().reverse(), ...prg.fork(`v${ring}`).ring([40], ring).toBigInts()];
    const w = [...edge, ...prg.fork(`w${ring}`).ring([40], ring).toBigInts()];
    const n = u.length;
    const bits = (p: Uint32Array) => planeToTensor(p, ring, [n]).toBigInts();
    const sum = (a: bigint[], b: bigint[]) => a.map((x, i) => (x + b[i]) & mask);
    const msb = await drive(msbOfSum(planesOf(u, ring), planesOf(v, ring)), and);
    assert.deepEqual(bits(msb), sum(u, v).map((x) => x >> BigInt(ring - 1)));
    const add = await drive(addPlanes(planesOf(u, ring), planesOf(v, ring)), and);
    assert.deepEqual(fromPlanes(add, ring, [n]).toBigInts(), sum(u, v));
    const zero = new Uint32Array(planesOf(u, ring)[0].length);
    const [a, b] = await drive(
      csa([planesOf(u, ring), planesOf(v, ring), planesOf(w, ring), planesOf(u, ring)], zero),
      and,
    );
    const ab = fromPlanes(await drive(addPlanes(a, b), and), ring, [n]).toBigInts();
    assert.deepEqual(ab, sum(sum(sum(u, v), w), u));
    const ones = await drive(allOnes(planesOf(u, ring)), and);
    assert.deepEqual(bits(ones), u.map((x) => x === mask ? 1n : 0n));
  });
}

Deno.test("circuit schedules: the carry tree packs to the live bits", () => {
  const z = (k: number) => (p: Uint32Array) => Array(k).fill(p);
  assert.deepEqual(schedule((p) => msbOfSum(z(64)(p), z(64)(p))), [63, 61, 31, 15, 7, 3, 1]);
  assert.deepEqual(schedule((p) => msbOfSum(z(32)(p), z(32)(p))), [31, 29, 15, 7, 3, 1]);
  assert.deepEqual(schedule((p) => allOnes(z(64)(p))), [32, 16, 8, 4, 2, 1]);
  const add = schedule((p) => addPlanes(z(64)(p), z(64)(p)));
  assert.equal(add.length, 7);
  assert.ok(add.reduce((a, b) => a + b) < 400, `Sklansky ANDs ${add}`);
});
