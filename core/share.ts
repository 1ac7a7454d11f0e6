/**
 * The `ShareTensor` interface and the per-party `ContextOptions`. A share tensor is one
 * party's share of a secret tensor: arithmetic (additive mod 2^ring) or binary (XOR).
 * Protocols (`@sharetensor/protocols`) create and combine them.
 *
 * @example
 * ```ts
 * import type { ShareTensor } from "@sharetensor/core/share";
 * function describe(s: ShareTensor): string {
 *   return `${s.kind} share ${JSON.stringify(s.shape)} in Z_2^${s.ring}`;
 * }
 * console.log(typeof describe);
 * ```
 * @module
 */
import type { Device, RingBuffer } from "./device.ts";
import type { Ring } from "./ring.ts";
import type { Shape } from "./shape.ts";

/** Additive sharing mod 2^ring, or XOR sharing of the bits. */
export type ShareKind = "arithmetic" | "binary";

/** One party's share of a secret tensor. */
export interface ShareTensor {
  /** How the secret is split among the parties. */
  readonly kind: ShareKind;
  /** Ring size in bits. */
  readonly ring: Ring;
  /** Public shape of the secret. */
  readonly shape: Shape;
  /** Fixed-point fractional bits of the encoded value (0 for integers and bits). */
  readonly fracBits: number;
  /** This party's share, on the context's device. */
  readonly buf: RingBuffer;
}

/** Options common to every party's context. */
export interface ContextOptions {
  /** Ring size in bits (default 64). */
  ring?: Ring;
  /** Fixed-point fractional bits (default 16). */
  fracBits?: number;
  /** Device for local kernels (default the CPU device). */
  device?: Device;
}
