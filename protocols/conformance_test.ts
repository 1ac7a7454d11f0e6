/**
 * Protocol conformance: every semi2k kernel over 2, 3 and 4 parties, both rings and both
 * dealers, on the in-memory transport. Values are checked against plaintext references
 * (bit-exact for ring results; products within the documented truncation error of one
 * unit in the last place), and each party's counted rounds and payload bytes against the
 * kernel's declared cost (the busiest party must match it exactly, none may exceed it).
 * Then the values again with device downloads that resolve late, at another pace on each
 * party (as on WebGPU; `runtime/slow_device.ts`): timing must never change a result.
 */
import assert from "node:assert/strict";
import { cpu } from "@sharetensor/core/cpu";
import { Prg } from "@sharetensor/core/prg";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import { numel, type Shape } from "@sharetensor/core/shape";
import type { Context } from "./runtime/context.ts";
import { runParties } from "./runtime/run_parties.ts";
import { slowDevice } from "./runtime/slow_device.ts";
import { MESSAGE_HEADER_BYTES, SUB_HEADER_BYTES } from "./runtime/frame.ts";
import type { SecretTensor } from "./secret_tensor.ts";

const prg = new Prg(new Uint8Array(32).fill(42));

/** Full-ring random values. */
function wide(shape: Shape, ring: Ring, label: string): RingTensor {
  return prg.fork(label).ring(shape, ring);
}

/** Fixed-point values on the grid, |v| < 4 (raw integers of fracBits f). */
function grid(shape: Shape, ring: Ring, f: number, label: string): RingTensor {
  const bits = Math.min(f + 3, 30);
  const span = 2 ** bits;
  const u = prg.fork(label).uniformBelow(numel(shape), span);
  const scale = 1n << BigInt(f + 3 - bits);
  return RingTensor.fromBigInts([...u].map((v) => BigInt(v - span / 2) * scale), shape, ring);
}

/** Signed ring values of `got` equal `ref` (tol 0) or lie within `tol` of it. */
function near(got: RingTensor | null, ref: RingTensor, tol: number, what: string): void {
  assert.ok(got, `${what}: no value`);
  assert.deepEqual(got.shape, ref.shape, `${what}: shape`);
  const g = got.toBigInts(true);
  const r = ref.toBigInts(true);
  for (let i = 0; i < g.length; i++) {
    const d = g[i] - r[i];
    assert.ok(
      d <= BigInt(tol) && d >= -BigInt(tol),
      `${what}[${i}]: ${g[i]} vs ${r[i]} (tol ${tol})`,
    );
  }
}

interface Measured<T> {
  value: T;
  rounds: number;
  payload: number;
  declaredRounds: number;
  declaredBytes: number;
}

/** Runs kernel `name` alone (after a flush) and measures this party's traffic. */
async function measure<T>(ctx: Context, name: string, ...args: unknown[]): Promise<Measured<T>> {
  await ctx.flush();
  const k = ctx.kernel(name);
  const declaredRounds = k.cost.rounds(ctx.size, ...args);
  const declaredBytes = k.cost.bytesPerParty(ctx.size, ...args);
  const s0 = ctx.stats();
  const value = await ctx.run<T>(name, ...args);
  await ctx.flush();
  const s1 = ctx.stats();
  assert.equal(
    s1.bytesSent - s0.bytesSent,
    s1.payloadBytes - s0.payloadBytes + s1.frameBytes - s0.frameBytes,
    `${name}: transport bytes = payload + framing`,
  );
  assert.ok(
    s1.frameBytes - s0.frameBytes <=
      (s1.messages - s0.messages) * (MESSAGE_HEADER_BYTES + 4 * SUB_HEADER_BYTES),
  );
  return {
    value,
    rounds: s1.rounds - s0.rounds,
    payload: s1.payloadBytes - s0.payloadBytes,
    declaredRounds,
    declaredBytes,
  };
}

function checkCost(name: string, ms: Measured<unknown>[]): void {
  const d = ms[0];
  for (const m of ms) {
    assert.equal(m.declaredRounds, d.declaredRounds, `${name}: parties declare the same rounds`);
    assert.ok(
      m.rounds <= d.declaredRounds,
      `${name}: ${m.rounds} rounds > declared ${d.declaredRounds}`,
    );
    assert.ok(
      m.payload <= d.declaredBytes,
      `${name}: ${m.payload} bytes > declared ${d.declaredBytes}`,
    );
  }
  assert.equal(Math.max(...ms.map((m) => m.rounds)), d.declaredRounds, `${name}: rounds`);
  assert.equal(Math.max(...ms.map((m) => m.payload)), d.declaredBytes, `${name}: bytes`);
}

