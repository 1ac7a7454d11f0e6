// End to end: 2, 3 and 4 parties plus the TTP, each a real process on 127.0.0.1, compute
// W1 (elementwise mul) and W3 (ReLU) and must agree with the in-memory run of the same job.
import assert from "node:assert/strict";
import { runParties, SecretTensor } from "@sharetensor/protocols";
import { main as w1 } from "../cli/jobs/w1.ts";
import { main as w3 } from "../cli/jobs/w3.ts";
import { reports, runCli } from "./e2e_util.ts";

async function launchJob(n: number, job: string, args: string[], dealer = "ttp") {
  const out = await Deno.makeTempDir({ prefix: "e2e-out-" });
  const r = await runCli([
    "launch",
    "--parties",
    String(n),
    "--dealer",
    dealer,
    "--out-dir",
    out,
    "--timeout",
    "60",
    job,
    "--",
    ...args,
  ], 90_000);
  assert.equal(r.code, 0, r.stderr);
  const results = await Promise.all(Array.from({ length: n }, async (_, p) => {
    const bytes = await Deno.readFile(`${out}/p${p}_0.bin`);
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  }));
  await Deno.remove(out, { recursive: true });
  const reps = reports(r.stdout);
  assert.equal(reps.length, n, r.stdout);
  for (const rep of reps) assert.equal(rep.ok, true);
  assert.match(r.stderr, /\[ttp\]|\[p0\]/);
  return results;
}

const same = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

for (const n of [2, 3, 4]) {
  const size = n === 2 ? 1000 : 300;
  Deno.test(`e2e: W1 mul [${size},${size}] on ${n} TCP parties + TTP matches the in-memory run`, async () => {
    const args = ["--size", String(size)];
    const tcp = await launchJob(n, "w1", args);
    const [mem] = await runParties(n, (ctx) => w1(ctx, args), { dealer: "ttp" });
    for (const r of tcp) assert.ok(same(r, tcp[0]), "parties revealed different values");
    // Each product is truncated with fresh randomness: one unit in the last place apart.
    let worst = 0;
    for (let i = 0; i < mem!.length; i++) worst = Math.max(worst, Math.abs(tcp[0][i] - mem![i]));
    assert.ok(worst <= 2 ** -16 * 1.01, `TCP and in-memory W1 differ by ${worst}`);
  });
}

Deno.test("e2e: W1 with an integer y (no truncation) is bit-exact with the in-memory run (3 parties)", async () => {
  const args = ["--size", "300", "--int"];
  const tcp = await launchJob(3, "w1", args);
  const [mem] = await runParties(3, (ctx) => w1(ctx, args), { dealer: "ttp" });
  assert.ok(same(tcp[0], mem!), "not bit-exact");
});

const hasRelu =
  typeof (SecretTensor.prototype as unknown as { relu?: unknown }).relu === "function";
for (const n of [2, 3]) {
  Deno.test({
    name: `e2e: W3 ReLU on ${n} TCP parties + TTP is bit-exact with the in-memory run`,
    ignore: !hasRelu,
    async fn() {
      const args = ["--size", n === 2 ? "500" : "200"];
      const tcp = await launchJob(n, "w3", args);
      const [mem] = await runParties(n, (ctx) => w3(ctx, args), { dealer: "ttp" });
      tcp.forEach((r, p) => {
        const bad = r.findIndex((v, i) => !Object.is(v, mem![i]));
        assert.equal(bad, -1, `party ${p}: at ${bad}: TCP ${r[bad]}, in-memory ${mem![bad]}`);
      });
    },
  });
}
