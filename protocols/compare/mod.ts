/**
 * Comparisons and conversions for semi2k over bit planes: A2B, B2A, msb, comparisons,
 * sign/abs/relu, where, max/argmax and max pooling. Importing this module installs the
 * matching {@linkcode SecretTensor} methods (see `methods.ts`).
 *
 * @example
 * ```ts
 * import { compareKernels } from "./mod.ts";
 * console.log(compareKernels.map((k) => k.name).includes("relu_a")); // true
 * ```
 * @module
 */
import "./methods.ts";
import type { KernelConfig } from "../kernel.ts";
import { a2b } from "./a2b.ts";
import { b2a } from "./b2a.ts";
import { b2aBits } from "./b2a_bits.ts";
import { leadOneB } from "./lead_one.ts";
import { eqzA, gezA, ltzA, nezA, signA } from "./cmp_a.ts";
import { maxA } from "./max_a.ts";
import { maxPool2dA } from "./max_pool.ts";
import { msbA } from "./msb_a.ts";
import { absA, reluA, reluMaskA } from "./relu_a.ts";
import { whereB } from "./where_b.ts";

/** The comparison kernels (registered by `semi2k`). */
export const compareKernels: readonly KernelConfig[] = [
  a2b,
  b2a,
  b2aBits,
  leadOneB,
  msbA,
  ltzA,
  gezA,
  eqzA,
  nezA,
  signA,
  reluA,
  reluMaskA,
  absA,
  whereB,
  maxA,
  maxPool2dA,
];

export { maxCost, type MaxResult } from "./max_a.ts";
export { type MaxPoolOptions } from "./max_pool.ts";
export { msbCost } from "./msb_a.ts";
export { eqzCost } from "./eqz_a.ts";
export { a2bCost } from "./a2b.ts";
export { b2aBitsBytes } from "./b2a_bits.ts";
export { leadOneCost } from "./lead_one.ts";
