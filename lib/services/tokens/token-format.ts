import { createHash, randomBytes } from "node:crypto";

/**
 * `ctls_<8-char prefix>_<43-char secret>`: the prefix identifies a token in lists and logs
 * without revealing it; only the SHA-256 of the whole token is stored.
 */
const TOKEN_PATTERN = /^ctls_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function generateApiToken(): { token: string; prefix: string; hash: string } {
  const prefix = randomBytes(5).toString("hex").slice(0, 8);
  const token = `ctls_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function isWellFormedApiToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
