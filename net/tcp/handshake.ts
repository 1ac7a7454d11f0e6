/**
 * The authenticated key exchange that opens every link (a signed ephemeral Diffie-Hellman
 * in the style of SIGMA / TLS 1.3, four plaintext msgpackr frames):
 *
 * 1. initiator -> responder: hello `{ v, suite, from, to, eph, fp }` (x25519 ephemeral
 *    public key `eph`, cluster fingerprint `fp`).
 * 2. responder -> initiator: `{ hello, sig }`: its own hello and an ed25519 signature by its
 *    long-term key over `"responder" || H(hello1, hello2)`; or `{ err }`.
 * 3. initiator -> responder: `{ sig }` over `"initiator" || H(hello1, hello2)`; or `{ err }`.
 * 4. responder -> initiator: `{ ok: true }` or `{ err }`.
 *
 * Each side checks the other's claimed party id against the one it expects (the initiator
 * knows whom it dialed; the responder checks that the hello is addressed to it and comes
 * from a party allowed to dial it), verifies the signature with the cluster file's key
 * of that id, and compares suite and cluster fingerprint. Per-direction keys come from
 * HKDF over the x25519 secret salted with the transcript hash. A refusal is sent to the
 * other side as `{ err }`, so both ends report a `HandshakeError` that says why.
 *
 * @example
 * ```ts
 * import { acceptHandshake, initiateHandshake } from "@sharetensor/net/tcp";
 * console.log(typeof acceptHandshake, typeof initiateHandshake);
 * ```
 * @module
 */
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { Packr } from "msgpackr";
import { createHash } from "node:crypto";
import { HandshakeError, TimeoutError } from "@sharetensor/core/errors";
import { type Cluster, clusterFingerprint, clusterNode } from "./cluster.ts";
import {
  type CipherSuite,
  createFrameCipher,
  deriveDirectionKeys,
  type FrameCipher,
} from "./cipher.ts";
import { type ByteSink, frameHeader, FrameReader, writeAll } from "./frame.ts";
import type { KeyPair } from "./keys.ts";
import { errorText, withTimeout } from "./util.ts";

/** Protocol version string in every hello. */
export const PROTOCOL_VERSION = "sharetensor/1";

/** Largest handshake frame; garbage on the port fails fast. */
const MAX_HANDSHAKE_FRAME = 4096;

/** What both ends of a handshake need. */
export interface HandshakeOptions {
  /** The cluster (ids and public keys). */
  readonly cluster: Cluster;
  /** This node's id. */
  readonly self: number;
  /** This node's long-term key pair; its public key must match the cluster's. */
  readonly keyPair: KeyPair;
  /** Frame encryption suite; both ends must agree. */
  readonly suite: CipherSuite;
  /** Limit for the whole handshake in ms. */
  readonly timeoutMs: number;
}

/** An authenticated peer with the frame ciphers of both directions. */
export interface HandshakeResult {
  /** The peer's id, proven by its signature. */
  readonly peer: number;
  /** Seals frames to the peer. */
  readonly sendCipher: FrameCipher;
  /** Opens frames from the peer. */
  readonly recvCipher: FrameCipher;
}

interface Hello {
  v: string;
  suite: string;
  from: number;
  to: number;
  eph: Uint8Array;
  fp: Uint8Array;
}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function transcriptHash(h1: Uint8Array, h2: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHash("sha256").update(`${PROTOCOL_VERSION} handshake`).update(frameHeader(h1.length))
      .update(h1).update(frameHeader(h2.length)).update(h2).digest(),
  );
}

function verify(sig: Uint8Array, msg: Uint8Array, key: Uint8Array): boolean {
  try {
    return ed25519.verify(sig, msg, key);
  } catch {
    return false;
  }
}

function signed(role: "initiator" | "responder", th: Uint8Array): Uint8Array {
  return new Uint8Array([...new TextEncoder().encode(`${PROTOCOL_VERSION} ${role}:`), ...th]);
}

