import { randomRing } from "./bench_util.ts";
import { beaverMul } from "./beaver_mul.ts";
import { binary } from "./elementwise.ts";
import { CpuDevice } from "./mod.ts";

// 1M elements of Z_2^64 (8 MB per tensor): a fresh output per call against one from the pool.
const a = randomRing([1024, 1024], 64, 1), b = randomRing([1024, 1024], 64, 2);
const [c, e, f] = [3, 4, 5].map((s) => randomRing([1024, 1024], 64, s));
const dev = new CpuDevice({ pool: { refillMinBytes: Infinity } });
const group = "add 1M (Z_2^64), output storage";
Deno.bench("fresh output (page faults on first touch)", { group, baseline: true }, () => {
  binary("add", a, b);
});
Deno.bench("pooled output, disposed after use", { group }, () => {
  dev.dispose(dev.add(a, b));
});
const g2 = "Beaver finish 1M (Z_2^64), pooled";
Deno.bench("six kernels: c + e*b + a*f + e*f", { group: g2, baseline: true }, () => {
  const t = [dev.mul(e, b), dev.mul(a, f), dev.mul(e, f)];
  const s = dev.add(t[0], t[1]), u = dev.add(s, t[2]), z = dev.add(c, u);
  for (const x of [...t, s, u, z]) dev.dispose(x);
});
Deno.bench("fused beaverMul", { group: g2 }, () => {
  dev.dispose(dev.beaverMul(a, b, c, e, f, true));
});
Deno.bench("fused beaverMul, fresh output", { group: g2 }, () => {
  beaverMul(a, b, c, e, f, true);
});
