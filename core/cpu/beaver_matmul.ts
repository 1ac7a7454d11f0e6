/**
 * The fused finish of a Beaver matrix product on the CPU:
 *
 *   z = c + e @ b + a @ f  (+ e @ f when `withEf`)
 *
 * as ONE ring GEMM `[e | a'] @ [b ; f]` with `a' = a` (or `a + e`, since
 * `e @ f + a @ f = (e + a) @ f`). The two left operands are laid side by side and the two
 * right operands one above the other straight in the WebAssembly memory
 * ({@linkcode gemmRows}), and `c` is added while C is read out: the multiply-adds of the two
 * products and nothing else of their size: no `b + f` over the (often larger) right
 * operand, no product temporaries, no separate sums. The multiply-adds dominate: for W2a
 * ([128,768] @ [768,768], Z_2^64) this takes 39.5-41 ms on the dev VM, the separate kernels
 * ~41 ms, each product ~19.5 ms (see `gemm_wasm.ts` for the kernel's floor).
 *
 * @example
 * ```ts
 * import { beaverMatmul } from "./beaver_matmul.ts";
 * import { RingTensor } from "../ring.ts";
 * const t = (v: bigint) => RingTensor.fromBigInts([v], [1, 1]);
 * // 3 + 4*2 + 1*5 + 4*5
 * console.log(beaverMatmul(t(1n), t(2n), t(3n), t(4n), t(5n), true).toBigInts()); // [36n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { matmulPlan } from "../plans.ts";
import type { RingData, RingTensor } from "../ring.ts";
import { fmtShape, sameShape } from "../shape.ts";
import { asCpu } from "./check.ts";
import { gemmRows, zeroFill } from "./gemm_wasm.ts";
import { type Alloc, freshAlloc } from "./pool.ts";
import { WARM_SIZE, warmArrays, warmLoop, warmOnce } from "./warm.ts";

type B64 = BigUint64Array;
type U32 = Uint32Array;

/** o[i] = x[i] + y[i] mod 2^64 over whole (sub)arrays. */
const add64 = (o: B64, x: B64, y: B64, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = BigInt.asUintN(64, x[i] + y[i]);
};

const add32 = (o: U32, x: U32, y: U32, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = x[i] + y[i];
};

const scratch: { 64?: B64; 32?: U32 } = {};

/**
 * A view of `n` elements of reused scratch storage of the ring (grown as needed and kept:
 * a cache of memory, not program state; touching fresh memory is slow on some hosts).
 */
function sumScratch(ring: 64 | 32, n: number): RingData {
  const have = scratch[ring];
  if (have && have.length >= n) return have.subarray(0, n);
  const fresh = ring === 64 ? new BigUint64Array(n) : new Uint32Array(n);
  if (ring === 64) scratch[64] = fresh as B64;
  else scratch[32] = fresh as U32;
  return fresh;
}

/** `o = x + y` mod 2^ring for equally long views. */
function addInto(ring: 64 | 32, o: RingData, x: RingData, y: RingData): void {
  if (ring === 64) add64(o as B64, x as B64, y as B64, o.length);
  else add32(o as U32, x as U32, y as U32, o.length);
}

/**
 * Whether {@linkcode beaverMatmul} takes these shapes: `a` and `e` alike, `b` and `f` alike
 * and at most 2-d (one matrix shared by every row of the left operand, whose batch
 * dimensions fold into rows), `c` of the product's shape.
 *
 * @example
 * ```ts
 * import { beaverMatmulFits } from "./beaver_matmul.ts";
 * console.log(beaverMatmulFits([4, 3], [3, 2], [4, 2], [4, 3], [3, 2])); // true
 * console.log(beaverMatmulFits([2, 4, 3], [2, 3, 2], [2, 4, 2], [2, 4, 3], [2, 3, 2])); // false
 * ```
 */
export function beaverMatmulFits(
  a: readonly number[],
  b: readonly number[],
  c: readonly number[],
  e: readonly number[],
  f: readonly number[],
): boolean {
  if (!sameShape(a, e) || !sameShape(b, f) || b.length > 2 || a.length < 1 || b.length < 1) {
    return false;
  }
  try {
    return sameShape(matmulPlan(e, b).shape, c);
  } catch {
    return false;
  }
}

