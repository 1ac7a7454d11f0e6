/**
 * `TtpServer`: the trusted third party as a pure object. It holds one seed per party; a
 * party's share of every random part, and of every derived part for parties 1..n-1, is
 * drawn from that party's seed, so those parties need only their seed (sent once). For
 * each request the server computes the full values and returns party 0's corrections:
 * `derived - sum of the other parties' derived shares`. No computing party ever holds
 * more than one share of anything. The networked TTP (`cli/main.ts ttp`) wraps this same
 * object: seeds at connect, `corrections(request)` per request from party 0.
 *
 * @example
 * ```ts
 * import { TtpServer } from "./ttp_server.ts";
 * const s = TtpServer.random(2);
 * const c = s.corrections({ kind: "mul", key: "op0", ring: 64, shapes: [[2], [2]] });
 * console.log(c[0].shape); // [2]
 * ```
 * @module
 */
import { Prg } from "@sharetensor/core/prg";
import type { RingTensor } from "@sharetensor/core/ring";
import {
  combine,
  type CorrelationRequest,
  drawPart,
  plan,
  remove,
  reuseKey,
} from "./correlations.ts";

/**
 * The dealer's side of correlated randomness for `n` parties.
 *
 * @example
 * ```ts
 * import { TtpServer } from "@sharetensor/protocols";
 * const server = TtpServer.random(3);
 * console.log(server.size, server.seedFor(1).length); // 3 32
 * ```
 */
export class TtpServer {
  readonly #seeds: Uint8Array[];
  readonly #prgs: Prg[];
  readonly #fixed = new Map<string, RingTensor>();

  /** A server for the parties whose seeds are `seeds` (index = rank, 16 or 32 bytes each). */
  constructor(seeds: readonly Uint8Array[]) {
    if (seeds.length < 2) throw new RangeError(`a TTP serves n >= 2 parties, got ${seeds.length}`);
    this.#seeds = seeds.map((s) => new Uint8Array(s));
    this.#prgs = this.#seeds.map((s) => new Prg(s));
  }

  /** A server with fresh random seeds for `n` parties. */
  static random(n: number): TtpServer {
    if (!Number.isInteger(n) || n < 2) {
      throw new RangeError(`a TTP serves n >= 2 parties, got ${n}`);
    }
    return new TtpServer(
      Array.from({ length: n }, () => crypto.getRandomValues(new Uint8Array(32))),
    );
  }

  /** Number of parties. */
  get size(): number {
    return this.#seeds.length;
  }

  /** The seed of party `rank` (what it receives at connect). */
  seedFor(rank: number): Uint8Array {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.#seeds.length) {
      throw new RangeError(`party ${rank} does not exist among ${this.#seeds.length} parties`);
    }
    return new Uint8Array(this.#seeds[rank]);
  }

  /**
   * Party 0's shares of the derived parts of `req` (the per-request payload; parties
   * 1..n-1 get nothing per request). The full value of a fixed operand's mask is kept
   * (one tensor per reused operand). A random part with an `owner` (input-aware products)
   * is that party's draw alone.
   */
  corrections(req: CorrelationRequest): RingTensor[] {
    const p = plan(req);
    const full = p.random.map((part) => {
      const key = part.reuse ? reuseKey(part, req.ring) : "";
      const hit = part.reuse ? this.#fixed.get(key) : undefined;
      if (hit) return hit;
      if (part.owner !== undefined) {
        if (part.owner >= this.#prgs.length) {
          throw new RangeError(
            `party ${part.owner} does not exist among ${this.#prgs.length} parties`,
          );
        }
        // Held by one party: the full value is that party's draw.
        return drawPart(this.#prgs[part.owner], part, req.ring);
      }
      const v = combine(part, this.#prgs.map((g) => drawPart(g, part, req.ring)));
      if (part.reuse) this.#fixed.set(key, v);
      return v;
    });
    const derived = p.derive(full);
    return p.derived.map((part, j) =>
      remove(part, derived[j], this.#prgs.slice(1).map((g) => drawPart(g, part, req.ring)))
    );
  }
}
