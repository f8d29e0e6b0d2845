import { derOid, derSmallInteger, tlv, TAG, ascii } from "./der";
import { encodeIpAddress, normalizeDnsName } from "./names";
import { OID } from "./oids";

/**
 * X.509 v3 extensions as DER (RFC 5280 §4.2), written directly: issuing a leaf is on the hot
 * path of bulk re-issue, and building asn1js objects for each costs more than the signature.
 */
export type EncodedExtension = Uint8Array;

const TRUE = Uint8Array.of(0x01, 0x01, 0xff);

export function extension(oid: string, critical: boolean, value: Uint8Array): EncodedExtension {
  return tlv(TAG.SEQUENCE, derOid(oid), ...(critical ? [TRUE] : []), tlv(TAG.OCTET_STRING, value));
}

/** basicConstraints, critical (RFC 5280 §4.2.1.9); leaves say CA:false by an empty SEQUENCE. */
export function basicConstraints(ca: boolean, pathLen?: number): EncodedExtension {
  const value = ca ? tlv(TAG.SEQUENCE, TRUE, ...(pathLen !== undefined ? [derSmallInteger(pathLen)] : [])) : tlv(TAG.SEQUENCE);
  return extension(OID.basicConstraints, true, value);
}

export type KeyUsageName = "digitalSignature" | "keyEncipherment" | "keyCertSign" | "cRLSign";
const KEY_USAGE_BITS: Record<KeyUsageName, number> = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 };

/** keyUsage as a BIT STRING with unused trailing bits trimmed (X.690 §11.2.2), critical. */
export function keyUsage(usages: KeyUsageName[]): EncodedExtension {
  let bits = 0;
  for (const usage of usages) bits |= 0x80 >> KEY_USAGE_BITS[usage];
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  return extension(OID.keyUsage, true, tlv(TAG.BIT_STRING, Uint8Array.of(unused, bits)));
}

export function extendedKeyUsage(purposes: ("serverAuth" | "clientAuth")[]): EncodedExtension {
  return extension(OID.extKeyUsage, false, tlv(TAG.SEQUENCE, ...purposes.map((p) => derOid(OID[p]))));
}

/** SAN: dNSName [2] for every name, iPAddress [7] for every IP. libpq checks SANs, not the CN, when any dNSName exists. */
export function subjectAltName(dnsNames: string[], ipAddresses: string[]): EncodedExtension {
  const names = [
    ...dnsNames.map((name) => tlv(0x82, ascii(normalizeDnsName(name)))),
    ...ipAddresses.map((ip) => tlv(0x87, encodeIpAddress(ip))),
  ];
  return extension(OID.subjectAltName, false, tlv(TAG.SEQUENCE, ...names));
}

export function subjectKeyIdentifier(keyId: Uint8Array): EncodedExtension {
  return extension(OID.subjectKeyIdentifier, false, tlv(TAG.OCTET_STRING, keyId));
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }. */
export function authorityKeyIdentifier(keyId: Uint8Array): EncodedExtension {
  return extension(OID.authorityKeyIdentifier, false, tlv(TAG.SEQUENCE, tlv(0x80, keyId)));
}
