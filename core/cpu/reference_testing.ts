/**
 * Plain BigInt reference kernels and fast-check arbitraries for the CPU device tests: the
 * slowest obvious loops, reduced with `BigInt.asUintN`, against which every kernel is
 * compared bit-exact. Test code only.
 *
 * @example
 * ```ts
 * import { refBinary, Ref } from "./reference_testing.ts";
 * const a: Ref = { ring: 64, shape: [2], v: [1n, 2n] };
 * console.log(refBinary("add", a, a).v); // [2n, 4n]
 * ```
 * @module
 */
import fc from "fast-check";
import { type Ring, RingTensor } from "../ring.ts";
import { broadcastShapes, numel, type Shape, stridesOf } from "../shape.ts";

/**
 * A reference tensor: ring, shape and ring representatives.
 *
 * @example
 * ```ts
 * import type { Ref } from "./reference_testing.ts";
 * const r: Ref = { ring: 32, shape: [], v: [7n] };
 * console.log(r.v); // [7n]
 * ```
 */
export interface Ref {
  ring: Ring;
  shape: number[];
  v: bigint[];
}

/**
 * Reference from a device tensor.
 *
 * @example
 * ```ts
 * import { fromT } from "./reference_testing.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(fromT(RingTensor.zeros([1])).v); // [0n]
 * ```
 */
export function fromT(t: RingTensor): Ref {
  return { ring: t.ring, shape: [...t.shape], v: t.toBigInts() };
}
/**
 * Device tensor from a reference.
 *
 * @example
 * ```ts
 * import { toT } from "./reference_testing.ts";
 * console.log(toT({ ring: 32, shape: [1], v: [5n] }).data); // Uint32Array [5]
 * ```
 */
export function toT(r: Ref): RingTensor {
  return RingTensor.fromBigInts(r.v, r.shape, r.ring);
}

/**
 * Multi-index of flat position `i` in `shape`.
 *
 * @example
 * ```ts
 * import { unravel } from "./reference_testing.ts";
 * console.log(unravel(5, [2, 3])); // [1, 2]
 * ```
 */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
/**
 * Flat position of a multi-index.
 *
 * @example
 * ```ts
 * import { ravel } from "./reference_testing.ts";
 * console.log(ravel([1, 2], [2, 3])); // 5
 * ```
 */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  const st = stridesOf(shape);
  return idx.reduce((acc, x, d) => acc + x * st[d], 0);
}

const OPS: Record<string, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
};

/**
 * Broadcasting elementwise op (`add`, `sub`, `mul`, `and`, `or`, `xor`), by multi-indices.
 *
 * @example
 * ```ts
 * import { refBinary } from "./reference_testing.ts";
 * const a = { ring: 64 as const, shape: [2], v: [1n, 2n] };
 * console.log(refBinary("mul", a, a).v); // [1n, 4n]
 * ```
 */
