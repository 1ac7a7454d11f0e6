/**
 * Round batching: the operations of one party hand their per-peer payloads to a
 * {@linkcode Comm}, which sends everything that is ready as one message per peer per round
 * and routes what arrives back to the operation that waits for it.
 *
 * Requests made before the next macrotask (every op issued in the same tick, e.g. inside
 * `Promise.all`, including the local work they do before their first round) share one
 * `transport.exchange`. Payloads are matched by key (a hash of the op's scope id and
 * round number), so two parties that happen to cut their rounds differently still pair up
 * correctly; each sub-message carries the op-name and shape hashes, and a mismatch with
 * the local op is a `ProtocolAbortError` on both sides (each checks what the other sent).
 * After an abort or a transport failure every pending and later request of this `Comm`
 * rejects with that error: a context that lost sync is never used again.
 *
 * Sending never waits for receiving: while one exchange waits for peers' messages, what
 * becomes ready is sent at once by a send-only `exchange(sends, [])` (so a transport may see
 * such a call next to one pending receive; messages of one link must arrive in send order).
 * Otherwise two parties could each wait, in their pending receive, for the message the other
 * holds back until its own receive completes.
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * import { Comm } from "./comm.ts";
 * const [c0, c1] = memoryNetwork(2).map((t) => new Comm(t));
 * const [g0, g1] = await Promise.all([
 *   c0.request("k", "demo", 0, new Map([[1, [new Uint8Array([7])]]]), [1]),
 *   c1.request("k", "demo", 0, new Map([[0, [new Uint8Array([8])]]]), [0]),
 * ]);
 * console.log(g0.get(1), g1.get(0)); // [8] [7]
 * ```
 * @module
 */
import { setImmediate } from "node:timers";
import { ProtocolAbortError, TimeoutError } from "@sharetensor/core/errors";
import type { Transport } from "@sharetensor/core/transport";
import {
  decodeMessage,
  encodeMessage,
  hash32,
  type IncomingSub,
  MESSAGE_HEADER_BYTES,
  type OutgoingSub,
  SUB_HEADER_BYTES,
} from "./frame.ts";

/** Op hash of an abort notice. */
const ABORT_OP = hash32("__abort__");
/** Messages at least this large are encoded into reused buffers. */
const SPARE_MIN_BYTES = 65536;
/** Most reusable message buffers kept (one per peer of a small cluster). */
const SPARE_MAX = 4;

interface Expect {
  opName: string;
  op: number;
  shape: number;
  got(payload: Uint8Array): void;
  fail(err: Error): void;
}

/** Payload and framing counters of one party's runtime. */
export interface CommStats {
  /** Payload bytes sent (what kernels declare in their cost). */
  payloadBytes: number;
  /** Framing bytes sent (message and sub-message headers). */
  frameBytes: number;
  /** Messages sent. */
  messages: number;
}

/**
 * Batches the rounds of one party.
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * import { Comm } from "@sharetensor/protocols";
 * const c = new Comm(memoryNetwork(2)[0]);
 * console.log(c.stats()); // { payloadBytes: 0, frameBytes: 0, messages: 0 }
 * ```
 */
export class Comm {
  readonly #t: Transport;
  readonly #outbox = new Map<number, OutgoingSub[]>();
  readonly #expect = new Map<number, Map<number, Expect>>();
  readonly #early = new Map<number, Map<number, IncomingSub>>();
  /** Names of the ops this party has issued, by hash (to name what a peer sent). */
  readonly #opNames = new Map<number, string>();
  #scheduled = false;
  #inFlight = false;
  #failed: Error | null = null;
  #drainers: (() => void)[] = [];
  #sending = 0;
  /**
   * Message buffers free for reuse: a round's message goes back here once its exchange
   * resolved (the transport is done with it), so steady-state rounds write into warm memory
   * instead of a fresh multi-MB buffer whose first touch costs page faults.
   */
  readonly #spare: Uint8Array[] = [];
  /** Requests whose sends sit in the outbox: settled once those are encoded (copied). */
  #unsent: { sent(): void; fail(err: Error): void }[] = [];
  #stats: CommStats = { payloadBytes: 0, frameBytes: 0, messages: 0 };

  /** Wraps one party's transport. */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** The error that stopped this runtime, or null. */
  get failed(): Error | null {
    return this.#failed;
  }

