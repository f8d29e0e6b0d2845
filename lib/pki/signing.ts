import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { readTlv, TAG } from "./der";
import { PkiError } from "./errors";
import { keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { OID } from "./oids";

/**
 * What signs certificates, CRLs and CSRs: the key type (it decides signatureAlgorithm) and a
 * function that signs the DER to be signed. lib/pki never needs the key itself, so a key held in
 * WebCrypto, a node:crypto KeyObject, a KMS or an HSM all fit.
 */
export type Signer = {
  algorithm: KeyAlgorithm;
  /**
   * The signature over `bytes` with the algorithm's hash (SHA-256, SHA-384 for P-384), as X.509
   * carries it in signatureValue: ECDSA as a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3), RSA PKCS#1
   * v1.5 and Ed25519 as the raw signature.
   */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
};

/** A signer over a WebCrypto private key (generated here, or imported from PKCS#8). */
export function cryptoKeySigner({ privateKey, algorithm }: { privateKey: CryptoKey; algorithm: KeyAlgorithm }): Signer {
  const params = keyAlgorithmInfo(algorithm).sign;
  const ecdsa = algorithm.startsWith("ecdsa");
  return {
    algorithm,
    async sign(bytes) {
      const signature = await crypto.subtle.sign(params, privateKey, toArrayBuffer(bytes));
      // WebCrypto returns ECDSA signatures as r‖s (IEEE P1363); X.509 wants the DER SEQUENCE.
      return new Uint8Array(ecdsa ? pkijs.createCMSECDSASignature(signature) : signature);
    },
  };
}

/**
 * The signatureAlgorithm identifier for a key. Always SHA-256 or better (pkijs would default to
 * SHA-1). RSA identifiers carry an explicit NULL parameter; ECDSA and Ed25519 have none (RFC 5758, 8410).
 */
export function signatureAlgorithmFor(algorithm: KeyAlgorithm): pkijs.AlgorithmIdentifier {
  if (algorithm === "ed25519") return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ed25519 });
  if (algorithm === "ecdsa-p256") return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  if (algorithm === "ecdsa-p384") return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha384 });
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() });
}

const ALGORITHM_DER = new Map<KeyAlgorithm, Uint8Array>();

/** signatureAlgorithmFor as DER, computed once per key type. */
export function signatureAlgorithmDer(algorithm: KeyAlgorithm): Uint8Array {
  let der = ALGORITHM_DER.get(algorithm);
  if (!der) {
    der = new Uint8Array(signatureAlgorithmFor(algorithm).toSchema().toBER());
    ALGORITHM_DER.set(algorithm, der);
  }
  return der;
}

/**
 * Signs DER bytes (a TBSCertificate, TBSCertList or CertificationRequestInfo) with any signer.
 * An ECDSA signer that answers r‖s instead of DER would yield certificates no validator accepts:
 * refused here, where the signer can be named.
 */
export async function signDer(signer: Signer, data: Uint8Array): Promise<Uint8Array> {
  const signature = await signer.sign(data);
  if (signer.algorithm.startsWith("ecdsa") && !isEcdsaSigValue(signature)) {
    throw new PkiError(
      "SIGNER_INVALID",
      `the ${signer.algorithm} signer returned ${signature.length} bytes that are not a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3)`,
    );
  }
  return signature;
}

/** SEQUENCE { r INTEGER, s INTEGER } and nothing after it. */
function isEcdsaSigValue(bytes: Uint8Array): boolean {
  try {
    const sequence = readTlv(bytes, 0);
    if (sequence.tag !== TAG.SEQUENCE || sequence.end !== bytes.length) return false;
    const r = readTlv(bytes, sequence.contentStart, sequence.end);
    const s = readTlv(bytes, r.end, sequence.end);
    return r.tag === TAG.INTEGER && s.tag === TAG.INTEGER && s.end === sequence.end;
  } catch {
    return false;
  }
}

/** The reverse of cryptoKeySigner's conversion, for verifying with WebCrypto (r‖s, each `size` bytes). */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  return new Uint8Array(pkijs.createECDSASignatureFromCMS(asn1js.fromBER(toArrayBuffer(der)).result, size));
}
