import assert from "node:assert/strict";
import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { FrameDecodeError } from "@sharetensor/core/errors";
import { createFrameCipher, deriveDirectionKeys, TAG_BYTES } from "./cipher.ts";

const hex = (s: string) => new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));

Deno.test("node:crypto chacha20 in Deno matches RFC 8439 section 2.4.2 (the IV layout we rely on)", () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const iv = new Uint8Array(16);
  iv[0] = 1; // block counter 1, little-endian
  iv.set(hex("000000000000004a00000000"), 4);
  const pt = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const c = createCipheriv("chacha20", key, iv);
  const ct = new Uint8Array([...c.update(pt.subarray(0, 50)), ...c.update(pt.subarray(50))]);
  assert.deepEqual(ct.subarray(0, 16), hex("6e2e359a2568f98041ba0728dd0d6981"));
  assert.deepEqual(ct.subarray(ct.length - 2), hex("874d"));
});

Deno.test("node:crypto chacha20-poly1305 in Deno matches RFC 8439 section 2.8.2", () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
  const nonce = hex("070000004041424344454647");
  const aad = hex("50515253c0c1c2c3c4c5c6c7");
  const pt = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const c = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  c.setAAD(aad, { plaintextLength: pt.length });
  const ct = new Uint8Array([...c.update(pt.subarray(0, 40)), ...c.update(pt.subarray(40))]);
  c.final();
  assert.deepEqual(ct.subarray(0, 16), hex("d31a8d34648e60db7b86afbc53ef7ec2"));
  assert.deepEqual(ct.subarray(ct.length - 2), hex("6116"));
  assert.deepEqual(new Uint8Array(c.getAuthTag()), hex("1ae10b594f09e26a7e902ecbd0600691"));
});

for (const suite of ["chacha20-poly1305", "chacha20-hmac-sha256", "aes-256-gcm"] as const) {
  Deno.test(`frame cipher ${suite}: round trips and rejects any change`, () => {
    const { initiatorToResponder: k } = deriveDirectionKeys(
      new Uint8Array(32).fill(1),
      new Uint8Array(32),
      suite,
    );
    const tx = createFrameCipher(suite, k, 0);
    const rx = createFrameCipher(suite, k, 1);
    const body = (parts: Uint8Array[]) => new Uint8Array(parts.slice(1).flatMap((p) => [...p]));
    for (const len of [0, 1, 1000, 100_000]) {
      const pt = new Uint8Array(randomBytes(len));
      const parts = tx.seal(pt);
      assert.equal(new DataView(parts[0].buffer).getUint32(0), len + TAG_BYTES);
      const b = body(parts);
      if (len > 0) assert.notDeepEqual(b.subarray(0, len), pt);
      assert.deepEqual(new Uint8Array(rx.open(b)), pt);
    }
    // A frame sealed from parts is the frame sealed from their concatenation.
    const whole = createFrameCipher(suite, k, 0);
    const split = createFrameCipher(suite, k, 0);
    const m = new Uint8Array(300).map((_, i) => i);
    assert.deepEqual(
      split.seal([m.subarray(0, 7), m.subarray(7, 100), m.subarray(100)]).flatMap((c) => [...c]),
      whole.seal(m).flatMap((c) => [...c]),
    );
    const b = body(tx.seal(new Uint8Array(64)));
    for (const i of [0, 63, 64, 79]) {
      const bad = b.slice();
      bad[i] ^= 0x80;
      assert.throws(() => createFrameCipher(suite, k, 1).open(bad), FrameDecodeError);
    }
    assert.throws(() => rx.open(b.subarray(0, 70)), FrameDecodeError); // truncated
    assert.deepEqual(new Uint8Array(rx.open(b)), new Uint8Array(64)); // failures did not advance seq
    assert.throws(() => rx.open(b), (e) => e instanceof FrameDecodeError && e.peer === 1); // replay
    assert.throws(() => rx.open(new Uint8Array(3)), FrameDecodeError);
  });
}

Deno.test("direction keys differ per direction, suite and transcript", () => {
  const s = new Uint8Array(32).fill(9);
  const a = deriveDirectionKeys(s, new Uint8Array(32), "aes-256-gcm");
  const b = deriveDirectionKeys(s, new Uint8Array(32).fill(1), "aes-256-gcm");
  const c = deriveDirectionKeys(s, new Uint8Array(32), "chacha20-hmac-sha256");
  assert.notDeepEqual(a.initiatorToResponder, a.responderToInitiator);
  assert.notDeepEqual(a.initiatorToResponder, b.initiatorToResponder);
  assert.notDeepEqual(a.initiatorToResponder, c.initiatorToResponder);
  assert.throws(() => createFrameCipher("aes-256-gcm", new Uint8Array(8), 0), RangeError);
});

Deno.test("chacha20-hmac-sha256: the tag is HMAC-SHA256(seq || length || ciphertext) on both MAC paths", () => {
  const key = new Uint8Array(64).map((_, i) => i);
  const tx = createFrameCipher("chacha20-hmac-sha256", key, 0);
  for (const [seq, len] of [[0, 10], [1, 1500], [2, 1600], [3, 5000]]) {
    const [, ct, tag] = tx.seal(new Uint8Array(len).fill(seq));
    const aad = new Uint8Array(12);
    new DataView(aad.buffer).setBigUint64(0, BigInt(seq));
    new DataView(aad.buffer).setUint32(8, len + TAG_BYTES);
    const want = createHmac("sha256", key.subarray(32)).update(aad).update(ct).digest();
    assert.deepEqual(tag, new Uint8Array(want.subarray(0, TAG_BYTES)), `len ${len}`);
  }
});
