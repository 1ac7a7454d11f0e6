/**
 * `max_a`: the maximum along one dim, and optionally the one-hot argmax (first maximal
 * index, as PyTorch), by a pairwise tree: each level compares neighbours (a, b) with the
 * msb circuit and keeps b + [a >= b] (a - b) (the product shares the circuit's first
 * round, and costs one round after it: `MulBit`). The one-hot mask is tracked as packed
 * XOR-shared bits: each level ANDs every position with the bit of the side it lies on
 * (one AND round, run beside the next level's select), and one bit B2A at the end turns
 * it arithmetic. Contiguous pairs keep the ranges ordered, so ties go to the first index.
 *
 * Cost for k elements per row, 2 parties, Z_2^64: ceil(log2 k) levels of 8 rounds (+1 for
 * the one-hot), and per compared pair 45.25 + 16.1 bytes (+ k / 4 bytes per row per level
 * for the one-hot): [128, 1000] along dim 1: 81 rounds, ~8 MB (CrypTen: 100 rounds, 80 MB).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 5, 3, 5, -2, 0] : null, { from: 0, shape: [2, 3] });
 *   const [m, a] = await x.maxArgmax(1);
 *   return [await m.reveal(), await a.reveal()];
 * });
 * console.log(out[0]); // [Float64Array [5, 5], Float64Array [0, 1, 0, 1, 0, 0]]
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import { normAxis, type Shape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { andBytes, andFn, b2aPlane, MulBit, mulBitBytes, openBytes, sub } from "./bit_ops.ts";
import { msbCost, msbPlane } from "./msb_a.ts";
import { notPlane, strideOf } from "./planes.ts";

/** Pairs compared at each level of a tree over k elements. */
export function treePairs(k: number): number[] {
  const out: number[] = [];
  for (let m = k; m > 1; m -= m >> 1) out.push(m >> 1);
  return out;
}

/** Rounds and payload bytes of `max_a` over `rows` rows of `k`. */
export function maxCost(
  n: number,
  rows: number,
  k: number,
  ring: Ring,
  withArg: boolean,
  bits: number = ring,
): { rounds: number; bytes: number } {
  let rounds = withArg ? 1 : 0;
  let bytes = withArg ? openBytes(n, rows * k) : 0;
  for (const h of treePairs(k)) {
    const m = msbCost(n, rows * h, ring, bits);
    rounds += m.rounds + 1;
    bytes += m.bytes + mulBitBytes(n, rows * h, rows * h, ring);
    if (withArg) bytes += andBytes(n, 1, strideOf(rows * k), ring);
  }
  return { rounds, bytes };
}

/** Values (dim removed, or kept as 1) and the one-hot argmax (x's shape) or null. */
export type MaxResult = [values: SecretTensor, oneHot: SecretTensor | null];

function dims(x: SecretTensor, dim: number): { ax: number; rows: number; k: number } {
  const ax = normAxis(dim, x.shape.length);
  const k = x.shape[ax];
  return { ax, rows: k === 0 ? 0 : x.size / k, k };
}

/**
 * The kernel: `run(op, x, dim, withArg = false, keepDims = false, bits = ring)` -> [max,
 * one-hot]. With `bits` < ring the comparisons read the low bits only (`msb_a` with a
 * width): valid when every difference of two entries is below 2^(bits - 1) in raw value.
 */
export const maxA: KernelConfig<
  [SecretTensor, number, boolean?, boolean?, number?],
  MaxResult
