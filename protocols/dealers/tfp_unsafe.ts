/**
 * `tfpUnsafe()`: party 0 is the dealer ("trusted first party"). It runs a
 * {@linkcode TtpServer} locally, with each other party's seed derived from the pairwise seed
 * it already shares with that party, so no extra message is needed. Party 0 can therefore
 * reconstruct every triple and decrypt all data: for tests and benchmarks only. Warns once
 * (per dealer value) through `console.warn` when used.
 *
 * @example
 * ```ts
 * import { runParties, tfpUnsafe } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 1 ? [3] : null, { from: 1, shape: [1] });
 *   return await x.mulPublic(2).reveal();
 * }, { dealer: tfpUnsafe() });
 * console.log(out[1]); // Float64Array [6]
 * ```
 * @module
 */
import { Prg } from "@sharetensor/core/prg";
import type { Dealer, DealerConnectInfo, DealerSession } from "./dealer.ts";
import { SeededSession } from "./seeded_session.ts";
import { TtpServer } from "./ttp_server.ts";

const LABEL = "sharetensor/tfp-unsafe/seed";

/** Options of {@linkcode tfpUnsafe}. */
export interface TfpUnsafeOptions {
  /** Do not warn (tests that check the warning elsewhere). Default false. */
  quiet?: boolean;
  /**
   * TESTS ONLY: party 0's own seed (32 bytes) instead of a fresh one, so that runs are
   * reproducible (see `seedUnsafe`).
   */
  ownSeedUnsafe?: Uint8Array;
}

/**
 * A dealer where party 0 generates everything (insecure: test and bench only).
 *
 * @example
 * ```ts
 * import { tfpUnsafe } from "@sharetensor/protocols";
 * console.log(tfpUnsafe({ quiet: true }).name); // "tfpUnsafe"
 * ```
 */
export function tfpUnsafe(opts: TfpUnsafeOptions = {}): Dealer {
  let warned = opts.quiet ?? false;
  return {
    name: "tfpUnsafe",
    connect(info: DealerConnectInfo): Promise<DealerSession> {
      if (!warned) {
        warned = true;
        console.warn(
          "sharetensor: the tfpUnsafe dealer lets party 0 see every secret; use it for tests and benchmarks only",
        );
      }
      const seedOf = (peer: number) =>
        new Prg(new Uint8Array(info.pairSeeds.get(peer)!)).fork(LABEL).seed;
      if (info.rank !== 0) {
        return Promise.resolve(new SeededSession(seedOf(0), info.rank, info.device));
      }
      const own = opts.ownSeedUnsafe
        ? new Uint8Array(opts.ownSeedUnsafe)
        : crypto.getRandomValues(new Uint8Array(32));
      const seeds: Uint8Array[] = [own];
      for (let p = 1; p < info.size; p++) seeds.push(seedOf(p));
      const server = new TtpServer(seeds);
      return Promise.resolve(
        new SeededSession(own, 0, info.device, (req) => Promise.resolve(server.corrections(req))),
      );
    },
  };
}
