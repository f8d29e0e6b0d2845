import type * as pkijs from "pkijs";
import { ascii, tlv, TAG } from "./der";
import { PkiError } from "./errors";
import { extension, type EncodedExtension } from "./extensions";
import { decodeIpAddress, encodeIpAddress, isIpAddress, normalizeDnsName } from "./names";
import { OID } from "./oids";

/**
 * nameConstraints (RFC 5280 §4.2.1.10): the names a CA may certify. A dNSName base covers the
 * name and every name made by adding labels on the left; an iPAddress base is address ‖ mask
 * (8 bytes for IPv4, 32 for IPv6). A constraint binds only names of its own type.
 */
export type Subtree = { type: "dns"; suffix: string } | { type: "ip"; address: Uint8Array; mask: Uint8Array };
export type NameConstraints = { permitted: Subtree[]; excluded: Subtree[] };

/** "example.com" (it and every name below it), "10.0.0.0/8", "2001:db8::/32" or one address "192.0.2.7". */
export function parsePermittedName(text: string): Subtree {
  if (typeof text !== "string") throw new PkiError("NAME_INVALID", `a permitted name must be text (got ${typeof text})`);
  const value = text.trim();
  if (value.includes("/") || isIpAddress(value)) return parseIpRange(value);
  if (value.startsWith("*."))
    throw new PkiError(
      "NAME_INVALID",
      `"${value}": a permitted name is a DNS suffix such as ${value.slice(2)} (it covers every name below it), not a wildcard`,
    );
  return { type: "dns", suffix: normalizeDnsName(value) };
}

function parseIpRange(value: string): Subtree {
  const [text = "", prefixText, ...rest] = value.split("/");
  const address = encodeIpAddress(text);
  const bits = address.length * 8;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (rest.length > 0 || !(prefix >= 0 && prefix <= bits))
    throw new PkiError("NAME_INVALID", `"${value}" is not an IP range (address/prefix length, 0 to ${bits})`);
  const mask = address.map((_, i) => (prefix >= (i + 1) * 8 ? 0xff : prefix <= i * 8 ? 0 : (0xff << (8 - (prefix - i * 8))) & 0xff));
  const network = address.map((byte, i) => byte & mask[i]!);
  if (network.some((byte, i) => byte !== address[i]))
    throw new PkiError("NAME_INVALID", `"${value}" has host bits set; the range is ${decodeIpAddress(network)}/${prefix}`);
  return { type: "ip", address, mask };
}

export function formatSubtree(subtree: Subtree): string {
  if (subtree.type === "dns") return subtree.suffix || "(every DNS name)";
  const prefix = Array.from(subtree.mask).reduce((n, byte) => n + byte.toString(2).replaceAll("0", "").length, 0);
  return `${decodeIpAddress(subtree.address)}/${prefix}`;
}

/**
 * The constraints for a list of permitted names; null for an empty list (unconstrained). A name
 * type with no permitted entry is excluded entirely, as the CA/Browser Forum requires of a
 * technically constrained CA: otherwise "only example.com" would still allow every IP address.
 */
export function nameConstraintsFor(permittedNames: readonly string[]): NameConstraints | null {
  if (permittedNames.length === 0) return null;
  const permitted = permittedNames.map(parsePermittedName);
  const excluded: Subtree[] = [];
  if (!permitted.some((s) => s.type === "dns")) excluded.push({ type: "dns", suffix: "" });
  if (!permitted.some((s) => s.type === "ip"))
    excluded.push(
      { type: "ip", address: new Uint8Array(4), mask: new Uint8Array(4) },
      { type: "ip", address: new Uint8Array(16), mask: new Uint8Array(16) },
    );
  return { permitted, excluded };
}

