// Helpers of the end-to-end tests: run the CLI as a real process and collect its output.
import { fileURLToPath } from "node:url";

/** Path of cli/main.ts. */
export const MAIN = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
/** The repository root. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** What a finished CLI process said. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `cli/main.ts args` to completion (killed after `timeoutMs`). */
export async function runCli(args: string[], timeoutMs = 60_000): Promise<Ran> {
  const t0 = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    ms: Date.now() - t0,
  };
}

/** The JSON job reports among a process's stdout lines (tags removed). */
export function reports(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n")
    .map((l) => l.replace(/^\[[a-z0-9]+\] /, ""))
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** A spawned CLI process whose stderr is collected as it comes. */
export interface Proc {
  child: Deno.ChildProcess;
  stderr(): string;
  done: Promise<Ran>;
}

/** Starts `cli/main.ts args` in the background. */
export function startCli(args: string[]): Proc {
  const t0 = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let err = "";
  let out = "";
  const collect = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    for await (const t of s.pipeThrough(new TextDecoderStream())) add(t);
  };
  const io = Promise.all([
    collect(child.stderr, (t) => err += t),
    collect(child.stdout, (t) => out += t),
  ]);
  const done = child.status.then(async (s) => {
    await io;
    return { code: s.code, stdout: out, stderr: err, ms: Date.now() - t0 };
  });
  return { child, stderr: () => err, done };
}

/** Waits until `cond()` holds (polling), or throws after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
