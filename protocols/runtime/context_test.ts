import assert from "node:assert/strict";
import { ProtocolAbortError } from "@sharetensor/core/errors";
import { memoryNetwork } from "@sharetensor/net/memory";
import { createContext } from "./context.ts";
import { runParties } from "./run_parties.ts";
import { semi2k } from "../semi2k.ts";
import { ttp } from "../dealers/ttp.ts";
import { RingTensor } from "@sharetensor/core/ring";
import { Op } from "./op.ts";
import { SecretTensor } from "../secret_tensor.ts";

function close(a: Float64Array | null, b: number[], tol: number) {
  assert.ok(a, "expected a value");
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
  }
}

for (const n of [2, 3]) {
  Deno.test(`context: share, reveal, add and mul on ${n} parties`, async () => {
    const out = await runParties(n, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1.5, -2, 3.25] : null, { from: 0, shape: [3] });
      const y = await ctx.share(ctx.rank === n - 1 ? [2, 0.5, -1] : null, {
        from: n - 1,
        shape: [3],
      });
      const z = await x.mul(y);
      return await z.add(x).mulPublic(2).reveal();
    });
    for (const o of out) close(o, [2 * (3 + 1.5), 2 * (-1 - 2), 2 * (-3.25 + 3.25)], 4 / 65536);
  });
}

Deno.test("context: ops issued together share one round (one message per peer)", async () => {
  const out = await runParties(3, async (ctx) => {
    const [x, y] = await Promise.all([
      ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] }),
      ctx.share(ctx.rank === 1 ? [3, 4] : null, { from: 1, shape: [2] }),
    ]);
    const s0 = ctx.stats();
    const [a, b, c] = await Promise.all([x.mul(y), y.mul(y), x.square()]);
    await ctx.flush();
    const s1 = ctx.stats();
    const v = await Promise.all([a.reveal(), b.reveal(), c.reveal()]);
    return {
      shareRounds: s0.rounds,
      mulRounds: s1.rounds - s0.rounds,
      msgs: s1.messages - s0.messages,
      v,
    };
  });
  for (const o of out) {
    assert.equal(o.shareRounds, 1);
    assert.equal(o.mulRounds, 2); // Beaver round + truncation round (n > 2), shared by 3 ops
    close(o.v[0], [3, 8], 1e-4);
    close(o.v[1], [9, 16], 1e-4);
    close(o.v[2], [1, 4], 1e-4);
  }
});

Deno.test("context: parties that disagree on the ring stop at setup on every party", async () => {
  const ts = memoryNetwork(2);
  const dealer = ttp();
  const r = await Promise.allSettled(
    ts.map((transport, i) =>
      createContext({ protocol: semi2k, dealer, transport, ring: i === 0 ? 64 : 32 })
    ),
  );
  for (const s of r) {
    assert.equal(s.status, "rejected");
    assert.ok((s as PromiseRejectedResult).reason instanceof ProtocolAbortError);
  }
});

Deno.test("context: parallel branches stay in sync when parties are timed differently", async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const out = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    // branch i sleeps a party- and branch-dependent time before its second op
    return await ctx.parallel([0, 1, 2].map((i) => async () => {
      const y = await x.mulPublic(i + 1).mul(x);
      await sleep(ctx.rank === 0 ? 3 * i : 6 - 3 * i);
      const z = await y.mul(x);
      return await z.reveal();
    }));
  }, { network: { latencyMs: 1 } });
  for (const o of out) {
    o.forEach((v, i) => close(v, [(i + 1) * 1, (i + 1) * 8], 1e-3));
  }
});

Deno.test("context: ops issued together share a round under latency", async () => {
  const out = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    const s0 = ctx.stats().rounds;
    await Promise.all([x.mul(x), x.square(), x.matmul(x.reshape([2, 1]))]);
    return ctx.stats().rounds - s0;
  }, { network: { latencyMs: 2 } });
  assert.deepEqual(out, [1, 1]);
});

Deno.test("context: privateInput shares local values inside a kernel without messages", async () => {
  const out = await runParties(3, async (ctx) => {
    const op = new Op(ctx, "t", "test");
    const mine = ctx.device.upload(RingTensor.fromBigInts([BigInt(ctx.rank + 1) * 5n], [1]));
    const shares = [0, 1, 2].map((from) =>
      new SecretTensor(
        ctx,
        "binary",
        op.privateInput(from, ctx.rank === from ? mine : null, [1], "binary"),
        0,
      )
    );
    await ctx.flush();
    const sent = ctx.stats().bytesSent;
    const vals = await Promise.all(shares.map((s) => s.revealRing()));
    return { sent, vals: vals.map((v) => v!.toBigInts()[0]) };
  });
  for (const o of out) {
    assert.equal(o.sent, 0);
    assert.deepEqual(o.vals, [5n, 10n, 15n]);
  }
});

