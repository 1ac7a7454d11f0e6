/**
 * Reused operands (weights): the first product that uses a secret tensor `y` as its right
 * operand (matmul) or weight (conv) opens `F = y - B` for a mask B that the dealer derives
 * from a label fixed for `y`; the context caches the label and F for `y` (in a WeakMap, so
 * it goes with the tensor). Later products with `y` get triples `(A_i, B, A_i ∘ B)` for the
 * same B and open only `E_i = x_i - A_i`: the per-call traffic is the activation's part.
 * Revealing F once is as safe as revealing it every time with fresh B (B is uniform and used
 * for this y only); every A_i is fresh.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const w = await ctx.share(ctx.rank === 1 ? [1, 2, 3, 4] : null, { from: 1, shape: [2, 2] });
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 1] : null, { from: 0, shape: [1, 2] });
 *   await x.matmul(w);
 *   const before = ctx.stats().payloadBytes;
 *   await x.matmul(w);
 *   return ctx.stats().payloadBytes - before;
 * });
 * console.log(out); // [16, 16]: x's 2 elements only
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import type { Context } from "../runtime/context.ts";
import type { Op } from "../runtime/op.ts";
import type { SecretTensor } from "../secret_tensor.ts";

/** The cached mask of one reused operand: its dealer label and the opened value `T`. */
export interface PendingMask<T> {
  /** Dealer label of B. */
  label: string;
  /** The opened value (pending until the first product's round completes). */
  opened: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

/** The cached mask of one reused operand: F = y - B. */
export type MaskEntry = PendingMask<RingBuffer>;

/**
 * A mask entry under `label` whose opened value is still to come (the first product sets
 * it; a failure there is reported by that product, not as an unhandled rejection).
 *
 * @example
 * ```ts
 * import { pendingMask } from "./fixed_mask.ts";
 * const m = pendingMask<number>("mask/1");
 * m.resolve(7);
 * console.log(await m.opened); // 7
 * ```
 */
export function pendingMask<T>(label: string): PendingMask<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const opened = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  opened.catch(() => {}); // the first product reports the failure itself
  return { label, opened, resolve, reject };
}

/**
 * True when `y` already has a cached (or pending) opened mask in `ctx`.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * import { hasMask } from "./fixed_mask.ts";
 * const out = await runParties(2, async (ctx) => {
 *   const w = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1, 1] });
 *   await w.matmul(w);
 *   return hasMask(ctx, w);
 * });
 * console.log(out); // [true, true]
 * ```
 */
export function hasMask(ctx: Context, y: SecretTensor): boolean {
  return ctx.masks.has(y);
}

/**
 * The mask entry of `y`, created (fresh: true) by the first product in scope `op`.
 *
 * @example
 * ```ts
 * import { maskOf } from "./fixed_mask.ts";
 * console.log(typeof maskOf);
 * ```
 */
export function maskOf(op: Op, y: SecretTensor): { entry: MaskEntry; fresh: boolean } {
  const old = op.ctx.masks.get(y) as MaskEntry | undefined;
  if (old) return { entry: old, fresh: false };
  const entry: MaskEntry = pendingMask(`mask/${op.id}`);
  op.ctx.masks.set(y, entry);
  return { entry, fresh: true };
}
