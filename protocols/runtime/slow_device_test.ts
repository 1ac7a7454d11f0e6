/**
 * Timing must never change a result: arithmetic and comparison ops issued together
 * (`Promise.all`) and in `ctx.parallel` branches that await between ops, on devices whose
 * downloads resolve late at another pace on each party, and with a dealer that answers
 * party 0 late, over 2 and 3 parties, against plaintext. (The per-kernel cases run with
 * the slow device in `conformance_test.ts` and `compare/compare_test.ts`.)
 */
import assert from "node:assert/strict";
import { cpu } from "@sharetensor/core/cpu";
import { RingTensor } from "@sharetensor/core/ring";
import type { Dealer } from "../dealers/dealer.ts";
import { SeededSession } from "../dealers/seeded_session.ts";
import { TtpServer } from "../dealers/ttp_server.ts";
import type { Context } from "./context.ts";
import { runParties } from "./run_parties.ts";
import { slowDevice } from "./slow_device.ts";

const ULP = 2 ** -16;
const X = [1.5, -2, 3, 0.25, -0.5, 0, 7.75, -3.25];
const Y = [0.5, -2, -1, 2.5, 4, 0, -7.75, 1];

function close(got: Float64Array | null, want: number[], tol: number, what: string): void {
  assert.ok(got, `${what}: no value`);
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]}, want ${want[i]}`);
  }
}

const rows = (v: number[]) => [v.slice(0, 4), v.slice(4)];
const zip = (f: (a: number, b: number) => number) => X.map((a, i) => f(a, Y[i]));
const b = (c: boolean) => c ? 1 : 0;

/** Plaintext results of {@linkcode program}, by name. */
const want: Record<string, [number[], number]> = {
  mul: [zip((a, c) => a * c), ULP],
  relu: [X.map((a) => Math.max(a, 0)), 0],
  lt: [zip((a, c) => b(a < c)), 0],
  eq: [zip((a, c) => b(a === c)), 0],
  min: [zip(Math.min), 0],
  whereArith: [zip((a, c) => a < c ? 2 * a : c), 0],
  max: [rows(X).map((r) => Math.max(...r)), 0],
  argmax: [rows(X).flatMap((r) => r.map((v) => b(v === Math.max(...r)))), 0],
  pool: [[Math.max(1.5, -2, -0.5, 0), Math.max(3, 0.25, 7.75, -3.25)], 0],
  word: [X, 0],
  matmul: [
    rows(X).flatMap((r) => rows(Y).map((c) => r.reduce((s, v, k) => s + v * c[k], 0))),
    4 * ULP,
  ],
  branchA: [zip((a, c) => Math.max(a * c, 0) * 2), 2 * ULP],
  branchB: [rows(X).map((r) => Math.abs(Math.max(...r))), 0],
  branchC: [zip((a, c) => b(a >= c) * a), 0],
};

/** Every op kind at once, then branches that await between their ops. */
async function program(ctx: Context): Promise<Record<string, Float64Array | null>> {
  const x = await ctx.share(ctx.rank === 0 ? X : null, { from: 0, shape: [2, 4] });
  const y = await ctx.share(ctx.rank === ctx.size - 1 ? Y : null, {
    from: ctx.size - 1,
    shape: [2, 4],
  });
  // Issued in one tick: no awaits between ops, so plain Promise.all is enough.
  const [mul, relu, lt, eq, [max, oh], pool, matmul] = await Promise.all([
    x.mul(y),
    x.relu(),
    x.lt(y),
    x.eq(y),
    x.maxArgmax(1),
    x.reshape([1, 1, 2, 4]).maxPool2d(2),
    x.matmul(y.transpose()),
  ]);
  // Chains that await between ops: each in its own branch (the SPMD contract).
  const [min, whereArith, word, branchA, branchB, branchC] = await ctx.parallel([
    async () => x.where(await x.sub(y).msb(), y),
    async () => x.mulPublic(2).where(await x.lt(y), y),
    async () => await (await x.toBinary()).toArithmeticWord(16),
    async () => (await (await x.mul(y)).relu()).mulPublic(2),
    async () => await (await x.max(1)).abs(),
    async () => await (await x.ge(y)).mul(x),
  ]);
  const outs = {
    mul,
    relu,
    lt,
    eq,
    min,
    whereArith,
    max,
    argmax: oh,
    pool,
    word,
    matmul,
    branchA,
    branchB,
    branchC,
  };
  const names = Object.keys(outs) as (keyof typeof outs)[];
  const vals = await Promise.all(names.map((k) => outs[k].flatten().reveal()));
  return Object.fromEntries(names.map((k, i) => [k, vals[i]]));
}

function checkAll(res: Record<string, Float64Array | null>[], what: string): void {
  for (const [rank, r] of res.entries()) {
    for (const [name, [v, tol]] of Object.entries(want)) {
      close(r[name], v, tol, `${what}, party ${rank}: ${name}`);
    }
  }
}

/** A TTP whose corrections reach party 0 after a seeded random delay (as over a network). */
function lateTtp(n: number, seed: number): Dealer {
  const server = TtpServer.random(n);
  let s = seed;
  const delay = () => (s = (s * 1103515245 + 12345) % 2147483648) % 5;
  return {
    name: "ttp",
    connect(info) {
      const fetch = (req: Parameters<TtpServer["corrections"]>[0]) => {
        const out = server.corrections(req);
        return new Promise<RingTensor[]>((r) => setTimeout(() => r(out), delay()));
      };
      return Promise.resolve(
        new SeededSession(server.seedFor(info.rank), info.rank, info.device, fetch),
      );
    },
  };
}

for (const n of [2, 3]) {
  Deno.test(`slow device: ops issued together and in parallel branches, ${n} parties`, async () => {
    for (const seed of [1, 2, 3]) {
      const res = await runParties(n, program, {
        device: (rank) => slowDevice({ seed: 100 * seed + rank }),
      });
      checkAll(res, `seed ${seed}`);
    }
  });

  Deno.test(`slow device and a dealer that answers party 0 late, ${n} parties`, async () => {
    const res = await runParties(n, program, {
      dealer: lateTtp(n, 7 + n),
      device: (rank) => slowDevice({ seed: 40 + rank, maxDelayMs: 2 }),
    });
    checkAll(res, "late dealer");
  });
}

Deno.test("slowDevice: downloads late but exact, seeded, read() hidden, kernels of the base", async () => {
  const d = slowDevice({ seed: 5, maxDelayMs: 3, quickShare: 0 });
  assert.equal(d.name, "slow(cpu)");
  assert.equal((d as { read?: unknown }).read, undefined);
  assert.ok(!("read" in d));
  const t = RingTensor.fromBigInts([3n, -4n], [2]);
  const buf = d.add(d.upload(t), d.upload(t));
  assert.deepEqual((await d.download(buf)).toBigInts(true), [6n, -8n]);
  // A later download can finish first: the delays are not in call order.
  const order: number[] = [];
  const bufs = Array.from(
    { length: 8 },
    (_, i) => cpu.upload(RingTensor.fromBigInts([BigInt(i)], [1])),
  );
  await Promise.all(bufs.map((x, i) => d.download(x).then(() => order.push(i))));
  assert.notDeepEqual(order, [...order].sort((p, q) => p - q), `order ${order}`);
});
