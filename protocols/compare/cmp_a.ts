/**
 * Comparisons with zero, as arithmetic 0/1 (0 fractional bits): `ltz_a` [x < 0],
 * `gez_a` [x >= 0] (the msb, then a one-bit B2A), `eqz_a` [x == 0], `nez_a` [x != 0]
 * (the zero test of `eqz_a.ts`, then a one-bit B2A), and `sign_a` (-1, 0 or 1, as
 * PyTorch: 1 - 2 [x < 0] - [x == 0], the msb and the zero test side by side).
 * x < y is `ltz_a(x - y)`, valid while |x - y| < 2^(ring-1) on the raw ring values.
 *
 * Cost per element, 2 parties, Z_2^64: `ltz_a`/`gez_a` 8 rounds, 45.4 bytes;
 * `eqz_a`/`nez_a` 7 rounds, 15.9 bytes; `sign_a` 8 rounds, 61.25 bytes.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [-2, 0, 3] : null, { from: 0, shape: [3] });
 *   return await (await x.sign()).reveal();
 * });
 * console.log(out[0]); // Float64Array [-1, 0, 1]
 * ```
 * @module
 */
import type { KernelConfig } from "../kernel.ts";
import type { Op } from "../runtime/op.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { b2aPlane, openBytes, sub } from "./bit_ops.ts";
import { eqzCost, eqzPlane } from "./eqz_a.ts";
import { msbCost, msbPlane } from "./msb_a.ts";
import { notPlane } from "./planes.ts";

type Mode = "ltz" | "gez" | "eqz" | "nez";

function cmpKernel(mode: Mode): KernelConfig<[SecretTensor], SecretTensor> {
  const viaMsb = mode === "ltz" || mode === "gez";
  const cost = (n: number, x: SecretTensor) => (viaMsb ? msbCost : eqzCost)(n, x.size, x.ring);
  return {
    name: `${mode}_a`,
    cost: {
      rounds: (n: number, x: SecretTensor) => cost(n, x).rounds + 1,
      bytesPerParty: (n: number, x: SecretTensor) => cost(n, x).bytes + openBytes(n, x.size),
    },
    async run(op: Op, x: SecretTensor) {
      x.need("arithmetic", mode);
      let p = await (viaMsb ? msbPlane : eqzPlane)(sub(op, "c"), x);
      if ((mode === "gez" || mode === "nez") && op.ctx.rank === 0) p = notPlane(p, x.size);
      const z = await b2aPlane(op, p, x.shape);
      return new SecretTensor(op.ctx, "arithmetic", z, 0);
    },
  };
}

/** `ltz_a`: [x < 0]. */
export const ltzA: KernelConfig<[SecretTensor], SecretTensor> = cmpKernel("ltz");
/** `gez_a`: [x >= 0]. */
export const gezA: KernelConfig<[SecretTensor], SecretTensor> = cmpKernel("gez");
/** `eqz_a`: [x == 0]. */
export const eqzA: KernelConfig<[SecretTensor], SecretTensor> = cmpKernel("eqz");
/** `nez_a`: [x != 0]. */
export const nezA: KernelConfig<[SecretTensor], SecretTensor> = cmpKernel("nez");

/** `sign_a`: sign(x) in {-1, 0, 1} (0 fractional bits). */
export const signA: KernelConfig<[SecretTensor], SecretTensor> = {
  name: "sign_a",
  cost: {
    rounds: (n: number, x: SecretTensor) =>
      Math.max(msbCost(n, x.size, x.ring).rounds, eqzCost(n, x.size, x.ring).rounds) + 1,
    bytesPerParty: (n: number, x: SecretTensor) =>
      msbCost(n, x.size, x.ring).bytes + eqzCost(n, x.size, x.ring).bytes +
      2 * openBytes(n, x.size),
  },
  async run(op, x) {
    x.need("arithmetic", "sign");
    const [m, z] = await Promise.all([msbPlane(sub(op, "m"), x), eqzPlane(sub(op, "z"), x)]);
    const [ma, za] = await Promise.all([
      b2aPlane(sub(op, "bm"), m, x.shape),
      b2aPlane(sub(op, "bz"), z, x.shape),
    ]);
    const { ctx } = op;
    const d = ctx.device;
    let s = d.neg(d.add(d.mulScalar(ma, 2n), za));
    if (ctx.rank === 0) s = d.add(s, d.fill([], ctx.ring, 1n));
    return new SecretTensor(ctx, "arithmetic", s, 0);
  },
};
