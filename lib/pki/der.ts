import { PkiError } from "./errors";

/**
 * A minimal DER writer and a bounded reader for structures too large for asn1js (CRLs with
 * 100,000 entries: asn1js builds a node per element and stops at its maxNodes limit).
 */

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
} as const;

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** tag ‖ length ‖ content(s), written into one new array. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const size = contents.reduce((n, c) => n + c.length, 0);
  const length = encodeLength(size);
  const out = new Uint8Array(1 + length.length + size);
  out[0] = tag;
  out.set(length, 1);
  let offset = 1 + length.length;
  for (const content of contents) {
    out.set(content, offset);
    offset += content.length;
  }
  return out;
}

/** A non-negative INTEGER from big-endian magnitude bytes (sign octet added when needed). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return trimmed[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), trimmed) : tlv(TAG.INTEGER, trimmed);
}

export function derSmallInteger(value: number | bigint): Uint8Array {
  let n = BigInt(value);
  if (n < 0n) throw new PkiError("CRL_INVALID", `negative integer ${value}`);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  return derUnsignedInteger(Uint8Array.from(bytes));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §5.1.2.4), whole seconds, Z. */
export function derTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return y < 2050 && y >= 1950
    ? tlv(TAG.UTC_TIME, ascii(`${pad(y % 100)}${rest}`))
    : tlv(TAG.GENERALIZED_TIME, ascii(`${pad(y, 4)}${rest}`));
}

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function derOid(oid: string): Uint8Array {
  const parts = oid.split(".").map(Number);
  const bytes: number[] = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(bytes));
}

export type Tlv = { tag: number; start: number; contentStart: number; end: number };

/**
 * Reads one TLV at `offset`, checking every length against the buffer: truncated or lying
 * lengths become DER_INVALID instead of out-of-range reads or hangs. Definite lengths only (DER).
 */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new PkiError("DER_INVALID", `truncated DER at byte ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new PkiError("DER_INVALID", `multi-byte tags are not expected (byte ${offset})`);
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new PkiError("DER_INVALID", `unsupported length encoding at byte ${offset}`);
    if (contentStart + count > limit) throw new PkiError("DER_INVALID", `truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit)
    throw new PkiError("DER_INVALID", `element at byte ${offset} claims ${length} bytes but only ${limit - contentStart} remain`);
  return { tag, start: offset, contentStart, end };
}

/** Reads the children of a constructed element, with an upper bound on their number. */
export function* children(bytes: Uint8Array, parent: Tlv, max = Number.MAX_SAFE_INTEGER): Generator<Tlv> {
  let offset = parent.contentStart;
  let count = 0;
  while (offset < parent.end) {
    if (++count > max) throw new PkiError("INPUT_TOO_LARGE", `more than ${max} elements`);
    const child = readTlv(bytes, offset, parent.end);
    yield child;
    offset = child.end;
  }
}

export function expectTag(element: Tlv | undefined, tag: number, what: string): Tlv {
  if (!element || element.tag !== tag) {
    throw new PkiError(
      "DER_INVALID",
      `expected ${what} (tag 0x${tag.toString(16)}), found ${element ? `tag 0x${element.tag.toString(16)}` : "nothing"}`,
    );
  }
  return element;
}
