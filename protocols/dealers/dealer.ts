/**
 * The `Dealer` interface: where a party gets correlated randomness (Beaver triples and
 * friends) from. A `Dealer` is a factory handed to `createContext`; `connect` gives one
 * party its {@linkcode DealerSession}, whose methods return this party's share of one
 * correlation, on the context's device.
 *
 * Every request names a `key` that is equal on all parties for the same correlation (the
 * runtime derives it from the op's scope id); sessions are deterministic in the key, so the
 * order in which parties ask does not matter.
 *
 * @example
 * ```ts
 * import type { DealerSession } from "./dealer.ts";
 * async function triple(d: DealerSession) {
 *   return await d.mulTriple("op7", [2], [2], 64); // { a, b, c } with c = a * b
 * }
 * console.log(typeof triple);
 * ```
 * @module
 */
import type { ConvOptions, Device, RingBuffer } from "@sharetensor/core/device";
import type { Ring } from "@sharetensor/core/ring";
import type { Shape } from "@sharetensor/core/shape";

/** What `Dealer.connect` learns about the party. */
export interface DealerConnectInfo {
  /** This party's rank. */
  rank: number;
  /** Number of computing parties. */
  size: number;
  /** Device the shares are uploaded to. */
  device: Device;
  /** Pairwise seeds agreed at context setup (peer rank -> 32 bytes), secret to the pair. */
  pairSeeds: ReadonlyMap<number, Uint8Array>;
}

/** A source of correlated randomness; one value serves all parties of a computation. */
export interface Dealer {
  /** "ttp", "tfpUnsafe", ... */
  readonly name: string;
  /** Gives one party its session; called once per context, after the pairwise seeds exist. */
  connect(info: DealerConnectInfo): Promise<DealerSession>;
}

/** A Beaver triple: this party's shares of `a`, `b` and `c = a ∘ b` (∘ the op). */
export interface Triple {
  /** Share of `a` (shape of the left operand). */
  a: RingBuffer;
  /** Share of `b` (shape of the right operand). */
  b: RingBuffer;
  /** Share of `c = a ∘ b`. */
  c: RingBuffer;
}

/**
 * An input-aware triple (see {@linkcode DealerSession.ownedTriple}): `a` only on the party
 * that owns the left operand, `b` only on the owner of the right one (null elsewhere), and
 * every party's additive share of `c = a ∘ b`.
 */
export interface OwnedTriple {
  /** `a` in full on its owner, null on the others. */
  a: RingBuffer | null;
  /** `b` in full on its owner, null on the others. */
  b: RingBuffer | null;
  /** Share of `c = a ∘ b`. */
  c: RingBuffer;
}

/**
 * One party's view of a dealer. All sharings are additive mod 2^ring unless they say XOR;
 * `a`, `b` and `r` are uniform in the ring (or bits where said).
 */
export interface DealerSession {
  /** Elementwise triple: `c = a * b` with NumPy broadcasting of `shapeA` and `shapeB`. */
  mulTriple(key: string, shapeA: Shape, shapeB: Shape, ring: Ring): Promise<Triple>;
  /** Square pair: `c = a * a` (`b` is `a`). */
  squarePair(key: string, shape: Shape, ring: Ring): Promise<{ a: RingBuffer; c: RingBuffer }>;
  /**
   * Matrix triple: `c = a @ b`. With `fixed`, `b` is the same for every request with that
   * label (the mask of a reused operand, opened once) and `a`, `c` are fresh.
   */
  matmulTriple(
    key: string,
    shapeA: Shape,
    shapeB: Shape,
    ring: Ring,
    fixed?: string,
  ): Promise<Triple>;
  /**
   * Input-aware triple for operands that are private inputs of `owners[0]` (left) and
   * `owners[1]` (right): `a` is drawn by and known to `owners[0]` only, `b` to `owners[1]`
   * only, and `c = a ∘ b` (`kind` "mul", with broadcasting, or "matmul") is shared among
   * all parties. With `fixed`, `b` is the same for every request with that label (a reused
   * right operand).
   */
  ownedTriple(
    key: string,
    kind: "mul" | "matmul",
    shapeA: Shape,
    shapeB: Shape,
    ring: Ring,
    owners: [number, number],
    fixed?: string,
  ): Promise<OwnedTriple>;
  /** Convolution triple: `c = conv{nd}d(a, b, opts)`; `fixed` as for `matmulTriple`. */
  convTriple(
    key: string,
    nd: 1 | 2,
    shapeX: Shape,
    shapeW: Shape,
    opts: ConvOptions,
    ring: Ring,
    fixed?: string,
  ): Promise<Triple>;
  /** AND triple, XOR-shared, bitwise over the ring words: `c = a & b`. */
  andTriple(key: string, shape: Shape, ring: Ring): Promise<Triple>;
  /** Random bits `r` in {0, 1}: XOR shares (`binary`, bit 0 only) and additive shares (`arith`). */
  randBits(
    key: string,
    shape: Shape,
    ring: Ring,
  ): Promise<{ binary: RingBuffer; arith: RingBuffer }>;
  /**
   * Truncation pair: `r` uniform and `rShift = r >> bits` (arithmetic shift of the signed
   * value), both additive.
   */
  truncPair(
    key: string,
    shape: Shape,
    ring: Ring,
    bits: number,
  ): Promise<{ r: RingBuffer; rShift: RingBuffer }>;
}
