import { randomBytes, randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/services/agents/agent-secrets";

/**
 * The secrets of a developer login (RFC 8628), all stored only as SHA-256 except the user code:
 * - the device code, which only the laptop holds while it polls (256 bits);
 * - the user code the developer types or confirms at /device: 8 letters from an alphabet without
 *   vowels or look-alikes, shown as XXXX-XXXX (RFC 8628 §6.1: 20^8 ≈ 2^34.5; guessing is bounded
 *   by the 10-minute lifetime and a per-user throttle on wrong codes);
 * - the device credential `ctlsd_<8-char prefix>_<43-char secret>` the laptop keeps, like an API token.
 */
export const DEVICE_CLIENT_ID = "cluster-tls-cli";
export const DEVICE_CODE_TTL_SECONDS = 600;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval, for this and every later poll. */
export const SLOW_DOWN_STEP_SECONDS = 5;
export const DEVICE_LIFETIME_DAYS = 30;
export const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const CREDENTIAL_PATTERN = /^ctlsd_([a-z0-9]{8})_[A-Za-z0-9_-]{43}$/;

export function generateDeviceCode(): { deviceCode: string; hash: string } {
  const deviceCode = randomBytes(32).toString("base64url");
  return { deviceCode, hash: sha256Hex(deviceCode) };
}

/** 8 characters, stored without the dash. */
export function generateUserCode(): string {
  return Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
}

export const formatUserCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * What the developer typed, as stored: case, spaces and dashes do not matter (RFC 8628 §6.1), so
 * "bcdf-ghjk" and "BCDF GHJK" are the same code. Null when it cannot be a user code at all.
 */
export function normalizeUserCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return code.length === 8 && [...code].every((c) => USER_CODE_ALPHABET.includes(c)) ? code : null;
}

export function generateDeviceCredential(): { credential: string; prefix: string; hash: string } {
  const prefix = randomBytes(5).toString("hex").slice(0, 8);
  const credential = `ctlsd_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { credential, prefix, hash: sha256Hex(credential) };
}

export const isWellFormedDeviceCredential = (credential: string) => CREDENTIAL_PATTERN.test(credential);
/** A bearer value meant as a device credential (well-formed or not): it gets the device credential's errors. */
export const looksLikeDeviceCredential = (bearer: string) => bearer.startsWith("ctlsd_");
