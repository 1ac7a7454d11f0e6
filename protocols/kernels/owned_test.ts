/**
 * Input-aware products (`mul_owned`, `matmul_owned`): who sends what to whom, the choice
 * between them and the Beaver kernels, the owner's clear value, the dealer's owned parts
 * and bad input. Values and declared costs over 2, 3 and 4 parties, both rings and both
 * dealers are in `conformance_test.ts`.
 */
import assert from "node:assert/strict";
import { cpu } from "@sharetensor/core/cpu";
import { ProtocolAbortError } from "@sharetensor/core/errors";
import { Prg } from "@sharetensor/core/prg";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import type { Shape } from "@sharetensor/core/shape";
import type { Transport } from "@sharetensor/core/transport";
import { memoryNetwork } from "@sharetensor/net/memory";
import { plan } from "../dealers/correlations.ts";
import { SeededSession } from "../dealers/seeded_session.ts";
import { TtpServer } from "../dealers/ttp_server.ts";
import { ttp } from "../dealers/ttp.ts";
import { type Context, createContext } from "../runtime/context.ts";
import { runParties } from "../runtime/run_parties.ts";
import { semi2k } from "../semi2k.ts";
import type { SecretTensor } from "../secret_tensor.ts";

/** Integer values in [-50, 50) as raw ring words (0 fractional bits: no truncation). */
function ints(shape: Shape, ring: Ring, label: string): RingTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = new Prg(new Uint8Array(32).fill(9)).fork(label).ring([n], 32).data;
  const v = Array.from(g as Uint32Array, (w: number) => BigInt((w % 100) - 50));
  return RingTensor.fromBigInts(v.map((b) => BigInt.asUintN(ring, b)), [...shape], ring);
}

