/**
 * The demo: what a new user sees first. Grows with the project.
 * @module
 */
import { cpu, decode, encode } from "@sharetensor/core";

/** Runs the demo, printing to stdout. */
export async function demo(): Promise<void> {
  const x = encode(new Float64Array([1.5, -2.25, 3.125]), { fracBits: 16 });
  const y = encode(new Float64Array([2, 0.5, -1]), { fracBits: 16 });
  const prod = cpu.sar(cpu.mul(cpu.upload(x), cpu.upload(y)), 16);
  console.log("fixed-point product in Z_2^64:", decode(await cpu.download(prod), 16));
}
