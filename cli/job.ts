/**
 * What a program run by `serve` gets: a module that exports
 * `main(ctx, args, env)`, run by every party (SPMD). `ctx` is the party's context,
 * `args` the words after `--` on the command line, and `env` the
 * {@linkcode JobEnv}: logging, barriers, fresh contexts on the same links, a progress bar.
 * What `main` returns is the job's result, printed by `serve`.
 *
 * @example
 * ```ts
 * import type { JobMain } from "./job.ts";
 * export const main: JobMain = async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [2] : null, { from: 0, shape: [1] });
 *   return await (await x.mul(x)).reveal();
 * };
 * console.log(typeof main); // "function"
 * ```
 * @module
 */
import type { Context } from "@sharetensor/protocols";

/** A progress bar (a no-op where stderr is not a terminal or on parties other than 0). */
export interface Progress {
  /** Advances by `n` (default 1). */
  increment(n?: number): void;
  /** Ends the bar. */
  stop(): void;
}

/** Options of {@linkcode JobEnv.newContext}. */
export interface NewContextOptions {
  /** Record the dealer requests of this context (for {@linkcode JobEnv.newContext}'s `prefetch`). */
  record?: boolean;
  /**
   * Make the correlations of a recorded context before returning (offline), so that a
   * context running the same program again finds them ready. Give the `recorded()` of a
   * context made with `record`.
   */
  prefetch?: RecordedCalls;
}

/** The dealer calls a context made: opaque, for `prefetch`. */
export interface RecordedCalls {
  /** Number of calls. */
  readonly length: number;
}

/** A context from {@linkcode JobEnv.newContext}. */
export interface FreshContext {
  /** The context. */
  ctx: Context;
  /** The dealer calls it made so far (empty unless made with `record`). */
  recorded(): RecordedCalls;
  /** Seconds spent making prefetched correlations (0 without `prefetch`). */
  offlineSeconds: number;
}

/** What a job sees beside its context. */
export interface JobEnv {
  /** This party's rank. */
  readonly rank: number;
  /** Number of parties. */
  readonly size: number;
  /** The dealer's name ("ttp", "tfpUnsafe"). */
  readonly dealer: string;
  /** Writes a line to the party's log (prefixed with its rank). */
  log(message: string): void;
  /** Waits until every party reaches this barrier (one round, no op in flight allowed). */
  barrier(ctx: Context): Promise<void>;
  /**
   * A fresh context on the same links and dealer (op ids start over, so a program run
   * again in it makes the same dealer requests).
   */
  newContext(opts?: NewContextOptions): Promise<FreshContext>;
  /** Bytes this party wrote to its sockets so far (frames included). */
  wireBytesSent(): number;
  /** A progress bar of `total` steps. */
  progress(total: number, label: string): Progress;
}

/** The entry point of a job module. */
export type JobMain = (ctx: Context, args: string[], env: JobEnv) => Promise<unknown>;
