/**
 * Ring matrix products on the CPU, `C = A B mod 2^ring`, with PyTorch's `matmul` rules:
 * `[..., m, k] @ [..., k, n]` with broadcast batch dimensions, a 1-d left operand taken as a
 * row and a 1-d right operand as a column (their dimension is removed from the result).
 *
 * The 2-d product is {@linkcode gemm}, which picks the fastest kernel for the ring.
 *
 * @example
 * ```ts
 * import { matmul } from "./matmul.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]);
 * const v = RingTensor.fromBigInts([1n, -1n], [2]);
 * console.log(matmul(a, v).toBigInts(true)); // [-1n, -1n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { type RingData, RingTensor } from "../ring.ts";
import { numel, stridesOf } from "../shape.ts";
import { matmulPlan } from "../plans.ts";
import { asCpuPair } from "./check.ts";
import { gemm } from "./gemm.ts";
import { type Alloc, freshAlloc } from "./pool.ts";

/**
 * `a @ b` mod 2^ring (PyTorch `matmul`). `TypeError` naming both shapes for a scalar
 * operand, inner sizes that differ, or batch dimensions that do not broadcast.
 *
 * @example
 * ```ts
 * import { matmul } from "./matmul.ts";
 * import { RingTensor } from "../ring.ts";
 * const v = RingTensor.fromBigInts([1n, 2n], [2], 32);
 * console.log(matmul(v, v).shape, matmul(v, v).toBigInts()); // [] [5n]
 * ```
 */
export function matmul(x: RingBuffer, y: RingBuffer, alloc: Alloc = freshAlloc): RingTensor {
  const [a, b] = asCpuPair(x, y, "matmul");
  const { shape, m, k, n, batch, aStr, bStr } = matmulPlan(a.shape, b.shape);
  // Not zero-filled: every gemm below writes its whole block of the output.
  const out = alloc(a.ring, shape, false);
  const nb = numel(batch);
  if (out.size === 0) return out;
  if (b.rank <= 2) {
    // One shared matrix B (a Linear layer on [batch, seq, hidden]): fold the batch into
    // the rows of a single product, so B is copied and packed once.
    gemm(a.ring, a.data, 0, b.data, 0, out.data, 0, nb * m, k, n);
    return out;
  }
  const bst = stridesOf(batch);
  for (let t = 0; t < nb; t++) {
    // Offsets of batch t in each operand (a batch stride is 0 where it broadcasts).
    let oa = 0, ob = 0, rem = t;
    for (let d = 0; d < batch.length; d++) {
      const i = Math.floor(rem / bst[d]);
      rem -= i * bst[d];
      oa += i * aStr[d];
      ob += i * bStr[d];
    }
    gemm(
      a.ring,
      a.data as RingData,
      oa,
      b.data as RingData,
      ob,
      out.data,
      t * m * n,
      m,
      k,
      n,
    );
  }
  return out;
}
