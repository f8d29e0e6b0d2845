import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer, toHex } from "./bytes";
import { PkiError } from "./errors";
import { exportPublicKeySpki, importPrivateKey, keyIdentifier } from "./keys";
import { OID } from "./oids";
import { toDer } from "./pem";
import type { Signer } from "./signing";

export type IssuerInput = { certificatePem: string; privateKeyPem: string };

export type Issuer = {
  certificate: pkijs.Certificate;
  name: pkijs.RelativeDistinguishedNames;
  /** The CA's subject exactly as encoded in its certificate: the issuer field of what it signs. */
  nameDer: Uint8Array;
  keyId: Uint8Array;
  notAfter: Date;
  signer: Signer;
};

/** Decodes a certificate, turning any ASN.1 failure into a PkiError that says so. */
export function decodeCertificate(input: string | Uint8Array): pkijs.Certificate {
  const der = toDer(input, "CERTIFICATE");
  const asn = asn1js.fromBER(toArrayBuffer(der));
  if (asn.offset === -1 || asn.offset !== der.length) throw new PkiError("DER_INVALID", `the certificate is not valid DER (${asn.result.error || "trailing or truncated bytes"})`);
  try {
    return new pkijs.Certificate({ schema: asn.result });
  } catch (error) {
    throw new PkiError("DER_INVALID", "the DER is not an X.509 certificate", { cause: error });
  }
}

/**
 * A CA ready to sign: it must be a CA certificate with keyCertSign, not expired, and the private
 * key must belong to it (a mismatched pair would produce certificates nothing can verify).
 */
export async function loadIssuer(input: IssuerInput | Issuer, now = new Date()): Promise<Issuer> {
  if ("signer" in input) return checkNotExpired(input, now); // already loaded: bulk issuance loads a CA once
  const { certificatePem, privateKeyPem } = input;
  const certificate = decodeCertificate(certificatePem);
  const subject = certificate.subject.typesAndValues.map((tv) => String(tv.value.valueBlock.value)).join(", ");
  const basic = certificate.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  if (!basic?.cA) throw new PkiError("ISSUER_INVALID", `"${subject}" is not a CA certificate (basicConstraints CA:true missing)`);
  const notAfter = certificate.notAfter.value;
  if (notAfter <= now) throw new PkiError("ISSUER_INVALID", `CA "${subject}" expired on ${notAfter.toISOString()}`);

  const keys = await importPrivateKey(privateKeyPem);
  const certSpki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
  const keySpki = await exportPublicKeySpki(keys.publicKey);
  if (toHex(certSpki) !== toHex(keySpki)) throw new PkiError("KEY_MISMATCH", `the private key does not belong to CA "${subject}"`);

  const skiExtension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const keyId = skiExtension
    ? new Uint8Array((asn1js.fromBER(skiExtension.extnValue.valueBlock.valueHexView.slice().buffer as ArrayBuffer).result as asn1js.OctetString).valueBlock.valueHexView)
    : await keyIdentifier(certSpki);
  return { certificate, name: certificate.subject, nameDer: new Uint8Array(certificate.subject.toSchema().toBER()), keyId, notAfter, signer: keys };
}

function checkNotExpired(issuer: Issuer, now: Date): Issuer {
  if (issuer.notAfter <= now) throw new PkiError("ISSUER_INVALID", `the CA expired on ${issuer.notAfter.toISOString()}`);
  return issuer;
}
