/**
 * WebAssembly SIMD ring GEMM, `C = A B mod 2^64` (or 2^32), hand-assembled with
 * `Fn` (`wasm_emit.ts`). The classic register-blocked scheme (Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", TOMS 2008): A is packed into panels of R rows
 * and B into panels of W columns so the inner loop reads both sequentially, and an R x W
 * tile of C stays in SIMD registers over the whole k loop.
 *
 * Z_2^32 uses i32x4 lanes (`i32x4.mul` keeps the low 32 bits). Z_2^64 splits each element
 * into 32-bit limbs, `a = a1 2^32 + a0`, because `i64x2.mul` is emulated by V8 with three
 * 32-bit multiplies per lane; the ring product needs only
 *
 *   a b mod 2^64 = a0 b0 + ((a0 b1 + a1 b0) mod 2^32) 2^32,
 *
 * so the kernel sums a0 b0 exactly in i64x2 lanes (`i64x2.extmul_*_i32x4_u`) and the cross
 * terms mod 2^32 in i32x4 lanes (`i32x4.mul`), and combines them once per tile. B panels
 * hold the low words of 4 columns then their high words; A panels hold each element's low
 * and high word already splat to whole vectors (4x the bytes of A, so no broadcast in the
 * inner loop), the tile is 3 rows (9 accumulators; 4 rows ran out of x64's 16 vector
 * registers), and the k loop is unrolled 4 times.
 *
 * Where the time goes (Zen 4, Deno 2.9.6, [128,768] @ [768,768] = 75.5M multiply-adds):
 * ~18 ms in the kernel, ~1 ms copying and packing. Per row, k step and 4 columns the kernel
 * issues 2 extended multiplies (V8 emits each as two `vpunpck` shuffles and a `vpmuludq`),
 * 2 `vpmulld` and 4 adds: 12 SIMD operations for 4 multiply-adds, and the core retires at
 * most ~4 a cycle, so ~0.75 cycles per multiply-add (15 ms at 3.7 GHz) is this scheme's
 * floor; the exact low products alone (no cross terms) measured 14.4 ms. Alternatives
 * measured slower: `i64x2.mul` (3 multiplies and 3 shifts per 2 lanes), 4-row tiles
 * (spills), and tiles of 8 rows in lanes with B broadcast.
 *
 * The JS side copies A and B into the instance's memory (padded to whole panels), packs,
 * multiplies, and copies C back out; all of that is O(mk + kn + mn) next to O(mkn). Rows
 * run in blocks whose packed A fits in ~4 MiB (of the 32 MiB L3), so that a block stays in
 * cache while every B panel passes over it: [128,1536] @ [1536,768] took 40.2 ms in 1 MiB
 * blocks, 38.7 in 4 MiB, 39.3 unblocked; [1024,768] @ [768,768] 149, 148 and 147 ms.
 *
 * @example
 * ```ts
 * import { gemmWasm } from "./gemm_wasm.ts";
 * const c = new BigUint64Array(1);
 * gemmWasm(64, new BigUint64Array([2n, 3n]), 0, new BigUint64Array([4n, 5n]), 0, c, 0, 1, 2, 1);
 * console.log(c); // BigUint64Array [23n]
 * ```
 * @module
 */
import type { Ring, RingData } from "../ring.ts";
import { gemmInstance, GEO } from "./gemm_kernels.ts";

export { gemmModuleBytes } from "./gemm_kernels.ts";

const ceil = (x: number, q: number) => Math.ceil(x / q) * q;

/** Zeroes elements [from, to) of ring storage of either kind. */
export function zeroFill(d: RingData, from: number, to: number): void {
  if (d instanceof BigUint64Array) d.fill(0n, from, to);
  else d.fill(0, from, to);
}

/**
 * Writes the k x n matrix B into instance memory `heap` (elements) from element `at`, row
 * after row `np >= n` elements apart; every element of the k x np block must be written
 * (zeros in the padding columns).
 */
export type WriteB = (heap: RingData, at: number, np: number) => void;

/**
 * Reads rows [i0, i0 + rows) of the m x n result from `heap` (elements): row i0 starts at
 * `at`, rows are `np >= n` elements apart. Called once, or once per block of rows when the
 * product is too large for one pass.
 */
export type ReadC = (heap: RingData, at: number, np: number, i0: number, rows: number) => void;

/** Most bytes of WebAssembly memory one pass may use; larger products run in row blocks. */
const MAX_SCRATCH = 1 << 30;

