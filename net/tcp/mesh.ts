/**
 * The TCP transport: a full mesh of secure links among the n computing parties of a
 * cluster (and optionally a link to the TTP), implementing `Transport`.
 *
 * One `exchange` is one round: the messages to each peer are sealed and queued at once
 * (in call order, so concurrent exchanges keep their order on every link), then the
 * round waits for one message from each peer in `recvFrom`. Messages from a peer are
 * matched to exchanges in order. The first failure of any link (a peer that died, a
 * bad frame, a timeout) fails the whole transport: every pending and later exchange
 * rejects with that error (which names the peer), and the other peers are told (an abort
 * message), so no party hangs. A peer that closes cleanly (`close()` sends a goodbye) is
 * not a failure until a round needs it again: its last messages are still delivered, and
 * the others may go on among themselves.
 *
 * @example
 * ```ts
 * import { connectMesh, generateKeyPair, type Cluster } from "@sharetensor/net/tcp";
 * const keys = [generateKeyPair(), generateKeyPair()];
 * const ports = [0, 1].map(() => { const l = Deno.listen({ port: 0 }); const p = l.addr.port; l.close(); return p; });
 * const cluster: Cluster = { parties: keys.map((k, id) => ({ id, host: "127.0.0.1", port: ports[id], publicKey: k.publicKey })) };
 * const [t0, t1] = await Promise.all([0, 1].map((rank) => connectMesh(rank, { cluster, keyPair: keys[rank] })));
 * const [a, b] = await Promise.all([
 *   t0.exchange(new Map([[1, new Uint8Array([1])]]), [1]),
 *   t1.exchange(new Map([[0, new Uint8Array([2])]]), [0]),
 * ]);
 * console.log(a.get(1), b.get(0)); // Uint8Array [2] Uint8Array [1]
 * await Promise.all([t0.close(), t1.close()]);
 * ```
 * @module
 */
import type { Transport, TransportStats } from "@sharetensor/core/transport";
import { PeerClosedError } from "@sharetensor/core/errors";
import { type ConnectOptions, connectPeers } from "./connect.ts";
import { loadCluster } from "./cluster.ts";
import { readKeyFile } from "./keys.ts";
import type { SecureLink } from "./secure_channel.ts";

/** Options of {@linkcode connectMesh}. */
export interface MeshOptions extends ConnectOptions {
  /** Also open a link to the cluster's TTP (exposed as `transport.ttp`). */
  readonly withTtp?: boolean;
}

/** A party's links to all other parties, as a `Transport`. */
export class TcpTransport implements Transport {
  /** This party's rank. */
  readonly rank: number;
  /** Number of computing parties. */
  readonly size: number;
  /** The link to the TTP when opened with `withTtp`; the dealer's messages go over it. */
  readonly ttp?: SecureLink;
  readonly #links: Map<number, SecureLink>;
  #rounds = 0;
  #failure: Error | undefined;
  #closed = false;

  /** Wraps links to every other party (see {@linkcode connectMesh}). */
  constructor(rank: number, size: number, links: Map<number, SecureLink>, ttp?: SecureLink) {
    this.rank = rank;
    this.size = size;
    this.#links = links;
    this.ttp = ttp;
    for (let p = 0; p < size; p++) {
      if (p !== rank && !links.has(p)) throw new RangeError(`no link to party ${p}`);
    }
    for (const l of [...links.values(), ...(ttp ? [ttp] : [])]) {
      l.onFailure = (e) => this.#fail(e);
    }
  }

