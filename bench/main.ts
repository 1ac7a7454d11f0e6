/**
 * `deno task bench`: runs the workloads of shared/WORKLOADS.md as real parties (one OS
 * process each, plus the TTP, TCP on 127.0.0.1, through `cli/main.ts launch`) and writes
 * `bench/results/latest.json`, `latest.md`, `speedups.svg` and a dated copy of the JSON
 * (`bench/results/YYYY-MM-DD.json`). A workload that fails is
 * reported and the suite goes on; one whose ops do not exist yet is listed as pending.
 *
 * Options: `--only W1,W3`, `--parties 2,3`, `--dealer ttp|tfp-unsafe`, `--device cpu`,
 * `--runs 7` (timed runs after one warm-up; the median is reported; V8 needs a few runs
 * to finish optimising, so the first runs are slower), `--insecure` (unencrypted links),
 * `--verbose` (the parties' logs), `--render` (rewrite latest.md and speedups.svg from latest.json, run nothing).
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./main.ts";
 * console.log(parseBenchArgs(["--only", "W1"]).only); // ["W1"]
 * ```
 * @module
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { launch } from "../cli/launch.ts";
import { progressBar } from "../cli/log.ts";
import { DEFAULT_SUITE } from "@sharetensor/net/tcp";
import { missingOps } from "./ops.ts";
import { type BenchRecord, mergeRecords, renderMarkdown, renderSpeedupSvg } from "./report.ts";
import { WORKLOADS } from "./workloads.ts";

/** Parsed command line of the bench. */
export interface BenchArgs {
  /** Workload ids (all when empty). */
  only: string[];
  /** Party counts. */
  parties: number[];
  /** Dealer. */
  dealer: "ttp" | "tfp-unsafe";
  /** Device. */
  device: string;
  /** Timed runs per workload. */
  runs: number;
  /** Unencrypted links. */
  insecure: boolean;
  /** Show the parties' logs. */
  verbose: boolean;
  /** Only re-render the report from latest.json. */
  render: boolean;
}

/**
 * Parses the bench's arguments; `RangeError` on a bad value.
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./main.ts";
 * console.log(parseBenchArgs(["--parties", "2,3"]).parties); // [2, 3]
 * ```
 */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    only: [],
    parties: [2],
    dealer: "ttp",
    device: "cpu",
    runs: 7,
    insecure: false,
    verbose: false,
    render: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new RangeError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--") continue;
    else if (flag === "--only") a.only = value().split(",").filter(Boolean);
    else if (flag === "--parties") a.parties = value().split(",").map(Number);
    else if (flag === "--dealer") a.dealer = value() as BenchArgs["dealer"];
    else if (flag === "--device") a.device = value();
    else if (flag === "--runs") a.runs = Number(value());
    else if (flag === "--insecure") a.insecure = true;
    else if (flag === "--verbose") a.verbose = true;
    else if (flag === "--render") a.render = true;
    else throw new RangeError(`unknown option ${flag}`);
  }
  if (a.parties.some((p) => !Number.isInteger(p) || p < 2)) {
    throw new RangeError(`--parties must be integers >= 2, got ${a.parties}`);
  }
  if (!["ttp", "tfp-unsafe"].includes(a.dealer)) {
    throw new RangeError(`--dealer must be ttp or tfp-unsafe, got ${a.dealer}`);
  }
  if (!["cpu", "webgpu"].includes(a.device)) {
    throw new RangeError(`--device must be cpu or webgpu, got ${a.device}`);
  }
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new RangeError(`--runs must be >= 1`);
  const known = new Set(WORKLOADS.map((w) => w.id.toLowerCase()));
  for (const id of a.only) {
    if (!known.has(id.toLowerCase())) throw new RangeError(`unknown workload ${id}`);
  }
  return a;
}

const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const JOB = fileURLToPath(new URL("./job.ts", import.meta.url));

