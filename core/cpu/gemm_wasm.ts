/**
 * WebAssembly SIMD ring GEMM, `C = A B mod 2^64` (or 2^32), hand-assembled with
 * {@linkcode Fn}. The classic register-blocked scheme (Goto and van de Geijn, "Anatomy of
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
 * run in blocks whose packed A fits in ~1 MiB, so that a block stays in cache while every
 * B panel passes over it.
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
import { Fn, moduleBytes, Op, Simd } from "./wasm_emit.ts";

/**
 * Tile geometry per ring: `R` rows by `W` columns of C in registers; packed A holds
 * `aRow` bytes per row and k step (Z_2^64: the low and the high word of each element, each
 * already splat to a whole vector, so the inner loop reads A with plain loads instead of
 * broadcasts); packed B `bRow` bytes per k step of a panel.
 */
const GEO = {
  64: { R: 3, W: 4, es: 8, aRow: 32, bRow: 32 },
  32: { R: 4, W: 8, es: 4, aRow: 4, bRow: 32 },
} as const;
/** k steps per iteration of the unrolled inner loop (a remainder loop takes the rest). */
const U = 4;

/**
 * Packs A [mp, k] (mp a multiple of R) into panels of R rows, k steps after each other.
 * Z_2^32: dst[((i/R) k + p) R + r] = A[i + r, p]. Z_2^64: the same order, each element
 * stored as splat(low word) then splat(high word), 32 bytes.
 */
function emitPackA(ring: 64 | 32): Fn {
  const { R, es, aRow } = GEO[ring];
  const f = new Fn(["i32", "i32", "i32", "i32"]); // src, dst, mp, k
  const [src, dst, mp, k] = [0, 1, 2, 3];
  const ib = f.local("i32"), p = f.local("i32"), s = f.local("i32");
  f.for(ib, () => f.i32(0), () => f.get(mp), R, () => {
    f.for(p, () => f.i32(0), () => f.get(k), 1, () => {
      // s = src + (ib k + p) es; rows r are k es bytes apart.
      f.get(src).get(ib).get(k).op(Op.i32Mul).get(p).op(Op.i32Add).i32(es).op(Op.i32Mul)
        .op(Op.i32Add).set(s);
      for (let r = 0; r < R; r++) {
        const at = () => f.get(s).get(k).i32(r * es).op(Op.i32Mul).op(Op.i32Add);
        if (ring === 32) {
          f.get(dst);
          at().mem(Op.i32Load, 2).mem(Op.i32Store, 2, r * 4);
        } else {
          for (const w of [0, 1]) {
            f.get(dst);
            at().mem(Op.i32Load, 2, w * 4).simd(Simd.i32x4Splat)
              .simd(Simd.store, [0, r * aRow + w * 16]);
          }
        }
      }
      f.get(dst).i32(R * aRow).op(Op.i32Add).set(dst);
    });
  });
  return f;
}

/**
 * Packs B [k, np] (np a multiple of W) into panels: dst[((j/W) k + p) W + c] = B[p, j + c].
 * With `split`, a 64-bit panel row of 4 columns is stored as their 4 low words then their
 * 4 high words (see the module doc).
 */
function emitPackB(split: boolean): Fn {
  const f = new Fn(["i32", "i32", "i32", "i32"]); // src, dst, k, npBytes
  const [src, dst, k, npb] = [0, 1, 2, 3];
  const jb = f.local("i32"), p = f.local("i32"), s = f.local("i32");
  const lanes = (from: number) =>
    [0, 1, 2, 3].flatMap((w) => [0, 1, 2, 3].map((b) => from + w * 8 + b));
  f.for(jb, () => f.i32(0), () => f.get(npb), 32, () => {
    f.get(src).get(jb).op(Op.i32Add).set(s);
    f.for(p, () => f.i32(0), () => f.get(k), 1, () => {
      if (split) {
        for (const [at, from] of [[0, 0], [16, 4]]) {
          // i8x16.shuffle picks the low (or high) words of the 4 elements of two vectors.
          f.get(dst).get(s).simd(Simd.load, [0, 0]).get(s).simd(Simd.load, [0, 16])
            .op(0xfd, 0x0d, ...lanes(from)).simd(Simd.store, [0, at]);
        }
      } else {
        for (let v = 0; v < 2; v++) {
          f.get(dst).get(s).simd(Simd.load, [0, v * 16]).simd(Simd.store, [0, v * 16]);
        }
      }
      f.get(s).get(npb).op(Op.i32Add).set(s);
      f.get(dst).i32(32).op(Op.i32Add).set(dst);
    });
  });
  return f;
}