/** Wraps a transport to record the bytes sent to each peer. */
function counting(t: Transport, sent: Map<number, number>): Transport {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === "exchange") {
        return (send: ReadonlyMap<number, Uint8Array>, recvFrom: readonly number[]) => {
          for (const [p, m] of send) sent.set(p, (sent.get(p) ?? 0) + m.byteLength);
          return target.exchange(send, recvFrom);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

async function shareInt(ctx: Context, t: RingTensor, from: number): Promise<SecretTensor> {
  return await ctx.share(ctx.rank === from ? t : null, { from, shape: t.shape, fracBits: 0 });
}

for (const n of [2, 3, 4]) {
  for (const [i, j] of [[0, 1], [1, 0], [2, 0]]) {
    if (i >= n || j >= n) continue;
    Deno.test(`matmul_owned: ${n} parties, X from ${i}, W from ${j}: only E to j, only F to i`, async () => {
      const ring = 64;
      const X = ints([3, 4], ring, "x"), W = ints([4, 5], ring, "w");
      const sent = Array.from({ length: n }, () => new Map<number, number>());
      const transports = memoryNetwork(n).map((t, r) => counting(t, sent[r]));
      const res = await runParties(n, async (ctx) => {
        const x = await shareInt(ctx, X, i);
        const w = await shareInt(ctx, W, j);
        await ctx.flush();
        sent[ctx.rank].clear();
        const s0 = ctx.stats();
        const z = await x.matmul(w);
        await ctx.flush();
        const s1 = ctx.stats();
        const bytes = new Map(sent[ctx.rank]);
        return {
          payload: s1.payloadBytes - s0.payloadBytes,
          rounds: s1.rounds - s0.rounds,
          bytes,
          out: await z.revealRing(),
        };
      }, { ring, transports });
      for (const [r, m] of res.entries()) {
        const want = r === i ? 12 * 8 : r === j ? 20 * 8 : 0;
        assert.equal(m.payload, want, `party ${r}'s payload`);
        assert.equal(m.rounds, r === i || r === j ? 1 : 0, `party ${r}'s rounds`);
        const peers = [...m.bytes.keys()];
        assert.deepEqual(peers, r === i ? [j] : r === j ? [i] : [], `party ${r} sends to`);
        assert.ok(r !== i || m.bytes.get(j)! >= 12 * 8);
        assert.deepEqual(m.out!.toBigInts(), cpu.matmul(X, W).toBigInts());
      }
    });
  }
}

Deno.test("mul_owned: each owner sends its operand's words to the other owner only", async () => {
  const X = ints([2, 3], 32, "mx"), Y = ints([3], 32, "my");
  const res = await runParties(3, async (ctx) => {
    const x = await shareInt(ctx, X, 2);
    const y = await shareInt(ctx, Y, 1);
    const s0 = ctx.stats().payloadBytes;
    const z = await x.mul(y);
    await ctx.flush();
    return { payload: ctx.stats().payloadBytes - s0, out: await z.revealRing() };
  }, { ring: 32 });
  assert.deepEqual(res.map((r) => r.payload), [0, 3 * 4, 6 * 4]);
  for (const r of res) assert.deepEqual(r.out!.toBigInts(), cpu.mul(X, Y).toBigInts());
});

/** Payload of party 0 and 1 for x @ w with x from 0 and w from 1 ([2,3] @ [3,4]). */
async function matmulPayload(
  opts: { inputAware?: boolean; derive?: boolean },
): Promise<number[]> {
  const X = ints([2, 3], 64, "x"), W = ints([3, 4], 64, "w");
  const res = await runParties(2, async (ctx) => {
    let x = await shareInt(ctx, X, 0);
    const w = await shareInt(ctx, W, 1);
    if (opts.derive) x = x.reshape([2, 3]);
    const s0 = ctx.stats().payloadBytes;
    const z = await x.matmul(w);
    await ctx.flush();
    const p = ctx.stats().payloadBytes - s0;
    assert.deepEqual((await z.revealRing())!.toBigInts(), cpu.matmul(X, W).toBigInts());
    return p;
  }, { inputAware: opts.inputAware });
  return res;
}

Deno.test("matmul: input-aware by default, Beaver with inputAware: false or a derived operand", async () => {
  // matmul_owned: P0 sends E (6 words), P1 sends F (12); matmul_aa: both send 6 + 12.
  assert.deepEqual(await matmulPayload({}), [6 * 8, 12 * 8]);
  assert.deepEqual(await matmulPayload({ inputAware: false }), [18 * 8, 18 * 8]);
  assert.deepEqual(await matmulPayload({ derive: true }), [18 * 8, 18 * 8]);
});

Deno.test("mul: same owner for both operands takes mul_aa", async () => {
  const X = ints([4], 64, "a");
  const [p] = await runParties(2, async (ctx) => {
    const x = await shareInt(ctx, X, 1);
    const y = await shareInt(ctx, X, 1);
    const s0 = ctx.stats().payloadBytes;
    await x.mul(y);
    await ctx.flush();
    return ctx.stats().payloadBytes - s0;
  });
  assert.equal(p, 8 * 8);
});

Deno.test("share: only the owner holds its clear value; a derived tensor has no owner", async () => {
  const res = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 1 ? [1.5, -2] : null, { from: 1, shape: [2] });
    const d = x.add(x);
    return {
      owner: x.owner,
      value: x.ownValue ? ctx.device.download(x.ownValue) : undefined,
      derived: [d.owner, d.ownValue],
    };
  });
  for (const [r, o] of res.entries()) {
    assert.equal(o.owner, 1);
    assert.deepEqual(o.derived, [undefined, undefined]);
    if (r !== 1) assert.equal(o.value, undefined, `party ${r} must hold no clear value`);
  }
  const v = await res[1].value!;
  assert.deepEqual(v.toBigInts(), [98304n, BigInt.asUintN(64, -131072n)]);
});

Deno.test("matmul_owned: a reused weight opens F once per owner of x", async () => {
  const W = ints([3, 2], 64, "w"), X0 = ints([4, 3], 64, "x0"), X2 = ints([4, 3], 64, "x2");
  const res = await runParties(3, async (ctx) => {
    const w = await shareInt(ctx, W, 1);
    const x0 = await shareInt(ctx, X0, 0);
    const x2 = await shareInt(ctx, X2, 2);
    const pays: number[] = [];
    const outs: (RingTensor | null)[] = [];
    for (const x of [x0, x0, x2, x2]) {
      const s0 = ctx.stats().payloadBytes;
      const z = await x.matmul(w);
      await ctx.flush();
      pays.push(ctx.stats().payloadBytes - s0);
      outs.push(await z.revealRing());
    }
    return { pays, outs };
  });
  assert.deepEqual(res[0].pays, [12 * 8, 12 * 8, 0, 0]);
  assert.deepEqual(res[1].pays, [6 * 8, 0, 6 * 8, 0]);
  assert.deepEqual(res[2].pays, [0, 0, 12 * 8, 12 * 8]);
  for (const r of res) {
    assert.deepEqual(r.outs[1]!.toBigInts(), cpu.matmul(X0, W).toBigInts());
    assert.deepEqual(r.outs[3]!.toBigInts(), cpu.matmul(X2, W).toBigInts());
  }
});

