// A party process for the "peer killed" test: connects to the mesh, says "ready", then
// waits for a message that never comes (until it is killed).
import { connectMeshFromFiles } from "../mesh.ts";

const [cluster, key, rank] = Deno.args;
const t = await connectMeshFromFiles(Number(rank), { cluster, key }, { connectTimeoutMs: 10_000 });
console.log("ready");
await t.exchange(new Map(), [0]).catch(() => {});
await t.close();
