import type { CrlEntry } from "@/lib/pki/crl";

/** A revoked list like a busy cluster's: 128-bit serials, spread dates, a third with reasons. */
export function benchEntries(count: number): CrlEntry[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    serialHex: `${(0x40000000 + i).toString(16).toUpperCase()}${"5A".repeat(12)}`,
    revokedAt: new Date(now - i * 7_000),
    reason: i % 3 === 0 ? ("keyCompromise" as const) : undefined,
  }));
}
