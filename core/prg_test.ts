import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { Prg, PRG_STREAM_LIMIT } from "./prg.ts";

const SEED = new Uint8Array(32).map((_, i) => i);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Independent ChaCha20 block function (RFC 8439 section 2.3), as a GPU would write it. */
function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array): Uint8Array {
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  const nv = new DataView(nonce.buffer, nonce.byteOffset, 12);
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = kv.getUint32(4 * i, true);
  s[12] = counter;
  for (let i = 0; i < 3; i++) s[13 + i] = nv.getUint32(4 * i, true);
  const x = new Uint32Array(s);
  const rotl = (v: number, c: number) => (v << c) | (v >>> (32 - c));
  const qr = (a: number, b: number, c: number, d: number) => {
    x[a] += x[b], x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d], x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b], x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d], x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let r = 0; r < 10; r++) {
    qr(0, 4, 8, 12), qr(1, 5, 9, 13), qr(2, 6, 10, 14), qr(3, 7, 11, 15);
    qr(0, 5, 10, 15), qr(1, 6, 11, 12), qr(2, 7, 8, 13), qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(4 * i, (x[i] + s[i]) >>> 0, true);
  return out;
}

/** The documented construction, rebuilt from HMAC and the reference block function. */
function referenceStream(seed: Uint8Array, firstBlock: number, blocks: number): Uint8Array {
  const key = new Uint8Array(createHmac("sha256", seed).update("sharetensor/prg/v1/key").digest());
  const out = new Uint8Array(64 * blocks);
  for (let b = 0; b < blocks; b++) {
    out.set(chachaBlock(key, firstBlock + b, new Uint8Array(12)), 64 * b);
  }
  return out;
}

function referenceForkSeed(seed: Uint8Array, tag: number, label: string): Uint8Array {
  const msg = new Uint8Array([
    ...new TextEncoder().encode("sharetensor/prg/v1/fork"),
    0,
    tag,
    ...new TextEncoder().encode(label),
  ]);
  return new Uint8Array(createHmac("sha256", seed).update(msg).digest());
}

Deno.test("reference ChaCha20 block matches RFC 8439 2.3.2", () => {
  const key = new Uint8Array(32).map((_, i) => i);
  const nonce = new Uint8Array([0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0]);
  assert.equal(
    hex(chachaBlock(key, 1, nonce)),
    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
      "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
  );
});

Deno.test("known answer: the stream is fixed forever", () => {
  assert.equal(
    hex(new Prg(SEED).bytes(32)),
    "fe77ac2505cdf6cc17a26195d146c22450bb5a2d3fc1ec2d08ecda95dfb07ce2",
  );
  assert.equal(
    hex(new Prg(SEED).fork("triples").bytes(32)),
    "025f8229cc7407bcdb3f668bedb65a7b12a975df46712063061211661bdf04e1",
  );
  assert.equal(
    hex(new Prg(SEED).fork(7).bytes(32)),
    "cb08a2869ddc8b0758269fe9cf8d5fbfb715a354c5cf9b4781e0964368aef325",
  );
  assert.equal(
    hex(new Prg(SEED.subarray(0, 16)).bytes(32)),
    "5400f9821b798b776a23d16257bd08da086ebfdd6c22b34478c3a05fcc207e18",
  );
  assert.deepEqual(new Prg(SEED).ring([2]).toBigInts(), [
    14769217449998710782n,
    2648757396815585815n,
  ]);
  assert.deepEqual(new Prg(SEED).ring([2], 32).toBigInts(), [632059902n, 3438726405n]);
  assert.equal(new Prg(SEED).bits([16]).toBigInts().join(""), "0111111111101110");
  assert.deepEqual([...new Prg(SEED).uniformBelow(8, 10)], [2, 5, 1, 9, 2, 7, 6, 9]);
});

Deno.test("the documented construction reproduces the stream (key, nonce, counter, forks)", () => {
  const prg = new Prg(SEED);
  assert.deepEqual(prg.bytes(200), referenceStream(SEED, 0, 4).subarray(0, 200));
  // seek: bytes 640..767 are blocks 10 and 11
  prg.bytes(440);
  assert.deepEqual(prg.bytes(128), referenceStream(SEED, 10, 2));
  const fs = referenceForkSeed(SEED, 1, "triples");
  assert.deepEqual(new Prg(SEED).fork("triples").seed, fs);
  assert.deepEqual(new Prg(SEED).fork("triples").bytes(64), referenceStream(fs, 0, 1));
  assert.deepEqual(new Prg(SEED).fork(-12).seed, referenceForkSeed(SEED, 2, "-12"));
  // ring elements are little-endian 8-byte words of the stream; bits are LSB first
  const ks = referenceStream(SEED, 0, 1);
  const dv = new DataView(ks.buffer);
  assert.deepEqual(
    new Prg(SEED).ring([3]).toBigInts(),
    [0, 1, 2].map((i) => dv.getBigUint64(8 * i, true)),
  );
  const bits = new Prg(SEED).bits([24], 32).toBigInts();
  bits.forEach((b, i) => assert.equal(b, BigInt((ks[i >> 3] >> (i & 7)) & 1)));
});

