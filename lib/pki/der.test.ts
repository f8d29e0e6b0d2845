import { describe, expect, it } from "vitest";
import { toHex } from "./bytes";
import { derOid, derSmallInteger, derTime, derUnsignedInteger, encodeLength, readTlv } from "./der";
import { PkiError } from "./errors";

describe("DER writer", () => {
  it("encodes lengths, integers, OIDs and both time types as X.690 requires", () => {
    expect(toHex(encodeLength(127))).toBe("7f");
    expect(toHex(encodeLength(128))).toBe("8180");
    expect(toHex(encodeLength(70_000))).toBe("83011170");
    expect(toHex(derSmallInteger(0))).toBe("020100");
    expect(toHex(derSmallInteger(128))).toBe("02020080");
    expect(toHex(derUnsignedInteger(Uint8Array.of(0, 0, 0x7f)))).toBe("02017f");
    expect(toHex(derOid("2.5.29.20"))).toBe("0603551d14");
    expect(toHex(derOid("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
    expect(new TextDecoder().decode(derTime(new Date("2026-11-24T04:05:06.789Z")).subarray(2))).toBe("261124040506Z");
    expect(derTime(new Date("2051-01-02T03:04:05Z"))[0]).toBe(0x18);
  });

  it("refuses truncated and lying lengths", () => {
    expect(() => readTlv(Uint8Array.of(0x30), 0)).toThrow(PkiError);
    expect(() => readTlv(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), 0)).toThrow(/claims/);
    expect(() => readTlv(Uint8Array.of(0x30, 0x80), 0)).toThrow(/unsupported length encoding/);
  });
});
