import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKey } from "./master-key";

/**
 * Private keys at rest: `ctls1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts), AES-256-GCM.
 * The key id says which master key to use, so a rotated key ring can still open old rows.
 */
const VERSION = "ctls1";
const IV_BYTES = 12; // NIST SP 800-38D recommends 96-bit IVs for GCM
const TAG_BYTES = 16;
const AAD = Buffer.from("cluster-tls private key");

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

export function encryptSecret(plaintext: string | Uint8Array, key: MasterKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv).setAAD(AAD);
  const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : Buffer.from(plaintext);
  const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, key.id, iv.toString("base64url"), body.toString("base64url")].join(".");
}

export function envelopeKeyId(envelope: string): string | null {
  const [version, keyId] = envelope.split(".");
  return version === VERSION && keyId ? keyId : null;
}

/** Decrypts with whichever key of the ring the envelope names. Never includes plaintext in errors. */
export function decryptSecret(envelope: string, keys: readonly MasterKey[]): Buffer {
  const [version, keyId, ivPart, bodyPart, ...rest] = envelope.split(".");
  if (version !== VERSION || !keyId || !ivPart || !bodyPart || rest.length > 0) {
    throw new SecretDecryptionError("encrypted value is not a cluster-tls envelope");
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) {
    throw new SecretDecryptionError(`encrypted with master key ${keyId}, which is not configured`);
  }
  const iv = Buffer.from(ivPart, "base64url");
  const body = Buffer.from(bodyPart, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new SecretDecryptionError("encrypted value is truncated");
  }
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, iv).setAAD(AAD);
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SecretDecryptionError(`authentication failed under master key ${keyId} (tampered or wrong key)`);
  }
}
