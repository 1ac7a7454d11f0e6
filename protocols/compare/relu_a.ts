/**
 * `relu_a` and `abs_a`: x * [x >= 0] and x * (1 - 2 [x < 0]). The msb circuit runs beside
 * the Beaver product r * x with a dealer random bit r (its masks go out in the circuit's
 * first round), so the product with the msb costs one round after the msb: opening
 * c = msb ^ r, then x * msb = c x + (1 - 2c) r x locally (see `MulBit` in `bit_ops.ts`).
 *
 * Cost per element, 2 parties, Z_2^64: 8 rounds, 45.25 + 16 + 0.125 = 61.4 bytes (CrypTen:
 * 9 rounds, ~232 bytes); 3 parties: 9 rounds, 154.25 bytes (CrypTen: 16 rounds, ~587 bytes).
 * Valid for every ring value.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-2, 0.5] : null, { from: 0, shape: [2] });
 *   return await (await x.relu()).reveal();
 * });
 * console.log(out[0]); // Float64Array [0, 0.5]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { MulBit, mulBitBytes, sub } from "./bit_ops.ts";
import { msbCost, msbPlane } from "./msb_a.ts";
import { notPlane } from "./planes.ts";

const cost = {
  rounds: (n: number, x: SecretTensor) => msbCost(n, x.size, x.ring).rounds + 1,
  bytesPerParty: (n: number, x: SecretTensor) =>
    msbCost(n, x.size, x.ring).bytes + mulBitBytes(n, x.size, x.size, x.ring),
};

/** The kernel: `run(op, x)` -> max(x, 0). */
export const reluA: KernelConfig<[SecretTensor], SecretTensor> = {
  name: "relu_a",
  cost,
  async run(op, x) {
    x.need("arithmetic", "relu");
    const mb = new MulBit(sub(op, "y"), x.shape, x);
    const m = await msbPlane(sub(op, "m"), x);
    return await mb.finish(op.ctx.rank === 0 ? notPlane(m, x.size) : m);
  },
};

/**
 * The kernel: `run(op, x)` -> [max(x, 0), [x >= 0]] (the mask as arithmetic 0/1, for the
 * backward pass), at the cost of `relu_a`: the mask comes from the same opened bit.
 */
export const reluMaskA: KernelConfig<[SecretTensor], [SecretTensor, SecretTensor]> = {
  name: "relu_mask_a",
  cost,
  async run(op, x) {
    x.need("arithmetic", "reluWithMask");
    const mb = new MulBit(sub(op, "y"), x.shape, x);
    const m = await msbPlane(sub(op, "m"), x);
    return await mb.finishWithBit(op.ctx.rank === 0 ? notPlane(m, x.size) : m);
  },
};

/** The kernel: `run(op, x)` -> |x|. */
export const absA: KernelConfig<[SecretTensor], SecretTensor> = {
  name: "abs_a",
  cost,
  async run(op, x) {
    x.need("arithmetic", "abs");
    const mb = new MulBit(sub(op, "y"), x.shape, x);
    const xm = await mb.finish(await msbPlane(sub(op, "m"), x));
    return x.sub(xm.mulPublic(2));
  },
};
