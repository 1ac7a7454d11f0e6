/**
 * The comparison kernels over 2, 3 and 4 parties, both rings and both dealers: ring results
 * bit-exact against BigInt references (decoded ones exact too: the kernels add no error
 * beyond the inputs' encoding), edge values, and each kernel's counted rounds and payload
 * bytes against its declared cost; and all of them again with device downloads that resolve
 * late, at another pace on each party (as on WebGPU): values only, timing must not matter.
 */
import assert from "node:assert/strict";
import { Prg } from "@sharetensor/core/prg";
import { type Ring, RingTensor } from "@sharetensor/core/ring";
import type { Context } from "../runtime/context.ts";
import { runParties } from "../runtime/run_parties.ts";
import { slowDevice } from "../runtime/slow_device.ts";
import type { SecretTensor } from "../secret_tensor.ts";
import type { MaxResult } from "./max_a.ts";
import { checkCost, type Measured, measured } from "./testing.ts";

const prg = new Prg(new Uint8Array(32).fill(9));

/** Edge values, then full-ring random ones. */
function wide(ring: Ring, n: number): bigint[] {
  const h = 1n << BigInt(ring - 1);
  const edge = [0n, -1n, -h, h - 1n, 1n, -2n];
  return [...edge, ...prg.fork(`w${ring}`).ring([n], ring).toBigInts(true)];
}

/** Fixed-point raw values |v| < 4 * 2^f, with repeats (ties and equal pairs). */
function grid(ring: Ring, f: number, n: number, label: string): bigint[] {
  const span = 2 ** Math.min(f + 3, 28);
  const u = prg.fork(label + ring).uniformBelow(n, span);
  const v = [...u].map((x) => BigInt(x - span / 2) * (1n << BigInt(f + 3 - Math.log2(span))));
  for (let i = 3; i < n; i += 5) v[i] = v[i - 3];
  return v;
}

const ringT = (v: bigint[], ring: Ring, shape = [v.length]) =>
  RingTensor.fromBigInts(v, shape, ring);

type Case = {
  name: string;
  run(ctx: Context): Promise<{ m: Measured<unknown>; out: bigint[] }>;
  ref(ring: Ring, f: number): bigint[];
};

async function shareRaw(ctx: Context, v: bigint[], f: number, shape = [v.length]) {
  return await ctx.share(ctx.rank === 0 ? ringT(v, ctx.ring, shape) : null, {
    from: 0,
    shape,
    fracBits: f,
  });
}

async function outOf(m: Measured<unknown>): Promise<bigint[]> {
  return (await (m.value as SecretTensor).revealRing())!.toBigInts(true);
}

function unary(
  name: string,
  kernel: string,
  data: (ring: Ring, f: number) => bigint[],
  ref: (v: bigint, ring: Ring) => bigint,
): Case {
  return {
    name,
    async run(ctx) {
      const x = await shareRaw(ctx, data(ctx.ring, ctx.fracBits), ctx.fracBits);
      const m = await measured(ctx, kernel, x);
      return { m, out: await outOf(m) };
    },
    ref: (ring, f) => data(ring, f).map((v) => ref(v, ring)),
  };
}

const relus = (ring: Ring, f: number) => {
  const h = 1n << BigInt(ring - 1);
  return [...grid(ring, f, 30, "relu"), 0n, -1n, 1n, h - 1n];
};
const sgn = (v: bigint) => v > 0n ? 1n : v < 0n ? -1n : 0n;

