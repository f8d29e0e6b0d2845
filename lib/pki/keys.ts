import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { PkiError } from "./errors";
import { keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { OID } from "./oids";
import { derToPem, toDer } from "./pem";
import { rsaAlgorithmForBits } from "./public-key";

export type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey; algorithm: KeyAlgorithm };

export type GenerateKeyPairParams = { algorithm?: KeyAlgorithm };

/**
 * A new extractable key pair (default ECDSA P-256). RSA generation is asynchronous WebCrypto: an
 * RSA-4096 key takes seconds of CPU on the thread pool but never blocks the event loop.
 */
export async function generateKeyPair({ algorithm = "ecdsa-p256" }: GenerateKeyPairParams = {}): Promise<KeyPair> {
  const info = keyAlgorithmInfo(algorithm);
  const pair = (await crypto.subtle.generateKey(info.generate, true, ["sign", "verify"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, algorithm: info.id };
}

/** Unencrypted PKCS#8 DER: the `.pk8` pgJDBC reads as sslkey (it rejects PEM keys). */
export async function exportPrivateKeyPkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("pkcs8", key));
}

/** "-----BEGIN PRIVATE KEY-----" (PKCS#8): libpq, psycopg2 and node-postgres read it. */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return derToPem(await exportPrivateKeyPkcs8(key), "PRIVATE KEY");
}

export async function exportPublicKeySpki(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("spki", key));
}

export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  return derToPem(await exportPublicKeySpki(key), "PUBLIC KEY");
}

/** Imports a PKCS#8 private key (PEM or DER) for signing, detecting its algorithm and size. */
export async function importPrivateKey(input: string | Uint8Array): Promise<KeyPair> {
  const der = toDer(input, "PRIVATE KEY");
  const { algorithmId: oid, algorithmParams: params } = privateKeyAlgorithm(der);
  const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : "";
  // RSA keys are imported with the 2048 parameters: modulusLength comes from the key itself.
  const candidate: KeyAlgorithm | null =
    oid === OID.ed25519
      ? "ed25519"
      : oid === OID.rsaEncryption
        ? "rsa-2048"
        : oid === OID.ecPublicKey && curve === OID.p256
          ? "ecdsa-p256"
          : oid === OID.ecPublicKey && curve === OID.p384
            ? "ecdsa-p384"
            : null;
  if (!candidate) throw new PkiError("KEY_UNSUPPORTED", `unsupported private key (algorithm ${oid}${curve ? `, curve ${curve}` : ""})`);
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", toArrayBuffer(der), keyAlgorithmInfo(candidate).generate, true, ["sign"]);
    publicKey = await derivePublicKey(privateKey);
  } catch (error) {
    throw new PkiError("DER_INVALID", `the ${candidate} private key could not be imported`, { cause: error });
  }
  const algorithm =
    oid === OID.rsaEncryption
      ? rsaAlgorithmForBits((privateKey.algorithm as RsaHashedKeyAlgorithm).modulusLength, "the private key")
      : candidate;
  return { privateKey, publicKey, algorithm };
}

/**
 * The privateKeyAlgorithm of a PKCS#8 PrivateKeyInfo (RFC 5208), read without parsing the key
 * itself: pkijs refuses EC keys on curves it does not know (secp256k1), which must be reported as
 * unsupported rather than as malformed.
 */
function privateKeyAlgorithm(der: Uint8Array): pkijs.AlgorithmIdentifier {
  try {
    const asn = asn1js.fromBER(toArrayBuffer(der));
    const fields = asn.offset === der.length && asn.result instanceof asn1js.Sequence ? asn.result.valueBlock.value : [];
    if (!(fields[0] instanceof asn1js.Integer) || !(fields[1] instanceof asn1js.Sequence) || !(fields[2] instanceof asn1js.OctetString))
      throw new Error("not PrivateKeyInfo");
    return new pkijs.AlgorithmIdentifier({ schema: fields[1] });
  } catch (error) {
    throw new PkiError("DER_INVALID", "the private key is not valid PKCS#8 DER", { cause: error });
  }
}

/** WebCrypto cannot derive a public key directly: round-trip through JWK, dropping the private part. */
async function derivePublicKey(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  const publicJwk: JsonWebKey = { ...jwk, key_ops: ["verify"] };
  for (const privatePart of ["d", "p", "q", "dp", "dq", "qi", "oth"] as const) delete publicJwk[privatePart];
  return crypto.subtle.importKey("jwk", publicJwk, privateKey.algorithm, true, ["verify"]);
}
