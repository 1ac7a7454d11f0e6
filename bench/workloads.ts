/**
 * The workloads of shared/WORKLOADS.md: inputs (who holds what, seeded), the secure
 * computation, the float64 plaintext reference, and CrypTen's figures.
 *
 * @example
 * ```ts
 * import { WORKLOADS } from "./workloads.ts";
 * console.log(WORKLOADS.map((w) => w.id).includes("W1")); // true
 * ```
 * @module
 */
import type { SecretTensor } from "@sharetensor/protocols";
import { normal, uniform } from "../cli/jobs/inputs.ts";
import type { SecureOp } from "./ops.ts";

/** CrypTen's figures for one workload and party count. */
export interface CryptenFigures {
  /** Online seconds. */
  online_s: number;
  /** MB sent by party 0. */
  mb_sent_p0: number;
  /** Rounds. */
  rounds: number;
  /** Max abs error (null where CrypTen's is not a number). */
  max_abs_err: number | null;
}

/** One input: who holds it, its shape, and how to draw it. */
export interface InputSpec {
  /** Owner rank. */
  from: number;
  /** Shape. */
  shape: number[];
  /** Seeded values. */
  draw(): Float64Array;
}

/** A workload. */
export interface Workload {
  /** Id, e.g. "W3". */
  id: string;
  /** One line. */
  title: string;
  /** Inputs in sharing order. */
  inputs: InputSpec[];
  /** Secure ops it needs beyond mul/matmul. */
  ops: string[];
  /** The secure computation; returns the outputs to open. */
  compute(xs: SecretTensor[], op: Record<string, SecureOp>): Promise<SecretTensor[]>;
  /** Float64 reference of the outputs. */
  reference(xs: Float64Array[]): Float64Array[];
  /** CrypTen's figures by party count. */
  crypten: Record<number, CryptenFigures>;
}

const cf = (online_s: number, mb: number, rounds: number, err: number | null): CryptenFigures => ({
  online_s,
  mb_sent_p0: mb,
  rounds,
  max_abs_err: err,
});
const n = (s: number[]) => s.reduce((a, b) => a * b, 1);
const map = (x: Float64Array, f: (v: number) => number) => x.map(f);
const seed = (id: string, i: number) => [...id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) + i;

function matmulRef(a: Float64Array, b: Float64Array, m: number, k: number, p: number) {
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t];
      for (let j = 0; j < p; j++) out[i * p + j] += v * b[t * p + j];
    }
  }
  return out;
}

function rowsRef(x: Float64Array, len: number, f: (row: Float64Array) => Float64Array) {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += len) out.set(f(x.subarray(i, i + len)), i);
  return out;
}

