/**
 * `mul_owned`: the elementwise product of two fresh private inputs of different parties
 * (input-aware; `x` input by party i, `y` by party j), with a dealer-assisted OLE instead of
 * a Beaver triple. The dealer gives i a random `A` (only i has it), j a random `B` (only j
 * has it), and every party an additive share `C_k` of `C = A ∘ B`. In one round i sends
 * `E = X - A` to j only and j sends `F = Y - B` to i only (no other message); then
 * `Z_i = X ∘ F + C_i`, `Z_j = E ∘ B + C_j`, and `Z_k = C_k` elsewhere, which sum to
 * `X ∘ Y`; then the usual truncation. Each owner does one local product (a Beaver product
 * costs two per party). j sees only `E` (masked by the uniform `A`), i only `F` (masked by
 * `B`); neither clear input leaves its owner unmasked. At 2 parties with equal shapes each
 * owner's product, the addition of `C_k` and the local truncation are one fused device pass
 * (`Device.beaverMulTrunc`).
 *
 * Cost: max(|x|, |y|) ring words on the busiest party (i sends |x|, j sends |y|), one
 * round, plus the truncation's round on n > 2 and its |z| words on the parties that send
 * them (all but party 0: see {@linkcode ownedCost}).
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(2, async (ctx) => {
 *   const x = await ctx.share(ctx.rank === 0 ? [1.5, -2] : null, { from: 0, shape: [2] });
 *   const y = await ctx.share(ctx.rank === 1 ? [2, 3] : null, { from: 1, shape: [2] });
 *   return await (await x.mul(y)).reveal(); // runs mul_owned
 * });
 * console.log(out[0]); // Float64Array [3, -6]
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import { broadcastShapes, numel, sameShape, type Shape } from "@sharetensor/core/shape";
import type { KernelConfig } from "../kernel.ts";
import { splitTensors } from "../runtime/frame.ts";
import { adopt } from "../runtime/host.ts";
import type { Op } from "../runtime/op.ts";
import { shapeHash } from "../runtime/shapes.ts";
import { type PendingMask, pendingMask } from "./fixed_mask.ts";
import { ownedPair } from "../owned.ts";
import { SecretTensor } from "../secret_tensor.ts";
import { finishProduct, productFracBits, productTruncBytes, productTruncRounds } from "./beaver.ts";

/**
 * The cached opened mask of a reused right operand, per owner of the left operand: on that
 * owner the opened `F = y - B`, null elsewhere.
 */
export type OwnedMask = PendingMask<RingBuffer | null>;

function masksOf(op: Op, y: SecretTensor): Map<number, OwnedMask> | undefined {
  return op.ctx.ownedMasks.get(y) as Map<number, OwnedMask> | undefined;
}

/**
 * True when `y`'s mask for left operands input by party `xOwner` is already opened (or
 * being opened) in `y`'s context, so that a product sends only the left operand's part.
 *
 * @example
 * ```ts
 * import { hasOwnedMask } from "./mul_owned.ts";
 * console.log(typeof hasOwnedMask); // "function"
 * ```
 */
export function hasOwnedMask(y: SecretTensor, xOwner: number): boolean {
  return (y.ctx.ownedMasks.get(y) as Map<number, OwnedMask> | undefined)?.has(xOwner) ?? false;
}

function ownedMaskOf(op: Op, y: SecretTensor, xOwner: number): {
  entry: OwnedMask;
  fresh: boolean;
} {
  let m = masksOf(op, y);
  if (!m) op.ctx.ownedMasks.set(y, m = new Map());
  const old = m.get(xOwner);
  if (old) return { entry: old, fresh: false };
  const entry: OwnedMask = pendingMask(`omask/${op.id}`);
  m.set(xOwner, entry);
  return { entry, fresh: true };
}

/**
 * At 2 parties, for an elementwise product of operands of one shape: `c + u * v` and the
 * local truncation in the device's one fused pass (`Device.beaverMulTrunc` with zeros for
 * the missing Beaver terms), or null where that does not apply.
 */
