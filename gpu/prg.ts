/**
 * The sharetensor PRG (`@sharetensor/core/prg`, version 1) drawn on the GPU: the same
 * ChaCha20 keystream under `HMAC-SHA256(seed, "sharetensor/prg/v1/key")`, so that
 * `prgRing(gpu, prg, shape, ring)` holds bit for bit what `prg.ring(shape, ring)` would
 * return next, without the keystream crossing the bus.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice, prgRing, webGpuAdapter } from "@sharetensor/gpu";
 * import { Prg } from "@sharetensor/core/prg";
 * if (await webGpuAdapter()) {
 *   const gpu = await createWebGpuDevice();
 *   const seed = new Uint8Array(32).fill(1);
 *   const r = prgRing(gpu, { seed, position: 0 }, [4], 64);
 *   console.log((await gpu.download(r)).toBigInts()[0] === new Prg(seed).ring([4]).toBigInts()[0]);
 * }
 * ```
 * @module
 */
import { createHmac } from "node:crypto";
import { PRG_STREAM_LIMIT } from "@sharetensor/core/prg";
import { assertRing, type Ring } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";
import type { RingBuffer } from "@sharetensor/core/device";
import { byteShiftProgram, chachaProgram } from "./kernels/chacha.ts";
import type { WebGpuDevice } from "./device.ts";
import { checkShape } from "@sharetensor/core/plans";

/** Where to draw from: a seed and a byte position in its stream (a `Prg` fits). */
export interface PrgState {
  /** The generator's seed (16 or 32 bytes). */
  readonly seed: Uint8Array;
  /** Bytes already drawn from the stream. */
  readonly position: number;
}

/**
 * A ring tensor holding the next `numel(shape) * ring / 8` bytes of the stream of
 * `state` from `state.position`: equal to what `Prg.ring(shape, ring)` returns there.
 * It does not advance a `Prg` passed as `state`; the caller keeps positions in step.
 * `TypeError` for a bad seed or shape, `RangeError` past the end of the stream.
 *
 * @example
 * ```ts
 * import { createWebGpuDevice, prgRing, webGpuAdapter } from "@sharetensor/gpu";
 * import { Prg } from "@sharetensor/core/prg";
 * if (await webGpuAdapter()) {
 *   const gpu = await createWebGpuDevice({ cpuFallbackBelow: 0 });
 *   const p = new Prg(new Uint8Array(16));
 *   p.bytes(3);
 *   const r = await gpu.download(prgRing(gpu, p, [2], 32));
 *   console.log(r.toBigInts(), p.ring([2], 32).toBigInts()); // equal
 * }
 * ```
 */
export function prgRing(
  gpu: WebGpuDevice,
  state: PrgState,
  shape: Shape,
  ring: Ring = 64,
): RingBuffer {
  const { seed, position } = state;
  if (!(seed instanceof Uint8Array) || (seed.length !== 16 && seed.length !== 32)) {
    throw new TypeError(`prgRing: seed must be a Uint8Array of 16 or 32 bytes`);
  }
  checkShape(shape, "prgRing");
  assertRing(ring);
  const nWords = numel(shape) * (ring === 64 ? 2 : 1);
  if (!Number.isSafeInteger(position) || position < 0 || position + nWords * 4 > PRG_STREAM_LIMIT) {
    throw new RangeError(
      `prgRing: drawing ${
        nWords * 4
      } bytes at position ${position} exceeds the stream (${PRG_STREAM_LIMIT})`,
    );
  }
  const out = gpu.alloc(ring, shape);
  if (nWords === 0) return out;
  const k = createHmac("sha256", seed).update("sharetensor/prg/v1/key").digest();
  const key = new Uint32Array(8);
  for (let j = 0; j < 8; j++) key[j] = k.readUInt32LE(4 * j);
  const word0 = Math.floor(position / 4), shift = position % 4;
  const counter0 = Math.floor(word0 / 16), skip = word0 % 16;
  if (shift === 0) {
    gpu.runtime.run(chachaProgram(gpu.buf(out), key, counter0, skip, nWords));
    return out;
  }
  const tmp = gpu.alloc(32, [nWords + 1]);
  gpu.runtime.run(chachaProgram(gpu.buf(tmp), key, counter0, skip, nWords + 1));
  gpu.runtime.run(byteShiftProgram(gpu.buf(out), gpu.buf(tmp), nWords, shift));
  gpu.drop(tmp);
  return out;
}
