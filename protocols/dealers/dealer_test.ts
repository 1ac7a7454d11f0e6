import assert from "node:assert/strict";
import { cpu } from "@sharetensor/core/cpu";
import type { RingBuffer } from "@sharetensor/core/device";
import type { RingTensor } from "@sharetensor/core/ring";
import { runParties } from "../runtime/run_parties.ts";
import type { CorrelationRequest } from "./correlations.ts";
import { SeededSession } from "./seeded_session.ts";
import { tfpUnsafe } from "./tfp_unsafe.ts";
import { TtpServer } from "./ttp_server.ts";

function sessions(n: number): SeededSession[] {
  const server = TtpServer.random(n);
  return Array.from(
    { length: n },
    (_, r) =>
      new SeededSession(
        server.seedFor(r),
        r,
        cpu,
        (req) => Promise.resolve(server.corrections(req)),
      ),
  );
}

/** Every part of `req`, reconstructed from all parties' shares (sum, or XOR for binary). */
async function full(
  ss: SeededSession[],
  req: CorrelationRequest,
  binary: boolean[],
): Promise<RingTensor[]> {
  const per = await Promise.all(ss.map((s) => s.get(req)));
  return per[0].map((_, j) => {
    let acc = per[0][j] as RingTensor;
    for (let p = 1; p < per.length; p++) {
      acc = binary[j]
        ? cpu.xor(acc, per[p][j] as RingBuffer)
        : cpu.add(acc, per[p][j] as RingBuffer);
    }
    return acc;
  });
}

function eq(a: RingTensor, b: RingTensor, what: string) {
  assert.deepEqual(a.toBigInts(), b.toBigInts(), what);
}

for (const n of [2, 3, 4]) {
  Deno.test(`ttp server: every correlation holds for ${n} parties (ring 64 and 32)`, async () => {
    for (const ring of [64, 32] as const) {
      const ss = sessions(n);
      const [a, b, c] = await full(ss, { kind: "mul", key: "m", ring, shapes: [[2, 3], [3]] }, [
        false,
        false,
        false,
      ]);
      eq(c, cpu.mul(a, b), "mul");
      const [sa, sc] = await full(ss, { kind: "square", key: "s", ring, shapes: [[4]] }, [
        false,
        false,
      ]);
      eq(sc, cpu.mul(sa, sa), "square");
      const mm = await full(ss, { kind: "matmul", key: "mm", ring, shapes: [[2, 3], [3, 2]] }, [
        false,
        false,
        false,
      ]);
      eq(mm[2], cpu.matmul(mm[0], mm[1]), "matmul");
      const opts = { padding: 1 };
      const cv = await full(ss, {
        kind: "conv2d",
        key: "cv",
        ring,
        shapes: [[1, 2, 3, 3], [2, 2, 2, 2]],
        conv: opts,
      }, [false, false, false]);
      eq(cv[2], cpu.conv2d(cv[0], cv[1], opts), "conv2d");
      const [x, y, z] = await full(ss, { kind: "and", key: "a", ring, shapes: [[5]] }, [
        true,
        true,
        true,
      ]);
      eq(z, cpu.and(x, y), "and");
      const [rb, ra] = await full(ss, { kind: "randbit", key: "rb", ring, shapes: [[64]] }, [
        true,
        false,
      ]);
      eq(ra, rb, "random bits agree in both sharings");
      assert.ok(rb.toBigInts().every((v) => v === 0n || v === 1n));
      assert.ok(rb.toBigInts().some((v) => v === 1n) && rb.toBigInts().some((v) => v === 0n));
      const [r, rs] = await full(ss, { kind: "trunc", key: "t", ring, shapes: [[6]], bits: 5 }, [
        false,
        false,
      ]);
      eq(rs, cpu.sar(r, 5), "trunc pair");
    }
  });
}

Deno.test("ttp server: a fixed operand keeps its mask, the other operand is fresh", async () => {
  const ss = sessions(3);
  const req = (key: string): CorrelationRequest => ({
    kind: "matmul",
    key,
    ring: 64,
    shapes: [[2, 3], [3, 2]],
    fixed: "w",
  });
  const t1 = await full(ss, req("k1"), [false, false, false]);
  const t2 = await full(ss, req("k2"), [false, false, false]);
  eq(t1[1], t2[1], "same B");
  assert.notDeepEqual(t1[0].toBigInts(), t2[0].toBigInts());
  eq(t2[2], cpu.matmul(t2[0], t2[1]), "C = A @ B");
  // a party other than 0 gets nothing per request; its shares come from its seed alone
  const s1 = ss[1];
  eq(
    (await s1.get(req("k1")))[2] as RingTensor,
    (await s1.get(req("k1")))[2] as RingTensor,
    "deterministic",
  );
});

Deno.test("ttp server: bad sizes and parties", () => {
  assert.throws(() => TtpServer.random(1), RangeError);
  assert.throws(() => TtpServer.random(2).seedFor(2), RangeError);
  assert.throws(() => new SeededSession(new Uint8Array(32), 0, cpu), TypeError);
});

Deno.test("tfpUnsafe: warns once per dealer value, and works", async () => {
  const orig = console.warn;
  const seen: string[] = [];
  console.warn = (...a: unknown[]) => void seen.push(a.join(" "));
  try {
    const dealer = tfpUnsafe();
    for (let i = 0; i < 2; i++) {
      const out = await runParties(2, async (ctx) => {
        const x = await ctx.share(ctx.rank === 0 ? [3] : null, { from: 0, shape: [1] });
        return await (await x.mul(x)).reveal();
      }, { dealer });
      assert.deepEqual([...out[1]!], [9]);
    }
  } finally {
    console.warn = orig;
  }
  assert.equal(seen.length, 1);
  assert.match(seen[0], /tfpUnsafe/);
});