/** erf in float64: Taylor series below 2.5, continued fraction above (~1e-14). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = x, term = x;
    for (let k = 1; k < 80; k++) {
      term *= -x * x / k;
      sum += term / (2 * k + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let k = 60; k >= 1; k--) f = (k / 2) / (ax + f);
  const v = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x < 0 ? -v : v;
}

const u = (id: string, i: number, from: number, shape: number[], lo: number, hi: number) => ({
  from,
  shape,
  draw: () => uniform(seed(id, i), n(shape), lo, hi),
});
const g = (id: string, i: number, from: number, shape: number[]) => ({
  from,
  shape,
  draw: () => normal(seed(id, i), n(shape)),
});
const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
const softmaxRow = (r: Float64Array) => {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** Every workload of the comparison, in WORKLOADS.md order. */
export const WORKLOADS: Workload[] = [
  {
    id: "W1",
    title: "elementwise mul [1000,1000]",
    inputs: [u("W1", 0, 0, [1000, 1000], -4, 4), u("W1", 1, 1, [1000, 1000], -4, 4)],
    ops: [],
    compute: async ([x, y]) => [await x.mul(y)],
    reference: ([x, y]) => [x.map((v, i) => v * y[i])],
    crypten: { 2: cf(0.061, 16.0, 1, 1.2e-4), 3: cf(0.184, 37.5, 3, 1.5e-4) },
  },
  {
    id: "W2a",
    title: "matmul [128,768] @ [768,768]",
    inputs: [u("W2a", 0, 0, [128, 768], -1, 1), u("W2a", 1, 1, [768, 768], -1, 1)],
    ops: [],
    compute: async ([x, w]) => [await x.matmul(w)],
    reference: ([x, w]) => [matmulRef(x, w, 128, 768, 768)],
    crypten: { 2: cf(0.067, 5.5, 1, 1.1e-3), 3: cf(0.109, 8.9, 3, 1.0e-3) },
  },
  {
    id: "W2b",
    title: "matmul [256,256] @ [256,256]",
    inputs: [u("W2b", 0, 0, [256, 256], -1, 1), u("W2b", 1, 1, [256, 256], -1, 1)],
    ops: [],
    compute: async ([x, w]) => [await x.matmul(w)],
    reference: ([x, w]) => [matmulRef(x, w, 256, 256, 256)],
    crypten: { 2: cf(0.020, 1.05, 1, 6.4e-4) },
  },
  {
    id: "W3",
    title: "ReLU [1000,1000]",
    inputs: [u("W3", 0, 0, [1000, 1000], -4, 4)],
    ops: ["relu"],
    compute: async ([x], op) => [(await op.relu(x)) as SecretTensor],
    reference: ([x]) => [map(x, (v) => Math.max(v, 0))],
    crypten: { 2: cf(1.10, 232.6, 9, 1.5e-5), 3: cf(2.883, 587.0, 16, 1.5e-5) },
  },
  {
    id: "W4",
    title: "exp [128,3072]",
    inputs: [u("W4", 0, 0, [128, 3072], -4, 4)],
    ops: ["exp"],
    compute: async ([x], op) => [(await op.exp(x)) as SecretTensor],
    reference: ([x]) => [map(x, Math.exp)],
    crypten: { 2: cf(0.156, 25.2, 8, 1.94) },
  },
  {
    id: "W4b",
    title: "reciprocal [128,3072], x in [0.5,50], sign not known",
    inputs: [u("W4b", 0, 0, [128, 3072], 0.5, 50)],
    ops: ["reciprocal"],
    compute: async ([x], op) => [(await op.reciprocal(x, { range: [0.5, 50] })) as SecretTensor],
    reference: ([x]) => [map(x, (v) => 1 / v)],
    crypten: { 2: cf(0.955, 217.2, 38, 7.6e-4) },
  },
  {
    id: "W5",
    title: "softmax over the last dim of [12,128,128]",
    inputs: [u("W5", 0, 0, [12, 128, 128], -4, 4)],
    ops: ["softmax"],
    compute: async ([x], op) => [(await op.softmax(x, { dim: -1 })) as SecretTensor],
    reference: ([x]) => [rowsRef(x, 128, softmaxRow)],
    crypten: { 2: cf(0.793, 146.4, 116, 7.7e-4), 3: cf(3.390, 556.1, 251, 1.4e-3) },
  },
  {
    id: "W6",
    title: "exact GeLU on [128,3072], x ~ N(0,1)",
    inputs: [g("W6", 0, 0, [128, 3072])],
    ops: ["gelu"],
    compute: async ([x], op) => [(await op.gelu(x)) as SecretTensor],
    reference: ([x]) => [map(x, gelu)],
    crypten: { 2: cf(0.72, 154.7, 35, 7.1e6) },
  },
  {
    id: "W6b",
    title: "GeLU as x*sigmoid(1.702x) on [128,3072] (error vs exact GeLU)",
    inputs: [g("W6b", 0, 0, [128, 3072])],
    ops: ["sigmoid"],
    compute: async (
      [x],
      op,
    ) => [await x.mul((await op.sigmoid(x.mulPublic(1.702))) as SecretTensor)],
    reference: ([x]) => [map(x, gelu)],
    crypten: { 2: cf(0.651, 154.7, 24, 1.9e-2) },
  },
  {
    id: "W7",
    title: "LayerNorm over the last dim of [128,768]; gamma, beta from P1",
    inputs: [
      {
        from: 0,
        shape: [128, 768],
        draw: () => {
          const z = normal(seed("W7", 0), 128 * 768);
          const ms = uniform(seed("W7", 1), 128, -2, 2);
          const ss = uniform(seed("W7", 2), 128, 0.5, 4);
          return z.map((v, i) => ms[Math.floor(i / 768)] + ss[Math.floor(i / 768)] * v);
        },
      },
      u("W7", 3, 1, [768], 0.5, 1.5),
      u("W7", 4, 1, [768], -0.5, 0.5),
    ],
    ops: ["layerNorm"],
    compute: async ([x, gamma, beta], op) => [
      (await op.layerNorm(x, { gamma, beta, eps: 1e-5 })) as SecretTensor,
    ],
    reference: ([x, gamma, beta]) => [
      rowsRef(x, 768, (r) => {
        const m = r.reduce((a, b) => a + b, 0) / r.length;
        const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
        return r.map((t, j) => ((t - m) / Math.sqrt(v + 1e-5)) * gamma[j] + beta[j]);
      }),
    ],
    crypten: { 2: cf(0.065, 2.4, 20, 1.4e-2) },
  },
  {
    id: "W12",
    title: "max and one-hot argmax along dim 1 of [128,1000]",
    inputs: [g("W12", 0, 0, [128, 1000])],
    ops: ["maxArgmax"],
    compute: async ([x], op) => (await op.maxArgmax(x, 1)) as SecretTensor[],
    reference: ([x]) => {
      const max = new Float64Array(128);
      const hot = new Float64Array(128 * 1000);
      for (let i = 0; i < 128; i++) {
        let best = 0;
        for (let j = 1; j < 1000; j++) if (x[i * 1000 + j] > x[i * 1000 + best]) best = j;
        max[i] = x[i * 1000 + best];
        hot[i * 1000 + best] = 1;
      }
      return [max, hot];
    },
    crypten: { 2: cf(0.546, 80.0, 100, 1.5e-5), 3: cf(2.164, 313.3, 171, 1.5e-5) },
  },
];

