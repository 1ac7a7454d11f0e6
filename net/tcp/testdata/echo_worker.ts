// Party 1 of the link benchmarks, in its own thread, until party 0 closes. Default: receives
// a message from party 0 and answers with it (small messages) or with one byte (large ones).
// With `swapBytes`: every round sends a message of that many bytes while it receives one
// (both ends send in the same round, as in a multiplication's opening).
import { connectMesh } from "../mesh.ts";
import type { MeshOptions } from "../mesh.ts";

// The lib is deno.window; a worker's global scope has these.
const scope = self as unknown as {
  onmessage: (ev: MessageEvent<MeshOptions & { swapBytes?: number }>) => void;
  postMessage(m: unknown): void;
  close(): void;
};

scope.onmessage = async (ev: MessageEvent<MeshOptions & { swapBytes?: number }>) => {
  const t = await connectMesh(1, { ...ev.data, warn: () => {} });
  scope.postMessage("ready");
  const swap = ev.data.swapBytes ? new Uint8Array(ev.data.swapBytes).fill(9) : undefined;
  try {
    while (true) {
      if (swap) {
        await t.exchange(new Map([[0, swap]]), [0]);
        continue;
      }
      const m = (await t.exchange(new Map(), [0])).get(0)!;
      await t.exchange(new Map([[0, m.length > 4096 ? new Uint8Array(1) : m]]), []);
    }
  } catch {
    await t.close();
    scope.close();
  }
};
