/**
 * A secure link: one authenticated, encrypted TCP connection to one peer, carrying the
 * messages of `message.ts` in sealed frames (see `cipher.ts`).
 *
 * A reader loop runs from the start and queues data messages in arrival order; `recv`
 * takes them in order. The first failure (peer closed or reset, bad frame, timeout, an
 * abort) is kept: every pending and later `send`/`recv` rejects with it.
 *
 * Costs (2-core VM, `deno bench -A net/tcp/mesh_bench.ts`): what remains of a large
 * message's time is the cipher and the first touch of fresh buffers (about 0.35 ms per MB
 * in page faults here, more than a copy), so each large message is encrypted, written,
 * read and decrypted with as few fresh buffers as the `node:crypto` API allows: a two-way
 * round seals the message at once from the caller's bytes, the peer reads it into a
 * reused buffer and decrypts it into the buffer it delivers; one-way traffic travels in
 * 1 MiB parts so that the peer opens part k while this side seals part k+1 (see `send`).
 *
 * @example
 * ```ts
 * import { SecureLink } from "@sharetensor/net/tcp";
 * console.log(typeof SecureLink); // "function"
 * ```
 * @module
 */
import { Packr } from "msgpackr";
import { dataFrames, KIND, MessageDecoder, PART_BYTES, WHOLE_MAX_BYTES } from "./message.ts";
import { PeerClosedError, TimeoutError } from "@sharetensor/core/errors";
import type { FrameCipher } from "./cipher.ts";
import { coalesce, type FrameReader, writeAll } from "./frame.ts";
import type { HandshakeResult } from "./handshake.ts";
import { errorText, withTimeout } from "./util.ts";

/** What a link needs from a connection (`Deno.Conn` has it). */
export interface LinkConn {
  /** Reads into `p`. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes a prefix of `p`. */
  write(p: Uint8Array): Promise<number>;
  /** Closes the connection. */
  close(): void;
}

/** Counters of one link. */
export interface LinkStats {
  /** Payload bytes written to the socket. */
  bytesSent: number;
  /** Payload bytes received. */
  bytesReceived: number;
  /** Frame bytes written, with length prefix, msgpack header and tag. */
  wireBytesSent: number;
  /** Data messages sent. */
  messagesSent: number;
}

interface Waiter {
  resolve(b: Uint8Array): void;
  reject(e: Error): void;
  /** `performance.now()` when the wait began. */
  since: number;
}

interface PendingWrite {
  resolve(): void;
  reject(e: Error): void;
  /** `performance.now()` when the write was queued. */
  since: number;
}

/** One authenticated, encrypted connection to a peer. */
export class SecureLink {
  /** The peer's id (proven in the handshake). */
  readonly peer: number;
  /** Counters; the transport zeroes them on `resetStats`. */
  readonly stats: LinkStats = { bytesSent: 0, bytesReceived: 0, wireBytesSent: 0, messagesSent: 0 };
  /** Called once with the first failure that came neither from `close()` nor a goodbye. */
  onFailure?: (e: Error) => void;
  readonly #conn: LinkConn;
  readonly #reader: FrameReader;
  readonly #send: FrameCipher;
  readonly #recv: FrameCipher;
  readonly #timeoutMs: number;
  readonly #self: number;
  readonly #packr = new Packr({ moreTypes: true });
  readonly #queue: Uint8Array[] = [];
  readonly #waiters: Waiter[] = [];
  /** Free copy buffers of `send` (steady state: one, reused every round, no page faults). */
  readonly #spare: Uint8Array[] = [];
  #writes: Promise<void> = Promise.resolve();
  /** Writes queued or under way, oldest first. */
  readonly #pending: PendingWrite[] = [];
  /**
   * One timer per link instead of one per wait (a timer pair costs more than the rest of
   * a small frame's bookkeeping): armed while anything waits, it fails the link when the
   * oldest wait passes `timeoutMs`.
   */
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #error: Error | undefined;
  #closing = false;
  #aborted = false;
  readonly #loop: Promise<void>;

  /**
   * Wraps a connection after a successful handshake; `reader` is the handshake's reader
   * (it may hold bytes the peer already sent). Waits of send and recv are limited to
   * `timeoutMs` (Infinity: no limit). `self` is this node's id (to read abort messages).
   */
  constructor(
    conn: LinkConn,
    reader: FrameReader,
    hs: HandshakeResult,
    timeoutMs: number,
    self = -1,
  ) {
    this.#self = self;
    this.peer = hs.peer;
    this.#conn = conn;
    this.#reader = reader;
    // Each body is consumed (decrypted into a new buffer, or copied: see the read loop)
    // before the next frame is read, so the reader may reuse its buffer.
    reader.reuseBodies = true;
    this.#send = hs.sendCipher;
    // Whole encrypted messages are read into the reused buffer too (and decrypted out).
    if (hs.recvCipher.suite !== "insecure") {
      reader.reuseLimit = Math.max(reader.reuseLimit, WHOLE_MAX_BYTES + 64);
    }
    this.#recv = hs.recvCipher;
    this.#timeoutMs = timeoutMs;
    this.#loop = this.#readLoop();
  }