> = {
  name: "max_a",
  cost: {
    rounds: (
      n: number,
      x: SecretTensor,
      dim: number,
      withArg = false,
      _k = false,
      bits?: number,
    ) => {
      const { rows, k } = dims(x, dim);
      return maxCost(n, rows, k, x.ring, withArg, bits ?? x.ring).rounds;
    },
    bytesPerParty: (
      n: number,
      x: SecretTensor,
      dim: number,
      withArg = false,
      _k = false,
      bits?: number,
    ) => {
      const { rows, k } = dims(x, dim);
      return maxCost(n, rows, k, x.ring, withArg, bits ?? x.ring).bytes;
    },
  },
  async run(op, x, dim, withArg = false, keepDims = false, bits?: number) {
    x.need("arithmetic", "max");
    const width = bits ?? x.ring;
    if (!Number.isInteger(width) || width < 2 || width > x.ring) {
      throw new RangeError(`max: bits must be an integer in [2, ${x.ring}], got ${width}`);
    }
    const { ax, rows, k } = dims(x, dim);
    if (k === 0) throw new RangeError(`max: dim ${dim} of ${x.shape} is empty`);
    const { ctx } = op;
    const r = x.shape.length;
    const perm = [...Array(r).keys()].filter((i) => i !== ax).concat([ax]);
    const permShape: Shape = perm.map((i) => x.shape[i]);
    let cur = x.permute(perm).reshape([rows, k]);
    const total = rows * k;
    const p0 = ctx.rank === 0;
    let oh: Uint32Array = new Uint32Array(strideOf(total));
    if (p0) oh = notPlane(oh, total);
    let starts = [...Array(k + 1).keys()];
    let level = 0;
    while (cur.shape[1] > 1) {
      const m = cur.shape[1];
      const h = m >> 1;
      const a = cur.gather(Array.from({ length: h }, (_, j) => 2 * j), 1);
      const b = cur.gather(Array.from({ length: h }, (_, j) => 2 * j + 1), 1);
      const diff = a.sub(b);
      const mb = new MulBit(sub(op, `y${level}`), [rows, h], diff);
      let ge = await msbPlane(sub(op, `m${level}`), diff, width);
      if (p0) ge = notPlane(ge, rows * h);
      let ohNext: Promise<Uint32Array> | null = null;
      if (withArg) {
        const mask = sideMask(ge, rows, k, h, starts, p0);
        ohNext = andFn(sub(op, `o${level}`))([oh], [mask]).then((z) => z[0]);
      }
      const sel = (await mb.finish(ge)).add(b);
      if (ohNext) oh = await ohNext;
      cur = m & 1 ? SecretTensor.concat([sel, cur.slice([0, m - 1], [rows, 1])], 1) : sel;
      starts = starts.filter((_, i) => i % 2 === 0 || i === m);
      level++;
    }
    const outShape = keepDims
      ? x.shape.map((s, i) => i === ax ? 1 : s)
      : x.shape.filter((_, i) => i !== ax);
    const values = cur.reshape(outShape);
    if (!withArg) return [values, null];
    const z = await b2aPlane(sub(op, "oh"), oh, [rows, k]);
    const inv = perm.map((_, i) => perm.indexOf(i));
    const one = new SecretTensor(ctx, "arithmetic", z, 0).reshape(permShape).permute(inv);
    return [values, one];
  },
};

/**
 * This party's share of the mask of one level: position p of a row gets the bit of the
 * pair it lies in (ge for the left range, ~ge for the right one), or 1 when its candidate
 * has no partner this level.
 */
function sideMask(
  ge: Uint32Array,
  rows: number,
  k: number,
  h: number,
  starts: number[],
  p0: boolean,
): Uint32Array {
  const out = new Uint32Array(strideOf(rows * k));
  const one = p0 ? 1 : 0;
  for (let c = 0; c < starts.length - 1; c++) {
    const j = c >> 1;
    const paired = j < h;
    for (let row = 0; row < rows; row++) {
      const g = paired ? (ge[(row * h + j) >>> 5] >>> ((row * h + j) & 31)) & 1 : 0;
      const bit = paired ? (c & 1 ? g ^ one : g) : one;
      if (bit === 0) continue;
      for (let pos = starts[c]; pos < starts[c + 1]; pos++) {
        const e = row * k + pos;
        out[e >>> 5] |= 1 << (e & 31);
      }
    }
  }
  return out;
}