Deno.test("owned kernels: a derived operand run directly is a TypeError", async () => {
  await assert.rejects(
    runParties(2, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1] : null, { from: 0, shape: [1, 1] });
      const w = await ctx.share(ctx.rank === 1 ? [1] : null, { from: 1, shape: [1, 1] });
      return await ctx.run("matmul_owned", x.neg(), w);
    }),
    TypeError,
  );
  await assert.rejects(
    runParties(2, async (ctx) => {
      const x = await ctx.share(ctx.rank === 0 ? [1, 2] : null, { from: 0, shape: [2] });
      const y = await ctx.share(ctx.rank === 1 ? [1, 2, 3] : null, { from: 1, shape: [3] });
      return await ctx.run("mul_owned", x, y);
    }),
    TypeError,
  );
});

Deno.test("correlations: owned parts are drawn by their owner alone", async () => {
  const server = TtpServer.random(3);
  const req = { key: "k", ring: 64 as const };
  const sessions = [0, 1, 2].map((r) =>
    new SeededSession(
      server.seedFor(r),
      r,
      cpu,
      r === 0 ? (q) => Promise.resolve(server.corrections(q)) : undefined,
    )
  );
  const ts = await Promise.all(
    sessions.map((s) => s.ownedTriple(req.key, "matmul", [2, 3], [3, 2], 64, [2, 1])),
  );
  assert.equal(ts[0].a, null);
  assert.equal(ts[0].b, null);
  assert.equal(ts[1].a, null);
  assert.equal(ts[2].b, null);
  const c = ts.map((t) => t.c as RingTensor).reduce((u, v) => cpu.add(u, v));
  assert.deepEqual(
    c.toBigInts(),
    cpu.matmul(ts[2].a as RingTensor, ts[1].b as RingTensor).toBigInts(),
  );
  const p = plan({ kind: "mul", key: "k", ring: 64, shapes: [[2], [2]], owners: [1, 0] });
  assert.deepEqual(p.random.map((r) => r.owner), [1, 0]);
  assert.throws(
    () => plan({ kind: "mul", key: "k", ring: 64, shapes: [[2], [2]], owners: [1, 1] }),
    RangeError,
  );
  assert.throws(
    () => plan({ kind: "and", key: "k", ring: 64, shapes: [[2]], owners: [0, 1] }),
    TypeError,
  );
  assert.throws(
    () =>
      server.corrections({ kind: "mul", key: "k", ring: 64, shapes: [[2], [2]], owners: [0, 3] }),
    RangeError,
  );
  await assert.rejects(
    sessions[1].ownedTriple("k", "conv" as "mul", [2], [2], 64, [0, 1]),
    TypeError,
  );
});

Deno.test("createContext: parties that disagree on inputAware stop at setup", async () => {
  const dealer = ttp();
  const [t0, t1] = memoryNetwork(2);
  const got = await Promise.allSettled([
    createContext({ protocol: semi2k, dealer, transport: t0 }),
    createContext({ protocol: semi2k, dealer, transport: t1, inputAware: false }),
  ]);
  for (const g of got) {
    assert.equal(g.status, "rejected");
    assert.ok((g as PromiseRejectedResult).reason instanceof ProtocolAbortError);
  }
  await Promise.all([t0.close(), t1.close()]);
});

Deno.test("mul_owned and matmul_owned: large operands (pooled device buffers) stay right", async () => {
  // A device buffer freed before its message is sent is reused by the next kernel (here
  // the third party's truncation, on the same in-process device): only tensors of pool
  // size and a truncation show it.
  const k = 300;
  const xs = new Float64Array(k * k).map((_, i) => ((i * 7919) % 97) / 16 - 3);
  const ys = new Float64Array(k * k).map((_, i) => ((i * 104729) % 89) / 16 - 2.5);
  const res = await runParties(3, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? xs : null, { from: 0, shape: [k, k] });
    const y = await ctx.share(ctx.rank === 1 ? ys : null, { from: 1, shape: [k, k] });
    return await (await x.mul(y)).reveal();
  });
  for (const out of res) {
    let worst = 0;
    for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(out![i] - xs[i] * ys[i]));
    assert.ok(worst <= 2 ** -15, `off by ${worst}`);
  }
});

