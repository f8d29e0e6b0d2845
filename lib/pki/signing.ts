import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { OID } from "./oids";

export type Signer = { privateKey: CryptoKey; algorithm: KeyAlgorithm };

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

/** Signs DER bytes (a TBSCertificate, TBSCertList or CertificationRequestInfo) as X.509 wants it. */
export async function signDer(signer: Signer, data: Uint8Array): Promise<Uint8Array> {
  const signature = new Uint8Array(await crypto.subtle.sign(keyAlgorithmInfo(signer.algorithm).sign, signer.privateKey, toArrayBuffer(data)));
  return signer.algorithm.startsWith("ecdsa") ? ecdsaRawToDer(signature) : signature;
}

/** WebCrypto returns ECDSA signatures as r‖s; X.509 wants Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. */
function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    return new asn1js.Integer({ valueHex: toArrayBuffer(trimmed[0]! & 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed) });
  };
  return new Uint8Array(new asn1js.Sequence({ value: [integer(raw.subarray(0, half)), integer(raw.subarray(half))] }).toBER());
}

/** The reverse, for verifying with WebCrypto. */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const parsed = asn1js.fromBER(toArrayBuffer(der));
  const seq = parsed.result as asn1js.Sequence;
  const out = new Uint8Array(size * 2);
  seq.valueBlock.value.slice(0, 2).forEach((part, i) => {
    const bytes = new Uint8Array((part as asn1js.Integer).valueBlock.valueHexView);
    const trimmed = bytes.subarray(Math.max(0, bytes.length - size));
    out.set(trimmed, i * size + (size - trimmed.length));
  });
  return out;
}
