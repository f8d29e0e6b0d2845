import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toHex } from "./bytes";
import { PkiError } from "./errors";
import { basicConstraintsOf, decodeCertificate } from "./load-issuer";
import { toDer } from "./pem";
import { describeSpki, fingerprintSha256 } from "./public-key";
import { decodeIpAddress } from "./names";
import { OID } from "./oids";
import { serialToHex } from "./serial";
import { formatName, nameFields, type Subject } from "./subject";

export type ParsedCertificate = {
  /** X.509 version as printed (3 for v3). */
  version: number;
  subject: string;
  subjectFields: Partial<Subject>;
  issuer: string;
  issuerFields: Partial<Subject>;
  selfIssued: boolean;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  key: { algorithm: string | null; name: string; bits: number };
  /** SubjectPublicKeyInfo DER: re-signing the same key (a CSR-keyed node's renewal) starts here. */
  publicKeySpki: Uint8Array;
  isCa: boolean;
  pathLen: number | null;
  keyUsage: string[];
  extKeyUsage: string[];
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  signatureAlgorithm: string;
  fingerprintSha256: string;
  fingerprintSha256Colon: string;
};

const KEY_USAGE_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];
const SIGNATURE_NAMES: Record<string, string> = {
  [OID.ecdsaWithSha256]: "ecdsa-with-SHA256",
  [OID.ecdsaWithSha384]: "ecdsa-with-SHA384",
  [OID.sha256WithRsa]: "sha256WithRSAEncryption",
  [OID.sha384WithRsa]: "sha384WithRSAEncryption",
  [OID.ed25519]: "ED25519",
};
const EKU_NAMES: Record<string, string> = { [OID.serverAuth]: "serverAuth", [OID.clientAuth]: "clientAuth" };

/** Any certificate (ours, OpenSSL's, an external CA's) as plain data for the UI and API. */
export async function parseCertificate(input: string | Uint8Array): Promise<ParsedCertificate> {
  // The fingerprint is over the bytes as received: re-encoding a foreign certificate can differ.
  const der = toDer(input, "CERTIFICATE");
  const certificate = decodeCertificate(der);
  try {
    const extension = (oid: string) => certificate.extensions?.find((e) => e.extnID === oid);
    const san = extension(OID.subjectAltName)?.parsedValue as pkijs.AltName | undefined;
    const basic = basicConstraintsOf(certificate);
    const ku = extension(OID.keyUsage)?.parsedValue as asn1js.BitString | undefined;
    const eku = extension(OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
    const aki = extension(OID.authorityKeyIdentifier)?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
    const ski = extension(OID.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
    const fingerprint = await fingerprintSha256(der);
    const publicKeySpki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
    return {
      version: certificate.version + 1,
      subject: formatName(certificate.subject),
      subjectFields: nameFields(certificate.subject),
      issuer: formatName(certificate.issuer),
      issuerFields: nameFields(certificate.issuer),
      selfIssued: certificate.subject.isEqual(certificate.issuer),
      serialHex: serialToHex(new Uint8Array(certificate.serialNumber.valueBlock.valueHexView)),
      notBefore: certificate.notBefore.value,
      notAfter: certificate.notAfter.value,
      dnsNames: san?.altNames.filter((n) => n.type === 2).map((n) => String(n.value)) ?? [],
      ipAddresses:
        san?.altNames
          .filter((n) => n.type === 7)
          .map((n) => decodeIpAddress(new Uint8Array((n.value as asn1js.OctetString).valueBlock.valueHexView))) ?? [],
      key: describeSpki(publicKeySpki),
      publicKeySpki,
      isCa: basic.ca,
      pathLen: basic.pathLen,
      keyUsage: ku ? keyUsageNames(new Uint8Array(ku.valueBlock.valueHexView)) : [],
      extKeyUsage: eku?.keyPurposes.map((oid) => EKU_NAMES[oid] ?? oid) ?? [],
      subjectKeyIdentifier: ski ? toHex(ski.valueBlock.valueHexView) : null,
      authorityKeyIdentifier: aki?.keyIdentifier ? toHex(aki.keyIdentifier.valueBlock.valueHexView) : null,
      signatureAlgorithm: SIGNATURE_NAMES[certificate.signatureAlgorithm.algorithmId] ?? certificate.signatureAlgorithm.algorithmId,
      fingerprintSha256: fingerprint.hex,
      fingerprintSha256Colon: fingerprint.colon,
    };
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError("DER_INVALID", "the certificate has a malformed field", { cause: error });
  }
}

function keyUsageNames(bits: Uint8Array): string[] {
  return KEY_USAGE_NAMES.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}