Deno.test("matmul_owned: concurrent products with one weight share a round; F is sent once", async () => {
  const W = ints([3, 2], 64, "cw"), X1 = ints([2, 3], 64, "c1"), X2 = ints([2, 3], 64, "c2");
  const res = await runParties(2, async (ctx) => {
    const w = await shareInt(ctx, W, 1);
    const x1 = await shareInt(ctx, X1, 0);
    const x2 = await shareInt(ctx, X2, 0);
    const s0 = ctx.stats();
    const [a, b] = await Promise.all([x1.matmul(w), x2.matmul(w)]);
    await ctx.flush();
    const s1 = ctx.stats();
    return {
      rounds: s1.rounds - s0.rounds,
      bytes: s1.payloadBytes - s0.payloadBytes,
      v: [await a.revealRing(), await b.revealRing()],
    };
  });
  assert.deepEqual(res.map((r) => [r.rounds, r.bytes]), [[1, 12 * 8], [1, 6 * 8]]);
  for (const r of res) {
    assert.deepEqual(r.v[0]!.toBigInts(), cpu.matmul(X1, W).toBigInts());
    assert.deepEqual(r.v[1]!.toBigInts(), cpu.matmul(X2, W).toBigInts());
  }
});

/** Wraps a transport to keep a copy of every message it sends, per peer. */
function recording(t: Transport, log: Map<number, Uint8Array[]>): Transport {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === "exchange") {
        return (send: ReadonlyMap<number, Uint8Array>, recvFrom: readonly number[]) => {
          for (const [p, m] of send) {
            if (!log.has(p)) log.set(p, []);
            log.get(p)!.push(m.slice());
          }
          return target.exchange(send, recvFrom);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Whether `hay` holds `needle` as a run of bytes. */
function holds(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let s = 0; s + needle.length <= hay.length; s++) {
    for (let k = 0; k < needle.length; k++) if (hay[s + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

const wordsOf = (t: RingTensor): Uint8Array =>
  new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();

Deno.test("owned kernels: an owner that input no value (secret 0) takes the same kernel as the others", async () => {
  // ctx.run("share", null, ...) on the owner is the share kernel's documented input of 0;
  // the owner then holds no clear value. Whether a party holds one is not a public fact:
  // every party must still pick mul_owned / matmul_owned.
  for (const n of [2, 3]) {
    const Y = ints([2, 3], 64, "zy");
    const res = await runParties(n, async (ctx) => {
      const x = await ctx.run<SecretTensor>("share", null, 0, [2, 3], "arithmetic", 0);
      const y = await shareInt(ctx, Y, 1);
      const w = await ctx.run<SecretTensor>("share", null, 0, [3, 2], "arithmetic", 0);
      const s0 = ctx.stats().payloadBytes;
      const p = await x.mul(y);
      const q = await y.matmul(w); // the valueless operand on the right
      const r = await x.matmul(await shareInt(ctx, ints([3, 2], 64, "zw"), 1));
      await ctx.flush();
      const pay = ctx.stats().payloadBytes - s0;
      return { pay, outs: [await p.revealRing(), await q.revealRing(), await r.revealRing()] };
    }, { ring: 64 });
    // Input-aware traffic (Beaver's would be 36 words each): party 0 sends E of x twice and
    // F of w; party 1 sends F of y and of the last weight, and E of y. 6 words each.
    assert.deepEqual(res.map((r) => r.pay).slice(0, 2), [18 * 8, 18 * 8], `n = ${n}`);
    for (const r of res) {
      assert.deepEqual(r.outs[0]!.toBigInts(), new Array(6).fill(0n));
      assert.deepEqual(r.outs[1]!.toBigInts(), new Array(4).fill(0n));
      assert.deepEqual(r.outs[2]!.toBigInts(), new Array(4).fill(0n));
    }
  }
});

Deno.test("owned kernels: no message holds a clear operand; A is fresh per product", async () => {
  const n = 3;
  const X = ints([4, 4], 64, "sx"), W = ints([4, 4], 64, "sw");
  const logs = Array.from({ length: n }, () => new Map<number, Uint8Array[]>());
  const transports = memoryNetwork(n).map((t, r) => recording(t, logs[r]));
  await runParties(n, async (ctx) => {
    const x = await shareInt(ctx, X, 0);
    const w = await shareInt(ctx, W, 2);
    await ctx.flush();
    logs[ctx.rank].clear();
    // Same x twice with one weight (F once, E twice), then elementwise twice.
    await x.matmul(w);
    await ctx.flush();
    await x.matmul(w);
    await ctx.flush();
    await x.mul(w);
    await ctx.flush();
    await x.mul(w);
    await ctx.flush();
  }, { ring: 64, transports });
  const all = logs.flatMap((m) => [...m.values()].flat());
  assert.ok(all.length > 0);
  for (const m of all) {
    assert.ok(!holds(m, wordsOf(X)), "a message holds X in the clear");
    assert.ok(!holds(m, wordsOf(W)), "a message holds W in the clear");
  }
  // Only party 0 -> 2 (E) and 2 -> 0 (F) carry data; party 1 sends nothing at all.
  assert.deepEqual([...logs[1].keys()], []);
  assert.deepEqual([...logs[0].keys()], [2]);
  assert.deepEqual([...logs[2].keys()], [0]);
  // Party 0's four E messages end with E = X - A: all different (A drawn afresh each time).
  const tails = logs[0].get(2)!.map((m) => m.slice(m.length - 16 * 8).join(","));
  assert.equal(tails.length, 4);
  assert.equal(new Set(tails).size, 4, "E repeated: a mask A was reused");
  // Party 2 sent F for the weight once (matmul) and once per mul: three different masks.
  const fs = logs[2].get(0)!.map((m) => m.slice(m.length - 16 * 8).join(","));
  assert.equal(fs.length, 3);
  assert.equal(new Set(fs).size, 3, "F repeated: a mask B was reused across products");
});

Deno.test("owned kernels: operands of two contexts are a TypeError on every party", async () => {
  // Two contexts per party, side by side over two networks.
  const netA = memoryNetwork(2), netB = memoryNetwork(2);
  const dA = ttp(), dB = ttp();
  const res = await Promise.allSettled([0, 1].map(async (r) => {
    const [a, b] = await Promise.all([
      createContext({ protocol: semi2k, dealer: dA, transport: netA[r] }),
      createContext({ protocol: semi2k, dealer: dB, transport: netB[r] }),
    ]);
    const x = await a.share(r === 0 ? [1, 2] : null, { from: 0, shape: [2] });
    const y = await b.share(r === 1 ? [3, 4] : null, { from: 1, shape: [2] });
    const errs: unknown[] = [];
    for (
      const f of [() => x.mul(y), () => a.run("mul_owned", x, y), () => a.run("matmul_owned", x, y)]
    ) {
      errs.push(await f().then(() => null, (e) => e));
    }
    await Promise.all([a.close(), b.close()]);
    return errs;
  }));
  for (const r of res) {
    assert.equal(r.status, "fulfilled");
    for (const e of (r as PromiseFulfilledResult<unknown[]>).value) {
      assert.ok(e instanceof TypeError, String(e));
    }
  }
});

Deno.test("owned kernels: shapes that do not fit are a TypeError on every party, and nothing is sent", async () => {
  const res = await runParties(3, async (ctx) => {
    const x = await shareInt(ctx, ints([2, 3], 64, "bx"), 0);
    const y = await shareInt(ctx, ints([4], 64, "by"), 2);
    const w = await shareInt(ctx, ints([4, 2], 64, "bw"), 1);
    const s0 = ctx.stats();
    const errs: unknown[] = [];
    for (
      const f of [
        () => x.mul(y),
        () => x.matmul(w),
        () => ctx.run("mul_owned", x, y),
        () => ctx.run("matmul_owned", x, w),
      ]
    ) {
      errs.push(await f().then(() => null, (e) => e));
    }
    const s1 = ctx.stats();
    // The context is still in step: a product that fits runs right afterwards.
    const v = ints([3, 4], 64, "bv");
    const ok = await (await x.matmul(await shareInt(ctx, v, 2))).revealRing();
    return { errs, sent: s1.payloadBytes - s0.payloadBytes, ok, v };
  }, { ring: 64 });
  for (const [r, o] of res.entries()) {
    for (const e of o.errs) assert.ok(e instanceof TypeError, `party ${r}: ${e}`);
    assert.equal(o.sent, 0, `party ${r} sent for a bad product`);
    assert.deepEqual(o.ok!.toBigInts(), cpu.matmul(ints([2, 3], 64, "bx"), o.v).toBigInts());
  }
});
