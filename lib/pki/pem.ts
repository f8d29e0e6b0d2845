import { fromBase64, toBase64 } from "./bytes";
import { PkiError } from "./errors";

export type PemLabel = "CERTIFICATE" | "CERTIFICATE REQUEST" | "X509 CRL" | "PRIVATE KEY" | "PUBLIC KEY";

/** Certificates and CSRs are a few KiB; anything far larger is refused before parsing. */
export const MAX_PEM_BYTES = 256 * 1024;

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** PEM with 64-character lines (RFC 7468). Fast enough for multi-megabyte CRLs: no regex pass. */
export function derToPem(der: Uint8Array, label: PemLabel): string {
  const base64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Every PEM block with the given label, as DER; other labels are an error that names them. */
export function pemToDerAll(pem: string, label: PemLabel): Uint8Array[] {
  if (typeof pem !== "string" || pem.trim() === "") throw new PkiError("PEM_INVALID", `expected a PEM ${label}, got empty input`);
  if (pem.length > MAX_PEM_BYTES) throw new PkiError("INPUT_TOO_LARGE", `PEM input is ${pem.length} bytes; at most ${MAX_PEM_BYTES} are accepted`);
  const blocks = [...pem.matchAll(BLOCK)];
  if (blocks.length === 0) throw new PkiError("PEM_INVALID", `expected a PEM ${label} (-----BEGIN ${label}-----), found no PEM block`);
  return blocks.map(([, found, body]) => {
    if (found !== label) throw new PkiError("PEM_INVALID", `expected a PEM ${label}, found ${found}`);
    const base64 = body!.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0 || base64.length === 0) {
      throw new PkiError("PEM_INVALID", `the ${label} PEM block is not valid base64`);
    }
    return fromBase64(base64);
  });
}

export function pemToDer(pem: string, label: PemLabel): Uint8Array {
  const [first, ...rest] = pemToDerAll(pem, label);
  if (rest.length > 0) throw new PkiError("PEM_INVALID", `expected one ${label}, found ${rest.length + 1}`);
  return first!;
}

/** Accepts either PEM text or DER bytes. */
export function toDer(input: string | Uint8Array, label: PemLabel): Uint8Array {
  // An uploaded file arrives as bytes whether it holds PEM or DER.
  if (typeof input !== "string" && input.length > 10 && input[0] === 0x2d && new TextDecoder().decode(input.subarray(0, 10)) === "-----BEGIN") {
    input = new TextDecoder().decode(input);
  }
  if (typeof input !== "string") {
    if (input.length > MAX_PEM_BYTES) throw new PkiError("INPUT_TOO_LARGE", `DER input is ${input.length} bytes; at most ${MAX_PEM_BYTES} are accepted`);
    if (input.length === 0) throw new PkiError("DER_INVALID", `expected a DER ${label}, got 0 bytes`);
    return input;
  }
  return pemToDer(input, label);
}
