import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { PkiError } from "./errors";
import { derToPem } from "./pem";
import { serialToHex } from "./serial";
import { signatureAlgorithmFor, signDer, type Signer } from "./signing";
import { toPkijsTime, wholeSeconds } from "./time";

export type BuildCertificateParams = {
  serial: Uint8Array;
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.RelativeDistinguishedNames;
  subjectPublicKey: Uint8Array; // SPKI DER
  notBefore: Date;
  notAfter: Date;
  extensions: pkijs.Extension[];
  signer: Signer;
};

export type BuiltCertificate = { der: Uint8Array; pem: string; serialHex: string; notBefore: Date; notAfter: Date };

/**
 * Assembles and signs an X.509 v3 certificate. We sign the TBS bytes ourselves instead of calling
 * pkijs' sign(): it defaults to SHA-1 and cannot sign with Ed25519.
 */
export async function buildCertificate(params: BuildCertificateParams): Promise<BuiltCertificate> {
  const notBefore = wholeSeconds(params.notBefore);
  const notAfter = wholeSeconds(params.notAfter);
  if (notAfter <= notBefore) throw new PkiError("LIFETIME_INVALID", `notAfter ${notAfter.toISOString()} is not after notBefore ${notBefore.toISOString()}`);

  const certificate = new pkijs.Certificate();
  certificate.version = 2; // v3 (RFC 5280 §4.1.2.1); extensions require it
  certificate.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(params.serial) });
  certificate.issuer = params.issuer;
  certificate.subject = params.subject;
  certificate.notBefore = toPkijsTime(notBefore);
  certificate.notAfter = toPkijsTime(notAfter);
  certificate.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(params.subjectPublicKey));
  certificate.extensions = params.extensions;
  const algorithm = signatureAlgorithmFor(params.signer.algorithm);
  certificate.signature = algorithm;
  certificate.signatureAlgorithm = algorithm;
  certificate.tbsView = new Uint8Array(certificate.encodeTBS().toBER());
  const signature = await signDer(params.signer, certificate.tbsView);
  certificate.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(signature) });

  const der = new Uint8Array(certificate.toSchema().toBER());
  return { der, pem: derToPem(der, "CERTIFICATE"), serialHex: serialToHex(params.serial), notBefore, notAfter };
}