/**
 * A workload whose layers (`nn`) are not built yet: listed as pending in the report, with
 * CrypTen's figures, until the issue that builds `op` replaces it with the real one.
 */
function pendingWorkload(
  id: string,
  title: string,
  op: string,
  crypten: Record<number, CryptenFigures>,
): Workload {
  return {
    id,
    title,
    inputs: [],
    ops: [op],
    compute: () => Promise.reject(new TypeError(`pending: this build has no "${op}" for ${id}`)),
    reference: () => [],
    crypten,
  };
}

WORKLOADS.push(
  pendingWorkload("W8", "one BERT-base encoder layer, seq 128", "bertEncoderLayer", {
    2: cf(2.57, 373.7, 277, 0.63),
    3: cf(8.122, 1194, 796, 0.62),
  }),
  pendingWorkload("W9", "ResNet-18 on one 3x224x224 image", "resnet18", {
    2: cf(9.69, 1995, 231, 8.3e-3),
  }),
  pendingWorkload("W9s", "ResNet-18 on 3x32x32", "resnet18", { 2: cf(0.949, 132.4, 231, 2.0e-3) }),
  pendingWorkload("W10", "LeNet, batch [64,1,28,28]", "lenet", {
    2: cf(2.85, 642.1, 123, 6.7e-5),
    3: cf(10.989, 2157, 232, 8.3e-5),
  }),
  pendingWorkload("W11a", "training step, logistic regression 784-10", "trainStep", {
    2: cf(0.317, 3.75, 153, 2.5e-4),
  }),
  pendingWorkload("W11b", "training step, MLP 784-128-10", "trainStep", {
    2: cf(0.586, 30.3, 188, 1.1e-3),
    3: cf(1.813, 79.4, 480, 1.4e-3),
  }),
);

/**
 * The workload `id` (case-insensitive); `RangeError` when there is none.
 *
 * @example
 * ```ts
 * import { workload } from "./workloads.ts";
 * console.log(workload("w2a").title); // "matmul [128,768] @ [768,768]"
 * ```
 */
export function workload(id: string): Workload {
  const w = WORKLOADS.find((w) => w.id.toLowerCase() === id.toLowerCase());
  if (!w) throw new RangeError(`no workload "${id}"; known: ${WORKLOADS.map((w) => w.id)}`);
  return w;
}
