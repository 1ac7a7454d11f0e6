/**
 * The `Transport` interface: how one party talks to the others. Protocols see only this;
 * the in-memory transport and the TCP mesh of `@sharetensor/net` implement it.
 *
 * One call to {@linkcode Transport.exchange} is one communication round: the party sends
 * one message to each peer in `send` and waits for one message from each peer in
 * `recvFrom`. Every party of the round must make the matching call.
 *
 * @example
 * ```ts
 * import type { Transport } from "@sharetensor/core/transport";
 * async function swap(t: Transport, bytes: Uint8Array): Promise<Uint8Array> {
 *   const peer = 1 - t.rank;
 *   const got = await t.exchange(new Map([[peer, bytes]]), [peer]);
 *   return got.get(peer)!;
 * }
 * console.log(typeof swap);
 * ```
 * @module
 */

/** Traffic counters of one party. */
export interface TransportStats {
  /** Payload bytes this party sent (excluding framing). */
  bytesSent: number;
  /** Payload bytes this party received. */
  bytesReceived: number;
  /** Rounds this party took part in (exchanges that sent or received anything). */
  rounds: number;
}

/** One party's view of the network. */
export interface Transport {
  /** This party's rank, 0 <= rank < size. */
  readonly rank: number;
  /** Number of computing parties. */
  readonly size: number;
  /**
   * One round: sends `send.get(p)` to each peer p and resolves with the message of each
   * peer in `recvFrom`. Rejects with a named error (`PeerClosedError`, `TimeoutError`,
   * ...) that says which peer failed.
   */
  exchange(
    send: ReadonlyMap<number, Uint8Array>,
    recvFrom: readonly number[],
  ): Promise<Map<number, Uint8Array>>;
  /** Counters since creation or the last {@linkcode Transport.resetStats}. */
  stats(): TransportStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Closes every link; later exchanges reject. */
  close(): Promise<void>;
}
