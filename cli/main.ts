/**
 * sharetensor's command line. `deno run -A cli/main.ts --help` lists the commands;
 * `<command> --help` explains one. Words after `--` go to the program that `serve` or
 * `launch` runs. Exit codes: 0 ok, 1 a job or the network failed, 2 a usage error.
 * @module
 */
import { type CommandDef, defineCommand, runCommand, showUsage } from "citty";
import { demo } from "./demo.ts";
import { ExitError, networkCommands } from "./commands.ts";
import { UsageError } from "./program.ts";

function buildMain(programArgs: string[]): CommandDef {
  return defineCommand({
    meta: {
      name: "sharetensor",
      version: "0.1.0",
      description: "Secure multi-party computation for machine learning",
    },
    subCommands: {
      demo: defineCommand({
        meta: {
          name: "demo",
          description: "Run a small end-to-end example and print what happens",
        },
        async run() {
          const code = await demo();
          if (code !== 0) throw new ExitError(code);
        },
      }),
      ...networkCommands(programArgs),
    },
  });
}

/**
 * Runs the CLI on `argv` and resolves with the exit code (help and errors are printed).
 *
 * @example
 * ```ts
 * import { cli } from "./main.ts";
 * console.log(await cli(["--version"])); // prints 0.1.0, then 0
 * ```
 */
export async function cli(argv: string[]): Promise<number> {
  const cut = argv.indexOf("--");
  const own = cut < 0 ? argv : argv.slice(0, cut);
  const main = buildMain(cut < 0 ? [] : argv.slice(cut + 1));
  const subs = (main.subCommands ?? {}) as Record<string, CommandDef>;
  const name = own.find((a) => !a.startsWith("-"));
  const sub = name && Object.hasOwn(subs, name) ? subs[name] : undefined;
  if (own.includes("--help") || own.includes("-h")) {
    await (sub ? showUsage(sub, main) : showUsage(main));
    return 0;
  }
  if (own.length === 1 && (own[0] === "--version" || own[0] === "-v")) {
    console.log("0.1.0");
    return 0;
  }
  try {
    await runCommand(main, { rawArgs: own });
    return 0;
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    const err = e as Error;
    if (err instanceof UsageError || err?.name === "CLIError") {
      if (!sub) await showUsage(main);
      console.error(`error: ${err.message}${sub ? ` (see ${name} --help)` : ""}`);
      return 2;
    }
    console.error(`error: ${err?.name ?? "Error"}: ${err?.message ?? String(e)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await cli(Deno.args));
