import assert from "node:assert/strict";
import { PeerClosedError, TimeoutError } from "@sharetensor/core/errors";
import { memoryNetwork } from "./memory.ts";

Deno.test("memory: one exchange is one round and counts bytes both ways", async () => {
  const [a, b, c] = memoryNetwork(3);
  const [ra, rb, rc] = await Promise.all([
    a.exchange(new Map([[1, new Uint8Array([1, 2])], [2, new Uint8Array([3])]]), [1, 2]),
    b.exchange(new Map([[0, new Uint8Array([4])], [2, new Uint8Array([5, 6, 7])]]), [0, 2]),
    c.exchange(new Map([[0, new Uint8Array([8])], [1, new Uint8Array([9])]]), [0, 1]),
  ]);
  assert.deepEqual([...ra.get(1)!], [4]);
  assert.deepEqual([...ra.get(2)!], [8]);
  assert.deepEqual([...rb.get(0)!], [1, 2]);
  assert.deepEqual([...rc.get(1)!], [5, 6, 7]);
  assert.deepEqual(a.stats(), { bytesSent: 3, bytesReceived: 2, rounds: 1 });
  assert.deepEqual(b.stats(), { bytesSent: 4, bytesReceived: 3, rounds: 1 });
  a.resetStats();
  assert.deepEqual(a.stats(), { bytesSent: 0, bytesReceived: 0, rounds: 0 });
  await Promise.all([a, b, c].map((t) => t.close()));
});

Deno.test("memory: messages stay in order per link and are copied on send", async () => {
  const [a, b] = memoryNetwork(2);
  const buf = new Uint8Array([1]);
  await a.exchange(new Map([[1, buf]]), []);
  buf[0] = 99;
  await a.exchange(new Map([[1, new Uint8Array([2])]]), []);
  const m1 = await b.exchange(new Map(), [0]);
  const m2 = await b.exchange(new Map(), [0]);
  assert.equal(m1.get(0)![0], 1);
  assert.equal(m2.get(0)![0], 2);
  assert.equal(a.stats().rounds, 2);
  await a.close();
  await b.close();
});

Deno.test("memory: latency and bandwidth delay delivery", async () => {
  const [a, b] = memoryNetwork(2, { latencyMs: 20, bandwidthBytesPerSec: 100_000 });
  const t0 = performance.now();
  const [, got] = await Promise.all([
    a.exchange(new Map([[1, new Uint8Array(2000)]]), []), // 20 ms on the wire + 20 ms latency
    b.exchange(new Map(), [0]),
  ]);
  const dt = performance.now() - t0;
  assert.equal(got.get(0)!.byteLength, 2000);
  assert.ok(dt >= 38, `delivered after ${dt} ms, expected >= 40`);
  await a.close();
  await b.close();
});

Deno.test("memory: a closed peer rejects pending and later receives with PeerClosedError", async () => {
  const [a, b] = memoryNetwork(2);
  const pending = b.exchange(new Map(), [0]);
  await a.close();
  await assert.rejects(pending, PeerClosedError);
  await assert.rejects(b.exchange(new Map(), [0]), PeerClosedError);
  await assert.rejects(a.exchange(new Map([[1, new Uint8Array(1)]]), []), PeerClosedError);
  await b.close();
});

Deno.test("memory: bad peers and sizes are RangeErrors", async () => {
  assert.throws(() => memoryNetwork(0), RangeError);
  assert.throws(() => memoryNetwork(2, { latencyMs: -1 }), RangeError);
  const [a, b] = memoryNetwork(2);
  await assert.rejects(a.exchange(new Map([[2, new Uint8Array(1)]]), []), RangeError);
  await assert.rejects(a.exchange(new Map(), [0]), RangeError);
  await a.close();
  await b.close();
});

Deno.test("memory: a receive that no peer answers rejects with a TimeoutError naming the peer", async () => {
  const [t0, t1] = memoryNetwork(2, { timeoutMs: 50 });
  await assert.rejects(
    t0.exchange(new Map(), [1]),
    (e: unknown) => e instanceof TimeoutError && e.peer === 1 && /50 ms/.test(e.message),
  );
  // A message that does arrive in time is delivered and clears its timer.
  const got = t1.exchange(new Map(), [0]);
  await t0.exchange(new Map([[1, new Uint8Array([7])]]), []);
  assert.deepEqual([...(await got).get(0)!], [7]);
  assert.throws(() => memoryNetwork(2, { timeoutMs: 0 }), RangeError);
  await t0.close();
  await t1.close();
});
