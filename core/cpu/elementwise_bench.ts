import { cpu } from "./mod.ts";
import { randomRing } from "./bench_util.ts";

const N = 1 << 20;
for (const ring of [64, 32] as const) {
  const a = randomRing([1024, 1024], ring, 1), b = randomRing([1024, 1024], ring, 2);
  const row = randomRing([1024], ring, 3), col = randomRing([1024, 1], ring, 4);
  const group = `elementwise 1M (Z_2^${ring})`;
  Deno.bench(`mul (Z_2^${ring})`, { group, baseline: true }, () => {
    cpu.mul(a, b);
  });
  Deno.bench(`add (Z_2^${ring})`, { group }, () => {
    cpu.add(a, b);
  });
  Deno.bench(`mul broadcast row (Z_2^${ring})`, { group }, () => {
    cpu.mul(a, row);
  });
  Deno.bench(`mul broadcast column (Z_2^${ring})`, { group }, () => {
    cpu.mul(a, col);
  });
  Deno.bench(`mulScalar (Z_2^${ring})`, { group }, () => {
    cpu.mulScalar(a, 12345n);
  });
  Deno.bench(`xor (Z_2^${ring})`, { group }, () => {
    cpu.xor(a, b);
  });
  Deno.bench(`neg (Z_2^${ring})`, { group }, () => {
    cpu.neg(a);
  });
  Deno.bench(`sar 16 (Z_2^${ring})`, { group }, () => {
    cpu.sar(a, 16);
  });
  Deno.bench(`bit 63/31 (Z_2^${ring})`, { group }, () => {
    cpu.bit(a, ring - 1);
  });
  Deno.bench(`sum last dim (Z_2^${ring})`, { group }, () => {
    cpu.sum(a, [-1]);
  });
  Deno.bench(`sum first dim (Z_2^${ring})`, { group }, () => {
    cpu.sum(a, [0]);
  });
  Deno.bench(`transpose (Z_2^${ring})`, { group }, () => {
    cpu.transpose(a);
  });
  if (N !== a.size) throw new Error("size");
}
