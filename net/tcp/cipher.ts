/**
 * Frame encryption of a secure channel: one key per direction, the frame's sequence
 * number as the nonce, so a replayed, reordered, dropped, truncated or forged frame fails
 * authentication.
 *
 * Suites (every party of a cluster must use the same one; the handshake checks):
 * - `"chacha20-poly1305"` (default, {@linkcode DEFAULT_SUITE}): RFC 8439 AEAD in one pass,
 *   nonce `0^4 || seq`, additional data `seq || length`. The fastest authenticated suite
 *   that Deno 2.9's `node:crypto` offers. Measured on the project's 2-core AMD EPYC VM
 *   (`deno bench -A net/tcp/cipher_bench.ts`, seal plus open of one 8 MiB frame, fresh
 *   output buffers included): 9.7-12 ms, against 16-18 ms for chacha20-hmac-sha256 and
 *   86-90 ms for aes-256-gcm; 64-byte frames: about 10 us, 13 us and 12 us. (An earlier
 *   note here put ChaCha20-Poly1305 at 0.2-0.3 GB/s: that was measured under heavy load.)
 *   WebCrypto's AES-GCM (the bench's `webcrypto` group) runs off the main thread: 8 MiB
 *   as 1 MiB chunks took 15-16 ms one call at a time and 9-12 ms with 8 in flight, that
 *   is both cores for what this suite does on one; with both parties' threads busy in a
 *   round (2-core host), it would not beat this suite, so it is not offered.
 * - `"chacha20-hmac-sha256"`: ChaCha20 encryption then HMAC-SHA256 (truncated to 16 bytes)
 *   over `seq || length || ciphertext`, with independent keys (encrypt-then-MAC, as in
 *   RFC 7366). Two passes; kept for clusters configured with it.
 * - `"aes-256-gcm"`: standard AEAD, nonce `0^4 || seq`, additional data `seq || length`
 *   (slow in Deno's `node:crypto`: no AES-NI/PCLMUL path there).
 * - `"insecure"`: no encryption or authentication (loopback benchmarks only).
 *
 * @example
 * ```ts
 * import { createFrameCipher } from "@sharetensor/net/tcp";
 * const key = new Uint8Array(64).fill(7);
 * const a = createFrameCipher("chacha20-poly1305", key, 1);
 * const b = createFrameCipher("chacha20-poly1305", key, 0);
 * const [, ...rest] = a.seal([new Uint8Array([1]), new Uint8Array([2, 3])]);
 * const body = new Uint8Array(rest.flatMap((c) => [...c]));
 * console.log(b.open(body)); // Uint8Array [1, 2, 3]
 * ```
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  timingSafeEqual,
} from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { FrameDecodeError } from "@sharetensor/core/errors";
import { frameHeader } from "./frame.ts";

/** Names of the frame encryption suites. */
export type CipherSuite =
  | "chacha20-poly1305"
  | "chacha20-hmac-sha256"
  | "aes-256-gcm"
  | "insecure";

/** Every suite name, for validation. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  "chacha20-poly1305",
  "chacha20-hmac-sha256",
  "aes-256-gcm",
  "insecure",
];

/**
 * The suite that links use unless told otherwise (the fastest authenticated one).
 *
 * @example
 * ```ts
 * import { DEFAULT_SUITE } from "@sharetensor/net/tcp";
 * console.log(DEFAULT_SUITE); // "chacha20-poly1305"
 * ```
 */
export const DEFAULT_SUITE: CipherSuite = "chacha20-poly1305";

/** Frames up to this many ciphertext bytes are MACed with @noble/hashes (faster there). */
const SMALL_MAC_BYTES = 1536;

/** Authentication tag length of the encrypting suites. */
export const TAG_BYTES = 16;

/** Bytes of key material per direction (encryption key, then MAC key). */
export const DIRECTION_KEY_BYTES = 64;

/** Seals outgoing or opens incoming frames of one direction of one link. */
export interface FrameCipher {
  /** The suite. */
  readonly suite: CipherSuite;
  /** Body bytes added to each frame (the tag). */
  readonly overhead: number;
  /** Number of frames sealed or opened so far (the next sequence number). */
  readonly seq: number;
  /**
   * Encrypts the next frame, whose plaintext is the concatenation of `parts` (not copied
   * first): the chunks to write in order, `[u32 length header, ...ciphertext, tag]`.
   */
  seal(parts: Uint8Array | readonly Uint8Array[]): Uint8Array[];
  /** Authenticates and decrypts the next frame body; `FrameDecodeError` when it fails. */
  open(body: Uint8Array): Uint8Array;
}

