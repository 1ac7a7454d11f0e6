/**
 * The TCP transport of sharetensor: a full mesh of authenticated, encrypted links among
 * the parties of a cluster file.
 *
 * - Keys: {@linkcode generateKeyPair}, {@linkcode writeKeyFile}, {@linkcode readKeyFile}.
 * - Cluster files: {@linkcode loadCluster}, {@linkcode parseCluster}, {@linkcode formatCluster}.
 * - Transport: {@linkcode connectMesh} / {@linkcode connectMeshFromFiles} resolve a
 *   {@linkcode TcpTransport}; {@linkcode connectPeers} opens raw {@linkcode SecureLink}s
 *   (for the TTP, which links to every party).
 *
 * @example
 * ```ts
 * import { generateKeyPair, formatKeyFile } from "@sharetensor/net/tcp";
 * console.log(formatKeyFile(generateKeyPair()).includes("sharetensor-ed25519")); // true
 * ```
 * @module
 */
export * from "./keys.ts";
export * from "./cluster.ts";
export * from "./frame.ts";
export * from "./cipher.ts";
export * from "./handshake.ts";
export * from "./secure_channel.ts";
export * from "./connect.ts";
export * from "./mesh.ts";
export * from "./local.ts";
export * from "./message.ts";
