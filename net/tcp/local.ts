/**
 * Local clusters: every party on one host with fresh keys (for `launch`, tests and
 * benchmarks). Write them with `formatCluster` and `writeKeyFile`.
 *
 * @example
 * ```ts
 * import { localCluster } from "@sharetensor/net/tcp";
 * const { cluster, keys } = localCluster(3);
 * console.log(cluster.parties.length, keys.length); // 3 3
 * ```
 * @module
 */
import type { Cluster, ClusterNode } from "./cluster.ts";
import { generateKeyPair, type KeyPair } from "./keys.ts";

/**
 * A free TCP port on 127.0.0.1 (probed by listening on port 0; another process may still
 * take it before it is used, which is rare enough for tests).
 *
 * @example
 * ```ts
 * import { freePort } from "@sharetensor/net/tcp";
 * console.log(freePort() > 0); // true
 * ```
 */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/**
 * `count` distinct free TCP ports on 127.0.0.1, probed together (every probe listener stays
 * open until all are taken, so the kernel cannot hand out one port twice).
 *
 * @example
 * ```ts
 * import { freePorts } from "@sharetensor/net/tcp";
 * const ports = freePorts(3);
 * console.log(new Set(ports).size); // 3
 * ```
 */
export function freePorts(count: number): number[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be an integer >= 0, got ${count}`);
  }
  const ls = Array.from({ length: count }, () => Deno.listen({ hostname: "127.0.0.1", port: 0 }));
  const ports = ls.map((l) => l.addr.port);
  for (const l of ls) l.close();
  return ports;
}

/** Options of {@linkcode localCluster}. */
export interface LocalClusterOptions {
  /** Add a TTP entry (id n). */
  readonly ttp?: boolean;
  /** Host of every node (default "127.0.0.1"). */
  readonly host?: string;
  /** Ports basePort + id (the TTP: basePort + n); default: free ports probed now. */
  readonly basePort?: number;
}

/**
 * A cluster of `n` parties on one host (and a TTP with `ttp: true`) with fresh keys;
 * `keys[id]` belongs to node `id`, `keys[n]` to the TTP.
 *
 * @example
 * ```ts
 * import { localCluster } from "@sharetensor/net/tcp";
 * const { cluster } = localCluster(2, { ttp: true, basePort: 9000 });
 * console.log(cluster.ttp?.id, cluster.ttp?.port); // 2 9002
 * ```
 */
export function localCluster(n: number, opts: LocalClusterOptions = {}): {
  cluster: Cluster;
  keys: KeyPair[];
} {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const keys = Array.from({ length: n + (opts.ttp ? 1 : 0) }, () => generateKeyPair());
  const ports = opts.basePort === undefined ? freePorts(keys.length) : [];
  const node = (id: number): ClusterNode => ({
    id,
    host: opts.host ?? "127.0.0.1",
    port: opts.basePort === undefined ? ports[id] : opts.basePort + id,
    publicKey: keys[id].publicKey,
  });
  const parties = Array.from({ length: n }, (_, id) => node(id));
  return { cluster: opts.ttp ? { parties, ttp: node(n) } : { parties }, keys };
}
