/**
 * `Context`: one party's runtime for one computation: its rank, ring, fixed-point
 * precision, device, transport (through round batching), dealer session, the pairwise
 * seeds for zero sharing, and the protocol's kernels. Nothing is global: every party of
 * every computation has its own context.
 *
 * @example
 * ```ts
 * import { createContext, semi2k, tfpUnsafe } from "@sharetensor/protocols";
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * const dealer = tfpUnsafe({ quiet: true });
 * const ctxs = await Promise.all(
 *   memoryNetwork(2).map((transport) => createContext({ protocol: semi2k, dealer, transport })),
 * );
 * console.log(ctxs.map((c) => c.rank)); // [0, 1]
 * ```
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { cpu } from "@sharetensor/core/cpu";
import type { Device, RingBuffer } from "@sharetensor/core/device";
import { KernelNotFoundError, ProtocolAbortError } from "@sharetensor/core/errors";
import { assertFracBits, DEFAULT_FRAC_BITS } from "@sharetensor/core/fixed_point";
import { Prg } from "@sharetensor/core/prg";
import { assertRing, type Ring, RingTensor } from "@sharetensor/core/ring";
import { assertShape, type Shape } from "@sharetensor/core/shape";
import type { ShareKind } from "@sharetensor/core/share";
import type { Transport } from "@sharetensor/core/transport";
import type { Dealer, DealerSession } from "../dealers/dealer.ts";
import type { KernelConfig, ProtocolPlugin } from "../kernel.ts";
import { Comm } from "./comm.ts";
import { Op } from "./op.ts";
import { adopt } from "./host.ts";
import { peersOf } from "./open.ts";
import { encodeValue, PublicTensor, type TensorValue } from "../public_tensor.ts";
import type { SecretTensor } from "../secret_tensor.ts";

/** Options of {@linkcode Context.share}. */
export interface ShareOptions {
  /** Rank of the party that holds the value. */
  from: number;
  /** Public shape of the value. */
  shape: Shape;
  /** Fractional bits (default the context's; 0 for binary). */
  fracBits?: number;
  /** Additive (default) or XOR sharing. */
  kind?: ShareKind;
}

/** Options of {@linkcode createContext}. */
export interface CreateContextOptions {
  /** The protocol plugin, e.g. `semi2k`. */
  protocol: ProtocolPlugin;
  /** Where correlated randomness comes from: `ttp()`, `tfpUnsafe()`. */
  dealer: Dealer;
  /** This party's link to the others. */
  transport: Transport;
  /** Device for local ring kernels (default the CPU device). */
  device?: Device;
  /** Ring size in bits (default 64). */
  ring?: Ring;
  /** Fixed-point fractional bits (default 16). */
  fracBits?: number;
  /**
   * Input-aware products (default true): a product of fresh private inputs of two
   * different parties uses one local product per owner (`mul_owned`, `matmul_owned`)
   * instead of a Beaver triple. False: every product of shares uses a Beaver triple.
   * All parties must agree (checked at setup).
   */
  inputAware?: boolean;
  /**
   * TESTS ONLY: derive the pairwise seeds this party picks from this seed instead of
   * fresh randomness, so that a run's shares and masks are reproducible. Anyone who knows
   * the seed can unmask every share; a warning is printed once per process. Build it with
   * {@linkcode seedUnsafe}.
   */
  seedUnsafe?: SeedUnsafe;
}

/**
 * A test-only seed that makes a run's randomness reproducible (see
 * {@linkcode seedUnsafe}). The class is opaque on purpose: the name at the call site
 * says that it is unsafe.
 */
export class SeedUnsafe {
  readonly #prg: Prg;
  private constructor(prg: Prg) {
    this.#prg = prg;
  }
  /** @internal Builds it (use {@linkcode seedUnsafe}). */
  static of(seed: number | Uint8Array): SeedUnsafe {
    if (typeof seed === "number") {
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new RangeError(`seedUnsafe: a seed must be a non-negative safe integer, got ${seed}`);
      }
      return new SeedUnsafe(new Prg(new Uint8Array(32)).derive("sharetensor/seed-unsafe", seed));
    }
    if (!(seed instanceof Uint8Array) || (seed.length !== 16 && seed.length !== 32)) {
      throw new TypeError("seedUnsafe: a seed must be a number or 16 or 32 bytes");
    }
    return new SeedUnsafe(new Prg(seed).fork("sharetensor/seed-unsafe"));
  }
  /** The 32-byte seed under `label` (the same for the same seed and label). */
  derive(...labels: (string | number)[]): Uint8Array {
    return this.#prg.derive(...labels).seed;
  }
}

