import assert from "node:assert/strict";
import fc from "fast-check";
import { gemm32, gemm64 } from "./gemm.ts";
import { gemmModuleBytes, gemmWasm, scratchBytes, setGemmBlockBytes } from "./gemm_wasm.ts";
import { fromT, refMatmul, tensorArb, toT } from "./reference_testing.ts";

Deno.test("the hand-assembled module validates", () => {
  assert.ok(WebAssembly.validate(gemmModuleBytes()));
});

for (const ring of [64, 32] as const) {
  Deno.test(`wasm and JS gemm match the reference at offsets, odd sizes, k = 1 (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 13 }),
          fc.integer({ min: 1, max: 21 }),
          fc.integer({ min: 1, max: 19 }),
          fc.nat(3),
        ).chain(([m, k, n, off]) =>
          fc.tuple(
            fc.constant(off),
            tensorArb(ring, [m, k]),
            tensorArb(ring, [k, n]),
            tensorArb(ring, [off]),
          )
        ),
        ([off, a, b, pad]) => {
          const [m, k] = a.shape, n = b.shape[1];
          const want = refMatmul(a, b);
          // Inputs and output sit at an offset inside larger arrays, output pre-filled.
          const A = toT({ ...a, shape: [off + m * k], v: [...pad.v, ...a.v] }).data;
          const B = toT({ ...b, shape: [off + k * n], v: [...pad.v, ...b.v] }).data;
          for (const impl of ["wasm", "js"]) {
            const C = toT({ ...a, shape: [off + m * n + 1], v: Array(off + m * n + 1).fill(7n) })
              .data;
            if (impl === "wasm") gemmWasm(ring, A, off, B, off, C, off, m, k, n);
            else if (ring === 64) {
              gemm64(
                A as BigUint64Array,
                off,
                B as BigUint64Array,
                off,
                C as BigUint64Array,
                off,
                m,
                k,
                n,
              );
            } else {gemm32(
                A as Uint32Array,
                off,
                B as Uint32Array,
                off,
                C as Uint32Array,
                off,
                m,
                k,
                n,
              );}
            const got = Array.from(C, BigInt);
            assert.deepEqual(got.slice(off, off + m * n), want.v, impl);
            assert.deepEqual([...got.slice(0, off), got[off + m * n]], Array(off + 1).fill(7n));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  Deno.test(`wasm gemm of a 70 x 65 x 67 product matches the reference (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(tensorArb(ring, [70, 65]), tensorArb(ring, [65, 67]), (a, b) => {
        const c = toT({ ...a, shape: [70, 67], v: Array(70 * 67).fill(0n) });
        gemmWasm(ring, toT(a).data, 0, toT(b).data, 0, c.data, 0, 70, 65, 67);
        assert.deepEqual(fromT(c), refMatmul(a, b));
      }),
      { numRuns: 2 },
    );
  });

  Deno.test(`wasm gemm in row blocks (small scratch) matches one pass (Z_2^${ring})`, () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 9 })),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        ([m, k], n, extraRows) => {
          const a = Array.from({ length: m * k }, (_, i) => BigInt(i + 1) * 0x9e3779b97f4a7c15n);
          const b = Array.from({ length: k * n }, (_, i) => BigInt(i + 3) * 0xc2b2ae3d27d4eb4fn);
          const A = toT({ ring, shape: [m, k], v: a }), B = toT({ ring, shape: [k, n], v: b });
          const want = refMatmul(fromT(A), fromT(B));
          // Scratch for B plus (1 + extraRows) tiles of rows.
          const { bBytes, rowBytes, tileRows } = scratchBytes(ring, k, n);
          const scratch = bBytes + tileRows * (1 + extraRows) * rowBytes;
          const c = toT({ ring, shape: [m, n], v: Array(m * n).fill(0n) });
          gemmWasm(ring, A.data, 0, B.data, 0, c.data, 0, m, k, n, scratch);
          assert.deepEqual(fromT(c), want);
          assert.throws(
            () => gemmWasm(ring, A.data, 0, B.data, 0, c.data, 0, m, k, n, 64),
            RangeError,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
}

for (const ring of [64, 32] as const) {
  Deno.test(`wasm gemm with one row tile per cache block matches the reference (Z_2^${ring})`, () => {
    // The smallest block (one tile of rows) makes every row tile its own block.
    const old = setGemmBlockBytes(1);
    try {
      fc.assert(
        fc.property(
          fc.tuple(
            fc.integer({ min: 1, max: 17 }),
            fc.integer({ min: 1, max: 11 }),
            fc.integer({ min: 1, max: 13 }),
          ).chain(([m, k, n]) => fc.tuple(tensorArb(ring, [m, k]), tensorArb(ring, [k, n]))),
          ([a, b]) => {
            const [m, k] = a.shape, n = b.shape[1];
            const c = toT({ ...a, shape: [m, n], v: Array(m * n).fill(3n) });
            gemmWasm(ring, toT(a).data, 0, toT(b).data, 0, c.data, 0, m, k, n);
            assert.deepEqual(fromT(c), refMatmul(a, b));
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      setGemmBlockBytes(old);
    }
  });

  Deno.test(`wasm gemm with extreme words (all ones, top bit) matches the reference (Z_2^${ring})`, () => {
    // Carries through every limb: products of 2^ring - 1 and 2^(ring-1) summed over k.
    for (const [m, k, n] of [[3, 9, 4], [5, 64, 9], [7, 5, 1]]) {
      const top = 1n << BigInt(ring - 1), ones = (1n << BigInt(ring)) - 1n;
      const a = {
        ring,
        shape: [m, k],
        v: Array.from({ length: m * k }, (_, i) => (i % 3 ? ones : top)),
      };
      const b = {
        ring,
        shape: [k, n],
        v: Array.from({ length: k * n }, (_, i) => (i % 2 ? ones : top + 1n)),
      };
      const c = toT({ ...a, shape: [m, n], v: Array(m * n).fill(0n) });
      gemmWasm(ring, toT(a).data, 0, toT(b).data, 0, c.data, 0, m, k, n);
      assert.deepEqual(fromT(c), refMatmul(a, b));
    }
  });
}
