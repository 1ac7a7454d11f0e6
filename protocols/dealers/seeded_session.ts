/**
 * `SeededSession`: a party's {@linkcode DealerSession} for any dealer built on
 * {@linkcode TtpServer}: it draws its shares from its seed and, on party 0, takes the
 * derived parts from the dealer's corrections (`fetch`).
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { TtpServer } from "./ttp_server.ts";
 * import { SeededSession } from "./seeded_session.ts";
 * const server = TtpServer.random(2);
 * const s1 = new SeededSession(server.seedFor(1), 1, cpu);
 * console.log((await s1.mulTriple("k", [2], [2], 64)).c.shape); // [2]
 * ```
 * @module
 */
import type { ConvOptions, Device, RingBuffer } from "@sharetensor/core/device";
import { Prg } from "@sharetensor/core/prg";
import type { Ring, RingTensor } from "@sharetensor/core/ring";
import type { Shape } from "@sharetensor/core/shape";
import { type CorrelationRequest, drawPart, plan, reuseKey } from "./correlations.ts";
import type { DealerSession, OwnedTriple, Triple } from "./dealer.ts";
import { adopt } from "../runtime/host.ts";

/** Fetches party 0's corrections for a request. */
export type CorrectionSource = (req: CorrelationRequest) => Promise<RingTensor[]>;

/**
 * A party's dealer session backed by a seed (and, on party 0, a correction source).
 *
 * @example
 * ```ts
 * import { cpu } from "@sharetensor/core/cpu";
 * import { SeededSession, TtpServer } from "@sharetensor/protocols";
 * const s = new SeededSession(TtpServer.random(3).seedFor(2), 2, cpu);
 * console.log((await s.andTriple("k", [4], 64)).a.shape); // [4]
 * ```
 */
export class SeededSession implements DealerSession {
  readonly #prg: Prg;
  readonly #rank: number;
  readonly #device: Device;
  readonly #fetch?: CorrectionSource;
  readonly #fixed = new Map<string, RingBuffer>();

  /** `fetch` is required on party 0 and ignored elsewhere. */
  constructor(seed: Uint8Array, rank: number, device: Device, fetch?: CorrectionSource) {
    if (rank === 0 && !fetch) {
      throw new TypeError("party 0's dealer session needs a correction source");
    }
    this.#prg = new Prg(seed);
    this.#rank = rank;
    this.#device = device;
    this.#fetch = fetch;
  }

  /**
   * This party's shares of all parts of `req`: random parts first, then derived ones. A
   * random part held by another party (`owner`, input-aware products) is `null` here.
   */
  async get(req: CorrelationRequest): Promise<(RingBuffer | null)[]> {
    const p = plan(req);
    const d = this.#device;
    const rnd = p.random.map((part) => {
      if (part.owner !== undefined && part.owner !== this.#rank) return null;
      if (!part.reuse) return adopt(d, drawPart(this.#prg, part, req.ring));
      const key = reuseKey(part, req.ring);
      let b = this.#fixed.get(key);
      if (!b) this.#fixed.set(key, b = adopt(d, drawPart(this.#prg, part, req.ring)));
      return b;
    });
    const der = this.#rank === 0
      ? await this.#fetch!(req)
      : p.derived.map((part) => drawPart(this.#prg, part, req.ring));
    return [...rnd, ...der.map((t) => adopt(d, t))];
  }

  /** Every part of a request without owned parts. */
  async #full(req: CorrelationRequest): Promise<RingBuffer[]> {
    return (await this.get(req)) as RingBuffer[];
  }

  /** See {@linkcode DealerSession.ownedTriple}. */
  async ownedTriple(
    key: string,
    kind: "mul" | "matmul",
    shapeA: Shape,
    shapeB: Shape,
    ring: Ring,
    owners: [number, number],
    fixed?: string,
  ): Promise<OwnedTriple> {
    if (kind !== "mul" && kind !== "matmul") {
      throw new TypeError(`ownedTriple: kind must be "mul" or "matmul", got ${kind}`);
    }
    const [a, b, c] = await this.get({
      kind,
      key,
      ring,
      shapes: [shapeA, shapeB],
      owners: [owners[0], owners[1]],
      ...(fixed === undefined ? {} : { fixed }),
    });
    return { a, b, c: c! };
  }

  /** See {@linkcode DealerSession.mulTriple}. */
  async mulTriple(key: string, shapeA: Shape, shapeB: Shape, ring: Ring): Promise<Triple> {
    const [a, b, c] = await this.#full({ kind: "mul", key, ring, shapes: [shapeA, shapeB] });
    return { a, b, c };
  }

  /** See {@linkcode DealerSession.squarePair}. */
  async squarePair(
    key: string,
    shape: Shape,
    ring: Ring,
  ): Promise<{ a: RingBuffer; c: RingBuffer }> {
    const [a, c] = await this.#full({ kind: "square", key, ring, shapes: [shape] });
    return { a, c };
  }

  /** See {@linkcode DealerSession.matmulTriple}. */
  async matmulTriple(
    key: string,
    shapeA: Shape,
    shapeB: Shape,
    ring: Ring,
    fixed?: string,
  ): Promise<Triple> {
    const [a, b, c] = await this.#full({
      kind: "matmul",
      key,
      ring,
      shapes: [shapeA, shapeB],
      fixed,
    });
    return { a, b, c };
  }

  /** See {@linkcode DealerSession.convTriple}. */
  async convTriple(
    key: string,
    nd: 1 | 2,
    shapeX: Shape,
    shapeW: Shape,
    opts: ConvOptions,
    ring: Ring,
    fixed?: string,
  ): Promise<Triple> {
    const kind = nd === 1 ? "conv1d" : "conv2d";
    const [a, b, c] = await this.#full({
      kind,
      key,
      ring,
      shapes: [shapeX, shapeW],
      fixed,
      conv: opts,
    });
    return { a, b, c };
  }

  /** See {@linkcode DealerSession.andTriple}. */
  async andTriple(key: string, shape: Shape, ring: Ring): Promise<Triple> {
    const [a, b, c] = await this.#full({ kind: "and", key, ring, shapes: [shape] });
    return { a, b, c };
  }

  /** See {@linkcode DealerSession.randBits}. */
  async randBits(
    key: string,
    shape: Shape,
    ring: Ring,
  ): Promise<{ binary: RingBuffer; arith: RingBuffer }> {
    const [binary, arith] = await this.#full({ kind: "randbit", key, ring, shapes: [shape] });
    return { binary, arith };
  }

  /** See {@linkcode DealerSession.truncPair}. */
  async truncPair(
    key: string,
    shape: Shape,
    ring: Ring,
    bits: number,
  ): Promise<{ r: RingBuffer; rShift: RingBuffer }> {
    const [r, rShift] = await this.#full({ kind: "trunc", key, ring, shapes: [shape], bits });
    return { r, rShift };
  }
}
