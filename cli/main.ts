/**
 * sharetensor's command line. `deno run -A cli/main.ts --help` lists the commands.
 * @module
 */
import { defineCommand, runMain } from "citty";
import { demo } from "./demo.ts";

const main = defineCommand({
  meta: {
    name: "sharetensor",
    version: "0.1.0",
    description: "Secure multi-party computation for machine learning",
  },
  subCommands: {
    demo: defineCommand({
      meta: { name: "demo", description: "Run a small end-to-end example and print what happens" },
      async run() {
        await demo();
      },
    }),
  },
});

if (import.meta.main) await runMain(main);
