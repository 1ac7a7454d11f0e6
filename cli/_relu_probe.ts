import { w3Input } from "./jobs/w3.ts";
const bytes = await Deno.readFile(Deno.args[0]);
const a = new Float64Array(bytes.buffer);
const x = w3Input(100);
let e = 0, cnt = 0, first = -1;
for (let i = 0; i < a.length; i++) {
  const want = Math.max(0, Math.round(x[i] * 65536) / 65536);
  const d = Math.abs(a[i] - want);
  if (d > 0) {
    cnt++;
    if (first < 0) first = i;
  }
  e = Math.max(e, d);
}
console.log("max err vs exact", e, "count", cnt, "first", first, a[first], x[first]);