/**
 * `c + e @ b + a @ f (+ e @ f when withEf)` mod 2^ring, PyTorch `matmul` shapes with a
 * right operand of at most 2 dimensions (see {@linkcode beaverMatmulFits}); `TypeError`
 * naming the shapes for any other, or for operands of different rings.
 *
 * @example
 * ```ts
 * import { beaverMatmul } from "./beaver_matmul.ts";
 * import { RingTensor } from "../ring.ts";
 * const m = (v: bigint[], s: number[]) => RingTensor.fromBigInts(v, s, 32);
 * const a = m([1n, 0n], [1, 2]), e = m([2n, 1n], [1, 2]), b = m([1n, 1n], [2, 1]);
 * const f = m([3n, 0n], [2, 1]), c = m([10n], [1, 1]);
 * // 10 + (2 + 1) + (3 + 0)
 * console.log(beaverMatmul(a, b, c, e, f, false).toBigInts()); // [16n]
 * ```
 */
export function beaverMatmul(
  a: RingBuffer,
  b: RingBuffer,
  c: RingBuffer,
  e: RingBuffer,
  f: RingBuffer,
  withEf: boolean,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const ts = [a, b, c, e, f].map((x) => asCpu(x, "beaverMatmul"));
  const [ta, tb, tc, te, tf] = ts;
  const ring = ta.ring;
  if (
    ts.some((t) => t.ring !== ring) ||
    !beaverMatmulFits(ta.shape, tb.shape, tc.shape, te.shape, tf.shape)
  ) {
    throw new TypeError(
      `beaverMatmul: needs a, e [..., m, k]; b, f [k, n] (or [k]); c the product's shape; one ring; got ${
        ts.map((t, i) => `${"abcef"[i]}: Z_2^${t.ring} ${fmtShape(t.shape)}`).join(", ")
      }`,
    );
  }
  const k = tb.shape[0], n = tb.rank === 2 ? tb.shape[1] : 1;
  const out = alloc(ring, tc.shape, false);
  if (out.size === 0) return out;
  const rows = out.size / n; // the left operand's batch dimensions fold into rows
  if (ring === 64) {
    warmOnce(add64, () => {
      const w = warmArrays(3);
      warmLoop(() => add64(w[0], w[1], w[2], WARM_SIZE));
    });
  }
  const [db, dc, de, df, dout] = [tb.data, tc.data, te.data, tf.data, out.data] as Uint32Array[];
  // The left operand of f: a, or a + e in one flat pass into reused scratch (per-row adds
  // straight into wasm memory ran 1-4 ms slower at 256 x 256).
  let da = ta.data as Uint32Array;
  if (withEf) {
    da = sumScratch(ring, ta.size) as Uint32Array;
    addInto(ring, da, ta.data, te.data);
  }
  // A' [rows, 2k] = [e | a (+ e)], B' [2k, n] = [b ; f].
  gemmRows(ring, rows, 2 * k, n, (heap, at, i0, cnt) => {
    const h = heap as Uint32Array;
    for (let i = 0; i < cnt; i++) {
      const src = (i0 + i) * k, dst = at + i * 2 * k;
      h.set(de.subarray(src, src + k), dst);
      h.set(da.subarray(src, src + k), dst + k);
    }
  }, (heap, at, np) => {
    const h = heap as Uint32Array;
    for (const [src, first] of [[db, 0], [df, k]] as const) {
      if (np === n) h.set(src.subarray(0, k * n), at + first * np);
      else {
        for (let p = 0; p < k; p++) {
          const row = at + (first + p) * np;
          h.set(src.subarray(p * n, p * n + n), row);
          zeroFill(heap, row + n, row + np);
        }
      }
    }
  }, (heap, at, np, i0, cnt) => {
    const h = heap as Uint32Array;
    if (np === n) {
      const o = i0 * n, len = cnt * n;
      addInto(ring, dout.subarray(o, o + len), h.subarray(at, at + len), dc.subarray(o, o + len));
    } else {
      for (let i = 0; i < cnt; i++) {
        const o = (i0 + i) * n;
        addInto(
          ring,
          dout.subarray(o, o + n),
          h.subarray(at + i * np, at + i * np + n),
          dc.subarray(o, o + n),
        );
      }
    }
  });
  return out;
}
