import { PkiError } from "./errors";

/** RFC 1123 host names; a wildcard is allowed only as the whole leftmost label (RFC 6125 §6.4.3). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function normalizeDnsName(name: string): string {
  if (typeof name !== "string") throw new PkiError("NAME_INVALID", `a DNS name must be text (got ${typeof name})`);
  const value = name.trim().toLowerCase().replace(/\.$/, "");
  const labels = value.split(".");
  const valid =
    value.length > 0 &&
    value.length <= 253 &&
    labels.every((label, i) => (i === 0 && label === "*" && labels.length > 2) || LABEL.test(label)) &&
    !/^\d+(\.\d+){3}$/.test(value); // an IPv4 address belongs in iPAddress, not dNSName
  if (!valid) throw new PkiError("NAME_INVALID", `"${name.slice(0, 260)}" is not a valid DNS name`);
  return value;
}

/** IPv4 → 4 bytes, IPv6 (with :: and embedded IPv4) → 16 bytes, as the iPAddress SAN encodes them. */
export function encodeIpAddress(address: string): Uint8Array {
  if (typeof address !== "string") throw new PkiError("NAME_INVALID", `an IP address must be text (got ${typeof address})`);
  const value = address.trim();
  const v4 = parseIpv4(value);
  if (v4) return v4;
  const v6 = parseIpv6(value);
  if (v6) return v6;
  throw new PkiError("NAME_INVALID", `"${address}" is not a valid IPv4 or IPv6 address`);
}

/** The canonical text of an address (RFC 5952 for IPv6), so "2001:DB8:0::1" and "2001:db8::1" compare equal. */
export function normalizeIpAddress(address: string): string {
  return decodeIpAddress(encodeIpAddress(address));
}

export function isIpAddress(value: string): boolean {
  return parseIpv4(value.trim()) !== null || parseIpv6(value.trim()) !== null;
}

function parseIpv4(value: string): Uint8Array | null {
  const parts = value.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return new Uint8Array(parts.map(Number));
}

function parseIpv6(value: string): Uint8Array | null {
  if (!/^[0-9a-f:.]+$/i.test(value) || value.split("::").length > 2) return null;
  let text = value;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
  if (text.includes(".")) {
    const cut = text.lastIndexOf(":");
    const v4 = parseIpv4(text.slice(cut + 1));
    if (!v4) return null;
    text = `${text.slice(0, cut + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if ([...left, ...right].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const words = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) => parseInt(g, 16));
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
}

/** Back to text: dotted quad, or RFC 5952 compressed IPv6. */
export function decodeIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length !== 16) return `invalid(${bytes.length} bytes)`;
  const words = Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/** PostgreSQL role names as a client certificate CN (NAMEDATALEN - 1 = 63 bytes, no control characters). */
export function validateDatabaseUser(name: string): string {
  if (typeof name !== "string") throw new PkiError("NAME_INVALID", `a database user name must be text (got ${typeof name})`);
  const bytes = new TextEncoder().encode(name).length;
  if (name.length === 0 || bytes > 63 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new PkiError("NAME_INVALID", `"${name}" is not a valid PostgreSQL user name (1-63 bytes, no control characters)`);
  }
  return name;
}
