/**
 * Deterministic pseudo-random ring tensors for the micro benchmarks (an LCG over 32-bit
 * words: fast to build, every bit exercised).
 *
 * @example
 * ```ts
 * import { randomRing } from "./bench_util.ts";
 * console.log(randomRing([2, 2], 64, 1).size); // 4
 * ```
 * @module
 */
import { type Ring, RingTensor } from "../ring.ts";

/**
 * A tensor of `shape` over Z_2^ring filled from seed `seed`.
 *
 * @example
 * ```ts
 * import { randomRing } from "./bench_util.ts";
 * console.log(randomRing([3], 32, 7).shape); // [3]
 * ```
 */
export function randomRing(shape: number[], ring: Ring, seed: number): RingTensor {
  const t = RingTensor.zeros(shape, ring);
  const w = new Uint32Array(t.data.buffer);
  let s = seed >>> 0;
  for (let i = 0; i < w.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = s;
  }
  return t;
}
