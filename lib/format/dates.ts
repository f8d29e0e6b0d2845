/** "2026-11-24 04:35 UTC": PKI people compare times across zones; UTC avoids ambiguity. */
export function formatUtc(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}

export function formatDate(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : "—";
}
