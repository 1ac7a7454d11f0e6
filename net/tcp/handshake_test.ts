import assert from "node:assert/strict";
import { Packr } from "msgpackr";
import {
  FrameDecodeError,
  HandshakeError,
  PeerClosedError,
  TimeoutError,
} from "@sharetensor/core/errors";
import type { CipherSuite } from "./cipher.ts";
import type { Cluster } from "./cluster.ts";
import { FrameReader, writeAll } from "./frame.ts";
import {
  acceptHandshake,
  type HandshakeOptions,
  type HandshakeResult,
  initiateHandshake,
} from "./handshake.ts";
import { generateKeyPair, type KeyPair } from "./keys.ts";
import { connectMesh } from "./mesh.ts";
import { SecureLink } from "./secure_channel.ts";
import { localCluster } from "./local.ts";

async function socketPair(): Promise<[Deno.TcpConn, Deno.TcpConn]> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pair = await Promise.all([
    l.accept(),
    Deno.connect({ hostname: "127.0.0.1", port: l.addr.port }),
  ]);
  l.close();
  return pair;
}

function close(...cs: Deno.Conn[]) {
  for (const c of cs) {
    try {
      c.close();
    } catch { /* closed */ }
  }
}

const hsOpts = (
  cluster: Cluster,
  self: number,
  keyPair: KeyPair,
  over: Partial<HandshakeOptions> = {},
): HandshakeOptions => ({
  cluster,
  self,
  keyPair,
  suite: "chacha20-hmac-sha256",
  timeoutMs: 2000,
  ...over,
});

/** Party 0 dials party 1 with the given options; resolves both outcomes. */
async function handshake(
  init: HandshakeOptions,
  resp: HandshakeOptions,
  mayDial: (id: number) => boolean = (id) => id === 0,
) {
  const [server, client] = await socketPair();
  const rs = new FrameReader(server, -1);
  const rc = new FrameReader(client, 1);
  const out = await Promise.allSettled([
    acceptHandshake(server, rs, mayDial, resp),
    initiateHandshake(client, rc, 1, init),
  ]);
  close(server, client);
  return out;
}

Deno.test("handshake: an impostor without the private key is refused on both ends", async () => {
  const { cluster, keys } = localCluster(2);
  const fake = generateKeyPair();
  const [r, i] = await handshake(hsOpts(cluster, 0, fake), hsOpts(cluster, 1, keys[1]));
  assert.ok(r.status === "rejected" && r.reason instanceof HandshakeError && r.reason.peer === 0);
  assert.match(r.reason.message, /signature of party 0 does not verify/);
  assert.ok(i.status === "rejected" && i.reason instanceof HandshakeError && i.reason.peer === 1);
  assert.match(i.reason.message, /peer refused/);
  // And a responder without party 1's key is caught by the initiator.
  const [r2, i2] = await handshake(hsOpts(cluster, 0, keys[0]), hsOpts(cluster, 1, fake));
  assert.ok(i2.status === "rejected" && i2.reason instanceof HandshakeError);
  assert.match(i2.reason.message, /signature of party 1 does not verify/);
  assert.ok(r2.status === "rejected" && r2.reason instanceof HandshakeError);
});

Deno.test("handshake: wrong ids, suites and cluster files are refused", async () => {
  const { cluster, keys } = localCluster(3);
  const ok0 = hsOpts(cluster, 0, keys[0]);
  const ok1 = hsOpts(cluster, 1, keys[1]);
  // Party 2 answers where party 1 was expected.
  const [, i] = await handshake(ok0, hsOpts(cluster, 2, keys[2]));
  assert.ok(i.status === "rejected" && i.reason instanceof HandshakeError);
  assert.match(i.reason.message, /addressed to party 1, but this is party 2/);
  // Party 0 may not dial here.
  const [r] = await handshake(ok0, ok1, () => false);
  assert.ok(r.status === "rejected" && r.reason instanceof HandshakeError && r.reason.peer === 0);
  assert.match(r.reason.message, /may not open a link/);
  // Suites differ.
  const [r3] = await handshake({ ...ok0, suite: "aes-256-gcm" }, ok1);
  assert.ok(r3.status === "rejected" && /cipher suite/.test(r3.reason.message));
  // Cluster files differ (another key for party 2).
  const other: Cluster = {
    parties: cluster.parties.map((p) =>
      p.id === 2 ? { ...p, publicKey: generateKeyPair().publicKey } : p
    ),
  };
  const [r4, i4] = await handshake({ ...ok0, cluster: other }, ok1);
  assert.ok(r4.status === "rejected" && /cluster files differ/.test(r4.reason.message));
  assert.ok(i4.status === "rejected" && i4.reason instanceof HandshakeError);
});