const cases: Case[] = [
  unary("msb_a", "msb_a", (r) => wide(r, 40), (v) => v < 0n ? 1n : 0n),
  unary("a2b", "a2b", (r) => wide(r, 40), (v) => v),
  unary("ltz_a", "ltz_a", (r) => wide(r, 20), (v) => v < 0n ? 1n : 0n),
  unary("gez_a", "gez_a", (r) => wide(r, 20), (v) => v >= 0n ? 1n : 0n),
  unary("eqz_a", "eqz_a", (r) => [...wide(r, 20), 0n, 0n], (v) => v === 0n ? 1n : 0n),
  unary("nez_a", "nez_a", (r) => [...wide(r, 20), 0n], (v) => v !== 0n ? 1n : 0n),
  unary("sign_a", "sign_a", (r) => wide(r, 20), sgn),
  unary("relu_a", "relu_a", relus, (v) => v > 0n ? v : 0n),
  unary("abs_a", "abs_a", relus, (v) => v < 0n ? -v : v),
  {
    name: "relu_mask_a",
    async run(ctx) {
      const x = await shareRaw(ctx, relus(ctx.ring, ctx.fracBits), ctx.fracBits);
      const m = await measured<[SecretTensor, SecretTensor]>(ctx, "relu_mask_a", x);
      const [y, mask] = m.value;
      assert.equal(mask.fracBits, 0);
      const ys = (await y.revealRing())!.toBigInts(true);
      return { m, out: [...ys, ...(await mask.revealRing())!.toBigInts(true)] };
    },
    ref: (ring, f) => {
      const v = relus(ring, f);
      return [...v.map((x) => x > 0n ? x : 0n), ...v.map((x) => x >= 0n ? 1n : 0n)];
    },
  },
  {
    name: "max_pool2d_a 2x2 with one-hot",
    async run(ctx) {
      const x = await shareRaw(ctx, grid(ctx.ring, ctx.fracBits, 32, "pa"), ctx.fracBits, [
        1,
        2,
        4,
        4,
      ]);
      const m = await measured<[SecretTensor, SecretTensor]>(
        ctx,
        "max_pool2d_a",
        x,
        2,
        {},
        true,
      );
      const [v, oh] = m.value;
      assert.deepEqual(oh.shape, [1, 2, 2, 2, 4]);
      const vs = (await v.revealRing())!.toBigInts(true);
      return { m, out: [...vs, ...(await oh.revealRing())!.toBigInts(true)] };
    },
    ref: (ring, f) => {
      const x = grid(ring, f, 32, "pa");
      const vals: bigint[] = [];
      const oh: bigint[] = [];
      for (let c = 0; c < 2; c++) {
        for (let oi = 0; oi < 2; oi++) {
          for (let oj = 0; oj < 2; oj++) {
            const w = [0, 1, 2, 3].map((k) =>
              x[c * 16 + (2 * oi + (k >> 1)) * 4 + 2 * oj + (k & 1)]
            );
            const mx = w.reduce((a, b) => a > b ? a : b);
            vals.push(mx);
            w.forEach((_v, k) => oh.push(k === w.indexOf(mx) ? 1n : 0n));
          }
        }
      }
      return [...vals, ...oh];
    },
  },
  {
    name: "b2a",
    async run(ctx) {
      const v = wide(ctx.ring, 30);
      const x = await ctx.share(ctx.rank === 1 ? ringT(v, ctx.ring) : null, {
        from: 1,
        shape: [v.length],
        kind: "binary",
      });
      const m = await measured<SecretTensor>(ctx, "b2a", x, 5);
      assert.equal(m.value.fracBits, 5);
      return { m, out: await outOf(m) };
    },
    ref: (ring) => wide(ring, 30),
  },
  {
    name: "where_b",
    async run(ctx) {
      const f = ctx.fracBits;
      const a = await shareRaw(ctx, grid(ctx.ring, f, 12, "wa"), f, [3, 4]);
      const b = await ctx.share(
        ctx.rank === 1 ? ringT(grid(ctx.ring, f, 4, "wb"), ctx.ring) : null,
        {
          from: 1,
          shape: [4],
          fracBits: f,
        },
      );
      const c = await ctx.share(
        ctx.rank === 0
          ? ringT(prg.fork("wc").ring([3, 1], ctx.ring).toBigInts(), ctx.ring, [3, 1])
          : null,
        { from: 0, shape: [3, 1], kind: "binary" },
      );
      const m = await measured(ctx, "where_b", c, a, b);
      return { m, out: await outOf(m) };
    },
    ref: (ring, f) => {
      const a = grid(ring, f, 12, "wa");
      const b = grid(ring, f, 4, "wb");
      const c = prg.fork("wc").ring([3, 1], ring).toBigInts();
      return a.map((v, i) => (c[i >> 2] & 1n) ? v : b[i & 3]);
    },
  },
  {
    name: "where_b with a zero else-branch (null)",
    async run(ctx) {
      const f = ctx.fracBits;
      const a = await shareRaw(ctx, grid(ctx.ring, f, 12, "wa"), f, [3, 4]);
      const c = await ctx.share(
        ctx.rank === 0
          ? ringT(prg.fork("wc").ring([3, 1], ctx.ring).toBigInts(), ctx.ring, [3, 1])
          : null,
        { from: 0, shape: [3, 1], kind: "binary" },
      );
      const m = await measured(ctx, "where_b", c, a, null);
      return { m, out: await outOf(m) };
    },
    ref: (ring, f) => {
      const a = grid(ring, f, 12, "wa");
      const c = prg.fork("wc").ring([3, 1], ring).toBigInts();
      return a.map((v, i) => (c[i >> 2] & 1n) ? v : 0n);
    },
  },
  {
    name: "max_a with one-hot argmax, dim 1 of [3, 7]",
    async run(ctx) {
      const x = await shareRaw(ctx, grid(ctx.ring, ctx.fracBits, 21, "mx"), ctx.fracBits, [3, 7]);
      const m = await measured<MaxResult>(ctx, "max_a", x, 1, true);
      const [v, a] = m.value;
      const vs = (await v.revealRing())!.toBigInts(true);
      return { m, out: [...vs, ...(await a!.revealRing())!.toBigInts(true)] };
    },
    ref: (ring, f) => {
      const x = grid(ring, f, 21, "mx");
      const vals: bigint[] = [];
      const oh: bigint[] = new Array(21).fill(0n);
      for (let r = 0; r < 3; r++) {
        const row = x.slice(7 * r, 7 * r + 7);
        const mx = row.reduce((a, b) => a > b ? a : b);
        vals.push(mx);
        oh[7 * r + row.indexOf(mx)] = 1n;
      }
      return [...vals, ...oh];
    },
  },
  {
    name: "max_pool2d_a 3x3 stride 2 padding 1",
    async run(ctx) {
      const x = await shareRaw(ctx, grid(ctx.ring, ctx.fracBits, 50, "mp"), ctx.fracBits, [
        1,
        2,
        5,
        5,
      ]);
      const m = await measured(ctx, "max_pool2d_a", x, 3, { stride: 2, padding: 1 });
      return { m, out: await outOf(m) };
    },
    ref: (ring, f) => {
      const x = grid(ring, f, 50, "mp");
      const out: bigint[] = [];
      for (let c = 0; c < 2; c++) {
        for (let oi = 0; oi < 3; oi++) {
          for (let oj = 0; oj < 3; oj++) {
            let best: bigint | null = null;
            for (let i = oi * 2 - 1; i < oi * 2 + 2; i++) {
              for (let j = oj * 2 - 1; j < oj * 2 + 2; j++) {
                if (i < 0 || j < 0 || i >= 5 || j >= 5) continue;
                const v = x[c * 25 + i * 5 + j];
                if (best === null || v > best) best = v;
              }
            }
            out.push(best!);
          }
        }
      }
      return out;
    },
  },
];

