/**
 * Elementwise ring kernels on the CPU: `a + b`, `a - b`, `a * b`, `a & b`, `a | b`,
 * `a ^ b` mod 2^ring with NumPy broadcasting, and `-a`, `~a`, `a * c`.
 *
 * Each op has one plain flat loop per ring (`o[i] = f(a[i], b[i])`: with offsets in the
 * indices V8 runs it ~1.7x slower); broadcasting runs it per row on subarrays, or over
 * materialised operands when rows are short. In Z_2^64 the loop
 * `o[i] = BigInt.asUintN(64, a[i] * b[i])` over `BigUint64Array`s is compiled by V8 to
 * native 64-bit code as long as every BigInt comes straight from a typed array (a BigInt
 * kept in a local across iterations is not), so a broadcast scalar is re-read from its
 * array rather than hoisted. In Z_2^32, `Math.imul` gives the low 32 bits of a product.
 *
 * @example
 * ```ts
 * import { binary } from "./elementwise.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]);
 * const b = RingTensor.fromBigInts([10n, -1n], [2]);
 * console.log(binary("add", a, b).toBigInts(true)); // [11n, 1n, 13n, 3n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { allocRing, type RingData, RingTensor } from "../ring.ts";
import { broadcastShapes, broadcastStrides, fmtShape, stridesOf } from "../shape.ts";
import { asCpu, asCpuPair } from "./check.ts";
import { expand } from "./layout.ts";
import { collapse } from "./strided.ts";

/** The broadcasting elementwise binary ops. */
export type BinaryOp = "add" | "sub" | "mul" | "and" | "or" | "xor";

type Row<T> = (o: T, a: T, b: T, n: number) => void;

/** Elements per call when an operand is broadcast along a row (bounds its filled block). */
const CHUNK = 1 << 12;
type B64 = BigUint64Array;
type U32 = Uint32Array;

const ROWS64: Record<BinaryOp, Row<B64>> = {
  add: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, a[i] + b[i]);
  },
  sub: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, a[i] - b[i]);
  },
  mul: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, a[i] * b[i]);
  },
  and: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] & b[i];
  },
  or: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] | b[i];
  },
  xor: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] ^ b[i];
  },
};

const ROWS32: Record<BinaryOp, Row<U32>> = {
  add: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] + b[i];
  },
  sub: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] - b[i];
  },
  mul: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.imul(a[i], b[i]);
  },
  and: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] & b[i];
  },
  or: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] | b[i];
  },
  xor: (o, a, b, n) => {
    for (let i = 0; i < n; i++) o[i] = a[i] ^ b[i];
  },
};

/**
 * `a op b` elementwise mod 2^ring with NumPy broadcasting. `TypeError` naming both shapes
 * when they do not broadcast or the rings differ.
 *
 * @example
 * ```ts
 * import { binary } from "./elementwise.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([3n], [1], 32);
 * console.log(binary("mul", a, a).toBigInts()); // [9n]
 * ```
 */
