import assert from "node:assert/strict";
import { FrameDecodeError, PeerClosedError, ProtocolAbortError } from "@sharetensor/core/errors";
import { memoryNetwork } from "@sharetensor/net/memory";
import { Comm } from "./comm.ts";
import { decodeMessage, encodeMessage, hash32 } from "./frame.ts";

const b = (...v: number[]) => new Uint8Array(v);
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("comm: requests of one tick go out as one message per peer", async () => {
  const ts = memoryNetwork(3);
  const cs = ts.map((t) => new Comm(t));
  const all = cs.map((c, r) => {
    const peers = [0, 1, 2].filter((p) => p !== r);
    const send = new Map(peers.map((p) => [p, [b(r)]]));
    return Promise.all(["a", "b", "c"].map((k) => c.request(k, "op", 1, send, peers)));
  });
  const got = await Promise.all(all);
  for (let r = 0; r < 3; r++) {
    assert.equal(ts[r].stats().rounds, 1);
    assert.equal(cs[r].stats().messages, 2);
    for (const m of got[r]) for (const [p, v] of m) assert.equal(v[0], p);
  }
});

Deno.test("comm: parties that cut rounds differently still pair payloads by key", async () => {
  const [t0, t1] = memoryNetwork(2);
  const c0 = new Comm(t0);
  const c1 = new Comm(t1);
  // party 0: A and B together; party 1: B first, A later (another round)
  const p0 = Promise.all([
    c0.request("A", "op", 0, new Map([[1, [b(10)]]]), [1]),
    c0.request("B", "op", 0, new Map([[1, [b(11)]]]), [1]),
  ]);
  const pB = c1.request("B", "op", 0, new Map([[0, [b(21)]]]), [0]);
  await tick(5);
  const pA = c1.request("A", "op", 0, new Map([[0, [b(20)]]]), [0]);
  const [[a0, b0], a1, b1] = await Promise.all([p0, pA, pB]);
  assert.equal(a0.get(1)![0], 20);
  assert.equal(b0.get(1)![0], 21);
  assert.equal(a1.get(0)![0], 10);
  assert.equal(b1.get(0)![0], 11);
  assert.equal(t1.stats().rounds, 2);
});

Deno.test("comm: a send buffer may be reused once its round resolves, even a round that was early", async () => {
  const [t0, t1] = memoryNetwork(2);
  const c0 = new Comm(t0);
  const c1 = new Comm(t1);
  // Party 1 is ahead: its payload of round "k" reaches party 0 before party 0 asks for it.
  const ahead = Promise.all([
    c1.request("j", "op", 0, new Map([[0, [b(1)]]]), []),
    c1.request("k", "op", 0, new Map([[0, [b(21)]]]), [0]),
    c1.request("s", "op", 0, new Map(), [0]),
  ]);
  await c0.request("j", "op", 0, new Map(), [1]);
  // Reuse each send buffer at once, as andFn and b2a do: the peer must still get the old bytes.
  const kBuf = b(10);
  const k0 = await c0.request("k", "op", 0, new Map([[1, [kBuf]]]), [1]);
  kBuf[0] = 99;
  const sBuf = b(30);
  await c0.request("s", "op", 0, new Map([[1, [sBuf]]]), []);
  sBuf[0] = 99;
  const [, k1, s1] = await ahead;
  assert.equal(k0.get(1)![0], 21);
  assert.equal(
    k1.get(0)![0],
    10,
    "round k: the peer got the bytes as they were when the round was issued",
  );
  assert.equal(s1.get(0)![0], 30, "send-only round: the peer got the reused buffer");
});

Deno.test("comm: a header mismatch aborts both sides, and later requests reject", async () => {
  const [t0, t1] = memoryNetwork(2);
  const c0 = new Comm(t0);
  const c1 = new Comm(t1);
  const r = await Promise.allSettled([
    c0.request("k", "mul_aa", hash32("[2]"), new Map([[1, [b(1)]]]), [1]),
    c1.request("k", "mul_aa", hash32("[3]"), new Map([[0, [b(1)]]]), [0]),
  ]);
  for (const s of r) {
    assert.equal(s.status, "rejected");
    assert.ok((s as PromiseRejectedResult).reason instanceof ProtocolAbortError);
  }
  await assert.rejects(c0.request("k2", "x", 0, new Map(), []), ProtocolAbortError);
});

Deno.test("comm: an abort with notify stops a peer that waits", async () => {
  const [t0, t1] = memoryNetwork(2);
  const c0 = new Comm(t0);
  const c1 = new Comm(t1);
  const waiting = c1.request("k", "op", 0, new Map([[0, [b(1)]]]), [0]);
  c0.abort(new TypeError("bad input on party 0"), true);
  await assert.rejects(
    waiting,
    (e) => e instanceof ProtocolAbortError && /bad input on party 0/.test(e.message),
  );
});

Deno.test("comm: a closed peer rejects with PeerClosedError", async () => {
  const [t0, t1] = memoryNetwork(2);
  const c1 = new Comm(t1);
  const waiting = c1.request("k", "op", 0, new Map(), [0]);
  await t0.close();
  await assert.rejects(waiting, PeerClosedError);
});

Deno.test("frame: round trip and malformed messages", () => {
  const m = encodeMessage([{ key: 1, op: 2, shape: 3, parts: [b(1, 2), b(3)] }, {
    key: 4,
    op: 5,
    shape: 6,
    parts: [],
  }]);
  const d = decodeMessage(m, 0);
  assert.deepEqual(d.map((s) => [s.key, s.op, s.shape, [...s.payload]]), [[1, 2, 3, [1, 2, 3]], [
    4,
    5,
    6,
    [],
  ]]);
  assert.throws(() => decodeMessage(m.subarray(0, 4), 1), FrameDecodeError);
  assert.throws(() => decodeMessage(m.subarray(0, m.length - 1), 1), FrameDecodeError);
  const bad = m.slice();
  bad[0] ^= 1;
  assert.throws(() => decodeMessage(bad, 1), FrameDecodeError);
});
