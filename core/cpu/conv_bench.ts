import { cpu } from "./mod.ts";
import { randomRing } from "./bench_util.ts";

for (const ring of [64, 32] as const) {
  const group = `conv2d (Z_2^${ring})`;
  const img = randomRing([64, 1, 28, 28], ring, 5), k = randomRing([16, 1, 5, 5], ring, 6);
  Deno.bench(
    `LeNet conv1 [64,1,28,28] * [16,1,5,5] (Z_2^${ring})`,
    { group, baseline: true },
    () => {
      cpu.conv2d(img, k);
    },
  );
  const h = randomRing([64, 16, 12, 12], ring, 7), k2 = randomRing([16, 16, 5, 5], ring, 8);
  Deno.bench(`LeNet conv2 [64,16,12,12] * [16,16,5,5] (Z_2^${ring})`, { group }, () => {
    cpu.conv2d(h, k2);
  });
  const r = randomRing([1, 64, 56, 56], ring, 9), k3 = randomRing([64, 64, 3, 3], ring, 10);
  Deno.bench(
    `ResNet-18 layer1 conv [1,64,56,56] * [64,64,3,3] pad 1 (Z_2^${ring})`,
    { group },
    () => {
      cpu.conv2d(r, k3, { padding: 1 });
    },
  );
}
