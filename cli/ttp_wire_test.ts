import assert from "node:assert/strict";
import { RingTensor } from "@sharetensor/core/ring";
import { decodeTensors, encodeTensors, packMessage, unpackMessage } from "./ttp_wire.ts";

Deno.test("ttp wire: tensors of both rings survive a message round trip bit-exact", () => {
  const a = RingTensor.fromBigInts([1n, -1n, 2n ** 63n, 5n], [2, 2], 64);
  const b = RingTensor.fromBigInts([7n, -7n, 0n], [3], 32);
  const m = unpackMessage(packMessage(["cor", 3, encodeTensors([a, b])]));
  assert.equal(m[0], "cor");
  const [a2, b2] = decodeTensors(m[2] as Parameters<typeof decodeTensors>[0]);
  assert.deepEqual(a2.shape, [2, 2]);
  assert.deepEqual(a2.toBigInts(), a.toBigInts());
  assert.equal(b2.ring, 32);
  assert.deepEqual(b2.toBigInts(), b.toBigInts());
});

Deno.test("ttp wire: requests keep every field; junk is a TypeError", () => {
  const req = {
    kind: "conv2d" as const,
    key: "3/1",
    ring: 64 as const,
    shapes: [[1, 1, 4, 4], [2, 1, 3, 3]],
    fixed: "w",
    conv: { stride: 1, padding: [1, 1] },
  };
  assert.deepEqual(unpackMessage(packMessage(["req", 0, req]))[2], req);
  // An input-aware triple: the owners of a and b travel with the request.
  const owned = {
    kind: "matmul" as const,
    key: "5/0",
    ring: 32 as const,
    shapes: [[2, 3], [3, 4]],
    owners: [2, 0] as [number, number],
    fixed: "omask/4",
  };
  assert.deepEqual(unpackMessage(packMessage(["req", 1, owned]))[2], owned);
  assert.throws(() => unpackMessage(packMessage(["nope", 1] as never)), TypeError);
  assert.throws(() => decodeTensors([[64, [3], new Uint8Array(7)]]), TypeError);
});
