// End to end: failures are clear errors with the right exit code, never hangs.
import assert from "node:assert/strict";
import { formatCluster, localCluster, writeKeyFile } from "@sharetensor/net/tcp";
import { reports, runCli, startCli, waitFor } from "./e2e_util.ts";

async function clusterDir(n: number, ttp: boolean) {
  const { cluster, keys } = localCluster(n, { ttp });
  const dir = await Deno.makeTempDir({ prefix: "e2e-fail-" });
  await Deno.writeTextFile(`${dir}/cluster.json`, formatCluster(cluster));
  for (let i = 0; i < keys.length; i++) await writeKeyFile(`${dir}/k${i}.key`, keys[i]);
  return { dir, cluster };
}

const serveArgs = (dir: string, p: number, key = p) => [
  "serve",
  "--cluster",
  `${dir}/cluster.json`,
  "--party",
  String(p),
  "--key",
  `${dir}/k${key}.key`,
  "--connect-timeout",
  "10",
  "--timeout",
  "20",
];

Deno.test("e2e: a party killed mid-job makes the others exit 1 naming it, within seconds", async () => {
  const { dir } = await clusterDir(3, true);
  const ttp = startCli(["ttp", "--cluster", `${dir}/cluster.json`, "--key", `${dir}/k3.key`]);
  const ps = [0, 1, 2].map((p) => startCli([...serveArgs(dir, p), "tests/e2e_jobs/slow_loop.ts"]));
  try {
    await waitFor(() => ps[2].stderr().includes("running"), 30_000, "the job to start");
    const t0 = Date.now();
    ps[2].child.kill("SIGKILL");
    for (const p of [0, 1]) {
      const r = await ps[p].done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /FAILED: .*peer 2/, r.stderr);
      assert.match(r.stderr, new RegExp(`^\\[p${p}\\] `, "m"));
    }
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  } finally {
    for (const p of [...ps, ttp]) {
      try {
        p.child.kill("SIGKILL");
      } catch { /* gone */ }
      await p.done;
    }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("e2e: a wrong key file is a clear error at once (exit 1)", async () => {
  const { dir } = await clusterDir(2, false);
  const r = await runCli([...serveArgs(dir, 1, 0), "--dealer", "tfp-unsafe", "hello"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\[p1\] .*not the one the cluster lists for party 1/);
  assert.ok(r.ms < 10_000);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("e2e: a party id outside the cluster is a usage error (exit 2)", async () => {
  const { dir } = await clusterDir(2, false);
  const r = await runCli([...serveArgs(dir, 5, 0), "hello"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--party must be in 0\.\.1/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("e2e: a port in use is a clear error (exit 1), no hang", async () => {
  const { dir, cluster } = await clusterDir(2, false);
  const squatter = Deno.listen({ hostname: "127.0.0.1", port: cluster.parties[1].port });
  try {
    const r = await runCli([...serveArgs(dir, 1), "--dealer", "tfp-unsafe", "hello"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /port \d+ is already in use/);
  } finally {
    squatter.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("e2e: a failed job is reported and the servers go on with the next job", async () => {
  const r = await runCli([
    "launch",
    "--parties",
    "2",
    "--jobs",
    "hello,tests/e2e_jobs/fail_on_1.ts,hello",
  ]);
  assert.equal(r.code, 1, r.stderr);
  const reps = reports(r.stdout);
  const at = (p: number, i: number) => reps.find((x) => x.party === p && x.index === i);
  for (const p of [0, 1]) {
    assert.equal(at(p, 0)?.ok, true);
    assert.equal(at(p, 1)?.ok, false);
    assert.equal(at(p, 2)?.ok, true);
  }
  assert.match(String(at(1, 1)?.error), /fails on purpose/);
  assert.match(String(at(0, 1)?.error), /peer 1/);
});

Deno.test("e2e: followers run the jobs party 0 announces", async () => {
  const { dir } = await clusterDir(3, false);
  const common = ["--dealer", "tfp-unsafe"];
  const ps = [
    startCli([...serveArgs(dir, 0), ...common, "--jobs", "hello,hello"]),
    startCli([...serveArgs(dir, 1), ...common, "--follow"]),
    startCli([...serveArgs(dir, 2), ...common, "--follow"]),
  ];
  const rs = await Promise.all(ps.map((p) => p.done));
  for (const r of rs) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(reports(r.stdout).filter((x) => x.ok).length, 2);
  }
  assert.match(rs[0].stderr, /WARNING: dealer tfp-unsafe/);
  await Deno.remove(dir, { recursive: true });
});
