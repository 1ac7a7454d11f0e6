import assert from "node:assert/strict";
import { ProtocolAbortError } from "@sharetensor/core/errors";
import type { Context } from "./runtime/context.ts";
import { runParties } from "./runtime/run_parties.ts";

/** Runs `fn` on n parties and returns what each threw (or "ok"). */
async function outcomes(n: number, fn: (ctx: Context) => Promise<unknown>): Promise<unknown[]> {
  return await runParties(n, async (ctx) => {
    try {
      await fn(ctx);
      return "ok";
    } catch (e) {
      return e;
    }
  });
}

Deno.test("bad input: parties that share different shapes all stop with ProtocolAbortError", async () => {
  for (const n of [2, 3]) {
    const out = await outcomes(n, async (ctx) => {
      const shape = ctx.rank === n - 1 ? [3] : [2];
      await ctx.share(ctx.rank === 0 ? new Float64Array(shape[0]) : null, { from: 0, shape });
    });
    for (const e of out) assert.ok(e instanceof ProtocolAbortError, `got ${e}`);
  }
});

Deno.test("bad input: parties that run different ops (mul vs square) all stop", async () => {
  const out = await outcomes(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    await (ctx.rank === 1 ? x.square() : x.mul(x));
  });
  for (const e of out) assert.ok(e instanceof ProtocolAbortError, `got ${e}`);
});

Deno.test("bad input: a wrong-size value on the owner is a TypeError there, an abort elsewhere", async () => {
  const out = await outcomes(3, async (ctx) => {
    await ctx.share(ctx.rank === 1 ? [1, 2, 3] : null, { from: 1, shape: [2] });
  });
  assert.ok(out[1] instanceof TypeError, `got ${out[1]}`);
  assert.ok(out[0] instanceof ProtocolAbortError && out[2] instanceof ProtocolAbortError);
  // out of range on the owner: RangeError there
  const big = await outcomes(2, async (ctx) => {
    await ctx.share(ctx.rank === 0 ? [2 ** 60] : null, { from: 0, shape: [1] });
  });
  assert.ok(big[0] instanceof RangeError && big[1] instanceof ProtocolAbortError);
});

Deno.test("bad input: mismatched shapes, kinds, contexts and parties are TypeError/RangeError on every party", async () => {
  const out = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    const y = await ctx.share(ctx.rank === 0 ? [1, 2, 3] : null, { from: 0, shape: [3] });
    const b = await ctx.share(ctx.rank === 0 ? [1n] : null, {
      from: 0,
      shape: [1],
      kind: "binary",
    });
    const errs: unknown[] = [];
    const grab = async (f: () => unknown) => {
      try {
        await f();
        errs.push("ok");
      } catch (e) {
        errs.push(e);
      }
    };
    await grab(() => x.mul(y)); // shapes do not broadcast
    await grab(() => x.matmul(y)); // 1-d inner sizes differ
    await grab(() => x.add(b)); // kinds
    await grab(() => b.mul(b)); // kinds
    await grab(() => x.reveal({ to: 2 })); // no party 2
    await grab(() => ctx.share(null, { from: 5, shape: [1] }));
    // still usable afterwards: nothing was sent
    errs.push(await x.reveal());
    return errs;
  });
  for (const errs of out) {
    const kinds = errs.slice(0, 6).map((e) => (e as Error).constructor.name);
    assert.deepEqual(kinds, [
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      "RangeError",
      "RangeError",
    ]);
    assert.deepEqual([...(errs[6] as Float64Array)], [1, 2]);
  }
});

Deno.test("bad input: a tensor of another context is a TypeError", async () => {
  const [x0] = await runParties(
    2,
    (ctx) => ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] }),
  );
  const out = await runParties(2, async (ctx) => {
    const y = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1] });
    assert.throws(() => y.add(x0), TypeError);
    await assert.rejects(() => y.mul(x0), TypeError);
    return "checked";
  });
  assert.deepEqual(out, ["checked", "checked"]);
});
