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
import { broadcastShapes, fmtShape, type Shape } from "@sharetensor/core/shape";
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
  if (a.length === 0 || b.length === 0) {
    throw new TypeError(`matmul: scalar operand ${fmtShape(a)} @ ${fmtShape(b)}`);
  }
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const k = a2[a2.length - 1];
  if (k !== b2[b2.length - 2]) {
    throw new TypeError(`matmul: inner sizes differ in ${fmtShape(a)} @ ${fmtShape(b)}`);
  }
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function per(v: number | readonly number[] | undefined, nd: number, dflt: number): number[] {
  if (v === undefined) return new Array(nd).fill(dflt);
  if (typeof v === "number") return new Array(nd).fill(v);
  return [...v];
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
  if (x.length !== nd + 2 || w.length !== nd + 2) {
    throw new TypeError(
      `conv${nd}d: input ${fmtShape(x)} and weight ${fmtShape(w)} need rank ${nd + 2}`,
    );
  }
  const s = per(opts.stride, nd, 1);
  const p = per(opts.padding, nd, 0);
  const d = per(opts.dilation, nd, 1);
  const g = opts.groups ?? 1;
  if (x[1] !== w[1] * g || w[0] % g !== 0) {
    throw new TypeError(
      `conv${nd}d: input ${fmtShape(x)} and weight ${fmtShape(w)} do not match with groups ${g}`,
    );
  }
  const out = [x[0], w[0]];
  for (let i = 0; i < nd; i++) {
    const o = Math.floor((x[2 + i] + 2 * p[i] - d[i] * (w[2 + i] - 1) - 1) / s[i]) + 1;
    if (o <= 0) {
      throw new TypeError(`conv${nd}d: empty output for ${fmtShape(x)} and ${fmtShape(w)}`);
    }
    out.push(o);
  }
  return out;
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
