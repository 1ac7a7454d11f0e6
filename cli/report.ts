/**
 * Job reports: what `serve` prints for each job (one JSON line on stdout), with results
 * summarised so that a million-element tensor is a hash and a few values, not megabytes.
 *
 * @example
 * ```ts
 * import { summarize } from "./report.ts";
 * console.log(summarize(new Float64Array([1, 2]))); // { type: "Float64Array", length: 2, ... }
 * ```
 * @module
 */
import { createHash } from "node:crypto";

/** One job's outcome on one party. */
export interface JobReport {
  /** Party rank. */
  party: number;
  /** Index of the job in the server's run (0-based). */
  index: number;
  /** Job name. */
  job: string;
  /** Whether the job finished. */
  ok: boolean;
  /** Wall seconds from context setup to the result. */
  seconds: number;
  /** The result, summarised (see {@linkcode summarize}). */
  result?: unknown;
  /** The error message of a failed job. */
  error?: string;
  /** Traffic of the job's first context. */
  stats?: { bytesSent: number; wireBytesSent: number; rounds: number };
}

/**
 * SHA-256 (hex) of the bytes of a typed array.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./report.ts";
 * console.log(sha256Hex(new Uint8Array(0)).slice(0, 8)); // "e3b0c442"
 * ```
 */
export function sha256Hex(v: ArrayBufferView): string {
  return createHash("sha256")
    .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
    .digest("hex");
}

/**
 * A JSON-friendly summary of a job result: typed arrays become `{ type, length, sha256,
 * head }` (with all `values` when there are at most 16), bigints strings, and objects and
 * arrays are summarised member by member.
 *
 * @example
 * ```ts
 * import { summarize } from "./report.ts";
 * console.log(summarize({ n: 1n })); // { n: "1" }
 * ```
 */
export function summarize(v: unknown, depth = 0): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    const num = (x: number | bigint) => typeof x === "bigint" ? x.toString() : x;
    const head = Array.from({ length: Math.min(arr.length, 6) }, (_, i) => num(arr[i]));
    return {
      type: v.constructor.name,
      length: arr.length,
      sha256: sha256Hex(v),
      ...(arr.length <= 16 ? { values: Array.from(arr, num) } : { head }),
    };
  }
  if (depth > 6) return String(v);
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => summarize(x, depth + 1));
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, summarize(x, depth + 1)]),
    );
  }
  return String(v);
}

/**
 * Writes a job's full result under `dir`: a typed array as raw bytes
 * (`p<party>_<index>.bin`), anything else as summarised JSON (`p<party>_<index>.json`).
 * Returns the path.
 *
 * @example
 * ```ts
 * import { writeResult } from "./report.ts";
 * const dir = await Deno.makeTempDir();
 * console.log((await writeResult(dir, 0, 0, new Float64Array([1]))).endsWith("p0_0.bin")); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeResult(
  dir: string,
  party: number,
  index: number,
  result: unknown,
): Promise<string> {
  if (ArrayBuffer.isView(result)) {
    const path = `${dir}/p${party}_${index}.bin`;
    await Deno.writeFile(
      path,
      new Uint8Array(result.buffer, result.byteOffset, result.byteLength),
    );
    return path;
  }
  const path = `${dir}/p${party}_${index}.json`;
  await Deno.writeTextFile(path, JSON.stringify(summarize(result)) + "\n");
  return path;
}
