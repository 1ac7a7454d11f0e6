/**
 * The benchmark report: records keyed by workload, party count, dealer and device,
 * merged into `bench/results/latest.json` (a partial run replaces only what it ran),
 * and rendered as `latest.md` (our figures beside CrypTen's) and `speedups.svg`.
 *
 * @example
 * ```ts
 * import { mergeRecords } from "./report.ts";
 * const a = { id: "W1", parties: 2, dealer: "ttp", device: "cpu", status: "ok" as const };
 * console.log(mergeRecords([a], [{ ...a, online_s: 1 }])[0].online_s); // 1
 * ```
 * @module
 */
import type { CryptenFigures } from "./workloads.ts";

/** One line of latest.json. */
export interface BenchRecord {
  /** Workload id. */
  id: string;
  /** Number of computing parties. */
  parties: number;
  /** "ttp" or "tfp-unsafe". */
  dealer: string;
  /** "cpu", ... */
  device: string;
  /** "ok", "failed" or "pending" (the ops it needs do not exist yet). */
  status: "ok" | "failed" | "pending";
  /** Workload title. */
  title?: string;
  /** Median online seconds. */
  online_s?: number;
  /** Median offline seconds (correlations of one run). */
  offline_s?: number;
  /** MB party 0 wrote to its sockets (frames included). */
  mb_sent_p0?: number;
  /** MB of protocol payload party 0 sent. */
  mb_payload_p0?: number;
  /** Rounds of party 0. */
  rounds?: number;
  /** Max abs error vs the float64 reference. */
  max_abs_err?: number;
  /** Max error relative to max(|ref|, 1). */
  max_rel_err?: number;
  /** Seconds of the float64 plaintext reference. */
  plaintext_s?: number;
  /** Every timed run. */
  runs?: number[];
  /** CrypTen's figures for the same workload and party count, if published. */
  crypten?: CryptenFigures | null;
  /** CrypTen online seconds / ours (> 1: we are faster). */
  speedup_vs_crypten?: number | null;
  /** Link encryption ("chacha20-hmac-sha256" or "insecure"). */
  links?: string;
  /** Why it failed or is pending. */
  error?: string;
  /** When it was measured (ISO). */
  date?: string;
  /** Machine: CPU model and core count. */
  machine?: string;
  /** The machine's 1-minute load average when the workload started (others' work). */
  load_avg?: number;
}

// Unencrypted runs are their own records: they must never replace an encrypted figure.
const key = (r: BenchRecord) =>
  `${r.id}|${r.parties}|${r.dealer}|${r.device}${r.links === "insecure" ? "|insecure" : ""}`;
const dealerCell = (r: BenchRecord) => r.links === "insecure" ? `${r.dealer} (insecure)` : r.dealer;

/**
 * `old` with every record of `fresh` put in (replacing the one with the same key), in
 * workload order.
 *
 * @example
 * ```ts
 * import { mergeRecords } from "./report.ts";
 * console.log(mergeRecords([], []).length); // 0
 * ```
 */
export function mergeRecords(old: BenchRecord[], fresh: BenchRecord[]): BenchRecord[] {
  const m = new Map(old.map((r) => [key(r), r]));
  for (const r of fresh) m.set(key(r), r);
  const num = (id: string) => Number(id.replace(/\D/g, "")) + (/[a-z]$/.test(id) ? 0.5 : 0);
  return [...m.values()].sort((a, b) =>
    num(a.id) - num(b.id) || a.id.localeCompare(b.id) || a.parties - b.parties ||
    a.dealer.localeCompare(b.dealer) || a.device.localeCompare(b.device)
  );
}

const fmt = (v: number | null | undefined, digits = 3) =>
  v === undefined || v === null
    ? "–"
    : Math.abs(v) >= 1e4
    ? v.toExponential(1)
    : Math.abs(v) >= 1000
    ? v.toFixed(0)
    : Math.abs(v) < 1e-2 && v !== 0
    ? v.toExponential(1)
    : Number(v.toPrecision(digits)).toString();

/**
 * The markdown report.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./report.ts";
 * console.log(renderMarkdown([]).startsWith("# sharetensor benchmarks")); // true
 * ```
 */
