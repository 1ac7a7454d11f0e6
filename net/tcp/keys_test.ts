import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { clusterFingerprint, formatCluster, loadCluster, parseCluster } from "./cluster.ts";
import {
  decodePublicKey,
  formatKeyFile,
  generateKeyPair,
  parseKeyFile,
  readKeyFile,
  writeKeyFile,
} from "./keys.ts";

Deno.test("key files round trip, owner-only, and catch mismatched halves", async () => {
  const kp = generateKeyPair();
  const dir = await Deno.makeTempDir();
  try {
    await writeKeyFile(`${dir}/k.json`, kp);
    const back = await readKeyFile(`${dir}/k.json`);
    assert.deepEqual(back.publicKey, kp.publicKey);
    assert.deepEqual(back.privateKey, kp.privateKey);
    assert.equal((await Deno.stat(`${dir}/k.json`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const other = JSON.parse(formatKeyFile(generateKeyPair()));
  const mixed = JSON.stringify({ ...JSON.parse(formatKeyFile(kp)), publicKey: other.publicKey });
  assert.throws(() => parseKeyFile(mixed), /does not belong/);
  assert.throws(() => parseKeyFile("{}"), TypeError);
  assert.throws(() => parseKeyFile("nope"), TypeError);
});

Deno.test("public keys: raw base64 and SPKI DER base64 decode to the same 32 bytes", () => {
  const { publicKey } = generateKeyPairSync("ed25519");
  const der = publicKey.export({ format: "der", type: "spki" });
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  assert.deepEqual(decodePublicKey(der.toString("base64")), new Uint8Array(raw));
  assert.deepEqual(decodePublicKey(raw.toString("base64")), new Uint8Array(raw));
  assert.throws(() => decodePublicKey("AAAA"), /32 raw bytes/);
  assert.throws(() => decodePublicKey("not base64!"), TypeError);
});

Deno.test("cluster files: validation names the entry; fingerprint covers keys, not addresses", async () => {
  const pk = () => generateKeyPair().publicKey;
  const parties = [0, 1, 2].map((id) => ({
    id,
    host: "127.0.0.1",
    port: 9000 + id,
    publicKey: pk(),
  }));
  const c = parseCluster(
    formatCluster({ parties, ttp: { id: 3, host: "10.0.0.1", port: 9100, publicKey: pk() } }),
  );
  assert.equal(c.ttp?.id, 3);
  assert.deepEqual(c.parties[1].publicKey, parties[1].publicKey);
  const path = await Deno.makeTempFile();
  await Deno.writeTextFile(path, formatCluster(c));
  assert.deepEqual(clusterFingerprint(await loadCluster(path)), clusterFingerprint(c));
  await Deno.remove(path);
  const moved = parseCluster({
    parties: parties.map((p) => ({ ...p, host: "example.org" })),
    ttp: c.ttp,
  });
  assert.deepEqual(clusterFingerprint(moved), clusterFingerprint(c));
  const rekeyed = parseCluster({
    parties: parties.map((p, i) => i === 2 ? { ...p, publicKey: pk() } : p),
    ttp: c.ttp,
  });
  assert.notDeepEqual(clusterFingerprint(rekeyed), clusterFingerprint(c));
  const bad = (over: object, re: RegExp) =>
    assert.throws(() => parseCluster({ parties: [{ ...parties[0], ...over }, parties[1]] }), re);
  bad({ id: 1 }, /party id 1 appears twice/);
  bad({ id: 5 }, /id 5, ids must be 0..1/);
  bad({ port: 70000 }, /parties\[0\]: "port" must be an integer in 1..65535, got 70000/);
  bad({ host: "" }, /"host"/);
  bad({ publicKey: "AAAA" }, /parties\[0\]: public key/);
  assert.throws(
    () => parseCluster({ parties, ttp: { ...parties[0], id: 0 } }),
    /ttp: "id" must be 3/,
  );
  assert.throws(() => parseCluster("{"), /not JSON/);
  assert.throws(() => parseCluster({ parties: [] }), /empty/);
});
