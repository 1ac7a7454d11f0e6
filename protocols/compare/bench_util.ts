/**
 * Bench helpers: two in-memory parties in this process (one thread for both, so a time is
 * the two parties' work added up), with the dealer's time measured apart (the `tfpUnsafe`
 * dealer makes its material lazily, inside the timed run; the workloads' rule counts it as
 * offline), and each party's payload bytes and rounds.
 *
 * @example
 * ```ts
 * import { twoParties } from "./bench_util.ts";
 * const p = await twoParties();
 * console.log(p.ctxs.length); // 2
 * ```
 * @module
 */
import { memoryNetwork } from "@sharetensor/net/memory";
import { type Context, createContext } from "../runtime/context.ts";
import { tfpUnsafe } from "../dealers/tfp_unsafe.ts";
import { semi2k } from "../semi2k.ts";

/** Two parties and a clock on their dealer sessions. */
export interface Parties {
  /** The contexts (rank 0 and 1). */
  ctxs: Context[];
  /** Milliseconds spent in dealer calls since the last `reset`. */
  dealerMs(): number;
  /** Resets the dealer clock. */
  reset(): void;
}

/** The dealer session's methods that make correlated randomness. */
const DEALER_METHODS = [
  "mulTriple",
  "andTriple",
  "randBits",
  "truncPair",
  "squarePair",
  "matmulTriple",
  "ownedTriple",
  "convTriple",
] as const;

/**
 * Runs every call `ctx` makes to its dealer session through `around` (to time it: with
 * `tfpUnsafe` the dealer's work happens synchronously inside the call).
 *
 * @example
 * ```ts
 * import { twoParties, wrapDealerCalls } from "./bench_util.ts";
 * const p = await twoParties();
 * wrapDealerCalls(p.ctxs[0], (call) => call());
 * ```
 */
export function wrapDealerCalls(ctx: Context, around: (call: () => unknown) => unknown): void {
  const s = ctx.dealer as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const m of DEALER_METHODS) {
    const f = s[m].bind(s);
    s[m] = (...a: unknown[]) => around(() => f(...a));
  }
}

/** Sets up two parties with a `tfpUnsafe` dealer and times its calls. */
export async function twoParties(): Promise<Parties> {
  const dealer = tfpUnsafe({ quiet: true });
  const ctxs = await Promise.all(
    memoryNetwork(2).map((transport) => createContext({ protocol: semi2k, dealer, transport })),
  );
  let ms = 0;
  for (const c of ctxs) {
    wrapDealerCalls(c, (call) => {
      const t = performance.now();
      const r = call();
      ms += performance.now() - t;
      return r;
    });
  }
  return { ctxs, dealerMs: () => ms, reset: () => (ms = 0) };
}

/** Runs `fn` on both parties; resolves with the time, dealer time and party 0's traffic. */
export async function timed(
  p: Parties,
  fn: (ctx: Context, rank: number) => Promise<unknown>,
): Promise<{ ms: number; dealerMs: number; mb: number; rounds: number }> {
  await Promise.all(p.ctxs.map((c) => c.flush()));
  const s0 = p.ctxs[0].stats();
  p.reset();
  const t0 = performance.now();
  await Promise.all(p.ctxs.map((c, i) => fn(c, i)));
  const ms = performance.now() - t0;
  await p.ctxs[0].flush();
  const s1 = p.ctxs[0].stats();
  return {
    ms,
    dealerMs: p.dealerMs(),
    mb: (s1.payloadBytes - s0.payloadBytes) / 1e6,
    rounds: s1.rounds - s0.rounds,
  };
}