const list = (parts: Uint8Array | readonly Uint8Array[]): readonly Uint8Array[] =>
  parts instanceof Uint8Array ? [parts] : parts;
const total = (ps: readonly Uint8Array[]) => ps.reduce((s, p) => s + p.length, 0);

function seqBytes(seq: number, len: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(seq));
  v.setUint32(8, len);
  return b;
}

/** The 96-bit AEAD nonce of frame `seq`: `0^4 || seq` (big-endian u64). */
function aeadNonce(seq: number): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(4, BigInt(seq));
  return n;
}

function authFailure(peer: number, seq: number, len: number, cause?: unknown): FrameDecodeError {
  return new FrameDecodeError(
    peer,
    `authentication failed for frame #${seq} of ${len} bytes (forged, replayed, reordered or corrupted)`,
    cause === undefined ? undefined : { cause },
  );
}

class ChaChaHmac implements FrameCipher {
  readonly suite = "chacha20-hmac-sha256";
  readonly overhead = TAG_BYTES;
  seq = 0;
  readonly #enc: Uint8Array;
  readonly #mac: Uint8Array;
  readonly #small: ReturnType<typeof hmac.create>;
  readonly #peer: number;
  constructor(key: Uint8Array, peer: number) {
    this.#enc = key.slice(0, 32);
    this.#mac = key.slice(32, 64);
    this.#small = hmac.create(sha256, this.#mac);
    this.#peer = peer;
  }
  #iv(seq: number): Uint8Array {
    // OpenSSL layout: 32-bit little-endian block counter (0), then the 96-bit nonce 0^4||seq.
    const iv = new Uint8Array(16);
    new DataView(iv.buffer).setBigUint64(8, BigInt(seq));
    return iv;
  }
  #tag(seq: number, cts: readonly Uint8Array[]): Uint8Array {
    const n = total(cts);
    // Same HMAC either way: @noble/hashes from a keyed state for small frames (about 4 us
    // for 64 bytes, where node:crypto's createHmac costs about 26 us in Deno), and
    // node:crypto (SHA-NI, about 1.4 GB/s) for large ones.
    const h = n <= SMALL_MAC_BYTES ? this.#small.clone() : createHmac("sha256", this.#mac);
    h.update(seqBytes(seq, n + TAG_BYTES));
    for (const ct of cts) h.update(ct);
    const d = h.digest();
    return new Uint8Array(d.buffer, d.byteOffset, TAG_BYTES);
  }
  seal(parts: Uint8Array | readonly Uint8Array[]): Uint8Array[] {
    const seq = this.seq++;
    const c = createCipheriv("chacha20", this.#enc, this.#iv(seq));
    const cts = list(parts).map((p) => c.update(p) as Uint8Array);
    return [frameHeader(total(cts) + TAG_BYTES), ...cts, this.#tag(seq, cts)];
  }
  open(body: Uint8Array): Uint8Array {
    if (body.length < TAG_BYTES) {
      throw new FrameDecodeError(this.#peer, `frame of ${body.length} bytes is shorter than a tag`);
    }
    const seq = this.seq;
    const ct = body.subarray(0, body.length - TAG_BYTES);
    const tag = this.#tag(seq, [ct]);
    if (!timingSafeEqual(tag, body.subarray(body.length - TAG_BYTES))) {
      throw authFailure(this.#peer, seq, body.length);
    }
    this.seq++;
    return createCipheriv("chacha20", this.#enc, this.#iv(seq)).update(ct);
  }
}

/**
 * An AEAD of node:crypto in one pass: RFC 8439 ChaCha20-Poly1305 or AES-256-GCM, nonce
 * from the sequence number, additional data `seq || length`.
 */
class NodeAead implements FrameCipher {
  readonly overhead = TAG_BYTES;
  seq = 0;
  readonly #key: Uint8Array;
  readonly #peer: number;
  constructor(readonly suite: "chacha20-poly1305" | "aes-256-gcm", key: Uint8Array, peer: number) {
    this.#key = key.slice(0, 32);
    this.#peer = peer;
  }
  /** Both take the same options; the typings overload per mode, so name one of them. */
  get #alg(): "aes-256-gcm" {
    return this.suite as "aes-256-gcm";
  }
  seal(parts: Uint8Array | readonly Uint8Array[]): Uint8Array[] {
    const seq = this.seq++;
    const ps = list(parts);
    const n = total(ps) + TAG_BYTES;
    const c = createCipheriv(this.#alg, this.#key, aeadNonce(seq), {
      authTagLength: TAG_BYTES,
    });
    c.setAAD(seqBytes(seq, n), { plaintextLength: n - TAG_BYTES });
    const out = [frameHeader(n)];
    for (const p of ps) out.push(c.update(p) as Uint8Array);
    const last = c.final() as Uint8Array;
    if (last.length > 0) out.push(last);
    out.push(new Uint8Array(c.getAuthTag()));
    return out;
  }
  open(body: Uint8Array): Uint8Array {
    if (body.length < TAG_BYTES) {
      throw new FrameDecodeError(this.#peer, `frame of ${body.length} bytes is shorter than a tag`);
    }
    const seq = this.seq;
    const d = createDecipheriv(this.#alg, this.#key, aeadNonce(seq), {
      authTagLength: TAG_BYTES,
    });
    d.setAAD(seqBytes(seq, body.length), { plaintextLength: body.length - TAG_BYTES });
    d.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const pt = d.update(body.subarray(0, body.length - TAG_BYTES)) as Uint8Array;
    try {
      d.final();
    } catch (e) {
      throw authFailure(this.#peer, seq, body.length, e);
    }
    this.seq++;
    return pt;
  }
}

class Plain implements FrameCipher {
  readonly suite = "insecure";
  readonly overhead = 0;
  seq = 0;
  seal(parts: Uint8Array | readonly Uint8Array[]): Uint8Array[] {
    this.seq++;
    const ps = list(parts);
    return [frameHeader(total(ps)), ...ps];
  }
  open(body: Uint8Array): Uint8Array {
    this.seq++;
    return body;
  }
}

/**
 * A frame cipher of `suite` for one direction. `key` is {@linkcode DIRECTION_KEY_BYTES}
 * bytes from {@linkcode deriveDirectionKeys}; errors name `peer`.
 *
 * @example
 * ```ts
 * import { createFrameCipher } from "@sharetensor/net/tcp";
 * console.log(createFrameCipher("aes-256-gcm", new Uint8Array(64), 1).overhead); // 16
 * ```
 */
export function createFrameCipher(suite: CipherSuite, key: Uint8Array, peer: number): FrameCipher {
  if (suite === "insecure") return new Plain();
  if (key.length !== DIRECTION_KEY_BYTES) {
    throw new RangeError(`direction key must be ${DIRECTION_KEY_BYTES} bytes, got ${key.length}`);
  }
  if (suite === "chacha20-poly1305" || suite === "aes-256-gcm") {
    return new NodeAead(suite, key, peer);
  }
  if (suite === "chacha20-hmac-sha256") return new ChaChaHmac(key, peer);
  throw new TypeError(`unknown cipher suite ${JSON.stringify(suite)}; use one of ${CIPHER_SUITES}`);
}

/**
 * HKDF-SHA256 of the ECDH secret, salted with the handshake transcript hash: the keys of
 * the initiator-to-responder and responder-to-initiator directions.
 *
 * @example
 * ```ts
 * import { deriveDirectionKeys } from "@sharetensor/net/tcp";
 * const k = deriveDirectionKeys(new Uint8Array(32), new Uint8Array(32), "aes-256-gcm");
 * console.log(k.initiatorToResponder.length, k.responderToInitiator.length); // 64 64
 * ```
 */
export function deriveDirectionKeys(
  sharedSecret: Uint8Array,
  transcriptHash: Uint8Array,
  suite: CipherSuite,
): { initiatorToResponder: Uint8Array; responderToInitiator: Uint8Array } {
  const k = (dir: string) =>
    new Uint8Array(
      hkdfSync("sha256", sharedSecret, transcriptHash, `sharetensor/1 ${suite} ${dir}`, 64),
    );
  return { initiatorToResponder: k("i2r"), responderToInitiator: k("r2i") };
}
