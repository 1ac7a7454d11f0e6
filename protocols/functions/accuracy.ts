/**
 * Accuracy report of the function library: each function on its documented domain (a
 * dense grid, one 2-party protocol run per function, in-memory transport, `tfpUnsafe`
 * dealer), decoded exactly and compared with a float64 reference. For the lead's
 * `deno task accuracy`, which writes `bench/results/accuracy.json`.
 *
 * `max_rel_err` is taken over the points where |reference| >= 1/16 (below that a 16-bit
 * output has too few significant bits for a relative figure); `max_abs_err` over all.
 * `crypten_max_abs_err` is CrypTen's figure on the same workload where WORKLOADS.md has one.
 *
 * @example
 * ```ts
 * import { measureAccuracy } from "./accuracy.ts";
 * const rows = await measureAccuracy({ points: 1000, only: ["exp"] });
 * console.log(rows[0].fn, rows[0].max_abs_err < 0.01); // exp true
 * ```
 * @module
 */
import type { Context } from "../runtime/context.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import { erf, erfFloat } from "./erf.ts";
import { exp } from "./exp.ts";
import { gelu, geluFloat } from "./gelu.ts";
import { layerNorm } from "./layer_norm.ts";
import { log } from "./log.ts";
import { reciprocal } from "./reciprocal.ts";
import { sigmoid, sigmoidFloat } from "./sigmoid.ts";
import { silu } from "./silu.ts";
import { softmax } from "./softmax.ts";
import { softplus, softplusFloat } from "./softplus.ts";
import { invSqrt, sqrt } from "./sqrt.ts";
import { tanh } from "./tanh.ts";
import { cos, sin } from "./trig.ts";
import { grid, run2, uniform } from "./test_util.ts";

/** One row of the report. */
export interface AccuracyRecord {
  /** Function (and workload id where it is one). */
  fn: string;
  /** Input domain [lo, hi]. */
  domain: [number, number];
  /** How the inputs were drawn. */
  inputs: "grid" | "log-grid" | "uniform" | "normal rows";
  /** Number of points. */
  points: number;
  /** max |mpc - ref|. */
  max_abs_err: number;
  /** max |mpc - ref| / |ref| over |ref| >= 1/16. */
  max_rel_err: number;
  /** CrypTen's max abs error on the same workload, where known. */
  crypten_max_abs_err: number | null;
  /** Rounds of party 0 (2 parties). */
  rounds: number;
  /** Payload bytes per element sent by party 0. */
  bytes_per_elem: number;
}

/** Options of {@linkcode measureAccuracy}. */
export interface AccuracyOptions {
  /** Points per elementwise function (default 100,000). */
  points?: number;
  /** Only these `fn` names (prefix match). */
  only?: string[];
  /** Called per function with the inputs and the signed errors (mpc - ref), for plots. */
  onErrors?: (fn: string, inputs: Float64Array, errors: Float64Array) => void;
}

type Fn = (x: SecretTensor, ctx: Context) => Promise<SecretTensor>;
interface Case {
  fn: string;
  domain: [number, number];
  inputs: AccuracyRecord["inputs"];
  f: Fn;
  ref: (x: Float64Array) => Float64Array;
  crypten: number | null;
  shape?: (n: number) => number[];
  draw?: (n: number) => Float64Array;
}

const ew = (g: (v: number) => number) => (x: Float64Array) => x.map(g);

function softmaxRows(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    const row = x.subarray(r * n, (r + 1) * n);
    const m = Math.max(...row);
    let s = 0;
    for (const v of row) s += Math.exp(v - m);
    for (let i = 0; i < n; i++) out[r * n + i] = Math.exp(row[i] - m) / s;
  }
  return out;
}

function layerNormRows(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    const row = x.subarray(r * n, (r + 1) * n);
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const v = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    for (let i = 0; i < n; i++) out[r * n + i] = (row[i] - mean) / Math.sqrt(v + 1e-5);
  }
  return out;
}

function normalRows(rows: number, n: number): Float64Array {
  const u = uniform(0, 1, rows * n * 2 + 2 * rows, 3);
  const xs = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const m = -2 + 4 * u[2 * rows * n + r];
    const s = 0.5 + 3.5 * u[2 * rows * n + rows + r];
    for (let i = 0; i < n; i++) {
      const k = r * n + i;
      xs[k] = m +
        s * Math.sqrt(-2 * Math.log(u[2 * k] + 1e-12)) * Math.cos(2 * Math.PI * u[2 * k + 1]);
    }
  }
  return xs;
}

const logGrid = (lo: number, hi: number) => (n: number) =>
  Float64Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
const pmGrid = (lo: number, hi: number) => (n: number) => {
  const g = grid(lo, hi, n >> 1);
  return Float64Array.from([...g, ...g.map((v) => -v)]);
};

