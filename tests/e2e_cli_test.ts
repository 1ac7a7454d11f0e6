// End to end: the command line itself (help, exit codes, keygen).
import assert from "node:assert/strict";
import { encodePublicKey, readKeyFile } from "@sharetensor/net/tcp";
import { runCli } from "./e2e_util.ts";

Deno.test("cli: --help works for every command and exits 0", async () => {
  for (const cmd of [[], ["serve"], ["launch"], ["ttp"], ["keygen"]]) {
    const r = await runCli([...cmd, "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /USAGE/);
  }
});

Deno.test("cli: usage errors exit 2 and say what is wrong", async () => {
  const cases: [string[], RegExp][] = [
    [["serve", "--party", "0"], /Missing required argument: --cluster/],
    [["launch", "--parties", "1", "hello"], /--parties must be an integer >= 2/],
    [["launch", "--parties", "2", "no_such_job"], /unknown job "no_such_job"/],
    [["nope"], /Unknown command/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, msg);
  }
});

Deno.test("cli: keygen writes a key file, prints its public key, refuses to overwrite", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a.key`;
  const r = await runCli(["keygen", "--out", path]);
  assert.equal(r.code, 0, r.stderr);
  const kp = await readKeyFile(path);
  assert.equal(r.stdout.trim(), encodePublicKey(kp.publicKey));
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  const again = await runCli(["keygen", "--out", path]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists; pass --force/);
  await Deno.remove(dir, { recursive: true });
});
