/**
 * Length-prefixed frames on a byte stream: a big-endian u32 body length, then the body.
 * The reader checks the length against its limit before it allocates anything, so a peer
 * (or garbage on the port) cannot make a party allocate a huge buffer.
 *
 * @example
 * ```ts
 * import { FrameReader, frameHeader } from "@sharetensor/net/tcp";
 * const bytes = new Uint8Array([...frameHeader(3), 1, 2, 3]);
 * let done = false;
 * const src = { read: (p: Uint8Array) => {
 *   if (done) return Promise.resolve(null);
 *   done = true; p.set(bytes); return Promise.resolve(bytes.length);
 * } };
 * console.log(await new FrameReader(src, 1, 1024).readFrame()); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import { FrameDecodeError, PeerClosedError } from "@sharetensor/core/errors";

/** Anything with `Deno.Conn`'s `read`: fills `p`, resolves the count or null at EOF. */
export interface ByteSource {
  /** Reads up to `p.length` bytes into `p`. */
  read(p: Uint8Array): Promise<number | null>;
}

/** Anything with `Deno.Conn`'s `write`. */
export interface ByteSink {
  /** Writes some prefix of `p`, resolving how many bytes went out. */
  write(p: Uint8Array): Promise<number>;
}

/** Default largest frame body: 1 GiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1 << 30;

/**
 * The 4-byte big-endian length prefix of a frame with `len` body bytes.
 *
 * @example
 * ```ts
 * import { frameHeader } from "@sharetensor/net/tcp";
 * console.log(frameHeader(258)); // Uint8Array [0, 0, 1, 2]
 * ```
 */
export function frameHeader(len: number): Uint8Array {
  if (!Number.isInteger(len) || len < 0 || len > 0xffffffff) {
    throw new RangeError(`frame length must be an integer in 0..2^32-1, got ${len}`);
  }
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, len);
  return h;
}

/**
 * Writes every byte of each chunk, in order.
 *
 * @example
 * ```ts
 * import { writeAll } from "@sharetensor/net/tcp";
 * const got: number[] = [];
 * await writeAll({ write: (p) => { got.push(p[0]); return Promise.resolve(1); } }, [new Uint8Array([1, 2])]);
 * console.log(got); // [1, 2]
 * ```
 */
export async function writeAll(sink: ByteSink, chunks: readonly Uint8Array[]): Promise<void> {
  for (const c of chunks) {
    let off = 0;
    while (off < c.length) off += await sink.write(off === 0 ? c : c.subarray(off));
  }
}

/**
 * Joins runs of small chunks (under 16 KiB together) into one buffer, so a small frame is
 * one `write` (one syscall, one TCP segment) while large chunks are written as they are.
 *
 * @example
 * ```ts
 * import { coalesce } from "@sharetensor/net/tcp";
 * console.log(coalesce([new Uint8Array([1]), new Uint8Array([2, 3])])); // [Uint8Array [1, 2, 3]]
 * ```
 */
export function coalesce(chunks: readonly Uint8Array[], limit = 16384): Uint8Array[] {
  const out: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) {
      const b = new Uint8Array(runBytes);
      let off = 0;
      for (const c of run) {
        b.set(c, off);
        off += c.length;
      }
      out.push(b);
    }
    run = [];
    runBytes = 0;
  };
  for (const c of chunks) {
    if (c.length === 0) continue;
    if (runBytes + c.length > limit) flush();
    if (c.length >= limit) out.push(c);
    else {
      run.push(c);
      runBytes += c.length;
    }
  }
  flush();
  return out;
}

/**
 * Default largest body that a {@linkcode FrameReader} with `reuseBodies` reads into its
 * reused buffer (`reuseLimit`).
 *
 * @example
 * ```ts
 * import { REUSED_BODY_BYTES } from "@sharetensor/net/tcp";
 * console.log(REUSED_BODY_BYTES); // 1048640
 * ```
 */
export const REUSED_BODY_BYTES = (1 << 20) + 64;

