/**
 * Result shapes of the bilinear ops (for dealers, which must know the shape of a product
 * without computing it) and a hash of shapes for the round headers.
 *
 * @example
 * ```ts
 * import { convShape, matmulShape } from "./shapes.ts";
 * console.log(matmulShape([2, 3, 4], [4, 5]), convShape([1, 1, 5, 5], [2, 1, 3, 3], {}, 2));
 * ```
 * @module
 */
import type { ConvOptions } from "@sharetensor/core/device";
import { convPlan, matmulPlan } from "@sharetensor/core/plans";
import { fmtShape, type Shape } from "@sharetensor/core/shape";
import { hash32 } from "./frame.ts";

/**
 * Shape of `a @ b` (PyTorch rules: 1-d operands, broadcast batch dims); `TypeError` when
 * the inner sizes differ.
 *
 * @example
 * ```ts
 * import { matmulShape } from "./shapes.ts";
 * console.log(matmulShape([3], [3, 2])); // [2]
 * ```
 */
export function matmulShape(a: Shape, b: Shape): number[] {
  return matmulPlan(a, b).shape;
}

/**
 * Shape of a conv1d (`nd` 1) or conv2d (`nd` 2) of `x` [N, C, ...] with `w` [O, C/g, ...].
 *
 * @example
 * ```ts
 * import { convShape } from "./shapes.ts";
 * console.log(convShape([1, 2, 8], [4, 2, 3], { padding: 1 }, 1)); // [1, 4, 8]
 * ```
 */
export function convShape(x: Shape, w: Shape, opts: ConvOptions, nd: 1 | 2): number[] {
  const p = convPlan(x, w, opts, nd);
  return nd === 2 ? [p.n, p.o, p.oh, p.ow] : [p.n, p.o, p.ow];
}

/**
 * A 32-bit hash of an op's shapes, ring and options, sent in round headers so that parties
 * that disagree find out.
 *
 * @example
 * ```ts
 * import { shapeHash } from "./shapes.ts";
 * console.log(shapeHash(64, [[2, 3]]) !== shapeHash(64, [[3, 2]])); // true
 * ```
 */
export function shapeHash(ring: number, shapes: readonly Shape[], extra = ""): number {
  return hash32(`${ring}|${shapes.map(fmtShape).join("|")}|${extra}`);
}
