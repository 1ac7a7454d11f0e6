/**
 * Zero test of an arithmetic share without a full A2B. For 2 parties, x0 + x1 = 0 iff
 * x0 = -x1, so w = x0 ^ (-x1) is a free XOR sharing and x = 0 iff every bit of ~w is 1:
 * an AND tree over the bit planes (64 -> 32 -> ... -> 1: 63 ANDed bits, 6 rounds, 15.75
 * bytes per element at Z_2^64). For n parties, the first n - 1 words a, b (after carry-save
 * reduction) must add up to c = -x_{n-1}: with t = a ^ b ^ c the carry-in vector that
 * makes a + b = c, that holds iff t = maj(a, b, t) << 1 (one more AND round).
 *
 * @example
 * ```ts
 * import { eqzSchedule } from "./eqz_a.ts";
 * console.log(eqzSchedule(2, 64)); // [32, 16, 8, 4, 2, 1]
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { Op } from "../runtime/op.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { andFn, inputPlanes, scheduleBytes } from "./bit_ops.ts";
import { allOnes, type Circuit, csa, drive, schedule } from "./circuits.ts";
import { notPlane, strideOf, xorPlane } from "./planes.ts";

/**
 * The circuit: `inputs` are the parties' words with the last one negated; `flip` is true
 * on party 0 (it applies public NOTs); `count` elements. Resolves with [x == 0].
 */
export function* eqzCircuit(
  inputs: Uint32Array[][],
  zero: Uint32Array,
  flip: boolean,
  count: number,
): Circuit<Uint32Array> {
  const c = inputs[inputs.length - 1];
  const rest = inputs.slice(0, -1);
  const k = c.length;
  let w: Uint32Array[];
  if (rest.length === 1) {
    w = rest[0].map((p, i) => xorPlane(p, c[i]));
  } else {
    const [a, b] = yield* csa(rest, zero);
    const t = a.map((p, i) => xorPlane(xorPlane(p, b[i]), c[i]));
    const got = yield [
      a.slice(0, k - 1).map((p, i) => xorPlane(p, t[i])),
      b.slice(0, k - 1).map((p, i) => xorPlane(p, t[i])),
    ];
    // maj(a, b, t)_i = ((a ^ t) & (b ^ t)) ^ t; w = t ^ (maj << 1)
    w = t.map((p, i) => i === 0 ? p : xorPlane(p, xorPlane(got[i - 1], t[i - 1])));
  }
  return yield* allOnes(flip ? w.map((p) => notPlane(p, count)) : w);
}

/** Planes ANDed per round by {@linkcode eqzCircuit} for n parties. */
export function eqzSchedule(n: number, ring: Ring): number[] {
  return schedule((z) =>
    eqzCircuit(Array.from({ length: n }, () => Array(ring).fill(z)), z, false, 1)
  );
}

/** Rounds and payload bytes of the zero test of `count` elements. */
export function eqzCost(n: number, count: number, ring: Ring): { rounds: number; bytes: number } {
  const s = eqzSchedule(n, ring);
  return { rounds: s.length, bytes: scheduleBytes(n, s, strideOf(count), ring) };
}

/** [x == 0] as this party's share of a bit plane (scope `op` to itself). */
export async function eqzPlane(op: Op, x: SecretTensor): Promise<Uint32Array> {
  const { inputs, zero } = await inputPlanes(x, true);
  return await drive(eqzCircuit(inputs, zero, op.ctx.rank === 0, x.size), andFn(op));
}
