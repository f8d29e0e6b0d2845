import { createHmac, timingSafeEqual } from "node:crypto";

/** Headers every delivery carries; receivers verify X-Cluster-TLS-Signature before trusting the body. */
export const SIGNATURE_HEADER = "X-Cluster-TLS-Signature";
export const TIMESTAMP_HEADER = "X-Cluster-TLS-Timestamp";

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Signing the timestamp with the body
 * lets receivers refuse replays older than a few minutes.
 */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (and the tests do): constant-time compare, and a bounded clock skew. */
export function verifyWebhookSignature({
  secret,
  timestamp,
  body,
  signature,
  now = Date.now(),
  toleranceSeconds = 300,
}: {
  secret: string;
  timestamp: string;
  body: string;
  signature: string;
  now?: number;
  toleranceSeconds?: number;
}): boolean {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now / 1000 - seconds) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, seconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
