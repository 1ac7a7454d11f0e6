/**
 * Micro benchmarks of the binary building blocks over 2 in-memory parties (both in this
 * process), ring 64, ttp dealer. Run: `deno bench -A protocols/kernels/binary_bench.ts`.
 */
import { memoryNetwork } from "@sharetensor/net/memory";
import { createContext } from "../runtime/context.ts";
import { ttp } from "../dealers/ttp.ts";
import { semi2k } from "../semi2k.ts";

const dealer = ttp();
const ctxs = await Promise.all(
  memoryNetwork(2).map((transport) => createContext({ protocol: semi2k, dealer, transport })),
);
const words = Array.from({ length: 65536 }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
const xs = await Promise.all(
  ctxs.map((c) =>
    c.share(c.rank === 0 ? words : null, { from: 0, shape: [65536], kind: "binary" })
  ),
);

Deno.bench("and_bb 64k words", { group: "binary", baseline: true }, async () => {
  await Promise.all(ctxs.map((_, i) => xs[i].and(xs[i].shl(1))));
});
Deno.bench("b2a_bit 64k bits", { group: "binary" }, async () => {
  await Promise.all(ctxs.map((_, i) => xs[i].bit(7).toArithmetic()));
});
Deno.bench("xor + shr + not 64k words (local)", { group: "binary" }, () => {
  for (const x of xs) x.xor(x.shr(3)).not();
});
