/**
 * `share`: input sharing from party `from` with pairwise-seeded zero sharing (PRZS). Each
 * pair of parties holds a PRG seed agreed at setup; party i's zero part is
 * `sum_{j>i} G(s_ij) - sum_{j<i} G(s_ij)` (XOR of all for binary), so the parts sum to zero.
 * The owner adds its value to its part. Payload: nothing; one round of headers only, so that
 * parties that disagree on owner, shape or kind stop with a `ProtocolAbortError`.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [4] : null, { from: 0, shape: [1] });
 *   return ctx.stats().payloadBytes;
 * });
 * console.log(out); // [0, 0]
 * ```
 * @module
 */
import type { RingTensor } from "@sharetensor/core/ring";
import type { Shape } from "@sharetensor/core/shape";
import type { ShareKind } from "@sharetensor/core/share";
import type { KernelConfig } from "../kernel.ts";
import { peersOf } from "../runtime/open.ts";
import { adopt } from "../runtime/host.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { SecretTensor } from "../secret_tensor.ts";

/**
 * The kernel: `run(op, value | null, from, shape, kind, fracBits)`.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, (ctx) => ctx.run("share", null, 1, [2], "arithmetic", 16).then(() => "ok"));
 * console.log(out); // ["ok", "ok"] (the owner passed no value: the secret is 0)
 * ```
 */
export const share: KernelConfig<
  [RingTensor | null, number, Shape, ShareKind, number],
  SecretTensor
> = {
  name: "share",
  cost: { rounds: () => 1, bytesPerParty: () => 0 },
  async run(op, value, from, shape, kind, fracBits) {
    const ctx = op.ctx;
    const d = ctx.device;
    const mask = ctx.zeroShare(`share/${op.id}`, shape, kind);
    let buf = mask;
    let v: ReturnType<typeof adopt> | null = null;
    if (value) {
      v = adopt(d, value);
      buf = kind === "binary" ? d.xor(v, mask) : d.add(v, mask);
      d.dispose(mask);
    }
    const peers = peersOf(ctx.rank, ctx.size);
    const empty = [new Uint8Array(0)];
    await op.exchange(
      new Map(peers.map((p) => [p, empty])),
      peers,
      shapeHash(ctx.ring, [shape], `${from}|${kind}|${fracBits}`),
    );
    // A fresh input: its owner, and on the owner its own clear value (kept only for the
    // input-aware products).
    return new SecretTensor(ctx, kind, buf, fracBits, {
      owner: from,
      value: ctx.rank === from && ctx.inputAware ? v : null,
    });
  },
};
