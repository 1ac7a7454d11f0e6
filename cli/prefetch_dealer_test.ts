import assert from "node:assert/strict";
import { createContext, semi2k, ttp } from "@sharetensor/protocols";
import { memoryNetwork } from "@sharetensor/net/memory";
import { CallLog, prefetchingDealer } from "./prefetch_dealer.ts";

Deno.test("prefetching dealer: a fresh context replays recorded calls from memory, same result", async () => {
  const inner = ttp();
  let innerCalls = 0;
  const counting = {
    name: inner.name,
    async connect(info: Parameters<typeof inner.connect>[0]) {
      const s = await inner.connect(info);
      return new Proxy(s, {
        get(t, p) {
          const v = Reflect.get(t, p);
          return typeof v === "function" ? (...a: unknown[]) => (innerCalls++, v.apply(t, a)) : v;
        },
      });
    },
  };
  const dealer = [prefetchingDealer(counting), prefetchingDealer(counting)];
  const transports = memoryNetwork(2);
  const program = async (rank: number, plan: { record?: CallLog; prefetch?: CallLog }) => {
    let offline = -1;
    dealer[rank].plan({ ...plan, onOffline: (s) => offline = s });
    const ctx = await createContext({
      protocol: semi2k,
      dealer: dealer[rank],
      transport: transports[rank],
    });
    const x = await ctx.share(rank === 0 ? [1.5, -2] : null, { from: 0, shape: [2] });
    const y = await ctx.share(rank === 1 ? [4, 0.25] : null, { from: 1, shape: [2] });
    const before = innerCalls;
    const z = await (await x.mul(y)).mul(x);
    return { value: await z.reveal(), calls: innerCalls - before, offline };
  };
  const logs = [new CallLog(), new CallLog()];
  const first = await Promise.all([0, 1].map((r) => program(r, { record: logs[r] })));
  assert.ok(logs[0].length >= 2, `recorded ${logs[0].length} calls`);
  assert.ok(first[0].calls > 0);
  const again = await Promise.all([0, 1].map((r) => program(r, { prefetch: logs[r] })));
  assert.deepEqual([...again[0].value!], [...first[0].value!]);
  assert.equal(again[0].calls + again[1].calls, 0, "the online phase called the dealer");
  assert.ok(again[0].offline >= 0);
  await Promise.all(transports.map((t) => t.close()));
});
