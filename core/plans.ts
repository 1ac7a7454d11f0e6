/**
 * Shape checks and plans shared by every device and the protocols, host-side and pure:
 * each takes shapes and arguments, throws `TypeError` naming the shapes or `RangeError`
 * for out-of-range arguments, and returns what the kernels need. One copy of these rules
 * keeps the CPU device, the WebGPU device and the protocols' shape checks in agreement.
 *
 * @example
 * ```ts
 * import { matmulPlan } from "./plans.ts";
 * console.log(matmulPlan([2, 3], [3]).shape); // [2]
 * ```
 * @module
 */
import type { ConvOptions } from "./device.ts";
import { broadcastShapes, broadcastStrides, fmtShape, numel, type Shape } from "./shape.ts";

/** Geometry of a 2-d convolution (conv1d is the case H = KH = 1). */
export interface ConvGeometry {
  /** Batch, channels in, height, width of x. */
  n: number;
  c: number;
  h: number;
  w: number;
  /** Groups. */
  g: number;
  /** Kernel height and width. */
  kh: number;
  kw: number;
  /** Output height and width. */
  oh: number;
  ow: number;
  /** Stride, padding, dilation per dimension. */
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
}

/**
 * Normalises `axis` for rank `rank`; `RangeError` naming the op when out of range.
 *
 * @example
 * ```ts
 * import { axisOf } from "./plans.ts";
 * console.log(axisOf(-1, 2, "sum")); // 1
 * ```
 */
