/**
 * ChaCha20 keystream on the GPU (RFC 8439 block function: 10 double rounds of quarter
 * rounds over a 4x4 state of u32, then the input added back), one block per thread, and
 * a byte-shift kernel for streams that start off a word boundary. Only 32-bit add, xor
 * and rotate: exact on every adapter.
 *
 * @example
 * ```ts
 * import { chachaProgram } from "./chacha.ts";
 * console.log(typeof chachaProgram);
 * ```
 * @module
 */
import type { Program } from "../runtime.ts";
import { grid1d, kernel1d } from "../wgsl.ts";

const QR = (a: number, b: number, c: number, d: number) =>
  [
    `x${a} += x${b}; x${d} = rotl(x${d} ^ x${a}, 16u);`,
    `x${c} += x${d}; x${b} = rotl(x${b} ^ x${c}, 12u);`,
    `x${a} += x${b}; x${d} = rotl(x${d} ^ x${a}, 8u);`,
    `x${c} += x${d}; x${b} = rotl(x${b} ^ x${c}, 7u);`,
  ].join(" ");

const INIT = [
  "0x61707865u",
  "0x3320646eu",
  "0x79622d32u",
  "0x6b206574u",
  ...[...Array(8).keys()].map((k) => `P[${4 + k}]`),
  "P[1] + i",
  "0u",
  "0u",
  "0u",
];

const BODY = `
  ${INIT.map((v, k) => `let s${k} = ${v};`).join(" ")}
  ${INIT.map((_, k) => `var x${k} = s${k};`).join(" ")}
  for (var r = 0u; r < 10u; r++) {
    ${QR(0, 4, 8, 12)} ${QR(1, 5, 9, 13)} ${QR(2, 6, 10, 14)} ${QR(3, 7, 11, 15)}
    ${QR(0, 5, 10, 15)} ${QR(1, 6, 11, 12)} ${QR(2, 7, 8, 13)} ${QR(3, 4, 9, 14)}
  }
  let base = i32(i * 16u) - i32(P[2]);
  ${
  INIT.map((_, k) =>
    `if (base + ${k} >= 0 && u32(base + ${k}) < P[3]) { O[u32(base + ${k})] = x${k} + s${k}; }`
  ).join("\n  ")
}`;

/**
 * Program writing `nWords` keystream words into `out`: stream words from word `skip` of
 * the block with counter `counter0` on, under the 8-word key `key` (nonce zero).
 *
 * @example
 * ```ts
 * import { chachaProgram } from "./chacha.ts";
 * console.log(chachaProgram.length); // 5
 * ```
 */
export function chachaProgram(
  out: GPUBuffer,
  key: Uint32Array,
  counter0: number,
  skip: number,
  nWords: number,
): Program {
  const blocks = Math.ceil((skip + nWords) / 16);
  return {
    key: "chacha20",
    wgsl: () =>
      "fn rotl(x: u32, n: u32) -> u32 { return (x << n) | (x >> (32u - n)); }\n" +
      kernel1d("u32", [], BODY),
    output: out,
    inputs: [],
    params: new Uint32Array([blocks, counter0, skip, nWords, ...key]),
    grid: grid1d(blocks),
  };
}

/**
 * Program shifting a word stream by `bytes` (1..3) bytes: `out[j]` is bytes
 * `4j + bytes .. 4j + bytes + 3` of `src` (little endian), for `n` output words.
 *
 * @example
 * ```ts
 * import { byteShiftProgram } from "./chacha.ts";
 * console.log(byteShiftProgram.length); // 4
 * ```
 */
export function byteShiftProgram(
  out: GPUBuffer,
  src: GPUBuffer,
  n: number,
  bytes: number,
): Program {
  return {
    key: "byteshift",
    wgsl: () =>
      kernel1d(
        "u32",
        [["A", "u32"]],
        "  O[i] = (A[i] >> (8u * P[1])) | (A[i + 1u] << (32u - 8u * P[1]));",
      ),
    output: out,
    inputs: [src],
    params: new Uint32Array([n, bytes]),
    grid: grid1d(n),
  };
}
