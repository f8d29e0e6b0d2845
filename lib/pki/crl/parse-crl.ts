import * as asn1js from "asn1js";
import { toArrayBuffer, toHex } from "../bytes";
import { children, expectTag, readTlv, TAG, type Tlv } from "../der";
import { PkiError } from "../errors";
import { decodeCertificate } from "../load-issuer";
import { OID } from "../oids";
import { pemToDer } from "../pem";
import { verifySignedData } from "../verify-signature";
import { REASON_BY_CODE, type RevocationReasonName } from "./reasons";

export type ParsedCrl = {
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: bigint | null;
  signatureAlgorithmOid: string;
  entries: { serialHex: string; revokedAt: Date; reason?: RevocationReasonName }[];
  /** Bytes the signature covers, and the signature: for verifyCrlSignature. */
  tbs: Uint8Array;
  signature: Uint8Array;
};

/** 64 MiB: a CRL with a million entries is ~40 MiB. */
const MAX_CRL_BYTES = 64 * 1024 * 1024;

/**
 * Parses a CRL (PEM or DER) with our bounded DER reader, not asn1js (which cannot hold big CRLs):
 * every length is checked against the input and the entry count is capped.
 */
export function parseCrl(input: string | Uint8Array, { maxEntries = 1_000_000 } = {}): ParsedCrl {
  const der = typeof input === "string" ? pemToDer(input, "X509 CRL") : input;
  if (der.length > MAX_CRL_BYTES)
    throw new PkiError("INPUT_TOO_LARGE", `CRL is ${der.length} bytes; at most ${MAX_CRL_BYTES} are accepted`);
  const outer = expectTag(readTlv(der, 0), TAG.SEQUENCE, "CertificateList");
  if (outer.end !== der.length) throw new PkiError("DER_INVALID", "trailing bytes after the CRL");
  const [tbsTlv, algTlv, sigTlv] = [...children(der, outer, 3)];
  const tbsNode = expectTag(tbsTlv, TAG.SEQUENCE, "TBSCertList");
  expectTag(algTlv, TAG.SEQUENCE, "signatureAlgorithm");
  const signatureTlv = expectTag(sigTlv, TAG.BIT_STRING, "signature");

  const fields = [...children(der, tbsNode, 7)];
  let index = 0;
  if (fields[index]?.tag === TAG.INTEGER) index++; // version (v2); v1 CRLs omit it
  const signatureAlgorithmOid = readAlgorithmOid(der, expectTag(fields[index++], TAG.SEQUENCE, "signature AlgorithmIdentifier"));
  const issuer = expectTag(fields[index++], TAG.SEQUENCE, "issuer Name");
  const thisUpdate = readTime(der, fields[index++], "thisUpdate");
  let nextUpdate: Date | null = null;
  if (fields[index] && (fields[index]!.tag === TAG.UTC_TIME || fields[index]!.tag === TAG.GENERALIZED_TIME))
    nextUpdate = readTime(der, fields[index++], "nextUpdate");
  const entries: ParsedCrl["entries"] = [];
  if (fields[index]?.tag === TAG.SEQUENCE) {
    for (const entry of children(der, fields[index++]!, maxEntries)) entries.push(readEntry(der, entry));
  }
  let crlNumber: bigint | null = null;
  if (fields[index]?.tag === TAG.CONTEXT_0) {
    const extensions = expectTag([...children(der, fields[index]!, 1)][0], TAG.SEQUENCE, "crlExtensions");
    for (const extension of children(der, extensions, 100)) {
      const [oid, ...rest] = [...children(der, extension, 3)];
      if (oidText(der, oid!) === OID.cRLNumber) {
        const value = readTlv(der, rest[rest.length - 1]!.contentStart);
        crlNumber = BigInt(`0x${toHex(der.subarray(value.contentStart, value.end)) || "0"}`);
      }
    }
  }
  return {
    issuerDer: der.slice(issuer.start, issuer.end),
    thisUpdate,
    nextUpdate,
    crlNumber,
    signatureAlgorithmOid,
    entries,
    tbs: der.subarray(tbsNode.start, tbsNode.end),
    signature: der.subarray(signatureTlv.contentStart + 1, signatureTlv.end),
  };
}

/** Whether the CRL was signed by this CA certificate (issuer name and signature). */
export async function verifyCrlSignature(crl: ParsedCrl, issuerCertificatePem: string): Promise<boolean> {
  const issuer = decodeCertificate(issuerCertificatePem);
  if (toHex(new Uint8Array(issuer.subject.toSchema().toBER())) !== toHex(crl.issuerDer)) return false;
  return verifySignedData({
    data: crl.tbs,
    signature: crl.signature,
    signatureAlgorithmOid: crl.signatureAlgorithmOid,
    signerSpki: new Uint8Array(issuer.subjectPublicKeyInfo.toSchema().toBER()),
  });
}

function readEntry(der: Uint8Array, entry: Tlv): ParsedCrl["entries"][number] {
  const [serial, time, extensions] = [...children(der, expectTag(entry, TAG.SEQUENCE, "revoked entry"), 3)];
  const serialTlv = expectTag(serial, TAG.INTEGER, "userCertificate serial");
  let serialHex = toHex(der.subarray(serialTlv.contentStart, serialTlv.end)).toUpperCase();
  while (serialHex.startsWith("00") && serialHex.length > 2) serialHex = serialHex.slice(2);
  const result: ParsedCrl["entries"][number] = { serialHex, revokedAt: readTime(der, time, "revocationDate") };
  if (extensions) {
    for (const extension of children(der, expectTag(extensions, TAG.SEQUENCE, "crlEntryExtensions"), 20)) {
      const [oid, ...rest] = [...children(der, extension, 3)];
      if (oidText(der, oid!) !== OID.cRLReason) continue;
      const enumerated = readTlv(der, rest[rest.length - 1]!.contentStart);
      result.reason = REASON_BY_CODE.get(der[enumerated.contentStart]!) ?? "unspecified";
    }
  }
  return result;
}

function readTime(der: Uint8Array, element: Tlv | undefined, what: string): Date {
  if (!element || (element.tag !== TAG.UTC_TIME && element.tag !== TAG.GENERALIZED_TIME))
    throw new PkiError("DER_INVALID", `expected ${what} time`);
  const text = new TextDecoder().decode(der.subarray(element.contentStart, element.end));
  const match =
    element.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new PkiError("DER_INVALID", `malformed ${what} "${text.slice(0, 20)}"`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const year = element.tag === TAG.UTC_TIME ? (y! >= 50 ? 1900 + y! : 2000 + y!) : y!;
  return new Date(Date.UTC(year, mo! - 1, d!, h!, mi!, s!));
}

function readAlgorithmOid(der: Uint8Array, algorithm: Tlv): string {
  return oidText(der, [...children(der, algorithm, 2)][0]!);
}

function oidText(der: Uint8Array, element: Tlv): string {
  const oid = expectTag(element, TAG.OID, "OBJECT IDENTIFIER");
  const parsed = asn1js.fromBER(toArrayBuffer(der.subarray(oid.start, oid.end)));
  return (parsed.result as asn1js.ObjectIdentifier).valueBlock.toString();
}