export function axisOf(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * `TypeError` naming `op` unless `shape` holds non-negative safe integers.
 *
 * @example
 * ```ts
 * import { checkShape } from "./plans.ts";
 * checkShape([2, 0], "zeros");
 * ```
 */
export function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array, got ${shape}`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new TypeError(`${op}: shape ${fmtShape(shape)} has an invalid size ${d}`);
    }
  }
}

/**
 * Word shape and strides of a tensor (a trailing dim of 2 words in Z_2^64).
 *
 * @example
 * ```ts
 * import { wordLayout } from "./plans.ts";
 * console.log(wordLayout([2, 3], 64)); // { shape: [2, 3, 2], strides: [6, 2, 1] }
 * ```
 */
export function wordLayout(shape: Shape, ring: 64 | 32): { shape: number[]; strides: number[] } {
  const s = ring === 64 ? [...shape, 2] : [...shape];
  const st = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= s[i];
  }
  return { shape: s, strides: st };
}

/**
 * The shape `shape` with its -1 resolved against `from`; `TypeError` when sizes differ.
 *
 * @example
 * ```ts
 * import { reshapeShape } from "./plans.ts";
 * console.log(reshapeShape([2, 3], [-1])); // [6]
 * ```
 */
export function reshapeShape(from: Shape, shape: Shape): number[] {
  const size = numel(from);
  const free = shape.filter((d) => d === -1).length;
  const known = shape.filter((d) => d !== -1);
  checkShape(known, "reshape");
  const bad = () => new TypeError(`reshape: cannot view ${fmtShape(from)} as ${fmtShape(shape)}`);
  if (free > 1) throw bad();
  const rest = numel(known);
  let s = [...shape];
  if (free === 1) {
    if (rest === 0 || size % rest !== 0) throw bad();
    s = shape.map((d) => (d === -1 ? size / rest : d));
  }
  if (numel(s) !== size) throw bad();
  return s;
}

/**
 * Normalised permutation; `RangeError` unless `perm` permutes the dims of `shape`.
 *
 * @example
 * ```ts
 * import { permutation } from "./plans.ts";
 * console.log(permutation([2, 3], [-1, 0])); // [1, 0]
 * ```
 */
export function permutation(shape: Shape, perm: readonly number[]): number[] {
  if (perm.length !== shape.length) {
    throw new RangeError(
      `permute: [${perm}] is not a permutation of the dims of ${fmtShape(shape)}`,
    );
  }
  const p = perm.map((d) => axisOf(d, shape.length, "permute"));
  if (new Set(p).size !== p.length) {
    throw new RangeError(`permute: [${perm}] repeats a dim of ${fmtShape(shape)}`);
  }
  return p;
}

/**
 * Output shape of a slice; `TypeError` for wrong lengths, `RangeError` out of range.
 *
 * @example
 * ```ts
 * import { sliceShape } from "./plans.ts";
 * console.log(sliceShape([4, 5], [1, 2], [2, -1])); // [2, 3]
 * ```
 */
export function sliceShape(
  shape: Shape,
  begin: readonly number[],
  size: readonly number[],
): number[] {
  if (begin.length !== shape.length || size.length !== shape.length) {
    throw new TypeError(
      `slice: begin [${begin}] and size [${size}] need one entry per dim of ${fmtShape(shape)}`,
    );
  }
  const out = size.map((s, d) => (s === -1 ? shape[d] - begin[d] : s));
  for (let d = 0; d < shape.length; d++) {
    const b = begin[d], s = out[d];
    if (
      !Number.isSafeInteger(b) || !Number.isSafeInteger(s) || b < 0 || s < 0 || b + s > shape[d]
    ) {
      throw new RangeError(
        `slice: begin [${begin}] size [${size}] is out of range for ${fmtShape(shape)}`,
      );
    }
  }
  return out;
}

/**
 * Output shape of pad; `TypeError` for the wrong number of pairs, `RangeError` for
 * negative or fractional pads.
 *
 * @example
 * ```ts
 * import { padShape } from "./plans.ts";
 * console.log(padShape([2], [[1, 2]])); // [5]
 * ```
 */
export function padShape(shape: Shape, pads: readonly (readonly [number, number])[]): number[] {
  if (pads.length !== shape.length) {
    throw new TypeError(`pad: ${pads.length} pairs for ${fmtShape(shape)}, need ${shape.length}`);
  }
  for (const [b, e] of pads) {
    if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || e < 0) {
      throw new RangeError(`pad: pads ${JSON.stringify(pads)} must be integers >= 0`);
    }
  }
  return shape.map((d, i) => d + pads[i][0] + pads[i][1]);
}

/**
 * Target shape of expand (-1 keeps a dim); `TypeError` when `from` does not broadcast.
 *
 * @example
 * ```ts
 * import { expandShape } from "./plans.ts";
 * console.log(expandShape([1, 3], [2, -1])); // [2, 3]
 * ```
 */
export function expandShape(from: Shape, shape: Shape): number[] {
  const off = shape.length - from.length;
  const bad = () =>
    new TypeError(`expand: ${fmtShape(from)} does not broadcast to ${fmtShape(shape)}`);
  if (off < 0) throw bad();
  const s = shape.map((d, i) => (d === -1 && i >= off ? from[i - off] : d));
  checkShape(s, "expand");
  for (let i = 0; i < from.length; i++) {
    if (from[i] !== 1 && from[i] !== s[i + off]) throw bad();
  }
  return s;
}

/** What a batched matmul computes (see {@linkcode matmulPlan}). */
export interface MatmulPlan {
  /** Output shape (PyTorch rules for 1-d operands). */
  shape: number[];
  m: number;
  k: number;
  n: number;
  /** Broadcast batch shape. */
  batch: number[];
  /** Element strides of each operand's batch dims (0 where broadcast). */
  aStr: number[];
  bStr: number[];
}

/**
 * Plan of `a @ b` (PyTorch `matmul`); `TypeError` naming both shapes when they do not fit.
 *
 * @example
 * ```ts
 * import { matmulPlan } from "./plans.ts";
 * console.log(matmulPlan([5, 2, 3], [3, 4]).batch); // [5]
 * ```
 */
export function matmulPlan(a: Shape, b: Shape): MatmulPlan {
  const bad = (why: string, cause?: unknown) =>
    new TypeError(`matmul: ${fmtShape(a)} @ ${fmtShape(b)}: ${why}`, { cause });
  if (a.length === 0 || b.length === 0) throw bad("both operands need at least one dimension");
  const as = a.length === 1 ? [1, a[0]] : a;
  const bs = b.length === 1 ? [b[0], 1] : b;
  const m = as[as.length - 2], k = as[as.length - 1];
  const k2 = bs[bs.length - 2], n = bs[bs.length - 1];
  if (k !== k2) throw bad(`inner sizes ${k} and ${k2} differ`);
  const aBatch = as.slice(0, -2), bBatch = bs.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(aBatch, bBatch);
  } catch (e) {
    throw bad(`batch dimensions ${fmtShape(aBatch)} and ${fmtShape(bBatch)} do not broadcast`, e);
  }
  const shape = [...batch];
  if (a.length > 1) shape.push(m);
  if (b.length > 1) shape.push(n);
  const aStr = broadcastStrides(aBatch, batch).map((s) => s * m * k);
  const bStr = broadcastStrides(bBatch, batch).map((s) => s * k * n);
  return { shape, m, k, n, batch, aStr, bStr };
}

function perDim(
  v: number | readonly number[] | undefined,
  def: number,
  nd: number,
  name: string,
  min: number,
  op: string,
): number[] {
  const arr = v === undefined
    ? new Array(nd).fill(def)
    : typeof v === "number"
    ? new Array(nd).fill(v)
    : [...v];
  if (arr.length !== nd) throw new RangeError(`${op}: ${name} needs ${nd} values, got [${arr}]`);
  for (const e of arr) {
    if (!Number.isSafeInteger(e) || e < min) {
      throw new RangeError(`${op}: ${name} must be integers >= ${min}, got [${arr}]`);
    }
  }
  return arr;
}

/** A checked convolution: its geometry and the number of output channels. */
export type ConvPlan = ConvGeometry & { o: number };

/**
 * Geometry of conv1d (`nd` 1, shapes of rank 3) or conv2d (`nd` 2, rank 4), with the CPU
 * device's checks; conv1d becomes a conv2d of height 1.
 *
 * @example
 * ```ts
 * import { convPlan } from "./plans.ts";
 * console.log(convPlan([1, 1, 5, 5], [2, 1, 3, 3], {}, 2).oh); // 3
 * ```
 */
export function convPlan(
  x: Shape,
  w: Shape,
  opts: ConvOptions,
  nd: 1 | 2,
): ConvPlan {
  const op = `conv${nd}d`;
  const bad = (why: string) =>
    new TypeError(`${op}: input ${fmtShape(x)} and weight ${fmtShape(w)}: ${why}`);
  if (x.length !== nd + 2 || w.length !== nd + 2) throw bad(`need rank ${nd + 2} for both`);
  const x4 = nd === 1 ? [x[0], x[1], 1, x[2]] : x;
  const w4 = nd === 1 ? [w[0], w[1], 1, w[2]] : w;
  const [N, C, H, W] = x4;
  const [O, Cg, KH, KW] = w4;
  const groups = opts.groups ?? 1;
  if (!Number.isSafeInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be an integer >= 1, got ${groups}`);
  }
  const pd = (v: number | readonly number[] | undefined, def: number, name: string, min: number) =>
    nd === 2 ? perDim(v, def, 2, name, min, op) : [def, ...perDim(v, def, 1, name, min, op)];
  const [sh, sw] = pd(opts.stride, 1, "stride", 1);
  const [ph, pw] = pd(opts.padding, 0, "padding", 0);
  const [dh, dw] = pd(opts.dilation, 1, "dilation", 1);
  if (Cg * groups !== C) throw bad(`${C} input channels != ${Cg} per group x ${groups} groups`);
  if (O % groups !== 0) throw bad(`${O} output channels do not divide into ${groups} groups`);
  if (KH < 1 || KW < 1) throw bad("empty kernel");
  const oh = Math.floor((H + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1) throw bad(`kernel (dilated) is larger than the padded input`);
  return {
    n: N,
    c: C,
    h: H,
    w: W,
    g: groups,
    kh: KH,
    kw: KW,
    oh,
    ow,
    sh,
    sw,
    ph,
    pw,
    dh,
    dw,
    o: O,
  };
}