  /** The failure that ended this link, if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /**
   * Sends one message (taken at once: the caller may change `payload` afterwards);
   * resolves when its bytes are written to the socket.
   *
   * Framing: insecure links send every message as one frame, which the peer reads straight
   * into the buffer it delivers. Encrypted links send a message whole when it fits one part
   * or when this link also waits for a message of the peer (a round where both send: both
   * threads are busy sealing and opening, so parts would gain no overlap and cost the peer
   * a reassembly copy); else (one-way traffic) in parts of {@linkcode PART_BYTES}, which
   * the peer opens while this side seals the next.
   */
  send(payload: Uint8Array): Promise<void> {
    if (!(payload instanceof Uint8Array)) {
      return Promise.reject(
        new TypeError(`message to peer ${this.peer} must be a Uint8Array, got ${typeof payload}`),
      );
    }
    const n = payload.length;
    const insecure = this.#send.suite === "insecure";
    const whole = insecure || n <= PART_BYTES ||
      (this.#waiters.length > 0 && n <= WHOLE_MAX_BYTES);
    if (whole && !insecure && this.#pending.length === 0 && !this.#error) {
      // Nothing queued before it: seal now, straight from the caller's bytes (the
      // ciphertext is the copy that later changes to `payload` cannot reach).
      let sealed: Uint8Array[];
      try {
        sealed = this.#send.seal(dataFrames(payload, Infinity)[0]);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        this.fail(err);
        return Promise.reject(this.#error ?? err);
      }
      return this.#write([sealed], n, false, true);
    }
    // Frames are sealed in write order, after earlier messages; so a copy is taken now,
    // into a reused buffer (a fresh multi-MB buffer costs a page fault per 4 KiB on first
    // touch, more than the copy itself). It goes back to the pool once written.
    const buf = this.#take(n);
    buf.set(payload);
    const p = this.#write(dataFrames(buf, whole ? Infinity : PART_BYTES), n);
    return p.then(() => this.#give(buf));
  }

  #take(n: number): Uint8Array {
    const i = this.#spare.findIndex((b) => b.buffer.byteLength >= n);
    if (i < 0) return new Uint8Array(n);
    const [b] = this.#spare.splice(i, 1);
    return new Uint8Array(b.buffer, 0, n);
  }

  #give(b: Uint8Array): void {
    // Small buffers are cheap to allocate; keep at most two large ones.
    if (b.buffer.byteLength < 65536) return;
    this.#spare.push(b);
    if (this.#spare.length > 2) {
      this.#spare.sort((x, y) => y.buffer.byteLength - x.buffer.byteLength).length = 2;
    }
  }

  /**
   * Queues frames (each a list of plaintext pieces) behind earlier writes; each is sealed
   * just before it is written, so a large message is written part by part while the peer
   * already opens the first parts. With `sealed`, each frame is already the chunk list of
   * a sealed frame (sealed when nothing was queued, so sequence numbers stay in write
   * order). `payloadBytes` >= 0 counts as a data message.
   */
  #write(
    frames: Uint8Array[][],
    payloadBytes: number,
    force = false,
    sealed = false,
  ): Promise<void> {
    if (this.#error && !force) return Promise.reject(this.#error);
    const data = payloadBytes >= 0;
    const p = this.#writes.then(async () => {
      if (this.#error && !force) throw this.#error;
      for (const f of frames) {
        const chunks = sealed ? f : this.#send.seal(f);
        try {
          await writeAll(this.#conn, coalesce(chunks));
        } catch (e) {
          throw this.#error ??
            new PeerClosedError(this.peer, `write failed: ${errorText(e)}`, { cause: e });
        }
        this.stats.wireBytesSent += chunks.reduce((s, c) => s + c.length, 0);
      }
      if (data) {
        this.stats.bytesSent += payloadBytes;
        this.stats.messagesSent++;
      }
    });
    this.#writes = p.catch(() => {});
    return new Promise<void>((resolve, reject) => {
      const w: PendingWrite = { resolve, reject, since: performance.now() };
      this.#pending.push(w);
      this.#watch();
      const settle = () => {
        const i = this.#pending.indexOf(w);
        if (i >= 0) this.#pending.splice(i, 1);
      };
      p.then(() => {
        settle();
        resolve();
      }, (e) => {
        settle();
        this.fail(e);
        reject(this.#error ?? e);
      });
    });
  }

  /** Arms the watchdog unless it is armed or there is no limit. */
  #watch(): void {
    if (this.#watchdog !== undefined || this.#error || !Number.isFinite(this.#timeoutMs)) return;
    this.#arm(this.#timeoutMs);
  }

  #arm(ms: number): void {
    // setTimeout takes at most 2^31 - 1 ms (longer would fire at once).
    const t = setTimeout(() => this.#check(), Math.min(ms, 2 ** 31 - 1));
    // Never what keeps a process alive: the read loop and writes do that while they run.
    Deno.unrefTimer(t as unknown as number);
    this.#watchdog = t;
  }

  /** Fails the link if its oldest wait is over the limit, else re-arms for that wait. */
  #check(): void {
    this.#watchdog = undefined;
    if (this.#error) return;
    const now = performance.now();
    const recv = this.#waiters[0]?.since ?? Infinity;
    const send = this.#pending[0]?.since ?? Infinity;
    // Timers may fire a little early against performance.now(): allow 1 ms.
    if (now - recv >= this.#timeoutMs - 1) {
      this.fail(new TimeoutError(this.peer, this.#timeoutMs, "a message"));
    } else if (now - send >= this.#timeoutMs - 1) {
      this.fail(new TimeoutError(this.peer, this.#timeoutMs, "the socket to accept a message"));
    } else if (Math.min(recv, send) < Infinity) {
      this.#arm(Math.min(recv, send) + this.#timeoutMs - now);
    }
  }

  #control(msg: unknown[], force = false): Promise<void> {
    return this.#write([[this.#packr.pack(msg).slice()]], -1, force);
  }

  /** The next message from the peer, in order. */
  recv(): Promise<Uint8Array> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift()!);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject, since: performance.now() });
      this.#watch();
    });
  }

  async #readLoop(): Promise<void> {
    const dec = new MessageDecoder(this.peer, this.#reader.maxFrameBytes);
    try {
      while (true) {
        const body = await this.#reader.readFrame();
        if (body === null) throw new PeerClosedError(this.peer, "connection closed by the peer");
        const plain = this.#recv.open(body);
        const msg = dec.decode(plain);
        // A whole message that is a view of the reader's reused body (a small one of the
        // insecure suite) is copied out; parts are copied into their message by the decoder.
        if (msg?.kind === "data") {
          this.#deliver(msg.payload, plain.buffer === body.buffer && this.#reader.isReused(body));
        } else if (msg?.kind === "goodbye") {
          // A clean close is not a failure: queued messages stay readable, and only a wait
          // that needs this peer again rejects (the transport decides what that means).
          this.#end(new PeerClosedError(this.peer, `peer closed the link (${msg.reason})`));
          return;
        } else if (msg?.kind === "abort") {
          // Name the party that caused the abort (e.g. one that died), unless it is us.
          if (msg.origin >= 0 && msg.origin !== this.#self) {
            throw new PeerClosedError(msg.origin, `${msg.reason} (reported by party ${this.peer})`);
          }
          throw new PeerClosedError(this.peer, `party ${this.peer} aborted: ${msg.reason}`);
        }
      }
    } catch (e) {
      if (!this.#closing) this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #deliver(payload: Uint8Array, borrowed: boolean): void {
    // A plain Uint8Array, 8-byte aligned (callers may view it as BigUint64Array), whose
    // buffer holds nothing else (no pooled Buffer slab): a view when that holds, else a copy.
    const own = !borrowed && payload.buffer.byteLength - payload.byteLength <= 64;
    const p = own && payload.byteOffset % 8 === 0
      ? new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
      : new Uint8Array(payload);
    this.stats.bytesReceived += p.length;
    const w = this.#waiters.shift();
    if (w) w.resolve(p);
    else this.#queue.push(p);
  }

  /**
   * Ends the link with `err` (the first failure wins): pending and later waits reject with
   * it, and `onFailure` is told.
   */
  fail(err: Error): void {
    if (this.#end(err) && !this.#closing) this.onFailure?.(err);
  }

  #end(err: Error): boolean {
    if (this.#error) return false;
    this.#error = err;
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    for (const w of this.#waiters.splice(0)) w.reject(err);
    // A write stuck on a peer that stopped reading settles now, with this error.
    for (const w of this.#pending.splice(0)) w.reject(err);
    return true;
  }

  /**
   * Tells the peer (best effort, also on a failed link whose socket still works) that
   * this node gave up because of `err`; the peer's waits then reject with
   * `PeerClosedError` naming this node.
   */
  notifyAbort(err: Error): void {
    if (this.#closing || this.#aborted) return;
    this.#aborted = true;
    const origin = (err as { peer?: number }).peer ?? -1;
    this.#control([KIND.abort, err.message, origin], true).catch(() => {});
  }

  /** Sends a goodbye (if the link is healthy), closes the socket and stops the reader. */
  async close(): Promise<void> {
    if (this.#closing) return await this.#loop;
    if (!this.#error) this.#control([KIND.goodbye, "close"]).catch(() => {});
    this.#closing = true;
    // Flush (a goodbye or an abort); a failed peer may never read, so do not wait long.
    const flushMs = this.#error ? 100 : 1000;
    await withTimeout(this.#writes, flushMs, () => new Error("flush")).catch(() => {});
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    await this.#loop;
    this.fail(new PeerClosedError(this.peer, "link closed locally"));
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }
}
