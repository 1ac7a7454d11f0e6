import { cpu } from "./mod.ts";
import { randomRing } from "./bench_util.ts";
import { gemm32, gemm64 } from "./gemm.ts";
import { gemmWasm } from "./gemm_wasm.ts";

for (const ring of [64, 32] as const) {
  const group = `matmul (Z_2^${ring})`;
  const a = randomRing([256, 256], ring, 1), b = randomRing([256, 256], ring, 2);
  const x = randomRing([128, 768], ring, 3), w = randomRing([768, 768], ring, 4);
  Deno.bench(`[256,256] @ [256,256] (Z_2^${ring})`, { group, baseline: true }, () => {
    cpu.matmul(a, b);
  });
  Deno.bench(`[128,768] @ [768,768] (Z_2^${ring})`, { group }, () => {
    cpu.matmul(x, w);
  });
  const q = randomRing([12, 128, 64], ring, 5), k = randomRing([12, 64, 128], ring, 6);
  Deno.bench(`attention scores [12,128,64] @ [12,64,128] (Z_2^${ring})`, { group }, () => {
    cpu.matmul(q, k);
  });

  // The two GEMM implementations on one product: WebAssembly SIMD is kept (see gemm.ts).
  const kgroup = `gemm kernels 128^3 (Z_2^${ring})`;
  const s = randomRing([128, 128], ring, 7), t = randomRing([128, 128], ring, 8);
  const c = randomRing([128, 128], ring, 0);
  Deno.bench(`wasm SIMD gemm 128^3 (Z_2^${ring})`, { group: kgroup, baseline: true }, () => {
    gemmWasm(ring, s.data, 0, t.data, 0, c.data, 0, 128, 128, 128);
  });
  Deno.bench(`plain JS gemm 128^3 (Z_2^${ring})`, { group: kgroup }, () => {
    if (ring === 64) {
      gemm64(
        s.data as BigUint64Array,
        0,
        t.data as BigUint64Array,
        0,
        c.data as BigUint64Array,
        0,
        128,
        128,
        128,
      );
    } else {
      gemm32(
        s.data as Uint32Array,
        0,
        t.data as Uint32Array,
        0,
        c.data as Uint32Array,
        0,
        128,
        128,
        128,
      );
    }
  });
}

// W2a's Beaver finish on one party: c + e@b + a@f (+ e@f) fused into one GEMM against the
// separate kernels (party 0 adds e@f, as b + f in the separate form).
{
  const group = "Beaver matmul finish [128,768]@[768,768] (Z_2^64)";
  const [a, e, c] = [1, 2, 3].map((s) => randomRing([128, 768], 64, 10 + s));
  const [b, f] = [4, 5].map((s) => randomRing([768, 768], 64, 10 + s));
  Deno.bench("fused beaverMatmul (party 0)", { group, baseline: true }, () => {
    cpu.dispose(cpu.beaverMatmul(a, b, c, e, f, true));
  });
  Deno.bench("add, 2 matmuls, 2 adds (party 0)", { group }, () => {
    const bf = cpu.add(b, f), eb = cpu.matmul(e, bf), af = cpu.matmul(a, f);
    const z = cpu.add(eb, af), out = cpu.add(c, z);
    for (const t of [bf, eb, af, z, out]) cpu.dispose(t);
  });
}
