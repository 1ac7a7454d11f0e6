/**
 * Elementwise ring kernels on the CPU: `a + b`, `a - b`, `a * b`, `a & b`, `a | b`,
 * `a ^ b` mod 2^ring with NumPy broadcasting, and `-a`, `~a`, `a * c`.
 *
 * Each op has one plain flat loop per ring (`o[i] = f(a[i], b[i])`; with offsets in the
 * indices V8 runs it ~1.7x slower) for equal shapes, and a two-level loop nest for
 * broadcasts that collapse to rows x columns (bias rows, scale columns, scalars); deeper
 * broadcasts materialise their operands first. Every op is one call of one loop. In Z_2^64 the loop
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
import { type RingData, RingTensor } from "../ring.ts";
import { broadcastShapes, broadcastStrides, fmtShape, stridesOf } from "../shape.ts";
import { asCpu, asCpuPair } from "./check.ts";
import { expand } from "./layout.ts";
import { type Alloc, freshAlloc } from "./pool.ts";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";
import { collapse } from "../plans.ts";

/** The broadcasting elementwise binary ops. */
export type BinaryOp = "add" | "sub" | "mul" | "and" | "or" | "xor";

type Row<T> = (o: T, a: T, b: T, n: number) => void;

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

/** o[t n + j] = a[t ar + j ac] op b[t br + j bc]: rows x n with ac, bc in {0, 1}. */
type Bcast<T> = (
  o: T,
  a: T,
  b: T,
  rows: number,
  n: number,
  ar: number,
  ac: number,
  br: number,
  bc: number,
) => void;

const BCAST64: Record<BinaryOp, Bcast<B64>> = {
  add: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) {
        o[k] = BigInt.asUintN(64, a[t * ar + j * ac] + b[t * br + j * bc]);
      }
    }
  },
  sub: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) {
        o[k] = BigInt.asUintN(64, a[t * ar + j * ac] - b[t * br + j * bc]);
      }
    }
  },
  mul: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) {
        o[k] = BigInt.asUintN(64, a[t * ar + j * ac] * b[t * br + j * bc]);
      }
    }
  },
  and: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] & b[t * br + j * bc];
    }
  },
  or: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] | b[t * br + j * bc];
    }
  },
  xor: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] ^ b[t * br + j * bc];
    }
  },
};

const BCAST32: Record<BinaryOp, Bcast<U32>> = {
  add: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] + b[t * br + j * bc];
    }
  },
  sub: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] - b[t * br + j * bc];
    }
  },
  mul: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = Math.imul(a[t * ar + j * ac], b[t * br + j * bc]);
    }
  },
  and: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] & b[t * br + j * bc];
    }
  },
  or: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] | b[t * br + j * bc];
    }
  },
  xor: (o, a, b, rows, n, ar, ac, br, bc) => {
    for (let t = 0, k = 0; t < rows; t++) {
      for (let j = 0; j < n; j++, k++) o[k] = a[t * ar + j * ac] ^ b[t * br + j * bc];
    }
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
export function binary(
  op: BinaryOp,
  x: RingBuffer,
  y: RingBuffer,
  alloc: Alloc = freshAlloc,
): RingTensor {
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
  const out = alloc(a.ring, shape, false);
  if (out.size === 0) return out;
  const row = (a.ring === 64 ? ROWS64[op] : ROWS32[op]) as Row<RingData>;
  if (a.ring === 64) {
    warmOnce(row, () => {
      const [o, u, v] = warmArrays(3);
      warmLoop(() => row(o, u, v, WARM_SIZE));
    });
  }
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
  if (c.shape.length <= 2) {
    // Rows x n with each operand repeating by row or by element: one call of a loop nest,
    // so that V8 compiles one long loop (calling a BigInt loop many times can leave it in a
    // slow tier).
    const two = c.shape.length === 2;
    const [, as, bs] = c.strides;
    const bc = (a.ring === 64 ? BCAST64[op] : BCAST32[op]) as Bcast<RingData>;
    if (a.ring === 64) {
      warmOnce(bc, () => {
        const [o, u, v] = warmArrays(3);
        let k = 0;
        warmLoop(() => bc(o, u, v, 16, 16, 16, 1, k++ & 1 ? 0 : 16, 1));
      });
    }
    bc(
      out.data,
      a.data,
      b.data,
      two ? c.shape[0] : 1,
      c.shape[c.shape.length - 1],
      two ? as[0] : 0,
      as[as.length - 1],
      two ? bs[0] : 0,
      bs[bs.length - 1],
    );
    return out;
  }
  // Deeper broadcasts: materialise both operands, then one flat loop.
  const full = (t: RingTensor) => (t.size === out.size ? t : expand(t, shape));
  row(out.data, full(a).data, full(b).data, out.size);
  return out;
}

function neg64(o: B64, s: B64, n: number): void {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, -s[i]);
}

function scale64(o: B64, s: B64, cs: B64, n: number): void {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, s[i] * cs[0]);
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
export function neg(x: RingBuffer, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "neg");
  const out = alloc(a.ring, a.shape, false);
  const n = a.size;
  if (a.data instanceof BigUint64Array) {
    warmOnce(neg64, () => {
      const [o, u] = warmArrays(2);
      warmLoop(() => neg64(o, u, WARM_SIZE));
    });
    neg64(out.data as B64, a.data, n);
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
export function not(x: RingBuffer, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "not");
  const out = alloc(a.ring, a.shape, false);
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
export function mulScalar(x: RingBuffer, c: bigint, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "mulScalar");
  if (typeof c !== "bigint") throw new TypeError(`mulScalar: c must be a bigint, got ${typeof c}`);
  const out = alloc(a.ring, a.shape, false);
  const n = a.size;
  if (a.data instanceof BigUint64Array) {
    warmOnce(scale64, () => {
      const [o, u, v] = warmArrays(3);
      warmLoop(() => scale64(o, u, v, WARM_SIZE));
    });
    // Kept in a typed array and re-read, so that V8 keeps the loop in native 64-bit code.
    scale64(out.data as B64, a.data, new BigUint64Array([BigInt.asUintN(64, c)]), n);
  } else {
    const s = a.data, o = out.data as U32;
    const k = Number(BigInt.asUintN(32, c)) | 0;
    for (let i = 0; i < n; i++) o[i] = Math.imul(s[i], k);
  }
  return out;
}
