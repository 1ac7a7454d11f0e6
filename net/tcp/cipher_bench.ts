/**
 * Frame sealing and opening alone (no sockets): the crypto ceiling of one link direction.
 * Throughput = 8 MiB / time per iteration. Run: `deno bench -A net/tcp/cipher_bench.ts`
 * @module
 */
import { type CipherSuite, createFrameCipher } from "./cipher.ts";

const big = new Uint8Array(8 << 20).map((_, i) => i * 7);
const small = new Uint8Array(64).fill(1);
const key = new Uint8Array(64).fill(3);
const suites: CipherSuite[] = ["chacha20-hmac-sha256", "aes-256-gcm", "insecure"];

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
