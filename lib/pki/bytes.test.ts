import { describe, expect, it } from "vitest";
import { colonHex, fromBase64, fromHex, toBase64, toHex } from "./bytes";

describe("byte helpers", () => {
  it("base64-encodes every length like Node does, and round-trips", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
  });

  it("formats hex the way openssl prints fingerprints", () => {
    expect(toHex(fromHex("0aFF10"))).toBe("0aff10");
    expect(colonHex(Uint8Array.of(0x0a, 0xff, 0x10))).toBe("0A:FF:10");
    expect(() => fromHex("abc")).toThrow(/not hex/);
  });
});
