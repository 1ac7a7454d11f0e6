import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { conv2d } from "./conv.ts";
import { cpu } from "./mod.ts";
import { fromT, type Ref, refConv2d, tensorArb, toT } from "./reference_testing.ts";

interface Case {
  x: number[];
  w: number[];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  g: number;
}

/** Valid conv2d settings (output at least 1x1), including batch 0 and 0 output channels. */
const caseArb: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 0, max: 3 }),
  g: fc.integer({ min: 1, max: 3 }),
  cg: fc.integer({ min: 1, max: 3 }),
  og: fc.integer({ min: 0, max: 3 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  p: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  eh: fc.integer({ min: 0, max: 4 }),
  ew: fc.integer({ min: 0, max: 4 }),
}).map(({ n, g, cg, og, kh, kw, s, p, d, eh, ew }) => {
  // Smallest input that the dilated kernel fits into, plus a few extra rows and columns.
  const h = Math.max(1, d[0] * (kh - 1) + 1 - 2 * p[0]) + eh;
  const w = Math.max(1, d[1] * (kw - 1) + 1 - 2 * p[1]) + ew;
  return { x: [n, g * cg, h, w], w: [g * og, cg, kh, kw], s, p, d, g };
});

function squeeze(r: Ref): Ref {
  return { ...r, shape: [r.shape[0], r.shape[1], r.shape[3]] };
}

for (const ring of [64, 32] as const) {
  Deno.test(`conv2d matches the direct reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), tensorArb(ring, c.x), tensorArb(ring, c.w))),
        ([c, x, w]) => {
          const got = cpu.conv2d(toT(x), toT(w), {
            stride: c.s,
            padding: c.p,
            dilation: c.d,
            groups: c.g,
          });
          assert.deepEqual(fromT(got), refConv2d(x, w, c.s, c.p, c.d, c.g));
        },
      ),
      { numRuns: 80 },
    );
  });

  Deno.test(`conv1d matches the direct reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => {
          const c1: Case = {
            x: [c.x[0], c.x[1], 1, c.x[3]],
            w: [c.w[0], c.w[1], 1, c.w[3]],
            s: [1, c.s[1]],
            p: [0, c.p[1]],
            d: [1, c.d[1]],
            g: c.g,
          };
          return fc.tuple(fc.constant(c1), tensorArb(ring, c1.x), tensorArb(ring, c1.w));
        }),
        fc.boolean(),
        ([c, x, w], scalars) => {
          const x3 = RingTensor.fromBigInts(x.v, [x.shape[0], x.shape[1], x.shape[3]], ring);
          const w3 = RingTensor.fromBigInts(w.v, [w.shape[0], w.shape[1], w.shape[3]], ring);
          const opts = scalars
            ? { stride: c.s[1], padding: c.p[1], dilation: c.d[1], groups: c.g }
            : { stride: [c.s[1]], padding: [c.p[1]], dilation: [c.d[1]], groups: c.g };
          const got = cpu.conv1d(x3, w3, opts);
          assert.deepEqual(fromT(got), squeeze(refConv2d(x, w, c.s, c.p, c.d, c.g)));
        },
      ),
      { numRuns: 60 },
    );
  });
}

Deno.test("conv2d of a LeNet-sized layer matches the reference", () => {
  const x = RingTensor.zeros([2, 1, 28, 28]), w = RingTensor.zeros([16, 1, 5, 5]);
  for (let i = 0; i < x.size; i++) (x.data as BigUint64Array)[i] = BigInt(i) * 0x9e3779b97f4a7c15n;
  for (let i = 0; i < w.size; i++) (w.data as BigUint64Array)[i] = BigInt(i) * 0xc2b2ae3d27d4eb4fn;
  const want = refConv2d(fromT(x), fromT(w), [1, 1], [0, 0], [1, 1], 1);
  assert.deepEqual(fromT(cpu.conv2d(x, w)), want);
});

Deno.test("conv2d in chunks of images matches one chunk and the reference", () => {
  fc.assert(
    fc.property(
      caseArb.filter((c) => c.x[0] > 1).chain((c) =>
        fc.tuple(fc.constant(c), tensorArb(64, c.x), tensorArb(64, c.w), fc.nat(40))
      ),
      ([c, x, w, chunk]) => {
        const opts = { stride: c.s, padding: c.p, dilation: c.d, groups: c.g };
        const got = conv2d(toT(x), toT(w), opts, 2, chunk);
        assert.deepEqual(fromT(got), refConv2d(x, w, c.s, c.p, c.d, c.g));
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("conv rejects wrong ranks, channels, groups, options and too small inputs", () => {
  const z = (s: number[], r: 64 | 32 = 64) => RingTensor.zeros(s, r);
  assert.throws(() => cpu.conv2d(z([1, 2, 4]), z([1, 2, 1, 1])), {
    name: "TypeError",
    message: /\[1,2,4\] .* \[1,2,1,1\]/,
  });
  assert.throws(() => cpu.conv2d(z([1, 3, 4, 4]), z([2, 2, 1, 1])), {
    name: "TypeError",
    message: /3 input channels/,
  });
  assert.throws(() => cpu.conv2d(z([1, 4, 4, 4]), z([3, 2, 1, 1]), { groups: 2 }), {
    name: "TypeError",
    message: /3 output channels/,
  });
  assert.throws(() => cpu.conv2d(z([1, 1, 2, 2]), z([1, 1, 3, 3])), {
    name: "TypeError",
    message: /larger than the padded input/,
  });
  assert.throws(() => cpu.conv2d(z([1, 1, 4, 4]), z([1, 1, 1, 1], 32)), TypeError);
  for (
    const o of [{ stride: 0 }, { padding: -1 }, { dilation: [1, 0] }, { groups: 0 }, {
      stride: [1, 1, 1],
    }]
  ) {
    assert.throws(() => cpu.conv2d(z([1, 1, 4, 4]), z([1, 1, 1, 1]), o), RangeError);
  }
  assert.throws(() => cpu.conv1d(z([1, 1, 4, 4]), z([1, 1, 1])), TypeError);
  assert.throws(() => cpu.conv1d(z([1, 1, 4]), z([1, 1, 1]), { stride: 0 }), RangeError);
});
