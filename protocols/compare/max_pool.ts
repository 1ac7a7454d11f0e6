/**
 * `max_pool2d_a`: max pooling over [N, C, H, W] (PyTorch's defaults: stride = kernel,
 * padding 0; padded positions never win). The windows are gathered locally into a last
 * dim of KH * KW and reduced by `max_a`'s tree (ceil(log2(KH KW)) levels of 8 rounds at
 * 2 parties: 2 levels, 16 rounds for 2x2).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2, 3, 4] : null, { from: 0, shape: [1, 1, 2, 2] });
 *   return await (await x.maxPool2d(2)).reveal();
 * });
 * console.log(out[0]); // Float64Array [4]
 * ```
 * @module
 */
import { fmtShape, numel, type Shape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { maxCost, type MaxResult } from "./max_a.ts";

/** Options of max pooling. */
export interface MaxPoolOptions {
  /** Stride (default: the kernel size). */
  stride?: number | readonly [number, number];
  /** Padding on both sides (default 0). */
  padding?: number | readonly [number, number];
}

type Pair = [number, number];
const pair = (v: number | readonly [number, number]): Pair =>
  typeof v === "number" ? [v, v] : [v[0], v[1]];

function geometry(shape: Shape, kernel: number | readonly [number, number], opts: MaxPoolOptions) {
  if (shape.length !== 4) {
    throw new TypeError(`maxPool2d: needs [N, C, H, W], got ${fmtShape(shape)}`);
  }
  const k = pair(kernel);
  const s = pair(opts.stride ?? kernel);
  const p = pair(opts.padding ?? 0);
  const [n, c, h, w] = shape;
  const oh = Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1;
  const ow = Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1;
  if (
    oh <= 0 || ow <= 0 || k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || p[0] < 0 || p[1] < 0
  ) {
    throw new RangeError(
      `maxPool2d: kernel ${k}, stride ${s}, padding ${p} do not fit ${fmtShape(shape)}`,
    );
  }
  return { k, s, p, out: [n, c, oh, ow] };
}

/**
 * The kernel: `run(op, x, kernel, opts, withArg = false)` -> pooled x, or with `withArg`
 * [pooled x, one-hot of each window's maximum as [N, C, OH, OW, KH * KW]].
 */
export const maxPool2dA: KernelConfig<
  [SecretTensor, number | readonly [number, number], MaxPoolOptions?, boolean?],
  SecretTensor | [SecretTensor, SecretTensor]
> = {
  name: "max_pool2d_a",
  cost: {
    rounds: (
      n: number,
      x: SecretTensor,
      kernel: number | Pair,
      opts: MaxPoolOptions = {},
      withArg = false,
    ) => {
      const g = geometry(x.shape, kernel, opts);
      return maxCost(n, numel(g.out), g.k[0] * g.k[1], x.ring, withArg).rounds;
    },
    bytesPerParty: (
      n: number,
      x: SecretTensor,
      kernel: number | Pair,
      opts: MaxPoolOptions = {},
      withArg = false,
    ) => {
      const g = geometry(x.shape, kernel, opts);
      return maxCost(n, numel(g.out), g.k[0] * g.k[1], x.ring, withArg).bytes;
    },
  },
  async run(op, x, kernel, opts = {}, withArg = false) {
    x.need("arithmetic", "maxPool2d");
    const { k, s, p, out } = geometry(x.shape, kernel, opts);
    const { ctx } = op;
    const d = ctx.device;
    let xp = x;
    if (p[0] > 0 || p[1] > 0) {
      // a very negative pad (-2^(ring-3) raw) that still leaves differences in range
      const low = ctx.rank === 0 ? -(1n << BigInt(ctx.ring - 3)) : 0n;
      const buf = d.pad(x.buf, [[0, 0], [0, 0], [p[0], p[0]], [p[1], p[1]]], low);
      xp = new SecretTensor(ctx, "arithmetic", buf, x.fracBits);
    }
    const [, , oh, ow] = out;
    const wins: SecretTensor[] = [];
    for (let i = 0; i < k[0]; i++) {
      const rowsIdx = Array.from({ length: oh }, (_, o) => o * s[0] + i);
      const xr = xp.gather(rowsIdx, 2);
      for (let j = 0; j < k[1]; j++) {
        wins.push(xr.gather(Array.from({ length: ow }, (_, o) => o * s[1] + j), 3));
      }
    }
    const stacked = SecretTensor.stack(wins, 4);
    const [values, oneHot] = await op.run<MaxResult>("max_a", stacked, 4, withArg);
    return withArg ? [values, oneHot!] : values;
  },
};