/** The extension, critical as RFC 5280 §4.2.1.10 requires; subtrees are [0]/[1] IMPLICIT SEQUENCE OF GeneralSubtree. */
export function nameConstraintsExtension({ permitted, excluded }: NameConstraints): EncodedExtension {
  const subtree = (s: Subtree) => tlv(TAG.SEQUENCE, s.type === "dns" ? tlv(0x82, ascii(s.suffix)) : tlv(0x87, s.address, s.mask));
  const parts = [
    ...(permitted.length ? [tlv(0xa0, ...permitted.map(subtree))] : []),
    ...(excluded.length ? [tlv(0xa1, ...excluded.map(subtree))] : []),
  ];
  return extension(OID.nameConstraints, true, tlv(TAG.SEQUENCE, ...parts));
}

/** A CA certificate's own nameConstraints (dNSName and iPAddress bases; other forms do not bind our names). */
export function readNameConstraints(certificate: pkijs.Certificate): NameConstraints | null {
  const found = certificate.extensions?.find((e) => e.extnID === OID.nameConstraints)?.parsedValue as pkijs.NameConstraints | undefined;
  if (!found) return null;
  const read = (subtrees: pkijs.GeneralSubtree[] | undefined): Subtree[] =>
    (subtrees ?? []).flatMap((s): Subtree[] => {
      if (s.base.type === 2) return [{ type: "dns", suffix: String(s.base.value).toLowerCase() }];
      if (s.base.type !== 7) return [];
      const bytes = new Uint8Array((s.base.value as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView);
      return bytes.length === 8 || bytes.length === 32
        ? [{ type: "ip", address: bytes.slice(0, bytes.length / 2), mask: bytes.slice(bytes.length / 2) }]
        : [];
    });
  return { permitted: read(found.permittedSubtrees), excluded: read(found.excludedSubtrees) };
}

function matches(subtree: Subtree, name: string, ip: Uint8Array | null): boolean {
  if (subtree.type === "dns") {
    if (ip) return false;
    const { suffix } = subtree;
    // An empty base matches every name; a leading "." (as some CAs write it) means names below only.
    return suffix === "" || name === suffix || name.endsWith(suffix.startsWith(".") ? suffix : `.${suffix}`);
  }
  return (
    ip !== null &&
    ip.length === subtree.address.length &&
    ip.every((byte, i) => (byte & subtree.mask[i]!) === (subtree.address[i]! & subtree.mask[i]!))
  );
}

/** The names the constraints refuse: a name must match a permitted base of its type (if any) and no excluded one. */
export function namesOutside(
  constraints: NameConstraints,
  names: { dnsNames: readonly string[]; ipAddresses: readonly string[] },
): string[] {
  const check = (name: string, ip: Uint8Array | null) => {
    const type = ip ? "ip" : "dns";
    const permitted = constraints.permitted.filter((s) => s.type === type);
    const inside = permitted.length === 0 || permitted.some((s) => matches(s, name, ip));
    return inside && !constraints.excluded.some((s) => matches(s, name, ip));
  };
  return [
    ...names.dnsNames.filter((name) => !check(name.toLowerCase(), null)),
    ...names.ipAddresses.filter((ip) => !check(ip, encodeIpAddress(ip))),
  ];
}

/**
 * A CN OpenSSL checks as a DNS name under name constraints when the certificate has no dNSName
 * SAN (x509 v3_ncons.c cn2dnsid): letters, digits, _ and inner - and ., with at least one dot. So a
 * client certificate for database user "app.reader" fails verification under a root limited to
 * db.example, in PostgreSQL as in `openssl verify`.
 */
export function commonNameAsDnsName(commonName: string): string | null {
  const hostLike =
    commonName.includes(".") && /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(commonName) && !/\.\.|\.-|-\./.test(commonName);
  return hostLike ? commonName.toLowerCase() : null;
}

/** Refuses, before anything is signed, a certificate whose names a validator would reject under these constraints. */
export function assertNamesPermitted(
  constraints: NameConstraints,
  names: { dnsNames: readonly string[]; ipAddresses: readonly string[] },
  whose: string,
): void {
  const outside = namesOutside(constraints, names);
  if (outside.length === 0) return;
  const allowed = constraints.permitted.map(formatSubtree).join(", ") || "none";
  throw new PkiError(
    "NAME_NOT_PERMITTED",
    `${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} outside ${whose} (permitted: ${allowed})`,
  );
}