for (const n of [2, 3, 4]) {
  for (const ring of [64, 32] as const) {
    for (const dealer of ["ttp", "tfpUnsafe"] as const) {
      const fracBits = ring === 64 ? 16 : 8;
      Deno.test(`compare: ${n} parties, Z_2^${ring}, ${dealer}`, async (t) => {
        for (const c of cases) {
          await t.step(c.name, async () => {
            const res = await runParties(n, (ctx) => c.run(ctx), { ring, fracBits, dealer });
            checkCost(c.name, res.map((r) => r.m));
            const want = c.ref(ring, fracBits);
            for (const r of res) assert.deepEqual(r.out, want, c.name);
          });
        }
      });
    }
  }
}

// Seeded per party and per run, so a failure names the seeds that replay it.
for (const n of [2, 3]) {
  Deno.test(`compare: ${n} parties, Z_2^64, ttp, slow device downloads`, async (t) => {
    for (const [i, c] of cases.entries()) {
      const seeds = Array.from({ length: n }, (_, r) => 1000 * n + 10 * i + r);
      await t.step(`${c.name} (seeds ${seeds})`, async () => {
        const res = await runParties(n, (ctx) => c.run(ctx), {
          device: (rank) => slowDevice({ seed: seeds[rank] }),
        });
        const want = c.ref(64, 16);
        for (const r of res) assert.deepEqual(r.out, want, c.name);
      });
    }
  });
}
