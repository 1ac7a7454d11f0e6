/**
 * A seeded pseudorandom generator (PRG) for shared randomness: two parties that hold the
 * same seed draw the same ring tensors without talking, and `fork` makes independent
 * per-pair and per-purpose streams from one seed.
 *
 * ## Construction (version 1, fixed forever: other devices must reproduce it bit-exactly)
 *
 * - **Seed**: 16 or 32 bytes.
 * - **Stream key**: `K = HMAC-SHA256(key = seed, msg = "sharetensor/prg/v1/key")` (32 bytes,
 *   the message is ASCII, no terminator).
 * - **Keystream**: ChaCha20 of RFC 8439 with key `K`, a 96-bit nonce of zeros, and the
 *   32-bit block counter starting at 0. Byte `p` of the stream is byte `p mod 64` of the
 *   ChaCha20 block with counter `floor(p / 64)`. (In node's `createCipheriv("chacha20")`
 *   the 16-byte IV is the counter as 4 bytes little endian, then the nonce: all zeros.)
 *   Draws take consecutive bytes: the stream does not depend on how it is cut into calls.
 *   One stream holds 2^38 bytes (256 GiB); drawing past that is a `RangeError`.
 * - **Children**: `fork(label)` is the generator seeded with the 32 bytes
 *   `HMAC-SHA256(key = seed, msg = "sharetensor/prg/v1/fork" || 0x00 || tag || L)` where a
 *   string label has `tag = 0x01` and `L` its UTF-8 bytes, and a number label (a safe
 *   integer) has `tag = 0x02` and `L` the ASCII of its decimal form (`-12` is `"-12"`).
 *   It depends only on the seed and the label, never on how much the parent has drawn.
 * - **Ring elements**: element `i` of a Z_2^64 tensor is bytes `8i .. 8i+7` of the draw
 *   read little endian (Z_2^32: bytes `4i .. 4i+3`).
 * - **Bits**: a draw of `ceil(n / 8)` bytes; element `i` is bit `i mod 8` (LSB first) of
 *   byte `floor(i / 8)`.
 * - **uniformBelow(n, bound)**: rejection sampling on 32-bit little-endian words; accept
 *   `w < 2^32 - (2^32 mod bound)` and output `w mod bound`. Rounds draw exactly as many
 *   words as outputs are still missing, until all `n` are accepted.
 *
 * ChaCha20 was measured against AES-128-CTR from `node:crypto` (see `prg_bench.ts`): in
 * Deno 2.9 it makes 8 MiB of keystream in about 3.3 ms (about 2.5 GB/s) where AES-128-CTR
 * takes about 20 ms (about 0.4 GB/s; AES-128-ECB over counter blocks 4 to 7 ms). It is
 * also the easier one to write as a WebGPU shader (32-bit add, rotate and xor only).
 *
 * @example
 * ```ts
 * import { Prg } from "@sharetensor/core/prg";
 * const seed = new Uint8Array(32).fill(7);
 * const a = new Prg(seed).fork("triples").ring([2, 3]);
 * const b = new Prg(seed).fork("triples").ring([2, 3]);
 * console.log(a.toBigInts()[0] === b.toBigInts()[0]); // true
 * ```
 * @module
 */
import { type Cipheriv, createCipheriv, createHmac } from "node:crypto";
import { assertRing, type Ring, RingTensor } from "./ring.ts";
import { assertShape, numel, type Shape } from "./shape.ts";

/**
 * A fork label: a string (UTF-8) or a safe integer; `1` and `"1"` are different labels.
 *
 * @example
 * ```ts
 * import { Prg, type PrgLabel } from "@sharetensor/core/prg";
 * const path: PrgLabel[] = ["pair", 0, 1];
 * console.log(Prg.random().derive(...path).seed.length); // 32
 * ```
 */
export type PrgLabel = string | number;

const KEY_MSG = "sharetensor/prg/v1/key";
const FORK_MSG = "sharetensor/prg/v1/fork";
/**
 * Bytes one stream can produce: 2^32 ChaCha20 blocks of 64 bytes (256 GiB).
 *
 * @example
 * ```ts
 * import { PRG_STREAM_LIMIT } from "@sharetensor/core/prg";
 * console.log(PRG_STREAM_LIMIT / 8); // ring-64 elements per stream
 * ```
 */
