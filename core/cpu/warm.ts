/**
 * JIT warm-up of the Z_2^64 BigInt loops. V8 compiles `o[i] = BigInt.asUintN(64, a[i] * b[i])`
 * over `BigUint64Array`s to native 64-bit code only in its top tier (TurboFan); a loop that
 * is called a few times on large arrays is entered through on-stack replacement in the
 * mid tier (Maglev), which allocates a BigInt per element: on the dev VM one 1M-element
 * call then takes 100-500 ms instead of ~2 ms, at random. Calling the loop on a small array
 * until a batch of calls runs at optimised speed (~10 batches; ~20 ms once per loop and
 * process, more while the background compiler waits for a core) avoids that.
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

/** Calls of a loop per timed batch of its warm-up. */
export const WARM_CALLS = 20;
/** A warm-up batch this fast (ms) means the loop runs optimised code (~2 ns/element). */
const FAST_MS = 0.05;
/** The warm-up gives up after this long (ms): a loaded machine may compile slowly. */
const MAX_MS = 300;
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
 * Calls `call` (one loop call on {@linkcode WARM_SIZE} elements) in batches of
 * {@linkcode WARM_CALLS} until a batch takes under 0.05 ms twice in a row (optimised code
 * is installed), or 300 ms have passed.
 *
 * @example
 * ```ts
 * import { warmLoop } from "./warm.ts";
 * let calls = 0;
 * warmLoop(() => calls++);
 * console.log(calls >= 40); // true
 * ```
 */
export function warmLoop(call: () => void): void {
  const t0 = performance.now();
  let fast = 0;
  while (fast < 2) {
    const s = performance.now();
    for (let k = 0; k < WARM_CALLS; k++) call();
    const now = performance.now();
    fast = now - s < FAST_MS ? fast + 1 : 0;
    if (now - t0 > MAX_MS) return;
  }
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
