import assert from "node:assert/strict";
import { measureAccuracy } from "./accuracy.ts";

Deno.test("measureAccuracy: rows for the chosen functions, errors within their bounds", async () => {
  const rows = await measureAccuracy({ points: 2048, only: ["exp", "softmax", "layerNorm"] });
  assert.deepEqual(rows.map((r) => r.fn), ["exp", "exp W4", "softmax W5", "layerNorm W7"]);
  for (const r of rows) {
    assert.ok(r.points > 0 && r.rounds > 0 && r.bytes_per_elem > 0);
    if (r.crypten_max_abs_err !== null) assert.ok(r.max_abs_err < r.crypten_max_abs_err, r.fn);
  }
  assert.ok(rows[0].max_rel_err <= 1e-3);
});
