/**
 * A secure link: one authenticated, encrypted TCP connection to one peer, carrying
 * msgpackr messages in sealed frames (see `cipher.ts`). Messages are
 * `[0, 0, payload]` (data, with the payload as a msgpack bin32: its raw bytes follow an
 * 8-byte header, never encoded element by element or copied into a msgpack buffer),
 * `[1, reason]` (goodbye: the peer closes the link on purpose) and
 * `[2, reason, origin]` (abort: the peer gave up because of party `origin`).
 *
 * A reader loop runs from the start and queues data messages in arrival order; `recv`
 * takes them in order. The first failure (peer closed or reset, bad frame, timeout, an
 * abort) is kept: every pending and later `send`/`recv` rejects with it.
 *
 * @example
 * ```ts
 * import { SecureLink } from "@sharetensor/net/tcp";
 * console.log(typeof SecureLink); // "function"
 * ```
 * @module
 */
import { Packr } from "msgpackr";
import { FrameDecodeError, PeerClosedError, TimeoutError } from "@sharetensor/core/errors";
import type { FrameCipher } from "./cipher.ts";
import { type FrameReader, writeAll } from "./frame.ts";
import type { HandshakeResult } from "./handshake.ts";
import { errorText, withTimeout } from "./util.ts";

const KIND_DATA = 0;
const KIND_GOODBYE = 1;
const KIND_ABORT = 2;

/**
 * The msgpack encoding of `[0, 0, <bin of len bytes>]` up to the payload: a data message
 * is this header and then the payload's own bytes (no copy into a msgpack buffer). With
 * bin32 the payload starts at offset 8, so it stays 8-byte aligned on arrival.
 */
function dataHeader(len: number): Uint8Array {
  return new Uint8Array([
    0x93,
    KIND_DATA,
    0,
    0xc6,
    len >>> 24,
    (len >>> 16) & 255,
    (len >>> 8) & 255,
    len & 255,
  ]);
}

