/**
 * Test helpers of the function library: run one function over a grid of inputs as one
 * 2-party protocol run (in-memory transport, `tfpUnsafe` dealer), and measure errors and
 * traffic against a float64 reference.
 *
 * @example
 * ```ts
 * import { grid } from "./test_util.ts";
 * console.log(grid(-1, 1, 5)); // Float64Array [-1, -0.5, 0, 0.5, 1]
 * ```
 * @module
 */
import { type Context, runParties, seedUnsafe } from "../mod.ts";
import type { SecretTensor } from "../secret_tensor.ts";

/** n evenly spaced points from lo to hi (inclusive). */
export function grid(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + (hi - lo) * i / (n - 1));
}

/** Seeded uniform draws in [lo, hi). */
export function uniform(lo: number, hi: number, n: number, seed = 1): Float64Array {
  let s = seed >>> 0 || 1;
  return Float64Array.from({ length: n }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + (hi - lo) * s / 2 ** 32;
  });
}

/** What one 2-party run of a function gives: outputs, the decoded inputs, traffic. */
export interface RunResult {
  /** Revealed outputs. */
  out: Float64Array;
  /** The inputs as encoded (decoded exactly). */
  input: Float64Array;
  /** Rounds of party 0 during the function. */
  rounds: number;
  /** Payload bytes sent by party 0 during the function. */
  bytes: number;
}

/**
 * Runs `fn` on a secret tensor of `xs` (shape `shape`, from party 0) with 2 parties.
 *
 * The run's randomness comes from `seed` (`seedUnsafe`, tests only) so that a test is
 * reproducible: with fresh randomness, 2-party local truncation is off by a huge amount
 * with probability about 2^(lx + 1 - ring) per element and truncation (see
 * `protocols/kernels/trunc_a.ts`), which 100,000-point grids through several truncations
 * at extended precision meet in a few percent of runs.
 */
export async function run2(
  xs: Float64Array,
  fn: (x: SecretTensor, ctx: Context) => Promise<SecretTensor>,
  shape: number[] = [xs.length],
  seed = 1,
): Promise<RunResult> {
  const res = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape });
    await ctx.flush();
    const s0 = ctx.stats();
    const y = await fn(x, ctx);
    await ctx.flush();
    const s1 = ctx.stats();
    const input = (await x.reveal())!;
    const out = (await y.reveal())!;
    return {
      out,
      input,
      rounds: s1.rounds - s0.rounds,
      bytes: s1.payloadBytes - s0.payloadBytes,
    };
  }, { dealer: "tfpUnsafe", seedUnsafe: seedUnsafe(seed) });
  return res[0];
}

/** Largest |out - ref(in)| / max(|ref|, floor) and where it happens. */
export function maxErr(
  r: { out: Float64Array; input: Float64Array },
  ref: (x: number) => number,
  floor = 1,
): { err: number; at: number; got: number; want: number } {
  let worst = { err: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < r.out.length; i++) {
    const want = ref(r.input[i]);
    const e = Math.abs(r.out[i] - want) / Math.max(Math.abs(want), floor);
    if (!(e <= worst.err)) worst = { err: e, at: r.input[i], got: r.out[i], want };
  }
  return worst;
}