  /** The error that ended this transport, if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  #fail(e: Error): void {
    if (this.#failure || this.#closed) return;
    this.#failure = e;
    for (const l of [...this.#links.values(), ...(this.ttp ? [this.ttp] : [])]) {
      l.fail(e);
      l.notifyAbort(e);
    }
  }

  #link(p: number, what: string): SecureLink {
    const l = Number.isInteger(p) && p !== this.rank ? this.#links.get(p) : undefined;
    if (!l) {
      throw new RangeError(
        `${what} peer must be a rank in 0..${this.size - 1} other than ${this.rank}, got ${p}`,
      );
    }
    return l;
  }

  /** One round (see `Transport.exchange`). */
  async exchange(
    send: ReadonlyMap<number, Uint8Array>,
    recvFrom: readonly number[],
  ): Promise<Map<number, Uint8Array>> {
    if (this.#failure) throw this.#failure;
    if (this.#closed) {
      throw new PeerClosedError(recvFrom[0] ?? [...send.keys()][0] ?? -1, "transport is closed");
    }
    const out = [...send].map(([p, b]) => {
      if (!(b instanceof Uint8Array)) {
        throw new TypeError(`message to peer ${p} must be a Uint8Array, got ${typeof b}`);
      }
      return [this.#link(p, "send"), b] as const;
    });
    const inc = recvFrom.map((p) => this.#link(p, "recvFrom"));
    if (new Set(recvFrom).size !== recvFrom.length) {
      throw new RangeError(`recvFrom lists a peer twice: [${recvFrom}]`);
    }
    if (out.length + inc.length > 0) this.#rounds++;
    // Receives first: a link that waits for its peer in this round sends whole messages.
    const got = inc.map((l) => l.recv());
    const sent = out.map(([l, b]) => l.send(b));
    try {
      const [, msgs] = await Promise.all([Promise.all(sent), Promise.all(got)]);
      return new Map(recvFrom.map((p, i) => [p, msgs[i]]));
    } catch (e) {
      // A round that cannot complete ends the computation (e.g. it needed a peer that had
      // already said goodbye): fail the transport and tell the others, so nobody hangs.
      if (e instanceof Error) this.#fail(e);
      throw this.#failure ?? e;
    }
  }

  /** Payload bytes sent (as written to the sockets), received, and rounds. */
  stats(): TransportStats {
    let bytesSent = 0;
    let bytesReceived = 0;
    for (const l of this.#links.values()) {
      bytesSent += l.stats.bytesSent;
      bytesReceived += l.stats.bytesReceived;
    }
    return { bytesSent, bytesReceived, rounds: this.#rounds };
  }

  /** Frame bytes written to the sockets (length prefixes, headers and tags included). */
  wireBytesSent(): number {
    let n = 0;
    for (const l of this.#links.values()) n += l.stats.wireBytesSent;
    return n;
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this.#rounds = 0;
    for (const l of this.#links.values()) {
      Object.assign(l.stats, { bytesSent: 0, bytesReceived: 0, wireBytesSent: 0, messagesSent: 0 });
    }
  }

  /** Says goodbye to every peer and closes every link; later exchanges reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = [...this.#links.values(), ...(this.ttp ? [this.ttp] : [])];
    await Promise.all(all.map((l) => l.close()));
  }
}

/**
 * Connects party `rank` to every other party of `opts.cluster` (and to the TTP with
 * `withTtp`) and resolves the transport once every link is authenticated.
 *
 * @example
 * ```ts
 * import { connectMesh } from "@sharetensor/net/tcp";
 * console.log(connectMesh.length); // 2
 * ```
 */
export async function connectMesh(rank: number, opts: MeshOptions): Promise<TcpTransport> {
  const n = opts.cluster.parties.length;
  if (!Number.isInteger(rank) || rank < 0 || rank >= n) {
    throw new RangeError(`rank must be in 0..${n - 1}, got ${rank}`);
  }
  if (opts.withTtp && !opts.cluster.ttp) {
    throw new TypeError("withTtp: the cluster has no ttp entry");
  }
  const peers = [...Array(n).keys()].filter((p) => p !== rank);
  if (opts.withTtp) peers.push(n);
  const links = await connectPeers(rank, peers, opts);
  const ttp = links.get(n);
  links.delete(n);
  return new TcpTransport(rank, n, links, ttp);
}

/**
 * {@linkcode connectMesh} from a cluster file and a key file (as the CLI's `serve` does).
 *
 * @example
 * ```ts
 * import { connectMeshFromFiles } from "@sharetensor/net/tcp";
 * console.log(connectMeshFromFiles.length); // 3
 * ```
 */
export async function connectMeshFromFiles(
  rank: number,
  paths: { cluster: string; key: string },
  opts: Omit<MeshOptions, "cluster" | "keyPair"> = {},
): Promise<TcpTransport> {
  const [cluster, keyPair] = await Promise.all([
    loadCluster(paths.cluster),
    readKeyFile(paths.key),
  ]);
  return await connectMesh(rank, { ...opts, cluster, keyPair });
}