/**
 * Reads frames from a stream through a 64 KiB buffer (small frames cost no extra read);
 * large bodies are read straight into their own buffer.
 *
 * `readFrame` resolves a body, or `null` at a clean end of stream (between frames).
 * It rejects with `FrameDecodeError` for a length over the limit (before allocating) and
 * `PeerClosedError` when the stream ends inside a frame or the read fails.
 */
export class FrameReader {
  /** Peer named in errors; -1 until known (the handshake sets it). */
  peer: number;
  /** Largest accepted body length in bytes. */
  maxFrameBytes: number;
  /**
   * When true, a body of up to {@linkcode FrameReader.reuseLimit} bytes is read into one
   * buffer that the next `readFrame` overwrites: set it only where each body is consumed
   * (say, decrypted into a new buffer) before the next frame is read. Saves the page faults
   * of a fresh buffer per frame.
   */
  reuseBodies = false;
  /**
   * Largest body that `reuseBodies` reads into the reused buffer (default
   * {@linkcode REUSED_BODY_BYTES}); that buffer grows to the largest such body seen.
   */
  reuseLimit: number = REUSED_BODY_BYTES;
  #src: ByteSource;
  #body: Uint8Array | undefined;
  #buf = new Uint8Array(65536);
  #start = 0;
  #end = 0;

  /** Reads from `src`; errors name `peer`; bodies over `maxFrameBytes` are refused. */
  constructor(src: ByteSource, peer: number, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.#src = src;
    this.peer = peer;
    this.maxFrameBytes = maxFrameBytes;
  }

  async #fill(): Promise<number | null> {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    else if (this.#end === this.#buf.length) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    return await this.#read(this.#buf.subarray(this.#end));
  }

  async #read(p: Uint8Array): Promise<number | null> {
    try {
      return await this.#src.read(p);
    } catch (e) {
      throw new PeerClosedError(this.peer, `read failed: ${(e as Error)?.message ?? e}`, {
        cause: e,
      });
    }
  }

  /** Whether `body` (from `readFrame`) views the reused buffer that the next read overwrites. */
  isReused(body: Uint8Array): boolean {
    return this.#body !== undefined && body.buffer === this.#body.buffer;
  }

  /** The next frame body, or null at a clean end of stream. */
  async readFrame(): Promise<Uint8Array | null> {
    while (this.#end - this.#start < 4) {
      const n = await this.#fill();
      if (n === null) {
        const have = this.#end - this.#start;
        if (have === 0) return null;
        throw new PeerClosedError(
          this.peer,
          `connection closed inside a frame header (${have} of 4 bytes)`,
        );
      }
      this.#end += n;
    }
    const b = this.#buf;
    const s = this.#start;
    const len = ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
    if (len > this.maxFrameBytes) {
      throw new FrameDecodeError(
        this.peer,
        `frame of ${len} bytes exceeds the limit of ${this.maxFrameBytes} bytes`,
      );
    }
    this.#start += 4;
    let body: Uint8Array;
    if (this.reuseBodies && len <= this.reuseLimit) {
      if (!this.#body || this.#body.length < len) {
        this.#body = new Uint8Array(Math.max(len, REUSED_BODY_BYTES));
      }
      body = this.#body.subarray(0, len);
    } else body = new Uint8Array(len);
    const have = Math.min(len, this.#end - this.#start);
    body.set(b.subarray(this.#start, this.#start + have));
    this.#start += have;
    let got = have;
    while (got < len) {
      const rest = len - got;
      let n: number | null;
      if (rest >= 16384) {
        n = await this.#read(body.subarray(got));
        if (n !== null) got += n;
      } else {
        n = await this.#fill();
        if (n !== null) {
          this.#end += n;
          const k = Math.min(rest, this.#end - this.#start);
          body.set(this.#buf.subarray(this.#start, this.#start + k), got);
          this.#start += k;
          got += k;
        }
      }
      if (n === null) {
        throw new PeerClosedError(
          this.peer,
          `connection closed inside a frame (${got} of ${len} bytes)`,
        );
      }
    }
    return body;
  }
}
