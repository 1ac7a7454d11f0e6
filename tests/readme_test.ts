// The README's example must run and print what its comment says.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

Deno.test("README example runs and prints the documented result", async () => {
  const readme = await Deno.readTextFile(`${root}README.md`);
  const m = readme.match(/<!-- example:start -->\s*```ts\n([\s\S]*?)```/);
  assert.ok(m, "README has no example between the example markers");
  const code = m[1];
  const expected = code.match(/console\.log\(.*\); \/\/ (.*)$/m)?.[1];
  assert.ok(expected, "the example's console.log has no `// expected` comment");
  const file = `${root}tests/.readme_example_${crypto.randomUUID()}.ts`;
  await Deno.writeTextFile(file, code);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--check", "-A", "--quiet", file],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const stdout = new TextDecoder().decode(out.stdout).trim();
    assert.equal(stdout.replace(/\s+/g, " "), expected.trim());
  } finally {
    await Deno.remove(file);
  }
});
