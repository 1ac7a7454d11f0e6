/**
 * Products and reductions of the WebGPU device: batched matmul, conv1d/conv2d as im2col
 * plus one batched matmul, and sums as a permute to [kept, reduced] followed by row-sum
 * passes. Small host tensors take the CPU kernels, as in the device.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice } from "@sharetensor/gpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * if (navigator.gpu && await navigator.gpu.requestAdapter()) {
 *   const gpu = await createWebGpuDevice({ cpuFallbackBelow: 0 });
 *   const a = gpu.upload(RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]));
 *   console.log((await gpu.download(gpu.sum(a, [1]))).toBigInts()); // [3n, 7n]
 * }
 * ```
 * @module
 */
import { cpu } from "@sharetensor/core/cpu";
import type { ConvOptions } from "@sharetensor/core/device";
import { numel } from "@sharetensor/core/shape";
import { im2colProgram } from "./kernels/im2col.ts";
import { matmulPrograms } from "./kernels/matmul.ts";
import { rowSumProgram, SUM_CHUNK } from "./kernels/reduce.ts";
import type { WebGpuDevice } from "./device.ts";
import { permute } from "./layout_ops.ts";
import { convPlan, matmulPlan, sumAxes } from "@sharetensor/core/plans";
import type { GpuTensor } from "./tensor.ts";

/**
 * PyTorch `matmul` mod 2^ring.
 *
 * @example
 * ```ts
 * import { matmul } from "./compute_ops.ts";
 * console.log(typeof matmul);
 * ```
 */
export function matmul(dev: WebGpuDevice, x: GpuTensor, y: GpuTensor): GpuTensor {
  if (dev.onHost([x, y])) return dev.fromHost(cpu.matmul(x.host!, y.host!));
  const p = matmulPlan(x.shape, y.shape);
  const out = dev.alloc(x.ring, p.shape);
  if (out.size === 0) return out;
  if (p.k === 0) {
    dev.runtime.clear(dev.buf(out), out.words * 4);
    return out;
  }
  const progs = matmulPrograms(
    dev.matmulStrategy,
    x.ring,
    dev.buf(out),
    dev.buf(x),
    dev.buf(y),
    p.m,
    p.k,
    p.n,
    p.batch,
    p.aStr,
    p.bStr,
  );
  for (const prog of progs) dev.runtime.run(prog);
  return out;
}

/**
 * conv1d (`nd` 1) or conv2d (`nd` 2) with PyTorch semantics: im2col into
 * [N, G, C/G * KH * KW, OH * OW], then the weights viewed as [G, O/G, C/G * KH * KW]
 * times the columns, batched over [N, G], which lands as [N, O, OH, OW].
 *
 * @example
 * ```ts
 * import { conv } from "./compute_ops.ts";
 * console.log(typeof conv);
 * ```
 */
export function conv(
  dev: WebGpuDevice,
  x: GpuTensor,
  w: GpuTensor,
  opts: ConvOptions,
  nd: 1 | 2,
): GpuTensor {
  if (dev.onHost([x, w])) {
    const [xh, wh] = [x.host!, w.host!];
    return dev.fromHost(nd === 1 ? cpu.conv1d(xh, wh, opts) : cpu.conv2d(xh, wh, opts));
  }
  const g = convPlan(x.shape, w.shape, opts, nd);
  const shape = nd === 1 ? [g.n, g.o, g.ow] : [g.n, g.o, g.oh, g.ow];
  const out = dev.alloc(x.ring, shape);
  if (out.size === 0) return out;
  const R = (g.c / g.g) * g.kh * g.kw, L = g.oh * g.ow, og = g.o / g.g;
  const cols = dev.alloc(x.ring, [g.n, g.g, R, L]);
  dev.runtime.run(im2colProgram(x.ring, dev.buf(cols), dev.buf(x), g));
  const progs = matmulPrograms(
    dev.matmulStrategy,
    x.ring,
    dev.buf(out),
    dev.buf(w),
    dev.buf(cols),
    og,
    R,
    L,
    [g.n, g.g],
    [0, og * R],
    [g.g * R * L, R * L],
  );
  for (const prog of progs) dev.runtime.run(prog);
  dev.drop(cols);
  return out;
}

/**
 * Sum over `dims` (all when omitted; `[]` sums nothing), size-1 dims kept when `keepDims`.
 *
 * @example
 * ```ts
 * import { sum } from "./compute_ops.ts";
 * console.log(typeof sum);
 * ```
 */
export function sum(
  dev: WebGpuDevice,
  x: GpuTensor,
  dims: readonly number[] | undefined,
  keepDims: boolean,
): GpuTensor {
  if (dev.onHost([x])) return dev.fromHost(cpu.sum(x.host!, dims, keepDims));
  const axes = sumAxes(x.shape, dims);
  const shape = keepDims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const red = [...axes].sort((p, q) => p - q);
  const rows = numel(kept.map((i) => x.shape[i]));
  let len = numel(red.map((i) => x.shape[i]));
  if (rows === 0) return dev.alloc(x.ring, shape);
  if (len === 0) {
    const z = dev.alloc(x.ring, shape);
    dev.runtime.clear(dev.buf(z), z.words * 4);
    return z;
  }
  const perm = [...kept, ...red];
  let cur: GpuTensor;
  if (perm.every((p, i) => p === i)) cur = dev.view(x, [rows, len]);
  else {
    const t = permute(dev, x, perm);
    cur = dev.view(t, [rows, len]);
    dev.drop(t);
  }
  while (len > 1) {
    const cols = Math.ceil(len / SUM_CHUNK);
    const next = dev.alloc(x.ring, [rows, cols]);
    dev.runtime.run(rowSumProgram(x.ring, dev.buf(next), dev.buf(cur), rows, len));
    dev.drop(cur);
    cur = next;
    len = cols;
  }
  const out = dev.view(cur, shape);
  dev.drop(cur);
  return out;
}
