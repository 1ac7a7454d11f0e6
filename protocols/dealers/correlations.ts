/**
 * The correlations a dealer produces, as data: a {@linkcode CorrelationRequest} names the
 * kind, key, ring and shapes, and {@linkcode plan} says which parts are random (every
 * party draws its share from its own seed) and which are derived from the random ones
 * (the dealer computes them; party 0's share is a correction, the others draw theirs).
 * The TTP server, the in-process dealers and a future networked TTP all use this code.
 *
 * Labels: random part `j` of request `key` is drawn from `Prg(seed).fork(key + "/r" + j)`
 * (or `"fixed/" + fixed` for the reused `b` of a fixed-operand triple), derived part `j`
 * from `fork(key + "/d" + j)`. Binary parts that are bits use `Prg.bits`.
 *
 * @example
 * ```ts
 * import { plan } from "./correlations.ts";
 * const p = plan({ kind: "mul", key: "k", ring: 64, shapes: [[2], [2]] });
 * console.log(p.random.length, p.derived.length); // 2 1
 * ```
 * @module
 */
import type { ConvOptions } from "@sharetensor/core/device";
import { cpu } from "@sharetensor/core/cpu";
import { Prg } from "@sharetensor/core/prg";
import type { Ring, RingTensor } from "@sharetensor/core/ring";
import { broadcastShapes, type Shape } from "@sharetensor/core/shape";
import { convShape, matmulShape } from "../runtime/shapes.ts";

/** Kinds of correlation. */
export type CorrelationKind =
  | "mul"
  | "square"
  | "matmul"
  | "conv1d"
  | "conv2d"
  | "and"
  | "randbit"
  | "trunc";

/** A serialisable request for one correlation (what a party sends a networked TTP). */
export interface CorrelationRequest {
  /** What to make. */
  kind: CorrelationKind;
  /** Unique per correlation within a session, equal on all parties. */
  key: string;
  /** Ring size in bits. */
  ring: Ring;
  /** Operand shapes: [a, b] for products, [x] otherwise. */
  shapes: Shape[];
  /** Label of a reused `b` (fixed-operand matmul or conv). */
  fixed?: string;
  /** Shift of a truncation pair. */
  bits?: number;
  /** Options of a conv triple. */
  conv?: ConvOptions;
  /**
   * Input-aware products (`mul`, `matmul`): the ranks that hold `a` and `b`. Each of these
   * random parts is drawn by its owner alone (the others hold nothing of it); `c` is
   * additively shared among all parties as usual.
   */
  owners?: [number, number];
}

/** One part of a correlation. */
export interface PartSpec {
  /** PRG label of the part. */
  label: string;
  /** Shape of the part. */
  shape: Shape;
  /** Additive or XOR sharing. */
  sharing: "arithmetic" | "binary";
  /** Shares are single bits (`Prg.bits`) rather than ring words. */
  bits?: boolean;
  /** The same for every request with this label (a fixed operand's mask): cacheable. */
  reuse?: boolean;
  /**
   * The one party that holds this random part (drawn from its seed alone); the others
   * hold nothing of it, and its full value is that party's draw.
   */
  owner?: number;
}

/** How to make one correlation. */
export interface CorrelationPlan {
  /** Parts each party draws from its seed. */
  random: PartSpec[];
  /** Parts computed from the full random values. */
  derived: PartSpec[];
  /** Computes the full derived values from the full random values (host tensors). */
  derive(full: RingTensor[]): RingTensor[];
}

/**
 * The plan of a request; `TypeError` for an unknown kind or shapes that do not fit.
 *
 * @example
 * ```ts
 * import { plan } from "./correlations.ts";
 * console.log(plan({ kind: "matmul", key: "k", ring: 64, shapes: [[2, 3], [3, 4]] }).derived[0].shape);
 * ```
 */
