/**
 * WGSL preludes for ring arithmetic. WGSL has no 64-bit integers, so an element of
 * Z_2^64 is a `vec2<u32>` (low word, high word), which is also the byte layout of a
 * little-endian `BigUint64Array`; Z_2^32 is a native `u32`. Both preludes define the same
 * names (`E`, `ZERO`, `r_add`, `r_mul`, ...), so one kernel source serves both rings.
 *
 * The 64-bit product needs the high half of a 32x32-bit product, which WGSL lacks; it is
 * built from four 16x16-bit products (schoolbook, Knuth TAOCP vol. 2, 4.3.1).
 *
 * @example
 * ```ts
 * import { ringPrelude } from "./wgsl.ts";
 * console.log(ringPrelude(64).includes("fn r_mul"));
 * ```
 * @module
 */
import type { Ring } from "@sharetensor/core/ring";

const PRELUDE_64 = /* wgsl */ `
alias E = vec2<u32>;
const ZERO: E = vec2<u32>(0u, 0u);
fn mulhi32(a: u32, b: u32) -> u32 {
  let a0 = a & 0xffffu; let a1 = a >> 16u;
  let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}
fn r_const(lo: u32, hi: u32) -> E { return vec2<u32>(lo, hi); }
fn r_add(a: E, b: E) -> E {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}
fn r_sub(a: E, b: E) -> E {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}
fn r_neg(a: E) -> E { return r_sub(ZERO, a); }
fn r_mul(a: E, b: E) -> E {
  return vec2<u32>(a.x * b.x, mulhi32(a.x, b.x) + a.x * b.y + a.y * b.x);
}
fn r_mac(acc: E, a: E, b: E) -> E { return r_add(acc, r_mul(a, b)); }
// The 16-bit halves of the low word, split once per loaded value in register-blocked loops.
fn r_halves(a: E) -> vec2<u32> { return vec2<u32>(a.x & 0xffffu, a.x >> 16u); }
fn r_mac_h(acc: E, a: E, b: E, ah: vec2<u32>, bh: vec2<u32>) -> E {
  let p00 = ah.x * bh.x; let p01 = ah.x * bh.y; let p10 = ah.y * bh.x;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let hi = ah.y * bh.y + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u) + a.x * b.y + a.y * b.x;
  let lo = a.x * b.x;
  let s = acc.x + lo;
  return vec2<u32>(s, acc.y + hi + select(0u, 1u, s < lo));
}
fn r_and(a: E, b: E) -> E { return a & b; }
fn r_or(a: E, b: E) -> E { return a | b; }
fn r_xor(a: E, b: E) -> E { return a ^ b; }
fn r_not(a: E) -> E { return ~a; }
fn r_shl(a: E, k: u32) -> E {
  if (k == 0u) { return a; }
  if (k < 32u) { return vec2<u32>(a.x << k, (a.y << k) | (a.x >> (32u - k))); }
  return vec2<u32>(0u, a.x << (k - 32u));
}
fn r_shr(a: E, k: u32) -> E {
  if (k == 0u) { return a; }
  if (k < 32u) { return vec2<u32>((a.x >> k) | (a.y << (32u - k)), a.y >> k); }
  return vec2<u32>(a.y >> (k - 32u), 0u);
}
fn r_sar(a: E, k: u32) -> E {
  if (k == 0u) { return a; }
  let s = bitcast<i32>(a.y);
  if (k < 32u) { return vec2<u32>((a.x >> k) | (a.y << (32u - k)), bitcast<u32>(s >> k)); }
  return vec2<u32>(bitcast<u32>(s >> (k - 32u)), bitcast<u32>(s >> 31u));
}
fn r_bit(a: E, k: u32) -> E {
  if (k < 32u) { return vec2<u32>((a.x >> k) & 1u, 0u); }
  return vec2<u32>((a.y >> (k - 32u)) & 1u, 0u);
}
`;

