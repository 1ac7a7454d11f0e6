/**
 * Seeded inputs for jobs and benchmarks: the same seed gives the same numbers in every
 * process (mulberry32 stream; normals by Box-Muller), so a party and a test's plaintext
 * reference agree on the data without sending it.
 *
 * @example
 * ```ts
 * import { uniform } from "./inputs.ts";
 * console.log(uniform(1, 3, -4, 4).length); // 3
 * ```
 * @module
 */

function stream(seed: number): () => number {
  let s = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` draws from U[lo, hi) for `seed`.
 *
 * @example
 * ```ts
 * import { uniform } from "./inputs.ts";
 * console.log(uniform(7, 4, 0, 1).every((v) => v >= 0 && v < 1)); // true
 * ```
 */
export function uniform(seed: number, n: number, lo: number, hi: number): Float64Array {
  const next = stream(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/**
 * `n` draws from N(mean, std^2) for `seed`.
 *
 * @example
 * ```ts
 * import { normal } from "./inputs.ts";
 * console.log(normal(3, 5).length); // 5
 * ```
 */
export function normal(seed: number, n: number, mean = 0, std = 1): Float64Array {
  const next = stream(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - next();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    const a = 2 * Math.PI * next();
    out[i] = mean + r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(a);
  }
  return out;
}

/**
 * Reads `--name value` (or `--name=value`) from job arguments as a number, or `fallback`.
 * `RangeError` when the value is not a number.
 *
 * @example
 * ```ts
 * import { numberArg } from "./inputs.ts";
 * console.log(numberArg(["--size", "8"], "size", 1000)); // 8
 * ```
 */
export function numberArg(args: readonly string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    let text: string | undefined;
    if (args[i] === flag) text = args[i + 1];
    else if (args[i].startsWith(flag + "=")) text = args[i].slice(flag.length + 1);
    else continue;
    const v = Number(text);
    if (text === undefined || text === "" || !Number.isFinite(v)) {
      throw new RangeError(`job argument ${flag} must be a number, got ${JSON.stringify(text)}`);
    }
    return v;
  }
  return fallback;
}
