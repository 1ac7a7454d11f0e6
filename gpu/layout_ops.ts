/**
 * Layout ops of the WebGPU device: reshape (a view on the same buffer), and permute,
 * transpose, slice, concat, stack, pad, gather and expand as strided word copies. Small
 * host tensors take the CPU kernels, as in the device.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice } from "@sharetensor/gpu";
 * import { RingTensor } from "@sharetensor/core/ring";
 * if (navigator.gpu && await navigator.gpu.requestAdapter()) {
 *   const gpu = await createWebGpuDevice({ cpuFallbackBelow: 0 });
 *   const a = gpu.upload(RingTensor.fromBigInts([1n, 2n, 3n, 4n], [2, 2]));
 *   console.log((await gpu.download(gpu.transpose(a))).toBigInts()); // [1n, 3n, 2n, 4n]
 * }
 * ```
 * @module
 */
import { cpu } from "@sharetensor/core/cpu";
import { broadcastStrides, fmtShape, type Shape } from "@sharetensor/core/shape";
import { copyProgram, gatherProgram } from "./kernels/copy.ts";
import { unaryProgram } from "./kernels/unary.ts";
import type { WebGpuDevice } from "./device.ts";
import {
  axisOf,
  expandShape,
  padShape,
  permutation,
  reshapeShape,
  sliceShape,
  wordLayout,
} from "@sharetensor/core/plans";
import type { GpuTensor } from "./tensor.ts";

/**
 * New shape of equal size on the same storage.
 *
 * @example
 * ```ts
 * import { reshape } from "./layout_ops.ts";
 * console.log(typeof reshape);
 * ```
 */
export function reshape(dev: WebGpuDevice, a: GpuTensor, shape: Shape): GpuTensor {
  return dev.view(a, reshapeShape(a.shape, shape));
}

/**
 * Dimensions reordered: output dim i is input dim `perm[i]`.
 *
 * @example
 * ```ts
 * import { permute } from "./layout_ops.ts";
 * console.log(typeof permute);
 * ```
 */
export function permute(dev: WebGpuDevice, a: GpuTensor, perm: readonly number[]): GpuTensor {
  if (dev.onHost([a])) return dev.fromHost(cpu.permute(a.host!, perm));
  const p = permutation(a.shape, perm);
  const shape = p.map((d) => a.shape[d]);
  const out = dev.alloc(a.ring, shape);
  if (out.size === 0) return out;
  const src = wordLayout(a.shape, a.ring), dst = wordLayout(shape, a.ring);
  const ss = p.map((d) => src.strides[d]);
  if (a.ring === 64) ss.push(1);
  dev.runtime.run(copyProgram(dev.buf(out), 0, dst.strides, dev.buf(a), 0, ss, dst.shape));
  return out;
}

/**
 * Swaps dims `d0` and `d1`.
 *
 * @example
 * ```ts
 * import { transpose } from "./layout_ops.ts";
 * console.log(typeof transpose);
 * ```
 */
export function transpose(dev: WebGpuDevice, a: GpuTensor, d0: number, d1: number): GpuTensor {
  if (dev.onHost([a])) return dev.fromHost(cpu.transpose(a.host!, d0, d1));
  const i = axisOf(d0, a.shape.length, "transpose"), j = axisOf(d1, a.shape.length, "transpose");
  const perm = a.shape.map((_, k) => k);
  perm[i] = j;
  perm[j] = i;
  return permute(dev, a, perm);
}

/**
 * The block at `begin` with sizes `size` (-1: to the end).
 *
 * @example
 * ```ts
 * import { slice } from "./layout_ops.ts";
 * console.log(typeof slice);
 * ```
 */
export function slice(
  dev: WebGpuDevice,
  a: GpuTensor,
  begin: readonly number[],
  size: readonly number[],
): GpuTensor {
  if (dev.onHost([a])) return dev.fromHost(cpu.slice(a.host!, begin, size));
  const shape = sliceShape(a.shape, begin, size);
  const out = dev.alloc(a.ring, shape);
  if (out.size === 0) return out;
  const src = wordLayout(a.shape, a.ring), dst = wordLayout(shape, a.ring);
  let off = 0;
  for (let d = 0; d < shape.length; d++) off += begin[d] * src.strides[d];
  dev.runtime.run(
    copyProgram(dev.buf(out), 0, dst.strides, dev.buf(a), off, src.strides, dst.shape),
  );
  return out;
}

function concatShaped(
  dev: WebGpuDevice,
  ts: readonly GpuTensor[],
  shapes: readonly Shape[],
  axis: number,
  op: string,
): GpuTensor {
  const a = ts[0];
  const desc = () => ts.map((t, i) => `Z_2^${t.ring} ${fmtShape(shapes[i])}`).join(", ");
  if (shapes[0].length === 0) throw new TypeError(`${op}: cannot concatenate scalars: ${desc()}`);
  const rank = shapes[0].length;
  const ax = axisOf(axis, rank, op);
  let total = 0;
  ts.forEach((t, k) => {
    const s = shapes[k];
    const same = s.length === rank && s.every((d, i) => i === ax || d === shapes[0][i]);
    if (t.ring !== a.ring || !same) {
      throw new TypeError(`${op}: tensors do not agree off axis ${axis}: ${desc()}`);
    }
    total += s[ax];
  });
  const shape = [...shapes[0]];
  shape[ax] = total;
  const out = dev.alloc(a.ring, shape);
  if (out.size === 0) return out;
  const dst = wordLayout(shape, a.ring);
  let at = 0;
  ts.forEach((t, k) => {
    const src = wordLayout(shapes[k], t.ring);
    if (t.size > 0) {
      dev.runtime.run(
        copyProgram(
          dev.buf(out),
          at * dst.strides[ax],
          dst.strides,
          dev.buf(t),
          0,
          src.strides,
          src.shape,
        ),
      );
    }
    at += shapes[k][ax];
  });
  return out;
}

