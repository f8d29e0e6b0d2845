import { describe, expect, it } from "vitest";
import { derToPem, pemToDer, pemToDerAll, toDer } from "./pem";

describe("PEM", () => {
  const a = Uint8Array.from({ length: 100 }, (_, i) => i);
  const b = Uint8Array.of(0x30, 0x00);

  it("writes 64-character lines (RFC 7468) and reads every label we use back", () => {
    for (const label of ["CERTIFICATE", "CERTIFICATE REQUEST", "X509 CRL", "PRIVATE KEY", "PUBLIC KEY"] as const) {
      const pem = derToPem(a, label);
      expect(pem.split("\n").every((line) => line.length <= 64)).toBe(true);
      expect(pem.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
      expect(pemToDer(pem, label)).toEqual(a);
    }
  });

  it("returns every certificate of a bundle in order, ignoring text around them and CRLF", () => {
    const bundle = `subject=CN = a\r\n${derToPem(a, "CERTIFICATE").replace(/\n/g, "\r\n")}\nissuer=x\n${derToPem(b, "CERTIFICATE")}`;
    expect(pemToDerAll(bundle, "CERTIFICATE")).toEqual([a, b]);
    expect(() => pemToDer(bundle, "CERTIFICATE")).toThrow(/expected one CERTIFICATE, found 2/);
  });

  it("takes PEM text, PEM bytes (an uploaded file) or DER bytes", () => {
    const pem = derToPem(a, "CERTIFICATE REQUEST");
    expect(toDer(pem, "CERTIFICATE REQUEST")).toEqual(a);
    expect(toDer(new TextEncoder().encode(pem), "CERTIFICATE REQUEST")).toEqual(a);
    expect(toDer(a, "CERTIFICATE REQUEST")).toBe(a);
  });

  it("names the label it found, with a hint for keys in forms we do not read", () => {
    expect(() => pemToDer(derToPem(a, "PUBLIC KEY"), "PRIVATE KEY")).toThrow(/expected a PEM PRIVATE KEY, found PUBLIC KEY$/);
    expect(() => pemToDer("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----", "PRIVATE KEY")).toThrow(
      /openssl pkcs8 -topk8 -nocrypt/,
    );
  });

  it("accepts CRL PEM far larger than a certificate may be", () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(7);
    expect(pemToDer(derToPem(big, "X509 CRL"), "X509 CRL")).toHaveLength(big.length);
    expect(() => pemToDer(derToPem(big, "CERTIFICATE"), "CERTIFICATE")).toThrow(/at most/);
  });
});
