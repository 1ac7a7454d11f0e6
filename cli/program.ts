/**
 * Finding a job's code: a built-in job name (`w1`, `w3`, `hello`) or the path of a
 * TypeScript module that exports `main(ctx, args, env)`. A name that is neither is a
 * {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { BUILTIN_JOBS } from "./program.ts";
 * console.log(Object.keys(BUILTIN_JOBS).includes("w1")); // true
 * ```
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { JobMain } from "./job.ts";

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** Built-in jobs: name -> module (relative to this file) and a one-line description. */
export const BUILTIN_JOBS: Readonly<Record<string, { module: string; about: string }>> = {
  hello: { module: "./jobs/hello.ts", about: "x from party 0 times y from party 1, 4 values" },
  w1: { module: "./jobs/w1.ts", about: "W1: elementwise mul of [1000,1000] (--size n)" },
  w3: { module: "./jobs/w3.ts", about: "W3: ReLU of [1000,1000] (--size n)" },
};

/** A loaded job. */
export interface Program {
  /** The name it was given by. */
  name: string;
  /** Its entry point. */
  main: JobMain;
}

/**
 * Loads the job `name` (built-in, or a module path relative to the working directory).
 *
 * @example
 * ```ts
 * import { loadProgram } from "./program.ts";
 * console.log(typeof (await loadProgram("hello")).main); // "function"
 * ```
 */
export async function loadProgram(name: string): Promise<Program> {
  const builtin = Object.hasOwn(BUILTIN_JOBS, name) ? BUILTIN_JOBS[name] : undefined;
  let url: string;
  if (builtin) url = new URL(builtin.module, import.meta.url).href;
  else {
    if (!/\.(ts|js|mts|mjs)$/.test(name)) {
      throw new UsageError(
        `unknown job "${name}": not a built-in job (${Object.keys(BUILTIN_JOBS).join(", ")}) ` +
          `nor a .ts/.js module path`,
      );
    }
    const path = isAbsolute(name) ? name : resolve(Deno.cwd(), name);
    try {
      await Deno.stat(path);
    } catch (e) {
      throw new UsageError(`job module ${path} cannot be read: ${(e as Error).message}`, {
        cause: e,
      });
    }
    url = pathToFileURL(path).href;
  }
  const mod = await import(url);
  if (typeof mod.main !== "function") {
    throw new UsageError(`job module ${name} does not export a function "main(ctx, args, env)"`);
  }
  return { name, main: mod.main as JobMain };
}
