import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { colonHex, sha256, toArrayBuffer, toHex } from "./bytes";
import { children, expectTag, readTlv, TAG } from "./der";
import { PkiError } from "./errors";
import { keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { OID } from "./oids";
import { toDer } from "./pem";

export type SpkiDescription = { algorithm: KeyAlgorithm | null; name: string; bits: number };

/**
 * Which of our algorithms an SPKI (public key) is, from its algorithm OID, curve and exact modulus
 * size. Keys we do not issue (RSA-1024, secp256k1, DSA, Ed448) get algorithm null and a name that
 * says what they are, so a refusal can name them.
 */
export function describeSpki(spkiDer: Uint8Array): SpkiDescription {
  let info: pkijs.PublicKeyInfo;
  try {
    info = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spkiDer));
  } catch (error) {
    throw new PkiError("DER_INVALID", "the public key is not a valid SubjectPublicKeyInfo", { cause: error });
  }
  const oid = info.algorithm.algorithmId;
  if (oid === OID.ed25519) return { algorithm: "ed25519", name: "Ed25519", bits: 256 };
  if (oid === OID.ecPublicKey) {
    const curve =
      info.algorithm.algorithmParams instanceof asn1js.ObjectIdentifier ? info.algorithm.algorithmParams.valueBlock.toString() : "";
    if (curve === OID.p256) return { algorithm: "ecdsa-p256", name: "ECDSA P-256", bits: 256 };
    if (curve === OID.p384) return { algorithm: "ecdsa-p384", name: "ECDSA P-384", bits: 384 };
    return { algorithm: null, name: `EC curve ${CURVE_NAMES[curve] ?? (curve || "with explicit parameters")}`, bits: 0 };
  }
  if (oid === OID.rsaEncryption) {
    const rsa = info.parsedKey as pkijs.RSAPublicKey | undefined;
    if (!rsa) throw new PkiError("DER_INVALID", "the RSA public key is not a valid RSAPublicKey (RFC 8017 §A.1.1)");
    const bits = bitLength(new Uint8Array(rsa.modulus.valueBlock.valueHexView));
    const algorithm = [2048, 3072, 4096].includes(bits) ? (`rsa-${bits}` as KeyAlgorithm) : null;
    return { algorithm, name: `RSA ${bits}`, bits };
  }
  return { algorithm: null, name: ALGORITHM_NAMES[oid] ?? `algorithm ${oid}`, bits: 0 };
}

const CURVE_NAMES: Record<string, string> = {
  "1.3.132.0.10": "secp256k1",
  "1.3.132.0.35": "P-521",
  "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1",
};
const ALGORITHM_NAMES: Record<string, string> = {
  "1.2.840.10040.4.1": "DSA",
  "1.3.101.113": "Ed448",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.3.101.110": "X25519",
};

/** Exact bit length of a big-endian unsigned magnitude (an RSA-2047 modulus is not "2048"). */
function bitLength(magnitude: Uint8Array): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(magnitude[start]!));
}

/** The RSA sizes we sign with; smaller is weak (NIST SP 800-131A), other sizes are not offered. */
export function rsaAlgorithmForBits(bits: number, what: string): KeyAlgorithm {
  if (bits < 2048) throw new PkiError("KEY_TOO_WEAK", `${what} is RSA ${bits}; at least RSA 2048 is required`);
  if (![2048, 3072, 4096].includes(bits)) throw new PkiError("KEY_UNSUPPORTED", `${what} is RSA ${bits}; use 2048, 3072 or 4096 bits`);
  return `rsa-${bits}` as KeyAlgorithm;
}

export type ImportedPublicKey = { publicKey: CryptoKey; algorithm: KeyAlgorithm; spkiDer: Uint8Array };

/** Imports a SubjectPublicKeyInfo (PEM "PUBLIC KEY" or DER) of a type we issue, for verifying. */
export async function importPublicKey(input: string | Uint8Array): Promise<ImportedPublicKey> {
  const spkiDer = toDer(input, "PUBLIC KEY");
  const described = describeSpki(spkiDer);
  if (!described.algorithm) {
    if (described.name.startsWith("RSA")) rsaAlgorithmForBits(described.bits, "the public key");
    throw new PkiError("KEY_UNSUPPORTED", `unsupported public key: ${described.name}`);
  }
  try {
    const publicKey = await crypto.subtle.importKey("spki", toArrayBuffer(spkiDer), keyAlgorithmInfo(described.algorithm).generate, true, [
      "verify",
    ]);
    return { publicKey, algorithm: described.algorithm, spkiDer };
  } catch (error) {
    throw new PkiError("DER_INVALID", `the ${described.name} public key could not be imported`, { cause: error });
  }
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (what OpenSSL's "hash" writes). */
export async function keyIdentifier(spkiDer: Uint8Array): Promise<Uint8Array> {
  const spki = expectTag(readTlv(spkiDer, 0), TAG.SEQUENCE, "SubjectPublicKeyInfo");
  const [, bits] = [...children(spkiDer, spki, 2)];
  const bitString = expectTag(bits, TAG.BIT_STRING, "subjectPublicKey");
  if (bitString.end - bitString.contentStart < 2) throw new PkiError("DER_INVALID", "the subjectPublicKey is empty");
  const key = spkiDer.subarray(bitString.contentStart + 1, bitString.end); // skip the unused-bits octet
  return new Uint8Array(await crypto.subtle.digest("SHA-1", toArrayBuffer(key)));
}

/** SHA-256 over DER: `hex` plain lower-case, `colon` as `openssl x509 -fingerprint -sha256` prints it. */
export async function fingerprintSha256(der: Uint8Array): Promise<{ hex: string; colon: string }> {
  const digest = await sha256(der);
  return { hex: toHex(digest), colon: colonHex(digest) };
}