Deno.test("handshake: garbage and silence fail fast with named errors", async () => {
  const { cluster, keys } = localCluster(2);
  {
    const [server, client] = await socketPair();
    const p = acceptHandshake(
      server,
      new FrameReader(server, -1),
      () => true,
      hsOpts(cluster, 1, keys[1]),
    );
    p.catch(() => {}); // handled below; avoid an early-rejection report
    await writeAll(client, [new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]);
    await assert.rejects(
      p,
      (e) => e instanceof HandshakeError && /exceeds the limit/.test(e.message),
    );
    close(server, client);
  }
  {
    const [server, client] = await socketPair();
    const p = initiateHandshake(client, new FrameReader(client, 1), 1, hsOpts(cluster, 0, keys[0]));
    p.catch(() => {});
    await writeAll(server, [new Uint8Array([0, 0, 0, 3, 0xc1, 0xc1, 0xc1])]);
    await assert.rejects(p, (e) => e instanceof HandshakeError && e.peer === 1);
    close(server, client);
  }
  {
    const [server, client] = await socketPair();
    const p = acceptHandshake(
      server,
      new FrameReader(server, -1),
      () => true,
      hsOpts(cluster, 1, keys[1], { timeoutMs: 200 }),
    );
    await assert.rejects(p, TimeoutError);
    close(server, client);
  }
});

Deno.test("mesh setup survives a garbage connection before the real peer", async () => {
  const { cluster, keys } = localCluster(2);
  const t1p = connectMesh(1, { cluster, keyPair: keys[1], connectTimeoutMs: 5000 });
  let junk: Deno.Conn | undefined;
  for (let i = 0; i < 50 && !junk; i++) {
    junk = await Deno.connect({ hostname: "127.0.0.1", port: cluster.parties[1].port }).catch(() =>
      undefined
    );
    if (!junk) await new Promise((r) => setTimeout(r, 20));
  }
  await writeAll(junk!, [new Uint8Array([0, 0, 0, 2, 0xff, 0xff])]);
  const [t0, t1] = await Promise.all([connectMesh(0, { cluster, keyPair: keys[0] }), t1p]);
  const [, got] = await Promise.all([
    t0.exchange(new Map([[1, new Uint8Array([42])]]), []),
    t1.exchange(new Map(), [0]),
  ]);
  assert.deepEqual(got.get(0), new Uint8Array([42]));
  close(junk!);
  await Promise.all([t0.close(), t1.close()]);
});

/** A handshaken pair: a SecureLink at party 1 and the raw socket plus ciphers of party 0. */
async function rawPeer(suite: CipherSuite, timeoutMs = 3000) {
  const { cluster, keys } = localCluster(2);
  const [server, client] = await socketPair();
  const rs = new FrameReader(server, -1);
  const [hs1, hs0]: HandshakeResult[] = await Promise.all([
    acceptHandshake(server, rs, (id) => id === 0, hsOpts(cluster, 1, keys[1], { suite })),
    initiateHandshake(
      client,
      new FrameReader(client, 1),
      1,
      hsOpts(cluster, 0, keys[0], { suite }),
    ),
  ]);
  const link = new SecureLink(server, rs, hs1, timeoutMs);
  const packr = new Packr({ moreTypes: true });
  const seal = (payload: Uint8Array) => {
    const parts = hs0.sendCipher.seal(packr.pack([0, 0, payload]).slice());
    return new Uint8Array(parts.flatMap((p) => [...p]));
  };
  return { link, client, seal };
}

