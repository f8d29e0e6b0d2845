import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Two secrets an agent holds, both stored only as SHA-256 (like API tokens):
 * - the enrollment code `ctlse_<43-char secret>`, shown once, single use, valid ENROLLMENT_CODE_TTL_MS;
 * - the node credential `ctlsn_<8-char prefix>_<43-char secret>`, which the agent keeps in its
 *   config file; the prefix names it in the audit log without revealing it.
 */
export const ENROLLMENT_CODE_TTL_MS = 60 * 60 * 1000;
const CODE_PATTERN = /^ctlse_[A-Za-z0-9_-]{43}$/;
const CREDENTIAL_PATTERN = /^ctlsn_([a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;

export function generateEnrollmentCode(): { code: string; hash: string } {
  const code = `ctlse_${randomBytes(32).toString("base64url")}`;
  return { code, hash: sha256Hex(code) };
}

export function generateNodeCredential(): { credential: string; prefix: string; hash: string } {
  const prefix = randomBytes(5).toString("hex").slice(0, 8);
  const credential = `ctlsn_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { credential, prefix, hash: sha256Hex(credential) };
}

export const isWellFormedEnrollmentCode = (code: string) => CODE_PATTERN.test(code);
export const isWellFormedNodeCredential = (credential: string) => CREDENTIAL_PATTERN.test(credential);
/** A bearer value meant as a node credential (well-formed or not): it gets the node credential's errors. */
export const looksLikeNodeCredential = (bearer: string) => bearer.startsWith("ctlsn_");

export function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Both SHA-256 hex digests; constant time so no code path depends on how much of a guess matched. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}
