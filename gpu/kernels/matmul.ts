/**
 * Batched matrix product mod 2^ring, `C[b] = A[b] @ B[b]` with broadcast batch strides.
 * Two strategies, both exact in Z_2^64 (u32-pair products of `wgsl.ts`) and Z_2^32:
 *
 * - `"tiled"`: 16x16 blocks of A and B staged in workgroup memory, one output per thread
 *   (the classic shared-memory tiling, e.g. Volkov & Demmel, SC 2008): the choice for
 *   hardware GPUs.
 * - `"register"`: each thread keeps a 4x4 block of C in registers and reads A and B
 *   straight from storage. On software adapters (Mesa's llvmpipe runs a workgroup as
 *   SIMD loops on one CPU core) barriers are costly and the CPU caches already play the
 *   part of shared memory: measured 2-4x faster there than `"tiled"`, and its shader
 *   compiles in ~0.1 s instead of seconds.
 *
 * @example
 * ```ts
 * import { matmulPrograms } from "./matmul.ts";
 * console.log(typeof matmulPrograms);
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";
import type { Program } from "../runtime.ts";
import { ringPrelude, unravel } from "../wgsl.ts";

/** How the matmul kernel blocks its work (see the module docs). */
export type MatmulStrategy = "tiled" | "register";

const T = 4; // register block: T x T outputs per thread
const MIN_BATCH_RANK = 3;

function header(ring: Ring, R: number): string {
  return ringPrelude(ring) + `
@group(0) @binding(0) var<storage, read> P: array<u32>;
@group(0) @binding(1) var<storage, read_write> O: array<E>;
@group(0) @binding(2) var<storage, read> A: array<E>;
@group(0) @binding(3) var<storage, read> B: array<E>;
fn offsets(batch: u32) -> vec2<u32> {
  var oa = 0u; var ob = 0u;
${unravel("batch", R, 4, [["oa", 4 + R], ["ob", 4 + 2 * R]])}
  return vec2<u32>(oa, ob);
}`;
}

function tiledShader(ring: Ring, R: number): string {
  return header(ring, R) + `
var<workgroup> As: array<E, 256>;
var<workgroup> Bs: array<E, 256>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = P[0]; let K = P[1]; let N = P[2];
  let batch = wg.z + P[3];
  let off = offsets(batch);
  let r = wg.y * 16u + lid.y; let c = wg.x * 16u + lid.x;
  var acc = ZERO;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    var av = ZERO; var bv = ZERO;
    if (r < M && k0 + lid.x < K) { av = A[off.x + r * K + k0 + lid.x]; }
    if (c < N && k0 + lid.y < K) { bv = B[off.y + (k0 + lid.y) * N + c]; }
    As[lid.y * 16u + lid.x] = av;
    Bs[lid.y * 16u + lid.x] = bv;
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      acc = r_mac(acc, As[lid.y * 16u + kk], Bs[kk * 16u + lid.x]);
    }
    workgroupBarrier();
  }
  if (r < M && c < N) { O[batch * M * N + r * N + c] = acc; }
}`;
}

function registerShader(ring: Ring, R: number): string {
  const ij: [number, number][] = [];
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) ij.push([i, j]);
  const idx = [...Array(T).keys()];
  return header(ring, R) + `
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let M = P[0]; let K = P[1]; let N = P[2];
  let r = g.y * ${T}u; let c = g.x * ${T}u;
  if (r >= M || c >= N) { return; }
  let batch = g.z + P[3];
  let off = offsets(batch);
  ${ij.map(([i, j]) => `var a${i}${j} = ZERO;`).join(" ")}
  ${idx.map((i) => `let r${i} = off.x + min(r + ${i}u, M - 1u) * K;`).join(" ")}
  ${idx.map((j) => `let c${j} = off.y + min(c + ${j}u, N - 1u);`).join(" ")}
  for (var k = 0u; k < K; k++) {
    ${idx.map((i) => `let x${i} = A[r${i} + k]; let xh${i} = r_halves(x${i});`).join(" ")}
    ${idx.map((j) => `let y${j} = B[c${j} + k * N]; let yh${j} = r_halves(y${j});`).join(" ")}
    ${
    ij.map(([i, j]) => `a${i}${j} = r_mac_h(a${i}${j}, x${i}, y${j}, xh${i}, yh${j});`).join(
      "\n    ",
    )
  }
  }
  let ob = batch * M * N;
  ${
    ij.map(([i, j]) =>
      `if (r + ${i}u < M && c + ${j}u < N) { O[ob + (r + ${i}u) * N + c + ${j}u] = a${i}${j}; }`
    ).join("\n  ")
  }
}`;
}

/**
 * Programs for `C[batch, M, N] = A @ B` over `batch = prod(batchShape)` products; `aStr`,
 * `bStr` are the element strides of each operand's batch dimensions (0 where broadcast).
 * One program per 65535 batches (the grid limit in z).
 *
 * @example
 * ```ts
 * import { matmulPrograms } from "./matmul.ts";
 * console.log(matmulPrograms.length); // 11
 * ```
 */
export function matmulPrograms(
  strategy: MatmulStrategy,
  ring: Ring,
  out: GPUBuffer,
  a: GPUBuffer,
  b: GPUBuffer,
  m: number,
  k: number,
  n: number,
  batchShape: readonly number[],
  aStr: readonly number[],
  bStr: readonly number[],
): Program[] {
  const per = strategy === "tiled" ? 16 : 16 * T;
  const gx = Math.ceil(n / per), gy = Math.ceil(m / per);
  if (gx > 65535 || gy > 65535) {
    throw new RangeError(`matmul of [${m},${k}] @ [${k},${n}] exceeds the WebGPU grid limit`);
  }
  const batches = batchShape.reduce((x, y) => x * y, 1);
  // Batch ranks below MIN_BATCH_RANK are padded with size-1 dims: one shader serves them.
  const pad = Math.max(0, MIN_BATCH_RANK - batchShape.length);
  batchShape = [...Array(pad).fill(1), ...batchShape];
  aStr = [...Array(pad).fill(0), ...aStr];
  bStr = [...Array(pad).fill(0), ...bStr];
  const R = batchShape.length;
  const progs: Program[] = [];
  for (let base = 0; base < batches; base += 65535) {
    progs.push({
      key: `matmul:${strategy}:${ring}:b${R}`,
      wgsl: () => (strategy === "tiled" ? tiledShader : registerShader)(ring, R),
      output: out,
      inputs: [a, b],
      params: new Uint32Array([m, k, n, base, ...batchShape, ...aStr, ...bStr]),
      grid: [gx, gy, Math.min(65535, batches - base)],
    });
  }
  return progs;
}
