import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { tlv, TAG } from "./der";
import { PkiError } from "./errors";
import { basicConstraints, keyUsage, subjectAltName } from "./extensions";
import type { KeyAlgorithm } from "./key-algorithms";
import { exportPrivateKeyPem, exportPublicKeySpki, generateKeyPair } from "./keys";
import { nameConstraintsExtension, nameConstraintsFor } from "./name-constraints";
import { decodeIpAddress } from "./names";
import { OID } from "./oids";
import { derToPem, toDer } from "./pem";
import { describeSpki } from "./public-key";
import { cryptoKeySigner, signatureAlgorithmFor, signDer } from "./signing";
import { buildNameDer, formatName, nameFields, type Subject } from "./subject";
import { isAcceptedSignatureAlgorithm, verifySignedData } from "./verify-signature";

export type ParsedCsr = {
  subject: string;
  subjectFields: Partial<Subject>;
  commonName: string | null;
  dnsNames: string[];
  ipAddresses: string[];
  publicKeySpki: Uint8Array;
  key: { algorithm: KeyAlgorithm | null; name: string; bits: number };
  /** OID of the self-signature's algorithm; SHA-1 and other algorithms we do not accept never verify. */
  signatureAlgorithmOid: string;
  signatureAlgorithmAccepted: boolean;
  signatureValid: boolean;
};

type CreateCsrParams = {
  /** Omitted: an empty subject (RFC 2986 allows it), for a request that names nothing and takes what the signer assigns. */
  subject?: Subject;
  dnsNames?: string[];
  ipAddresses?: string[];
  keyAlgorithm?: KeyAlgorithm;
  /** An intermediate CA's request: asks for CA:true (pathLen 0: it signs leaves only) and keyCertSign/cRLSign. */
  ca?: boolean;
  /** For a CA's request: DNS suffixes and IP ranges it asks to be limited to (critical nameConstraints). */
  permittedNames?: readonly string[];
};

/**
 * A PKCS#10 request with the wanted extensions (SANs, or a CA's basicConstraints and keyUsage) in
 * an extensionRequest attribute: for tests, node agents and an intermediate CA under an external root.
 */
export async function createCsr(params: CreateCsrParams): Promise<{ csrPem: string; privateKeyPem: string }> {
  const subjectDer = params.subject ? buildNameDer(params.subject) : tlv(TAG.SEQUENCE);
  const constraints = params.ca ? nameConstraintsFor(params.permittedNames ?? []) : null;
  const requested = [
    ...(params.dnsNames?.length || params.ipAddresses?.length ? [subjectAltName(params.dnsNames ?? [], params.ipAddresses ?? [])] : []),
    ...(params.ca ? [basicConstraints(true, 0), keyUsage(["keyCertSign", "cRLSign"])] : []),
    ...(constraints ? [nameConstraintsExtension(constraints)] : []),
  ];
  const keys = await generateKeyPair({ algorithm: params.keyAlgorithm ?? "ecdsa-p256" });
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject = pkijs.RelativeDistinguishedNames.fromBER(toArrayBuffer(subjectDer));
  csr.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(await exportPublicKeySpki(keys.publicKey)));
  if (requested.length > 0) {
    const extensions = asn1js.fromBER(toArrayBuffer(tlv(TAG.SEQUENCE, ...requested))).result;
    csr.attributes = [new pkijs.Attribute({ type: OID.extensionRequest, values: [extensions] })];
  }
  const algorithm = signatureAlgorithmFor(keys.algorithm);
  csr.signatureAlgorithm = algorithm;
  // encodeTBS is protected in the typings; toSchema(true) encodes the same TBS structure.
  csr.tbsView = new Uint8Array((csr.toSchema(true) as asn1js.Sequence).valueBlock.value[0]!.toBER());
  csr.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(await signDer(cryptoKeySigner(keys), csr.tbsView)) });
  const der = new Uint8Array(csr.toSchema().toBER());
  return { csrPem: derToPem(der, "CERTIFICATE REQUEST"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** Reads a CSR (PEM or DER) and checks its self-signature; any malformation is a PkiError. */
export async function parseCsr(input: string | Uint8Array): Promise<ParsedCsr> {
  const der = toDer(input, "CERTIFICATE REQUEST");
  let csr: pkijs.CertificationRequest;
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    if (asn.offset === -1 || asn.offset !== der.length)
      throw new PkiError("DER_INVALID", "the CSR is not valid DER (truncated or trailing bytes)");
    csr = new pkijs.CertificationRequest({ schema: asn.result });
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError("DER_INVALID", "the DER is not a PKCS#10 certificate request", { cause: error });
  }
  try {
    const publicKeySpki = new Uint8Array(csr.subjectPublicKeyInfo.toSchema().toBER());
    const signatureAlgorithmOid = csr.signatureAlgorithm.algorithmId;
    const signatureValid = await verifySignedData({
      // The bytes as signed, not a re-encoding (pkijs keeps them in tbsView).
      data: new Uint8Array(csr.tbsView),
      signature: new Uint8Array(csr.signatureValue.valueBlock.valueHexView),
      signatureAlgorithmOid,
      signerSpki: publicKeySpki,
    });
    const subjectFields = nameFields(csr.subject);
    return {
      subject: formatName(csr.subject),
      subjectFields,
      commonName: subjectFields.CN ?? null,
      ...readRequestedSans(csr),
      publicKeySpki,
      key: describeSpki(publicKeySpki),
      signatureAlgorithmOid,
      signatureAlgorithmAccepted: isAcceptedSignatureAlgorithm(signatureAlgorithmOid),
      signatureValid,
    };
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError("DER_INVALID", "the certificate request has a malformed field", { cause: error });
  }
}

function readRequestedSans(csr: pkijs.CertificationRequest): { dnsNames: string[]; ipAddresses: string[] } {
  const request = csr.attributes?.find((a) => a.type === OID.extensionRequest);
  const result = { dnsNames: [] as string[], ipAddresses: [] as string[] };
  if (!request) return result;
  try {
    const extensions = new pkijs.Extensions({ schema: request.values[0] });
    const san = extensions.extensions.find((e) => e.extnID === OID.subjectAltName)?.parsedValue as pkijs.AltName | undefined;
    for (const name of san?.altNames ?? []) {
      if (name.type === 2) result.dnsNames.push(String(name.value).toLowerCase());
      if (name.type === 7)
        result.ipAddresses.push(decodeIpAddress(new Uint8Array((name.value as asn1js.OctetString).valueBlock.valueHexView)));
    }
  } catch (error) {
    throw new PkiError("DER_INVALID", "the CSR's extensionRequest attribute is malformed", { cause: error });
  }
  return result;
}