/** Bytes of packed A that the kernel keeps in cache while all of B passes (a row block). */
let A_BLOCK_BYTES = 4 << 20;

/**
 * Test and tuning hook: sets the bytes of packed A per row block (see the module doc);
 * returns the previous value. Results do not depend on it.
 *
 * @example
 * ```ts
 * import { setGemmBlockBytes } from "./gemm_wasm.ts";
 * const old = setGemmBlockBytes(1); // one tile of rows per block
 * setGemmBlockBytes(old);
 * ```
 */
export function setGemmBlockBytes(bytes: number): number {
  const old = A_BLOCK_BYTES;
  A_BLOCK_BYTES = bytes;
  return old;
}

/**
 * Scratch bytes of one pass of {@linkcode gemmStaged}: `bBytes` for B (raw and packed)
 * plus `rowBytes` per row of A (padded to whole tiles of rows).
 *
 * @example
 * ```ts
 * import { scratchBytes } from "./gemm_wasm.ts";
 * console.log(scratchBytes(32, 2, 3)); // { bBytes: 128, rowBytes: 48, tileRows: 4 }
 * ```
 */
export function scratchBytes(
  ring: Ring,
  k: number,
  n: number,
): { bBytes: number; rowBytes: number; tileRows: number } {
  const { R, W, es, aRow } = GEO[ring];
  const np = ceil(n, W);
  // B raw and packed; per A row: raw A, packed A, C.
  return { bBytes: 2 * k * np * es, rowBytes: k * es + k * aRow + np * es, tileRows: R };
}

/**
 * Writes rows [i0, i0 + rows) of the m x k matrix A into instance memory `heap` (elements)
 * from element `at`, row after row k elements apart.
 */
export type WriteA = (heap: RingData, at: number, i0: number, rows: number) => void;

/**
 * `C = A (m x k) @ B (k x n)` mod 2^ring with the WebAssembly SIMD kernel, where A and B
 * are written straight into the instance memory by `writeA` and `writeB` (a fused Beaver
 * product lays two operands side by side there, conv builds its im2col columns) and C is
 * handed to `readC`. Products too large for `maxScratch` bytes run in blocks of rows, each
 * writing B again.
 *
 * @example
 * ```ts
 * import { gemmRows } from "./gemm_wasm.ts";
 * const out = new Uint32Array(1);
 * gemmRows(32, 1, 2, 1, (heap, at) => (heap as Uint32Array).set([2, 3], at), (heap, at, np) => {
 *   (heap as Uint32Array).fill(0, at, at + 2 * np);
 *   heap[at] = 4;
 *   heap[at + np] = 5;
 * }, (heap, at) => out.set((heap as Uint32Array).subarray(at, at + 1)));
 * console.log(out); // Uint32Array [23]
 * ```
 */
export function gemmRows(
  ring: Ring,
  m: number,
  k: number,
  n: number,
  writeA: WriteA,
  writeB: WriteB,
  readC: ReadC,
  maxScratch = MAX_SCRATCH,
): void {
  const { R } = GEO[ring];
  const { bBytes, rowBytes } = scratchBytes(ring, k, n);
  let rows = m;
  if (bBytes + ceil(m, R) * rowBytes > maxScratch) {
    rows = Math.floor((maxScratch - bBytes) / rowBytes / R) * R;
    if (rows < R) {
      throw new RangeError(
        `gemm: B of ${k} x ${n} does not fit the ${maxScratch} bytes of WebAssembly scratch`,
      );
    }
  }
  for (let i0 = 0; i0 < m; i0 += rows) {
    onePass(ring, i0, Math.min(rows, m - i0), k, n, writeA, writeB, readC);
  }
}