export function refBinary(op: string, a: Ref, b: Ref): Ref {
  const shape = broadcastShapes(a.shape, b.shape);
  const at = (r: Ref, idx: number[]) =>
    r.v[
      ravel(r.shape.map((d, i) => (d === 1 ? 0 : idx[idx.length - r.shape.length + i])), r.shape)
    ];
  const v = Array.from({ length: numel(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return BigInt.asUintN(a.ring, OPS[op](at(a, idx), at(b, idx)));
  });
  return { ring: a.ring, shape, v };
}

/**
 * Map of a unary BigInt function, reduced mod 2^ring.
 *
 * @example
 * ```ts
 * import { refMap } from "./reference_testing.ts";
 * console.log(refMap({ ring: 32, shape: [1], v: [1n] }, (x) => -x).v); // [4294967295n]
 * ```
 */
export function refMap(a: Ref, f: (x: bigint) => bigint): Ref {
  return { ring: a.ring, shape: a.shape, v: a.v.map((x) => BigInt.asUintN(a.ring, f(x))) };
}

/**
 * PyTorch matmul by definition.
 *
 * @example
 * ```ts
 * import { refMatmul } from "./reference_testing.ts";
 * const v = { ring: 64 as const, shape: [2], v: [1n, 2n] };
 * console.log(refMatmul(v, v).v); // [5n]
 * ```
 */
export function refMatmul(a: Ref, b: Ref): Ref {
  const as = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const m = as.at(-2)!, k = as.at(-1)!, n = bs.at(-1)!;
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  const full = [...batch, m, n];
  const get = (r: Ref, rs: number[], bidx: number[], i: number, j: number) => {
    const bb = rs.slice(0, -2);
    const idx = bb.map((d, t) => (d === 1 ? 0 : bidx[bidx.length - bb.length + t]));
    return r.v[ravel([...idx, i, j], rs)];
  };
  const v = Array.from({ length: numel(full) }, (_, f) => {
    const idx = unravel(f, full);
    const bidx = idx.slice(0, -2), i = idx.at(-2)!, j = idx.at(-1)!;
    let s = 0n;
    for (let p = 0; p < k; p++) s += get(a, as, bidx, i, p) * get(b, bs, bidx, p, j);
    return BigInt.asUintN(a.ring, s);
  });
  const shape = [...batch];
  if (a.shape.length > 1) shape.push(m);
  if (b.shape.length > 1) shape.push(n);
  return { ring: a.ring, shape, v };
}

/**
 * Direct conv2d (cross-correlation) by definition: stride `s`, padding `p`, dilation `d`,
 * groups `g`.
 *
 * @example
 * ```ts
 * import { refConv2d } from "./reference_testing.ts";
 * const x = { ring: 64 as const, shape: [1, 1, 1, 2], v: [1n, 2n] };
 * console.log(refConv2d(x, x, [1, 1], [0, 0], [1, 1], 1).v); // [5n]
 * ```
 */
export function refConv2d(
  x: Ref,
  w: Ref,
  s: [number, number],
  p: [number, number],
  d: [number, number],
  g: number,
): Ref {
  const [N, , H, W] = x.shape, [O, Cg, KH, KW] = w.shape;
  const OH = Math.floor((H + 2 * p[0] - d[0] * (KH - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((W + 2 * p[1] - d[1] * (KW - 1) - 1) / s[1]) + 1;
  const shape = [N, O, OH, OW], Og = O / g;
  const v = Array.from({ length: numel(shape) }, (_, f) => {
    const [n, o, i, j] = unravel(f, shape);
    const grp = Math.floor(o / Og);
    let acc = 0n;
    for (let c = 0; c < Cg; c++) {
      for (let u = 0; u < KH; u++) {
        for (let t = 0; t < KW; t++) {
          const ih = i * s[0] - p[0] + u * d[0], iw = j * s[1] - p[1] + t * d[1];
          if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
          acc += x.v[ravel([n, grp * Cg + c, ih, iw], x.shape)] * w.v[ravel([o, c, u, t], w.shape)];
        }
      }
    }
    return BigInt.asUintN(x.ring, acc);
  });
  return { ring: x.ring, shape, v };
}

/**
 * Sum over `dims` (normalised, distinct) by definition.
 *
 * @example
 * ```ts
 * import { refSum } from "./reference_testing.ts";
 * console.log(refSum({ ring: 64, shape: [2], v: [1n, 2n] }, [0], false).v); // [3n]
 * ```
 */
export function refSum(a: Ref, dims: number[], keepDims: boolean): Ref {
  const kept = a.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const v = new Array<bigint>(numel(kept)).fill(0n);
  a.v.forEach((x, f) => {
    const idx = unravel(f, a.shape).map((t, i) => (dims.includes(i) ? 0 : t));
    const o = ravel(idx, kept);
    v[o] = BigInt.asUintN(a.ring, v[o] + x);
  });
  const shape = keepDims ? kept : a.shape.filter((_, i) => !dims.includes(i));
  return { ring: a.ring, shape, v };
}

/**
 * Output tensor by a function of the output multi-index.
 *
 * @example
 * ```ts
 * import { refBuild } from "./reference_testing.ts";
 * console.log(refBuild(64, [2], ([i]) => BigInt(i)).v); // [0n, 1n]
 * ```
 */
export function refBuild(ring: Ring, shape: number[], f: (idx: number[]) => bigint): Ref {
  return {
    ring,
    shape,
    v: Array.from({ length: numel(shape) }, (_, i) => BigInt.asUintN(ring, f(unravel(i, shape)))),
  };
}

/**
 * Ring values with the edge cases (0, 1, -1, top bit) overweighted.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { ringValue } from "./reference_testing.ts";
 * console.log(fc.sample(ringValue(32), 2).length); // 2
 * ```
 */
export function ringValue(ring: Ring): fc.Arbitrary<bigint> {
  const top = 1n << BigInt(ring - 1);
  return fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: (1n << BigInt(ring)) - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 1n, top, top - 1n, (1n << BigInt(ring)) - 1n) },
  );
}

/**
 * A shape of rank 0..maxRank with dims 0..maxDim (0 dims included).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { shapeArb } from "./reference_testing.ts";
 * console.log(fc.sample(shapeArb(2, 3), 1)[0].length <= 2); // true
 * ```
 */
export function shapeArb(maxRank = 4, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: 0, maxLength: maxRank });
}

/**
 * A random reference tensor of `shape`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { tensorArb } from "./reference_testing.ts";
 * console.log(fc.sample(tensorArb(64, [2, 2]), 1)[0].v.length); // 4
 * ```
 */
export function tensorArb(ring: Ring, shape: Shape): fc.Arbitrary<Ref> {
  return fc.array(ringValue(ring), { minLength: numel(shape), maxLength: numel(shape) })
    .map((v) => ({ ring, shape: [...shape], v }));
}

/**
 * Two shapes that broadcast together: suffixes of one shape with some dims set to 1.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { broadcastPairArb } from "./reference_testing.ts";
 * console.log(fc.sample(broadcastPairArb(), 1)[0].length); // 2
 * ```
 */
export function broadcastPairArb(): fc.Arbitrary<[number[], number[]]> {
  const side = (s: number[]) =>
    fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: 4 }))
      .map(([drop, ones]) => s.slice(drop).map((d, i) => (ones[i] ? 1 : d)));
  return shapeArb(4, 5).chain((s) => fc.tuple(side(s), side(s)));
}

/**
 * Compares a device tensor with a reference (ring, shape and every element).
 *
 * @example
 * ```ts
 * import { same } from "./reference_testing.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(same(RingTensor.zeros([1]), { ring: 64, shape: [1], v: [0n] })); // true
 * ```
 */
export function same(t: RingTensor, r: Ref): boolean {
  if (t.ring !== r.ring || t.shape.length !== r.shape.length) return false;
  if (t.shape.some((d, i) => d !== r.shape[i])) return false;
  const v = t.toBigInts();
  return v.length === r.v.length && v.every((x, i) => x === r.v[i]);
}