async function runOne(
  id: string,
  parties: number,
  a: BenchArgs,
): Promise<Omit<BenchRecord, "id" | "parties" | "dealer" | "device">> {
  const out = await Deno.makeTempDir({ prefix: "sharetensor-bench-" });
  const errors: string[] = [];
  const capture = (tag: string, line: string) => {
    if (a.verbose) console.error(`[${tag}] ${line}`);
    if (/FAILED|error/i.test(line)) errors.push(`[${tag}] ${line}`);
  };
  try {
    const r = await launch({
      parties,
      jobs: [JOB],
      args: ["--id", id, "--runs", String(a.runs)],
      dealer: a.dealer,
      insecure: a.insecure,
      serveArgs: ["--device", a.device],
      outDir: out,
      timeoutS: 900,
      onStdout: a.verbose ? capture : () => {},
      onStderr: capture,
    });
    const path = `${out}/p0_0.json`;
    const text = await Deno.readTextFile(path).catch(() => null);
    if (r.code !== 0 || !text) {
      const why = errors.find((e) => e.startsWith("[p0]")) ?? errors[0] ?? `exit ${r.code}`;
      return { status: /pending:/.test(why) ? "pending" : "failed", error: why };
    }
    return { status: "ok", ...JSON.parse(text) };
  } finally {
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
}

/** Runs the suite for `argv` and writes the report files. */
export async function bench(argv: string[]): Promise<BenchRecord[]> {
  const a = parseBenchArgs(argv);
  const chosen = WORKLOADS.filter((w) =>
    a.only.length === 0 || a.only.some((o) => o.toLowerCase() === w.id.toLowerCase())
  );
  const machine = `${os.cpus()[0]?.model ?? "?"} x${os.cpus().length}, ${
    (os.totalmem() / 2 ** 30).toFixed(0)
  } GiB`;
  const links = a.insecure ? "insecure" : DEFAULT_SUITE;
  const fresh: BenchRecord[] = [];
  if (a.render) return await writeReport(fresh);
  const bar = progressBar(chosen.length * a.parties.length, "bench", Deno.stdout.isTerminal());
  for (const w of chosen) {
    const missing = await missingOps(w.ops);
    for (const parties of a.parties) {
      const base = { id: w.id, parties, dealer: a.dealer, device: a.device, title: w.title };
      const crypten = w.crypten[parties] ?? null;
      let rec: BenchRecord;
      if (missing.length > 0) {
        rec = { ...base, status: "pending", error: `no ${missing.join(", ")} in this build` };
      } else {
        const load_avg = os.loadavg()[0];
        const m = await runOne(w.id, parties, a);
        const date = new Date().toISOString();
        rec = { ...base, ...m, id: w.id, crypten, links, machine, date, load_avg };
        if (rec.status === "ok") {
          rec.speedup_vs_crypten = crypten ? crypten.online_s / rec.online_s! : null;
        }
      }
      fresh.push(rec);
      bar.increment();
      const fig = rec.status === "ok"
        ? `${rec.online_s!.toFixed(3)} s online, ${
          rec.mb_sent_p0!.toFixed(2)
        } MB, ${rec.rounds} rounds, err ${rec.max_abs_err!.toExponential(1)}${
          rec.speedup_vs_crypten ? `, ${rec.speedup_vs_crypten.toFixed(2)}x CrypTen` : ""
        }`
        : `${rec.status}: ${rec.error}`;
      console.log(`${w.id} ${parties}p ${a.dealer}: ${fig}`);
    }
  }
  bar.stop();
  return await writeReport(fresh);
}

/** Merges `fresh` into latest.json and rewrites latest.md and speedups.svg. */
async function writeReport(fresh: BenchRecord[]): Promise<BenchRecord[]> {
  await Deno.mkdir(RESULTS, { recursive: true });
  const old = JSON.parse(
    await Deno.readTextFile(`${RESULTS}latest.json`).catch(() => "[]"),
  ) as BenchRecord[];
  const all = mergeRecords(old, fresh);
  await Deno.writeTextFile(`${RESULTS}latest.json`, JSON.stringify(all, null, 2) + "\n");
  await Deno.writeTextFile(`${RESULTS}latest.md`, renderMarkdown(all));
  await Deno.writeTextFile(`${RESULTS}speedups.svg`, renderSpeedupSvg(all));
  let dated = "";
  if (fresh.length > 0) {
    // A dated copy per day keeps the history: progress is read by comparing these files.
    dated = `${new Date().toISOString().slice(0, 10)}.json`;
    await Deno.writeTextFile(`${RESULTS}${dated}`, JSON.stringify(all, null, 2) + "\n");
  }
  console.log(`wrote ${RESULTS}latest.json, latest.md, speedups.svg${dated ? `, ${dated}` : ""}`);
  return fresh;
}

if (import.meta.main) {
  try {
    const recs = await bench(Deno.args);
    Deno.exit(recs.some((r) => r.status === "failed") ? 1 : 0);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
