// Party 1 of the link benchmarks, in its own thread: receives a message from party 0 and
// answers with it (small messages) or with one byte (large ones), until party 0 closes.
import { connectMesh } from "../mesh.ts";
import type { MeshOptions } from "../mesh.ts";

// The lib is deno.window; a worker's global scope has these.
const scope = self as unknown as {
  onmessage: (ev: MessageEvent<MeshOptions>) => void;
  postMessage(m: unknown): void;
  close(): void;
};

scope.onmessage = async (ev: MessageEvent<MeshOptions>) => {
  const t = await connectMesh(1, { ...ev.data, warn: () => {} });
  scope.postMessage("ready");
  try {
    while (true) {
      const m = (await t.exchange(new Map(), [0])).get(0)!;
      await t.exchange(new Map([[0, m.length > 4096 ? new Uint8Array(1) : m]]), []);
    }
  } catch {
    await t.close();
    scope.close();
  }
};
