/**
 * JIT warm-up of the Z_2^64 BigInt loops. V8 compiles `o[i] = BigInt.asUintN(64, a[i] * b[i])`
 * over `BigUint64Array`s to native 64-bit code only in its top tier (TurboFan); a loop that
 * is called a few times on large arrays is entered through on-stack replacement in the
 * mid tier (Maglev), which allocates a BigInt per element: on the dev VM one 1M-element
 * call then takes 100-500 ms instead of ~2 ms, at random. Calling the loop ~200 times on a
 * small array first gets the function itself optimised (~20 ms, once per loop and process).
 *
 * The memo of warmed loops is the only module state; it changes timing, never results.
 *
 * @example
 * ```ts
 * import { warmOnce } from "./warm.ts";
 * const loop = (o: BigUint64Array, n: number) => { for (let i = 0; i < n; i++) o[i] = 1n; };
 * warmOnce(loop, () => loop(new BigUint64Array(8), 8));
 * ```
 * @module
 */

const warmed = new WeakSet<object>();

/** Calls of a loop in its warm-up. */
export const WARM_CALLS = 200;
/** Elements per warm-up call. */
export const WARM_SIZE = 256;

/**
 * Runs `warm` the first time `loop` is seen (by identity), never again.
 *
 * @example
 * ```ts
 * import { warmOnce } from "./warm.ts";
 * let n = 0;
 * const f = () => {};
 * warmOnce(f, () => n++);
 * warmOnce(f, () => n++);
 * console.log(n); // 1
 * ```
 */
export function warmOnce(loop: object, warm: () => void): void {
  if (warmed.has(loop)) return;
  warmed.add(loop);
  warm();
}

/**
 * Small `BigUint64Array` operands for warm-ups (fresh each time: nothing is shared).
 *
 * @example
 * ```ts
 * import { warmArrays } from "./warm.ts";
 * console.log(warmArrays(3)[2].length); // 256
 * ```
 */
export function warmArrays(count: number): BigUint64Array[] {
  return Array.from({ length: count }, (_, k) => {
    const a = new BigUint64Array(WARM_SIZE);
    for (let i = 0; i < WARM_SIZE; i++) a[i] = BigInt(i + k) * 0x9e37_79b9_7f4a_7c15n; // wraps
    return a;
  });
}