/**
 * Concatenation along `axis`; every other dim and the ring must agree.
 *
 * @example
 * ```ts
 * import { concat } from "./layout_ops.ts";
 * console.log(typeof concat);
 * ```
 */
export function concat(dev: WebGpuDevice, ts: readonly GpuTensor[], axis: number): GpuTensor {
  if (ts.length === 0) throw new TypeError("concat: needs at least one tensor");
  if (dev.onHost(ts)) return dev.fromHost(cpu.concat(ts.map((t) => t.host!), axis));
  return concatShaped(dev, ts, ts.map((t) => t.shape), axis, "concat");
}

/**
 * Stacks tensors of one shape and ring along a new dim `axis`.
 *
 * @example
 * ```ts
 * import { stack } from "./layout_ops.ts";
 * console.log(typeof stack);
 * ```
 */
export function stack(dev: WebGpuDevice, ts: readonly GpuTensor[], axis: number): GpuTensor {
  if (ts.length === 0) throw new TypeError("stack: needs at least one tensor");
  if (dev.onHost(ts)) return dev.fromHost(cpu.stack(ts.map((t) => t.host!), axis));
  const a = ts[0];
  for (const t of ts) {
    if (
      t.ring !== a.ring || t.shape.length !== a.shape.length ||
      t.shape.some((d, i) => d !== a.shape[i])
    ) {
      throw new TypeError(
        `stack: needs one shape and ring, got ${
          ts.map((u) => `Z_2^${u.ring} ${fmtShape(u.shape)}`)
        }`,
      );
    }
  }
  const ax = axisOf(axis, a.shape.length + 1, "stack");
  const shape = [...a.shape];
  shape.splice(ax, 0, 1);
  return concatShaped(dev, ts, ts.map(() => shape), ax, "stack");
}

/**
 * Pads dim i with `pads[i] = [before, after]` elements of `value`.
 *
 * @example
 * ```ts
 * import { pad } from "./layout_ops.ts";
 * console.log(typeof pad);
 * ```
 */
export function pad(
  dev: WebGpuDevice,
  a: GpuTensor,
  pads: readonly (readonly [number, number])[],
  value: bigint,
): GpuTensor {
  if (typeof value !== "bigint") {
    throw new TypeError(`pad: value must be a bigint, got ${typeof value}`);
  }
  if (dev.onHost([a])) return dev.fromHost(cpu.pad(a.host!, pads, value));
  const shape = padShape(a.shape, pads);
  const out = dev.alloc(a.ring, shape);
  if (out.size === 0) return out;
  const o = dev.buf(out);
  if (value === 0n) dev.runtime.clear(o, out.words * 4);
  else dev.runtime.run(unaryProgram("fill", a.ring, o, null, out.size, value));
  if (a.size === 0) return out;
  const src = wordLayout(a.shape, a.ring), dst = wordLayout(shape, a.ring);
  let off = 0;
  for (let d = 0; d < a.shape.length; d++) off += pads[d][0] * dst.strides[d];
  dev.runtime.run(copyProgram(o, off, dst.strides, dev.buf(a), 0, src.strides, src.shape));
  return out;
}

/**
 * Index-select along `axis`; negative indices count from the end, others out of range
 * are a `RangeError`.
 *
 * @example
 * ```ts
 * import { gather } from "./layout_ops.ts";
 * console.log(typeof gather);
 * ```
 */
export function gather(
  dev: WebGpuDevice,
  a: GpuTensor,
  indices: ArrayLike<number>,
  axis: number,
): GpuTensor {
  if (dev.onHost([a])) return dev.fromHost(cpu.gather(a.host!, indices, axis));
  const ax = axisOf(axis, a.shape.length, "gather");
  const D = a.shape[ax];
  const idx = Uint32Array.from(Array.from(indices), (v) => {
    if (!Number.isInteger(v) || v < -D || v >= D) {
      throw new RangeError(
        `gather: index ${v} is out of range for dim ${axis} of ${fmtShape(a.shape)}`,
      );
    }
    return v < 0 ? v + D : v;
  });
  const shape = [...a.shape];
  shape[ax] = idx.length;
  const out = dev.alloc(a.ring, shape);
  if (out.size === 0) return out;
  let pre = 1, post = a.ring === 64 ? 2 : 1;
  for (let i = 0; i < ax; i++) pre *= a.shape[i];
  for (let i = ax + 1; i < a.shape.length; i++) post *= a.shape[i];
  const ib = dev.runtime.uploadWords(idx);
  dev.runtime.run(gatherProgram(dev.buf(out), dev.buf(a), ib, pre, idx.length, D, post));
  dev.runtime.release(ib);
  return out;
}

/**
 * Materialised broadcast of `a` to `shape` (-1 keeps a dim).
 *
 * @example
 * ```ts
 * import { expand } from "./layout_ops.ts";
 * console.log(typeof expand);
 * ```
 */
export function expand(dev: WebGpuDevice, a: GpuTensor, shape: Shape): GpuTensor {
  if (dev.onHost([a])) return dev.fromHost(cpu.expand(a.host!, shape));
  const s = expandShape(a.shape, shape);
  const out = dev.alloc(a.ring, s);
  if (out.size === 0) return out;
  const dst = wordLayout(s, a.ring);
  const ss = broadcastStrides(a.shape, s).map((v) => v * (a.ring === 64 ? 2 : 1));
  if (a.ring === 64) ss.push(1);
  dev.runtime.run(copyProgram(dev.buf(out), 0, dst.strides, dev.buf(a), 0, ss, dst.shape));
  return out;
}