const CASES: Case[] = [
  {
    fn: "exp",
    domain: [-16, 8],
    inputs: "grid",
    f: (x) => exp(x),
    ref: ew(Math.exp),
    crypten: null,
  },
  {
    fn: "exp W4",
    domain: [-4, 4],
    inputs: "uniform",
    f: (x) => exp(x),
    ref: ew(Math.exp),
    crypten: 1.94,
    draw: (n) => uniform(-4, 4, n, 4),
  },
  {
    fn: "reciprocal W4b",
    domain: [0.5, 50],
    inputs: "grid",
    f: (x) => reciprocal(x),
    ref: ew((v) => 1 / v),
    crypten: 7.6e-4,
    draw: pmGrid(0.5, 50),
  },
  {
    fn: "reciprocal",
    domain: [0.01, 1e4],
    inputs: "log-grid",
    f: (x) => reciprocal(x),
    ref: ew((v) => 1 / v),
    crypten: null,
    draw: logGrid(0.01, 1e4),
  },
  {
    fn: "invSqrt",
    domain: [0.01, 1e4],
    inputs: "log-grid",
    f: (x) => invSqrt(x),
    ref: ew((v) => 1 / Math.sqrt(v)),
    crypten: null,
    draw: logGrid(0.01, 1e4),
  },
  {
    fn: "sqrt",
    domain: [0.01, 1e4],
    inputs: "log-grid",
    f: (x) => sqrt(x),
    ref: ew(Math.sqrt),
    crypten: null,
    draw: logGrid(0.01, 1e4),
  },
  {
    fn: "log",
    domain: [0.01, 1e4],
    inputs: "log-grid",
    f: (x) => log(x),
    ref: ew(Math.log),
    crypten: null,
    draw: logGrid(0.01, 1e4),
  },
  {
    fn: "sigmoid",
    domain: [-16, 16],
    inputs: "grid",
    f: (x) => sigmoid(x),
    ref: ew(sigmoidFloat),
    crypten: null,
  },
  {
    fn: "tanh",
    domain: [-16, 16],
    inputs: "grid",
    f: (x) => tanh(x),
    ref: ew(Math.tanh),
    crypten: null,
  },
  {
    fn: "erf",
    domain: [-6, 6],
    inputs: "grid",
    f: (x) => erf(x),
    ref: ew(erfFloat),
    crypten: null,
  },
  {
    fn: "gelu",
    domain: [-8, 8],
    inputs: "grid",
    f: (x) => gelu(x),
    ref: ew(geluFloat),
    crypten: null,
  },
  {
    fn: "gelu W6",
    domain: [-Infinity, Infinity],
    inputs: "uniform",
    f: (x) => gelu(x),
    ref: ew(geluFloat),
    crypten: 1.9e-2,
    draw: (n) => {
      const u = uniform(0, 1, 2 * n, 6);
      return Float64Array.from(
        { length: n },
        (_, i) => Math.sqrt(-2 * Math.log(u[2 * i] + 1e-12)) * Math.cos(2 * Math.PI * u[2 * i + 1]),
      );
    },
  },
  {
    fn: "silu",
    domain: [-16, 16],
    inputs: "grid",
    f: (x) => silu(x),
    ref: ew((v) => v * sigmoidFloat(v)),
    crypten: null,
  },
  {
    fn: "softplus",
    domain: [-16, 16],
    inputs: "grid",
    f: (x) => softplus(x),
    ref: ew(softplusFloat),
    crypten: null,
  },
  {
    fn: "softmax W5",
    domain: [-4, 4],
    inputs: "uniform",
    f: (x) => softmax(x),
    ref: (x) => softmaxRows(x, 128),
    crypten: 7.7e-4,
    shape: (n) => [n / 128, 128],
    draw: (n) => uniform(-4, 4, Math.max(128, n - (n % 128)), 5),
  },
  {
    fn: "layerNorm W7",
    domain: [-Infinity, Infinity],
    inputs: "normal rows",
    f: (x) => layerNorm(x),
    ref: (x) => layerNormRows(x, 768),
    crypten: 1.4e-2,
    shape: (n) => [n / 768, 768],
    draw: (n) => normalRows(Math.max(1, Math.floor(n / 768)), 768),
  },
  {
    fn: "cos",
    domain: [-100, 100],
    inputs: "grid",
    f: (x) => cos(x),
    ref: ew(Math.cos),
    crypten: null,
  },
  {
    fn: "sin",
    domain: [-100, 100],
    inputs: "grid",
    f: (x) => sin(x),
    ref: ew(Math.sin),
    crypten: null,
  },
];

/** Measures every function (or `only` those) and returns the report rows. */
export async function measureAccuracy(opts: AccuracyOptions = {}): Promise<AccuracyRecord[]> {
  const points = opts.points ?? 100_000;
  const rows: AccuracyRecord[] = [];
  for (const c of CASES) {
    if (opts.only && !opts.only.some((p) => c.fn.startsWith(p))) continue;
    const xs = c.draw ? c.draw(points) : grid(c.domain[0], c.domain[1], points);
    const r = await run2(xs, c.f, c.shape ? c.shape(xs.length) : [xs.length]);
    const ref = c.ref(r.input);
    let abs = 0;
    let rel = 0;
    const errs = new Float64Array(ref.length);
    for (let i = 0; i < ref.length; i++) {
      errs[i] = r.out[i] - ref[i];
      const e = Math.abs(errs[i]);
      abs = Math.max(abs, e);
      if (Math.abs(ref[i]) >= 1 / 16) rel = Math.max(rel, e / Math.abs(ref[i]));
    }
    opts.onErrors?.(c.fn, r.input, errs);
    const lo = c.inputs === "grid" || c.inputs === "log-grid"
      ? c.domain
      : [Math.min(...r.input), Math.max(...r.input)];
    rows.push({
      fn: c.fn,
      domain: [lo[0], lo[1]],
      inputs: c.inputs,
      points: xs.length,
      max_abs_err: abs,
      max_rel_err: rel,
      crypten_max_abs_err: c.crypten,
      rounds: r.rounds,
      bytes_per_elem: r.bytes / xs.length,
    });
  }
  return rows;
}
