/**
 * Test helpers for the comparison kernels: run a kernel alone and hold each party's
 * counted rounds and payload bytes to its declared cost (the busiest party exactly, none
 * above), as the conformance suite does.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { measured } from "./testing.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-1] : null, { from: 0, shape: [1] });
 *   return await measured(ctx, "msb_a", x);
 * });
 * console.log(out[0].rounds); // 7
 * ```
 * @module
 */
import assert from "node:assert/strict";
import type { Context } from "../runtime/context.ts";

/** A kernel's result with this party's traffic and the declared cost. */
export interface Measured<T> {
  /** The kernel's result. */
  value: T;
  /** Rounds counted on this party. */
  rounds: number;
  /** Payload bytes sent by this party. */
  payload: number;
  /** Declared rounds. */
  declaredRounds: number;
  /** Declared payload bytes (busiest party). */
  declaredBytes: number;
}

/** Runs kernel `name` alone (after a flush) and measures this party's traffic. */
export async function measured<T>(
  ctx: Context,
  name: string,
  ...args: unknown[]
): Promise<Measured<T>> {
  await ctx.flush();
  const k = ctx.kernel(name);
  const declaredRounds = k.cost.rounds(ctx.size, ...args);
  const declaredBytes = k.cost.bytesPerParty(ctx.size, ...args);
  const s0 = ctx.stats();
  const value = await ctx.run<T>(name, ...args);
  await ctx.flush();
  const s1 = ctx.stats();
  return {
    value,
    rounds: s1.rounds - s0.rounds,
    payload: s1.payloadBytes - s0.payloadBytes,
    declaredRounds,
    declaredBytes,
  };
}

/** Holds the parties' measurements of one kernel run to its declared cost. */
export function checkCost(name: string, ms: readonly Measured<unknown>[]): void {
  const d = ms[0];
  for (const m of ms) {
    assert.equal(m.declaredRounds, d.declaredRounds, `${name}: parties declare the same rounds`);
    assert.equal(m.declaredBytes, d.declaredBytes, `${name}: parties declare the same bytes`);
  }
  assert.equal(Math.max(...ms.map((m) => m.rounds)), d.declaredRounds, `${name}: rounds`);
  assert.equal(Math.max(...ms.map((m) => m.payload)), d.declaredBytes, `${name}: bytes`);
}