type Case = {
  name: string;
  /** Runs on each party; returns the measurement and the revealed result (ring). */
  run(ctx: Context): Promise<{ m: Measured<unknown>; out: RingTensor | null }>;
  /** Checks the revealed results (index = rank). */
  check(outs: (RingTensor | null)[], ring: Ring, f: number, n: number): void;
};

async function shareA(
  ctx: Context,
  t: RingTensor,
  from: number,
  fracBits: number,
): Promise<SecretTensor> {
  return await ctx.share(ctx.rank === from ? t : null, { from, shape: t.shape, fracBits });
}

function product(
  name: string,
  shapes: [Shape, Shape],
  ref: (a: RingTensor, b: RingTensor) => RingTensor,
  call: (ctx: Context, x: SecretTensor, y: SecretTensor) => [string, ...unknown[]],
  fixed = true,
  from: [number, number] = [0, -1],
): Case {
  // Owners of x and y; -1 is the last party (so that 2, 3 and 4 parties all have them).
  const owner = (ctx: Context, r: number) => r < 0 ? ctx.size + r : r;
  const X = (ring: Ring, f: number) =>
    fixed ? grid(shapes[0], ring, f, name + "x") : wide(shapes[0], ring, name + "x");
  const Y = (ring: Ring, f: number) =>
    fixed ? grid(shapes[1], ring, f, name + "y") : wide(shapes[1], ring, name + "y");
  return {
    name,
    async run(ctx) {
      const f = fixed ? ctx.fracBits : 0;
      const x = await shareA(ctx, X(ctx.ring, f), owner(ctx, from[0]), f);
      const y = await shareA(ctx, Y(ctx.ring, f), owner(ctx, from[1]), f);
      const [k, ...args] = call(ctx, x, y);
      const m = await measure<SecretTensor>(ctx, k, ...args);
      assert.equal(m.value.fracBits, f);
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring, f) {
      const full = ref(X(ring, fixed ? f : 0), Y(ring, fixed ? f : 0));
      for (const o of outs) near(o, fixed ? cpu.sar(full, f) : full, fixed ? 1 : 0, name);
    },
  };
}