/**
 * Reduced axes of a sum (all when `dims` is omitted, none for `[]`); `RangeError` for an
 * axis out of range or repeated.
 *
 * @example
 * ```ts
 * import { sumAxes } from "./plans.ts";
 * console.log(sumAxes([2, 3], [-1])); // [1]
 * ```
 */
export function sumAxes(shape: Shape, dims?: readonly number[]): number[] {
  const rank = shape.length;
  const axes = dims === undefined
    ? Array.from({ length: rank }, (_, i) => i)
    : dims.map((d) => axisOf(d, rank, "sum"));
  if (new Set(axes).size !== axes.length) {
    throw new RangeError(`sum: dims [${dims}] repeat an axis of ${fmtShape(shape)}`);
  }
  return axes;
}

/**
 * Collapses `shape` for a set of stride vectors: drops size-1 dimensions and merges a
 * dimension into the next inner one when every stride vector is contiguous across them.
 * Returns the collapsed shape and strides (at least one dimension).
 *
 * @example
 * ```ts
 * import { collapse } from "./plans.ts";
 * console.log(collapse([2, 3], [[3, 1]])); // { shape: [6], strides: [[1]] }
 * ```
 */
export function collapse(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      for (let k = 0; k < strides.length; k++) st[k][last] = strides[k][d];
    } else {
      sh.push(shape[d]);
      for (let k = 0; k < strides.length; k++) st[k].push(strides[k][d]);
    }
  }
  if (sh.length === 0) {
    sh.push(1);
    for (const s of st) s.push(1);
  }
  return { shape: sh, strides: st };
}