export function plan(req: CorrelationRequest): CorrelationPlan {
  const { key, shapes } = req;
  const r = (
    j: number,
    shape: Shape,
    sharing: "arithmetic" | "binary" = "arithmetic",
    bits = false,
  ) => ({
    label: `${key}/r${j}`,
    shape,
    sharing,
    bits,
  });
  const d = (j: number, shape: Shape, sharing: "arithmetic" | "binary" = "arithmetic") => ({
    label: `${key}/d${j}`,
    shape,
    sharing,
  });
  const fixedB = (shape: Shape) =>
    req.fixed === undefined
      ? r(1, shape)
      : { label: `fixed/${req.fixed}`, shape, sharing: "arithmetic" as const };
  const owned = (rnd: PartSpec[]): PartSpec[] => {
    const o = req.owners;
    if (o === undefined) return rnd;
    if (
      !Array.isArray(o) || o.length !== 2 || !o.every((k) => Number.isInteger(k) && k >= 0) ||
      o[0] === o[1]
    ) {
      throw new RangeError(`owners must be two different ranks, got ${JSON.stringify(o)}`);
    }
    return rnd.map((part, j) => ({ ...part, owner: o[j] }));
  };
  if (req.owners !== undefined && req.kind !== "mul" && req.kind !== "matmul") {
    throw new TypeError(`owners apply to mul and matmul requests, not ${req.kind}`);
  }
  switch (req.kind) {
    case "mul":
      return {
        random: owned([r(0, shapes[0]), fixedB(shapes[1])]),
        derived: [d(0, broadcastShapes(shapes[0], shapes[1]))],
        derive: ([a, b]) => [cpu.mul(a, b)],
      };
    case "square":
      return {
        random: [r(0, shapes[0])],
        derived: [d(0, shapes[0])],
        derive: ([a]) => [cpu.mul(a, a)],
      };
    case "matmul":
      return {
        random: owned([r(0, shapes[0]), fixedB(shapes[1])]),
        derived: [d(0, matmulShape(shapes[0], shapes[1]))],
        derive: ([a, b]) => [cpu.matmul(a, b)],
      };
    case "conv1d":
    case "conv2d": {
      const nd = req.kind === "conv1d" ? 1 : 2;
      const opts = req.conv ?? {};
      return {
        random: [r(0, shapes[0]), fixedB(shapes[1])],
        derived: [d(0, convShape(shapes[0], shapes[1], opts, nd))],
        derive: ([a, b]) => [nd === 1 ? cpu.conv1d(a, b, opts) : cpu.conv2d(a, b, opts)],
      };
    }
    case "and":
      return {
        random: [r(0, shapes[0], "binary"), r(1, shapes[0], "binary")],
        derived: [d(0, shapes[0], "binary")],
        derive: ([a, b]) => [cpu.and(a, b)],
      };
    case "randbit":
      return {
        random: [r(0, shapes[0], "binary", true)],
        derived: [d(0, shapes[0])],
        derive: ([bit]) => [bit.clone()],
      };
    case "trunc": {
      const bits = req.bits ?? 0;
      if (!Number.isInteger(bits) || bits < 0 || bits >= req.ring) {
        throw new RangeError(`truncation pair: bits must be in [0, ${req.ring}), got ${bits}`);
      }
      return {
        random: [r(0, shapes[0])],
        derived: [d(0, shapes[0])],
        derive: ([rr]) => [cpu.sar(rr, bits)],
      };
    }
    default:
      throw new TypeError(`unknown correlation kind "${(req as { kind: string }).kind}"`);
  }
}

/**
 * One party's share of a part, drawn from its seed.
 *
 * @example
 * ```ts
 * import { Prg } from "@sharetensor/core/prg";
 * import { drawPart } from "./correlations.ts";
 * const t = drawPart(new Prg(new Uint8Array(32)), { label: "x", shape: [2], sharing: "arithmetic" }, 64);
 * console.log(t.shape); // [2]
 * ```
 */
export function drawPart(seed: Prg, part: PartSpec, ring: Ring): RingTensor {
  const g = seed.fork(part.label);
  return part.bits ? g.bits(part.shape, ring) : g.ring(part.shape, ring);
}

/**
 * Cache key of a reusable part.
 *
 * @example
 * ```ts
 * import { reuseKey } from "./correlations.ts";
 * console.log(reuseKey({ label: "fixed/w", shape: [2, 2], sharing: "arithmetic" }, 64));
 * ```
 */
export function reuseKey(part: PartSpec, ring: Ring): string {
  return `${part.label}|${ring}|${part.shape.join(",")}`;
}

/**
 * Combines shares: sum for additive parts, XOR for binary ones.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { combine } from "./correlations.ts";
 * const t = RingTensor.fromBigInts([1n], [1]);
 * console.log(combine({ label: "x", shape: [1], sharing: "arithmetic" }, [t, t]).toBigInts()); // [2n]
 * ```
 */
export function combine(part: PartSpec, shares: RingTensor[]): RingTensor {
  let acc = shares[0];
  for (let i = 1; i < shares.length; i++) {
    acc = part.sharing === "binary" ? cpu.xor(acc, shares[i]) : cpu.add(acc, shares[i]);
  }
  return acc;
}

/**
 * Removes shares: `full - sum(shares)` or `full ^ xor(shares)`.
 *
 * @example
 * ```ts
 * import { RingTensor } from "@sharetensor/core/ring";
 * import { remove } from "./correlations.ts";
 * const t = RingTensor.fromBigInts([3n], [1]);
 * console.log(remove({ label: "x", shape: [1], sharing: "binary" }, t, [t]).toBigInts()); // [0n]
 * ```
 */
export function remove(part: PartSpec, full: RingTensor, shares: RingTensor[]): RingTensor {
  let acc = full;
  for (const s of shares) acc = part.sharing === "binary" ? cpu.xor(acc, s) : cpu.sub(acc, s);
  return acc;
}
