/**
 * The 2-d ring product `C = A B mod 2^ring` over row-major blocks of typed arrays: the
 * kernel under matmul and conv. Large products run in WebAssembly SIMD
 * ({@linkcode gemmWasm}), small ones in plain JS loops.
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * const c = new Uint32Array(1);
 * gemm(32, new Uint32Array([2, 3]), 0, new Uint32Array([4, 5]), 0, c, 0, 1, 2, 1);
 * console.log(c); // Uint32Array [23]
 * ```
 * @module
 */
import type { Ring, RingData } from "../ring.ts";
import { gemmWasm } from "./gemm_wasm.ts";

/** Below this many multiply-adds the plain JS loops win over copying into WebAssembly. */
const WASM_MIN_WORK = 1 << 12;

/**
 * `C[cOff..] = A[aOff..] (m x k) @ B[bOff..] (k x n)` mod 2^ring, all row-major and
 * contiguous (the m x n block of C is overwritten).
 *
 * @example
 * ```ts
 * import { gemm } from "./gemm.ts";
 * const c = new BigUint64Array(1);
 * gemm(64, new BigUint64Array([2n]), 0, new BigUint64Array([3n]), 0, c, 0, 1, 1, 1);
 * console.log(c); // BigUint64Array [6n]
 * ```
 */
export function gemm(
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
): void {
  if (m * k * n >= WASM_MIN_WORK) {
    gemmWasm(ring, a, aOff, b, bOff, c, cOff, m, k, n);
  } else if (ring === 64) {
    gemm64(
      a as BigUint64Array,
      aOff,
      b as BigUint64Array,
      bOff,
      c as BigUint64Array,
      cOff,
      m,
      k,
      n,
    );
  } else {
    gemm32(a as Uint32Array, aOff, b as Uint32Array, bOff, c as Uint32Array, cOff, m, k, n);
  }
}

/**
 * Z_2^64 in plain JS (`C = A B`); `a[ap]` is re-read from its array so that V8 keeps the
 * loop native. ~3 ns per multiply-add: only for products too small for WebAssembly.
 *
 * @example
 * ```ts
 * import { gemm64 } from "./gemm.ts";
 * const c = new BigUint64Array(1);
 * gemm64(new BigUint64Array([2n]), 0, new BigUint64Array([3n]), 0, c, 0, 1, 1, 1);
 * console.log(c); // BigUint64Array [6n]
 * ```
 */
export function gemm64(
  a: BigUint64Array,
  aOff: number,
  b: BigUint64Array,
  bOff: number,
  c: BigUint64Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  c.fill(0n, cOff, cOff + m * n);
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const ap = aOff + i * k + p;
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j] = BigInt.asUintN(64, c[ci + j] + a[ap] * b[bp + j]);
    }
  }
}

/**
 * Z_2^32 in plain JS with `Math.imul` (`C = A B`).
 *
 * @example
 * ```ts
 * import { gemm32 } from "./gemm.ts";
 * const c = new Uint32Array(1);
 * gemm32(new Uint32Array([2]), 0, new Uint32Array([3]), 0, c, 0, 1, 1, 1);
 * console.log(c); // Uint32Array [6]
 * ```
 */
export function gemm32(
  a: Uint32Array,
  aOff: number,
  b: Uint32Array,
  bOff: number,
  c: Uint32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  c.fill(0, cOff, cOff + m * n);
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * k + p];
      if (av === 0) continue;
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j] + Math.imul(av, b[bp + j]);
    }
  }
}
