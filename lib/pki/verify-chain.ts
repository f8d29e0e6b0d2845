import type * as pkijs from "pkijs";
import { toArrayBuffer } from "./bytes";
import { PkiError } from "./errors";
import { describeSpki } from "./keys";
import { decodeCertificate } from "./load-issuer";
import { OID } from "./oids";
import { ecdsaDerToRaw } from "./signing";

/**
 * Checks leaf → intermediates → one of the trusted roots: each signature, each validity period,
 * and that every issuer is a CA. Throws CHAIN_INVALID naming the first broken link.
 */
export async function verifyChain(params: { leafPem: string; intermediatesPem?: string[]; trustedRootsPem: string[]; now?: Date }): Promise<void> {
  const now = params.now ?? new Date();
  const leaf = decodeCertificate(params.leafPem);
  const pool = (params.intermediatesPem ?? []).map(decodeCertificate);
  const roots = params.trustedRootsPem.map(decodeCertificate);
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    checkValidity(current, now);
    const root = roots.find((r) => current.issuer.isEqual(r.subject) && r !== current);
    const candidate = root ?? pool.find((c) => current.issuer.isEqual(c.subject));
    if (!candidate) throw new PkiError("CHAIN_INVALID", `no issuer found for "${describe(current)}"`);
    const basic = candidate.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
    if (!basic?.cA) throw new PkiError("CHAIN_INVALID", `"${describe(candidate)}" signs "${describe(current)}" but is not a CA`);
    if (!(await verifySignature(current, candidate))) throw new PkiError("CHAIN_INVALID", `the signature on "${describe(current)}" does not verify with "${describe(candidate)}"`);
    if (root) {
      checkValidity(root, now);
      return;
    }
    current = candidate;
  }
  throw new PkiError("CHAIN_INVALID", "the chain is longer than 10 certificates");
}

function describe(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues.map((tv) => String(tv.value.valueBlock.value)).join(", ");
}

function checkValidity(certificate: pkijs.Certificate, now: Date): void {
  if (certificate.notBefore.value > now) throw new PkiError("CHAIN_INVALID", `"${describe(certificate)}" is not valid before ${certificate.notBefore.value.toISOString()}`);
  if (certificate.notAfter.value < now) throw new PkiError("CHAIN_INVALID", `"${describe(certificate)}" expired on ${certificate.notAfter.value.toISOString()}`);
}

/** WebCrypto parameters for a signature algorithm OID: the hash comes from the signature, not the key. */
const VERIFY_PARAMS: Record<string, { hash?: string; family: "ECDSA" | "RSASSA-PKCS1-v1_5" | "Ed25519" }> = {
  [OID.ecdsaWithSha256]: { family: "ECDSA", hash: "SHA-256" },
  [OID.ecdsaWithSha384]: { family: "ECDSA", hash: "SHA-384" },
  [OID.sha256WithRsa]: { family: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  [OID.sha384WithRsa]: { family: "RSASSA-PKCS1-v1_5", hash: "SHA-384" },
  [OID.ed25519]: { family: "Ed25519" },
};

/** Verifies with WebCrypto directly so that every key type we issue (Ed25519 included) is covered. */
export async function verifySignature(certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  const params = VERIFY_PARAMS[certificate.signatureAlgorithm.algorithmId];
  const spki = new Uint8Array(issuer.subjectPublicKeyInfo.toSchema().toBER());
  const { algorithm } = describeSpki(spki);
  if (!params || !algorithm) return false;
  const importParams =
    params.family === "ECDSA"
      ? { name: "ECDSA", namedCurve: algorithm === "ecdsa-p384" ? "P-384" : "P-256" }
      : params.family === "RSASSA-PKCS1-v1_5"
        ? { name: params.family, hash: params.hash! }
        : { name: "Ed25519" };
  try {
    const key = await crypto.subtle.importKey("spki", toArrayBuffer(spki), importParams, false, ["verify"]);
    const raw = new Uint8Array(certificate.signatureValue.valueBlock.valueHexView);
    const signature = params.family === "ECDSA" ? ecdsaDerToRaw(raw, algorithm === "ecdsa-p384" ? 48 : 32) : raw;
    // The bytes as received: re-encoding a foreign certificate could differ from what was signed.
    const tbs = certificate.tbsView.byteLength ? new Uint8Array(certificate.tbsView) : new Uint8Array(certificate.encodeTBS().toBER());
    return await crypto.subtle.verify({ name: params.family, hash: params.hash } as EcdsaParams, key, toArrayBuffer(signature), toArrayBuffer(tbs));
  } catch {
    return false; // a key/algorithm mismatch is simply "does not verify"
  }
}
