import { decode, encode } from "./fixed_point.ts";
import { RingTensor } from "./ring.ts";

// 8 MiB per iteration: warm up until the heap reuses freed buffers (steady state), as in a
// long computation; the first iterations mostly measure fresh page faults.
const STEADY = { n: 100, warmup: 20 };

const N = 1 << 20;
const values = new Float64Array(N);
for (let i = 0; i < N; i++) values[i] = Math.sin(i) * 1000;
const t64 = encode(values);
const t32 = encode(values, { ring: 32 });

/** The obvious BigInt path, as the baseline the view-based code replaces. */
function encodeBigInt(vs: Float64Array, f: number): RingTensor {
  const out = new BigUint64Array(vs.length);
  const s = 2 ** f;
  for (let i = 0; i < vs.length; i++) out[i] = BigInt.asUintN(64, BigInt(Math.round(vs[i] * s)));
  return new RingTensor(64, [vs.length], out);
}

function decodeBigInt(t: RingTensor, f: number): Float64Array {
  const out = new Float64Array(t.size);
  const d = t.data as BigUint64Array;
  const s = 2 ** -f;
  for (let i = 0; i < d.length; i++) out[i] = Number(BigInt.asIntN(64, d[i])) * s;
  return out;
}

Deno.bench("encode 1M ring64", { ...STEADY, group: "encode", baseline: true }, () => {
  encode(values);
});
Deno.bench("encode 1M ring32", { ...STEADY, group: "encode" }, () => {
  encode(values, { ring: 32 });
});
Deno.bench("encode 1M ring64 via BigInt()", { ...STEADY, group: "encode" }, () => {
  encodeBigInt(values, 16);
});
Deno.bench("decode 1M ring64", { ...STEADY, group: "decode", baseline: true }, () => {
  decode(t64);
});
Deno.bench("decode 1M ring32", { ...STEADY, group: "decode" }, () => {
  decode(t32);
});
Deno.bench("decode 1M ring64 via Number(BigInt)", { ...STEADY, group: "decode" }, () => {
  decodeBigInt(t64, 16);
});
