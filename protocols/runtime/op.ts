/**
 * `Op`: the scope one kernel runs in. It gives the kernel its party's context, unique keys
 * for its rounds and dealer requests, and child scopes for the kernels it calls. Keys are
 * hierarchical (`"12.0#1"`: top-level op 12, its first sub-kernel, that one's second
 * round), so they depend only on the program, not on timing: every party derives the same
 * keys as long as it issues its top-level communicating ops in the same order.
 *
 * @example
 * ```ts
 * import type { Op } from "./op.ts";
 * function describe(op: Op): string {
 *   return `${op.name} as ${op.id} on party ${op.ctx.rank}`;
 * }
 * console.log(typeof describe);
 * ```
 * @module
 */
import type { RingBuffer } from "@sharetensor/core/device";
import type { Shape } from "@sharetensor/core/shape";
import type { ShareKind } from "@sharetensor/core/share";
import type { Context } from "./context.ts";
import { tensorBytes } from "./frame.ts";
import { hostView } from "./host.ts";

/**
 * One reserved round of an op (see {@linkcode Op.round}).
 *
 * @example
 * ```ts
 * import type { Op } from "@sharetensor/protocols";
 * const keyOfNextRound = (op: Op) => op.round().key;
 * console.log(typeof keyOfNextRound);
 * ```
 */
export interface Round {
  /** The round's key, equal on every party (`"<op id>#<round>"`). */
  readonly key: string;
  /** Runs the round, as {@linkcode Op.exchange}; once only. */
  exchange(
    sends: ReadonlyMap<number, readonly Uint8Array[]>,
    recvFrom: readonly number[],
    shapeHash: number,
  ): Promise<Map<number, Uint8Array>>;
}

/**
 * The scope of one kernel invocation.
 *
 * @example
 * ```ts
 * import type { Op } from "@sharetensor/protocols";
 * const keyOf = (op: Op) => op.dealerKey();
 * console.log(typeof keyOf);
 * ```
 */
export class Op {
  /** The party's context. */
  readonly ctx: Context;
  /** Hierarchical scope id, equal on every party. */
  readonly id: string;
  /** Kernel name (sent as a hash in round headers). */
  readonly name: string;
  #round = 0;
  #child = 0;
  #dealer = 0;
  #input = 0;

  /** Internal: made by `Context.run` and {@linkcode Op.run}. */
  constructor(ctx: Context, id: string, name: string) {
    this.ctx = ctx;
    this.id = id;
    this.name = name;
  }

  /** A fresh dealer key for this scope. */
  dealerKey(): string {
    return `${this.id}/${this.#dealer++}`;
  }

  /**
   * One round of this op: sends `sends.get(p)` (payload pieces) to each peer p and
   * resolves with one payload from each peer in `recvFrom`. `shapeHash` must be equal on
   * all parties (see `shapeHash` in `shapes.ts`). The send pieces may be reused once it
   * resolves. Same as `op.round().exchange(...)`: the round's key is taken now.
   */
  exchange(
    sends: ReadonlyMap<number, readonly Uint8Array[]>,
    recvFrom: readonly number[],
    shapeHash: number,
  ): Promise<Map<number, Uint8Array>> {
    return this.round().exchange(sends, recvFrom, shapeHash);
  }

  /**
   * Takes this scope's next round key now, for a round whose payload is ready only after
   * an await (a download): reserve it where the round is issued, so that its key follows
   * the program's order on every party and never the order in which awaited work happens
   * to finish. Each round is exchanged once.
   */
  round(): Round {
    const key = `${this.id}#${this.#round++}`;
    let used = false;
    return {
      key,
      exchange: (sends, recvFrom, shapeHash) => {
        if (used) return Promise.reject(new TypeError(`round "${key}" was already exchanged`));
        used = true;
        return this.ctx.comm.request(key, this.name, shapeHash, sends, recvFrom);
      },
    };
  }

  /**
   * A secret sharing of a value that party `from` holds locally (others pass null), made
   * inside a kernel without any message: the owner's share is its value plus its part of
   * a pairwise-seeded zero sharing (XOR for `binary`), the others' are their parts. The
   * kernel itself must make sure the parties agree on the shape (its next round's header
   * does). Example: a2b, where each party inputs its own arithmetic share as binary.
   */
  privateInput(from: number, value: RingBuffer | null, shape: Shape, kind: ShareKind): RingBuffer {
    const d = this.ctx.device;
    const mask = this.ctx.zeroShare(`in/${this.id}/${this.#input++}`, shape, kind);
    if (this.ctx.rank !== from) return mask;
    if (!value) throw new TypeError(`privateInput: party ${from} owns the value but passed none`);
    return kind === "binary" ? d.xor(value, mask) : d.add(value, mask);
  }

  /** Runs kernel `name` in a child scope (sub-steps of a kernel). */
  run<R = unknown>(name: string, ...args: unknown[]): Promise<R> {
    const k = this.ctx.kernel(name);
    return k.run(new Op(this.ctx, `${this.id}.${this.#child++}`, name), ...args) as Promise<R>;
  }

  /** Raw bytes of device buffers, for sending (downloads them). */
  async bytesOf(bufs: readonly RingBuffer[]): Promise<Uint8Array[]> {
    const hs = await Promise.all(bufs.map((b) => hostView(this.ctx.device, b)));
    return hs.map(tensorBytes);
  }
}
