/**
 * The messages between a party and the networked TTP (`cli/main.ts ttp`), over one
 * secure link per party. Every message is msgpack; the TTP answers each request on a link
 * in order, so a client matches answers to requests first-in first-out.
 *
 * - `["hello", session]` from every party: the TTP answers `["seed", session, seed]`,
 *   the party's 32-byte seed of that session (one session per context; a job may make
 *   several contexts on one mesh).
 * - `["req", session, request]` from party 0 only: the TTP answers
 *   `["cor", session, tensors]`, party 0's corrections, or `["err", session, message]`.
 *
 * @example
 * ```ts
 * import { decodeTensors, encodeTensors } from "./ttp_wire.ts";
 * import { RingTensor } from "@sharetensor/core/ring";
 * const t = RingTensor.fromBigInts([1n, 2n], [2]);
 * console.log(decodeTensors(encodeTensors([t]))[0].data); // BigUint64Array [1n, 2n]
 * ```
 * @module
 */
import { Packr } from "msgpackr";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import type { CorrelationRequest } from "@sharetensor/protocols";

/** A tensor on the wire: ring, shape and the raw little-endian bytes of the storage. */
export type WireTensor = [ring: Ring, shape: number[], bytes: Uint8Array];

/** A message of the TTP protocol. */
export type TtpMessage =
  | ["hello", number]
  | ["seed", number, Uint8Array]
  | ["req", number, CorrelationRequest]
  | ["cor", number, WireTensor[]]
  | ["err", number, string];

/**
 * Packs a message (a fresh buffer each time: links may hold it until written).
 *
 * @example
 * ```ts
 * import { packMessage, unpackMessage } from "./ttp_wire.ts";
 * console.log(unpackMessage(packMessage(["hello", 3]))); // ["hello", 3]
 * ```
 */
export function packMessage(msg: TtpMessage): Uint8Array {
  return new Packr({ moreTypes: true }).pack(msg).slice();
}

/**
 * Unpacks and checks the shape of a message; `TypeError` on anything else.
 *
 * @example
 * ```ts
 * import { packMessage, unpackMessage } from "./ttp_wire.ts";
 * console.log(unpackMessage(packMessage(["err", 0, "x"]))[0]); // "err"
 * ```
 */
export function unpackMessage(bytes: Uint8Array): TtpMessage {
  const m = new Packr({ moreTypes: true }).unpack(bytes);
  const kinds = ["hello", "seed", "req", "cor", "err"];
  if (!Array.isArray(m) || !kinds.includes(m[0]) || typeof m[1] !== "number") {
    throw new TypeError(`not a TTP message: ${JSON.stringify(m)?.slice(0, 80)}`);
  }
  return m as TtpMessage;
}

/**
 * Ring tensors to their wire form (the bytes are views, not copies).
 *
 * @example
 * ```ts
 * import { encodeTensors } from "./ttp_wire.ts";
 * import { RingTensor } from "@sharetensor/core/ring";
 * console.log(encodeTensors([RingTensor.zeros([3], 32)])[0][2].length); // 12
 * ```
 */
export function encodeTensors(ts: readonly RingTensor[]): WireTensor[] {
  return ts.map((t) => [
    t.ring,
    [...t.shape],
    new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  ]);
}

/**
 * Wire tensors back to ring tensors (copied into aligned storage); `TypeError` when a
 * byte count does not fit its shape.
 *
 * @example
 * ```ts
 * import { decodeTensors, encodeTensors } from "./ttp_wire.ts";
 * import { RingTensor } from "@sharetensor/core/ring";
 * console.log(decodeTensors(encodeTensors([RingTensor.zeros([2, 2])]))[0].shape); // [2, 2]
 * ```
 */
export function decodeTensors(ws: readonly WireTensor[]): RingTensor[] {
  return ws.map(([ring, shape, bytes]) => {
    const width = ring === 64 ? 8 : 4;
    if (bytes.length % width !== 0) {
      throw new TypeError(`a ring-${ring} tensor cannot have ${bytes.length} bytes`);
    }
    const buf = new ArrayBuffer(bytes.length);
    new Uint8Array(buf).set(bytes);
    const data = ring === 64 ? new BigUint64Array(buf) : new Uint32Array(buf);
    return new RingTensor(ring, shape, data);
  });
}