class Wire {
  readonly packr = new Packr({ moreTypes: true });
  constructor(readonly sink: ByteSink, readonly reader: FrameReader) {}
  get peer(): number {
    return this.reader.peer;
  }
  async send(obj: unknown): Promise<void> {
    const body = this.packr.pack(obj).slice();
    await writeAll(this.sink, [frameHeader(body.length), body]);
  }
  async sendRaw(body: Uint8Array): Promise<void> {
    await writeAll(this.sink, [frameHeader(body.length), body]);
  }
  async recvRaw(what: string): Promise<Uint8Array> {
    let body: Uint8Array | null;
    try {
      body = await this.reader.readFrame();
    } catch (e) {
      throw new HandshakeError(this.peer, `while waiting for ${what}: ${errorText(e)}`, {
        cause: e,
      });
    }
    if (body === null) throw new HandshakeError(this.peer, `connection closed before ${what}`);
    return body;
  }
  decode(body: Uint8Array, what: string): Record<string, unknown> {
    let v: unknown;
    try {
      v = this.packr.unpack(body);
    } catch (e) {
      throw new HandshakeError(this.peer, `${what} is not msgpack: ${errorText(e)}`, { cause: e });
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new HandshakeError(this.peer, `${what} is not a handshake message`);
    }
    const o = v as Record<string, unknown>;
    if (typeof o.err === "string") {
      throw new HandshakeError(this.peer, `peer refused the handshake: ${o.err}`);
    }
    return o;
  }
  /** Sends `{ err }` (best effort) and throws the HandshakeError. */
  async refuse(reason: string, cause?: unknown): Promise<never> {
    try {
      await withTimeout(this.send({ err: reason }), 1000, () => new Error("refusal not sent"));
    } catch { /* the peer may be gone; our own error still says why */ }
    throw new HandshakeError(this.peer, reason, cause === undefined ? undefined : { cause });
  }
}

function parseHello(o: Record<string, unknown>): Hello | string {
  if (o.v !== PROTOCOL_VERSION) {
    return `protocol version ${JSON.stringify(o.v)}, want ${PROTOCOL_VERSION}`;
  }
  if (typeof o.suite !== "string") return "hello has no cipher suite";
  if (typeof o.from !== "number" || typeof o.to !== "number") return "hello has no party ids";
  if (!(o.eph instanceof Uint8Array) || o.eph.length !== 32) {
    return "hello has no 32-byte ephemeral key";
  }
  if (!(o.fp instanceof Uint8Array) || o.fp.length !== 32) {
    return "hello has no cluster fingerprint";
  }
  return o as unknown as Hello;
}

function checkCommon(h: Hello, opts: HandshakeOptions, fp: Uint8Array): string | undefined {
  if (h.to !== opts.self) {
    return `hello is addressed to party ${h.to}, but this is party ${opts.self}`;
  }
  if (h.suite !== opts.suite) return `cipher suite ${h.suite} differs from ours (${opts.suite})`;
  if (!eq(h.fp, fp)) return "cluster files differ (public key fingerprints do not match)";
  return undefined;
}

function finish(
  opts: HandshakeOptions,
  role: "initiator" | "responder",
  peer: number,
  ephSecret: Uint8Array,
  peerEph: Uint8Array,
  th: Uint8Array,
): HandshakeResult {
  const shared = x25519.getSharedSecret(ephSecret, peerEph);
  const k = deriveDirectionKeys(shared, th, opts.suite);
  const [send, recv] = role === "initiator"
    ? [k.initiatorToResponder, k.responderToInitiator]
    : [k.responderToInitiator, k.initiatorToResponder];
  return {
    peer,
    sendCipher: createFrameCipher(opts.suite, send, peer),
    recvCipher: createFrameCipher(opts.suite, recv, peer),
  };
}

async function guarded<T>(reader: FrameReader, opts: HandshakeOptions, run: () => Promise<T>) {
  const max = reader.maxFrameBytes;
  reader.maxFrameBytes = Math.min(max, MAX_HANDSHAKE_FRAME);
  try {
    return await withTimeout(
      run(),
      opts.timeoutMs,
      () => new TimeoutError(reader.peer, opts.timeoutMs, "the handshake"),
    );
  } finally {
    reader.maxFrameBytes = max;
  }
}

/**
 * Runs the initiator side on a fresh connection to `expectedPeer`. Rejects with
 * `HandshakeError` (wrong peer, bad signature, refusal, garbage) or `TimeoutError`;
 * the caller closes the connection then.
 *
 * @example
 * ```ts
 * import { initiateHandshake } from "@sharetensor/net/tcp";
 * console.log(initiateHandshake.length); // 4
 * ```
 */
