/**
 * Messages inside sealed frames. Every frame's plaintext is one msgpack value:
 *
 * - `[0, 0, bin]`: a whole data message. Written as a fixed 8-byte header (bin32) followed
 *   by the payload's own bytes, so the payload is never encoded element by element nor
 *   copied into a msgpack buffer, and it arrives 8-byte aligned.
 * - `[3, total, bin]`: one part of a data message of `total` bytes. A message over
 *   {@linkcode PART_BYTES} that an encrypted link sends while it does not wait for the
 *   peer (one-way traffic) travels in parts, so the receiver authenticates and decrypts
 *   part k while the sender still encrypts part k+1 (one-way latency about halves).
 *   Otherwise messages travel whole (see `SecureLink.send`): in a round where both ends
 *   send, both threads are busy sealing and opening anyway, parts would gain no overlap,
 *   and the receiver would pay a reassembly copy into a fresh buffer (page faults cost
 *   about 0.35 ms per MB on the project's VM, more than the copy).
 * - `[1, reason]`: goodbye (the peer closes the link on purpose).
 * - `[2, reason, origin]`: abort (the peer gave up because of party `origin`).
 *
 * @example
 * ```ts
 * import { dataFrames, MessageDecoder } from "./message.ts";
 * const dec = new MessageDecoder(1, 1 << 20);
 * const [frame] = dataFrames(new Uint8Array([7, 8]));
 * const m = dec.decode(new Uint8Array(frame.flatMap((p) => [...p])));
 * console.log(m); // { kind: "data", payload: Uint8Array [7, 8] }
 * ```
 * @module
 */
import { Packr } from "msgpackr";
import { FrameDecodeError } from "@sharetensor/core/errors";
import { errorText } from "./util.ts";

/** Message kinds (first element of every message). */
export const KIND = { data: 0, goodbye: 1, abort: 2, part: 3 } as const;

/** Largest part of a data message, in bytes. */
export const PART_BYTES = 1 << 20;

/**
 * Largest data message that an encrypted link sends whole in a round where it also waits
 * for the peer (larger ones travel in parts).
 */
export const WHOLE_MAX_BYTES = 32 << 20;

/** A decoded message: a whole data payload, a goodbye or an abort. */
export type Message =
  | { kind: "data"; payload: Uint8Array }
  | { kind: "goodbye"; reason: string }
  | { kind: "abort"; reason: string; origin: number };

const u32 = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const readU32 = (m: Uint8Array, o: number) =>
  ((m[o] << 24) | (m[o + 1] << 16) | (m[o + 2] << 8) | m[o + 3]) >>> 0;

/**
 * The plaintext of each frame of a data message, as pieces to seal (views of `payload`,
 * not copies): one frame for up to `partBytes` bytes, else one per part.
 *
 * @example
 * ```ts
 * import { dataFrames } from "./message.ts";
 * console.log(dataFrames(new Uint8Array(10), 4).length); // 3
 * ```
 */
export function dataFrames(payload: Uint8Array, partBytes = PART_BYTES): Uint8Array[][] {
  const n = payload.length;
  if (n <= partBytes) return [[new Uint8Array([0x93, KIND.data, 0, 0xc6, ...u32(n)]), payload]];
  const frames: Uint8Array[][] = [];
  for (let off = 0; off < n; off += partBytes) {
    const part = payload.subarray(off, Math.min(n, off + partBytes));
    frames.push([
      new Uint8Array([0x93, KIND.part, 0xce, ...u32(n), 0xc6, ...u32(part.length)]),
      part,
    ]);
  }
  return frames;
}

/**
 * Decodes the frames of one link in order, putting parts back together. Errors are
 * `FrameDecodeError` naming `peer`; a message may not claim more than `maxBytes`.
 */
export class MessageDecoder {
  readonly #peer: number;
  readonly #maxBytes: number;
  readonly #packr = new Packr({ moreTypes: true });
  #asm: Uint8Array | undefined;
  #have = 0;

  /** A decoder for frames from `peer`, refusing messages over `maxBytes`. */
  constructor(peer: number, maxBytes: number) {
    this.#peer = peer;
    this.#maxBytes = maxBytes;
  }

  #bad(detail: string, cause?: unknown): FrameDecodeError {
    return new FrameDecodeError(this.#peer, detail, cause === undefined ? undefined : { cause });
  }

  /** The message that `plain` completes, or undefined after a part that is not the last. */
  decode(m: Uint8Array): Message | undefined {
    if (m.length >= 8 && m[0] === 0x93 && m[1] === KIND.data && m[2] === 0 && m[3] === 0xc6) {
      if (readU32(m, 4) !== m.length - 8) throw this.#bad("data length does not match the frame");
      if (this.#asm) throw this.#bad("whole message inside a partial one");
      return { kind: "data", payload: m.subarray(8) };
    }
    if (m.length >= 12 && m[0] === 0x93 && m[1] === KIND.part && m[2] === 0xce && m[7] === 0xc6) {
      return this.#part(readU32(m, 3), readU32(m, 8), m.subarray(12));
    }
    let msg: unknown;
    try {
      msg = this.#packr.unpack(m);
    } catch (e) {
      throw this.#bad(`not msgpack: ${errorText(e)}`, e);
    }
    if (!Array.isArray(msg) || typeof msg[0] !== "number") {
      throw this.#bad("message is not [kind, ...]");
    }
    if (msg[0] === KIND.data && msg[2] instanceof Uint8Array && !this.#asm) {
      return { kind: "data", payload: msg[2] };
    }
    if (msg[0] === KIND.goodbye) return { kind: "goodbye", reason: String(msg[1]) };
    if (msg[0] === KIND.abort) {
      const origin = typeof msg[2] === "number" ? msg[2] : -1;
      return { kind: "abort", reason: String(msg[1]), origin };
    }
    throw this.#bad(`unexpected message kind ${msg[0]}`);
  }

  #part(total: number, len: number, bytes: Uint8Array): Message | undefined {
    if (len !== bytes.length) throw this.#bad("part length does not match the frame");
    if (!this.#asm) {
      if (total > this.#maxBytes) {
        throw this.#bad(`message of ${total} bytes exceeds the limit of ${this.#maxBytes} bytes`);
      }
      this.#asm = new Uint8Array(total);
      this.#have = 0;
    }
    if (total !== this.#asm.length || this.#have + len > total) {
      throw this.#bad(`part of ${len} bytes does not fit a message of ${this.#asm.length} bytes`);
    }
    this.#asm.set(bytes, this.#have);
    this.#have += len;
    if (this.#have < total) return undefined;
    const payload = this.#asm;
    this.#asm = undefined;
    return { kind: "data", payload };
  }
}
