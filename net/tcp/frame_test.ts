import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { FrameDecodeError, PeerClosedError } from "@sharetensor/core/errors";
import { type ByteSource, coalesce, frameHeader, FrameReader, REUSED_BODY_BYTES } from "./frame.ts";

/** A source that hands out `bytes` in pieces of the given sizes, then EOF. */
function source(
  bytes: Uint8Array,
  sizes: number[] = [],
  strictEnd = false,
): ByteSource & { read_: number } {
  let off = 0;
  let i = 0;
  return {
    read_: 0,
    read(p: Uint8Array) {
      if (off >= bytes.length) {
        if (strictEnd) throw new Error("read past the bytes given");
        return Promise.resolve(null);
      }
      const n = Math.min(
        p.length,
        bytes.length - off,
        sizes.length ? sizes[i++ % sizes.length] : Infinity,
      );
      p.set(bytes.subarray(off, off + n));
      off += n;
      this.read_ = off;
      return Promise.resolve(n);
    },
  };
}

const framed = (bodies: Uint8Array[]) =>
  new Uint8Array(bodies.flatMap((b) => [...frameHeader(b.length), ...b]));

Deno.test("frame reader: frames come back whole for any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
      async (bodies, sizes) => {
        const r = new FrameReader(source(framed(bodies), sizes), 3, 1000);
        for (const b of bodies) assert.deepEqual(await r.readFrame(), b);
        assert.equal(await r.readFrame(), null);
      },
    ),
    { numRuns: 100 },
  );
  // A large body (read straight into its buffer) next to small ones.
  const big = new Uint8Array(randomBytes(200_000));
  const r = new FrameReader(
    source(framed([new Uint8Array([1]), big, new Uint8Array([2])]), [70_000]),
    0,
  );
  assert.deepEqual(await r.readFrame(), new Uint8Array([1]));
  assert.deepEqual(await r.readFrame(), big);
  assert.deepEqual(await r.readFrame(), new Uint8Array([2]));
});

Deno.test("frame reader: reuseBodies reads bodies into one buffer, larger ones into their own", async () => {
  const a = new Uint8Array(randomBytes(100_000));
  const b = new Uint8Array(randomBytes(50));
  const huge = new Uint8Array(randomBytes(REUSED_BODY_BYTES + 1));
  const r = new FrameReader(source(framed([a, b, huge, a]), [30_000]), 0);
  r.reuseBodies = true;
  const x = await r.readFrame();
  assert.deepEqual(x, a);
  const y = await r.readFrame();
  assert.deepEqual(y, b);
  assert.equal(x!.buffer, y!.buffer, "second body reuses the first one's buffer");
  assert.ok(r.isReused(y!));
  const z = await r.readFrame();
  assert.deepEqual(z, huge);
  assert.notEqual(z!.buffer, y!.buffer, "a body over the limit gets its own buffer");
  assert.ok(!r.isReused(z!));
  assert.deepEqual(await r.readFrame(), a);
  assert.equal(await r.readFrame(), null);
});

Deno.test("frame reader: an oversized length is refused before the body is read or allocated", async () => {
  // 4 GiB - 1 announced; the source throws if the reader asks for more than the header.
  const src = source(new Uint8Array([0xff, 0xff, 0xff, 0xff]), [], true);
  const r = new FrameReader(src, 7, 1 << 20);
  await assert.rejects(
    r.readFrame(),
    (e) =>
      e instanceof FrameDecodeError && e.peer === 7 &&
      /4294967295 bytes exceeds the limit of 1048576/.test(e.message),
  );
  assert.equal(src.read_, 4);
});

Deno.test("frame reader: a stream that ends inside a frame is PeerClosedError", async () => {
  const whole = framed([new Uint8Array(100)]);
  for (const cut of [2, 4, 50]) {
    const r = new FrameReader(source(whole.subarray(0, cut)), 2);
    await assert.rejects(
      r.readFrame(),
      (e) => e instanceof PeerClosedError && e.peer === 2 && /inside a frame/.test(e.message),
    );
  }
  const failing: ByteSource = { read: () => Promise.reject(new Error("connection reset")) };
  await assert.rejects(
    new FrameReader(failing, 4).readFrame(),
    (e) => e instanceof PeerClosedError && /reset/.test(e.message),
  );
});

Deno.test("frameHeader: big-endian u32, RangeError outside", () => {
  assert.deepEqual(frameHeader(0x01020304), new Uint8Array([1, 2, 3, 4]));
  assert.throws(() => frameHeader(2 ** 32), RangeError);
  assert.throws(() => frameHeader(-1), RangeError);
});

Deno.test("coalesce: small runs become one buffer, large chunks stay as they are", () => {
  const big = new Uint8Array(20000).fill(9);
  const parts = [
    new Uint8Array([1]),
    new Uint8Array([2, 3]),
    big,
    new Uint8Array(0),
    new Uint8Array([4]),
  ];
  const out = coalesce(parts);
  assert.equal(out.length, 3);
  assert.deepEqual(out[0], new Uint8Array([1, 2, 3]));
  assert.equal(out[1], big);
  assert.deepEqual(out[2], new Uint8Array([4]));
  assert.deepEqual(
    new Uint8Array(coalesce(parts, 2).flatMap((c) => [...c])),
    new Uint8Array(parts.flatMap((c) => [...c])),
  );
});
