import { toArrayBuffer } from "./bytes";
import { OID } from "./oids";
import { describeSpki } from "./public-key";
import { ecdsaDerToRaw } from "./signing";

/** WebCrypto parameters per signature algorithm OID: the hash comes from the signature, not the key. */
const VERIFY_PARAMS: Record<string, { family: "ECDSA" | "RSASSA-PKCS1-v1_5" | "Ed25519"; hash?: string }> = {
  [OID.ecdsaWithSha256]: { family: "ECDSA", hash: "SHA-256" },
  [OID.ecdsaWithSha384]: { family: "ECDSA", hash: "SHA-384" },
  [OID.sha256WithRsa]: { family: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  [OID.sha384WithRsa]: { family: "RSASSA-PKCS1-v1_5", hash: "SHA-384" },
  [OID.ecdsaWithSha512]: { family: "ECDSA", hash: "SHA-512" },
  [OID.sha512WithRsa]: { family: "RSASSA-PKCS1-v1_5", hash: "SHA-512" },
  [OID.ed25519]: { family: "Ed25519" },
};

/** SHA-256 or better only: a SHA-1 (or MD5) signature is refused even when it is mathematically valid. */
export function isAcceptedSignatureAlgorithm(oid: string): boolean {
  return Object.hasOwn(VERIFY_PARAMS, oid);
}

export type SignedData = { data: Uint8Array; signature: Uint8Array; signatureAlgorithmOid: string; signerSpki: Uint8Array };

/**
 * Verifies an X.509-style signature (certificate, CRL, CSR) with WebCrypto, so every key type we
 * issue, Ed25519 included, is covered. A key/algorithm mismatch is simply "does not verify".
 */
export async function verifySignedData({ data, signature, signatureAlgorithmOid, signerSpki }: SignedData): Promise<boolean> {
  const params = isAcceptedSignatureAlgorithm(signatureAlgorithmOid) ? VERIFY_PARAMS[signatureAlgorithmOid] : undefined;
  if (!params) return false;
  try {
    // Any RSA size verifies here (a 1024-bit CSR must reach the policy check that names its size).
    const { algorithm, name } = describeSpki(signerSpki);
    if (!algorithm && !name.startsWith("RSA")) return false;
    const curveSize = algorithm === "ecdsa-p384" ? 48 : 32;
    const importParams =
      params.family === "ECDSA"
        ? { name: "ECDSA", namedCurve: curveSize === 48 ? "P-384" : "P-256" }
        : params.family === "RSASSA-PKCS1-v1_5"
          ? { name: params.family, hash: params.hash! }
          : { name: "Ed25519" };
    const key = await crypto.subtle.importKey("spki", toArrayBuffer(signerSpki), importParams, false, ["verify"]);
    const raw = params.family === "ECDSA" ? ecdsaDerToRaw(signature, curveSize) : signature;
    return await crypto.subtle.verify(
      { name: params.family, hash: params.hash } as EcdsaParams,
      key,
      toArrayBuffer(raw),
      toArrayBuffer(data),
    );
  } catch {
    return false;
  }
}
