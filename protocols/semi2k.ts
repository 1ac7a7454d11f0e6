/**
 * `semi2k`: the semi-honest protocol for n >= 2 parties with a dealer, over Z_2^64 or
 * Z_2^32 (as SPU's SEMI2K and CrypTen): additive arithmetic sharing, XOR binary sharing,
 * Beaver products, truncation (local for 2 parties, a truncation pair otherwise).
 *
 * @example
 * ```ts
 * import { semi2k } from "@sharetensor/protocols";
 * console.log(semi2k.kernels({}).map((k) => k.name));
 * ```
 * @module
 */
import type { KernelConfig, ProtocolPlugin } from "./kernel.ts";
import { compareKernels } from "./compare/mod.ts";
import { andBB } from "./kernels/and_bb.ts";
import { b2aBit } from "./kernels/b2a_bit.ts";
import { conv1dAA, conv2dAA } from "./kernels/conv_aa.ts";
import { matmulAA } from "./kernels/matmul_aa.ts";
import { matmulOwned } from "./kernels/matmul_owned.ts";
import { mulAA } from "./kernels/mul_aa.ts";
import { mulOwned } from "./kernels/mul_owned.ts";
import { revealA, revealB } from "./kernels/reveal.ts";
import { share } from "./kernels/share.ts";
import { squareA } from "./kernels/square_a.ts";
import { truncA } from "./kernels/trunc_a.ts";

/**
 * The kernels of semi2k that this package defines (comparisons add theirs).
 *
 * @example
 * ```ts
 * import { semi2kKernels } from "@sharetensor/protocols";
 * console.log(semi2kKernels.length > 0);
 * ```
 */
export const semi2kKernels: readonly KernelConfig[] = [
  share,
  revealA,
  revealB,
  mulAA,
  mulOwned,
  squareA,
  matmulAA,
  matmulOwned,
  conv1dAA,
  conv2dAA,
  truncA,
  andBB,
  b2aBit,
  ...compareKernels,
];

/**
 * The semi2k protocol plugin. `extend` makes a copy with more kernels (a kernel of the
 * same name replaces the old one).
 *
 * @example
 * ```ts
 * import { semi2k } from "@sharetensor/protocols";
 * const p = semi2k.extend([]);
 * console.log(p.name); // "semi2k"
 * ```
 */
export const semi2k: ProtocolPlugin & { extend(more: readonly KernelConfig[]): ProtocolPlugin } = {
  name: "semi2k",
  kernels: () => [...semi2kKernels],
  extend(more: readonly KernelConfig[]): ProtocolPlugin {
    const names = new Set(more.map((k) => k.name));
    return {
      name: "semi2k",
      kernels: () => [...semi2kKernels.filter((k) => !names.has(k.name)), ...more],
    };
  },
};
