import assert from "node:assert/strict";
import { FrameDecodeError } from "@sharetensor/core/errors";
import { dataFrames, MessageDecoder } from "./message.ts";

const flat = (f: Uint8Array[]) => new Uint8Array(f.flatMap((p) => [...p]));

Deno.test("messages: large payloads travel in parts and come back whole and aligned", () => {
  const payload = new Uint8Array(1000).map((_, i) => i * 3);
  const frames = dataFrames(payload, 300);
  assert.equal(frames.length, 4);
  const dec = new MessageDecoder(2, 1 << 20);
  const out = frames.map((f) => dec.decode(flat(f)));
  assert.deepEqual(out.slice(0, 3), [undefined, undefined, undefined]);
  assert.equal(out[3]?.kind, "data");
  const got = (out[3] as { payload: Uint8Array }).payload;
  assert.deepEqual(got, payload);
  assert.equal(got.byteOffset % 8, 0);
  // A small one is a single frame, its payload at offset 8 of the plaintext.
  const one = flat(dataFrames(new Uint8Array([9, 9]))[0]);
  assert.equal(one.length, 10);
  assert.deepEqual(dec.decode(one), { kind: "data", payload: new Uint8Array([9, 9]) });
});

Deno.test("messages: bad parts and over-limit totals are FrameDecodeError before allocating", () => {
  const frames = dataFrames(new Uint8Array(1000), 300).map(flat);
  const bad = (fn: () => unknown, re: RegExp) =>
    assert.throws(fn, (e) => e instanceof FrameDecodeError && e.peer === 5 && re.test(e.message));
  bad(
    () => new MessageDecoder(5, 999).decode(frames[0]),
    /message of 1000 bytes exceeds the limit of 999/,
  );
  const d = new MessageDecoder(5, 1 << 20);
  d.decode(frames[0]);
  bad(() => d.decode(flat(dataFrames(new Uint8Array(3))[0])), /whole message inside a partial one/);
  const d2 = new MessageDecoder(5, 1 << 20);
  const other = flat(dataFrames(new Uint8Array(2000), 300)[1]);
  d2.decode(frames[0]);
  bad(() => d2.decode(other), /does not fit a message of 1000 bytes/);
  const lying = frames[1].slice();
  lying[11] ^= 1; // part length field
  bad(() => new MessageDecoder(5, 1 << 20).decode(lying), /part length/);
  bad(() => new MessageDecoder(5, 1 << 20).decode(new Uint8Array([0xc1])), /not msgpack|kind/);
});