  /**
   * Resolves once everything queued so far has been handed to the transport (an op whose
   * last round only sends, like a truncation on n > 2 parties, resolves before that).
   */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drainers.push(resolve));
  }

  #idle(): boolean {
    return this.#failed !== null ||
      (!this.#scheduled && !this.#inFlight && this.#sending === 0 &&
        [...this.#outbox.values()].every((q) => q.length === 0));
  }

  #wake(): void {
    if (!this.#idle()) return;
    for (const r of this.#drainers.splice(0)) r();
  }

  /** A JSON snapshot of what is queued, awaited and buffered (to debug a hang). */
  debugState(): string {
    return JSON.stringify({
      rank: this.#t.rank,
      outbox: [...this.#outbox].map(([p, q]) => [p, q.map((s) => s.key)]),
      expect: [...this.#expect].map(([p, m]) => [p, [...m].map(([k, e]) => [k, e.opName])]),
      early: [...this.#early].map(([p, m]) => [p, [...m.keys()]]),
      scheduled: this.#scheduled,
      inFlight: this.#inFlight,
      failed: String(this.#failed),
    });
  }

  /** Counters since creation. */
  stats(): CommStats {
    return { ...this.#stats };
  }

  /**
   * Queues `sends` (payload pieces per peer) for the next round and resolves with one
   * payload from each peer in `recvFrom`, under the unique `key` of this op round.
   *
   * The pieces are read when the batch is encoded (the next macrotask), not now, and the
   * promise never settles before that: so the caller may reuse its send buffers as soon as
   * it resolves, even when every peer's payload was already here (a peer ahead of this one)
   * or there is nothing to receive.
   */
  request(
    key: string,
    opName: string,
    shapeHash: number,
    sends: ReadonlyMap<number, readonly Uint8Array[]>,
    recvFrom: readonly number[],
  ): Promise<Map<number, Uint8Array>> {
    if (this.#failed) return Promise.reject(this.#failed);
    const k = hash32(key);
    const op = hash32(opName);
    this.#opNames.set(op, opName);
    for (const [p, parts] of sends) {
      let q = this.#outbox.get(p);
      if (!q) this.#outbox.set(p, q = []);
      q.push({ key: k, op, shape: shapeHash, parts });
    }
    const result = new Map<number, Uint8Array>();
    const done = new Promise<Map<number, Uint8Array>>((resolve, reject) => {
      // One count per peer to hear from, and one for our own sends to be encoded: resolving
      // earlier let a kernel overwrite its send buffer before it went out (andFn's `ef`
      // when the peer's round had already arrived: garbage at the peer, e.g. relu with a
      // slow device download or a slow dealer on one party).
      let missing = recvFrom.length + (sends.size > 0 ? 1 : 0);
      if (missing === 0) resolve(result);
      if (sends.size > 0) {
        this.#unsent.push({
          sent: () => {
            if (--missing === 0) resolve(result);
          },
          fail: reject,
        });
      }
      for (const p of recvFrom) {
        const e: Expect = {
          opName,
          op,
          shape: shapeHash,
          got: (payload) => {
            result.set(p, payload);
            if (--missing === 0) resolve(result);
          },
          fail: reject,
        };
        const early = this.#early.get(p)?.get(k);
        if (early) {
          this.#early.get(p)!.delete(k);
          this.#deliver(p, e, early);
        } else {
          let m = this.#expect.get(p);
          if (!m) this.#expect.set(p, m = new Map());
          if (m.has(k)) {
            reject(new ProtocolAbortError(`duplicate round key "${key}" for peer ${p}`));
            continue;
          }
          m.set(k, e);
        }
      }
    });
    this.#schedule();
    return done;
  }

  /**
   * Rejects everything pending and later with `err` (first error wins). With `notify`,
   * also tells every peer (one best-effort message), whose pending and later requests then
   * fail with a `ProtocolAbortError` naming this party: an error found by one party only
   * (say, the owner's input has the wrong size) stops every party instead of hanging them.
   */
  abort(err: Error, notify = false): void {
    if (this.#failed) return;
    this.#failed = err;
    for (const m of this.#expect.values()) for (const e of m.values()) e.fail(err);
    this.#expect.clear();
    this.#outbox.clear();
    for (const u of this.#unsent.splice(0)) u.fail(err);
    for (const r of this.#drainers.splice(0)) r();
    if (!notify) return;
    const reason = new TextEncoder().encode(err.message);
    const msg = encodeMessage([{ key: 0, op: ABORT_OP, shape: 0, parts: [reason] }]);
    const sends = new Map<number, Uint8Array>();
    for (let p = 0; p < this.#t.size; p++) if (p !== this.#t.rank) sends.set(p, msg);
    this.#t.exchange(sends, []).catch(() => {});
  }

  #deliver(peer: number, e: Expect, sub: IncomingSub): void {
    if (sub.op !== e.op || sub.shape !== e.shape) {
      const what = sub.op !== e.op ? "a different operation" : "other shapes, ring or options";
      const err = new ProtocolAbortError(
        `party and peer disagree on "${e.opName}": the peer runs ${what}`,
        peer,
      );
      e.fail(err);
      this.abort(err, true);
      return;
    }
    e.got(sub.payload);
  }

  /**
   * A receive that timed out while the peer had sent payloads for ops this party never
   * issued means the parties issue ops in different orders: say so, naming both sides.
   */
  #explain(err: Error): Error {
    if (!(err instanceof TimeoutError) || err.peer < 0) return err;
    const waiting = this.#expect.get(err.peer);
    if (!waiting?.size) return err;
    const list = (names: string[]) => {
      const uniq = [...new Set(names)];
      return uniq.slice(0, 4).map((n) => `"${n}"`).join(", ") + (uniq.length > 4 ? ", ..." : "");
    };
    const ours = list([...waiting.values()].map((e) => e.opName));
    const early = this.#early.get(err.peer);
    const why = early?.size
      ? `; that peer meanwhile sent its part of ${
        list([...early.values()].map((sub) =>
          this.#opNames.get(sub.op) ?? `an op this party never ran (#${sub.op.toString(16)})`
        ))
      }, which this party has not issued: the parties issue operations in different orders ` +
        "(every party must issue its ops in the same order; run concurrent branches with " +
        "ctx.parallel)"
      : " (that peer has not issued it: is it stuck, or does its program skip this op?)";
    const out = new TimeoutError(err.peer, err.ms, `its part of ${ours}`, { cause: err });
    out.message =
      `timed out after ${err.ms} ms waiting for peer ${err.peer}'s part of ${ours}${why}`;
    return out;
  }

  #take(n: number): Uint8Array {
    if (n < SPARE_MIN_BYTES) return new Uint8Array(n);
    const i = this.#spare.findIndex((b) => b.buffer.byteLength >= n);
    if (i < 0) return new Uint8Array(n);
    const [b] = this.#spare.splice(i, 1);
    return new Uint8Array(b.buffer, 0, n);
  }

  #give(sent: ReadonlyMap<number, Uint8Array>): void {
    for (const b of sent.values()) if (b.buffer.byteLength >= SPARE_MIN_BYTES) this.#spare.push(b);
    if (this.#spare.length > SPARE_MAX) {
      this.#spare.sort((x, y) => y.buffer.byteLength - x.buffer.byteLength).length = SPARE_MAX;
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#failed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#failed) return;
    const sends = new Map<number, Uint8Array>();
    for (const [p, subs] of this.#outbox) {
      if (subs.length === 0) continue;
      const msg = encodeMessage(subs, (n) => this.#take(n));
      sends.set(p, msg);
      this.#stats.messages++;
      this.#stats.frameBytes += MESSAGE_HEADER_BYTES + SUB_HEADER_BYTES * subs.length;
      this.#stats.payloadBytes += msg.byteLength - MESSAGE_HEADER_BYTES -
        SUB_HEADER_BYTES * subs.length;
    }
    this.#outbox.clear();
    // The payloads are copied into `sends` now: their requests may settle.
    for (const u of this.#unsent.splice(0)) u.sent();
    if (this.#inFlight) {
      // A receive is pending: send what is ready now, on its own. Holding it back until the
      // receive completes could deadlock (that peer may be waiting for exactly this).
      if (sends.size === 0) return;
      this.#sending++;
      try {
        await this.#t.exchange(sends, []);
        this.#give(sends);
      } catch (err) {
        this.abort(err instanceof Error ? err : new Error(String(err)));
      } finally {
        this.#sending--;
      }
      this.#wake();
      return;
    }
    const recvFrom = [...this.#expect].filter(([, m]) => m.size > 0).map(([p]) => p);
    if (sends.size === 0 && recvFrom.length === 0) {
      this.#wake();
      return;
    }
    this.#inFlight = true;
    try {
      const got = await this.#t.exchange(sends, recvFrom);
      this.#give(sends);
      for (const [p, msg] of got) {
        for (const sub of decodeMessage(msg, p)) {
          if (sub.op === ABORT_OP) {
            const why = new TextDecoder().decode(sub.payload);
            this.abort(new ProtocolAbortError(`the peer failed: ${why}`, p));
            return;
          }
          const e = this.#expect.get(p)?.get(sub.key);
          if (e) {
            this.#expect.get(p)!.delete(sub.key);
            this.#deliver(p, e, sub);
          } else {
            let m = this.#early.get(p);
            if (!m) this.#early.set(p, m = new Map());
            m.set(sub.key, sub);
          }
        }
      }
    } catch (err) {
      this.abort(this.#explain(err instanceof Error ? err : new Error(String(err))));
    } finally {
      this.#inFlight = false;
    }
    const more = [...this.#outbox.values()].some((q) => q.length > 0) ||
      [...this.#expect.values()].some((m) => m.size > 0);
    if (more) this.#schedule();
    this.#wake();
  }
}