function fusedFinish(
  op: Op,
  kind: "mul" | "matmul",
  drop: number,
  u: RingBuffer,
  v: RingBuffer,
  c: RingBuffer,
  side: "a" | "b",
): RingBuffer | null {
  const { ctx } = op;
  const d = ctx.device;
  if (kind !== "mul" || ctx.size !== 2 || !d.beaverMulTrunc) return null;
  if (!sameShape(u.shape, v.shape) || !sameShape(u.shape, c.shape)) return null;
  const zero = d.zeros(c.shape, ctx.ring);
  // side a: c + 0*0 + u*v (u = X, v = F); side b: c + u*v + 0*0 (u = E, v = B); the e*f
  // term of party 0 is then 0*v or u*0.
  const z = side === "a"
    ? d.beaverMulTrunc(u, zero, c, zero, v, ctx.rank === 0, drop)
    : d.beaverMulTrunc(zero, v, c, u, zero, ctx.rank === 0, drop);
  d.dispose(zero);
  return z;
}

/**
 * The owner's clear value of a fresh input: `ownValue`, or zeros where the owner input no
 * value (the `share` kernel with null: its secret is 0). `made` says whether to dispose it.
 */
function clearOf(op: Op, t: SecretTensor): { v: RingBuffer; made: boolean } {
  return t.ownValue
    ? { v: t.ownValue, made: false }
    : { v: op.ctx.device.zeros(t.shape, op.ctx.ring), made: true };
}

/** `TypeError` unless `x` and `y` qualify for an input-aware product. */
function assertOwned(name: string, x: SecretTensor, y: SecretTensor): [number, number] {
  if (
    !(x instanceof SecretTensor) || !(y instanceof SecretTensor) || !ownedPair(x, y)
  ) {
    throw new TypeError(
      `${name}: needs fresh private inputs of two different parties of an input-aware context`,
    );
  }
  return [x.owner!, y.owner!];
}

/**
 * The input-aware product shared by `mul_owned` and `matmul_owned`: `prod` is the bilinear
 * op, `outShape` its result's shape; with `reuse`, `y`'s mask is opened to x's owner once
 * (later products with `y` send only `E`).
 *
 * @example
 * ```ts
 * import { ownedProduct } from "./mul_owned.ts";
 * console.log(typeof ownedProduct); // "function"
 * ```
 */
export async function ownedProduct(
  op: Op,
  name: string,
  kind: "mul" | "matmul",
  x: SecretTensor,
  y: SecretTensor,
  prod: (u: RingBuffer, v: RingBuffer) => RingBuffer,
  reuse: boolean,
): Promise<SecretTensor> {
  const { ctx } = op;
  const d = ctx.device;
  const [i, j] = assertOwned(name, x, y);
  const { entry, fresh } = reuse ? ownedMaskOf(op, y, i) : { entry: undefined, fresh: true };
  try {
    const t = await ctx.dealer.ownedTriple(
      op.dealerKey(),
      kind,
      x.shape,
      y.shape,
      ctx.ring,
      [i, j],
      entry?.label,
    );
    const { fracBits, drop } = productFracBits(ctx.fracBits, x.fracBits, y.fracBits);
    const hash = shapeHash(ctx.ring, [x.shape, y.shape], `${name}|${i}|${j}|${fresh}`);
    let z: RingBuffer;
    if (ctx.rank === i) {
      if (!t.a) throw new TypeError(`${name}: the dealer gave the owner of x no mask`);
      const round = op.round(); // before the download: keys in issue order
      const xv = clearOf(op, x);
      const e = d.sub(xv.v, t.a);
      const [eBytes] = await op.bytesOf([e]);
      const got = await round.exchange(new Map([[j, [eBytes]]]), fresh ? [j] : [], hash);
      d.dispose(e); // only now: the message may be a view of e until it is sent
      let f: RingBuffer;
      if (fresh) {
        // A view into the received message; the cached F gets storage of its own.
        const [u] = splitTensors(got.get(j)!, ctx.ring, [y.shape]);
        f = adopt(d, entry ? u.clone() : u);
        entry?.resolve(f); // cached: never disposed here
      } else {
        f = (await entry!.opened)!;
      }
      const fused = fusedFinish(op, kind, drop, xv.v, f, t.c, "a");
      if (fused) {
        if (xv.made) d.dispose(xv.v);
        if (!entry) d.dispose(f);
        d.dispose(t.a);
        d.dispose(t.c);
        return new SecretTensor(ctx, "arithmetic", fused, fracBits);
      }
      const xf = prod(xv.v, f);
      if (xv.made) d.dispose(xv.v);
      if (!entry) d.dispose(f);
      z = d.add(xf, t.c);
      d.dispose(xf);
    } else if (ctx.rank === j) {
      if (!t.b) throw new TypeError(`${name}: the dealer gave the owner of y no mask`);
      const round = op.round();
      const sends = new Map<number, Uint8Array[]>();
      let f: RingBuffer | null = null;
      if (fresh) {
        const yv = clearOf(op, y);
        f = d.sub(yv.v, t.b);
        if (yv.made) d.dispose(yv.v);
      }
      if (f) sends.set(i, await op.bytesOf([f]));
      const got = await round.exchange(sends, [i], hash);
      if (f) d.dispose(f); // only now: the message may be a view of f until it is sent
      entry?.resolve(null);
      const [e] = splitTensors(got.get(i)!, ctx.ring, [x.shape]).map((u) => adopt(d, u));
      const fused = fusedFinish(op, kind, drop, e, t.b, t.c, "b");
      if (fused) {
        d.dispose(e);
        d.dispose(t.b);
        d.dispose(t.c);
        return new SecretTensor(ctx, "arithmetic", fused, fracBits);
      }
      const eb = prod(e, t.b);
      d.dispose(e);
      d.dispose(t.b); // drawn afresh per request, even for a fixed label
      z = d.add(eb, t.c);
      d.dispose(eb);
    } else {
      op.round(); // takes no part, but keeps the next round's key in step with i and j
      entry?.resolve(null);
      z = t.c;
    }
    if (t.a) d.dispose(t.a);
    if (z !== t.c) d.dispose(t.c);
    return await finishProduct(op, z, x.fracBits, y.fracBits);
  } catch (err) {
    if (fresh) entry?.reject(err);
    throw err;
  }
}