/** The payload of a data message in `dataHeader` form (a view, no copy), else undefined. */
function dataPayload(m: Uint8Array): Uint8Array | undefined {
  if (m.length < 8 || m[0] !== 0x93 || m[1] !== KIND_DATA || m[2] !== 0 || m[3] !== 0xc6) {
    return undefined;
  }
  const len = ((m[4] << 24) | (m[5] << 16) | (m[6] << 8) | m[7]) >>> 0;
  return len === m.length - 8 ? m.subarray(8) : undefined;
}

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
  timer?: ReturnType<typeof setTimeout>;
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
  #writes: Promise<void> = Promise.resolve();
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
    this.#send = hs.sendCipher;
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
   */
  send(payload: Uint8Array): Promise<void> {
    if (!(payload instanceof Uint8Array)) {
      return Promise.reject(
        new TypeError(`message to peer ${this.peer} must be a Uint8Array, got ${typeof payload}`),
      );
    }
    // Encrypting suites consume the payload now; the insecure one writes it later, so it
    // takes a copy (the caller may reuse its buffer as soon as this returns).
    const body = this.#send.overhead === 0 ? payload.slice() : payload;
    return this.#write(KIND_DATA, [dataHeader(payload.length), body], payload.length);
  }

  #write(kind: number, msg: unknown[], payloadBytes: number, force = false): Promise<void> {
    if (this.#error && !force) return Promise.reject(this.#error);
    // Packr reuses its buffer and the write happens later, so control messages get a copy.
    const parts = kind === KIND_DATA ? msg as Uint8Array[] : [this.#packr.pack(msg).slice()];
    const chunks = this.#send.seal(parts);
    const wire = chunks.reduce((s, c) => s + c.length, 0);
    const p = this.#writes.then(async () => {
      if (this.#error && kind === KIND_DATA) throw this.#error;
      try {
        await writeAll(this.#conn, chunks);
      } catch (e) {
        throw this.#error ??
          new PeerClosedError(this.peer, `write failed: ${errorText(e)}`, { cause: e });
      }
      this.stats.wireBytesSent += wire;
      if (kind === KIND_DATA) {
        this.stats.bytesSent += payloadBytes;
        this.stats.messagesSent++;
      }
    });
    this.#writes = p.catch(() => {});
    return withTimeout(
      p,
      this.#timeoutMs,
      () => new TimeoutError(this.peer, this.#timeoutMs, "the socket to accept a message"),
    ).catch((e) => {
      this.fail(e);
      throw this.#error ?? e;
    });
  }

  /** The next message from the peer, in order. */
  recv(): Promise<Uint8Array> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift()!);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject };
      if (Number.isFinite(this.#timeoutMs)) {
        w.timer = setTimeout(() => {
          this.fail(new TimeoutError(this.peer, this.#timeoutMs, "a message"));
        }, this.#timeoutMs);
      }
      this.#waiters.push(w);
    });
  }

  async #readLoop(): Promise<void> {
    try {
      while (true) {
        const body = await this.#reader.readFrame();
        if (body === null) throw new PeerClosedError(this.peer, "connection closed by the peer");
        const plain = this.#recv.open(body);
        const fast = dataPayload(plain);
        if (fast) {
          this.#deliver(fast);
          continue;
        }
        let msg: unknown;
        try {
          msg = this.#packr.unpack(plain);
        } catch (e) {
          throw new FrameDecodeError(this.peer, `not msgpack: ${errorText(e)}`, { cause: e });
        }
        if (!Array.isArray(msg) || typeof msg[0] !== "number") {
          throw new FrameDecodeError(this.peer, "message is not [kind, ...]");
        }
        if (msg[0] === KIND_DATA && msg[2] instanceof Uint8Array) {
          this.#deliver(msg[2]);
        } else if (msg[0] === KIND_GOODBYE) {
          // A clean close is not a failure: queued messages stay readable, and only a wait
          // that needs this peer again rejects (the transport decides what that means).
          this.#end(
            new PeerClosedError(this.peer, `peer closed the link (${String(msg[1])})`),
          );
          return;
        } else if (msg[0] === KIND_ABORT) {
          // Name the party that caused the abort (e.g. one that died), unless it is us.
          const origin = msg[2];
          if (typeof origin === "number" && origin >= 0 && origin !== this.#self) {
            throw new PeerClosedError(origin, `${String(msg[1])} (reported by party ${this.peer})`);
          }
          throw new PeerClosedError(this.peer, `party ${this.peer} aborted: ${String(msg[1])}`);
        } else {
          throw new FrameDecodeError(this.peer, `unknown message kind ${msg[0]}`);
        }
      }
    } catch (e) {
      if (!this.#closing) this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #deliver(payload: Uint8Array): void {
    // A plain Uint8Array, 8-byte aligned (callers may view it as BigUint64Array), whose
    // buffer holds nothing else (no pooled Buffer slab): a view when that holds, else a copy.
    const own = payload.buffer.byteLength - payload.byteLength <= 64;
    const p = own && payload.byteOffset % 8 === 0
      ? new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
      : new Uint8Array(payload);
    this.stats.bytesReceived += p.length;
    const w = this.#waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.resolve(p);
    } else this.#queue.push(p);
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
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
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
    this.#write(KIND_ABORT, [KIND_ABORT, err.message, origin], 0, true).catch(() => {});
  }

  /** Sends a goodbye (if the link is healthy), closes the socket and stops the reader. */
  async close(): Promise<void> {
    if (this.#closing) return await this.#loop;
    if (!this.#error) this.#write(KIND_GOODBYE, [KIND_GOODBYE, "close"], 0).catch(() => {});
    this.#closing = true;
    // Flush (a goodbye or an abort); a failed peer may never read, so do not wait long.
    const flushMs = this.#error ? 100 : 1000;
    await withTimeout(this.#writes, flushMs, () => new Error("flush")).catch(() => {});
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    await this.#loop;
    this.fail(new PeerClosedError(this.peer, "link closed locally"));
  }
}
