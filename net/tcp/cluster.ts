/**
 * Cluster files: who the parties are, where they listen and which public key each proves
 * it holds.
 *
 * ```json
 * {
 *   "parties": [
 *     { "id": 0, "host": "127.0.0.1", "port": 9000, "publicKey": "<base64 ed25519>" },
 *     { "id": 1, "host": "127.0.0.1", "port": 9001, "publicKey": "<base64 ed25519>" }
 *   ],
 *   "ttp": { "host": "127.0.0.1", "port": 9100, "publicKey": "<base64 ed25519>" }
 * }
 * ```
 *
 * Party ids are `0..n-1`, each once. The optional trusted third party (the `ttp` dealer)
 * gets id `n` (it may say `"id": n`, nothing else). Public keys are base64 of the 32 raw
 * bytes, or of the 44-byte SPKI DER. Every party must use the same public keys; the
 * handshake compares a fingerprint of them and refuses a peer whose file differs.
 *
 * @example
 * ```ts
 * import { formatCluster, generateKeyPair, parseCluster } from "@sharetensor/net/tcp";
 * const parties = [0, 1].map((id) => ({
 *   id, host: "127.0.0.1", port: 9000 + id, publicKey: generateKeyPair().publicKey,
 * }));
 * const c = parseCluster(formatCluster({ parties }));
 * console.log(c.parties.length, c.ttp); // 2 undefined
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { decodePublicKey, encodePublicKey } from "./keys.ts";

/** One node of a cluster: a computing party or the TTP. */
export interface ClusterNode {
  /** Party rank `0..n-1`, or `n` for the TTP. */
  readonly id: number;
  /** Host name or IP address the node listens on and others dial. */
  readonly host: string;
  /** TCP port, 1..65535. */
  readonly port: number;
  /** 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** A parsed cluster file. */
export interface Cluster {
  /** Computing parties, index = id. */
  readonly parties: readonly ClusterNode[];
  /** The trusted third party (dealer), if any; its id is `parties.length`. */
  readonly ttp?: ClusterNode;
}

function parseNode(raw: unknown, where: string, wantId?: number): ClusterNode {
  if (raw === null || typeof raw !== "object") {
    throw new TypeError(`${where} must be an object, got ${JSON.stringify(raw)}`);
  }
  const o = raw as Record<string, unknown>;
  const id = o.id ?? wantId;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
    throw new TypeError(`${where}: "id" must be an integer >= 0, got ${JSON.stringify(o.id)}`);
  }
  if (wantId !== undefined && id !== wantId) {
    throw new RangeError(`${where}: "id" must be ${wantId}, got ${id}`);
  }
  if (typeof o.host !== "string" || o.host.length === 0) {
    throw new TypeError(
      `${where}: "host" must be a non-empty string, got ${JSON.stringify(o.host)}`,
    );
  }
  const port = o.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`${where}: "port" must be an integer in 1..65535, got ${port}`);
  }
  let publicKey: Uint8Array;
  if (o.publicKey instanceof Uint8Array) publicKey = o.publicKey;
  else {
    try {
      publicKey = decodePublicKey(o.publicKey as string);
    } catch (e) {
      throw new TypeError(`${where}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (publicKey.length !== 32) {
    throw new TypeError(`${where}: public key must be 32 bytes, got ${publicKey.length}`);
  }
  return Object.freeze({ id, host: o.host, port, publicKey });
}

/**
 * Validates a cluster given as JSON text or as an object (public keys as base64 strings
 * or `Uint8Array`s). `TypeError`/`RangeError` name the entry that is wrong.
 *
 * @example
 * ```ts
 * import { generateKeyPair, parseCluster } from "@sharetensor/net/tcp";
 * const pk = generateKeyPair().publicKey;
 * const c = parseCluster({ parties: [{ id: 0, host: "h", port: 1, publicKey: pk }] });
 * console.log(c.parties[0].host); // "h"
 * ```
 */
export function parseCluster(input: string | object, where = "cluster"): Cluster {
  let obj: unknown = input;
  if (typeof input === "string") {
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new TypeError(`${where} is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  const o = obj as Record<string, unknown>;
  if (o === null || typeof o !== "object" || !Array.isArray(o.parties)) {
    throw new TypeError(`${where} must have a "parties" array`);
  }
  const n = o.parties.length;
  if (n < 1) throw new RangeError(`${where}: "parties" is empty`);
  const parties: ClusterNode[] = new Array(n);
  o.parties.forEach((p, i) => {
    const node = parseNode(p, `${where}: parties[${i}]`);
    if (node.id >= n) {
      throw new RangeError(`${where}: parties[${i}] has id ${node.id}, ids must be 0..${n - 1}`);
    }
    if (parties[node.id]) throw new RangeError(`${where}: party id ${node.id} appears twice`);
    parties[node.id] = node;
  });
  const ttp = o.ttp === undefined || o.ttp === null
    ? undefined
    : parseNode(o.ttp, `${where}: ttp`, n);
  return Object.freeze({ parties: Object.freeze(parties), ...(ttp ? { ttp } : {}) });
}

/**
 * Reads and validates a cluster file.
 *
 * @example
 * ```ts
 * import { formatCluster, generateKeyPair, loadCluster } from "@sharetensor/net/tcp";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * const publicKey = generateKeyPair().publicKey;
 * await Deno.writeTextFile(path, formatCluster({ parties: [{ id: 0, host: "h", port: 9, publicKey }] }));
 * console.log((await loadCluster(path)).parties.length); // 1
 * await Deno.remove(path);
 * ```
 */
export async function loadCluster(path: string): Promise<Cluster> {
  return parseCluster(await Deno.readTextFile(path), `cluster file ${path}`);
}

/**
 * Serializes a cluster to the JSON text of a cluster file.
 *
 * @example
 * ```ts
 * import { formatCluster, generateKeyPair } from "@sharetensor/net/tcp";
 * const publicKey = generateKeyPair().publicKey;
 * console.log(formatCluster({ parties: [{ id: 0, host: "h", port: 9, publicKey }] }).length > 0);
 * ```
 */
export function formatCluster(cluster: Cluster): string {
  const node = (p: ClusterNode) => ({
    id: p.id,
    host: p.host,
    port: p.port,
    publicKey: encodePublicKey(p.publicKey),
  });
  return JSON.stringify(
    { parties: cluster.parties.map(node), ...(cluster.ttp ? { ttp: node(cluster.ttp) } : {}) },
    null,
    2,
  ) + "\n";
}

/**
 * The node with id `id` (`n` is the TTP); `RangeError` when there is none.
 *
 * @example
 * ```ts
 * import { clusterNode, generateKeyPair } from "@sharetensor/net/tcp";
 * const publicKey = generateKeyPair().publicKey;
 * console.log(clusterNode({ parties: [{ id: 0, host: "h", port: 9, publicKey }] }, 0).port); // 9
 * ```
 */
export function clusterNode(cluster: Cluster, id: number): ClusterNode {
  const n = cluster.parties.length;
  if (Number.isInteger(id) && id >= 0 && id < n) return cluster.parties[id];
  if (id === n && cluster.ttp) return cluster.ttp;
  throw new RangeError(
    `node id must be 0..${n - 1}${cluster.ttp ? ` or ${n} (the TTP)` : ""}, got ${id}`,
  );
}

/**
 * SHA-256 over the ids and public keys (not the addresses) of every node. Two parties
 * with different fingerprints have different cluster files and refuse to talk.
 *
 * @example
 * ```ts
 * import { clusterFingerprint, generateKeyPair } from "@sharetensor/net/tcp";
 * const publicKey = generateKeyPair().publicKey;
 * console.log(clusterFingerprint({ parties: [{ id: 0, host: "h", port: 9, publicKey }] }).length);
 * ```
 */
export function clusterFingerprint(cluster: Cluster): Uint8Array {
  const h = createHash("sha256").update("sharetensor cluster v1\n");
  const nodes = cluster.ttp ? [...cluster.parties, cluster.ttp] : cluster.parties;
  for (const p of nodes) {
    h.update(`${p.id}${p === cluster.ttp ? "t" : "p"}:`).update(p.publicKey);
  }
  return new Uint8Array(h.digest());
}