/**
 * Loops over the C tiles of one ring: `head` sets up each tile, `step(pa, pb, oa, ob)` is
 * one k step reading packed A at `pa + oa` and packed B at `pb + ob`, `tail` stores row
 * `row` of the tile at byte address `c`. Rows are taken in blocks of `mc` (a multiple of
 * R, a parameter) so that the block's packed A stays in cache while every B panel passes;
 * the k loop is unrolled U times.
 */
function emitTiles(
  f: Fn,
  ring: 64 | 32,
  head: () => void,
  step: (pa: number, pb: number, oa: number, ob: number) => void,
  tail: (row: number, c: number) => void,
): void {
  const { R, W, es, aRow, bRow } = GEO[ring];
  const [ap, bp, cp, mp, k, np, mc] = [0, 1, 2, 3, 4, 5, 6];
  const i0 = f.local("i32"), iEnd = f.local("i32"), kU = f.local("i32");
  const jb = f.local("i32"), ib = f.local("i32"), p = f.local("i32");
  const pa = f.local("i32"), pb = f.local("i32"), c = f.local("i32");
  f.get(k).i32(-U).op(Op.i32And).set(kU); // k rounded down to a multiple of U
  // Step 0: the body moves i0 to the end of its block.
  f.for(i0, () => f.i32(0), () => f.get(mp), 0, () => {
    // iEnd = min(i0 + mc, mp)
    f.get(i0).get(mc).op(Op.i32Add).set(iEnd);
    f.get(iEnd).get(mp).op(Op.i32GeU).op(Op.if, 0x40).get(mp).set(iEnd).op(Op.end);
    f.for(jb, () => f.i32(0), () => f.get(np), W, () => {
      f.for(ib, () => f.get(i0), () => f.get(iEnd), R, () => {
        head();
        f.get(ap).get(ib).get(k).op(Op.i32Mul).i32(aRow).op(Op.i32Mul).op(Op.i32Add).set(pa);
        f.get(bp).get(jb).get(k).op(Op.i32Mul).i32(bRow / W).op(Op.i32Mul).op(Op.i32Add)
          .set(pb);
        const advance = (steps: number) => {
          f.get(pa).i32(steps * R * aRow).op(Op.i32Add).set(pa);
          f.get(pb).i32(steps * bRow).op(Op.i32Add).set(pb);
        };
        f.for(p, () => f.i32(0), () => f.get(kU), U, () => {
          for (let u = 0; u < U; u++) step(pa, pb, u * R * aRow, u * bRow);
          advance(U);
        });
        f.for(p, () => f.get(kU), () => f.get(k), 1, () => {
          step(pa, pb, 0, 0);
          advance(1);
        });
        for (let r = 0; r < R; r++) {
          f.get(cp).get(ib).i32(r).op(Op.i32Add).get(np).op(Op.i32Mul).get(jb).op(Op.i32Add)
            .i32(es).op(Op.i32Mul).op(Op.i32Add).set(c);
          tail(r, c);
        }
      });
    });
    f.get(iEnd).set(i0);
  });
}

/** Z_2^32 kernel: Cp [mp, np] = panels(A) panels(B), a 4 x 8 tile in 8 i32x4 registers. */
function emitKernel32(): Fn {
  const f = new Fn(["i32", "i32", "i32", "i32", "i32", "i32", "i32"]); // ap bp cp mp k np mc
  const { R } = GEO[32];
  const acc = Array.from({ length: R }, () => [f.local("v128"), f.local("v128")]);
  const b = [f.local("v128"), f.local("v128")];
  emitTiles(f, 32, () => {
    for (const row of acc) for (const x of row) f.i32(0).simd(Simd.i32x4Splat).set(x);
  }, (pa, pb, oa, ob) => {
    for (let v = 0; v < 2; v++) f.get(pb).simd(Simd.load, [0, ob + v * 16]).set(b[v]);
    for (let r = 0; r < R; r++) {
      for (let v = 0; v < 2; v++) {
        f.get(acc[r][v]).get(pa).simd(Simd.load32Splat, [2, oa + r * 4]).get(b[v])
          .simd(Simd.i32x4Mul).simd(Simd.i32x4Add).set(acc[r][v]);
      }
    }
  }, (r, c) => {
    for (let v = 0; v < 2; v++) f.get(c).get(acc[r][v]).simd(Simd.store, [0, v * 16]);
  });
  return f;
}

