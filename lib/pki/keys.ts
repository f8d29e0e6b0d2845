import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { colonHex, sha256, toArrayBuffer, toHex } from "./bytes";
import { children, expectTag, readTlv, TAG } from "./der";
import { PkiError } from "./errors";
import { keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { OID } from "./oids";
import { derToPem, toDer } from "./pem";

export type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey; algorithm: KeyAlgorithm };

/** A new extractable key pair. RSA generation is asynchronous WebCrypto: it never blocks the event loop. */
export async function generateKeyPair(algorithm: KeyAlgorithm = "ecdsa-p256"): Promise<KeyPair> {
  const info = keyAlgorithmInfo(algorithm);
  const pair = (await crypto.subtle.generateKey(info.generate, true, ["sign", "verify"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, algorithm };
}

export async function exportPrivateKeyPkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("pkcs8", key));
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return derToPem(await exportPrivateKeyPkcs8(key), "PRIVATE KEY");
}

export async function exportPublicKeySpki(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("spki", key));
}

/** Which of our algorithms an SPKI (public key) is, from its algorithm OID, curve and modulus size. */
export function describeSpki(spkiDer: Uint8Array): { algorithm: KeyAlgorithm | null; name: string; bits: number } {
  let info: pkijs.PublicKeyInfo;
  try {
    info = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spkiDer));
  } catch (error) {
    throw new PkiError("DER_INVALID", "the public key is not a valid SubjectPublicKeyInfo", { cause: error });
  }
  const oid = info.algorithm.algorithmId;
  if (oid === OID.ed25519) return { algorithm: "ed25519", name: "Ed25519", bits: 256 };
  if (oid === OID.ecPublicKey) {
    const curve = info.algorithm.algorithmParams instanceof asn1js.ObjectIdentifier ? info.algorithm.algorithmParams.valueBlock.toString() : "";
    if (curve === OID.p256) return { algorithm: "ecdsa-p256", name: "ECDSA P-256", bits: 256 };
    if (curve === OID.p384) return { algorithm: "ecdsa-p384", name: "ECDSA P-384", bits: 384 };
    return { algorithm: null, name: `EC curve ${curve || "unknown"}`, bits: 0 };
  }
  if (oid === OID.rsaEncryption) {
    const rsa = info.parsedKey as pkijs.RSAPublicKey | undefined;
    const modulus = rsa ? new Uint8Array(rsa.modulus.valueBlock.valueHexView) : new Uint8Array();
    const bits = (modulus[0] === 0 ? modulus.length - 1 : modulus.length) * 8;
    const algorithm = bits === 2048 ? "rsa-2048" : bits === 3072 ? "rsa-3072" : bits === 4096 ? "rsa-4096" : null;
    return { algorithm, name: `RSA ${bits}`, bits };
  }
  return { algorithm: null, name: `algorithm ${oid}`, bits: 0 };
}

/** Imports a PKCS#8 private key (PEM or DER) for signing, detecting its algorithm. */
export async function importPrivateKey(input: string | Uint8Array): Promise<KeyPair> {
  const der = toDer(input, "PRIVATE KEY");
  let keyInfo: pkijs.PrivateKeyInfo;
  try {
    keyInfo = pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(der));
  } catch (error) {
    throw new PkiError("DER_INVALID", "the private key is not valid PKCS#8 DER", { cause: error });
  }
  const oid = keyInfo.privateKeyAlgorithm.algorithmId;
  const curve =
    keyInfo.privateKeyAlgorithm.algorithmParams instanceof asn1js.ObjectIdentifier ? keyInfo.privateKeyAlgorithm.algorithmParams.valueBlock.toString() : "";
  const candidates: KeyAlgorithm[] =
    oid === OID.ed25519 ? ["ed25519"] : oid === OID.rsaEncryption ? ["rsa-2048"] : curve === OID.p256 ? ["ecdsa-p256"] : curve === OID.p384 ? ["ecdsa-p384"] : [];
  const algorithm = candidates[0];
  if (!algorithm) throw new PkiError("KEY_UNSUPPORTED", `unsupported private key (algorithm ${oid}${curve ? `, curve ${curve}` : ""})`);
  const params = keyAlgorithmInfo(algorithm).generate;
  try {
    const privateKey = await crypto.subtle.importKey("pkcs8", toArrayBuffer(der), params, true, ["sign"]);
    const publicKey = await derivePublicKey(privateKey);
    const bits = (privateKey.algorithm as RsaHashedKeyAlgorithm).modulusLength;
    const resolved: KeyAlgorithm = oid === OID.rsaEncryption ? (`rsa-${bits}` as KeyAlgorithm) : algorithm;
    if (oid === OID.rsaEncryption && ![2048, 3072, 4096].includes(bits)) {
      throw new PkiError("KEY_UNSUPPORTED", `RSA keys must be 2048, 3072 or 4096 bits (got ${bits})`);
    }
    return { privateKey, publicKey, algorithm: resolved };
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError("DER_INVALID", `the ${algorithm} private key could not be imported`, { cause: error });
  }
}

/** WebCrypto cannot derive a public key directly: round-trip through JWK, dropping the private part. */
async function derivePublicKey(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicJwk: JsonWebKey = { ...jwk, key_ops: ["verify"] };
  for (const privatePart of ["d", "p", "q", "dp", "dq", "qi", "oth"] as const) delete publicJwk[privatePart];
  return crypto.subtle.importKey("jwk", publicJwk, privateKey.algorithm, true, ["verify"]);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export async function keyIdentifier(spkiDer: Uint8Array): Promise<Uint8Array> {
  const spki = expectTag(readTlv(spkiDer, 0), TAG.SEQUENCE, "SubjectPublicKeyInfo");
  const [, bits] = [...children(spkiDer, spki, 2)];
  const bitString = expectTag(bits, TAG.BIT_STRING, "subjectPublicKey");
  const key = spkiDer.subarray(bitString.contentStart + 1, bitString.end); // skip the unused-bits octet
  return new Uint8Array(await crypto.subtle.digest("SHA-1", toArrayBuffer(key)));
}

export async function fingerprintSha256(der: Uint8Array): Promise<{ hex: string; colon: string }> {
  const digest = await sha256(der);
  return { hex: toHex(digest), colon: colonHex(digest) };
}
