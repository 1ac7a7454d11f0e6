/**
 * Ring convolutions on the CPU with PyTorch's semantics (cross-correlation, NCHW inputs,
 * OIHW weights, stride, zero padding, dilation, groups), all mod 2^ring:
 *
 *   y[n, o, i, j] = sum_{c, u, v} w[o, c, u, v] x[n, g C/G + c, i s - p + u d, j s - p + v d]
 *
 * computed as im2col (Chellapilla et al., 2006) and one WebAssembly ring GEMM per group and
 * chunk of images, so that the columns of a whole batch share one large product; the
 * columns are written straight into the GEMM's memory.
 *
 * @example
 * ```ts
 * import { conv2d } from "./conv.ts";
 * import { RingTensor } from "../ring.ts";
 * const x = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [1, 1, 2, 2]);
 * const w = RingTensor.fromBigInts([1n, -1n], [1, 1, 1, 2]);
 * console.log(conv2d(x, w).toBigInts(true)); // [-1n, -1n]
 * ```
 * @module
 */
import type { ConvOptions, RingBuffer } from "../device.ts";
import { RingTensor } from "../ring.ts";
import { type ConvPlan, convPlan } from "../plans.ts";
import { asCpuPair, words } from "./check.ts";
import { gemmStaged, type ReadC, type WriteB, zeroFill } from "./gemm_wasm.ts";

/** Elements of im2col columns built at once (bounds the GEMM scratch memory). */
const CHUNK = 1 << 21;

/**
 * conv2d of x [N, C, H, W] with w [O, C/groups, KH, KW] mod 2^ring, giving
 * [N, O, OH, OW]. `TypeError` naming both shapes for wrong ranks, channels, or a kernel
 * larger than the padded input; `RangeError` for bad options. `nd` names the op in
 * messages (conv1d reuses this); `chunk` bounds the im2col elements per GEMM.
 *
 * @example
 * ```ts
 * import { conv2d } from "./conv.ts";
 * import { RingTensor } from "../ring.ts";
 * const x = RingTensor.fromBigInts([1n, 2n, 3n, 4n], [1, 1, 2, 2], 32);
 * const w = RingTensor.fromBigInts([1n], [1, 1, 1, 1], 32);
 * console.log(conv2d(x, w, { padding: 1 }).shape); // [1, 1, 4, 4]
 * ```
 */
export function conv2d(
  xb: RingBuffer,
  wb: RingBuffer,
  opts: ConvOptions = {},
  nd = 2,
  chunk = CHUNK,
): RingTensor {
  const [x, w] = asCpuPair(xb, wb, `conv${nd}d`);
  const p = convPlan(x.shape, w.shape, opts, 2);
  return convCore(x, w, p, chunk);
}

/** The im2col + GEMM convolution of 4-d x and w on a checked plan. */
function convCore(x: RingTensor, w: RingTensor, p: ConvPlan, chunk: number): RingTensor {
  const { n: N, c: C, h: H, w: W, o: O, g: groups, kh: KH, kw: KW, oh: OH, ow: OW } = p;
  const { sh, sw, ph, pw, dh, dw } = p;
  const Cg = C / groups;
  const out = new RingTensor(x.ring, [N, O, OH, OW]);
  if (out.size === 0) return out;
  const Og = O / groups, K = Cg * KH * KW, P = OH * OW;
  const es = x.ring === 64 ? 2 : 1; // words per element
  const xw = words(x), od = out.data as Uint32Array;
  const nc = Math.max(1, Math.min(N, Math.floor(chunk / (K * P))));
  for (let g = 0; g < groups; g++) {
    for (let n0 = 0; n0 < N; n0 += nc) {
      const nn = Math.min(nc, N - n0), L = nn * P; // columns in this chunk
      // B = im2col columns [K, L], written straight into the GEMM's memory: row r = (c, u, v),
      // column (n, i, j); only the in-bounds run of j is copied, the rest stays zero.
      const writeB: WriteB = (heap, at, np) => {
        zeroFill(heap, at, at + K * np);
        const hw = new Uint32Array(heap.buffer);
        for (let c = 0, r = 0; c < Cg; c++) {
          for (let u = 0; u < KH; u++) {
            for (let v = 0; v < KW; v++, r++) {
              const shift = v * dw - pw;
              const j0 = Math.max(0, Math.ceil(-shift / sw));
              const j1 = Math.min(OW, Math.floor((W - 1 - shift) / sw) + 1);
              for (let n = 0; n < nn; n++) {
                const xbase = ((n0 + n) * C + g * Cg + c) * H;
                for (let i = 0; i < OH; i++) {
                  const ih = i * sh - ph + u * dh;
                  if (ih < 0 || ih >= H) continue;
                  const s0 = ((xbase + ih) * W + shift) * es,
                    d0 = (at + r * np + n * P + i * OW) * es;
                  if (es === 2) {
                    for (let j = j0; j < j1; j++) {
                      const s = s0 + j * sw * 2, d = d0 + j * 2;
                      hw[d] = xw[s];
                      hw[d + 1] = xw[s + 1];
                    }
                  } else {
                    for (let j = j0; j < j1; j++) hw[d0 + j] = xw[s0 + j * sw];
                  }
                }
              }
            }
          }
        }
      };
      // C = [Og, L] -> out[n0 + n, g Og + o, :, :]
      const readC: ReadC = (heap, at, np, o0, rows) => {
        const h = heap as Uint32Array;
        for (let o = o0; o < o0 + rows; o++) {
          for (let n = 0; n < nn; n++) {
            const src = at + (o - o0) * np + n * P;
            od.set(h.subarray(src, src + P), ((n0 + n) * O + g * Og + o) * P);
          }
        }
      };
      gemmStaged(x.ring, w.data, g * Og * K, Og, K, L, writeB, readC);
    }
  }
  return out;
}

/**
 * conv1d of x [N, C, L] with w [O, C/groups, K] mod 2^ring, giving [N, O, OL]; computed as a
 * conv2d of height 1, with the same errors.
 *
 * @example
 * ```ts
 * import { conv1d } from "./conv.ts";
 * import { RingTensor } from "../ring.ts";
 * const x = RingTensor.fromBigInts([1n, 2n, 3n], [1, 1, 3]);
 * const w = RingTensor.fromBigInts([1n, 1n], [1, 1, 2]);
 * console.log(conv1d(x, w).toBigInts()); // [3n, 5n]
 * ```
 */
export function conv1d(xb: RingBuffer, wb: RingBuffer, opts: ConvOptions = {}): RingTensor {
  const [x, w] = asCpuPair(xb, wb, "conv1d");
  const p = convPlan(x.shape, w.shape, opts, 1);
  const y = convCore(
    new RingTensor(x.ring, [x.shape[0], x.shape[1], 1, x.shape[2]], x.data),
    new RingTensor(w.ring, [w.shape[0], w.shape[1], 1, w.shape[2]], w.data),
    p,
    CHUNK,
  );
  return new RingTensor(y.ring, [y.shape[0], y.shape[1], y.shape[3]], y.data);
}
