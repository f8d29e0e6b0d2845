import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { encodeIpAddress, normalizeDnsName } from "./names";
import { OID } from "./oids";

function extension(extnID: string, critical: boolean, value: { toSchema(): asn1js.BaseBlock } | asn1js.BaseBlock, parsedValue?: unknown) {
  const schema = "toSchema" in value ? value.toSchema() : value;
  // pkijs encodes extnValue from this field, not from parsedValue: set it explicitly.
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false), parsedValue });
}

/** basicConstraints, critical on CAs (RFC 5280 §4.2.1.9); leaves say CA:false explicitly. */
export function basicConstraints(ca: boolean, pathLen?: number) {
  const value = new pkijs.BasicConstraints(ca ? { cA: true, ...(pathLen !== undefined ? { pathLenConstraint: pathLen } : {}) } : {});
  return extension(OID.basicConstraints, true, value);
}

export type KeyUsageName = "digitalSignature" | "keyEncipherment" | "keyCertSign" | "cRLSign";
const KEY_USAGE_BITS: Record<KeyUsageName, number> = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 };

/** keyUsage as a DER BIT STRING with unused trailing bits trimmed (X.690 §11.2.2). */
export function keyUsage(usages: KeyUsageName[]) {
  let bits = 0;
  for (const usage of usages) bits |= 0x80 >> KEY_USAGE_BITS[usage];
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  const bitString = new asn1js.BitString({ valueHex: toArrayBuffer(Uint8Array.of(bits)), unusedBits: unused });
  return extension(OID.keyUsage, true, bitString);
}

export function extendedKeyUsage(purposes: ("serverAuth" | "clientAuth")[]) {
  return extension(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: purposes.map((p) => OID[p]) }));
}

/** SAN: dNSName for every name, iPAddress for every IP. libpq checks SANs, not the CN, when any dNSName exists. */
export function subjectAltName(dnsNames: string[], ipAddresses: string[]) {
  const names = [
    ...dnsNames.map((name) => new pkijs.GeneralName({ type: 2, value: normalizeDnsName(name) })),
    ...ipAddresses.map((ip) => new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: toArrayBuffer(encodeIpAddress(ip)) }) })),
  ];
  return extension(OID.subjectAltName, false, new pkijs.GeneralNames({ names }));
}

export function subjectKeyIdentifier(keyId: Uint8Array) {
  return extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: toArrayBuffer(keyId) }));
}

export function authorityKeyIdentifier(keyId: Uint8Array) {
  return extension(OID.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(keyId) }) }));
}
