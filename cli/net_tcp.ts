/**
 * The TCP transport, re-exported for the CLI. `@sharetensor/net` does not export
 * `./tcp` yet; once it does, this file becomes `export * from "@sharetensor/net/tcp"`.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "./net_tcp.ts";
 * console.log(generateKeyPair().publicKey.length); // 32
 * ```
 * @module
 */
export * from "../net/tcp/mod.ts";
export { freePort } from "../net/tcp/testing.ts";
