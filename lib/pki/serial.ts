import { fromHex, toHex } from "./bytes";
import { PkiError } from "./errors";

/**
 * 128 random bits as a positive DER INTEGER: RFC 5280 §4.1.2.2 wants positive serials of at most
 * 20 octets, and CA/B guidance wants at least 64 bits of randomness. A leading zero octet is added
 * only when the high bit is set (otherwise the INTEGER would read as negative).
 */
export function randomSerial(): Uint8Array {
  const random = crypto.getRandomValues(new Uint8Array(16));
  random[0] = random[0]! || 1; // never a needless leading zero octet
  return random[0]! & 0x80 ? Uint8Array.from([0, ...random]) : random;
}

/** Upper-case hex without a sign octet, as `openssl x509 -serial` prints it. */
export function serialToHex(serial: Uint8Array): string {
  let start = 0;
  while (start < serial.length - 1 && serial[start] === 0) start++;
  return toHex(serial.subarray(start)).toUpperCase();
}

/** "0a:1b…", "0A1B…", with or without colons → the DER INTEGER content octets. */
export function serialFromHex(hex: string): Uint8Array {
  const clean = hex.replace(/:/g, "").trim();
  if (!/^[0-9a-f]{1,40}$/i.test(clean)) throw new PkiError("NAME_INVALID", `"${hex}" is not a certificate serial (hex, at most 20 octets)`);
  const bytes = fromHex(clean.length % 2 ? `0${clean}` : clean);
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return trimmed[0]! & 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed;
}
