/**
 * Test and benchmark helpers: a loopback cluster on free ports with fresh keys.
 *
 * @example
 * ```ts
 * import { localCluster } from "./testing.ts";
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
 * import { freePort } from "./testing.ts";
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
 * A cluster of `n` parties on 127.0.0.1 (and a TTP with `ttp: true`) with their keys;
 * `keys[n]` is the TTP's.
 *
 * @example
 * ```ts
 * import { localCluster } from "./testing.ts";
 * console.log(localCluster(2, { ttp: true }).cluster.ttp?.id); // 2
 * ```
 */
export function localCluster(n: number, opts: { ttp?: boolean } = {}): {
  cluster: Cluster;
  keys: KeyPair[];
} {
  const keys = Array.from({ length: n + (opts.ttp ? 1 : 0) }, () => generateKeyPair());
  const node = (id: number): ClusterNode => ({
    id,
    host: "127.0.0.1",
    port: freePort(),
    publicKey: keys[id].publicKey,
  });
  const parties = Array.from({ length: n }, (_, id) => node(id));
  return { cluster: opts.ttp ? { parties, ttp: node(n) } : { parties }, keys };
}
