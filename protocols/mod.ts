/**
 * `@sharetensor/protocols`: secure computation on secret-shared tensors. A party makes a
 * {@linkcode Context} with a protocol (`semi2k`), a dealer (`ttp()`, or `tfpUnsafe()` for
 * tests), a transport and a device; shares inputs with `ctx.share`; computes with
 * {@linkcode SecretTensor} methods (local ones synchronous, communicating ones async and
 * batched into shared rounds when issued together); and opens results with `reveal`.
 *
 * - **Rounds.** Communicating ops issued in the same tick (e.g. in `Promise.all`) share
 *   one message per peer. Every party must issue its top-level ops in the same order; for
 *   concurrent branches that await between ops, use `ctx.parallel(branches)`.
 * - **Costs.** Each kernel declares its rounds and payload bytes (`KernelConfig.cost`);
 *   `ctx.stats()` counts them (plus 8 bytes per message and 16 per op of framing), and
 *   the conformance suite holds every kernel to its declaration.
 * - **Precision.** Fixed point with the context's `fracBits` (16 by default). Products are
 *   truncated back (local for 2 parties, one extra round otherwise): within one unit in the
 *   last place, except with probability about 2^(lx + 1 - ring) per element (see `trunc_a`).
 * - **Reused weights.** The right operand of `matmul` and the weight of a conv open their
 *   Beaver mask once; later products with the same tensor object send only the activation.
 * - **Input-aware products.** `mul` and `matmul` of fresh inputs of two different parties
 *   (tensors straight from `ctx.share`) use a dealer-assisted OLE: one local product per
 *   owner, each owner's input leaving it only masked (`inputAware: false` turns it off).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
 *   const y = await ctx.share(ctx.rank === 1 ? [3, 4] : null, { from: 1, shape: [2] });
 *   const [z, w] = await Promise.all([x.mul(y), x.square()]); // one round
 *   return await z.add(w).reveal({ to: 2 });
 * }, { dealer: "ttp" });
 * console.log(out[2]); // Float64Array [4, 12]
 * ```
 * @module
 */
export {
  type Context,
  type ContextStats,
  createContext,
  type CreateContextOptions,
  SeedUnsafe,
  seedUnsafe,
  type ShareOptions,
} from "./runtime/context.ts";
export { Op, type Round } from "./runtime/op.ts";
export { Comm, type CommStats } from "./runtime/comm.ts";
export { runParties, type RunPartiesOptions } from "./runtime/run_parties.ts";
export { openAll, openTo, peersOf, type Sharing } from "./runtime/open.ts";
export { convShape, matmulShape, shapeHash } from "./runtime/shapes.ts";
export { packBits, unpackBits } from "./runtime/bits.ts";
export { MESSAGE_HEADER_BYTES, SUB_HEADER_BYTES } from "./runtime/frame.ts";
export {
  type PublicOperand,
  type RevealOptions,
  scalarRaw,
  SecretTensor,
} from "./secret_tensor.ts";
export { encodeValue, PublicTensor, type TensorValue } from "./public_tensor.ts";
export type { KernelConfig, KernelCost, ProtocolPlugin } from "./kernel.ts";
export { semi2k, semi2kKernels } from "./semi2k.ts";
export type {
  Dealer,
  DealerConnectInfo,
  DealerSession,
  OwnedTriple,
  Triple,
} from "./dealers/dealer.ts";
export { type CorrelationKind, type CorrelationRequest, plan } from "./dealers/correlations.ts";
export { TtpServer } from "./dealers/ttp_server.ts";
export { SeededSession } from "./dealers/seeded_session.ts";
export { ttp, type TtpOptions } from "./dealers/ttp.ts";
export { tfpUnsafe, type TfpUnsafeOptions } from "./dealers/tfp_unsafe.ts";
export { truncLocal, truncShare } from "./kernels/trunc_a.ts";
export { beaverCombine, finishProduct, productFracBits } from "./kernels/beaver.ts";
