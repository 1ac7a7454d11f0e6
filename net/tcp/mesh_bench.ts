/**
 * Loopback link benchmarks: party 0 in the bench thread, party 1 in a Worker, so each
 * end's crypto runs on its own core.
 *
 * - `8 MiB one-way`: party 0 sends 8 MiB and waits for a 1-byte acknowledgement
 *   (throughput per link = 8 MiB / time per iteration; the message travels in 1 MiB parts
 *   that the receiver opens while the sender seals the next).
 * - `16 MB two-way round`: both parties send 16 MB in the same round, as W1's opening
 *   does (each message travels whole).
 * - `64 B round trip`: a 64-byte message there and back (two frames).
 *
 * Run: `deno bench -A net/tcp/mesh_bench.ts`
 *
 * Measured on the project's 2-core VM (load 1.4-2.6 from other jobs; mean, best): 8 MiB
 * one-way with chacha20-poly1305 13.4-13.8 ms, 7.8-8.1 ms (about 620 MB/s per link, 1 GB/s
 * at best; chacha20-hmac-sha256 with the earlier framing: 17-27 ms, 12-14 ms); 16 MB
 * two-way round 36-69 ms, 24-31 ms (insecure 15-24 ms, 7.5-10.5 ms; earlier framing and
 * chacha20-hmac-sha256: 47-91 ms, 39-75 ms; insecure 21-36 ms, 10-20 ms).
 * @module
 */
import { connectMesh, type TcpTransport } from "./mesh.ts";
import type { CipherSuite } from "./cipher.ts";
import { localCluster } from "./local.ts";

async function link(suite: CipherSuite, swapBytes?: number): Promise<TcpTransport> {
  const { cluster, keys } = localCluster(2);
  const w = new Worker(new URL("./testdata/echo_worker.ts", import.meta.url), { type: "module" });
  const ready = new Promise((r) => w.onmessage = r);
  w.postMessage({ cluster, keyPair: keys[1], suite, swapBytes });
  const t = await connectMesh(0, { cluster, keyPair: keys[0], suite, warn: () => {} });
  await ready;
  return t;
}

const suites: CipherSuite[] = [
  "chacha20-poly1305",
  "chacha20-hmac-sha256",
  "aes-256-gcm",
  "insecure",
];
const SWAP = 16_000_000;
const links = new Map<CipherSuite, TcpTransport>();
const swaps = new Map<CipherSuite, TcpTransport>();
for (const s of suites) links.set(s, await link(s));
for (const s of ["chacha20-poly1305", "insecure"] as const) swaps.set(s, await link(s, SWAP));

const big = new Uint8Array(8 << 20).map((_, i) => i * 7);
const small = new Uint8Array(64).fill(5);
const mine = new Uint8Array(SWAP).map((_, i) => i * 3);

for (const s of suites) {
  const t = links.get(s)!;
  Deno.bench(`8 MiB one-way, ${s}`, {
    group: "8 MiB",
    baseline: s === "insecure",
    n: 20,
    warmup: 3,
  }, async () => {
    await t.exchange(new Map([[1, big]]), []);
    await t.exchange(new Map(), [1]);
  });
}
for (const [s, t] of swaps) {
  Deno.bench(`16 MB two-way round, ${s}`, {
    group: "16 MB two-way",
    baseline: s === "insecure",
    n: 20,
    warmup: 3,
  }, async () => {
    await t.exchange(new Map([[1, mine]]), [1]);
  });
}
for (const s of suites) {
  const t = links.get(s)!;
  Deno.bench(`64 B round trip, ${s}`, {
    group: "64 B",
    baseline: s === "insecure",
    n: 2000,
    warmup: 200,
  }, async () => {
    await t.exchange(new Map([[1, small]]), []);
    await t.exchange(new Map(), [1]);
  });
}

globalThis.addEventListener("unload", () => {
  for (const t of [...links.values(), ...swaps.values()]) t.close();
});
