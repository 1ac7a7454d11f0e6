/**
 * The TCP transport, re-exported for the CLI (one place to change if it moves).
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "./net_tcp.ts";
 * console.log(generateKeyPair().publicKey.length); // 32
 * ```
 * @module
 */
export * from "@sharetensor/net/tcp";