/**
 * The declared cost of an input-aware product with result shape `out`.
 *
 * @example
 * ```ts
 * import { ownedCost } from "./mul_owned.ts";
 * console.log(typeof ownedCost.rounds); // "function"
 * ```
 */
export const ownedCost = {
  rounds: (n: number, x: SecretTensor, y: SecretTensor): number =>
    1 + productTruncRounds(n, x.ctx.fracBits, x.fracBits, y.fracBits),
  /**
   * Bytes of the busiest party: x's owner sends |x| words, y's owner |y| (when `fSent`),
   * and at n > 2 the truncation has every party but 0 send |z| words to party 0.
   */
  bytes: (n: number, x: SecretTensor, y: SecretTensor, out: Shape, fSent: boolean): number => {
    const w = x.ring / 8;
    const trunc = productTruncBytes(n, x.ctx.fracBits, x.fracBits, y.fracBits, numel(out), x.ring);
    let most = 0;
    for (let k = 0; k < n; k++) {
      const own = k === x.owner ? x.size * w : k === y.owner && fSent ? y.size * w : 0;
      most = Math.max(most, own + (k === 0 ? 0 : trunc));
    }
    return most;
  },
};

/**
 * The kernel: `run(op, x, y)` -> x * y for fresh inputs of two different parties.
 *
 * @example
 * ```ts
 * import { mulOwned } from "./mul_owned.ts";
 * console.log(mulOwned.name); // "mul_owned"
 * ```
 */
export const mulOwned: KernelConfig<[SecretTensor, SecretTensor], SecretTensor> = {
  name: "mul_owned",
  cost: {
    rounds: (n: number, x: SecretTensor, y: SecretTensor) => ownedCost.rounds(n, x, y),
    bytesPerParty: (n: number, x: SecretTensor, y: SecretTensor) =>
      ownedCost.bytes(n, x, y, broadcastShapes(x.shape, y.shape), true),
  },
  run(op, x, y) {
    try {
      broadcastShapes(x.shape, y.shape); // TypeError before any message
    } catch (e) {
      return Promise.reject(e);
    }
    const d = op.ctx.device;
    return ownedProduct(op, "mul_owned", "mul", x, y, (u, v) => d.mul(u, v), false);
  },
};
