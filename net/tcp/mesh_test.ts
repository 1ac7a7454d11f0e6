import assert from "node:assert/strict";
import { HandshakeError, PeerClosedError, TimeoutError } from "@sharetensor/core/errors";
import { connectMesh, type MeshOptions, type TcpTransport } from "./mesh.ts";
import { connectPeers } from "./connect.ts";
import type { Cluster } from "./cluster.ts";
import { generateKeyPair, type KeyPair } from "./keys.ts";
import { localCluster } from "./local.ts";

const quiet = { warn: () => {} };

async function mesh(
  n: number,
  opts: Partial<MeshOptions> = {},
): Promise<{ ts: TcpTransport[]; cluster: Cluster; keys: KeyPair[] }> {
  const { cluster, keys } = localCluster(n, { ttp: opts.withTtp });
  const ts = await Promise.all(
    keys.slice(0, n).map((keyPair, r) =>
      connectMesh(r, { connectTimeoutMs: 5000, ...quiet, ...opts, cluster, keyPair })
    ),
  );
  return { ts, cluster, keys };
}

function bytesOf(r: number, p: number, round: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (r * 131 + p * 31 + round * 7 + i * 13) & 255;
  return b;
}

for (const n of [2, 3, 4]) {
  Deno.test(`tcp mesh: ${n} parties exchange the right bytes and count them`, async () => {
    const { ts } = await mesh(n);
    try {
      const lens = [0, 1, 1000, 70_001, 300_000, 2_500_001]; // the last travels in 3 parts
      for (let round = 0; round < lens.length; round++) {
        const res = await Promise.all(ts.map((t, r) => {
          const send = new Map<number, Uint8Array>();
          for (let p = 0; p < n; p++) if (p !== r) send.set(p, bytesOf(r, p, round, lens[round]));
          return t.exchange(send, [...send.keys()]);
        }));
        res.forEach((got, r) => {
          for (let p = 0; p < n; p++) {
            if (p !== r) assert.deepEqual(got.get(p), bytesOf(p, r, round, lens[round]));
          }
        });
      }
      const total = lens.reduce((a, b) => a + b, 0) * (n - 1);
      for (const t of ts) {
        assert.deepEqual(t.stats(), {
          bytesSent: total,
          bytesReceived: total,
          rounds: lens.length,
        });
        assert.ok(t.wireBytesSent() > total);
      }
      // A ring tensor travels as its raw bytes and can be viewed again without a copy.
      const x = new BigUint64Array([1n, 2n ** 64n - 1n, 12345678901234567n]);
      const [, got] = await Promise.all([
        ts[0].exchange(new Map([[1, new Uint8Array(x.buffer)]]), []),
        ts[1].exchange(new Map(), [0]),
      ]);
      const b = got.get(0)!;
      assert.deepEqual(new BigUint64Array(b.buffer, b.byteOffset, b.length / 8), x);
      ts[0].resetStats();
      assert.deepEqual(ts[0].stats(), { bytesSent: 0, bytesReceived: 0, rounds: 0 });
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
  });
}

Deno.test("tcp mesh: concurrent exchanges keep their order on every link", async () => {
  const { ts } = await mesh(2);
  try {
    const k = 20;
    const [a, b] = await Promise.all(
      ts.map((t, r) =>
        Promise.all(
          Array.from({ length: k }, (_, i) =>
            t.exchange(new Map([[1 - r, new Uint8Array([r, i])]]), [1 - r])),
        )
      ),
    );
    for (let i = 0; i < k; i++) {
      assert.deepEqual(a[i].get(1), new Uint8Array([1, i]));
      assert.deepEqual(b[i].get(0), new Uint8Array([0, i]));
    }
    assert.equal(ts[0].stats().rounds, k);
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

for (const suite of ["chacha20-poly1305", "chacha20-hmac-sha256", "insecure"] as const) {
  Deno.test(`tcp mesh: ${suite}: messages sent back to back through reused buffers arrive intact`, async () => {
    const { ts } = await mesh(2, { suite });
    try {
      // Multi-part sizes, growing and shrinking, so the link's copy buffers are reused at
      // other lengths; the caller overwrites its buffer right after each call.
      const sizes = [3_000_000, 1 << 20, 200_000, 1_500_000, 1 << 20, 3_000_001, 10];
      const buf = new Uint8Array(3_000_001);
      const sent: Promise<unknown>[] = [];
      for (let i = 0; i < sizes.length; i++) {
        buf.set(bytesOf(0, 1, i, sizes[i]));
        sent.push(ts[0].exchange(new Map([[1, buf.subarray(0, sizes[i])]]), []));
        buf.fill(0xee);
      }
      // All written (so all read and queued by the peer's reader loop) before any is taken.
      await Promise.all(sent);
      await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < sizes.length; i++) {
        const got = await ts[1].exchange(new Map(), [0]);
        assert.deepEqual(got.get(0), bytesOf(0, 1, i, sizes[i]), `message ${i}`);
      }
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
  });
}

Deno.test("tcp mesh: large messages travel in 1 MiB parts one-way, whole in two-way rounds and on insecure links", async () => {
  const len = 2_500_001;
  for (const suite of ["chacha20-poly1305", "insecure"] as const) {
    const { ts } = await mesh(2, { suite });
    try {
      const msg = bytesOf(0, 1, 0, len);
      const back = bytesOf(1, 0, 0, len);
      // One-way: party 1 does not send in this round.
      const [, got] = await Promise.all([
        ts[0].exchange(new Map([[1, msg]]), []),
        ts[1].exchange(new Map(), [0]),
      ]);
      // Two-way: each party also waits for the other's message.
      const [got0, got1] = await Promise.all([
        ts[0].exchange(new Map([[1, msg]]), [1]),
        ts[1].exchange(new Map([[0, back]]), [0]),
      ]);
      for (const [m, want] of [[got.get(0)!, msg], [got1.get(0)!, msg], [got0.get(1)!, back]]) {
        assert.deepEqual(m, want);
        // Delivered as its own 8-byte aligned buffer, not a view of a reused one.
        assert.equal(m.byteOffset % 8, 0);
        assert.ok(m.buffer.byteLength - m.length <= 64);
      }
      // Frame overhead: u32 length, msgpack header (12 bytes per part, 8 whole), tag.
      const whole = len + 4 + 8 + (suite === "insecure" ? 0 : 16);
      const oneWay = suite === "insecure" ? whole : len + 3 * (4 + 12 + 16);
      assert.equal(ts[0].wireBytesSent(), oneWay + whole, suite);
      assert.equal(ts[1].wireBytesSent(), whole, suite);
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
  }
});

for (const suite of ["chacha20-hmac-sha256", "aes-256-gcm", "insecure"] as const) {
  Deno.test(`tcp mesh: suite ${suite} carries the right bytes`, async () => {
    const warnings: string[] = [];
    const { ts } = await mesh(3, { suite, warn: (m) => warnings.push(m) });
    try {
      const msg = bytesOf(1, 2, 3, 100_000);
      const [, , got] = await Promise.all([
        ts[0].exchange(new Map(), []),
        ts[1].exchange(new Map([[2, msg]]), []),
        ts[2].exchange(new Map(), [1]),
      ]);
      assert.deepEqual(got.get(1), msg);
      // The payload is taken when exchange is called, as with the in-memory transport.
      const buf = new Uint8Array([1, 2, 3]);
      const sent = ts[0].exchange(new Map([[2, buf]]), []);
      buf[0] = 99;
      const [, got2] = await Promise.all([sent, ts[2].exchange(new Map(), [0])]);
      assert.deepEqual(got2.get(0), new Uint8Array([1, 2, 3]));
      assert.equal(warnings.length, suite === "insecure" ? 3 : 0);
      if (suite === "insecure") assert.match(warnings[0], /INSECURE/);
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
  });
}

Deno.test("tcp mesh: a link to the TTP carries messages both ways", async () => {
  const { cluster, keys } = localCluster(2, { ttp: true });
  const opts = { connectTimeoutMs: 5000, cluster, ...quiet };
  const [t0, t1, ttpLinks] = await Promise.all([
    connectMesh(0, { ...opts, keyPair: keys[0], withTtp: true }),
    connectMesh(1, { ...opts, keyPair: keys[1], withTtp: true }),
    connectPeers(2, [0, 1], { ...opts, keyPair: keys[2] }),
  ]);
  try {
    await Promise.all([
      ttpLinks.get(0)!.send(new Uint8Array([7])),
      ttpLinks.get(1)!.send(new Uint8Array([8])),
    ]);
    assert.deepEqual(await t0.ttp!.recv(), new Uint8Array([7]));
    assert.deepEqual(await t1.ttp!.recv(), new Uint8Array([8]));
    await t1.ttp!.send(new Uint8Array([9]));
    assert.deepEqual(await ttpLinks.get(1)!.recv(), new Uint8Array([9]));
  } finally {
    await Promise.all([t0.close(), t1.close(), ...[...ttpLinks.values()].map((l) => l.close())]);
  }
});

Deno.test("tcp mesh: a key pair that is not the cluster's is a HandshakeError", async () => {
  const { cluster } = localCluster(2);
  await assert.rejects(
    connectMesh(1, { cluster, keyPair: generateKeyPair(), connectTimeoutMs: 500 }),
    (e) => e instanceof HandshakeError && /party 1/.test(e.message),
  );
});

Deno.test("tcp mesh: dialing a party that is not the one expected is a HandshakeError on both ends", async () => {
  const { cluster, keys } = localCluster(3);
  // Party 0's file has party 2 at party 1's address (keys are the same, addresses differ).
  const wrong: Cluster = {
    parties: cluster.parties.map((p) => p.id === 2 ? { ...p, port: cluster.parties[1].port } : p),
  };
  const opts = { connectTimeoutMs: 3000, ...quiet };
  const [r0, r1, r2] = await Promise.allSettled([
    connectMesh(0, { ...opts, cluster: wrong, keyPair: keys[0] }),
    connectMesh(1, { ...opts, cluster, keyPair: keys[1] }),
    connectMesh(2, { ...opts, cluster, keyPair: keys[2], connectTimeoutMs: 1000 }),
  ]);
  assert.equal(r0.status, "rejected");
  assert.ok(r0.reason instanceof HandshakeError, String(r0.reason));
  assert.match(r0.reason.message, /addressed to party 2, but this is party 1/);
  assert.equal(r1.status, "rejected");
  assert.ok(r1.reason instanceof HandshakeError && r1.reason.peer === 0, String(r1.reason));
  assert.equal(r2.status, "rejected");
});

Deno.test("tcp mesh: a port already in use is a clear error naming the port", async () => {
  const { cluster, keys } = localCluster(2);
  const port = cluster.parties[1].port;
  const squatter = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    await assert.rejects(
      connectMesh(1, { cluster, keyPair: keys[1], connectTimeoutMs: 500 }),
      (e) => e instanceof Deno.errors.AddrInUse && e.message.includes(`port ${port}`),
    );
  } finally {
    squatter.close();
  }
});

Deno.test("tcp mesh: a peer that never comes up is a TimeoutError naming it", async () => {
  const { cluster, keys } = localCluster(3);
  const t0 = Date.now();
  await assert.rejects(
    connectMesh(1, { cluster, keyPair: keys[1], connectTimeoutMs: 400 }),
    (e) => e instanceof TimeoutError && (e.peer === 0 || e.peer === 2),
  );
  assert.ok(Date.now() - t0 < 3000);
});

Deno.test("tcp mesh: a silent peer is a TimeoutError; then every exchange rejects", async () => {
  const { ts } = await mesh(3, { timeoutMs: 300 });
  try {
    const p = ts[0].exchange(new Map(), [1]);
    await assert.rejects(p, (e) => e instanceof TimeoutError && e.peer === 1);
    await assert.rejects(ts[0].exchange(new Map(), [2]), TimeoutError);
    // party 1 and 2 were told that party 0 gave up.
    await assert.rejects(ts[1].exchange(new Map(), [2]), (e) => e instanceof PeerClosedError);
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

Deno.test("tcp mesh: a closed peer fails pending and later exchanges with PeerClosedError", async () => {
  const { ts } = await mesh(3);
  try {
    const pending = ts[0].exchange(new Map(), [2]);
    const other = ts[1].exchange(new Map(), [0]);
    await ts[2].close();
    for (const r of await Promise.allSettled([pending, other])) {
      assert.ok(r.status === "rejected" && r.reason instanceof PeerClosedError, String(r));
      assert.equal(r.reason.peer, 2);
    }
    await assert.rejects(ts[0].exchange(new Map([[1, new Uint8Array(1)]]), []), PeerClosedError);
    await assert.rejects(ts[2].exchange(new Map(), [0]), PeerClosedError);
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

Deno.test("tcp mesh: a peer that closes cleanly after its last message does not break the others", async () => {
  const { ts } = await mesh(3);
  try {
    const sent2 = ts[2].exchange(new Map([[0, new Uint8Array([2])]]), []).then(() => ts[2].close());
    const got0 = ts[0].exchange(new Map(), [1, 2]);
    await sent2;
    await new Promise((r) => setTimeout(r, 50));
    await ts[1].exchange(new Map([[0, new Uint8Array([1])]]), []);
    const got = await got0;
    assert.deepEqual([got.get(1), got.get(2)], [new Uint8Array([1]), new Uint8Array([2])]);
    const [, back] = await Promise.all([
      ts[0].exchange(new Map([[1, new Uint8Array([3])]]), []),
      ts[1].exchange(new Map(), [0]),
    ]);
    assert.deepEqual(back.get(0), new Uint8Array([3]));
    // A round that needs the party that left fails, and the failure reaches the others.
    await assert.rejects(
      ts[0].exchange(new Map(), [2]),
      (e) => e instanceof PeerClosedError && e.peer === 2,
    );
    await assert.rejects(
      ts[1].exchange(new Map(), [0]),
      (e) => e instanceof PeerClosedError && e.peer === 2,
    );
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

Deno.test("tcp mesh: an oversized message is a FrameDecodeError at the receiver", async () => {
  const { cluster, keys } = localCluster(2);
  const ts = await Promise.all(
    keys.map((keyPair, r) =>
      connectMesh(r, { cluster, keyPair, maxFrameBytes: r === 1 ? 1 << 16 : undefined })
    ),
  );
  try {
    const [s, g] = await Promise.allSettled([
      ts[0].exchange(new Map([[1, new Uint8Array(1 << 17)]]), [1]),
      ts[1].exchange(new Map(), [0]),
    ]);
    assert.equal(g.status, "rejected");
    assert.equal(g.reason.name, "FrameDecodeError");
    assert.equal(g.reason.peer, 0);
    assert.match(g.reason.message, /frame of \d+ bytes exceeds the limit of 65536/);
    assert.equal(s.status, "rejected");
    assert.ok(s.reason instanceof PeerClosedError && s.reason.peer === 1, String(s.reason));
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

Deno.test("tcp mesh: bad arguments are TypeError/RangeError", async () => {
  const { ts } = await mesh(2);
  try {
    await assert.rejects(ts[0].exchange(new Map([[0, new Uint8Array(1)]]), []), RangeError);
    await assert.rejects(ts[0].exchange(new Map(), [5]), RangeError);
    await assert.rejects(
      ts[0].exchange(new Map([[1, [1] as unknown as Uint8Array]]), []),
      TypeError,
    );
  } finally {
    await Promise.all(ts.map((t) => t.close()));
  }
});

Deno.test("connect: a self-connection is recognised (and retried), a real one is not", async () => {
  const { isSelfConnect } = await import("./connect.ts");
  const addr = (port: number) => ({ transport: "tcp" as const, hostname: "127.0.0.1", port });
  const fake = (a: number, b: number) =>
    ({ localAddr: addr(a), remoteAddr: addr(b) }) as unknown as Deno.Conn;
  assert.equal(isSelfConnect(fake(40000, 40000)), true);
  assert.equal(isSelfConnect(fake(40000, 40001)), false);
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = l.accept();
  const c = await Deno.connect({ hostname: "127.0.0.1", port: (l.addr as Deno.NetAddr).port });
  assert.equal(isSelfConnect(c), false);
  c.close();
  (await accepted).close();
  l.close();
});