export function initiateHandshake(
  sink: ByteSink,
  reader: FrameReader,
  expectedPeer: number,
  opts: HandshakeOptions,
): Promise<HandshakeResult> {
  reader.peer = expectedPeer;
  return guarded(reader, opts, async () => {
    const w = new Wire(sink, reader);
    const fp = clusterFingerprint(opts.cluster);
    const peerKey = clusterNode(opts.cluster, expectedPeer).publicKey;
    const eph = x25519.keygen();
    const h1 = w.packr.pack({
      v: PROTOCOL_VERSION,
      suite: opts.suite,
      from: opts.self,
      to: expectedPeer,
      eph: eph.publicKey,
      fp,
    }).slice();
    await w.sendRaw(h1);
    const m2 = w.decode(await w.recvRaw("the responder's hello"), "the responder's hello");
    if (!(m2.hello instanceof Uint8Array) || !(m2.sig instanceof Uint8Array)) {
      return await w.refuse("responder's message has no hello and signature");
    }
    const h2 = m2.hello;
    const hello = parseHello(w.decode(h2, "the responder's hello"));
    if (typeof hello === "string") return await w.refuse(hello);
    if (hello.from !== expectedPeer) {
      return await w.refuse(`dialed party ${expectedPeer} but reached party ${hello.from}`);
    }
    const bad = checkCommon(hello, opts, fp);
    if (bad) return await w.refuse(bad);
    const th = transcriptHash(h1, h2);
    if (!verify(m2.sig, signed("responder", th), peerKey)) {
      return await w.refuse(
        `signature of party ${expectedPeer} does not verify against its key in the cluster file`,
      );
    }
    await w.send({ sig: ed25519.sign(signed("initiator", th), opts.keyPair.privateKey) });
    w.decode(await w.recvRaw("the responder's confirmation"), "the responder's confirmation");
    try {
      return finish(opts, "initiator", expectedPeer, eph.secretKey, hello.eph, th);
    } catch (e) {
      throw new HandshakeError(expectedPeer, `key agreement failed: ${errorText(e)}`, { cause: e });
    }
  });
}

/**
 * Runs the responder side on an accepted connection. `mayDial(id)` says which claimed ids
 * may open a link to this node. Resolves the authenticated peer; rejects with
 * `HandshakeError` (peer -1 while the peer has not named itself) or `TimeoutError`.
 *
 * @example
 * ```ts
 * import { acceptHandshake } from "@sharetensor/net/tcp";
 * console.log(acceptHandshake.length); // 4
 * ```
 */
export function acceptHandshake(
  sink: ByteSink,
  reader: FrameReader,
  mayDial: (id: number) => boolean,
  opts: HandshakeOptions,
): Promise<HandshakeResult> {
  reader.peer = -1;
  return guarded(reader, opts, async () => {
    const w = new Wire(sink, reader);
    const fp = clusterFingerprint(opts.cluster);
    const h1 = await w.recvRaw("a hello");
    const hello = parseHello(w.decode(h1, "the hello"));
    if (typeof hello === "string") return await w.refuse(hello);
    const n = opts.cluster.parties.length + (opts.cluster.ttp ? 1 : 0);
    if (!Number.isInteger(hello.from) || hello.from < 0 || hello.from >= n) {
      return await w.refuse(`unknown party id ${hello.from}`);
    }
    reader.peer = hello.from;
    if (!mayDial(hello.from)) {
      return await w.refuse(`party ${hello.from} may not open a link to party ${opts.self}`);
    }
    const bad = checkCommon(hello, opts, fp);
    if (bad) return await w.refuse(bad);
    const eph = x25519.keygen();
    const h2 = w.packr.pack({
      v: PROTOCOL_VERSION,
      suite: opts.suite,
      from: opts.self,
      to: hello.from,
      eph: eph.publicKey,
      fp,
    }).slice();
    const th = transcriptHash(h1, h2);
    await w.send({
      hello: h2,
      sig: ed25519.sign(signed("responder", th), opts.keyPair.privateKey),
    });
    const m3 = w.decode(await w.recvRaw("the initiator's signature"), "the initiator's signature");
    const peerKey = clusterNode(opts.cluster, hello.from).publicKey;
    if (!(m3.sig instanceof Uint8Array) || !verify(m3.sig, signed("initiator", th), peerKey)) {
      return await w.refuse(
        `signature of party ${hello.from} does not verify against its key in the cluster file`,
      );
    }
    let result: HandshakeResult;
    try {
      result = finish(opts, "responder", hello.from, eph.secretKey, hello.eph, th);
    } catch (e) {
      return await w.refuse(`key agreement failed: ${errorText(e)}`, e);
    }
    await w.send({ ok: true });
    return result;
  });
}
