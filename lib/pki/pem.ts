import { fromBase64, toBase64 } from "./bytes";
import { PkiError } from "./errors";

export type PemLabel = "CERTIFICATE" | "CERTIFICATE REQUEST" | "X509 CRL" | "PRIVATE KEY" | "PUBLIC KEY";

/**
 * Size limits, checked before any parser runs. One certificate, CSR or key is a few KiB, so 64 KiB
 * of DER per object is generous; PEM text may hold a bundle (root.crt = old + new roots during a
 * rotation, a chain). CRLs grow with revocations (100,000 entries ≈ 4 MB), so they get their own.
 */
const MAX_DER_BYTES = 64 * 1024;
const MAX_PEM_BYTES = 256 * 1024;
const MAX_CRL_PEM_BYTES = 96 * 1024 * 1024;

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** What to do when a key arrives in a form we do not read, instead of just "wrong label". */
const LABEL_HINTS: Record<string, string> = {
  "RSA PRIVATE KEY": " (a traditional OpenSSL key: convert with `openssl pkcs8 -topk8 -nocrypt`)",
  "EC PRIVATE KEY": " (a traditional OpenSSL key: convert with `openssl pkcs8 -topk8 -nocrypt`)",
  "ENCRYPTED PRIVATE KEY": " (an encrypted key: decrypt it with `openssl pkcs8 -nocrypt` first)",
  "NEW CERTIFICATE REQUEST": " (rename the label to CERTIFICATE REQUEST)",
};

function maxPemBytes(label: PemLabel): number {
  return label === "X509 CRL" ? MAX_CRL_PEM_BYTES : MAX_PEM_BYTES;
}

/** PEM with 64-character lines (RFC 7468). Fast enough for multi-megabyte CRLs: no regex pass. */
export function derToPem(der: Uint8Array, label: PemLabel): string {
  const base64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Every PEM block with the given label, as DER, in file order (a chain or a trust bundle). Text
 * around the blocks is ignored, as OpenSSL does; a block with another label is an error naming it.
 */
export function pemToDerAll(pem: string, label: PemLabel): Uint8Array[] {
  if (typeof pem !== "string" || pem.trim() === "") throw new PkiError("PEM_INVALID", `expected a PEM ${label}, got empty input`);
  const limit = maxPemBytes(label);
  if (pem.length > limit)
    throw new PkiError("INPUT_TOO_LARGE", `PEM input is ${pem.length} bytes; at most ${limit} are accepted for ${label}`);
  const blocks = [...pem.matchAll(BLOCK)];
  if (blocks.length === 0) throw new PkiError("PEM_INVALID", `expected a PEM ${label} (-----BEGIN ${label}-----), found no PEM block`);
  return blocks.map(([, found, body]) => {
    if (found !== label) throw new PkiError("PEM_INVALID", `expected a PEM ${label}, found ${found}${LABEL_HINTS[found!] ?? ""}`);
    // RFC 7468 §3: whitespace (including CRLF from Windows editors) may appear anywhere in the body.
    const base64 = body!.replace(/\s+/g, "");
    if (base64.length === 0 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      throw new PkiError("PEM_INVALID", `the ${label} PEM block is not valid base64`);
    }
    const der = fromBase64(base64);
    if (label !== "X509 CRL" && der.length > MAX_DER_BYTES)
      throw new PkiError("INPUT_TOO_LARGE", `the ${label} is ${der.length} bytes; at most ${MAX_DER_BYTES} are accepted`);
    return der;
  });
}

export function pemToDer(pem: string, label: PemLabel): Uint8Array {
  const [first, ...rest] = pemToDerAll(pem, label);
  if (rest.length > 0) throw new PkiError("PEM_INVALID", `expected one ${label}, found ${rest.length + 1}`);
  return first!;
}

/** Accepts either PEM text or DER bytes (an uploaded file arrives as bytes whether it holds PEM or DER). */
export function toDer(input: string | Uint8Array, label: PemLabel): Uint8Array {
  if (
    input instanceof Uint8Array &&
    input.length > 10 &&
    input[0] === 0x2d &&
    new TextDecoder().decode(input.subarray(0, 10)) === "-----BEGIN"
  ) {
    if (input.length > maxPemBytes(label))
      throw new PkiError("INPUT_TOO_LARGE", `PEM input is ${input.length} bytes; at most ${maxPemBytes(label)} are accepted for ${label}`);
    input = new TextDecoder().decode(input);
  }
  if (typeof input === "string") return pemToDer(input, label);
  if (!(input instanceof Uint8Array))
    throw new PkiError("PEM_INVALID", `expected PEM text or DER bytes for a ${label}, got ${input === null ? "null" : typeof input}`);
  const limit = label === "X509 CRL" ? MAX_CRL_PEM_BYTES : MAX_DER_BYTES;
  if (input.length > limit)
    throw new PkiError("INPUT_TOO_LARGE", `DER input is ${input.length} bytes; at most ${limit} are accepted for ${label}`);
  if (input.length === 0) throw new PkiError("DER_INVALID", `expected a DER ${label}, got 0 bytes`);
  return input;
}