Deno.test("same seed, same stream, however it is cut into draws (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }),
      (seed, cuts) => {
        const total = cuts.reduce((a, b) => a + b, 0);
        const whole = new Prg(seed).bytes(total);
        const p = new Prg(seed);
        let off = 0;
        for (const c of cuts) {
          assert.deepEqual(p.bytes(c), whole.subarray(off, off + c));
          off += c;
        }
        assert.equal(p.position, total);
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("a ring draw after an odd byte count still reads the next stream bytes", () => {
  const a = new Prg(SEED);
  a.bytes(3);
  const t = a.ring([5]);
  assert.equal(t.data.byteOffset % 8, 0);
  const ref = new DataView(new Prg(SEED).bytes(43).buffer, 3);
  assert.deepEqual(t.toBigInts(), [0, 1, 2, 3, 4].map((i) => ref.getBigUint64(8 * i, true)));
});

Deno.test("draws larger than the zero buffer equal the same bytes cut small", () => {
  const n = (8 << 20) + 100;
  const big = new Prg(SEED).bytes(n);
  const p = new Prg(SEED);
  const head = p.bytes(1 << 20);
  assert.deepEqual(head, big.subarray(0, 1 << 20));
  p.bytes(n - (1 << 20) - 64);
  assert.deepEqual(p.bytes(64), big.subarray(n - 64));
});

Deno.test("fork: deterministic, label-separated, independent of parent consumption", () => {
  const p = new Prg(SEED);
  const before = p.fork("x").bytes(32);
  p.bytes(1000);
  p.ring([10]);
  assert.deepEqual(p.fork("x").bytes(32), before);
  const streams = [p.fork("x"), p.fork("y"), p.fork(1), p.fork("1"), p.fork(""), p.fork(0), p]
    .map((q) => hex(q.bytes(16)));
  assert.equal(new Set(streams).size, streams.length);
  assert.deepEqual(p.derive("a", 2).bytes(16), p.fork("a").fork(2).bytes(16));
  assert.notDeepEqual(p.derive("a", 2).bytes(16), p.derive(2, "a").bytes(16));
  assert.throws(() => p.derive(), TypeError);
  assert.throws(() => p.fork(1.5), RangeError);
  assert.throws(() => p.fork({} as unknown as string), TypeError);
});

Deno.test("seed: validated, copied in and out", () => {
  for (
    const bad of [new Uint8Array(0), new Uint8Array(15), new Uint8Array(24), new Uint8Array(33)]
  ) {
    assert.throws(
      () => new Prg(bad),
      (e: unknown) => e instanceof TypeError && /bytes/.test(e.message),
    );
  }
  assert.throws(() => new Prg(new Uint16Array(16) as unknown as Uint8Array), TypeError);
  assert.throws(() => new Prg([1, 2] as unknown as Uint8Array), TypeError);
  const s = SEED.slice();
  const p = new Prg(s);
  s[0] ^= 1;
  const got = p.seed;
  got[1] ^= 1;
  assert.deepEqual(p.seed, SEED);
  assert.deepEqual(p.bytes(8), new Prg(SEED).bytes(8));
  assert.equal(Prg.random().seed.length, 32);
  assert.notDeepEqual(Prg.random().seed, Prg.random().seed);
});

Deno.test("bits are 0/1 with a sane mean on both rings", () => {
  const n = 1 << 16;
  for (const ring of [64, 32] as const) {
    const t = new Prg(SEED).fork(ring).bits([256, 256], ring);
    assert.equal(t.ring, ring);
    assert.deepEqual(t.shape, [256, 256]);
    let ones = 0;
    for (const v of t.data) {
      assert.ok(v === 0 || v === 1 || v === 0n || v === 1n, `bit ${v}`);
      ones += Number(v);
    }
    // mean 1/2, sd 1/(2 sqrt n) = 0.002: allow 5 sd
    assert.ok(Math.abs(ones / n - 0.5) < 0.01, `mean ${ones / n}`);
  }
});

Deno.test("uniformity sanity: byte histogram chi-square and ring-64 bit balance", () => {
  const b = new Prg(SEED).fork("chi").bytes(1 << 18);
  const hist = new Array(256).fill(0);
  for (const x of b) hist[x]++;
  const e = b.length / 256;
  const chi = hist.reduce((acc, h) => acc + (h - e) ** 2 / e, 0);
  // 255 degrees of freedom: mean 255, sd 22.6; 400 is about p = 1e-8
  assert.ok(chi < 400 && chi > 150, `chi-square ${chi}`);
  const t = new Prg(SEED).fork("top").ring([1 << 14]);
  let top = 0, low = 0;
  for (const v of t.data as BigUint64Array) {
    top += Number(v >> 63n);
    low += Number(v & 1n);
  }
  for (const c of [top, low]) assert.ok(Math.abs(c / t.size - 0.5) < 0.02, `${c}/${t.size}`);
});

Deno.test("uniformBelow: in range, unbiased-looking, validated", () => {
  const p = new Prg(SEED).fork("below");
  const v = p.uniformBelow(60000, 6);
  const counts = new Array(6).fill(0);
  for (const x of v) counts[x]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `count ${c}`);
  assert.ok(p.uniformBelow(100, 1).every((x) => x === 0));
  const raw = new Prg(SEED).bytes(16);
  assert.deepEqual(new Prg(SEED).uniformBelow(4, 2 ** 32), new Uint32Array(raw.buffer));
  assert.equal(p.uniformBelow(0, 5).length, 0);
  for (const bad of [0, -1, 2 ** 32 + 1, 1.5]) {
    assert.throws(() => p.uniformBelow(1, bad), RangeError);
  }
});

Deno.test("sizes are validated; the stream limit is a RangeError", () => {
  const p = new Prg(SEED);
  assert.throws(() => p.bytes(-1), RangeError);
  assert.throws(() => p.bytes(1.5), RangeError);
  assert.throws(() => p.ring([2, -1]), TypeError);
  assert.throws(() => p.ring([2], 16 as 64), TypeError);
  assert.throws(() => p.bytes(PRG_STREAM_LIMIT + 1), RangeError);
  assert.equal(p.position, 0);
  assert.equal(p.bytes(0).length, 0);
  assert.deepEqual(p.ring([0]).shape, [0]);
  assert.deepEqual(p.ring([]).size, 1);
});