let seedUnsafeWarned = false;

/**
 * TESTS ONLY: a seed from which {@linkcode createContext} (option `seedUnsafe`) and
 * `runParties` derive all of a run's randomness, so that tests are reproducible: with
 * fresh randomness a 2-party local truncation is wrong with probability about
 * |x| / 2^63 per element, which a test over millions of elements meets now and then.
 * Whoever knows the seed can unmask every share. Warns once per process.
 *
 * @example
 * ```ts
 * import { seedUnsafe } from "@sharetensor/protocols";
 * const s = seedUnsafe(7, { quiet: true });
 * console.log(s.derive("x").length); // 32
 * ```
 */
export function seedUnsafe(
  seed: number | Uint8Array,
  opts: { quiet?: boolean } = {},
): SeedUnsafe {
  const s = SeedUnsafe.of(seed);
  if (!seedUnsafeWarned && !opts.quiet) {
    seedUnsafeWarned = true;
    console.warn(
      "sharetensor: seedUnsafe makes every mask reproducible from a known seed; use it in tests only",
    );
  }
  return s;
}

/** Traffic of one party since its context was set up. */
export interface ContextStats {
  /** Bytes sent (payload and framing). */
  bytesSent: number;
  /** Bytes received. */
  bytesReceived: number;
  /** Rounds (transport exchanges). */
  rounds: number;
  /** Payload bytes sent: what kernels declare. */
  payloadBytes: number;
  /** Framing bytes sent: 8 per message, 16 per op per message. */
  frameBytes: number;
  /** Messages sent. */
  messages: number;
}

/**
 * One party's runtime for one computation; made by {@linkcode createContext}.
 *
 * @example
 * ```ts
 * import { runParties } from "@sharetensor/protocols";
 * const out = await runParties(3, (ctx) => Promise.resolve(`${ctx.rank}/${ctx.size} Z_2^${ctx.ring}`));
 * console.log(out); // ["0/3 Z_2^64", ...]
 * ```
 */
export class Context {
  /** This party's rank. */
  readonly rank: number;
  /** Number of parties. */
  readonly size: number;
  /** Ring size in bits. */
  readonly ring: Ring;
  /** Default fixed-point fractional bits. */
  readonly fracBits: number;
  /** Device for local kernels. */
  readonly device: Device;
  /** The protocol in use. */
  readonly protocol: ProtocolPlugin;
  /** This party's dealer session. */
  readonly dealer: DealerSession;
  /** The transport. */
  readonly transport: Transport;
  /** Round batching over the transport. */
  readonly comm: Comm;
  /** Masks of operands reused in products (kernel state; see `matmul_aa`). */
  readonly masks: WeakMap<object, unknown> = new WeakMap();
  /** Cached masks of reused right operands of input-aware products (see `matmul_owned.ts`). */
  readonly ownedMasks: WeakMap<object, unknown> = new WeakMap();
  /** Whether products of fresh inputs of different parties are input-aware (option). */
  readonly inputAware: boolean;
  readonly #kernels = new Map<string, KernelConfig>();
  readonly #pairs: Map<number, Prg>;
  readonly #base: { bytesSent: number; bytesReceived: number; rounds: number };
  readonly #root = { prefix: "", next: 0 };
  readonly #scope = new AsyncLocalStorage<{ prefix: string; next: number }>();

  /** Internal: use {@linkcode createContext}. */
  constructor(
    opts: Required<Omit<CreateContextOptions, "dealer" | "seedUnsafe" | "inputAware">> & {
      inputAware?: boolean;
    },
    dealer: DealerSession,
    pairSeeds: ReadonlyMap<number, Uint8Array>,
  ) {
    this.rank = opts.transport.rank;
    this.size = opts.transport.size;
    this.ring = opts.ring;
    this.fracBits = opts.fracBits;
    this.inputAware = opts.inputAware !== false;
    this.device = opts.device;
    this.protocol = opts.protocol;
    this.transport = opts.transport;
    this.dealer = dealer;
    this.comm = new Comm(opts.transport);
    this.#pairs = new Map([...pairSeeds].map(([p, s]) => [p, new Prg(s)]));
    for (const k of opts.protocol.kernels(opts)) this.#kernels.set(k.name, k);
    const s = opts.transport.stats();
    this.#base = { bytesSent: s.bytesSent, bytesReceived: s.bytesReceived, rounds: s.rounds };
  }

