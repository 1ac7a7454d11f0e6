/**
 * Opening shares inside a kernel: to every party (one round, each party sends its shares to
 * every peer) or to one party (the others send, it receives). Additive shares are summed,
 * XOR shares xored, on the context's device.
 *
 * @example
 * ```ts
 * import type { Op } from "./op.ts";
 * import type { RingBuffer } from "@sharetensor/core/device";
 * import { openAll } from "./open.ts";
 * async function open(op: Op, share: RingBuffer) {
 *   return (await openAll(op, [share], "arithmetic"))[0];
 * }
 * console.log(typeof open);
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import type { Shape } from "@sharetensor/core/shape";
import type { Op } from "./op.ts";
import { splitTensors } from "./frame.ts";
import { adopt } from "./host.ts";
import { shapeHash } from "./shapes.ts";

/** Additive or XOR sharing. */
export type Sharing = "arithmetic" | "binary";

/**
 * Ranks of every party but `rank`.
 *
 * @example
 * ```ts
 * import { peersOf } from "@sharetensor/protocols";
 * console.log(peersOf(1, 3)); // [0, 2]
 * ```
 */
export function peersOf(rank: number, size: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < size; p++) if (p !== rank) out.push(p);
  return out;
}

function combineInto(
  op: Op,
  acc: RingBuffer[],
  payload: Uint8Array,
  sharing: Sharing,
): RingBuffer[] {
  const { device, ring } = op.ctx;
  const shapes: Shape[] = acc.map((b) => b.shape);
  const got = splitTensors(payload, ring, shapes).map((t) => adopt(device, t));
  return acc.map((a, i) => sharing === "binary" ? device.xor(a, got[i]) : device.add(a, got[i]));
}

/**
 * Opens `shares` to every party in one round; resolves with the full values.
 * `extra` goes into the header hash (op options that must agree).
 *
 * @example
 * ```ts
 * import { openAll, type Op } from "@sharetensor/protocols";
 * const open = (op: Op, x: { buf: Parameters<typeof openAll>[1][0] }) => openAll(op, [x.buf], "arithmetic");
 * console.log(typeof open);
 * ```
 */
export async function openAll(
  op: Op,
  shares: readonly RingBuffer[],
  sharing: Sharing,
  extra = "",
): Promise<RingBuffer[]> {
  const { rank, size, ring } = op.ctx;
  const peers = peersOf(rank, size);
  const round = op.round(); // before the download: keys in issue order
  const parts = await op.bytesOf(shares);
  const got = await round.exchange(
    new Map(peers.map((p) => [p, parts])),
    peers,
    shapeHash(ring, shares.map((s) => s.shape), `${sharing}|${extra}`),
  );
  let acc = [...shares];
  for (const p of peers) acc = combineInto(op, acc, got.get(p)!, sharing);
  return acc;
}

/**
 * Opens `shares` to party `to` only: resolves with the full values there, null elsewhere.
 *
 * @example
 * ```ts
 * import { openTo, type Op } from "@sharetensor/protocols";
 * const toZero = (op: Op, b: Parameters<typeof openTo>[1][0]) => openTo(op, [b], 0, "binary");
 * console.log(typeof toZero);
 * ```
 */
export async function openTo(
  op: Op,
  shares: readonly RingBuffer[],
  to: number,
  sharing: Sharing,
  extra = "",
): Promise<RingBuffer[] | null> {
  const { rank, size, ring } = op.ctx;
  const hash = shapeHash(ring, shares.map((s) => s.shape), `${sharing}|to${to}|${extra}`);
  const round = op.round(); // before the download: keys in issue order
  if (rank !== to) {
    const parts = await op.bytesOf(shares);
    await round.exchange(new Map([[to, parts]]), [], hash);
    return null;
  }
  const peers = peersOf(rank, size);
  const got = await round.exchange(new Map(), peers, hash);
  let acc = [...shares];
  for (const p of peers) acc = combineInto(op, acc, got.get(p)!, sharing);
  return acc;
}
