/**
 * `reveal_a` / `reveal_b`: opening an arithmetic (sum) or binary (XOR) share to every
 * party, or to one. One round; each party sends its share to every peer (to all) or to the
 * receiver only.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 2 ? [7] : null, { from: 2, shape: [1] });
 *   return await x.reveal({ to: 1 });
 * });
 * console.log(out); // [null, Float64Array [7], null]
 * ```
 * @module
 */
import type { RingTensor } from "@sharetensor/core/ring";
import { numel } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { openAll, openTo } from "../runtime/open.ts";
import type { SecretTensor } from "../secret_tensor.ts";

function reveal(
  kind: "arithmetic" | "binary",
): KernelConfig<[SecretTensor, number | undefined], RingTensor | null> {
  return {
    name: kind === "binary" ? "reveal_b" : "reveal_a",
    cost: {
      rounds: () => 1,
      bytesPerParty: (n: number, x: SecretTensor, to?: number) =>
        (to === undefined ? n - 1 : 1) * numel(x.shape) * x.ring / 8,
    },
    async run(op, x, to) {
      x.need(kind, op.name);
      const opened = to === undefined
        ? await openAll(op, [x.buf], kind)
        : await openTo(op, [x.buf], to, kind);
      if (!opened) return null;
      const host = await op.ctx.device.download(opened[0]);
      if (opened[0] !== x.buf) op.ctx.device.dispose(opened[0]);
      return host;
    },
  };
}

/**
 * Opens an arithmetic share: `run(op, x, to?)` -> RingTensor (or null off `to`).
 *
 * @example
 * ```ts
 * import { revealA } from "./reveal.ts";
 * console.log(revealA.name, revealA.cost.rounds(2)); // "reveal_a" and its rounds at 2 parties
 * ```
 */
export const revealA: KernelConfig<[SecretTensor, number | undefined], RingTensor | null> = reveal(
  "arithmetic",
);
/**
 * Opens a binary share: `run(op, x, to?)` -> RingTensor (or null off `to`).
 *
 * @example
 * ```ts
 * import { revealB } from "./reveal.ts";
 * console.log(revealB.name, revealB.cost.rounds(2)); // "reveal_b" and its rounds at 2 parties
 * ```
 */
export const revealB: KernelConfig<[SecretTensor, number | undefined], RingTensor | null> = reveal(
  "binary",
);
