/**
 * Wire format of the runtime's round messages, and ring tensors as raw bytes.
 *
 * One message per peer per round: an 8-byte header (`MAGIC`, sub-message count), then for
 * each sub-message a 16-byte header (`key`, `op`, `shape` hashes and payload length, all
 * u32 little endian) and the payload. The `op` and `shape` hashes let the receiver check
 * that the sender runs the same operation on the same shapes and ring; the `key` (the hash
 * of the op's scope id and round) says which pending operation a payload belongs to.
 *
 * @example
 * ```ts
 * import { decodeMessage, encodeMessage } from "./frame.ts";
 * const m = encodeMessage([{ key: 1, op: 2, shape: 3, parts: [new Uint8Array([9])] }]);
 * console.log(decodeMessage(m, 1)[0].payload); // Uint8Array [9]
 * ```
 * @module
 */
import { FrameDecodeError } from "@sharetensor/core/errors";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { fmtShape, numel, type Shape } from "@sharetensor/core/shape";

/**
 * First word of every runtime message ("ST" protocol frame, version 1).
 *
 * @example
 * ```ts
 * import { MAGIC } from "./frame.ts";
 * console.log(MAGIC.toString(16)); // "53540001"
 * ```
 */
export const MAGIC = 0x5354_0001;
/**
 * Bytes of framing per message.
 *
 * @example
 * ```ts
 * import { MESSAGE_HEADER_BYTES } from "./frame.ts";
 * console.log(MESSAGE_HEADER_BYTES); // 8
 * ```
 */
export const MESSAGE_HEADER_BYTES = 8;
/**
 * Bytes of framing per sub-message (one op's payload to one peer in one round).
 *
 * @example
 * ```ts
 * import { SUB_HEADER_BYTES } from "./frame.ts";
 * console.log(SUB_HEADER_BYTES); // 16
 * ```
 */
export const SUB_HEADER_BYTES = 16;

/** One op's payload to one peer in one round, before encoding. */
export interface OutgoingSub {
  /** Hash of the op scope id and round. */
  key: number;
  /** Hash of the op name. */
  op: number;
  /** Hash of the operand shapes, ring and options. */
  shape: number;
  /** Payload pieces, concatenated on the wire. */
  parts: readonly Uint8Array[];
}

/** A received sub-message. */
export interface IncomingSub {
  /** Hash of the op scope id and round. */
  key: number;
  /** Hash of the op name. */
  op: number;
  /** Hash of the operand shapes. */
  shape: number;
  /** The payload (a view into the message). */
  payload: Uint8Array;
}

/**
 * 32-bit FNV-1a hash of a string (UTF-16 code units), as an unsigned number.
 *
 * @example
 * ```ts
 * import { hash32 } from "./frame.ts";
 * console.log(hash32("mul_aa") === hash32("mul_aa")); // true
 * ```
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Encodes the sub-messages for one peer into one message, in a buffer of exactly the
 * message's size from `alloc` (default: a new one; a caller may hand out a reused one).
 *
 * @example
 * ```ts
 * import { encodeMessage } from "./frame.ts";
 * console.log(encodeMessage([]).byteLength); // 8
 * ```
 */
export function encodeMessage(
  subs: readonly OutgoingSub[],
  alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
): Uint8Array {
  let total = MESSAGE_HEADER_BYTES;
  for (const s of subs) {
    total += SUB_HEADER_BYTES;
    for (const p of s.parts) total += p.byteLength;
  }
  const out = alloc(total);
  if (out.byteLength !== total) {
    throw new RangeError(`alloc gave ${out.byteLength} bytes for a message of ${total} bytes`);
  }
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, subs.length, true);
  let o = MESSAGE_HEADER_BYTES;
  for (const s of subs) {
    let len = 0;
    for (const p of s.parts) len += p.byteLength;
    dv.setUint32(o, s.key, true);
    dv.setUint32(o + 4, s.op, true);
    dv.setUint32(o + 8, s.shape, true);
    dv.setUint32(o + 12, len, true);
    o += SUB_HEADER_BYTES;
    for (const p of s.parts) {
      out.set(p, o);
      o += p.byteLength;
    }
  }
  return out;
}

/**
 * Decodes a message from `peer`; `FrameDecodeError` when it is malformed.
 *
 * @example
 * ```ts
 * import { decodeMessage, encodeMessage } from "./frame.ts";
 * console.log(decodeMessage(encodeMessage([]), 0).length); // 0
 * ```
 */
export function decodeMessage(msg: Uint8Array, peer: number): IncomingSub[] {
  if (msg.byteLength < MESSAGE_HEADER_BYTES) {
    throw new FrameDecodeError(
      peer,
      `message of ${msg.byteLength} bytes is shorter than its header`,
    );
  }
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) {
    throw new FrameDecodeError(peer, `bad magic 0x${dv.getUint32(0, true).toString(16)}`);
  }
  const count = dv.getUint32(4, true);
  const out: IncomingSub[] = [];
  let o = MESSAGE_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (o + SUB_HEADER_BYTES > msg.byteLength) {
      throw new FrameDecodeError(peer, `sub-message ${i} of ${count} runs past the end`);
    }
    const len = dv.getUint32(o + 12, true);
    const start = o + SUB_HEADER_BYTES;
    if (start + len > msg.byteLength) {
      throw new FrameDecodeError(peer, `payload of ${len} bytes runs past the end`);
    }
    out.push({
      key: dv.getUint32(o, true),
      op: dv.getUint32(o + 4, true),
      shape: dv.getUint32(o + 8, true),
      payload: msg.subarray(start, start + len),
    });
    o = start + len;
  }
  if (o !== msg.byteLength) {
    throw new FrameDecodeError(peer, `${msg.byteLength - o} trailing bytes`);
  }
  return out;
}

/**
 * The raw bytes of a ring tensor's storage (a view, no copy).
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { tensorBytes } from "./frame.ts";
 * console.log(tensorBytes(RingTensor.zeros([3], 32)).byteLength); // 12
 * ```
 */
export function tensorBytes(t: RingTensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/**
 * Bytes per element of a ring.
 *
 * @example
 * ```ts
 * import { ringBytes } from "./frame.ts";
 * console.log(ringBytes(32)); // 4
 * ```
 */
export function ringBytes(ring: Ring): number {
  return ring / 8;
}

/**
 * Splits a payload into ring tensors of the given shapes (views when aligned, copies
 * otherwise); `RangeError` naming the shapes when the size does not match.
 *
 * @example
 * ```ts
 * import { splitTensors } from "./frame.ts";
 * const [a, b] = splitTensors(new Uint8Array(12), 32, [[1], [2]]);
 * console.log(a.shape, b.shape); // [1] [2]
 * ```
 */
export function splitTensors(
  payload: Uint8Array,
  ring: Ring,
  shapes: readonly Shape[],
): RingTensor[] {
  const w = ringBytes(ring);
  const want = shapes.reduce((s, sh) => s + numel(sh) * w, 0);
  if (payload.byteLength !== want) {
    throw new RangeError(
      `payload of ${payload.byteLength} bytes does not hold Z_2^${ring} tensors ${
        shapes.map(fmtShape).join(" ")
      } (${want} bytes)`,
    );
  }
  const out: RingTensor[] = [];
  let o = 0;
  for (const sh of shapes) {
    const n = numel(sh);
    let bytes = payload.subarray(o, o + n * w);
    if ((bytes.byteOffset % w) !== 0) bytes = bytes.slice();
    const data = ring === 64
      ? new BigUint64Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    out.push(new RingTensor(ring, sh, data));
    o += n * w;
  }
  return out;
}