const PRELUDE_32 = /* wgsl */ `
alias E = u32;
const ZERO: E = 0u;
fn r_const(lo: u32, hi: u32) -> E { return lo; }
fn r_add(a: E, b: E) -> E { return a + b; }
fn r_sub(a: E, b: E) -> E { return a - b; }
fn r_neg(a: E) -> E { return 0u - a; }
fn r_mul(a: E, b: E) -> E { return a * b; }
fn r_mac(acc: E, a: E, b: E) -> E { return acc + a * b; }
fn r_halves(a: E) -> vec2<u32> { return vec2<u32>(0u, 0u); }
fn r_mac_h(acc: E, a: E, b: E, ah: vec2<u32>, bh: vec2<u32>) -> E { return acc + a * b; }
fn r_and(a: E, b: E) -> E { return a & b; }
fn r_or(a: E, b: E) -> E { return a | b; }
fn r_xor(a: E, b: E) -> E { return a ^ b; }
fn r_not(a: E) -> E { return ~a; }
fn r_shl(a: E, k: u32) -> E { return a << k; }
fn r_shr(a: E, k: u32) -> E { return a >> k; }
fn r_sar(a: E, k: u32) -> E { return bitcast<u32>(bitcast<i32>(a) >> k); }
fn r_bit(a: E, k: u32) -> E { return (a >> k) & 1u; }
`;

/**
 * WGSL source defining the element type `E` and the ring functions for `ring`.
 * Shift amounts must be below the ring size (the host checks).
 *
 * @example
 * ```ts
 * import { ringPrelude } from "./wgsl.ts";
 * console.log(ringPrelude(32).includes("alias E = u32"));
 * ```
 */
export function ringPrelude(ring: Ring): string {
  return ring === 64 ? PRELUDE_64 : PRELUDE_32;
}

/** Threads per workgroup of the 1-d kernels. */
export const WG = 256;

/**
 * WGSL header of a 1-d kernel: `P` (read-only u32 parameters, `P[0]` the thread count),
 * `O` the output, then read-only inputs named in `inputs` with their element types, and an
 * entry point that sets `i` (the flat thread index) and returns when `i >= P[0]`. Grids
 * are 2-d (see {@linkcode grid1d}) to pass the 65535-workgroup limit.
 *
 * @example
 * ```ts
 * import { kernel1d } from "./wgsl.ts";
 * console.log(kernel1d("E", [["A", "E"]], "O[i] = A[i];").includes("@compute"));
 * ```
 */
export function kernel1d(
  outType: string,
  inputs: readonly (readonly [string, string])[],
  body: string,
): string {
  const decl = inputs.map(([name, t], j) =>
    `@group(0) @binding(${j + 2}) var<storage, read> ${name}: array<${t}>;`
  ).join("\n");
  return `
@group(0) @binding(0) var<storage, read> P: array<u32>;
@group(0) @binding(1) var<storage, read_write> O: array<${outType}>;
${decl}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WG}u;
  if (i >= P[0]) { return; }
${body}
}`;
}

/**
 * Workgroup grid for `n` threads of a 1-d kernel: at most 65535 groups in x, the rest in y.
 *
 * @example
 * ```ts
 * import { grid1d } from "./wgsl.ts";
 * console.log(grid1d(1 << 20)); // [4096, 1, 1]
 * ```
 */
export function grid1d(n: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / WG));
  const x = Math.min(groups, 65535);
  const y = Math.ceil(groups / x);
  if (y > 65535) throw new RangeError(`a kernel of ${n} threads exceeds the WebGPU grid limit`);
  return [x, y, 1];
}

/**
 * WGSL statements that split the flat index `idx` over a shape of rank `rank` whose sizes
 * start at `P[shapeAt]` and accumulate `sum(coord * P[strideAt[k] + d])` into `var`s named
 * in `offsets` (declared by the caller).
 *
 * @example
 * ```ts
 * import { unravel } from "./wgsl.ts";
 * console.log(unravel("i", 2, 3, [["oa", 5]]));
 * ```
 */
export function unravel(
  idx: string,
  rank: number,
  shapeAt: number,
  offsets: readonly (readonly [string, number])[],
): string {
  const lines = [`  var rem = ${idx};`];
  for (let d = rank - 1; d >= 0; d--) {
    const size = `P[${shapeAt + d}]`;
    lines.push(`  { let c = rem % ${size}; rem = rem / ${size};`);
    for (const [name, at] of offsets) lines.push(`    ${name} += c * P[${at + d}];`);
    lines.push(`  }`);
  }
  return lines.join("\n");
}
