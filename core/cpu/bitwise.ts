/**
 * Shifts and bit extraction on the CPU: `a << k`, arithmetic and logical `a >> k`, and bit
 * `k` of each element. V8 does not compile BigInt shifts to native code, so Z_2^64 is
 * shifted as pairs of 32-bit words (low word first): ~10x faster than BigInt `<<`.
 *
 * @example
 * ```ts
 * import { shift } from "./bitwise.ts";
 * import { RingTensor } from "../ring.ts";
 * const a = RingTensor.fromBigInts([-8n], [1]);
 * console.log(shift("sar", a, 2).toBigInts(true)); // [-2n]
 * ```
 * @module
 */
import type { RingBuffer } from "../device.ts";
import { RingTensor } from "../ring.ts";
import { fmtShape } from "../shape.ts";
import { asCpu, words } from "./check.ts";
import { type Alloc, freshAlloc } from "./pool.ts";

/** The shift kernels: left, arithmetic right (sign fill), logical right (zero fill). */
export type ShiftOp = "shl" | "sar" | "shr";

function checkBitIndex(op: string, a: RingTensor, k: number): void {
  if (!Number.isInteger(k) || k < 0 || k >= a.ring) {
    throw new RangeError(
      `${op}: bit index ${k} is out of range [0, ${a.ring}) for Z_2^${a.ring} ${fmtShape(a.shape)}`,
    );
  }
}

/**
 * Shifts every element by `k` bits, `0 <= k < ring` (`RangeError` otherwise).
 *
 * @example
 * ```ts
 * import { shift } from "./bitwise.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(shift("shl", RingTensor.fromBigInts([3n], [1], 32), 4).toBigInts()); // [48n]
 * ```
 */
export function shift(
  op: ShiftOp,
  x: RingBuffer,
  k: number,
  alloc: Alloc = freshAlloc,
): RingTensor {
  const a = asCpu(x, op);
  checkBitIndex(op, a, k);
  const out = alloc(a.ring, a.shape, false);
  const s = words(a), o = words(out);
  if (a.ring === 32) {
    if (op === "shl") { for (let i = 0; i < s.length; i++) o[i] = s[i] << k; }
    else if (op === "sar") { for (let i = 0; i < s.length; i++) o[i] = (s[i] | 0) >> k; }
    else for (let i = 0; i < s.length; i++) o[i] = s[i] >>> k;
    return out;
  }
  if (k === 0) {
    o.set(s);
  } else if (op === "shl") {
    if (k < 32) {
      for (let i = 0; i < s.length; i += 2) {
        o[i + 1] = (s[i + 1] << k) | (s[i] >>> (32 - k));
        o[i] = s[i] << k;
      }
    } else {
      for (let i = 0; i < s.length; i += 2) {
        o[i + 1] = s[i] << (k - 32);
        o[i] = 0;
      }
    }
  } else {
    const arith = op === "sar";
    if (k < 32) {
      for (let i = 0; i < s.length; i += 2) {
        const hi = s[i + 1];
        o[i] = (s[i] >>> k) | (hi << (32 - k));
        o[i + 1] = arith ? (hi | 0) >> k : hi >>> k;
      }
    } else {
      for (let i = 0; i < s.length; i += 2) {
        const hi = s[i + 1];
        o[i] = arith ? (hi | 0) >> (k - 32) : hi >>> (k - 32);
        o[i + 1] = arith ? (hi | 0) >> 31 : 0;
      }
    }
  }
  return out;
}

/**
 * Bit `k` of each element (0 <= k < ring), as the ring element 0 or 1.
 *
 * @example
 * ```ts
 * import { bit } from "./bitwise.ts";
 * import { RingTensor } from "../ring.ts";
 * console.log(bit(RingTensor.fromBigInts([-1n, 2n], [2]), 63).toBigInts()); // [1n, 0n]
 * ```
 */
export function bit(x: RingBuffer, k: number, alloc: Alloc = freshAlloc): RingTensor {
  const a = asCpu(x, "bit");
  checkBitIndex("bit", a, k);
  const out = alloc(a.ring, a.shape, a.ring === 64);
  const s = words(a), o = words(out);
  const w = a.ring === 64 ? 2 : 1;
  const off = k >= 32 ? 1 : 0, kk = k & 31;
  for (let i = 0; i < s.length; i += w) o[i] = (s[i + off] >>> kk) & 1;
  return out;
}
