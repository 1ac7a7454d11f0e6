import process from "node:process";
import { connectMesh } from "./mesh.ts";
import type { CipherSuite } from "./cipher.ts";
import { localCluster } from "./local.ts";
const big = new Uint8Array(8 << 20).map((_, i) => i * 7);
for (const suite of ["chacha20-hmac-sha256", "aes-256-gcm", "insecure"] as CipherSuite[]) {
  const { cluster, keys } = localCluster(2);
  const w = new Worker(new URL("./testdata/echo_worker.ts", import.meta.url), { type: "module" });
  const ready = new Promise((r) => w.onmessage = r);
  w.postMessage({ cluster, keyPair: keys[1], suite });
  const t = await connectMesh(0, { cluster, keyPair: keys[0], suite, warn: () => {} });
  await ready;
  for (let i = 0; i < 3; i++) {
    await t.exchange(new Map([[1, big]]), []);
    await t.exchange(new Map(), [1]);
  }
  const R = 20;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < R; i++) {
    await t.exchange(new Map([[1, big]]), []);
    await t.exchange(new Map(), [1]);
  }
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000 / R;
  console.log(
    suite,
    "wall ms/8MiB",
    (wall / R).toFixed(1),
    "MB/s",
    (8.388608 / (wall / R) * 1000).toFixed(0),
    "| CPU ms/8MiB both ends",
    cpuMs.toFixed(1),
    "=> MB/s if each end had a core ~",
    (8.388608 / (cpuMs / 2) * 1000).toFixed(0),
  );
  await t.close();
  await new Promise((r) => setTimeout(r, 200));
  w.terminate();
}
