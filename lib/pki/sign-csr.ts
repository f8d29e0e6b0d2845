import { parseCsr } from "./csr";
import { PkiError } from "./errors";
import type { IssuanceRequest } from "./issuance-policy";
import { issueClientCertificate, issueServerCertificate, type IssuedLeaf, type NamePolicy } from "./issue-leaf";
import type { KeyAlgorithm } from "./key-algorithms";
import type { Issuer, IssuerInput } from "./load-issuer";
import { normalizeDnsName, normalizeIpAddress } from "./names";
import type { Subject } from "./subject";

export type CsrPolicy = {
  /** Server CSRs: every requested DNS name must be one of these (the node's names). */
  allowedDnsNames?: string[];
  allowedIpAddresses?: string[];
  /** Client CSRs: the CN must be one of these database users. */
  allowedCommonNames?: string[];
  allowedKeyAlgorithms?: KeyAlgorithm[];
  /** Server CSRs that name nothing (no SAN, no CN) get these: a node's agent at enrollment does not know its names yet. */
  namesWhenNoneRequested?: { dnsNames: string[]; ipAddresses: string[] };
  /** RSA below this is refused (default 2048). */
  minRsaBits?: number;
  maxDays: number;
};

export type SignCsrParams = {
  csr: string | Uint8Array;
  issuer: IssuerInput | Issuer;
  kind: "server" | "client";
  /** Defaults to policy.maxDays. */
  days?: number;
  /** Client certificates: a lifetime in whole hours instead (within policy.maxDays). */
  hours?: number;
  policy: CsrPolicy;
  subjectTemplate?: Omit<Subject, "CN">;
  /** Server CSRs: wildcards and permitted names, as for any server certificate of the cluster. */
  namePolicy?: NamePolicy;
  /**
   * The cluster's issuance policy, applied to the request as the certificate would hold it (its
   * lifetime, names and key) before anything else about the CSR is judged: it throws to refuse.
   */
  check?: (request: IssuanceRequest) => void;
  now?: Date;
};

/**
 * Issues a certificate for a CSR's key (the private key never leaves the node) after checking the
 * self-signature, the key and every requested name against the policy. Each refusal has its code.
 */
export async function signCsr(params: SignCsrParams): Promise<IssuedLeaf> {
  const { issuer, kind, policy, hours, subjectTemplate, namePolicy, now } = params;
  const days = params.days ?? (hours !== undefined ? Math.ceil(hours / 24) : policy.maxDays);
  if (kind !== "server" && kind !== "client")
    throw new PkiError("PARAM_INVALID", `kind must be "server" or "client" (got ${JSON.stringify(kind)})`);
  const csr = await parseCsr(params.csr);
  const who = (csr.commonName ? `CN=${csr.commonName}` : csr.subject || "the CSR").slice(0, 120);
  const namesNothing = csr.dnsNames.length === 0 && csr.ipAddresses.length === 0 && !csr.commonName;
  const assigned = kind === "server" && namesNothing ? policy.namesWhenNoneRequested : undefined;
  // libpq checks SANs; a CSR without any names its CN (RFC 6125 fallback) as the one DNS name.
  const dnsNames = assigned?.dnsNames ?? (csr.dnsNames.length > 0 ? csr.dnsNames : csr.commonName ? [csr.commonName] : []);
  const ipAddresses = assigned?.ipAddresses ?? csr.ipAddresses;
  params.check?.({ kind, days, ...(kind === "server" ? { dnsNames, ipAddresses } : {}), key: { described: csr.key } });
  // Key checks first: a key we do not accept is refused for that reason, whether or not we can verify with it.
  const { algorithm, name, bits } = csr.key;
  if (name.startsWith("RSA") && bits < (policy.minRsaBits ?? 2048))
    throw new PkiError("KEY_TOO_WEAK", `${who} uses ${name}; at least RSA ${policy.minRsaBits ?? 2048} is required`);
  if (!algorithm) throw new PkiError("KEY_UNSUPPORTED", `${who} uses an unsupported key (${name})`);
  if (policy.allowedKeyAlgorithms && !policy.allowedKeyAlgorithms.includes(algorithm)) {
    throw new PkiError("KEY_UNSUPPORTED", `${who} uses ${algorithm}; this cluster accepts ${policy.allowedKeyAlgorithms.join(", ")}`);
  }
  if (!csr.signatureAlgorithmAccepted) {
    throw new PkiError(
      "CSR_SIGNATURE_INVALID",
      `the CSR for ${who} is signed with algorithm ${csr.signatureAlgorithmOid}; SHA-256 or better (ECDSA, RSA PKCS#1 v1.5, Ed25519) is required`,
    );
  }
  if (!csr.signatureValid) throw new PkiError("CSR_SIGNATURE_INVALID", `CSR signature does not verify for ${who}`);
  if (days > policy.maxDays) throw new PkiError("LIFETIME_INVALID", `${days} days requested; the policy allows at most ${policy.maxDays}`);
  const key = { publicKeySpki: csr.publicKeySpki };

  if (kind === "client") {
    if (!csr.commonName) throw new PkiError("CSR_NAME_NOT_ALLOWED", "a client CSR needs CN = the database user");
    if (policy.allowedCommonNames && !policy.allowedCommonNames.includes(csr.commonName)) {
      throw new PkiError(
        "CSR_NAME_NOT_ALLOWED",
        `CN=${csr.commonName} is not a database user you may request (allowed: ${policy.allowedCommonNames.join(", ") || "none"})`,
      );
    }
    return issueClientCertificate({ issuer, days, hours, databaseUser: csr.commonName, subjectTemplate, key, now });
  }

  if (assigned) return issueServerCertificate({ issuer, days, dnsNames, ipAddresses, subjectTemplate, namePolicy, key, now });
  const allowedDns = policy.allowedDnsNames?.map(normalizeDnsName);
  const refusedDns = allowedDns ? dnsNames.filter((n) => !allowedDns.includes(normalizeDnsName(n))) : [];
  const allowedIps = policy.allowedIpAddresses?.map(normalizeIpAddress);
  const refusedIps = allowedIps ? csr.ipAddresses.filter((ip) => !allowedIps.includes(ip)) : [];
  if (refusedDns.length || refusedIps.length) {
    throw new PkiError(
      "CSR_NAME_NOT_ALLOWED",
      `${who} asks for ${[...refusedDns, ...refusedIps].join(", ")}, which this node may not hold`,
    );
  }
  return issueServerCertificate({ issuer, days, dnsNames, ipAddresses: csr.ipAddresses, subjectTemplate, namePolicy, key, now });
}
