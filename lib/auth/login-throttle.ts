/**
 * Failed sign-ins per account and per client IP in a sliding window. In memory: one app instance
 * throttles its own traffic, which bounds guessing to LIMIT × instances per window.
 * The per-account key cannot be dodged by forging X-Forwarded-For.
 */
const LIMIT = 10;
const WINDOW_MS = 60_000;

const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const kept = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (kept.length === 0) failures.delete(key);
  else failures.set(key, kept);
  return kept;
}

function keysFor(email: string, ip: string | null): string[] {
  return [`account:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export function loginRetryAfterSeconds(email: string, ip: string | null, now = Date.now()): number {
  let wait = 0;
  for (const key of keysFor(email, ip)) {
    const times = recent(key, now);
    if (times.length >= LIMIT) wait = Math.max(wait, Math.ceil((times[0]! + WINDOW_MS - now) / 1000));
  }
  return wait;
}

export function recordLoginFailure(email: string, ip: string | null, now = Date.now()): void {
  for (const key of keysFor(email, ip)) failures.set(key, [...recent(key, now), now]);
}

export function clearLoginFailures(email: string): void {
  failures.delete(`account:${email.toLowerCase()}`);
}

export const LOGIN_LIMIT = { attempts: LIMIT, windowSeconds: WINDOW_MS / 1000 };
