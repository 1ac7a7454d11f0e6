import assert from "node:assert/strict";
import { type BenchRecord, mergeRecords, renderMarkdown, renderSpeedupSvg } from "./report.ts";
import { parseBenchArgs } from "./main.ts";
import { WORKLOADS } from "./workloads.ts";

const rec = (id: string, parties: number, extra: Partial<BenchRecord> = {}): BenchRecord => ({
  id,
  parties,
  dealer: "ttp",
  device: "cpu",
  status: "ok",
  online_s: 0.5,
  crypten: { online_s: 1, mb_sent_p0: 2, rounds: 3, max_abs_err: 1e-4 },
  speedup_vs_crypten: 2,
  ...extra,
});

Deno.test("bench report: a partial run replaces only its own records, in workload order", () => {
  const old = [rec("W3", 2, { online_s: 9 }), rec("W12", 2), rec("W1", 2), rec("W1", 3)];
  const merged = mergeRecords(old, [rec("W3", 2, { online_s: 1 }), rec("W2a", 2)]);
  assert.deepEqual(merged.map((r) => `${r.id}/${r.parties}`), [
    "W1/2",
    "W1/3",
    "W2a/2",
    "W3/2",
    "W12/2",
  ]);
  assert.equal(merged.find((r) => r.id === "W3")!.online_s, 1);
});

Deno.test("bench report: an unencrypted run never replaces the encrypted record", () => {
  const enc = rec("W1", 2, { links: "chacha20-hmac-sha256", online_s: 0.3 });
  const merged = mergeRecords([enc], [rec("W1", 2, { links: "insecure", online_s: 0.1 })]);
  assert.deepEqual(merged.map((r) => r.online_s).sort(), [0.1, 0.3]);
  assert.match(renderMarkdown(merged), /\| W1 \| 2 \| ttp \(insecure\) \|/);
});

Deno.test("bench report: markdown has our and CrypTen's figures; pending ones are listed", () => {
  const md = renderMarkdown([
    rec("W1", 2),
    rec("W5", 2, { status: "pending", error: "no softmax in this build" }),
  ]);
  assert.match(md, /\| W1 \| 2 \| ttp \| cpu \| 0\.5 \| 1 \| 2x \|/);
  assert.match(md, /\| W5 \| 2 \| ttp \| pending \| no softmax in this build \|/);
  const svg = renderSpeedupSvg([rec("W1", 2), rec("W3", 2, { speedup_vs_crypten: 0.25 })]);
  assert.equal((svg.match(/<rect /g) ?? []).length, 2);
  assert.match(svg, /0\.25x/);
});

Deno.test("bench args: defaults, subsets and bad values", () => {
  const a = parseBenchArgs([]);
  assert.deepEqual([a.parties, a.dealer, a.device, a.runs], [[2], "ttp", "cpu", 7]);
  assert.deepEqual(parseBenchArgs(["--only", "w1,W3", "--parties=2,3"]).parties, [2, 3]);
  assert.throws(() => parseBenchArgs(["--only", "W99"]), RangeError);
  assert.throws(() => parseBenchArgs(["--parties", "1"]), RangeError);
  assert.throws(() => parseBenchArgs(["--runs", "0"]), RangeError);
});

Deno.test("bench workloads: references are right on a known case", () => {
  const w1 = WORKLOADS.find((w) => w.id === "W1")!;
  assert.deepEqual([...w1.reference([new Float64Array([2, -3]), new Float64Array([4, 5])])[0]], [
    8,
    -15,
  ]);
  const w6 = WORKLOADS.find((w) => w.id === "W6")!;
  const [g] = w6.reference([new Float64Array([0, 1, -3])]);
  assert.ok(Math.abs(g[1] - 0.8413447460685429) < 1e-12, String(g[1]));
  assert.ok(Math.abs(g[2] - -0.0040496940948903) < 1e-12, String(g[2]));
  const w12 = WORKLOADS.find((w) => w.id === "W12")!;
  const x = new Float64Array(128 * 1000);
  x[5] = 2;
  const [max, hot] = w12.reference([x]);
  assert.equal(max[0], 2);
  assert.equal(hot[5], 1);
  assert.equal(hot.reduce((s, v) => s + v, 0), 128);
});