export const PRG_STREAM_LIMIT = 2 ** 38;
/** Largest zero buffer a generator keeps to feed the cipher; larger draws go in chunks. */
const MAX_ZEROS = 8 << 20;
const TWO32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function labelBytes(label: PrgLabel): Uint8Array {
  let tag: number;
  let body: Uint8Array;
  if (typeof label === "string") {
    tag = 1;
    body = new TextEncoder().encode(label);
  } else if (typeof label === "number") {
    if (!Number.isSafeInteger(label)) {
      throw new RangeError(`fork label must be a safe integer or a string, got ${label}`);
    }
    tag = 2;
    body = new TextEncoder().encode(String(label));
  } else {
    throw new TypeError(`fork label must be a string or a number, got ${typeof label}`);
  }
  const prefix = new TextEncoder().encode(FORK_MSG);
  const out = new Uint8Array(prefix.length + 2 + body.length);
  out.set(prefix, 0);
  out[prefix.length] = 0;
  out[prefix.length + 1] = tag;
  out.set(body, prefix.length + 2);
  return out;
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`);
  }
}

/**
 * A deterministic stream of pseudorandom bytes, ring tensors and bits from a 16- or
 * 32-byte seed (ChaCha20 keystream; the exact construction is in the module docs).
 * Each instance keeps a zero buffer as large as its largest draw (at most 8 MiB) to feed
 * the cipher; ring draws use the cipher's output buffer as storage, with no copy.
 *
 * @example
 * ```ts
 * import { Prg } from "@sharetensor/core/prg";
 * const prg = Prg.random();
 * const mask = prg.ring([4, 4]); // uniform over Z_2^64
 * const bits = prg.fork(1).bits([8], 32); // 0/1 over Z_2^32
 * console.log(mask.shape, bits.toBigInts());
 * ```
 */
export class Prg {
  readonly #seed: Uint8Array;
  readonly #cipher: Cipheriv;
  #zeros = new Uint8Array(0);
  #pos = 0;

  /** Seeds the generator; `TypeError` unless `seed` is a `Uint8Array` of 16 or 32 bytes. */
  constructor(seed: Uint8Array) {
    if (!(seed instanceof Uint8Array) || (seed.length !== 16 && seed.length !== 32)) {
      const got = seed instanceof Uint8Array
        ? `${seed.length} bytes`
        : (seed as unknown as object)?.constructor?.name ?? typeof seed;
      throw new TypeError(`Prg seed must be a Uint8Array of 16 or 32 bytes, got ${got}`);
    }
    this.#seed = new Uint8Array(seed);
    const key = createHmac("sha256", this.#seed).update(KEY_MSG).digest();
    this.#cipher = createCipheriv("chacha20", key, new Uint8Array(16));
  }

  /**
   * A generator with a fresh 32-byte seed from `crypto.getRandomValues`.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * console.log(Prg.random().seed.length); // 32
   * ```
   */
  static random(): Prg {
    return new Prg(crypto.getRandomValues(new Uint8Array(32)));
  }

  /**
   * A copy of the seed.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * const p = Prg.random();
   * console.log(new Prg(p.seed).bytes(4)); // the same bytes as p.bytes(4)
   * ```
   */
  get seed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /**
   * Bytes drawn so far (the stream position).
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * const p = Prg.random();
   * p.ring([3]);
   * console.log(p.position); // 24
   * ```
   */
  get position(): number {
    return this.#pos;
  }

  /**
   * The child generator for `label`: seeded from this seed and the label only, so it is
   * the same whatever this generator has drawn. `fork("a")` and `fork("b")` (and
   * `fork(1)` and `fork("1")`) are independent streams.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * const root = Prg.random();
   * const pair01 = root.fork("pair/0/1"), triples = root.fork("triples");
   * console.log(pair01.bytes(2), triples.bytes(2));
   * ```
   */
  fork(label: PrgLabel): Prg {
    const seed = createHmac("sha256", this.#seed).update(labelBytes(label)).digest();
    return new Prg(new Uint8Array(seed.buffer, seed.byteOffset, seed.length));
  }

  /**
   * The descendant along a path of labels: `derive(a, b)` is `fork(a).fork(b)`.
   * `TypeError` without labels (that would repeat this very stream).
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * const p = Prg.random();
   * console.log(p.derive("mul", 3).seed.length); // 32
   * ```
   */
  derive(...labels: PrgLabel[]): Prg {
    if (labels.length === 0) throw new TypeError("derive needs at least one label");
    let p = this.fork(labels[0]);
    for (let i = 1; i < labels.length; i++) p = p.fork(labels[i]);
    return p;
  }

  /**
   * The next `n` bytes of the stream, in a fresh buffer of their own.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * console.log(Prg.random().bytes(16).length); // 16
   * ```
   */
  bytes(n: number): Uint8Array {
    assertCount(n, "byte count");
    return this.#draw(n);
  }

  /**
   * A tensor of uniform elements of Z_2^ring (the next `8 * numel(shape)` bytes for ring
   * 64, little endian, or `4 * numel(shape)` for ring 32).
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * const t = Prg.random().ring([2, 2], 32);
   * console.log(t.ring, t.shape); // 32 [2, 2]
   * ```
   */
  ring(shape: Shape, ring: Ring = 64): RingTensor {
    assertShape(shape);
    assertRing(ring);
    const n = numel(shape);
    const width = ring === 64 ? 8 : 4;
    let buf = this.#draw(n * width);
    if (buf.byteOffset % width !== 0 || !LITTLE_ENDIAN) buf = buf.slice();
    if (!LITTLE_ENDIAN) reverseWords(buf, width);
    const data = ring === 64
      ? new BigUint64Array(buf.buffer, buf.byteOffset, n)
      : new Uint32Array(buf.buffer, buf.byteOffset, n);
    return new RingTensor(ring, shape, data);
  }

  /**
   * A tensor of uniform bits (each element 0 or 1) over Z_2^ring: element `i` is bit
   * `i mod 8` of byte `floor(i / 8)` of the next `ceil(n / 8)` bytes.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * console.log(Prg.random().bits([5]).toBigInts()); // e.g. [0n, 1n, 1n, 0n, 1n]
   * ```
   */
  bits(shape: Shape, ring: Ring = 64): RingTensor {
    assertShape(shape);
    assertRing(ring);
    const n = numel(shape);
    const src = this.#draw(Math.ceil(n / 8));
    const t = new RingTensor(ring, shape);
    // ring 64: write the low 32-bit word of each element (the high word stays zero)
    const step = ring === 64 ? 2 : 1;
    const off = ring === 64 && !LITTLE_ENDIAN ? 1 : 0;
    const out = new Uint32Array(t.data.buffer, t.data.byteOffset, n * step);
    for (let i = 0; i < n; i++) out[i * step + off] = (src[i >>> 3] >>> (i & 7)) & 1;
    return t;
  }

  /**
   * `n` independent uniform integers in `[0, bound)` for `1 <= bound <= 2^32` (rejection
   * sampling: unbiased), for shuffles and random indices.
   *
   * @example
   * ```ts
   * import { Prg } from "@sharetensor/core/prg";
   * console.log(Prg.random().uniformBelow(4, 6)); // e.g. Uint32Array [5, 0, 3, 3]
   * ```
   */
  uniformBelow(n: number, bound: number): Uint32Array {
    assertCount(n, "count");
    if (!Number.isSafeInteger(bound) || bound < 1 || bound > TWO32) {
      throw new RangeError(`uniformBelow bound must be an integer in [1, 2^32], got ${bound}`);
    }
    const limit = TWO32 - (TWO32 % bound);
    const out = new Uint32Array(n);
    let filled = 0;
    while (filled < n) {
      const raw = this.#draw(4 * (n - filled));
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const words = n - filled;
      for (let j = 0; j < words; j++) {
        const w = dv.getUint32(4 * j, true);
        if (w < limit) out[filled++] = w % bound;
      }
    }
    return out;
  }

  /** The next `n` keystream bytes; the result has no other user of its memory. */
  #draw(n: number): Uint8Array {
    if (this.#pos + n > PRG_STREAM_LIMIT) {
      throw new RangeError(
        `Prg stream exhausted: ${this.#pos} + ${n} bytes exceed ${PRG_STREAM_LIMIT}; fork a new one`,
      );
    }
    this.#pos += n;
    if (n === 0) return new Uint8Array(0);
    if (n <= MAX_ZEROS) {
      if (this.#zeros.length < n) {
        this.#zeros = new Uint8Array(Math.min(MAX_ZEROS, Math.max(n, 2 * this.#zeros.length)));
      }
      const ks = this.#cipher.update(this.#zeros.subarray(0, n));
      // Deno returns a buffer of its own; copy if a runtime ever hands out a pooled slice
      if (ks.byteOffset !== 0 || ks.buffer.byteLength !== n) return new Uint8Array(ks);
      return new Uint8Array(ks.buffer, 0, n);
    }
    if (this.#zeros.length < MAX_ZEROS) this.#zeros = new Uint8Array(MAX_ZEROS);
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += MAX_ZEROS) {
      const len = Math.min(MAX_ZEROS, n - o);
      out.set(this.#cipher.update(this.#zeros.subarray(0, len)), o);
    }
    return out;
  }
}

/** Byte-swaps each `width`-byte word in place (big-endian hosts only). */
function reverseWords(buf: Uint8Array, width: number): void {
  for (let i = 0; i < buf.length; i += width) buf.subarray(i, i + width).reverse();
}
