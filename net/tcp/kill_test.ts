import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PeerClosedError } from "@sharetensor/core/errors";
import { formatCluster } from "./cluster.ts";
import { writeKeyFile } from "./keys.ts";
import { connectMesh } from "./mesh.ts";
import { localCluster } from "./local.ts";

Deno.test("tcp mesh: a killed party process fails the others' exchanges with PeerClosedError", async () => {
  const { cluster, keys } = localCluster(3);
  const dir = await Deno.makeTempDir();
  const clusterPath = `${dir}/cluster.json`;
  await Deno.writeTextFile(clusterPath, formatCluster(cluster));
  await writeKeyFile(`${dir}/party2.key`, keys[2]);
  const script = fileURLToPath(new URL("./testdata/party_main.ts", import.meta.url));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, clusterPath, `${dir}/party2.key`, "2"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const ts = await Promise.all(
      [0, 1].map((r) => connectMesh(r, { cluster, keyPair: keys[r], connectTimeoutMs: 15_000 })),
    );
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      assert.match(new TextDecoder().decode(value), /ready/);
      reader.releaseLock();
      // Party 0 waits on party 2; party 1 waits on party 0, which is alive.
      const waits = [ts[0].exchange(new Map(), [2]), ts[1].exchange(new Map(), [0])];
      const t0 = Date.now();
      child.kill("SIGKILL");
      for (const w of await Promise.allSettled(waits)) {
        assert.equal(w.status, "rejected");
        assert.ok(w.reason instanceof PeerClosedError && w.reason.peer === 2, String(w.reason));
      }
      assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
      await assert.rejects(ts[1].exchange(new Map([[0, new Uint8Array(3)]]), []), PeerClosedError);
    } finally {
      await Promise.all(ts.map((t) => t.close()));
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already dead */ }
    await child.stdout.cancel().catch(() => {});
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