/**
 * Z_2^64 kernel with 32-bit limbs: a 3 x 4 tile in 9 registers (low products of columns
 * 0-1 and 2-3 in i64x2 lanes, cross terms of the 4 columns in i32x4 lanes). Per row and k
 * step: two extended multiplies (each one multiply and two shuffles in V8's x64 code), two
 * i32x4 multiplies and four adds. With 4 of these SIMD operations per cycle at most, ~0.75
 * cycles per multiply-add is the floor of this scheme.
 */
function emitKernel64(): Fn {
  const f = new Fn(["i32", "i32", "i32", "i32", "i32", "i32", "i32"]); // ap bp cp mp k np mc
  const { R, aRow } = GEO[64];
  const acc = Array.from({ length: R }, () => [f.local("v128"), f.local("v128"), f.local("v128")]);
  const blo = f.local("v128"), bhi = f.local("v128"), alo = f.local("v128"), ahi = f.local("v128");
  emitTiles(f, 64, () => {
    for (const row of acc) for (const x of row) f.i32(0).simd(Simd.i32x4Splat).set(x);
  }, (pa, pb, oa, ob) => {
    f.get(pb).simd(Simd.load, [0, ob]).set(blo);
    f.get(pb).simd(Simd.load, [0, ob + 16]).set(bhi);
    for (let r = 0; r < R; r++) {
      const [lo01, lo23, cross] = acc[r];
      f.get(pa).simd(Simd.load, [0, oa + r * aRow]).set(alo);
      f.get(pa).simd(Simd.load, [0, oa + r * aRow + 16]).set(ahi);
      f.get(lo01).get(alo).get(blo).simd(Simd.i64x2ExtMulLowU).simd(Simd.i64x2Add).set(lo01);
      f.get(lo23).get(alo).get(blo).simd(Simd.i64x2ExtMulHighU).simd(Simd.i64x2Add).set(lo23);
      f.get(cross).get(alo).get(bhi).simd(Simd.i32x4Mul).simd(Simd.i32x4Add)
        .get(ahi).get(blo).simd(Simd.i32x4Mul).simd(Simd.i32x4Add).set(cross);
    }
  }, (r, c) => {
    // c[j] = lo[j] + (cross[j] << 32), for columns 0, 1 then 2, 3.
    const [lo01, lo23, cross] = acc[r];
    f.get(c).get(lo01).get(cross).simd(Simd.i64x2ExtendLowU).i32(32).simd(Simd.i64x2Shl)
      .simd(Simd.i64x2Add).simd(Simd.store, [0, 0]);
    f.get(c).get(lo23).get(cross).simd(Simd.i64x2ExtendHighU).i32(32).simd(Simd.i64x2Shl)
      .simd(Simd.i64x2Add).simd(Simd.store, [0, 16]);
  });
  return f;
}

interface Kernels {
  mem: WebAssembly.Memory;
  packA64: (src: number, dst: number, mp: number, k: number) => void;
  packA32: (src: number, dst: number, mp: number, k: number) => void;
  packB32: (src: number, dst: number, k: number, npBytes: number) => void;
  packB64: (src: number, dst: number, k: number, npBytes: number) => void;
  gemm64: (
    ap: number,
    bp: number,
    cp: number,
    mp: number,
    k: number,
    np: number,
    mc: number,
  ) => void;
  gemm32: (
    ap: number,
    bp: number,
    cp: number,
    mp: number,
    k: number,
    np: number,
    mc: number,
  ) => void;
}

let kernels: Kernels | undefined;

/** The compiled module bytes (exported for tests and for inspection). */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes([
    { name: "packA64", fn: emitPackA(64) },
    { name: "packA32", fn: emitPackA(32) },
    { name: "packB32", fn: emitPackB(false) },
    { name: "packB64", fn: emitPackB(true) },
    { name: "gemm64", fn: emitKernel64() },
    { name: "gemm32", fn: emitKernel32() },
  ], 1);
}

function instance(): Kernels {
  // Compiled once per process: a cache of code and scratch memory, not program state.
  if (!kernels) {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes()));
    kernels = inst.exports as unknown as Kernels;
  }
  return kernels;
}

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
let A_BLOCK_BYTES = 1 << 20;

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
  const w = instance();
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
