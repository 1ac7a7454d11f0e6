// Entry points that no test imports (the CLI, the bench, the accuracy task) still have to
// type-check: `deno run` does not check types, so a wrong call there would go unnoticed.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

Deno.test("cli/main.ts, bench/main.ts and bench/accuracy.ts type-check", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["check", "cli/main.ts", "bench/main.ts", "bench/accuracy.ts"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
});
