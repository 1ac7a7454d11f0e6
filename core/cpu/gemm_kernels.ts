/**
 * The WebAssembly side of `gemmWasm` (`gemm_wasm.ts`): packing of A and B into panels and the
 * register-blocked kernels for Z_2^64 and Z_2^32, assembled with `Fn` at startup
 * (see `gemm_wasm.ts` for the scheme and where the time goes).
 *
 * @example
 * ```ts
 * import { gemmModuleBytes } from "./gemm_kernels.ts";
 * console.log(WebAssembly.validate(gemmModuleBytes())); // true
 * ```
 * @module
 */
import { Fn, moduleBytes, Op, Simd } from "./wasm_emit.ts";

/**
 * Tile geometry per ring: `R` rows by `W` columns of C in registers; packed A holds
 * `aRow` bytes per row and k step (Z_2^64: the low and the high word of each element, each
 * already splat to a whole vector, so the inner loop reads A with plain loads instead of
 * broadcasts); packed B `bRow` bytes per k step of a panel.
 */
export const GEO = {
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

/** The exports of the compiled module. */
export interface Kernels {
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

/**
 * The compiled module bytes (exported for tests and for inspection).
 *
 * @example
 * ```ts
 * import { gemmModuleBytes } from "./gemm_kernels.ts";
 * console.log(gemmModuleBytes()[0]); // 0
 * ```
 */
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

/**
 * The compiled module's exports, instantiated on first use.
 *
 * @example
 * ```ts
 * import { gemmInstance } from "./gemm_kernels.ts";
 * console.log(gemmInstance().mem instanceof WebAssembly.Memory); // true
 * ```
 */
export function gemmInstance(): Kernels {
  // Compiled once per process: a cache of code and scratch memory, not program state.
  if (!kernels) {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes()));
    kernels = inst.exports as unknown as Kernels;
  }
  return kernels;
}
