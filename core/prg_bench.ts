import { createCipheriv } from "node:crypto";
import { Prg } from "./prg.ts";

// 8 MiB per iteration: warm up until the heap reuses freed buffers (steady state), as in a
// long computation; the first iterations mostly measure fresh page faults.
const STEADY = { n: 100, warmup: 20 };

// 1M ring-64 elements = 8 MiB per draw: MB/s = 8.39 / (ms per iter) * 1000
const N = 1 << 20;
const SEED = new Uint8Array(32).fill(1);
const prg = new Prg(SEED);
const zeros = new Uint8Array(8 * N);

Deno.bench("Prg.ring 1M x Z_2^64 (8 MiB)", { ...STEADY, group: "stream", baseline: true }, () => {
  prg.ring([N]);
});
Deno.bench("Prg.ring 2M x Z_2^32 (8 MiB)", { ...STEADY, group: "stream" }, () => {
  prg.ring([2 * N], 32);
});
Deno.bench("Prg.bytes 8 MiB", { ...STEADY, group: "stream" }, () => {
  prg.bytes(8 * N);
});

// The candidates from node:crypto, keystream = encryption of zeros, same 8 MiB.
const chacha = createCipheriv("chacha20", new Uint8Array(32), new Uint8Array(16));
Deno.bench("raw chacha20 8 MiB", { ...STEADY, group: "cipher", baseline: true }, () => {
  chacha.update(zeros);
});
const aesCtr = createCipheriv("aes-128-ctr", new Uint8Array(16), new Uint8Array(16));
Deno.bench("raw aes-128-ctr 8 MiB", { ...STEADY, group: "cipher" }, () => {
  aesCtr.update(zeros);
});
const aesEcb = createCipheriv("aes-128-ecb", new Uint8Array(16), null).setAutoPadding(false);
const counters = new Uint32Array(2 * N);
Deno.bench("aes-128-ecb over counter blocks 8 MiB", { ...STEADY, group: "cipher" }, () => {
  for (let i = 0, b = 0; i < counters.length; i += 4, b++) counters[i + 3] = b;
  aesEcb.update(new Uint8Array(counters.buffer));
});

Deno.bench("Prg.bits 1M x Z_2^64", { group: "small" }, () => {
  prg.bits([N]);
});
Deno.bench("Prg.ring 64 elements", { group: "small", baseline: true }, () => {
  prg.ring([64]);
});
Deno.bench("Prg.fork", { group: "small" }, () => {
  prg.fork("bench");
});
Deno.bench("Prg.uniformBelow 64K, bound 1000", { group: "small" }, () => {
  prg.uniformBelow(1 << 16, 1000);
});
