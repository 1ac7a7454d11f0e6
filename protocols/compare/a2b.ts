/**
 * `a2b`: arithmetic to binary (XOR) sharing of the whole ring word. Each party's share is
 * its own XOR-shared input; carry-save adders reduce the n words to two, and a Sklansky
 * parallel-prefix adder over bit planes adds them (packed: every AND round is one
 * `and_bb` over exactly the planes it needs).
 *
 * Cost (2 parties): Z_2^64 7 rounds, 373 ANDed bits = 93.25 bytes per element; Z_2^32
 * 6 rounds, 151 bits = 37.75 bytes. Each extra level of carry-save adders (n = 3: 1, n = 4:
 * 2) adds a round and ring - 1 bits per adder.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-1n, 5n] : null, { from: 0, shape: [2] });
 *   return (await (await x.toBinary()).revealRing())!.toBigInts(true);
 * });
 * console.log(out[0]); // [-1n, 5n]
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { KernelConfig } from "../kernel.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { andFn, inputPlanes, scheduleBytes } from "./bit_ops.ts";
import { addPlanes, type Circuit, csa, drive, schedule } from "./circuits.ts";
import { fromPlanes, strideOf } from "./planes.ts";

/** The circuit: n input words to the planes of their sum. */
export function* a2bCircuit(inputs: Uint32Array[][], zero: Uint32Array): Circuit<Uint32Array[]> {
  const [u, v] = yield* csa(inputs, zero);
  return yield* addPlanes(u, v);
}

/** Rounds and payload bytes of the A2B of `count` elements (of the low `bits` bits). */
export function a2bCost(
  n: number,
  count: number,
  ring: Ring,
  bits: number = ring,
): { rounds: number; bytes: number } {
  const s = schedule((z) => a2bCircuit(Array.from({ length: n }, () => Array(bits).fill(z)), z));
  return { rounds: s.length, bytes: scheduleBytes(n, s, strideOf(count), ring) };
}

/**
 * The kernel: `run(op, x, bits = ring)` -> binary share of the ring word of x. With
 * `bits` < ring, only x mod 2^bits is added up (the shares' low bits) and bit bits - 1 is
 * copied upwards: the word of x whenever |x| < 2^(bits - 1), for a fraction of the ANDs.
 */
export const a2b: KernelConfig<[SecretTensor, number?], SecretTensor> = {
  name: "a2b",
  cost: {
    rounds: (n: number, x: SecretTensor, bits?: number) =>
      a2bCost(n, x.size, x.ring, bits ?? x.ring).rounds,
    bytesPerParty: (n: number, x: SecretTensor, bits?: number) =>
      a2bCost(n, x.size, x.ring, bits ?? x.ring).bytes,
  },
  async run(op, x, bits) {
    x.need("arithmetic", "toBinary");
    const w = bits ?? x.ring;
    if (!Number.isInteger(w) || w < 2 || w > x.ring) {
      throw new RangeError(`toBinary: bits must be an integer in [2, ${x.ring}], got ${w}`);
    }
    const { inputs, zero } = await inputPlanes(x, false, w);
    const low = w < x.ring ? inputs.map((p) => p.slice(0, w)) : inputs;
    const planes = await drive(a2bCircuit(low, zero), andFn(op));
    while (planes.length < x.ring) planes.push(planes[w - 1]);
    const { ctx } = op;
    return new SecretTensor(
      ctx,
      "binary",
      ctx.device.upload(fromPlanes(planes, ctx.ring, x.shape)),
      0,
    );
  },
};