  /** The kernel `name`; `KernelNotFoundError` when the protocol has none. */
  kernel(name: string): KernelConfig {
    const k = this.#kernels.get(name);
    if (!k) throw new KernelNotFoundError(name, this.protocol.name);
    return k;
  }

  /** Names of the registered kernels. */
  kernelNames(): string[] {
    return [...this.#kernels.keys()];
  }

  /**
   * Runs kernel `name` as a new top-level op. Every party must issue its top-level
   * communicating ops in the same order (SPMD); ops issued in the same tick share rounds.
   */
  run<R = unknown>(name: string, ...args: unknown[]): Promise<R> {
    if (this.comm.failed) return Promise.reject(this.comm.failed);
    let k: KernelConfig;
    try {
      k = this.kernel(name);
    } catch (e) {
      return Promise.reject(e);
    }
    return k.run(new Op(this, this.#nextId(), name), ...args) as Promise<R>;
  }

  #nextId(): string {
    const s = this.#scope.getStore() ?? this.#root;
    return `${s.prefix}${s.next++}`;
  }

  /**
   * Runs independent async branches (say, attention heads that each await several ops)
   * concurrently, each in its own id scope: op ids inside branch i depend only on the
   * branch's own order, never on how the branches interleave, so the parties stay in sync
   * even when timing differs between them. Ops of the branches still share rounds.
   * (Plain `Promise.all` over ops issued in one tick needs no scope; this is for branches
   * that issue more ops after awaiting.)
   */
  parallel<T>(branches: readonly (() => Promise<T>)[]): Promise<T[]> {
    const base = this.#nextId();
    return Promise.all(
      branches.map((f, i) => this.#scope.run({ prefix: `${base}:${i}.`, next: 0 }, f)),
    );
  }

  /**
   * Secret-shares a value held by party `from` (the others pass null). No data travels:
   * the owner's share is its value plus its part of a pairwise-seeded zero sharing, the
   * others' shares are their parts. One round of headers checks that every party agrees
   * on owner, shape, kind and precision. A bad value on the owner (wrong size, out of
   * range) is a `TypeError`/`RangeError` there and a `ProtocolAbortError` elsewhere.
   */
  share(value: TensorValue | null, opts: ShareOptions): Promise<SecretTensor> {
    const { from, shape } = opts;
    const kind = opts.kind ?? "arithmetic";
    try {
      if (!Number.isInteger(from) || from < 0 || from >= this.size) {
        throw new RangeError(`share: party ${from} does not exist (${this.size} parties)`);
      }
      assertShape(shape);
      if (kind !== "arithmetic" && kind !== "binary") {
        throw new TypeError(`share: unknown kind "${kind}"`);
      }
    } catch (e) {
      return Promise.reject(e);
    }
    const fracBits = kind === "binary" ? 0 : opts.fracBits ?? this.fracBits;
    let enc: RingTensor | null = null;
    if (this.rank === from) {
      try {
        if (value === null || value === undefined) {
          throw new TypeError(`share: party ${from} owns the value but passed none`);
        }
        assertFracBits(fracBits, this.ring);
        enc = encodeValue(value, shape, this.ring, fracBits);
      } catch (e) {
        this.comm.abort(e as Error, true);
        return Promise.reject(e);
      }
    }
    return this.run("share", enc, from, shape, kind, fracBits);
  }

  /**
   * A public (party-local) tensor; shape defaults to the value's ([n] for arrays, [] for a
   * number). Numbers are encoded with the context's `fracBits`; bigints and ring tensors are
   * raw integers (0 fractional bits) unless `fracBits` says otherwise.
   */
  public(value: TensorValue, opts: { shape?: Shape; fracBits?: number } = {}): PublicTensor {
    const raw = typeof value === "bigint" || value instanceof RingTensor ||
      (Array.isArray(value) && typeof value[0] === "bigint");
    const fracBits = opts.fracBits ?? (raw ? 0 : this.fracBits);
    const shape = opts.shape ??
      (value instanceof RingTensor
        ? value.shape
        : typeof value === "number" || typeof value === "bigint"
        ? []
        : [(value as ArrayLike<unknown>).length]);
    return new PublicTensor(
      this,
      this.device.upload(encodeValue(value, shape, this.ring, fracBits)),
      fracBits,
    );
  }

  /**
   * This party's part of a pairwise-seeded zero sharing under `label`: the parts of all
   * parties sum (or XOR, for `binary`) to zero, and no message is needed.
   */
  zeroShare(label: string, shape: Shape, kind: ShareKind): RingBuffer {
    const d = this.device;
    let acc = d.zeros(shape, this.ring);
    for (const [p, g] of this.#pairs) {
      const r = adopt(d, g.fork(label).ring(shape, this.ring));
      acc = kind === "binary" ? d.xor(acc, r) : p > this.rank ? d.add(acc, r) : d.sub(acc, r);
    }
    return acc;
  }

  /** Resolves once every queued message has been sent (for exact traffic counts). */
  flush(): Promise<void> {
    return this.comm.drain();
  }

  /** Traffic since setup (the setup round itself is not counted). */
  stats(): ContextStats {
    const t = this.transport.stats();
    const c = this.comm.stats();
    return {
      bytesSent: t.bytesSent - this.#base.bytesSent,
      bytesReceived: t.bytesReceived - this.#base.bytesReceived,
      rounds: t.rounds - this.#base.rounds,
      ...c,
    };
  }

  /** Stops this context (later ops reject) and closes the transport. */
  async close(): Promise<void> {
    this.comm.abort(new ProtocolAbortError("the context was closed"));
    await this.transport.close();
  }
}

const SETUP_MAGIC = 0x5354_5355;

/**
 * Sets up one party's context: one round in which the parties check that they agree on
 * protocol, dealer, ring, precision and party count (a `ProtocolAbortError` on every
 * party otherwise) and agree on pairwise PRG seeds (for pair i < j, i picks the seed);
 * then connects the dealer.
 *
 * @example
 * ```ts
 * import { createContext, semi2k, ttp } from "@sharetensor/protocols";
 * import { memoryNetwork } from "@sharetensor/net/memory";
 * const dealer = ttp();
 * const [c0] = await Promise.all(
 *   memoryNetwork(2).map((transport) => createContext({ protocol: semi2k, dealer, transport, ring: 32, fracBits: 8 })),
 * );
 * console.log(c0.ring, c0.fracBits); // 32 8
 * ```
 */
export async function createContext(opts: CreateContextOptions): Promise<Context> {
  const { transport, protocol, dealer } = opts;
  if (!transport || !protocol || !dealer) {
    throw new TypeError("createContext needs a protocol, a dealer and a transport");
  }
  const ring = opts.ring ?? 64;
  assertRing(ring);
  const fracBits = opts.fracBits ?? DEFAULT_FRAC_BITS;
  assertFracBits(fracBits, ring);
  if (opts.inputAware !== undefined && typeof opts.inputAware !== "boolean") {
    throw new TypeError(`inputAware must be true or false, got ${String(opts.inputAware)}`);
  }
  const device = opts.device ?? cpu;
  const { rank, size } = transport;
  if (size < 2) throw new RangeError(`MPC needs at least 2 parties, got ${size}`);
  const config = JSON.stringify({
    protocol: protocol.name,
    dealer: dealer.name,
    ring,
    fracBits,
    size,
    // Only when off, so that default setups keep their bytes.
    ...(opts.inputAware === false ? { inputAware: false } : {}),
  });
  const cfgBytes = new TextEncoder().encode(config);
  const peers = peersOf(rank, size);
  const mine = new Map<number, Uint8Array>();
  const sends = new Map<number, Uint8Array>();
  for (const p of peers) {
    const msg = new Uint8Array(36 + cfgBytes.length);
    new DataView(msg.buffer).setUint32(0, SETUP_MAGIC, true);
    if (p > rank) {
      const seed = opts.seedUnsafe
        ? opts.seedUnsafe.derive("pair", rank, p)
        : crypto.getRandomValues(new Uint8Array(32));
      mine.set(p, seed);
      msg.set(seed, 4);
    }
    msg.set(cfgBytes, 36);
    sends.set(p, msg);
  }
  const got = await transport.exchange(sends, peers);
  const pairSeeds = new Map<number, Uint8Array>();
  for (const p of peers) {
    const m = got.get(p)!;
    const theirs = new TextDecoder().decode(m.subarray(36));
    if (
      m.byteLength < 36 || new DataView(m.buffer, m.byteOffset).getUint32(0, true) !== SETUP_MAGIC
    ) {
      throw new ProtocolAbortError("bad setup message", p);
    }
    if (theirs !== config) {
      throw new ProtocolAbortError(`contexts differ: here ${config}, at the peer ${theirs}`, p);
    }
    pairSeeds.set(p, p > rank ? mine.get(p)! : m.slice(4, 36));
  }
  const session = await dealer.connect({ rank, size, device, pairSeeds });
  return new Context(
    { transport, protocol, device, ring, fracBits, inputAware: opts.inputAware !== false },
    session,
    pairSeeds,
  );
}
