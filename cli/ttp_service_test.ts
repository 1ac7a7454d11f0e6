import assert from "node:assert/strict";
import { createContext, semi2k } from "@sharetensor/protocols";
import { connectMesh, localCluster } from "./net_tcp.ts";
import { runTtpService } from "./ttp_service.ts";
import { ttpRemote } from "./ttp_client.ts";

Deno.test("ttp service: parties over TCP get seeds and corrections; two jobs in a row", async () => {
  const { cluster, keys } = localCluster(3, { ttp: true });
  const lines: string[] = [];
  const service = runTtpService({
    cluster,
    keyPair: keys[3],
    jobs: 2,
    log: (l) => lines.push(l),
  });
  for (let job = 0; job < 2; job++) {
    const out = await Promise.all([0, 1, 2].map(async (rank) => {
      const transport = await connectMesh(rank, { cluster, keyPair: keys[rank], withTtp: true });
      try {
        const ctx = await createContext({
          protocol: semi2k,
          dealer: ttpRemote(transport.ttp!),
          transport,
        });
        const x = await ctx.share(rank === 0 ? [1.5, 2, -3] : null, { from: 0, shape: [3] });
        const y = await ctx.share(rank === 2 ? [2, -0.5, 4] : null, { from: 2, shape: [3] });
        const z = await (await x.mul(y)).matmul(y.reshape([3, 1]));
        const v = await z.reveal();
        await ctx.flush();
        // A closing barrier: a peer's goodbye fails the transport, queued data or not.
        const peers = [0, 1, 2].filter((p) => p !== rank);
        await transport.exchange(new Map(peers.map((p) => [p, new Uint8Array(1)])), peers);
        return v;
      } finally {
        await transport.close();
      }
    }));
    for (const o of out) {
      assert.equal(o!.length, 1);
      assert.ok(Math.abs(o![0] - (3 * 2 + -1 * -0.5 + -12 * 4)) < 1e-3, String(o![0]));
    }
  }
  await service;
  assert.equal(lines.filter((l) => /^job \d: 1 session\(s\)/.test(l)).length, 2, lines.join("\n"));
});
