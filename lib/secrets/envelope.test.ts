import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, envelopeKeyId, SecretDecryptionError } from "./envelope";
import { parseMasterKey } from "./master-key";

const keyA = parseMasterKey(randomBytes(32).toString("base64"), "test key A");
const keyB = parseMasterKey(randomBytes(32).toString("base64"), "test key B");
const PEM = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";

describe("private-key envelopes", () => {
  it("round-trips and records which master key encrypted it", () => {
    const envelope = encryptSecret(PEM, keyA);
    expect(envelope.startsWith(`ctls1.${keyA.id}.`)).toBe(true);
    expect(envelopeKeyId(envelope)).toBe(keyA.id);
    expect(decryptSecret(envelope, [keyB, keyA]).toString("utf8")).toBe(PEM);
  });

  it("never stores the plaintext and uses a fresh IV each time", () => {
    const first = encryptSecret(PEM, keyA);
    const second = encryptSecret(PEM, keyA);
    expect(first).not.toBe(second);
    expect(first).not.toContain("MIGHAgEA");
    expect(Buffer.from(first.split(".")[3]!, "base64url").toString("latin1")).not.toContain("PRIVATE KEY");
  });

  it("refuses a key ring without the envelope's key, naming the key id", () => {
    const envelope = encryptSecret(PEM, keyA);
    expect(() => decryptSecret(envelope, [keyB])).toThrow(
      new SecretDecryptionError(`encrypted with master key ${keyA.id}, which is not configured`),
    );
  });

  it("detects tampering instead of returning corrupted key material", () => {
    const envelope = encryptSecret(PEM, keyA);
    const parts = envelope.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 0x01;
    parts[3] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."), [keyA])).toThrow(/authentication failed/);
    // Same id, different bytes (a forged key with a colliding id) must fail too.
    expect(() => decryptSecret(envelope, [{ id: keyA.id, bytes: keyB.bytes }])).toThrow(/authentication failed/);
  });

  it("rejects values that are not envelopes", () => {
    for (const bad of ["", "plain text", "ctls1.abc", "ctls2.a.b.c", "ctls1.id.AAAA.AAAA.extra"]) {
      expect(() => decryptSecret(bad, [keyA])).toThrow(SecretDecryptionError);
    }
  });
});

describe("parseMasterKey", () => {
  it("accepts standard and url-safe base64 of 32 bytes with a stable id", () => {
    const bytes = randomBytes(32);
    const a = parseMasterKey(bytes.toString("base64"), "env");
    const b = parseMasterKey(`${bytes.toString("base64url")}\n`, "file");
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("names the source and the problem for malformed keys", () => {
    expect(() => parseMasterKey("not base64!", "CLUSTER_TLS_MASTER_KEY")).toThrow(/^CLUSTER_TLS_MASTER_KEY is not base64/);
    expect(() => parseMasterKey(randomBytes(16).toString("base64"), "data/master.key")).toThrow(
      "data/master.key decodes to 16 bytes; the master key must be exactly 32 bytes",
    );
  });
});