/** One pass of {@linkcode gemmRows} over rows [i0, i0 + m) that fit the scratch. */
function onePass(
  ring: Ring,
  i0: number,
  m: number,
  k: number,
  n: number,
  writeA: WriteA,
  writeB: WriteB,
  readC: ReadC,
): void {
  const w = gemmInstance();
  const { R, W, es, aRow } = GEO[ring];
  const np = ceil(n, W);
  const mp = ceil(m, R);
  // Layout (bytes): raw A [mp, k] | raw B [k, np] | packed A | packed B | C [mp, np]
  const rawA = 0, rawB = rawA + mp * k * es, pA = rawB + k * np * es;
  const pB = pA + mp * k * aRow, pC = pB + k * np * es, end = pC + mp * np * es;
  const need = Math.ceil(end / 65536) - w.mem.buffer.byteLength / 65536;
  if (need > 0) w.mem.grow(need);
  const buf = w.mem.buffer as ArrayBuffer;
  const heap = ring === 64 ? new BigUint64Array(buf) : new Uint32Array(buf);
  writeA(heap, rawA / es, i0, m);
  new Uint8Array(buf).fill(0, rawA + m * k * es, rawB);
  writeB(heap, rawB / es, np);
  // Rows per block: the block's packed A within A_BLOCK_BYTES (at least one tile).
  const mc = Math.min(mp, Math.max(R, Math.floor(A_BLOCK_BYTES / (k * aRow * R || 1)) * R));
  if (ring === 64) {
    w.packA64(rawA, pA, mp, k);
    w.packB64(rawB, pB, k, np * es);
    w.gemm64(pA, pB, pC, mp, k, np, mc);
  } else {
    w.packA32(rawA, pA, mp, k);
    w.packB32(rawB, pB, k, np * es);
    w.gemm32(pA, pB, pC, mp, k, np, mc);
  }
  readC(heap, pC / es, np, i0, m);
}

/**
 * `C = A[aOff..] (m x k) @ B (k x n)` mod 2^ring with the WebAssembly SIMD kernel, where B
 * is written straight into the instance memory by `writeB` (conv builds its im2col
 * columns there) and C is handed to `readC`.
 *
 * @example
 * ```ts
 * import { gemmStaged } from "./gemm_wasm.ts";
 * const out = new Uint32Array(1);
 * gemmStaged(32, new Uint32Array([2, 3]), 0, 1, 2, 1, (heap, at, np) => {
 *   (heap as Uint32Array).fill(0, at, at + 2 * np);
 *   heap[at] = 4;
 *   heap[at + np] = 5;
 * }, (heap, at) => out.set((heap as Uint32Array).subarray(at, at + 1)));
 * console.log(out); // Uint32Array [23]
 * ```
 */
export function gemmStaged(
  ring: Ring,
  a: RingData,
  aOff: number,
  m: number,
  k: number,
  n: number,
  writeB: WriteB,
  readC: ReadC,
  maxScratch = MAX_SCRATCH,
): void {
  const A = a as Uint32Array;
  gemmRows(
    ring,
    m,
    k,
    n,
    (heap, at, i0, rows) => {
      (heap as Uint32Array).set(A.subarray(aOff + i0 * k, aOff + (i0 + rows) * k), at);
    },
    writeB,
    readC,
    maxScratch,
  );
}

/**
 * `C[cOff..] = A[aOff..] (m x k) @ B[bOff..] (k x n)` mod 2^ring, row-major, with the
 * WebAssembly SIMD kernel (C is overwritten).
 *
 * @example
 * ```ts
 * import { gemmWasm } from "./gemm_wasm.ts";
 * const c = new Uint32Array(1);
 * gemmWasm(32, new Uint32Array([2, 3]), 0, new Uint32Array([4, 5]), 0, c, 0, 1, 2, 1);
 * console.log(c); // Uint32Array [23]
 * ```
 */
export function gemmWasm(
  ring: Ring,
  a: RingData,
  aOff: number,
  b: RingData,
  bOff: number,
  c: RingData,
  cOff: number,
  m: number,
  k: number,
  n: number,
  maxScratch = MAX_SCRATCH,
): void {
  if (m === 0 || n === 0 || k === 0) {
    zeroFill(c, cOff, cOff + m * n);
    return;
  }
  const B = b as Uint32Array, C = c as Uint32Array;
  gemmStaged(ring, a, aOff, m, k, n, (heap, at, np) => {
    const h = heap as Uint32Array;
    if (np === n) h.set(B.subarray(bOff, bOff + k * n), at);
    else {
      zeroFill(heap, at, at + k * np);
      for (let p = 0; p < k; p++) h.set(B.subarray(bOff + p * n, bOff + p * n + n), at + p * np);
    }
  }, (heap, at, np, i0, rows) => {
    const h = heap as Uint32Array, o = cOff + i0 * n;
    if (np === n) C.set(h.subarray(at, at + rows * n), o);
    else for (let i = 0; i < rows; i++) C.set(h.subarray(at + i * np, at + i * np + n), o + i * n);
  }, maxScratch);
}