const cases: Case[] = [
  {
    name: "share",
    async run(ctx) {
      const t = grid([5], ctx.ring, ctx.fracBits, "share");
      const m = await measure<SecretTensor>(
        ctx,
        "share",
        ctx.rank === 1 ? t : null,
        1,
        [5],
        "arithmetic",
        ctx.fracBits,
      );
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring, f) {
      for (const o of outs) near(o, grid([5], ring, f, "share"), 0, "share");
    },
  },
  {
    name: "reveal_a to one",
    async run(ctx) {
      const x = await shareA(ctx, wide([2, 3], ctx.ring, "rv"), 0, 0);
      const m = await measure<RingTensor | null>(ctx, "reveal_a", x, ctx.size - 1);
      return { m, out: m.value };
    },
    check(outs, ring, _f, n) {
      outs.forEach((o, r) =>
        r === n - 1 ? near(o, wide([2, 3], ring, "rv"), 0, "reveal") : assert.equal(o, null)
      );
    },
  },
  {
    name: "reveal_b",
    async run(ctx) {
      const t = wide([4], ctx.ring, "rb");
      const x = await ctx.share(ctx.rank === 0 ? t : null, { from: 0, shape: [4], kind: "binary" });
      const m = await measure<RingTensor | null>(ctx, "reveal_b", x, undefined);
      return { m, out: m.value };
    },
    check(outs, ring) {
      for (const o of outs) near(o, wide([4], ring, "rb"), 0, "reveal_b");
    },
  },
  product(
    "mul_aa int",
    [[2, 3], [3]],
    (a, b) => cpu.mul(a, b),
    (_c, x, y) => ["mul_aa", x, y],
    false,
  ),
  product("mul_aa", [[7], [7]], (a, b) => cpu.mul(a, b), (_c, x, y) => ["mul_aa", x, y]),
  product("square_a", [[6], [1]], (a) => cpu.mul(a, a), (_c, x) => ["square_a", x]),
  product(
    "matmul_aa",
    [[2, 3], [3, 4]],
    (a, b) => cpu.matmul(a, b),
    (_c, x, y) => ["matmul_aa", x, y],
  ),
  product(
    "matmul_aa int batched",
    [[2, 2, 3], [3, 2]],
    (a, b) => cpu.matmul(a, b),
    (_c, x, y) => ["matmul_aa", x, y],
    false,
  ),
  product(
    "conv2d_aa",
    [[1, 2, 4, 4], [3, 2, 3, 3]],
    (a, b) => cpu.conv2d(a, b, { padding: 1 }),
    (_c, x, y) => ["conv2d_aa", x, y, { padding: 1 }],
  ),
  product(
    "conv1d_aa",
    [[2, 2, 6], [2, 1, 3]],
    (a, b) => cpu.conv1d(a, b, { groups: 2, stride: 2 }),
    (_c, x, y) => [
      "conv1d_aa",
      x,
      y,
      { groups: 2, stride: 2 },
    ],
  ),
  {
    name: "matmul_aa reused weight",
    async run(ctx) {
      const f = ctx.fracBits;
      const w = await shareA(ctx, grid([3, 2], ctx.ring, f, "w"), 1, f);
      const x1 = await shareA(ctx, grid([4, 3], ctx.ring, f, "x1"), 0, f);
      const x2 = await shareA(ctx, grid([4, 3], ctx.ring, f, "x2"), 0, f);
      // x1 through a derived op: not a fresh input, so matmul takes matmul_aa (the
      // input-aware matmul_owned keeps a mask of its own).
      await x1.reshape([4, 3]).matmul(w);
      const m = await measure<SecretTensor>(ctx, "matmul_aa", x2, w);
      const bytes = (ctx.size - 1) * 12 * ctx.ring / 8 + (ctx.size > 2 ? 8 * ctx.ring / 8 : 0);
      assert.equal(m.declaredBytes, bytes, "a reused weight costs only the activation part");
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring, f) {
      const ref = cpu.sar(cpu.matmul(grid([4, 3], ring, f, "x2"), grid([3, 2], ring, f, "w")), f);
      for (const o of outs) near(o, ref, 1, "matmul reused");
    },
  },
  // Input-aware products of fresh inputs of two different parties (mul_owned.ts).
  product(
    "mul_owned int",
    [[2, 3], [3]],
    (a, b) => cpu.mul(a, b),
    (_c, x, y) => ["mul_owned", x, y],
    false,
  ),
  product("mul_owned", [[7], [7]], (a, b) => cpu.mul(a, b), (_c, x, y) => ["mul_owned", x, y]),
  product(
    "mul_owned owners (last, 0)",
    [[3], [2, 3]],
    (a, b) => cpu.mul(a, b),
    (_c, x, y) => ["mul_owned", x, y],
    true,
    [-1, 0],
  ),
  product(
    "matmul_owned",
    [[2, 3], [3, 4]],
    (a, b) => cpu.matmul(a, b),
    (_c, x, y) => ["matmul_owned", x, y],
  ),
  product(
    "matmul_owned owners (1, 0)",
    [[4, 3], [3, 2]],
    (a, b) => cpu.matmul(a, b),
    (_c, x, y) => ["matmul_owned", x, y],
    true,
    [1, 0],
  ),
  product(
    "matmul_owned int batched",
    [[2, 2, 3], [3, 2]],
    (a, b) => cpu.matmul(a, b),
    (_c, x, y) => ["matmul_owned", x, y],
    false,
  ),
  {
    name: "matmul_owned reused weight",
    async run(ctx) {
      const f = ctx.fracBits;
      const w = await shareA(ctx, grid([3, 2], ctx.ring, f, "w"), 1, f);
      const x1 = await shareA(ctx, grid([4, 3], ctx.ring, f, "x1"), 0, f);
      const x2 = await shareA(ctx, grid([4, 3], ctx.ring, f, "x2"), 0, f);
      await x1.matmul(w);
      const m = await measure<SecretTensor>(ctx, "matmul_owned", x2, w);
      // x's owner (party 0) sends E (12 words); party 0 sends nothing in the truncation.
      const bytes = Math.max(12, ctx.size > 2 ? 8 : 0) * ctx.ring / 8;
      assert.equal(m.declaredBytes, bytes, "a reused weight costs only E, sent by x's owner");
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring, f) {
      const ref = cpu.sar(cpu.matmul(grid([4, 3], ring, f, "x2"), grid([3, 2], ring, f, "w")), f);
      for (const o of outs) near(o, ref, 1, "matmul_owned reused");
    },
  },
  {
    name: "trunc_a",
    async run(ctx) {
      const x = await shareA(ctx, grid([9], ctx.ring, 2 * ctx.fracBits, "tr"), 0, 2 * ctx.fracBits);
      const m = await measure<SecretTensor>(ctx, "trunc_a", x, ctx.fracBits);
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring, f) {
      for (const o of outs) near(o, cpu.sar(grid([9], ring, 2 * f, "tr"), f), 1, "trunc");
    },
  },
  {
    name: "and_bb",
    async run(ctx) {
      const a = wide([5], ctx.ring, "and_a");
      const b = wide([5], ctx.ring, "and_b");
      const x = await ctx.share(ctx.rank === 0 ? a : null, { from: 0, shape: [5], kind: "binary" });
      const y = await ctx.share(ctx.rank === 1 ? b : null, { from: 1, shape: [5], kind: "binary" });
      const m = await measure<SecretTensor>(ctx, "and_bb", x, y);
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring) {
      for (const o of outs) {
        near(o, cpu.and(wide([5], ring, "and_a"), wide([5], ring, "and_b")), 0, "and_bb");
      }
    },
  },
  {
    name: "b2a_bit",
    async run(ctx) {
      const x = await ctx.share(ctx.rank === 0 ? wide([11], ctx.ring, "b2a") : null, {
        from: 0,
        shape: [11],
        kind: "binary",
      });
      const m = await measure<SecretTensor>(ctx, "b2a_bit", x);
      assert.equal(m.value.kind, "arithmetic");
      return { m, out: await m.value.revealRing() };
    },
    check(outs, ring) {
      for (const o of outs) near(o, cpu.bit(wide([11], ring, "b2a"), 0), 0, "b2a_bit");
    },
  },
];

