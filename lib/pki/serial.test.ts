import { describe, expect, it } from "vitest";
import { toHex } from "./bytes";
import { derUnsignedInteger } from "./der";
import { randomSerial, serialFromHex, serialToHex } from "./serial";

describe("serials", () => {
  it("are 128 random bits, positive, with a sign octet only when the high bit is set (RFC 5280 §4.1.2.2)", () => {
    const seen = new Set<string>();
    let withSignOctet = 0;
    for (let i = 0; i < 2000; i++) {
      const serial = randomSerial();
      if (serial.length === 17) {
        withSignOctet++;
        expect(serial[0]).toBe(0);
        expect(serial[1]! & 0x80).toBe(0x80);
      } else {
        expect(serial).toHaveLength(16);
        expect(serial[0]).not.toBe(0); // never a needless leading zero octet
        expect(serial[0]! & 0x80).toBe(0);
      }
      // The INTEGER the certificate carries is exactly these octets.
      expect(toHex(derUnsignedInteger(serial))).toBe(`02${serial.length.toString(16).padStart(2, "0")}${toHex(serial)}`);
      seen.add(toHex(serial));
    }
    expect(seen.size).toBe(2000);
    expect(withSignOctet).toBeGreaterThan(850); // about half have the high bit set
    expect(withSignOctet).toBeLessThan(1150);
  });

  it("print as `openssl x509 -serial` does, and parse back from any case, with or without colons", () => {
    expect(serialToHex(Uint8Array.of(0x00, 0x8f, 0x0a))).toBe("8F0A");
    expect(serialToHex(Uint8Array.of(0x0a, 0x01))).toBe("0A01");
    expect(serialFromHex("8f:0a")).toEqual(Uint8Array.of(0x00, 0x8f, 0x0a));
    expect(serialFromHex("00000A01")).toEqual(Uint8Array.of(0x0a, 0x01));
    expect(serialFromHex("a01")).toEqual(Uint8Array.of(0x0a, 0x01));
    const serial = randomSerial();
    expect(serialFromHex(serialToHex(serial))).toEqual(serial);
  });
});
