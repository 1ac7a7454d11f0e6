/**
 * Party-tagged logging and a progress bar. Every log line of a party starts with its tag
 * (`[p0]`, `[ttp]`), so the interleaved output of `launch` says who wrote what. Logs go
 * to stderr; stdout carries results only.
 *
 * @example
 * ```ts
 * import { tagLines } from "./log.ts";
 * console.log(tagLines("p1", "a\nb")); // "[p1] a\n[p1] b"
 * ```
 * @module
 */
import process from "node:process";
import cliProgress from "cli-progress";
import type { Progress } from "./job.ts";

/**
 * Prefixes every line of `text` with `[tag] ` (lines that already carry a tag are kept).
 *
 * @example
 * ```ts
 * import { tagLines } from "./log.ts";
 * console.log(tagLines("p0", "[p0] x")); // "[p0] x"
 * ```
 */
export function tagLines(tag: string, text: string): string {
  const prefix = `[${tag}] `;
  return text.split("\n").map((l) => (l.startsWith(prefix) ? l : prefix + l)).join("\n");
}

/**
 * A logger that writes `[tag] message` lines to stderr.
 *
 * @example
 * ```ts
 * import { logger } from "./log.ts";
 * logger("p0")("hello"); // stderr: [p0] hello
 * ```
 */
export function logger(tag: string): (message: string) => void {
  return (message: string) => console.error(tagLines(tag, message));
}

/**
 * A progress bar on stderr when it is a terminal and `show` is true; a no-op otherwise.
 *
 * @example
 * ```ts
 * import { progressBar } from "./log.ts";
 * const p = progressBar(10, "runs", false);
 * p.increment();
 * p.stop();
 * ```
 */
export function progressBar(total: number, label: string, show = true): Progress {
  if (!show || !Deno.stderr.isTerminal()) return { increment() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {value}/{total} {duration_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return {
    increment: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}
