/**
 * `@sharetensor/net`: transports that implement core's `Transport` interface. For now the
 * in-memory transport (`@sharetensor/net/memory`), which runs `n` parties in one process and
 * counts bytes and rounds; the TCP mesh with secure channels comes next.
 *
 * @example
 * ```ts
 * import { memoryNetwork } from "@sharetensor/net";
 * const [t0, t1] = memoryNetwork(2);
 * console.log(t0.rank, t1.size); // 0 2
 * ```
 * @module
 */
export * from "./memory.ts";
export * from "./tcp/mod.ts";
