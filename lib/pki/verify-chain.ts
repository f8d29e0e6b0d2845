import type * as pkijs from "pkijs";
import { PkiError } from "./errors";
import { decodeCertificate } from "./load-issuer";
import { OID } from "./oids";
import { verifySignedData } from "./verify-signature";

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

/** The certificate's signature checked with its issuer's public key. */
export async function verifySignature(certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  return verifySignedData({
    // The bytes as received: re-encoding a foreign certificate could differ from what was signed.
    data: certificate.tbsView.byteLength ? new Uint8Array(certificate.tbsView) : new Uint8Array(certificate.encodeTBS().toBER()),
    signature: new Uint8Array(certificate.signatureValue.valueBlock.valueHexView),
    signatureAlgorithmOid: certificate.signatureAlgorithm.algorithmId,
    signerSpki: new Uint8Array(issuer.subjectPublicKeyInfo.toSchema().toBER()),
  });
}

/**
 * Orders a leaf's issuers from a pool (leaf first, then each issuer up to, not including, a
 * self-signed root): what server.crt must hold so clients trusting only the root can verify.
 */
export function buildChain(leafPem: string, poolPem: string[]): string[] {
  const pool = poolPem.map((pem) => ({ pem, certificate: decodeCertificate(pem) }));
  const chain = [leafPem];
  let current = decodeCertificate(leafPem);
  for (let depth = 0; depth < 10; depth++) {
    const issuer = pool.find((c) => current.issuer.isEqual(c.certificate.subject) && !chain.includes(c.pem));
    if (!issuer || issuer.certificate.subject.isEqual(issuer.certificate.issuer)) break; // roots stay out of the chain
    chain.push(issuer.pem);
    current = issuer.certificate;
  }
  return chain;
}
