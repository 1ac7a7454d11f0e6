/**
 * `PublicTensor`: a value every party knows (or a party-local constant), in the context's
 * ring with its own fixed-point precision. Mixing it into a secret costs nothing: only
 * party 0 adds it, every party multiplies by it.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
 *   return await x.add(ctx.public([10, 20])).reveal();
 * });
 * console.log(out[0]); // Float64Array [11, 22]
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import { decode, encode } from "@sharetensor/core/fixed_point";
import { RingTensor } from "@sharetensor/core/ring";
import { fmtShape, numel, type Shape } from "@sharetensor/core/shape";
import type { Context } from "./runtime/context.ts";

/** Values a party can share or make public. */
export type TensorValue =
  | number
  | bigint
  | readonly number[]
  | Float64Array
  | readonly bigint[]
  | RingTensor;

/**
 * Encodes `value` into a ring tensor of `shape` with `fracBits` (numbers) or as raw ring
 * integers (bigints, `RingTensor`s). `TypeError` when the size or ring does not fit.
 *
 * @example
 * ```ts
 * import { encodeValue } from "@sharetensor/protocols";
 * console.log(encodeValue([1.5], [1], 64, 16).toBigInts()); // [98304n]
 * ```
 */
export function encodeValue(
  value: TensorValue,
  shape: Shape,
  ring: 64 | 32,
  fracBits: number,
): RingTensor {
  const n = numel(shape);
  if (value instanceof RingTensor) {
    if (value.ring !== ring || value.size !== n) {
      throw new TypeError(
        `value Z_2^${value.ring} ${fmtShape(value.shape)} does not fit Z_2^${ring} ${
          fmtShape(shape)
        }`,
      );
    }
    return new RingTensor(ring, shape, value.data.slice());
  }
  if (typeof value === "bigint") {
    return RingTensor.fromBigInts(new Array(n).fill(value), shape, ring);
  }
  if (typeof value === "number") {
    return encode(new Float64Array(n).fill(value), { fracBits, ring, shape });
  }
  const arr = value as ArrayLike<number | bigint>;
  if (arr === null || typeof arr !== "object" || typeof arr.length !== "number") {
    throw new TypeError(`expected numbers, bigints or a RingTensor, got ${typeof value}`);
  }
  if (arr.length !== n) {
    throw new TypeError(`${arr.length} values do not fit shape ${fmtShape(shape)} (${n} elements)`);
  }
  if (arr.length > 0 && typeof arr[0] === "bigint") {
    return RingTensor.fromBigInts(Array.from(arr as ArrayLike<bigint>), shape, ring);
  }
  const f = arr instanceof Float64Array ? arr : Float64Array.from(arr as ArrayLike<number>);
  return encode(f, { fracBits, ring, shape });
}

/**
 * A public tensor of one context.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const [v] = await runParties(2, (ctx) => ctx.public([1.5, 2]).value());
 * console.log(v); // Float64Array [1.5, 2]
 * ```
 */
export class PublicTensor {
  /** The context it belongs to. */
  readonly ctx: Context;
  /** The value on the context's device. */
  readonly buf: RingBuffer;
  /** Fractional bits of the encoding. */
  readonly fracBits: number;

  /** Internal: use `ctx.public(...)`. */
  constructor(ctx: Context, buf: RingBuffer, fracBits: number) {
    this.ctx = ctx;
    this.buf = buf;
    this.fracBits = fracBits;
  }

  /** Shape. */
  get shape(): Shape {
    return this.buf.shape;
  }

  /** Decoded values. */
  async value(): Promise<Float64Array> {
    return decode(await this.ctx.device.download(this.buf), this.fracBits);
  }
}