export function renderMarkdown(records: BenchRecord[]): string {
  const ok = records.filter((r) => r.status === "ok");
  const lines = [
    "# sharetensor benchmarks",
    "",
    "Written by `deno task bench` (bench/main.ts). Every party is its own OS process on",
    "127.0.0.1 (TCP, one thread each), plus the TTP process for the `ttp` dealer. Online time",
    "is the median of the timed runs after a warm-up, between two barriers; the run's",
    "correlations are made before the timer (offline). MB is what party 0 wrote to its",
    "sockets during the timed run, frames included. Errors are against a float64 reference.",
    "CrypTen's figures are from shared/WORKLOADS.md (same machine kind).",
    "",
    "![speedups](speedups.svg)",
    "",
    "| id | parties | dealer | device | online s | CrypTen s | speedup | MB P0 | CrypTen MB | rounds | CrypTen rounds | max abs err | CrypTen err | offline s | plaintext s |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of ok) {
    const c = r.crypten;
    lines.push(
      `| ${r.id} | ${r.parties} | ${dealerCell(r)} | ${r.device} | ${fmt(r.online_s)} | ${
        fmt(c?.online_s)
      } | ${r.speedup_vs_crypten ? fmt(r.speedup_vs_crypten, 2) + "x" : "–"} | ${
        fmt(r.mb_sent_p0)
      } | ${fmt(c?.mb_sent_p0)} | ${r.rounds ?? "–"} | ${c?.rounds ?? "–"} | ${
        fmt(r.max_abs_err, 2)
      } | ${fmt(c?.max_abs_err, 2)} | ${fmt(r.offline_s)} | ${fmt(r.plaintext_s)} |`,
    );
  }
  const other = records.filter((r) => r.status !== "ok");
  if (other.length > 0) {
    lines.push(
      "",
      "## Not measured",
      "",
      "| id | parties | dealer | status | why |",
      "|---|---|---|---|---|",
    );
    for (const r of other) {
      const why = (r.error ?? "").replace(/\|/g, "/").replace(/\s+/g, " ").slice(0, 160);
      lines.push(`| ${r.id} | ${r.parties} | ${r.dealer} | ${r.status} | ${why} |`);
    }
  }
  const when = ok.map((r) => r.date).filter(Boolean).sort().at(-1);
  const machine = ok.find((r) => r.machine)?.machine;
  if (when || machine) lines.push("", `Last measured ${when ?? "?"} on ${machine ?? "?"}.`);
  const loads = ok.map((r) => r.load_avg).filter((v): v is number => v !== undefined);
  if (loads.length > 0) {
    lines.push(
      `Load average when the workloads started: ${Math.min(...loads).toFixed(1)} to ${
        Math.max(...loads).toFixed(1)
      } (other processes share the cores; figures are slower than on an idle machine).`,
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * An SVG bar chart of the speedups over CrypTen (log scale, 1x marked).
 *
 * @example
 * ```ts
 * import { renderSpeedupSvg } from "./report.ts";
 * console.log(renderSpeedupSvg([]).startsWith("<svg")); // true
 * ```
 */
export function renderSpeedupSvg(records: BenchRecord[]): string {
  const rows = records.filter((r) => r.status === "ok" && r.speedup_vs_crypten);
  const w = 640, left = 150, barH = 18, gap = 6, top = 30;
  const h = top + rows.length * (barH + gap) + 30;
  const logs = rows.map((r) => Math.log10(r.speedup_vs_crypten!));
  const lo = Math.min(-1, ...logs.map(Math.floor)), hi = Math.max(1, ...logs.map(Math.ceil));
  const x = (l: number) => left + ((l - lo) / (hi - lo)) * (w - left - 20);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<text x="${
      w / 2
    }" y="16" text-anchor="middle" font-weight="bold">Speedup over CrypTen (online time, log scale)</text>`,
  ];
  for (let t = lo; t <= hi; t++) {
    parts.push(
      `<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${h - 24}" stroke="${
        t === 0 ? "#000" : "#ddd"
      }"/>`,
      `<text x="${x(t)}" y="${h - 10}" text-anchor="middle">${10 ** t}x</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const l = logs[i];
    const [a, b] = l >= 0 ? [x(0), x(l)] : [x(l), x(0)];
    parts.push(
      `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${
        esc(`${r.id} ${r.parties}p ${r.dealer}`)
      }</text>`,
      `<rect x="${a}" y="${y}" width="${Math.max(1, b - a)}" height="${barH}" fill="${
        l >= 0 ? "#2a9d8f" : "#e76f51"
      }"/>`,
      `<text x="${l >= 0 ? b + 4 : a - 4}" y="${y + 13}" text-anchor="${
        l >= 0 ? "start" : "end"
      }">${fmt(r.speedup_vs_crypten, 2)}x</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
