/**
 * `deno task accuracy`: measures every function of the function library on 2 in-memory
 * parties (16 fractional bits, Z_2^64) and writes `bench/results/accuracy.json`,
 * `bench/results/accuracy.md` and one SVG plot of the error against x per function
 * (`bench/results/accuracy_<fn>.svg`).
 *
 * Flags: `--points N` (default 100000), `--only exp,gelu` (prefix match).
 * @module
 */
import { type AccuracyRecord, measureAccuracy } from "../protocols/functions/accuracy.ts";

const OUT = new URL("./results/", import.meta.url);

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = Deno.args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new TypeError(`--${name} needs a value`);
  return v;
}

/** Plots |error| against x as the max over bins, on a log scale. */
export function errorPlot(fn: string, xs: Float64Array, errs: Float64Array, bins = 400): string {
  const W = 640, H = 240, L = 60, B = 30, T = 24, R = 12;
  let lo = Infinity, hi = -Infinity;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const span = hi - lo || 1;
  const peak = new Float64Array(bins);
  for (let i = 0; i < xs.length; i++) {
    const b = Math.min(bins - 1, Math.floor(((xs[i] - lo) / span) * bins));
    peak[b] = Math.max(peak[b], Math.abs(errs[i]));
  }
  const floor = 1e-7;
  const top = Math.max(floor * 10, ...peak);
  const dLo = Math.floor(Math.log10(floor)), dHi = Math.ceil(Math.log10(top));
  const px = (b: number) => L + ((W - L - R) * (b + 0.5)) / bins;
  const py = (e: number) =>
    T + (H - T - B) * (1 - (Math.log10(Math.max(e, floor)) - dLo) / (dHi - dLo));
  const path = Array.from(peak, (e, b) => `${b ? "L" : "M"}${px(b).toFixed(1)},${py(e).toFixed(1)}`)
    .join("");
  const ticks: string[] = [];
  for (let d = dLo; d <= dHi; d++) {
    const y = py(10 ** d).toFixed(1);
    ticks.push(
      `<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">1e${d}</text>`,
    );
  }
  const esc = (s: string) => s.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="15" font-size="13">${esc(fn)}: max |error| per bin against x (log scale)</text>
${ticks.join("\n")}
<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.2"/>
<text x="${L}" y="${H - 8}">${lo.toPrecision(3)}</text>
<text x="${W - R}" y="${H - 8}" text-anchor="end">${hi.toPrecision(3)}</text>
</svg>
`;
}

function table(rows: AccuracyRecord[]): string {
  const f = (v: number | null) => (v === null ? "" : v.toExponential(1));
  const lines = [
    "# Function accuracy",
    "",
    "Written by `deno task accuracy` (bench/accuracy.ts): 2 in-memory parties, Z_2^64, 16",
    "fractional bits, outputs decoded exactly and compared with a float64 reference. Relative",
    "error is taken where |reference| >= 1/16 (below that, 16 fractional bits cannot hold a",
    "relative bound). Rounds and bytes are party 0's, per element.",
    "",
    "| fn | domain | inputs | points | max abs err | max rel err | CrypTen abs err | rounds | B/elem | plot |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.fn} | [${num(r.domain[0])}, ${num(r.domain[1])}] | ${r.inputs} | ${r.points} | ${
        f(r.max_abs_err)
      } | ${f(r.max_rel_err)} | ${f(r.crypten_max_abs_err)} | ${r.rounds} | ${
        r.bytes_per_elem.toFixed(1)
      } | [svg](${plotName(r.fn)}) |`,
    );
  }
  return lines.join("\n") + "\n";
}

const num = (v: number) => String(Number(v.toPrecision(3)));

function plotName(fn: string): string {
  return `accuracy_${fn.replace(/[^A-Za-z0-9]+/g, "_")}.svg`;
}

if (import.meta.main) {
  const points = Number(flag("points") ?? 100_000);
  if (!Number.isInteger(points) || points < 16) {
    throw new RangeError(`--points must be an integer >= 16, got ${flag("points")}`);
  }
  const only = flag("only")?.split(",");
  await Deno.mkdir(OUT, { recursive: true });
  const rows = await measureAccuracy({
    points,
    only,
    onErrors: (fn, xs, errs) => {
      Deno.writeTextFileSync(new URL(plotName(fn), OUT), errorPlot(fn, xs, errs));
      console.log(`${fn}: ${xs.length} points`);
    },
  });
  await Deno.writeTextFile(new URL("accuracy.json", OUT), JSON.stringify(rows, null, 2) + "\n");
  await Deno.writeTextFile(new URL("accuracy.md", OUT), table(rows));
  console.log(table(rows));
}
