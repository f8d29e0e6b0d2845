import { describe, expect, it } from "vitest";
import { PkiError } from "./errors";
import { decodeIpAddress, encodeIpAddress, normalizeDnsName, normalizeIpAddress, validateDatabaseUser } from "./names";

describe("names", () => {
  it("normalizes DNS names and allows only a leftmost wildcard", () => {
    expect(normalizeDnsName("DB1.Example.Internal.")).toBe("db1.example.internal");
    expect(normalizeDnsName("*.pg.example.com")).toBe("*.pg.example.com");
    for (const bad of [
      "",
      "*",
      "db_1.example",
      "-db.example",
      "db.*.example",
      "*.*.example",
      "a*.example",
      "*.com",
      "a..b",
      "10.0.0.1",
      "bücher.example",
      `${"a".repeat(64)}.x`,
      `${"a.".repeat(127)}ab`,
    ]) {
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
      ["::", "::"],
      ["::192.0.2.1", "::c000:201"],
      ["1:0:0:2:0:0:0:3", "1:0:0:2::3"], // RFC 5952: the longest run of zeros is compressed
      ["FE80:0:0:0:0:0:0:1", "fe80::1"],
    ];
    for (const [input, text] of cases) {
      const bytes = encodeIpAddress(input);
      expect(bytes).toHaveLength(16);
      expect(decodeIpAddress(bytes)).toBe(text);
    }
    expect(Array.from(encodeIpAddress("::ffff:192.0.2.1").subarray(10))).toEqual([0xff, 0xff, 192, 0, 2, 1]);
    expect(normalizeIpAddress(" 2001:DB8:0::1 ")).toBe("2001:db8::1");
    for (const bad of [
      "",
      "256.0.0.1",
      "1.2.3",
      "01.2.3.4",
      "::1::2",
      "1:2:3:4:5:6:7:8:9",
      "gggg::1",
      "db1",
      "1:2:3:4:5:6:7",
      ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:",
      "fe80::1%eth0",
      "1.2.3.4::",
      "::ffff:1.2.3",
      "12345::1",
    ]) {
      expect(() => encodeIpAddress(bad), bad).toThrow(/is not a valid IPv4 or IPv6 address/);
    }
  });

  it("accepts PostgreSQL role names up to 63 bytes", () => {
    expect(validateDatabaseUser("app_rw")).toBe("app_rw");
    expect(() => validateDatabaseUser("x".repeat(64))).toThrow(/1-63 bytes/);
    expect(() => validateDatabaseUser("bad\nname")).toThrow(PkiError);
  });
});

describe("subject fields", () => {
  it("trims fields, drops empty ones and checks them against RFC 5280", async () => {
    const { validateSubject } = await import("./subject");
    expect(validateSubject({ CN: " db1 ", O: "Acme GmbH", OU: "", C: "DE", L: "Zürich" })).toEqual({
      C: "DE",
      L: "Zürich",
      O: "Acme GmbH",
      CN: "db1",
    });
    const bad: [Parameters<typeof validateSubject>[0], RegExp][] = [
      [{ CN: "x", C: "de" }, /country "de" must be two upper-case letters/],
      [{ CN: "x", C: "DEU" }, /country "DEU"/],
      [{ CN: "x".repeat(65) }, /subject CN "x{65}" is longer than 64 characters/],
      [{ CN: "x", ST: "s".repeat(129) }, /subject ST .* longer than 128/],
      [{ CN: "x", O: "Acme\u0000Evil" }, /subject O "Acme\\u0000Evil" contains control characters/],
      [{ CN: "" }, /needs a common name/],
      [{ CN: 5 as unknown as string }, /CN must be text/],
    ];
    for (const [subject, message] of bad) {
      expect(() => validateSubject(subject), String(message)).toThrow(message);
      expect(() => validateSubject(subject)).toThrow(PkiError);
    }
  });
});
