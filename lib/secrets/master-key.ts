import { createHash } from "node:crypto";
import { ConfigError } from "@/lib/config/errors";

export const MASTER_KEY_BYTES = 32;

export type MasterKey = {
  /** Short public identifier stored beside every ciphertext, so keys can be rotated later. */
  id: string;
  bytes: Buffer;
};

/**
 * Parses a base64 master key (AES-256: exactly 32 bytes). `source` names where it came from so
 * a malformed key produces one line the operator can act on.
 */
export function parseMasterKey(base64: string, source: string): MasterKey {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+$/.test(trimmed)) {
    throw new ConfigError(`${source} is not base64 (expected 32 random bytes, e.g. from \`openssl rand -base64 32\`)`);
  }
  const bytes = Buffer.from(trimmed, trimmed.includes("-") || trimmed.includes("_") ? "base64url" : "base64");
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new ConfigError(`${source} decodes to ${bytes.length} bytes; the master key must be exactly 32 bytes`);
  }
  return { id: masterKeyId(bytes), bytes };
}

/** First 8 bytes of SHA-256 over the key: identifies it without revealing it. */
export function masterKeyId(bytes: Buffer): string {
  return createHash("sha256").update("cluster-tls master key id").update(bytes).digest("hex").slice(0, 16);
}
