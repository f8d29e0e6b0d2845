export const DAY_MS = 86_400_000;

/** Whole days until `notAfter` (negative once past): what the tables and timelines show. */
export function daysLeft(notAfter: Date, now: Date = new Date()): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/**
 * The "Days left" cell: a revoked or superseded certificate is out of service whatever its
 * notAfter says (RFC 5280 §3.3: revocation ends it before its validity period does).
 */
export function daysLeftLabel(status: string | null, notAfter: Date | null, now: Date = new Date()): string {
  if (notAfter === null || status === "revoked" || status === "superseded") return "—";
  return String(daysLeft(notAfter, now));
}

export type DisplayStatus = "active" | "expiring" | "expired" | "superseded" | "revoked" | "missing";

/**
 * The status a person cares about: the stored status, except that an active certificate past
 * notAfter is expired and one inside the warning window (30 days by default) is expiring.
 */
export function displayStatus(status: string | null, notAfter: Date | null, now: Date = new Date(), warnDays = 30): DisplayStatus {
  if (status === null || notAfter === null) return "missing";
  if (status === "revoked" || status === "superseded") return status;
  if (notAfter <= now || status === "expired") return "expired";
  return daysLeft(notAfter, now) < warnDays ? "expiring" : "active";
}
