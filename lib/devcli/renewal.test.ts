import { describe, expect, it } from "vitest";
import { crlIsStale, needsRenewal } from "./renewal";

const H = 3600_000;
const notBefore = new Date("2026-01-01T00:00:00Z");
const twelveHours = { notBefore, notAfter: new Date(notBefore.getTime() + 12 * H) };
const at = (hours: number) => new Date(notBefore.getTime() + hours * H);

describe("renewal rule: renew when less than a quarter of the life is left", () => {
  it("keeps a 12 h certificate up to 9 h, renews after", () => {
    expect(needsRenewal(twelveHours, at(0))).toBe(false);
    expect(needsRenewal(twelveHours, at(9))).toBe(false);
    expect(needsRenewal(twelveHours, at(9.01))).toBe(true);
    expect(needsRenewal(twelveHours, at(13))).toBe(true);
  });

  it("scales with the lifetime (7 days: kept for 5.25 days)", () => {
    const week = { notBefore, notAfter: new Date(notBefore.getTime() + 168 * H) };
    expect(needsRenewal(week, at(126))).toBe(false);
    expect(needsRenewal(week, at(127))).toBe(true);
  });

  it("renews a certificate not yet valid on this clock", () => {
    expect(needsRenewal(twelveHours, at(-1))).toBe(true);
  });

  it("a CRL within an hour of its nextUpdate counts as stale (OpenSSL rejects one past it)", () => {
    expect(crlIsStale(at(10), at(8))).toBe(false);
    expect(crlIsStale(at(10), at(9.5))).toBe(true);
    expect(crlIsStale(null, at(100))).toBe(false);
  });
});
