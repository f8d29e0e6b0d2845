import * as asn1js from "asn1js";
import type * as pkijs from "pkijs";
import { toHex } from "./bytes";
import { PkiError } from "./errors";
import { allowsKeyCertSign, basicConstraintsOf, decodeCertificate, describeCertificate as describe } from "./load-issuer";
import { OID } from "./oids";
import { verifySignedData } from "./verify-signature";

const MAX_DEPTH = 10;

export type VerifyChainParams = { leafPem: string; intermediatesPem?: string[]; trustedRootsPem: string[]; now?: Date };

/**
 * Checks leaf → intermediates → one of the trusted roots: each signature, each validity period,
 * that every issuer is a CA allowed to sign certificates, and every pathLen on the way (RFC 5280
 * §6.1, the parts PostgreSQL's OpenSSL enforces). Throws CHAIN_INVALID naming the first broken link.
 */
export async function verifyChain(params: VerifyChainParams): Promise<void> {
  const now = params.now ?? new Date();
  const leaf = decodeCertificate(params.leafPem);
  const pool = (params.intermediatesPem ?? []).flatMap(splitPem).map(decodeCertificate);
  const roots = params.trustedRootsPem.flatMap(splitPem).map(decodeCertificate);
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    checkValidity(current, now);
    // During a CA rotation the old and new root may share a subject: try every candidate, trusted roots first.
    const candidates = [...roots.map((c) => ({ c, root: true })), ...pool.map((c) => ({ c, root: false }))].filter(
      ({ c }) => c !== current && current.issuer.isEqual(c.subject),
    );
    if (candidates.length === 0) throw new PkiError("CHAIN_INVALID", `no issuer found for "${describe(current)}"`);
    let found: { c: pkijs.Certificate; root: boolean } | undefined;
    for (const candidate of candidates) {
      if (await verifySignature(current, candidate.c)) {
        found = candidate;
        break;
      }
    }
    if (!found)
      throw new PkiError("CHAIN_INVALID", `the signature on "${describe(current)}" does not verify with "${describe(candidates[0]!.c)}"`);
    const issuer = found.c;
    const basic = basicConstraintsOf(issuer);
    if (!basic.ca) throw new PkiError("CHAIN_INVALID", `"${describe(issuer)}" signs "${describe(current)}" but is not a CA`);
    if (!allowsKeyCertSign(issuer))
      throw new PkiError("CHAIN_INVALID", `"${describe(issuer)}" signs "${describe(current)}" but its keyUsage lacks keyCertSign`);
    // pathLen counts the CA certificates below the issuer, excluding the leaf (RFC 5280 §4.2.1.9).
    if (basic.pathLen !== null && depth > basic.pathLen) {
      throw new PkiError(
        "CHAIN_INVALID",
        `"${describe(issuer)}" allows ${basic.pathLen} intermediate CA(s) below it, the chain has ${depth}`,
      );
    }
    checkValidity(issuer, now);
    if (found.root) return;
    current = issuer;
  }
  throw new PkiError("CHAIN_INVALID", `the chain is longer than ${MAX_DEPTH} certificates`);
}

/**
 * An external chain (issuers above an intermediate CA, up to the root) split by role: the
 * self-issued roots go into root.crt, the other certificates after the leaf in server.crt/client.crt.
 */
export function splitChain(chainPem: string): { intermediates: string[]; roots: string[] } {
  const result = { intermediates: [] as string[], roots: [] as string[] };
  if (!chainPem.trim()) return result;
  for (const pem of splitPem(chainPem)) {
    const certificate = decodeCertificate(pem);
    (certificate.subject.isEqual(certificate.issuer) ? result.roots : result.intermediates).push(pem.trim() + "\n");
  }
  return result;
}

/** A bundle (root.crt = old + new during a rotation) as one PEM per certificate; a single PEM stays as given. */
function splitPem(pem: string): string[] {
  const blocks = typeof pem === "string" ? pem.match(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g) : null;
  return blocks && blocks.length > 1 ? blocks.map((block) => `${block}\n`) : [pem];
}

function checkValidity(certificate: pkijs.Certificate, now: Date): void {
  if (certificate.notBefore.value > now)
    throw new PkiError("CHAIN_INVALID", `"${describe(certificate)}" is not valid before ${certificate.notBefore.value.toISOString()}`);
  if (certificate.notAfter.value < now)
    throw new PkiError("CHAIN_INVALID", `"${describe(certificate)}" expired on ${certificate.notAfter.value.toISOString()}`);
}

/** The certificate's signature checked with its issuer's public key. */
async function verifySignature(certificate: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  return verifySignedData({
    // The bytes as received: re-encoding a foreign certificate could differ from what was signed.
    data: certificate.tbsView.byteLength ? new Uint8Array(certificate.tbsView) : new Uint8Array(certificate.encodeTBS().toBER()),
    signature: new Uint8Array(certificate.signatureValue.valueBlock.valueHexView),
    signatureAlgorithmOid: certificate.signatureAlgorithm.algorithmId,
    signerSpki: new Uint8Array(issuer.subjectPublicKeyInfo.toSchema().toBER()),
  });
}

function keyIdentifierHex(certificate: pkijs.Certificate, oid: string): string | null {
  const value = certificate.extensions?.find((e) => e.extnID === oid)?.parsedValue as
    asn1js.OctetString | pkijs.AuthorityKeyIdentifier | undefined;
  if (!value) return null;
  const bytes = value instanceof asn1js.OctetString ? value : value.keyIdentifier;
  return bytes ? toHex(bytes.valueBlock.valueHexView) : null;
}

/**
 * Orders a leaf's issuers from a pool (leaf first, then each issuer up to, not including, a
 * self-signed root): what server.crt must hold so clients trusting only the root can verify.
 * Issuers are matched by name and, when both carry one, by AKI = SKI, so a rotated CA with the
 * same subject is not picked for a leaf the old one signed.
 */
export function buildChain(leafPem: string, poolPem: string[]): string[] {
  const pool = poolPem.flatMap(splitPem).map((pem) => ({ pem, certificate: decodeCertificate(pem) }));
  const chain = [leafPem];
  let current = decodeCertificate(leafPem);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const aki = keyIdentifierHex(current, OID.authorityKeyIdentifier);
    const issuer = pool.find(({ pem, certificate }) => {
      if (chain.includes(pem) || !current.issuer.isEqual(certificate.subject)) return false;
      const ski = keyIdentifierHex(certificate, OID.subjectKeyIdentifier);
      return !aki || !ski || aki === ski;
    });
    if (!issuer || issuer.certificate.subject.isEqual(issuer.certificate.issuer)) break; // roots stay out of the chain
    chain.push(issuer.pem);
    current = issuer.certificate;
  }
  return chain;
}
