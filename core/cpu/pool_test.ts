import assert from "node:assert/strict";
import { RingTensor } from "../ring.ts";
import { CpuDevice } from "./mod.ts";
import { BufferPool, POISON_WORD } from "./pool.ts";

Deno.test("pool reuses released storage, poisons it, and ignores foreign or repeated releases", () => {
  const pool = new BufferPool({ poison: true, minBytes: 0 });
  const t = pool.alloc(64, [8], false);
  (t.data as BigUint64Array).fill(7n);
  assert.equal(pool.release(t), true);
  assert.equal(pool.release(t), false); // second dispose: no-op
  assert.equal(new Uint32Array(t.data.buffer)[0], POISON_WORD);
  assert.equal(pool.freeBytes, 64);
  const u = pool.alloc(32, [16], false); // same byte length, other ring
  assert.equal(u.data.buffer, t.data.buffer);
  assert.equal(u.data[3], POISON_WORD);
  assert.equal(pool.release(RingTensor.zeros([8])), false); // not issued by the pool
  assert.equal(pool.release(new RingTensor(32, [16], u.data)), false); // a view of u
  pool.release(u);
  assert.deepEqual([...pool.alloc(32, [16], true).data], new Array(16).fill(0));
});

Deno.test("pool keeps at most maxBytes and leaves small buffers alone", () => {
  const pool = new BufferPool({ maxBytes: 100, minBytes: 40 });
  const small = pool.alloc(32, [4], false);
  assert.equal(pool.release(small), false);
  const a = pool.alloc(64, [8], false), b = pool.alloc(64, [8], false);
  pool.release(a);
  pool.release(b);
  assert.equal(pool.freeBytes, 64);
});

Deno.test("every pooled kernel overwrites its whole output (poisoned reuse)", () => {
  const dev = new CpuDevice({ pool: { poison: true, minBytes: 0 } });
  const ref = new CpuDevice({ pool: { minBytes: 1 << 30 } });
  for (const ring of [64, 32] as const) {
    const vals = Array.from({ length: 12 }, (_, i) => BigInt(i * 0x1234567 - 40) << 20n);
    const a = RingTensor.fromBigInts(vals, [3, 4], ring);
    const b = RingTensor.fromBigInts(vals.map((v) => v * 3n + 1n), [3, 4], ring);
    const row = RingTensor.fromBigInts([5n, -6n, 7n, -8n], [4], ring);
    const cases: [string, (d: CpuDevice) => RingTensor][] = [
      ["add", (d) => d.add(d.upload(a), d.upload(b))],
      ["sub bcast", (d) => d.sub(d.upload(a), d.upload(row))],
      ["mul", (d) => d.mul(d.upload(a), d.upload(b))],
      ["xor", (d) => d.xor(d.upload(a), d.upload(b))],
      ["neg", (d) => d.neg(d.upload(a))],
      ["not", (d) => d.not(d.upload(a))],
      ["mulScalar", (d) => d.mulScalar(d.upload(a), -3n)],
      ["shl 3", (d) => d.shl(d.upload(a), 3)],
      ["shl big", (d) => d.shl(d.upload(a), ring - 1)],
      ["sar", (d) => d.sar(d.upload(a), 5)],
      ["shr big", (d) => d.shr(d.upload(a), ring - 2)],
      ["bit", (d) => d.bit(d.upload(a), ring - 1)],
      ["bit low", (d) => d.bit(d.upload(a), 21)],
      ["matmul", (d) => d.matmul(d.upload(a), d.transpose(d.upload(b)))],
      ["zeros", (d) => d.zeros([3, 4], ring)],
      ["reshape", (d) => d.reshape(d.upload(a), [4, 3])],
      ["transpose", (d) => d.transpose(d.upload(a))],
      ["slice", (d) => d.slice(d.upload(a), [1, 1], [2, -1])],
      ["concat", (d) => d.concat([d.upload(a), d.upload(b)], 1)],
      ["stack", (d) => d.stack([d.upload(a), d.upload(b)], 0)],
      ["pad", (d) => d.pad(d.upload(a), [[1, 0], [0, 2]])],
      ["pad value", (d) => d.pad(d.upload(a), [[0, 1], [1, 0]], 5n)],
      ["gather", (d) => d.gather(d.upload(a), [2, 0, -1], 0)],
      ["expand", (d) => d.expand(d.upload(row), [3, 4])],
    ];
    for (const [name, f] of cases) {
      const want = ref.read(f(ref)).toBigInts();
      for (let r = 0; r < 3; r++) {
        // Fill the pool with poisoned buffers of every size the kernel might take.
        const junk = [4, 6, 9, 12, 12, 12, 20, 24, 24].map((n) => dev.fill([n], ring, -1n));
        for (const j of junk) dev.dispose(j);
        const got = f(dev);
        assert.deepEqual(dev.read(got).toBigInts(), want, `${name} Z_2^${ring}`);
        dev.dispose(got);
      }
    }
  }
});

Deno.test("pool refills a class that missed, in the background, up to its target", async () => {
  const pool = new BufferPool({ minBytes: 0, refillMinBytes: 64 });
  const kept = [pool.alloc(64, [8], false), pool.alloc(64, [8], false)]; // two misses
  pool.alloc(32, [8], false); // 32 bytes: below refillMinBytes
  for (let i = 0; i < 5 && pool.freeBytes < 128; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(pool.freeBytes, 128);
  const again = pool.alloc(64, [8], false);
  assert.notEqual(again.data.buffer, kept[0].data.buffer);
  assert.equal(pool.freeBytes, 64);
  const off = new BufferPool({ minBytes: 0, refillMinBytes: Infinity });
  off.alloc(64, [8], false);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(off.freeBytes, 0);
});
