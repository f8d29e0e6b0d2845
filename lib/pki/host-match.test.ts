import { describe, expect, it } from "vitest";
import { matchHost } from "./host-match";

const sans = { dnsNames: ["db1.orders.internal", "*.ro.orders.internal"], ipAddresses: ["10.0.0.5", "fd00::5"] };

describe("matchHost (libpq's verify-full name rules)", () => {
  it("matches DNS names case-insensitively, a trailing dot aside", () => {
    expect(matchHost(sans, "DB1.orders.internal.")).toEqual({ ok: true, matched: "db1.orders.internal" });
  });
  it("lets a wildcard stand for exactly one leftmost label", () => {
    expect(matchHost(sans, "a.ro.orders.internal")).toMatchObject({ ok: true, matched: "*.ro.orders.internal" });
    expect(matchHost(sans, "ro.orders.internal").ok).toBe(false);
    expect(matchHost(sans, "a.b.ro.orders.internal").ok).toBe(false);
  });
  it("matches IP addresses only against IP SANs, in any notation", () => {
    expect(matchHost(sans, "10.0.0.5")).toMatchObject({ ok: true });
    expect(matchHost(sans, "fd00:0:0::5")).toMatchObject({ ok: true, matched: "fd00::5" });
    expect(matchHost({ dnsNames: ["10.0.0.6"], ipAddresses: [] }, "10.0.0.6")).toMatchObject({ ok: false });
  });
  it("names the names it has when it fails", () => {
    expect(matchHost(sans, "db9.orders.internal")).toEqual({
      ok: false,
      reason: "db9.orders.internal is not among the certificate's names (db1.orders.internal, *.ro.orders.internal)",
    });
  });
});
