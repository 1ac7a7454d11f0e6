/**
 * Named error classes of sharetensor. Plain `TypeError` (wrong kinds, shapes, dtypes) and
 * `RangeError` (values or limits out of range) are used where they fit; the classes here
 * name failures that a caller may want to catch on their own. Each carries the values that
 * matter as fields and an optional `cause`.
 *
 * @example
 * ```ts
 * import { PeerClosedError } from "@sharetensor/core/errors";
 * const e = new PeerClosedError(1, "connection reset");
 * console.log(e.peer, e.message);
 * ```
 * @module
 */

/** Base class of every named sharetensor error. */
export class ShareTensorError extends Error {
  /** Creates an error with a message and an optional cause. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A kernel name was not registered by the protocol plugin in use. */
export class KernelNotFoundError extends ShareTensorError {
  /** The kernel that was asked for. */
  readonly kernel: string;
  /** Creates the error for kernel `kernel` of protocol `protocol`. */
  constructor(kernel: string, protocol: string, options?: ErrorOptions) {
    super(`kernel "${kernel}" is not registered by protocol "${protocol}"`, options);
    this.kernel = kernel;
  }
}

/** A peer closed its connection or died while the computation still needed it. */
export class PeerClosedError extends ShareTensorError {
  /** Rank of the peer that went away. */
  readonly peer: number;
  /** Creates the error for peer `peer`. */
  constructor(peer: number, detail = "connection closed", options?: ErrorOptions) {
    super(`peer ${peer}: ${detail}`, options);
    this.peer = peer;
  }
}

/** The authenticated handshake with a peer failed (wrong key, wrong id, bad bytes). */
export class HandshakeError extends ShareTensorError {
  /** Rank of the peer, or -1 when not known yet. */
  readonly peer: number;
  /** Creates the error for peer `peer`. */
  constructor(peer: number, detail: string, options?: ErrorOptions) {
    super(`handshake with peer ${peer} failed: ${detail}`, options);
    this.peer = peer;
  }
}

/** A frame from a peer could not be decoded, authenticated or was too large. */
export class FrameDecodeError extends ShareTensorError {
  /** Rank of the peer that sent the frame. */
  readonly peer: number;
  /** Creates the error for peer `peer`. */
  constructor(peer: number, detail: string, options?: ErrorOptions) {
    super(`bad frame from peer ${peer}: ${detail}`, options);
    this.peer = peer;
  }
}

/** A wait (connection, message, dealer) ran past its deadline. */
export class TimeoutError extends ShareTensorError {
  /** Rank of the peer waited on, or -1 when not a single peer. */
  readonly peer: number;
  /** The timeout in milliseconds. */
  readonly ms: number;
  /** Creates the error for a wait of `ms` milliseconds on `peer`. */
  constructor(peer: number, ms: number, what: string, options?: ErrorOptions) {
    super(
      `timed out after ${ms} ms waiting for ${what}${peer >= 0 ? ` from peer ${peer}` : ""}`,
      options,
    );
    this.peer = peer;
    this.ms = ms;
  }
}

/** The parties disagreed on the program (op, shape, ring) or one of them aborted. */
export class ProtocolAbortError extends ShareTensorError {
  /** Rank of the party that caused the abort, or -1 when not known. */
  readonly peer: number;
  /** Creates the error; `peer` is the party that caused it when known. */
  constructor(detail: string, peer = -1, options?: ErrorOptions) {
    super(`protocol aborted${peer >= 0 ? ` by peer ${peer}` : ""}: ${detail}`, options);
    this.peer = peer;
  }
}
