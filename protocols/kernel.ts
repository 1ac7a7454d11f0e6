/**
 * Kernels and protocol plugins. A kernel is one protocol step with a declared cost; a
 * protocol plugin (such as `semi2k`) is a named list of kernels. A context looks kernels up
 * by name (`KernelNotFoundError` otherwise), and the conformance suite holds every kernel
 * to its declared rounds and bytes on the in-memory transport.
 *
 * Costs count payload only: the runtime adds 8 bytes per message and 16 per sub-message of
 * framing (see `runtime/frame.ts`), which `ctx.stats()` reports apart.
 *
 * @example
 * ```ts
 * import type { KernelConfig } from "@sharetensor/protocols";
 * const k: KernelConfig = {
 *   name: "noop",
 *   cost: { rounds: () => 0, bytesPerParty: () => 0 },
 *   run: () => Promise.resolve(null),
 * };
 * console.log(k.name);
 * ```
 * @module
 */
import type { ContextOptions } from "@sharetensor/core/share";
import type { Op } from "./runtime/op.ts";

/**
 * What a kernel costs, as functions of the number of parties `n` and the kernel's own
 * arguments (the ones `run` gets after the op).
 */
export interface KernelCost {
  /** Communication rounds (transport exchanges) on the busiest party. */
  // deno-lint-ignore no-explicit-any
  rounds(n: number, ...args: any[]): number;
  /** Payload bytes sent by the busiest party. */
  // deno-lint-ignore no-explicit-any
  bytesPerParty(n: number, ...args: any[]): number;
}

/** One protocol step: a name (kinds in it: `mul_aa`, `and_bb`, ...), a cost, and the code. */
// deno-lint-ignore no-explicit-any
export interface KernelConfig<A extends unknown[] = any[], R = unknown> {
  /** snake_case name with the share kinds: `a` arithmetic, `b` binary, `p` public. */
  readonly name: string;
  /** Declared cost, checked by the conformance suite. */
  readonly cost: KernelCost;
  /** Runs the step for one party in the scope `op`. */
  run(op: Op, ...args: A): Promise<R>;
}

/** A protocol: a named set of kernels. */
export interface ProtocolPlugin {
  /** "semi2k", ... */
  readonly name: string;
  /** The kernels, given the context's options. */
  kernels(opts: ContextOptions): KernelConfig[];
}
