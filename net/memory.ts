/**
 * In-memory transport: `n` parties in one process, one FIFO queue per ordered pair of
 * parties. It counts the bytes each party sends and receives and the rounds it takes part
 * in, and can simulate a network with a one-way latency and a per-link bandwidth cap.
 *
 * Messages are copied on send (the sender may reuse its buffer at once), delivered in
 * order on each link, and a closed party makes every pending or later receive from it
 * reject with `PeerClosedError`.
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * const [a, b] = memoryNetwork(2);
 * const [ra, rb] = await Promise.all([
 *   a.exchange(new Map([[1, new Uint8Array([1, 2])]]), [1]),
 *   b.exchange(new Map([[0, new Uint8Array([3])]]), [0]),
 * ]);
 * console.log(ra.get(1), rb.get(0), a.stats()); // [3] [1, 2] { bytesSent: 2, ... }
 * ```
 * @module
 */
import type { Transport, TransportStats } from "@sharetensor/core/transport";
import { PeerClosedError, TimeoutError } from "@sharetensor/core/errors";

/** Options of {@linkcode memoryNetwork}. */
export interface MemoryNetworkOptions {
  /** One-way delay added to every message, in milliseconds (default 0: no timer at all). */
  latencyMs?: number;
  /** Per-link bandwidth in bytes per second (default unlimited). */
  bandwidthBytesPerSec?: number;
  /**
   * How long a receive waits for a peer's message before it rejects with a `TimeoutError`
   * naming the peer (default 60000 ms; `Infinity` waits forever). Parties that run different
   * programs stop with this error instead of hanging.
   */
  timeoutMs?: number;
}

interface Waiter {
  resolve(msg: Uint8Array): void;
  reject(err: Error): void;
}

/** One direction of one link: messages delivered but not yet received, and receivers waiting. */
class Link {
  readonly queue: Uint8Array[] = [];
  readonly waiters: Waiter[] = [];
  /** Time (ms, performance.now) when the link is free to start sending the next message. */
  busyUntil = 0;
  /** Set when the sender closed: receives fail once the queue is drained. */
  closed: Error | null = null;
  /** Set when the receiver closed: later messages are dropped. */
  receiverGone = false;

  deliver(msg: Uint8Array): void {
    if (this.receiverGone) return;
    const w = this.waiters.shift();
    if (w) w.resolve(msg);
    else this.queue.push(msg);
  }

  take(peer: number, timeoutMs: number): Promise<Uint8Array> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      if (!Number.isFinite(timeoutMs)) {
        this.waiters.push({ resolve, reject });
        return;
      }
      const w: Waiter = {
        resolve: (msg) => (clearTimeout(timer), resolve(msg)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new TimeoutError(peer, timeoutMs, "a message"));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  close(err: Error): void {
    this.closed = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}

/** Shared state of one in-memory network. */
class Network {
  /** links[from][to] */
  readonly links: Link[][];
  readonly closed: boolean[];
  readonly timers = new Set<ReturnType<typeof setTimeout>>();
  constructor(readonly n: number, readonly opts: MemoryNetworkOptions) {
    this.links = Array.from({ length: n }, () => Array.from({ length: n }, () => new Link()));
    this.closed = new Array(n).fill(false);
  }

  send(from: number, to: number, msg: Uint8Array): void {
    const link = this.links[from][to];
    if (link.receiverGone) return; // the bytes go nowhere
    const latency = this.opts.latencyMs ?? 0;
    const bw = this.opts.bandwidthBytesPerSec;
    if (latency <= 0 && !bw) {
      link.deliver(msg);
      return;
    }
    // Serialise on the link at `bw`, then fly for `latency`; FIFO because the delivery times
    // of one link never decrease and equal-time timers fire in creation order.
    const now = performance.now();
    const start = Math.max(now, link.busyUntil);
    const txMs = bw ? (msg.byteLength / bw) * 1000 : 0;
    link.busyUntil = start + txMs;
    const due = start + txMs + Math.max(0, latency);
    const id = setTimeout(() => {
      this.timers.delete(id);
      link.deliver(msg);
    }, Math.max(0, due - now));
    this.timers.add(id);
  }

  close(rank: number): void {
    if (this.closed[rank]) return;
    this.closed[rank] = true;
    for (let p = 0; p < this.n; p++) {
      if (p === rank) continue;
      // Peers waiting on `rank` fail; what `rank` would still receive is dropped.
      this.links[rank][p].close(new PeerClosedError(rank, "party closed its transport"));
      const inbound = this.links[p][rank];
      inbound.receiverGone = true;
      inbound.queue.length = 0;
      inbound.close(new PeerClosedError(p, "this transport is closed"));
    }
    if (this.closed.every((c) => c)) {
      for (const id of this.timers) clearTimeout(id);
      this.timers.clear();
    }
  }
}

/** One party's endpoint of an in-memory network. */
class MemoryTransport implements Transport {
  #stats: TransportStats = { bytesSent: 0, bytesReceived: 0, rounds: 0 };
  constructor(readonly rank: number, readonly size: number, private readonly net: Network) {}

  async exchange(
    send: ReadonlyMap<number, Uint8Array>,
    recvFrom: readonly number[],
  ): Promise<Map<number, Uint8Array>> {
    if (this.net.closed[this.rank]) {
      throw new PeerClosedError(this.rank, "this transport is closed");
    }
    for (const p of [...send.keys(), ...recvFrom]) {
      if (!Number.isInteger(p) || p < 0 || p >= this.size || p === this.rank) {
        throw new RangeError(
          `party ${this.rank}: peer ${p} is not one of the other ${this.size - 1} parties`,
        );
      }
    }
    if (send.size > 0 || recvFrom.length > 0) this.#stats.rounds++;
    for (const [p, msg] of send) {
      this.#stats.bytesSent += msg.byteLength;
      this.net.send(this.rank, p, msg.slice());
    }
    const wait = this.net.opts.timeoutMs ?? 60_000;
    const got = await Promise.all(
      recvFrom.map((p) => this.net.links[p][this.rank].take(p, wait)),
    );
    const out = new Map<number, Uint8Array>();
    recvFrom.forEach((p, i) => {
      this.#stats.bytesReceived += got[i].byteLength;
      out.set(p, got[i]);
    });
    return out;
  }

  stats(): TransportStats {
    return { ...this.#stats };
  }

  resetStats(): void {
    this.#stats = { bytesSent: 0, bytesReceived: 0, rounds: 0 };
  }

  close(): Promise<void> {
    this.net.close(this.rank);
    return Promise.resolve();
  }
}

/**
 * Creates `n` connected in-memory transports, one per party (index = rank).
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * const parties = memoryNetwork(3, { latencyMs: 1, bandwidthBytesPerSec: 1e9 });
 * console.log(parties.map((t) => t.rank)); // [0, 1, 2]
 * await Promise.all(parties.map((t) => t.close()));
 * ```
 */
export function memoryNetwork(n: number, opts: MemoryNetworkOptions = {}): Transport[] {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`memoryNetwork needs n >= 1 parties, got ${n}`);
  }
  if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be > 0, got ${opts.timeoutMs}`);
  }
  if (opts.latencyMs !== undefined && !(opts.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be >= 0, got ${opts.latencyMs}`);
  }
  if (opts.bandwidthBytesPerSec !== undefined && !(opts.bandwidthBytesPerSec > 0)) {
    throw new RangeError(`bandwidthBytesPerSec must be > 0, got ${opts.bandwidthBytesPerSec}`);
  }
  const net = new Network(n, opts);
  return Array.from({ length: n }, (_, r) => new MemoryTransport(r, n, net));
}
