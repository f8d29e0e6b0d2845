import { createFailureWindow } from "@/lib/cache/failure-window";

/**
 * Failed sign-ins per account and per client IP in a sliding window. In memory: one app instance
 * throttles its own traffic, which bounds guessing to LIMIT × instances per window.
 * The per-account key cannot be dodged by forging X-Forwarded-For.
 */
const LIMIT = 10;
const WINDOW_MS = 60_000;
const window = createFailureWindow({ limit: LIMIT, windowMs: WINDOW_MS });

function keysFor(email: string, ip: string | null): string[] {
  return [`account:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export function loginRetryAfterSeconds(email: string, ip: string | null, now = Date.now()): number {
  return Math.max(...keysFor(email, ip).map((key) => window.retryAfterSeconds(key, now)));
}

export function recordLoginFailure(email: string, ip: string | null, now = Date.now()): void {
  for (const key of keysFor(email, ip)) window.record(key, now);
}

export function clearLoginFailures(email: string): void {
  window.clear(`account:${email.toLowerCase()}`);
}

export const LOGIN_LIMIT = { attempts: LIMIT, windowSeconds: WINDOW_MS / 1000 };