for (const n of [2, 3, 4]) {
  for (const ring of [64, 32] as const) {
    for (const dealer of ["ttp", "tfpUnsafe"] as const) {
      // Truncation fails with probability ~|raw product| / 2^ring per element (SecureML's
      // local rule, and the dealer pair at n > 2); in Z_2^32 products at 8 fractional bits
      // reach 2^24, so a run of this suite failed about once in tens. At 4 bits they stay
      // under 2^16 and the check stays bit-exact (within the documented 1 ulp).
      const fracBits = ring === 64 ? 16 : 4;
      Deno.test(`conformance: semi2k, ${n} parties, Z_2^${ring}, ${dealer}`, async (t) => {
        for (const c of cases) {
          await t.step(c.name, async () => {
            const res = await runParties(n, (ctx) => c.run(ctx), { ring, fracBits, dealer });
            checkCost(c.name, res.map((r) => r.m));
            c.check(res.map((r) => r.out), ring, fracBits, n);
          });
        }
      });
    }
  }
}

// Costs are not held here: work that shares a round on a fast device may take two.
for (const n of [2, 3]) {
  Deno.test(`conformance: semi2k, ${n} parties, Z_2^64, ttp, slow device downloads`, async (t) => {
    for (const [i, c] of cases.entries()) {
      const seeds = Array.from({ length: n }, (_, r) => 500 * n + 10 * i + r);
      await t.step(`${c.name} (seeds ${seeds})`, async () => {
        const res = await runParties(n, (ctx) => c.run(ctx), {
          fracBits: 16,
          device: (rank) => slowDevice({ seed: seeds[rank] }),
        });
        c.check(res.map((r) => r.out), 64, 16, n);
      });
    }
  });
}

Deno.test("conformance: the cost targets at 2 parties in Z_2^64", async () => {
  const [r] = await runParties(2, async (ctx) => {
    const x = await ctx.share(ctx.rank === 0 ? new Float64Array(100).fill(1.5) : null, {
      from: 0,
      shape: [100],
    });
    const a = await ctx.share(ctx.rank === 0 ? new Float64Array(6 * 5) : null, {
      from: 0,
      shape: [6, 5],
    });
    const b = await ctx.share(ctx.rank === 1 ? new Float64Array(5 * 7) : null, {
      from: 1,
      shape: [5, 7],
    });
    const mul = await measure<SecretTensor>(ctx, "mul_aa", x, x);
    const mm = await measure<SecretTensor>(ctx, "matmul_aa", a, b);
    return { mul, mm };
  });
  assert.ok(
    r.mul.payload <= 16 * 100 && r.mul.rounds === 1,
    `mul: ${r.mul.payload} bytes, ${r.mul.rounds} rounds`,
  );
  assert.ok(
    r.mm.payload <= (6 * 5 + 5 * 7) * 8 && r.mm.rounds === 1,
    `matmul: ${r.mm.payload} B, ${r.mm.rounds} rounds`,
  );
});
