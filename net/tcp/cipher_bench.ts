/**
 * Frame sealing and opening alone (no sockets): the crypto ceiling of one link direction.
 * Throughput = 8 MiB / time per iteration. Run: `deno bench -A net/tcp/cipher_bench.ts`
 *
 * The `webcrypto` group is a reference, not a suite: AES-256-GCM through `crypto.subtle`
 * (which runs in Deno's thread pool, off the main thread), 8 MiB sealed as 1 MiB chunks
 * with `inflight` calls at a time, then opened the same way.
 * @module
 */
import { CIPHER_SUITES, type CipherSuite, createFrameCipher } from "./cipher.ts";

const big = new Uint8Array(8 << 20).map((_, i) => i * 7);
const small = new Uint8Array(64).fill(1);
const key = new Uint8Array(64).fill(3);
const suites: readonly CipherSuite[] = CIPHER_SUITES;

for (const [name, msg, n] of [["8 MiB", big, 20], ["64 B", small, 20000]] as const) {
  for (const s of suites) {
    const tx = createFrameCipher(s, key, 0);
    const rx = createFrameCipher(s, key, 1);
    Deno.bench(
      `seal+open ${name}, ${s}`,
      { group: name, baseline: s === "insecure", n, warmup: 3 },
      () => {
        const parts = tx.seal(msg);
        const body = new Uint8Array(parts.reduce((n, c) => n + c.length, -4));
        let off = 0;
        for (const c of parts.slice(1)) {
          body.set(c, off);
          off += c.length;
        }
        rx.open(body);
      },
    );
  }
}

const aes = await crypto.subtle.importKey("raw", key.subarray(0, 32), "AES-GCM", false, [
  "encrypt",
  "decrypt",
]);
const CHUNK = 1 << 20;
for (const inflight of [1, 2, 8]) {
  Deno.bench(
    `seal+open 8 MiB, webcrypto aes-256-gcm, 1 MiB chunks, ${inflight} in flight`,
    { group: "webcrypto", n: 20, warmup: 3 },
    async () => {
      const run = async (f: (i: number) => Promise<ArrayBuffer>) => {
        const out: ArrayBuffer[] = [];
        for (let i = 0; i < big.length / CHUNK; i += inflight) {
          const k = Math.min(inflight, big.length / CHUNK - i);
          out.push(...await Promise.all(Array.from({ length: k }, (_, j) => f(i + j))));
        }
        return out;
      };
      const iv = (i: number) => new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, i]);
      const cts = await run((i) =>
        crypto.subtle.encrypt(
          { name: "AES-GCM", iv: iv(i) },
          aes,
          big.subarray(i * CHUNK, (i + 1) * CHUNK),
        )
      );
      await run((i) => crypto.subtle.decrypt({ name: "AES-GCM", iv: iv(i) }, aes, cts[i]));
    },
  );
}