Deno.test("context: seedUnsafe makes shares and products reproducible, and only then", async () => {
  const { seedUnsafe } = await import("./context.ts");
  const run = (seed?: number, dealer: "ttp" | "tfpUnsafe" = "ttp") =>
    runParties(3, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1.5, -2, 3.25] : null, { from: 0, shape: [3] });
      const y = await x.mul(x);
      return [
        ...(await ctx.device.download(x.buf)).toBigInts(),
        ...(await ctx.device.download(y.buf)).toBigInts(),
      ].join(",");
    }, { dealer, seedUnsafe: seed === undefined ? undefined : seedUnsafe(seed, { quiet: true }) });
  for (const dealer of ["ttp", "tfpUnsafe"] as const) {
    const a = await run(5, dealer), b = await run(5, dealer), c = await run(6, dealer);
    assert.deepEqual(a, b, `${dealer}: the same seed gives the same shares on every party`);
    for (let r = 0; r < 3; r++) {
      assert.notEqual(a[r], c[r], `${dealer}: another seed, other shares`);
    }
    const fresh = await run(undefined, dealer);
    for (let r = 0; r < 3; r++) assert.notEqual(a[r], fresh[r], `${dealer}: no seed, fresh shares`);
  }
});

Deno.test("context: seedUnsafe rejects bad seeds and warns once", async () => {
  const { seedUnsafe } = await import("./context.ts");
  assert.throws(() => seedUnsafe(-1, { quiet: true }), RangeError);
  assert.throws(() => seedUnsafe(1.5, { quiet: true }), RangeError);
  assert.throws(() => seedUnsafe(new Uint8Array(7), { quiet: true }), TypeError);
  const warn = console.warn;
  const said: string[] = [];
  console.warn = (m: string) => said.push(m);
  try {
    seedUnsafe(1);
    seedUnsafe(2);
  } finally {
    console.warn = warn;
  }
  assert.equal(said.length, 1, "one warning per process (the tests above were quiet)");
  assert.ok(said.every((m) => /tests only/.test(m)));
});

Deno.test("context: parties that issue ops in different orders stop at once, naming the op", async () => {
  const err = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    if (ctx.rank === 0) return [await x.mul(x), await x.square()];
    return [await x.square(), await x.mul(x)];
  }).then(() => null, (e) => e);
  assert.ok(err instanceof ProtocolAbortError, `expected a ProtocolAbortError, got ${err}`);
  assert.match(err.message, /disagree on "(mul|square)/);
});

Deno.test("context: a party waiting for an op its peer skipped times out naming peer and op", async () => {
  const { TimeoutError } = await import("@sharetensor/core/errors");
  const err = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    const y = await x.mul(x);
    if (ctx.rank === 0) await y.square();
    return y;
  }, { network: { timeoutMs: 300 } }).then(() => null, (e) => e);
  assert.ok(err instanceof TimeoutError, `expected a TimeoutError, got ${err}`);
  assert.equal(err.peer, 1);
  assert.match(err.message, /waiting for peer 1's part of "square/);
  assert.match(err.message, /does its program skip this op/);
});

Deno.test("context: branches that issue different ops time out saying the orders differ", async () => {
  const { TimeoutError } = await import("@sharetensor/core/errors");
  const err = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    await ctx.parallel([
      async () => void (ctx.rank === 0 && await x.square()),
      async () => void (ctx.rank === 1 && await x.mul(x)),
    ]);
  }, { network: { timeoutMs: 300 } }).then(() => null, (e) => e);
  assert.ok(err instanceof TimeoutError, `expected a TimeoutError, got ${err}`);
  assert.match(err.message, /waiting for peer [01]'s part of "(square|mul)/);
  assert.match(err.message, /meanwhile sent its part of "(square|mul|an op this party never ran)/);
  assert.match(err.message, /different orders/);
});

Deno.test("context: inputAware must be a boolean; when off, owners keep no clear copy", async () => {
  const [transport] = memoryNetwork(2);
  await assert.rejects(
    () =>
      createContext({
        protocol: semi2k,
        dealer: ttp(),
        transport,
        inputAware: "false" as unknown as boolean,
      }),
    TypeError,
  );
  await transport.close();
  for (const inputAware of [true, false]) {
    const held = await runParties(2, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
      return x.ownValue !== undefined;
    }, { inputAware });
    assert.deepEqual(held, [inputAware, false]);
  }
});
