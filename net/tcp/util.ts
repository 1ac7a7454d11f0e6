/**
 * Small async helpers of the TCP transport: a timeout race and an abortable sleep, both
 * clearing their timers so Deno's test sanitizers see no leaks.
 *
 * @example
 * ```ts
 * import { withTimeout } from "./util.ts";
 * console.log(await withTimeout(Promise.resolve(1), 100, () => new Error("late"))); // 1
 * ```
 * @module
 */

/**
 * Resolves like `p`, or rejects with `onTimeout()` after `ms` milliseconds (the timer is
 * cleared either way; `p` keeps running).
 *
 * @example
 * ```ts
 * import { withTimeout } from "./util.ts";
 * const slow = new Promise<number>((r) => setTimeout(() => r(1), 50));
 * await withTimeout(slow, 1, () => new Error("late")).catch((e) => console.log(e.message));
 * await slow;
 * ```
 */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Sleeps `ms` milliseconds; resolves early (with false) when `signal` aborts.
 *
 * @example
 * ```ts
 * import { sleep } from "./util.ts";
 * console.log(await sleep(1)); // true
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Message of an unknown thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
