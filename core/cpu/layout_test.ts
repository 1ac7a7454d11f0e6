import assert from "node:assert/strict";
import fc from "fast-check";
import { RingTensor } from "../ring.ts";
import { cpu } from "./mod.ts";
import { fromT, ravel, type Ref, refBuild, shapeArb, tensorArb, toT } from "./reference_testing.ts";

const at = (r: Ref, idx: number[]) => r.v[ravel(idx, r.shape)];
const tensors = (ring: 64 | 32, maxRank = 4, maxDim = 4) =>
  shapeArb(maxRank, maxDim).chain((s) => tensorArb(ring, s));

for (const ring of [64, 32] as const) {
  Deno.test(`reshape, permute, transpose match the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        tensors(ring).chain((a) =>
          fc.tuple(
            fc.constant(a),
            fc.shuffledSubarray(a.shape.map((_, i) => i), {
              minLength: a.shape.length,
              maxLength: a.shape.length,
            }),
          )
        ),
        ([a, perm]) => {
          const shape = perm.map((d) => a.shape[d]);
          const want = refBuild(ring, shape, (idx) => {
            const src = new Array<number>(idx.length);
            perm.forEach((d, i) => (src[d] = idx[i]));
            return at(a, src);
          });
          assert.deepEqual(fromT(cpu.permute(toT(a), perm)), want);
          assert.deepEqual(fromT(cpu.reshape(toT(a), shape)).v, a.v);
          if (a.v.length > 0) {
            assert.deepEqual(fromT(cpu.reshape(toT(a), [-1])), { ...a, shape: [a.v.length] });
          }
          if (a.shape.length >= 2) {
            const r = a.shape.length;
            const p = a.shape.map((_, i) => i);
            [p[r - 2], p[r - 1]] = [p[r - 1], p[r - 2]];
            const viaPermute = fromT(cpu.permute(toT(a), p));
            assert.deepEqual(fromT(cpu.transpose(toT(a))), viaPermute);
            assert.deepEqual(fromT(cpu.transpose(toT(a), -1, r - 2)), viaPermute);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  Deno.test(`slice and pad match the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        tensors(ring).chain((a) =>
          fc.tuple(
            fc.constant(a),
            fc.tuple(...a.shape.map((d) =>
              fc.integer({ min: 0, max: d }).chain((b) =>
                fc.tuple(fc.constant(b), fc.integer({ min: -1, max: d - b }))
              )
            )),
            fc.array(fc.tuple(fc.nat(2), fc.nat(2)), {
              minLength: a.shape.length,
              maxLength: a.shape.length,
            }),
            fc.bigInt({ min: -5n, max: 5n }),
          )
        ),
        ([a, bs, pads, value]) => {
          const begin = bs.map(([b]) => b), size = bs.map(([, s]) => s);
          const shape = a.shape.map((d, i) => (size[i] === -1 ? d - begin[i] : size[i]));
          const want = refBuild(ring, shape, (idx) => at(a, idx.map((x, i) => x + begin[i])));
          assert.deepEqual(fromT(cpu.slice(toT(a), begin, size)), want);
          const pshape = a.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
          const pwant = refBuild(ring, pshape, (idx) => {
            const src = idx.map((x, i) => x - pads[i][0]);
            return src.every((x, i) => x >= 0 && x < a.shape[i]) ? at(a, src) : value;
          });
          assert.deepEqual(fromT(cpu.pad(toT(a), pads, value)), pwant);
        },
      ),
      { numRuns: 150 },
    );
  });

  Deno.test(`concat, stack, gather, expand match the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        shapeArb(3, 4).filter((s) => s.length > 0).chain((s) =>
          fc.tuple(
            fc.integer({ min: 0, max: s.length - 1 }),
            fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
          ).chain(([ax, sizes]) =>
            fc.tuple(
              fc.constant(ax),
              fc.tuple(...sizes.map((n) => tensorArb(ring, s.map((d, i) => (i === ax ? n : d))))),
              tensorArb(ring, s),
              fc.array(fc.integer({ min: -s[ax], max: Math.max(0, s[ax] - 1) }), {
                maxLength: 5,
              }),
            )
          )
        ),
        ([ax, parts, a, idxs]) => {
          // concat
          const total = parts.reduce((n, p) => n + p.shape[ax], 0);
          const cshape = parts[0].shape.map((d, i) => (i === ax ? total : d));
          const cwant = refBuild(ring, cshape, (idx) => {
            let k = idx[ax];
            for (const p of parts) {
              if (k < p.shape[ax]) return at(p, idx.map((x, i) => (i === ax ? k : x)));
              k -= p.shape[ax];
            }
            throw new Error("unreachable");
          });
          const negAx = ax - a.shape.length;
          assert.deepEqual(fromT(cpu.concat(parts.map(toT), ax)), cwant);
          assert.deepEqual(fromT(cpu.concat(parts.map(toT), negAx)), cwant);
          // stack: new axis at ax
          const list = [a, a, a].map((r, j) => ({ ...r, v: r.v.map((x) => x ^ BigInt(j)) }));
          const sshape = [...a.shape];
          sshape.splice(ax, 0, 3);
          const swant = refBuild(ring, sshape, (idx) => {
            const j = idx[ax];
            return at(list[j], idx.filter((_, i) => i !== ax));
          });
          assert.deepEqual(fromT(cpu.stack(list.map(toT), ax)), swant);
          // gather (only when the axis is not empty)
          if (a.shape[ax] > 0) {
            const D = a.shape[ax];
            const gshape = a.shape.map((d, i) => (i === ax ? idxs.length : d));
            const gwant = refBuild(ring, gshape, (idx) => {
              const v = idxs[idx[ax]];
              return at(a, idx.map((x, i) => (i === ax ? (v < 0 ? v + D : v) : x)));
            });
            assert.deepEqual(fromT(cpu.gather(toT(a), idxs, ax)), gwant);
          }
          // expand: a with dim ax set to 1, broadcast back up with a new leading dim
          const one = cpu.slice(
            toT(a),
            a.shape.map(() => 0),
            a.shape.map((d, i) => (i === ax ? Math.min(d, 1) : d)),
          );
          if (one.shape[ax] === 1) {
            const eshape = [2, ...a.shape];
            const o = fromT(one);
            const ewant = refBuild(
              ring,
              eshape,
              (idx) => at(o, idx.slice(1).map((x, i) => (i === ax ? 0 : x))),
            );
            assert.deepEqual(fromT(cpu.expand(one, eshape)), ewant);
            const minus = eshape.map((d, i) => (i === ax + 1 ? d : -1));
            minus[0] = 2;
            assert.deepEqual(fromT(cpu.expand(one, minus)), ewant);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
}

Deno.test("large transposes (copied in tiles) match the reference in both rings", () => {
  for (const ring of [64, 32] as const) {
    for (
      const [shape, perm] of [[[40, 70], [1, 0]], [[3, 33, 65], [0, 2, 1]], [[35, 2, 64], [
        2,
        1,
        0,
      ]]]
    ) {
      const n = shape.reduce((x, y) => x * y, 1);
      const a: Ref = {
        ring,
        shape,
        v: Array.from(
          { length: n },
          (_, i) => BigInt.asUintN(ring, BigInt(i) * 0x9e3779b97f4a7c15n),
        ),
      };
      const out = perm.map((d) => shape[d]);
      const want = refBuild(ring, out, (idx) => {
        const src = new Array<number>(idx.length);
        perm.forEach((d, i) => (src[d] = idx[i]));
        return at(a, src);
      });
      assert.deepEqual(fromT(cpu.permute(toT(a), perm)), want);
    }
  }
});

Deno.test("layout kernels name the shapes in TypeErrors and axes in RangeErrors", () => {
  const a = RingTensor.zeros([2, 3]);
  assert.throws(() => cpu.reshape(a, [4, 2]), { name: "TypeError", message: /\[2,3\] as \[4,2\]/ });
  assert.throws(() => cpu.reshape(a, [-1, -1]), TypeError);
  assert.throws(() => cpu.reshape(a, [-1, 4]), TypeError);
  assert.throws(() => cpu.permute(a, [0, 0]), RangeError);
  assert.throws(() => cpu.permute(a, [0, 2]), RangeError);
  assert.throws(() => cpu.permute(a, [0]), RangeError);
  assert.throws(() => cpu.transpose(RingTensor.zeros([3])), RangeError);
  assert.throws(() => cpu.transpose(a, 0, 2), RangeError);
  assert.throws(() => cpu.slice(a, [0, 0], [3, 1]), { name: "RangeError", message: /\[2,3\]/ });
  assert.throws(() => cpu.slice(a, [0], [1]), TypeError);
  assert.throws(() => cpu.concat([a, RingTensor.zeros([3, 3])], 1), {
    name: "TypeError",
    message: /\[2,3\], Z_2\^64 \[3,3\]/,
  });
  assert.throws(() => cpu.concat([a, RingTensor.zeros([2, 3], 32)], 0), TypeError);
  assert.throws(() => cpu.concat([], 0), TypeError);
  assert.throws(() => cpu.concat([a], 2), RangeError);
  assert.throws(() => cpu.stack([a, RingTensor.zeros([3, 2])], 0), TypeError);
  assert.throws(() => cpu.stack([a], 3), RangeError);
  assert.throws(() => cpu.pad(a, [[0, 0]]), TypeError);
  assert.throws(() => cpu.pad(a, [[0, 0], [-1, 0]]), RangeError);
  assert.throws(() => cpu.gather(a, [2], 0), { name: "RangeError", message: /index 2/ });
  assert.throws(() => cpu.gather(a, [0], 2), RangeError);
  assert.throws(() => cpu.expand(a, [3, 3]), { name: "TypeError", message: /\[2,3\] .* \[3,3\]/ });
  assert.throws(() => cpu.expand(a, [3]), TypeError);
  assert.throws(() => cpu.permute({ ring: 64, shape: [1], deviceName: "webgpu" }, [0]), TypeError);
});
