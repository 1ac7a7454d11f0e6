/**
 * `ttp()`: a trusted third party that hands each party a seed and party 0, per request,
 * the corrections ({@linkcode TtpServer}). No computing party learns a triple. Here the
 * server runs in-process (one server per computation: the k-th `connect` of each rank
 * joins session k); the networked TTP of the CLI serves the same `TtpServer` over a socket.
 *
 * @example
 * ```ts
 * import { runParties, ttp } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1.5] : null, { from: 0, shape: [1] });
 *   return await (await x.mul(x)).reveal();
 * }, { dealer: ttp() });
 * console.log(out[0]); // Float64Array [2.25]
 * ```
 * @module
 */
import type { Dealer, DealerConnectInfo, DealerSession } from "./dealer.ts";
import { SeededSession } from "./seeded_session.ts";
import { TtpServer } from "./ttp_server.ts";

/** Options of {@linkcode ttp}. */
export interface TtpOptions {
  /** Use this server (e.g. with fixed seeds in a test) instead of fresh ones per session. */
  server?: TtpServer;
}

/**
 * An in-process trusted-third-party dealer.
 *
 * @example
 * ```ts
 * import { ttp } from "@sharetensor/protocols";
 * console.log(ttp().name); // "ttp"
 * ```
 */
export function ttp(opts: TtpOptions = {}): Dealer {
  const sessions: TtpServer[] = [];
  const joined = new Map<number, number>();
  return {
    name: "ttp",
    connect(info: DealerConnectInfo): Promise<DealerSession> {
      const k = joined.get(info.rank) ?? 0;
      joined.set(info.rank, k + 1);
      if (!sessions[k]) sessions[k] = opts.server ?? TtpServer.random(info.size);
      const server = sessions[k];
      if (server.size !== info.size) {
        return Promise.reject(
          new RangeError(`the TTP serves ${server.size} parties, but a context has ${info.size}`),
        );
      }
      const fetch = (req: Parameters<TtpServer["corrections"]>[0]) =>
        Promise.resolve(server.corrections(req));
      return Promise.resolve(
        new SeededSession(server.seedFor(info.rank), info.rank, info.device, fetch),
      );
    },
  };
}
