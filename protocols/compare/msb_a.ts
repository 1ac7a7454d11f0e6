/**
 * `msb_a`: the most significant bit of an arithmetic share, as a binary share (bit 0).
 * Each party's share is its own XOR-shared input word; carry-save adders reduce the n
 * words to two (one AND round per level: 0 for 2 parties, 1 for 3, 2 for 4), and then
 * msb(u + v) = msb(u) ^ msb(v) ^ carry into the top bit, from a carry tree over bit planes
 * that halves its (G, P) groups every level and packs the live bits densely.
 *
 * Cost (2 parties, Z_2^64): 7 rounds and 181 ANDed bits, i.e. 2 * 181 / 8 = 45.25 bytes
 * per element (plus word padding of the planes); Z_2^32: 6 rounds, 86 bits, 21.5 bytes.
 * Z_2^64 with 3 parties: 8 rounds, 122 bytes; 4 parties: 9 rounds, 230.25 bytes.
 * For x - y this is x < y as long as |x - y| < 2^(ring-1) (raw ring values).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-1.5, 0, 2] : null, { from: 0, shape: [3] });
 *   return (await (await x.msb()).revealRing())!.toBigInts();
 * });
 * console.log(out[0]); // [1n, 0n, 0n]
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { KernelConfig } from "../kernel.ts";
import type { Op } from "../runtime/op.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { andFn, inputPlanes, scheduleBytes } from "./bit_ops.ts";
import { type Circuit, csa, drive, msbOfSum, schedule } from "./circuits.ts";
import { planeToTensor, strideOf } from "./planes.ts";

/** The circuit: n input words (one per party) to the top bit of their sum. */
export function* msbCircuit(inputs: Uint32Array[][], zero: Uint32Array): Circuit<Uint32Array> {
  const [u, v] = yield* csa(inputs, zero);
  return yield* msbOfSum(u, v);
}

/** Planes ANDed per round by {@linkcode msbCircuit} for n parties on `bits`-bit words. */
export function msbSchedule(n: number, ring: Ring, bits: number = ring): number[] {
  return schedule((z) => msbCircuit(Array.from({ length: n }, () => Array(bits).fill(z)), z));
}

/** Rounds and payload bytes of the msb of `count` elements (of the low `bits` bits). */
export function msbCost(
  n: number,
  count: number,
  ring: Ring,
  bits: number = ring,
): { rounds: number; bytes: number } {
  const s = msbSchedule(n, ring, bits);
  return { rounds: s.length, bytes: scheduleBytes(n, s, strideOf(count), ring) };
}

/**
 * The msb of `x` as this party's share of a bit plane (scope `op` to itself). With
 * `bits` < ring, bit (bits - 1) of x mod 2^bits: the sign of x when |x| < 2^(bits - 1)
 * (the shares' low bits add up to x mod 2^bits), at a fraction of the ANDs.
 */
export async function msbPlane(
  op: Op,
  x: SecretTensor,
  bits: number = x.ring,
): Promise<Uint32Array> {
  const { inputs, zero } = await inputPlanes(x, false, bits);
  const low = bits < x.ring ? inputs.map((p) => p.slice(0, bits)) : inputs;
  return await drive(msbCircuit(low, zero), andFn(op));
}

function checkBits(bits: number, ring: number): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > ring) {
    throw new RangeError(`msb: bits must be an integer in [2, ${ring}], got ${bits}`);
  }
  return bits;
}

/**
 * The kernel: `run(op, x, bits = ring)` -> binary share of msb(x) (bit 0); with `bits`, the
 * sign of x for |x| < 2^(bits - 1) (see {@linkcode msbPlane}).
 */
export const msbA: KernelConfig<[SecretTensor, number?], SecretTensor> = {
  name: "msb_a",
  cost: {
    rounds: (n: number, x: SecretTensor, bits?: number) =>
      msbCost(n, x.size, x.ring, bits ?? x.ring).rounds,
    bytesPerParty: (n: number, x: SecretTensor, bits?: number) =>
      msbCost(n, x.size, x.ring, bits ?? x.ring).bytes,
  },
  async run(op, x, bits) {
    x.need("arithmetic", "msb");
    const plane = await msbPlane(op, x, checkBits(bits ?? x.ring, x.ring));
    const { ctx } = op;
    return new SecretTensor(
      ctx,
      "binary",
      ctx.device.upload(planeToTensor(plane, ctx.ring, x.shape)),
      0,
    );
  },
};
