/** Renew when less than a quarter of the certificate's life is left (or it is not yet/no longer valid). */
export function needsRenewal(validity: { notBefore: Date; notAfter: Date }, at: Date): boolean {
  const life = validity.notAfter.getTime() - validity.notBefore.getTime();
  const left = validity.notAfter.getTime() - at.getTime();
  if (life <= 0 || at.getTime() < validity.notBefore.getTime()) return true;
  return left * 4 < life;
}

/**
 * OpenSSL treats a CRL past its nextUpdate as a verification failure, so libpq with `sslcrl`
 * refuses the server once root.crl goes stale: fetch a new set before that (an hour's margin).
 */
export function crlIsStale(nextUpdate: Date | null, at: Date): boolean {
  return nextUpdate !== null && nextUpdate.getTime() - at.getTime() < 60 * 60 * 1000;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return "expired";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
