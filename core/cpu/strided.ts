/**
 * Strided copies over 32-bit words: the one loop behind permute, slice, pad, concat,
 * expand and broadcasting. Dimensions that are contiguous in both source and destination
 * are merged first, so a row-major copy becomes a single `set`.
 *
 * @example
 * ```ts
 * import { copyStrided } from "./strided.ts";
 * const src = new Uint32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
 * const dst = new Uint32Array(6); // its transpose [3, 2]
 * copyStrided(dst, 0, [2, 1], src, 0, [1, 3], [3, 2]);
 * console.log(dst); // Uint32Array [1, 4, 2, 5, 3, 6]
 * ```
 * @module
 */
import { collapse } from "../plans.ts";

/**
 * Copies the elements of a (virtual) tensor of shape `shape` from `src` (starting at
 * `srcOff`, with strides `srcStrides`, which may be 0 to broadcast) into `dst` (from
 * `dstOff` with strides `dstStrides`). Offsets and strides count words.
 *
 * @example
 * ```ts
 * import { copyStrided } from "./strided.ts";
 * const dst = new Uint32Array(4);
 * copyStrided(dst, 0, [2, 1], new Uint32Array([7, 8]), 0, [0, 1], [2, 2]);
 * console.log(dst); // Uint32Array [7, 8, 7, 8]
 * ```
 */
export function copyStrided(
  dst: Uint32Array,
  dstOff: number,
  dstStrides: readonly number[],
  src: Uint32Array,
  srcOff: number,
  srcStrides: readonly number[],
  shape: readonly number[],
): void {
  for (const d of shape) if (d === 0) return;
  const c = collapse(shape, [dstStrides, srcStrides]);
  let sh = c.shape, [ds, ss] = c.strides;
  // A trailing pair of contiguous words (a Z_2^64 element) under a strided dimension is
  // copied as a unit, so the inner loop runs over elements rather than pairs of words.
  const pair = sh.length > 1 && sh[sh.length - 1] === 2 && ds[ds.length - 1] === 1 &&
    ss[ss.length - 1] === 1;
  if (pair) [sh, ds, ss] = [sh.slice(0, -1), ds.slice(0, -1), ss.slice(0, -1)];
  const r = sh.length - 1;
  const n = sh[r], dIn = ds[r], sIn = ss[r];
  const w = pair ? 2 : 1;
  // Reads far apart in the inner loop (a transpose): copy the last two dims in T x T tiles
  // so that both sides stay in cache and TLB.
  const T = 32;
  const tiled = r >= 1 && n >= T && sh[r - 1] >= T && sIn > 64 && ss[r - 1] <= w;
  const outer = tiled ? r - 1 : r; // dims walked by the odometer
  const m = tiled ? sh[r - 1] : 1, dOut = tiled ? ds[r - 1] : 0, sOut = tiled ? ss[r - 1] : 0;
  const idx = new Array<number>(outer).fill(0);
  let di = dstOff, si = srcOff;
  for (;;) {
    if (tiled) {
      for (let i0 = 0; i0 < m; i0 += T) {
        for (let j0 = 0; j0 < n; j0 += T) {
          const i1 = Math.min(m, i0 + T), j1 = Math.min(n, j0 + T);
          for (let i = i0; i < i1; i++) {
            let d = di + i * dOut + j0 * dIn, s = si + i * sOut + j0 * sIn;
            if (pair) {
              for (let j = j0; j < j1; j++, d += dIn, s += sIn) {
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
              }
            } else {
              for (let j = j0; j < j1; j++, d += dIn, s += sIn) dst[d] = src[s];
            }
          }
        }
      }
    } else if (pair) {
      for (let j = 0; j < n; j++) {
        const d = di + j * dIn, s = si + j * sIn;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
      }
    } else if (dIn === 1 && sIn === 1 && n >= 16) {
      dst.set(src.subarray(si, si + n), di);
    } else {
      for (let j = 0; j < n; j++) dst[di + j * dIn] = src[si + j * sIn];
    }
    let d = outer - 1;
    for (; d >= 0; d--) {
      di += ds[d];
      si += ss[d];
      if (++idx[d] < sh[d]) break;
      di -= ds[d] * sh[d];
      si -= ss[d] * sh[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
