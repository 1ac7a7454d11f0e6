import { RingTensor } from "../ring.ts";
import { cpu } from "./mod.ts";

function rand(shape: number[], ring: 64 | 32, seed: number): RingTensor {
  const t = RingTensor.zeros(shape, ring);
  const w = new Uint32Array(t.data.buffer);
  let s = seed >>> 0;
  for (let i = 0; i < w.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = s;
  }
  return t;
}

for (const ring of [64, 32] as const) {
  const group = `matmul (Z_2^${ring})`;
  const a = rand([256, 256], ring, 1), b = rand([256, 256], ring, 2);
  const x = rand([128, 768], ring, 3), w = rand([768, 768], ring, 4);
  Deno.bench(`[256,256] @ [256,256] (Z_2^${ring})`, { group, baseline: true }, () => {
    cpu.matmul(a, b);
  });
  Deno.bench(`[128,768] @ [768,768] (Z_2^${ring})`, { group }, () => {
    cpu.matmul(x, w);
  });
  const img = rand([64, 1, 28, 28], ring, 5), k = rand([16, 1, 5, 5], ring, 6);
  const cgroup = `conv2d (Z_2^${ring})`;
  Deno.bench(`LeNet conv1 [64,1,28,28] * [16,1,5,5] (Z_2^${ring})`, {
    group: cgroup,
    baseline: true,
  }, () => {
    cpu.conv2d(img, k);
  });
  const h = rand([64, 16, 12, 12], ring, 7), k2 = rand([16, 16, 5, 5], ring, 8);
  Deno.bench(`LeNet conv2 [64,16,12,12] * [16,16,5,5] (Z_2^${ring})`, { group: cgroup }, () => {
    cpu.conv2d(h, k2);
  });
}
