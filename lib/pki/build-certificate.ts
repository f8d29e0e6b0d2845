import { derSmallInteger, derTime, derUnsignedInteger, tlv, TAG } from "./der";
import { PkiError } from "./errors";
import type { EncodedExtension } from "./extensions";
import { derToPem } from "./pem";
import { serialToHex } from "./serial";
import { signatureAlgorithmDer, signDer, type Signer } from "./signing";
import { wholeSeconds } from "./time";

export type BuildCertificateParams = {
  serial: Uint8Array;
  /** Names as DER (subject.ts buildNameDer, or an issuer's subject bytes verbatim). */
  subject: Uint8Array;
  issuer: Uint8Array;
  subjectPublicKey: Uint8Array; // SPKI DER
  notBefore: Date;
  notAfter: Date;
  extensions: EncodedExtension[];
  signer: Signer;
};

export type BuiltCertificate = { der: Uint8Array; pem: string; serialHex: string; notBefore: Date; notAfter: Date };

/**
 * Writes and signs an X.509 v3 certificate (RFC 5280 §4.1) as DER. We do not use pkijs' sign():
 * it defaults to SHA-1, cannot sign with Ed25519, and re-encoding through asn1js costs more than
 * the signature itself on the bulk re-issue path.
 */
export async function buildCertificate(params: BuildCertificateParams): Promise<BuiltCertificate> {
  const notBefore = wholeSeconds(params.notBefore);
  const notAfter = wholeSeconds(params.notAfter);
  // GeneralizedTime stops at 9999 (RFC 5280 §4.1.2.5 uses 99991231235959Z as "no expiry").
  for (const date of [notBefore, notAfter]) {
    if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 || date.getUTCFullYear() < 1950)
      throw new PkiError("LIFETIME_INVALID", `${String(date)} cannot be a certificate date`);
  }
  if (notAfter <= notBefore)
    throw new PkiError("LIFETIME_INVALID", `notAfter ${notAfter.toISOString()} is not after notBefore ${notBefore.toISOString()}`);
  const algorithm = signatureAlgorithmDer(params.signer.algorithm);
  const tbs = tlv(
    TAG.SEQUENCE,
    tlv(TAG.CONTEXT_0, derSmallInteger(2)), // version v3
    derUnsignedInteger(params.serial),
    algorithm,
    params.issuer,
    tlv(TAG.SEQUENCE, derTime(notBefore), derTime(notAfter)),
    params.subject,
    params.subjectPublicKey,
    tlv(0xa3, tlv(TAG.SEQUENCE, ...params.extensions)),
  );
  const signature = await signDer(params.signer, tbs);
  const der = tlv(TAG.SEQUENCE, tbs, algorithm, tlv(TAG.BIT_STRING, Uint8Array.of(0), signature));
  return { der, pem: derToPem(der, "CERTIFICATE"), serialHex: serialToHex(params.serial), notBefore, notAfter };
}
