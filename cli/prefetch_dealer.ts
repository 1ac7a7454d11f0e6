/**
 * A dealer wrapper that records the correlations a context asks for, and makes them ahead
 * of time for a fresh context that runs the same program again (same op ids, so the
 * same keys). The benchmark uses it to time the online phase alone, as CrypTen's figures
 * are: correlations are generated before the timer.
 *
 * @example
 * ```ts
 * import { runParties, ttp } from "@sharetensor/protocols";
 * import { prefetchingDealer } from "./prefetch_dealer.ts";
 * const d = prefetchingDealer(ttp());
 * console.log(d.name); // "ttp"
 * ```
 * @module
 */
import type { Dealer, DealerConnectInfo, DealerSession } from "@sharetensor/protocols";
import type { RecordedCalls } from "./job.ts";

type Method = Exclude<keyof DealerSession, never>;

/** One dealer call: the method and its arguments (the first is the key). */
export interface DealerCall {
  /** Session method. */
  method: Method;
  /** Its arguments. */
  args: unknown[];
}

/** Calls recorded from one session. */
export class CallLog implements RecordedCalls {
  /** The calls, in order. */
  readonly calls: DealerCall[] = [];
  /** Number of calls. */
  get length(): number {
    return this.calls.length;
  }
}

const METHODS: Method[] = [
  "mulTriple",
  "squarePair",
  "matmulTriple",
  "ownedTriple",
  "convTriple",
  "andTriple",
  "randBits",
  "truncPair",
];

/** Options of one {@linkcode PrefetchingDealer.connect}. */
export interface PrefetchPlan {
  /** Record the calls of this session into this log. */
  record?: CallLog;
  /** Make these calls first; the session then answers them from memory. */
  prefetch?: CallLog;
  /** Set to the seconds the prefetch took. */
  onOffline?: (seconds: number) => void;
}

/** A dealer whose next session can record or prefetch. */
export interface PrefetchingDealer extends Dealer {
  /** Sets what the next `connect` does (reset after it). */
  plan(p: PrefetchPlan): void;
}

/**
 * Wraps `inner`: sessions pass every call through, except that they record calls and
 * answer prefetched ones from memory when planned so.
 *
 * @example
 * ```ts
 * import { tfpUnsafe } from "@sharetensor/protocols";
 * import { prefetchingDealer } from "./prefetch_dealer.ts";
 * console.log(typeof prefetchingDealer(tfpUnsafe({ quiet: true })).plan); // "function"
 * ```
 */
export function prefetchingDealer(inner: Dealer): PrefetchingDealer {
  let next: PrefetchPlan = {};
  return {
    name: inner.name,
    plan(p: PrefetchPlan) {
      next = p;
    },
    async connect(info: DealerConnectInfo): Promise<DealerSession> {
      const plan = next;
      next = {};
      const session = await inner.connect(info);
      const ready = new Map<string, Promise<unknown>>();
      if (plan.prefetch) {
        const t0 = performance.now();
        const fn = session as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        for (const c of plan.prefetch.calls) {
          ready.set(`${c.method}\u0000${c.args[0]}`, fn[c.method](...c.args));
        }
        await Promise.all(ready.values());
        plan.onOffline?.((performance.now() - t0) / 1000);
      }
      const wrapped: Record<string, unknown> = {};
      for (const m of METHODS) {
        wrapped[m] = (...args: unknown[]) => {
          const id = `${m}\u0000${args[0]}`;
          const hit = ready.get(id);
          if (hit) {
            ready.delete(id);
            return hit;
          }
          plan.record?.calls.push({ method: m, args });
          return (session[m] as (...a: unknown[]) => Promise<unknown>).apply(session, args);
        };
      }
      return wrapped as unknown as DealerSession;
    },
  };
}
