import { encodeLength } from "../der";
import { PkiError } from "../errors";
import { wholeSeconds } from "../time";
import { REVOCATION_REASON_CODES } from "./reasons";
import type { CrlEntry } from "./build-crl";
import { reasonExtension } from "./reason-extension";

/** Entries written between two yields to the event loop (a few milliseconds of work). */
const CHUNK = 10_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The revokedCertificates content, written straight into one buffer: no per-entry arrays, no
 * ASN.1 objects. Each entry is SEQUENCE { serial INTEGER, revocationDate Time, [reason ext] }.
 */
export async function encodeRevokedList(entries: CrlEntry[]): Promise<Uint8Array> {
  // Worst case per entry: 4 (seq header) + 23 (serial) + 17 (time) + reason extension.
  let buffer = new Uint8Array(Math.max(64, entries.length * 64));
  let offset = 0;
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    const entry = entries[i]!;
    if (offset + 128 > buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    offset = writeEntry(buffer, offset, entry);
  }
  return buffer.subarray(0, offset);
}

const serialScratch = new Uint8Array(21);

function writeEntry(out: Uint8Array, start: number, entry: CrlEntry): number {
  const serialLength = parseSerial(entry.serialHex);
  const time = wholeSeconds(entry.revokedAt);
  const year = time.getUTCFullYear();
  const generalized = year >= 2050 || year < 1950; // RFC 5280 §5.1.2.4
  const code = entry.reason === undefined ? 0 : REVOCATION_REASON_CODES[entry.reason];
  if (code === undefined) throw new PkiError("CRL_INVALID", `unknown revocation reason "${entry.reason}"`);
  // RFC 5280 §5.3.1: omit reasonCode rather than write "unspecified".
  const extension = code === 0 ? null : reasonExtension(code);
  const contentLength = 2 + serialLength + 2 + (generalized ? 15 : 13) + (extension?.length ?? 0);

  let o = start;
  out[o++] = 0x30;
  const length = encodeLength(contentLength);
  out.set(length, o);
  o += length.length;
  out[o++] = 0x02;
  out[o++] = serialLength;
  out.set(serialScratch.subarray(0, serialLength), o);
  o += serialLength;
  out[o++] = generalized ? 0x18 : 0x17;
  out[o++] = generalized ? 15 : 13;
  if (generalized) o = writeDigits(out, o, Math.floor(year / 100));
  o = writeDigits(out, o, year % 100);
  o = writeDigits(out, o, time.getUTCMonth() + 1);
  o = writeDigits(out, o, time.getUTCDate());
  o = writeDigits(out, o, time.getUTCHours());
  o = writeDigits(out, o, time.getUTCMinutes());
  o = writeDigits(out, o, time.getUTCSeconds());
  out[o++] = 0x5a; // "Z"
  if (extension) {
    out.set(extension, o);
    o += extension.length;
  }
  return o;
}

function writeDigits(out: Uint8Array, offset: number, value: number): number {
  out[offset] = 0x30 + Math.floor(value / 10);
  out[offset + 1] = 0x30 + (value % 10);
  return offset + 2;
}

/** Hex serial (colons allowed) → minimal positive INTEGER content in serialScratch; returns its length. */
function parseSerial(hex: string): number {
  const digits: number[] = [];
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i);
    if (c === 0x3a) continue; // ":"
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (v < 0) throw new PkiError("NAME_INVALID", `"${hex}" is not a certificate serial (hex, at most 20 octets)`);
    digits.push(v);
  }
  if (digits.length % 2) digits.unshift(0);
  let first = 0;
  while (first < digits.length - 2 && digits[first] === 0 && digits[first + 1] === 0) first += 2;
  const byteCount = (digits.length - first) / 2;
  if (byteCount === 0 || byteCount > 20)
    throw new PkiError("NAME_INVALID", `"${hex}" is not a certificate serial (hex, at most 20 octets)`);
  const leadingZero = digits[first]! >= 8 ? 1 : 0; // keep the INTEGER positive
  serialScratch[0] = 0;
  for (let b = 0; b < byteCount; b++) serialScratch[leadingZero + b] = (digits[first + 2 * b]! << 4) | digits[first + 2 * b + 1]!;
  return byteCount + leadingZero;
}