for (const suite of ["chacha20-poly1305", "chacha20-hmac-sha256", "aes-256-gcm"] as const) {
  Deno.test(`secure link (${suite}): tampered, replayed, reordered frames are FrameDecodeError`, async () => {
    for (const attack of ["tamper", "replay", "reorder", "garbage"]) {
      const { link, client, seal } = await rawPeer(suite);
      const a = seal(new Uint8Array([1, 2, 3]));
      const b = seal(new Uint8Array([4, 5, 6]));
      if (attack === "tamper") {
        a[8] ^= 1;
        await writeAll(client, [a]);
      } else if (attack === "replay") {
        await writeAll(client, [a, a]);
        assert.deepEqual(await link.recv(), new Uint8Array([1, 2, 3]));
      } else if (attack === "reorder") {
        await writeAll(client, [b, a]);
      } else {
        await writeAll(client, [
          new Uint8Array([0, 0, 0, 40]),
          crypto.getRandomValues(new Uint8Array(40)),
        ]);
      }
      await assert.rejects(
        link.recv(),
        (e) =>
          e instanceof FrameDecodeError && e.peer === 0 && /authentication failed/.test(e.message),
        attack,
      );
      await link.close();
      close(client);
    }
  });

  Deno.test(`secure link (${suite}): a truncated frame or a dead peer is PeerClosedError`, async () => {
    {
      const { link, client, seal } = await rawPeer(suite);
      const a = seal(new Uint8Array(1000));
      await writeAll(client, [a.subarray(0, 500)]);
      close(client);
      await assert.rejects(
        link.recv(),
        (e) => e instanceof PeerClosedError && /inside a frame/.test(e.message),
      );
      await link.close();
    }
    {
      const { link, client } = await rawPeer(suite);
      const pending = link.recv();
      close(client);
      await assert.rejects(pending, (e) => e instanceof PeerClosedError && e.peer === 0);
      await assert.rejects(link.send(new Uint8Array(1)), PeerClosedError);
      await link.close();
    }
  });
}

Deno.test("secure link: a peer that stops reading is a TimeoutError for the write, naming it", async () => {
  const { link, client } = await rawPeer("chacha20-poly1305", 300);
  try {
    // Far more than the socket buffers hold; the peer never reads.
    const t0 = Date.now();
    await assert.rejects(
      link.send(new Uint8Array(64 << 20)),
      (e) => e instanceof TimeoutError && e.peer === 0 && /socket to accept/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 5000);
    await assert.rejects(link.recv(), TimeoutError);
  } finally {
    close(client);
    await link.close();
  }
});

Deno.test("secure link: each wait gets the whole limit, counted from its own start", async () => {
  const { link, client, seal } = await rawPeer("chacha20-poly1305", 400);
  try {
    const first = link.recv();
    await new Promise((r) => setTimeout(r, 250));
    await writeAll(client, [seal(new Uint8Array([1]))]);
    assert.deepEqual(await first, new Uint8Array([1]));
    // A wait that starts 250 ms after the link's first one still gets its 400 ms.
    const t0 = Date.now();
    const second = link.recv();
    await new Promise((r) => setTimeout(r, 250));
    await writeAll(client, [seal(new Uint8Array([2]))]);
    assert.deepEqual(await second, new Uint8Array([2]));
    await assert.rejects(link.recv(), (e) => e instanceof TimeoutError && e.peer === 0);
    assert.ok(Date.now() - t0 >= 250 + 350);
  } finally {
    close(client);
    await link.close();
  }
});

Deno.test("secure link: a limit over setTimeout's range (2^31 ms) does not fire at once", async () => {
  const { link, client, seal } = await rawPeer("chacha20-poly1305", 2 ** 32);
  try {
    const first = link.recv();
    await new Promise((r) => setTimeout(r, 50));
    await writeAll(client, [seal(new Uint8Array([7]))]);
    assert.deepEqual(await first, new Uint8Array([7]));
  } finally {
    close(client);
    await link.close();
  }
});
