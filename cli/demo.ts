/**
 * The demo: what a new user sees first. Three parties compute a small private inference in
 * one process (each party its own Context over the in-memory transport), then two parties
 * and the trusted dealer run as separate processes over encrypted TCP.
 * @module
 */
import { runParties } from "@sharetensor/protocols";
import { softmax } from "@sharetensor/protocols/functions";
import { launch } from "./launch.ts";

/** Party 0's private input: 2 samples of 4 features. */
const X = [0.5, -1.25, 2, 0.75, -0.5, 1.5, 0.25, -2];
/** Party 1's private model: a 4 x 3 linear layer. */
const W = [0.2, -0.4, 0.9, 1.1, 0.3, -0.7, -0.5, 0.8, 0.1, 0.6, -0.2, 0.4];

function plaintext(): number[] {
  const out: number[] = [];
  for (let r = 0; r < 2; r++) {
    const z = [0, 1, 2].map((j) =>
      Math.max(0, [0, 1, 2, 3].reduce((s, k) => s + X[r * 4 + k] * W[k * 3 + j], 0))
    );
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

/** Runs the demo, printing to stdout. Returns the process exit code. */
export async function demo(): Promise<number> {
  console.log("1) three parties in one process (in-memory transport, trusted dealer):");
  console.log(
    "   party 0 owns x [2,4], party 1 owns W [4,3]; only party 0 learns softmax(relu(x @ W))",
  );
  const results = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? X : null, { from: 0, shape: [2, 4] });
    const w = await ctx.share(ctx.rank === 1 ? W : null, { from: 1, shape: [4, 3] });
    const y = await softmax(await (await x.matmul(w)).relu(), { dim: -1 });
    const out = await y.reveal({ to: 0 });
    await ctx.flush();
    return { out, stats: ctx.stats() };
  }, { dealer: "ttp" });
  const got = Array.from(results[0].out!);
  const want = plaintext();
  const err = Math.max(...got.map((v, i) => Math.abs(v - want[i])));
  console.log("   party 0 learns:", got.map((v) => v.toFixed(4)).join(" "));
  console.log("   plaintext     :", want.map((v) => v.toFixed(4)).join(" "));
  console.log(`   max abs error ${err.toExponential(1)}; parties 1 and 2 learn nothing (null)`);
  for (const [i, r] of results.entries()) {
    console.log(`   party ${i}: sent ${r.stats.bytesSent} B in ${r.stats.rounds} rounds`);
  }
  console.log("\n2) two parties and the TTP as separate processes over encrypted TCP (job hello):");
  const res = await launch({
    parties: 2,
    jobs: ["hello"],
    onStdout: (tag, line) => console.log(`   [${tag}] ${line}`),
    onStderr: (_tag, line) => console.log(`   ${line}`),
  });
  console.log(res.code === 0 ? "demo done." : `demo failed (party ${res.firstFailure})`);
  return res.code;
}
