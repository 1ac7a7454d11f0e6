/**
 * `runParties`: runs one SPMD function as `n` parties in this process, each with its own
 * context over an in-memory network (tests, examples, benchmarks).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const sizes = await runParties(3, (ctx) => Promise.resolve(ctx.size));
 * console.log(sizes); // [3, 3, 3]
 * ```
 * @module
 */
import type { Device } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import type { Transport } from "@sharetensor/core/transport";
import { memoryNetwork, type MemoryNetworkOptions } from "@sharetensor/net/memory";
import type { Dealer } from "../dealers/dealer.ts";
import { tfpUnsafe } from "../dealers/tfp_unsafe.ts";
import { ttp } from "../dealers/ttp.ts";
import type { ProtocolPlugin } from "../kernel.ts";
import { semi2k } from "../semi2k.ts";
import { type Context, createContext, type SeedUnsafe } from "./context.ts";
import { TtpServer } from "../dealers/ttp_server.ts";

/** Options of {@linkcode runParties}. */
export interface RunPartiesOptions {
  /** Dealer: a value, or "ttp" (default) / "tfpUnsafe" for a fresh one (quiet). */
  dealer?: Dealer | "ttp" | "tfpUnsafe";
  /** Protocol (default semi2k). */
  protocol?: ProtocolPlugin;
  /** Ring size (default 64). */
  ring?: Ring;
  /** Fractional bits (default 16). */
  fracBits?: number;
  /** Device (default CPU), or one per party. */
  device?: Device | ((rank: number) => Device);
  /** Simulated network. */
  network?: MemoryNetworkOptions;
  /** Input-aware products (default true; see `CreateContextOptions.inputAware`). */
  inputAware?: boolean;
  /** Use these transports instead of a fresh in-memory network. */
  transports?: Transport[];
  /**
   * TESTS ONLY: derive every seed of the run (pairwise seeds, and the dealer's when it is
   * given by name) from this, so that the run is reproducible. Build it with `seedUnsafe`.
   */
  seedUnsafe?: SeedUnsafe;
}

/**
 * Runs `fn` on `n` parties and resolves with their results (index = rank). If a party
 * fails, the others' transports are closed so that nobody hangs, and the first error in
 * time (the cause, not the closed transports it led to) is thrown once all have settled.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 1 ? [2] : null, { from: 1, shape: [1] });
 *   return await x.reveal({ to: 0 });
 * }, { dealer: "tfpUnsafe", ring: 64, fracBits: 16 });
 * console.log(out); // [Float64Array [2], null]
 * ```
 */
export async function runParties<T>(
  n: number,
  fn: (ctx: Context) => Promise<T>,
  opts: RunPartiesOptions = {},
): Promise<T[]> {
  const transports = opts.transports ?? memoryNetwork(n, opts.network);
  const seed = opts.seedUnsafe;
  const dealer = typeof opts.dealer === "object"
    ? opts.dealer
    : opts.dealer === "tfpUnsafe"
    ? tfpUnsafe({ quiet: true, ownSeedUnsafe: seed?.derive("tfp-unsafe") })
    : seed
    ? ttp({
      server: new TtpServer(Array.from({ length: n }, (_, r) => seed.derive("ttp", r))),
    })
    : ttp();
  // The first failure in time is the cause; the others are mostly the closed transports.
  let first: { error: unknown } | undefined;
  const closeAll = () => Promise.all(transports.map((t) => t.close()));
  const settled = await Promise.allSettled(transports.map(async (transport, rank) => {
    try {
      const device = typeof opts.device === "function" ? opts.device(rank) : opts.device;
      const ctx = await createContext({
        protocol: opts.protocol ?? semi2k,
        dealer,
        transport,
        device,
        ring: opts.ring,
        fracBits: opts.fracBits,
        inputAware: opts.inputAware,
        seedUnsafe: seed,
      });
      return await fn(ctx);
    } catch (e) {
      first ??= { error: e };
      await closeAll();
      throw e;
    }
  }));
  await closeAll();
  if (first) throw first.error;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