export function binary(op: BinaryOp, x: RingBuffer, y: RingBuffer): RingTensor {
  const [a, b] = asCpuPair(x, y, op);
  let shape: number[];
  try {
    shape = broadcastShapes(a.shape, b.shape);
  } catch (e) {
    throw new TypeError(
      `${op}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not broadcast`,
      { cause: e },
    );
  }
  const out = new RingTensor(a.ring, shape);
  if (out.size === 0) return out;
  const row = (a.ring === 64 ? ROWS64[op] : ROWS32[op]) as Row<RingData>;
  const os = stridesOf(shape);
  const c = collapse(shape, [
    os,
    broadcastStrides(a.shape, shape),
    broadcastStrides(b.shape, shape),
  ]);
  if (c.shape.length === 1 && c.strides[1][0] === 1 && c.strides[2][0] === 1) {
    row(out.data, a.data, b.data, out.size); // same shapes: one flat loop, the fast path
    return out;
  }
  const r = c.shape.length - 1;
  const n = c.shape[r];
  if (n < 64) {
    // Short rows: materialise the broadcasts and run one flat loop.
    const full = (t: RingTensor) => (t.size === out.size ? t : expand(t, shape));
    row(out.data, full(a).data, full(b).data, out.size);
    return out;
  }
  // Long rows: one flat loop per row on subarrays; an operand that is constant along the
  // row is a filled block of at most CHUNK elements, and such rows run in chunks.
  const [, as, bs] = c.strides;
  const step = as[r] === 0 || bs[r] === 0 ? Math.min(n, CHUNK) : n;
  const ta = as[r] === 0 ? allocRing(a.ring, step) : null;
  const tb = bs[r] === 0 ? allocRing(a.ring, step) : null;
  const rows = out.size / n;
  const oc = stridesOf(c.shape);
  for (let t = 0; t < rows; t++) {
    let ai = 0, bi = 0, rem = t * n;
    for (let d = 0; d < r; d++) {
      const i = Math.floor(rem / oc[d]);
      rem -= i * oc[d];
      ai += i * as[d];
      bi += i * bs[d];
    }
    if (ta) (ta as U32).fill((a.data as U32)[ai]);
    if (tb) (tb as U32).fill((b.data as U32)[bi]);
    for (let j = 0; j < n; j += step) {
      const len = Math.min(step, n - j);
      const ra = ta ? ta.subarray(0, len) : (a.data as U32).subarray(ai + j, ai + j + len);
      const rb = tb ? tb.subarray(0, len) : (b.data as U32).subarray(bi + j, bi + j + len);
      row((out.data as U32).subarray(t * n + j, t * n + j + len), ra, rb, len);
    }
  }
  return out;
}

/**
 * `-a` mod 2^ring.
 *
 * @example
 * ```ts
 * import { neg } from "./elementwise.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(neg(RingTensor.fromBigInts([1n], [1])).toBigInts(true)); // [-1n]
 * ```
 */
export function neg(x: RingBuffer): RingTensor {
  const a = asCpu(x, "neg");
  const out = new RingTensor(a.ring, a.shape);
  const n = a.size;
  if (a.data instanceof BigUint64Array) {
    const s = a.data, o = out.data as B64;
    for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, -s[i]);
  } else {
    const s = a.data, o = out.data as U32;
    for (let i = 0; i < n; i++) o[i] = -s[i];
  }
  return out;
}

/**
 * `~a`: every bit flipped (`-a - 1` mod 2^ring).
 *
 * @example
 * ```ts
 * import { not } from "./elementwise.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(not(RingTensor.fromBigInts([0n], [1], 32)).toBigInts()); // [4294967295n]
 * ```
 */
export function not(x: RingBuffer): RingTensor {
  const a = asCpu(x, "not");
  const out = new RingTensor(a.ring, a.shape);
  // Word by word: the same bits in both rings, and no BigInt on the way.
  const s = a.data instanceof BigUint64Array
    ? new Uint32Array(a.data.buffer, a.data.byteOffset, a.size * 2)
    : a.data;
  const o = out.data instanceof BigUint64Array
    ? new Uint32Array(out.data.buffer, 0, out.size * 2)
    : out.data;
  for (let i = 0; i < s.length; i++) o[i] = ~s[i];
  return out;
}

/**
 * `a * c` for a public scalar `c`, taken mod 2^ring.
 *
 * @example
 * ```ts
 * import { mulScalar } from "./elementwise.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(mulScalar(RingTensor.fromBigInts([3n], [1]), -2n).toBigInts(true)); // [-6n]
 * ```
 */
export function mulScalar(x: RingBuffer, c: bigint): RingTensor {
  const a = asCpu(x, "mulScalar");
  if (typeof c !== "bigint") throw new TypeError(`mulScalar: c must be a bigint, got ${typeof c}`);
  const out = new RingTensor(a.ring, a.shape);
  const n = a.size;
  if (a.data instanceof BigUint64Array) {
    const s = a.data, o = out.data as B64;
    // Kept in a typed array and re-read, so that V8 keeps the loop in native 64-bit code.
    const cs = new BigUint64Array([BigInt.asUintN(64, c)]);
    for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, s[i] * cs[0]);
  } else {
    const s = a.data, o = out.data as U32;
    const k = Number(BigInt.asUintN(32, c)) | 0;
    for (let i = 0; i < n; i++) o[i] = Math.imul(s[i], k);
  }
  return out;
}
