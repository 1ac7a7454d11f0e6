/**
 * `@sharetensor/net`: transports that implement core's `Transport` interface: the in-memory
 * transport (`@sharetensor/net/memory`), which runs `n` parties in one process and counts
 * bytes and rounds, and the TCP mesh (`@sharetensor/net/tcp`): one authenticated, encrypted
 * link per pair of parties (x25519 + ed25519 handshake against the cluster file's keys,
 * ChaCha20-Poly1305 per frame by default, with the sequence number as nonce; ChaCha20 then
 * HMAC-SHA256 or AES-256-GCM on request).
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net";
 * const [t0, t1] = memoryNetwork(2);
 * console.log(t0.rank, t1.size); // 0 2
 * ```
 * @module
 */
export * from "./memory.ts";
export * from "./tcp/mod.ts";
