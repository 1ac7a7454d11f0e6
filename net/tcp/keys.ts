/**
 * Long-term ed25519 identity keys of the parties, and their file format.
 *
 * A key file is JSON, written with mode 0600:
 * `{ "type": "sharetensor-ed25519", "publicKey": "<base64, 32 raw bytes>",
 *    "privateKey": "<base64, 32-byte ed25519 seed>" }`.
 * Public keys in a cluster file are the same base64 of the 32 raw bytes; base64 of the
 * 44-byte SPKI DER form (what `openssl pkey -pubout -outform DER` prints) is accepted too.
 *
 * @example
 * ```ts
 * import { generateKeyPair, encodePublicKey } from "@sharetensor/net/tcp";
 * const kp = generateKeyPair();
 * console.log(encodePublicKey(kp.publicKey).length); // 44 base64 characters
 * ```
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { Buffer } from "node:buffer";

/** A party's long-term ed25519 key pair (raw 32-byte forms). */
export interface KeyPair {
  /** 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** 32-byte ed25519 private key (the seed). Keep it secret. */
  readonly privateKey: Uint8Array;
}

/** The `type` tag of a key file. */
export const KEY_FILE_TYPE = "sharetensor-ed25519";

/** DER prefix of an ed25519 SubjectPublicKeyInfo; the raw key follows it. */
const SPKI_PREFIX = new Uint8Array(Buffer.from("302a300506032b6570032100", "hex"));

/**
 * Makes a fresh ed25519 key pair from the system's secure random source.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "@sharetensor/net/tcp";
 * const { publicKey, privateKey } = generateKeyPair();
 * console.log(publicKey.length, privateKey.length); // 32 32
 * ```
 */
export function generateKeyPair(): KeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { publicKey, privateKey: secretKey };
}

/**
 * Recomputes the key pair of a 32-byte private key (`RangeError` on another length).
 *
 * @example
 * ```ts
 * import { generateKeyPair, keyPairFromPrivateKey } from "@sharetensor/net/tcp";
 * const kp = generateKeyPair();
 * console.log(keyPairFromPrivateKey(kp.privateKey).publicKey.length); // 32
 * ```
 */
export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  if (privateKey.length !== 32) {
    throw new RangeError(`ed25519 private key must be 32 bytes, got ${privateKey.length}`);
  }
  return { publicKey: ed25519.getPublicKey(privateKey), privateKey: Uint8Array.from(privateKey) };
}

/**
 * Base64 of a raw 32-byte public key, as written in cluster files.
 *
 * @example
 * ```ts
 * import { encodePublicKey, decodePublicKey, generateKeyPair } from "@sharetensor/net/tcp";
 * const pk = generateKeyPair().publicKey;
 * console.log(decodePublicKey(encodePublicKey(pk)).length); // 32
 * ```
 */
export function encodePublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) {
    throw new RangeError(`ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  }
  return Buffer.from(publicKey).toString("base64");
}

/**
 * Parses a base64 public key: 32 raw bytes or a 44-byte ed25519 SPKI DER.
 * `TypeError` for anything else, with what was found.
 *
 * @example
 * ```ts
 * import { decodePublicKey } from "@sharetensor/net/tcp";
 * console.log(decodePublicKey("A".repeat(43) + "=").length); // 32
 * ```
 */
export function decodePublicKey(text: string): Uint8Array {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim())) {
    throw new TypeError(`public key must be a base64 string, got ${JSON.stringify(text)}`);
  }
  const raw = new Uint8Array(Buffer.from(text.trim(), "base64"));
  if (raw.length === 32) return raw;
  if (raw.length === 44 && SPKI_PREFIX.every((b, i) => raw[i] === b)) return raw.slice(12);
  throw new TypeError(
    `public key must be 32 raw bytes or a 44-byte ed25519 SPKI, got ${raw.length} bytes`,
  );
}

/**
 * Serializes a key pair to the key file JSON text.
 *
 * @example
 * ```ts
 * import { formatKeyFile, parseKeyFile, generateKeyPair } from "@sharetensor/net/tcp";
 * const kp = generateKeyPair();
 * console.log(parseKeyFile(formatKeyFile(kp)).publicKey.length); // 32
 * ```
 */
export function formatKeyFile(keyPair: KeyPair): string {
  return JSON.stringify(
    {
      type: KEY_FILE_TYPE,
      publicKey: encodePublicKey(keyPair.publicKey),
      privateKey: Buffer.from(keyPair.privateKey).toString("base64"),
    },
    null,
    2,
  ) + "\n";
}

/**
 * Parses key file JSON text; `TypeError` when a field is missing or the public key does not
 * belong to the private key.
 *
 * @example
 * ```ts
 * import { formatKeyFile, parseKeyFile, generateKeyPair } from "@sharetensor/net/tcp";
 * console.log(parseKeyFile(formatKeyFile(generateKeyPair())).privateKey.length); // 32
 * ```
 */
export function parseKeyFile(text: string, where = "key file"): KeyPair {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${where} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (obj === null || typeof obj !== "object" || obj.type !== KEY_FILE_TYPE) {
    throw new TypeError(`${where} must have "type": "${KEY_FILE_TYPE}", got ${obj?.type}`);
  }
  if (typeof obj.privateKey !== "string") {
    throw new TypeError(`${where} has no "privateKey" string`);
  }
  const priv = new Uint8Array(Buffer.from(obj.privateKey, "base64"));
  const kp = keyPairFromPrivateKey(priv);
  if (obj.publicKey !== undefined) {
    const pub = decodePublicKey(String(obj.publicKey));
    if (!pub.every((b, i) => b === kp.publicKey[i])) {
      throw new TypeError(`${where}: "publicKey" does not belong to "privateKey"`);
    }
  }
  return kp;
}

/**
 * Writes a key pair to `path` (mode 0600, owner only).
 *
 * @example
 * ```ts
 * import { generateKeyPair, readKeyFile, writeKeyFile } from "@sharetensor/net/tcp";
 * const path = await Deno.makeTempFile();
 * await writeKeyFile(path, generateKeyPair());
 * console.log((await readKeyFile(path)).publicKey.length); // 32
 * await Deno.remove(path);
 * ```
 */
export async function writeKeyFile(path: string, keyPair: KeyPair): Promise<void> {
  await Deno.writeTextFile(path, formatKeyFile(keyPair), { mode: 0o600 });
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}

/**
 * Reads a key file written by {@linkcode writeKeyFile}.
 *
 * @example
 * ```ts
 * import { generateKeyPair, readKeyFile, writeKeyFile } from "@sharetensor/net/tcp";
 * const path = await Deno.makeTempFile();
 * await writeKeyFile(path, generateKeyPair());
 * console.log((await readKeyFile(path)).privateKey.length); // 32
 * await Deno.remove(path);
 * ```
 */
export async function readKeyFile(path: string): Promise<KeyPair> {
  return parseKeyFile(await Deno.readTextFile(path), `key file ${path}`);
}
