// The GPU keystream against the CPU Prg of core, at aligned and unaligned positions,
// across block boundaries, in both rings.
import assert from "node:assert/strict";
import { Prg } from "@sharetensor/core/prg";
import { prgRing } from "./prg.ts";
import { assertSameTensor, gpuTest } from "./testing.ts";

gpuTest("prgRing equals Prg.ring at any position, both rings", async (gpu) => {
  const seeds = [new Uint8Array(32).map((_, i) => i * 7 + 1), new Uint8Array(16).fill(0xa5)];
  for (const seed of seeds) {
    for (const position of [0, 3, 4, 61, 64, 100, 130, 1023]) {
      for (
        const [shape, ring] of [[[5], 64], [[3, 7], 32], [[33, 4], 64], [[0], 32], [
          [],
          64,
        ]] as const
      ) {
        const p = new Prg(seed);
        p.bytes(position);
        const got = await gpu.download(prgRing(gpu, p, shape, ring));
        assert.equal(p.position, position, "prgRing does not advance the Prg");
        assertSameTensor(
          got,
          p.ring(shape, ring),
          `seed ${seed.length} pos ${position} [${shape}] ${ring}`,
        );
      }
    }
  }
});

gpuTest("prgRing rejects bad seeds and positions past the stream", (gpu) => {
  assert.throws(() => prgRing(gpu, { seed: new Uint8Array(8), position: 0 }, [1]), TypeError);
  assert.throws(() => prgRing(gpu, { seed: new Uint8Array(16), position: -1 }, [1]), RangeError);
  assert.throws(
    () => prgRing(gpu, { seed: new Uint8Array(16), position: 2 ** 38 - 4 }, [1]),
    RangeError,
  );
  assert.throws(() => prgRing(gpu, { seed: new Uint8Array(16), position: 0 }, [-1]), TypeError);
});
