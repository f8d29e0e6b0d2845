import { describe, expect, it } from "vitest";
import { PkiError } from "./errors";
import { decodeIpAddress, encodeIpAddress, normalizeDnsName, validateDatabaseUser } from "./names";

describe("names", () => {
  it("normalizes DNS names and allows only a leftmost wildcard", () => {
    expect(normalizeDnsName("DB1.Example.Internal.")).toBe("db1.example.internal");
    expect(normalizeDnsName("*.pg.example.com")).toBe("*.pg.example.com");
    for (const bad of ["", "db_1.example", "-db.example", "db.*.example", "*.com", "a..b", "10.0.0.1", `${"a".repeat(64)}.x`]) {
      expect(() => normalizeDnsName(bad), bad).toThrow(PkiError);
    }
  });

  it("encodes IPv4 and IPv6 (compressed, full, embedded IPv4) and decodes them back", () => {
    expect(Array.from(encodeIpAddress("127.0.0.1"))).toEqual([127, 0, 0, 1]);
    const cases: [string, string][] = [
      ["::1", "::1"],
      ["2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"],
      ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
      ["::ffff:192.0.2.1", "::ffff:c000:201"],
      ["fe80::", "fe80::"],
    ];
    for (const [input, text] of cases) {
      const bytes = encodeIpAddress(input);
      expect(bytes).toHaveLength(16);
      expect(decodeIpAddress(bytes)).toBe(text);
    }
    for (const bad of ["256.0.0.1", "1.2.3", "01.2.3.4", "::1::2", "1:2:3:4:5:6:7:8:9", "gggg::1", "db1", "1:2:3:4:5:6:7"]) {
      expect(() => encodeIpAddress(bad), bad).toThrow(/is not a valid IPv4 or IPv6 address/);
    }
  });

  it("accepts PostgreSQL role names up to 63 bytes", () => {
    expect(validateDatabaseUser("app_rw")).toBe("app_rw");
    expect(() => validateDatabaseUser("x".repeat(64))).toThrow(/1-63 bytes/);
    expect(() => validateDatabaseUser("bad\nname")).toThrow(PkiError);
  });
});
