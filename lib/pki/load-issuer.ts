import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer, toHex } from "./bytes";
import { PkiError } from "./errors";
import { exportPublicKeySpki, importPrivateKey } from "./keys";
import { OID } from "./oids";
import { toDer } from "./pem";
import { describeSpki, keyIdentifier } from "./public-key";
import { cryptoKeySigner, signatureAlgorithmFor, signDer, type Signer } from "./signing";
import { verifySignedData } from "./verify-signature";

/**
 * A CA to sign with: its certificate and either its PKCS#8 private key, or a signer that holds
 * the key elsewhere (a KMS or an HSM: only signatures ever leave it).
 */
export type IssuerInput = { certificatePem: string; privateKeyPem: string } | { certificatePem: string; signer: Signer };

export type Issuer = {
  certificate: pkijs.Certificate;
  name: pkijs.RelativeDistinguishedNames;
  /** The CA's subject exactly as encoded in its certificate: the issuer field of what it signs. */
  nameDer: Uint8Array;
  keyId: Uint8Array;
  notAfter: Date;
  /** basicConstraints pathLenConstraint; null = unlimited. */
  pathLen: number | null;
  signer: Signer;
};

/** Decodes a certificate, turning any ASN.1 failure into a PkiError that says so. */
export function decodeCertificate(input: string | Uint8Array): pkijs.Certificate {
  const der = toDer(input, "CERTIFICATE");
  let asn: ReturnType<typeof asn1js.fromBER>;
  try {
    asn = asn1js.fromBER(toArrayBuffer(der));
  } catch (error) {
    throw new PkiError("DER_INVALID", "the certificate is not valid DER", { cause: error });
  }
  if (asn.offset === -1 || asn.offset !== der.length)
    throw new PkiError("DER_INVALID", `the certificate is not valid DER (${asn.result.error || "trailing or truncated bytes"})`);
  try {
    return new pkijs.Certificate({ schema: asn.result });
  } catch (error) {
    throw new PkiError("DER_INVALID", "the DER is not an X.509 certificate", { cause: error });
  }
}

/** "CN=…, O=…" for messages. */
export function describeCertificate(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues.map((tv) => String(tv.value?.valueBlock?.value ?? "")).join(", ");
}

export function basicConstraintsOf(certificate: pkijs.Certificate): { ca: boolean; pathLen: number | null } {
  const basic = certificate.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  return { ca: basic?.cA === true, pathLen: typeof basic?.pathLenConstraint === "number" ? basic.pathLenConstraint : null };
}

/** RFC 5280 §4.2.1.3: a CA certificate with a keyUsage extension must assert keyCertSign to sign certificates. */
export function allowsKeyCertSign(certificate: pkijs.Certificate): boolean {
  const ku = certificate.extensions?.find((e) => e.extnID === OID.keyUsage)?.parsedValue as asn1js.BitString | undefined;
  if (!ku) return true; // absent keyUsage means no restriction
  const first = new Uint8Array(ku.valueBlock.valueHexView)[0] ?? 0;
  return (first & 0x04) !== 0; // bit 5
}

/**
 * A CA ready to sign: it must be a CA certificate with keyCertSign, not expired, and the key must
 * belong to it (a mismatched pair would produce certificates nothing can verify).
 */
export async function loadIssuer(input: IssuerInput | Issuer, now = new Date()): Promise<Issuer> {
  if ("keyId" in input) return checkNotExpired(input, now); // already loaded: bulk issuance loads a CA once
  const certificate = decodeCertificate(input.certificatePem);
  const subject = describeCertificate(certificate);
  const { ca, pathLen } = basicConstraintsOf(certificate);
  if (!ca) throw new PkiError("ISSUER_INVALID", `"${subject}" is not a CA certificate (basicConstraints CA:true missing)`);
  if (!allowsKeyCertSign(certificate))
    throw new PkiError("ISSUER_INVALID", `CA "${subject}" may not sign certificates (keyUsage lacks keyCertSign)`);
  const notAfter = certificate.notAfter.value;
  if (notAfter <= now) throw new PkiError("ISSUER_INVALID", `CA "${subject}" expired on ${notAfter.toISOString()}`);

  const certSpki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
  const signer =
    "signer" in input ? await checkSigner(input.signer, certSpki, subject) : await signerForKey(input.privateKeyPem, certSpki, subject);

  // Keep an external CA's own SKI: the AKI we write must match it (RFC 5280 §4.2.1.1).
  const skiExtension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const skiValue = skiExtension
    ? asn1js.fromBER(toArrayBuffer(new Uint8Array(skiExtension.extnValue.valueBlock.valueHexView))).result
    : null;
  const keyId = skiValue instanceof asn1js.OctetString ? new Uint8Array(skiValue.valueBlock.valueHexView) : await keyIdentifier(certSpki);
  return {
    certificate,
    name: certificate.subject,
    nameDer: new Uint8Array(certificate.subject.toSchema().toBER()),
    keyId,
    notAfter,
    pathLen,
    signer,
  };
}

/** A key we hold: its public half must be the certificate's. */
async function signerForKey(privateKeyPem: string, certSpki: Uint8Array, subject: string): Promise<Signer> {
  const keys = await importPrivateKey(privateKeyPem);
  const keySpki = await exportPublicKeySpki(keys.publicKey);
  if (toHex(certSpki) !== toHex(keySpki)) throw new PkiError("KEY_MISMATCH", `the private key does not belong to CA "${subject}"`);
  return cryptoKeySigner(keys);
}

const PROBE = new TextEncoder().encode("cluster-tls: does this signer hold the CA's key?");

/** A key held elsewhere: one signature the certificate's public key verifies proves the pair. */
async function checkSigner(signer: Signer, certSpki: Uint8Array, subject: string): Promise<Signer> {
  const { algorithm, name } = describeSpki(certSpki);
  if (algorithm !== signer.algorithm)
    throw new PkiError("KEY_MISMATCH", `a ${signer.algorithm} signer cannot sign for CA "${subject}", whose key is ${name}`);
  const signature = await signDer(signer, PROBE);
  const verified = await verifySignedData({
    data: PROBE,
    signature,
    signatureAlgorithmOid: signatureAlgorithmFor(algorithm).algorithmId,
    signerSpki: certSpki,
  });
  if (!verified) throw new PkiError("KEY_MISMATCH", `the signer's key does not belong to CA "${subject}"`);
  return signer;
}

function checkNotExpired(issuer: Issuer, now: Date): Issuer {
  if (issuer.notAfter <= now) throw new PkiError("ISSUER_INVALID", `the CA expired on ${issuer.notAfter.toISOString()}`);
  return issuer;
}
