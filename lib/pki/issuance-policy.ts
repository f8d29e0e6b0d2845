import { KEY_ALGORITHMS, keyAlgorithmInfo, type KeyAlgorithm } from "./key-algorithms";
import { MAX_SERVER_CERT_DAYS } from "./lifetimes";
import { formatSubtree, nameConstraintsFor, namesOutside } from "./name-constraints";
import type { SpkiDescription } from "./public-key";

export type IssuanceKind = "server" | "client";

/**
 * What one cluster lets any of its leaves be, whichever path issues it (a key made here, a CSR
 * from the UI, the API, an agent or a bulk re-issue): lifetime per kind, names, keys.
 */
export type IssuancePolicy = {
  maxDays: Record<IssuanceKind, number>;
  /** Server names: wildcards (off by default: one stolen key would serve every host below) and the permitted names (empty = any). */
  names: { allowWildcards: boolean; permittedNames: readonly string[] };
  /** Key types a leaf may hold; a CSR may bring any of these, whatever the cluster generates. */
  keyAlgorithms: readonly KeyAlgorithm[];
  minRsaBits: number;
};

type PolicyCluster = { serverCertDays: number; clientCertDays: number; allowWildcardNames: boolean; permittedNames: readonly string[] };

/** The policy of a cluster, from its settings. */
export function issuancePolicyFor(cluster: PolicyCluster): IssuancePolicy {
  return {
    // Clusters saved before the 398-day cap may hold up to 825: clamped, not refused, so their renewals keep working.
    maxDays: { server: Math.min(cluster.serverCertDays, MAX_SERVER_CERT_DAYS), client: cluster.clientCertDays },
    names: { allowWildcards: cluster.allowWildcardNames, permittedNames: cluster.permittedNames },
    keyAlgorithms: KEY_ALGORITHMS.map((a) => a.id),
    // NIST SP 800-57 Part 1 §5.6.1: RSA below 2048 bits is disallowed for signatures.
    minRsaBits: 2048,
  };
}

/**
 * One leaf as requested: its lifetime, the names it would hold, and its key (generated here, or a
 * CSR's). A CSR's key and names are known only once it is parsed: before that, the lifetime alone.
 */
export type IssuanceRequest = {
  kind: IssuanceKind;
  days: number;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  key?: { generate: KeyAlgorithm } | { described: SpkiDescription };
};

/** One code per rule, whatever the path: the lifetime (a field of the request), the key, the names. */
export type PolicyViolation =
  | { code: "LIFETIME_OUT_OF_RANGE"; field: "days"; message: string; hint: string }
  | { code: "KEY_TOO_WEAK" | "KEY_UNSUPPORTED"; field: "key"; message: string }
  | { code: "NAME_NOT_PERMITTED"; field: "names"; message: string };

/** The first rule of the policy the request breaks (lifetime, then key, then names), or null. */
export function findPolicyViolation(policy: IssuancePolicy, request: IssuanceRequest): PolicyViolation | null {
  const maxDays = policy.maxDays[request.kind];
  if (!Number.isInteger(request.days) || request.days < 1) {
    return {
      code: "LIFETIME_OUT_OF_RANGE",
      field: "days",
      message: `days: a lifetime is a whole number of days, at least 1 (got ${String(request.days).slice(0, 20)})`,
      hint: "A whole number, at least 1",
    };
  }
  if (request.days > maxDays) {
    return {
      code: "LIFETIME_OUT_OF_RANGE",
      field: "days",
      message: `days: this cluster issues ${request.kind} certificates for at most ${maxDays} days`,
      hint: `At most ${maxDays}`,
    };
  }
  if (!request.key) return null;
  const key = "generate" in request.key ? describeAlgorithm(request.key.generate) : request.key.described;
  if (key.name.startsWith("RSA") && key.bits < policy.minRsaBits)
    return { code: "KEY_TOO_WEAK", field: "key", message: `the key is ${key.name}; at least RSA ${policy.minRsaBits} is required` };
  if (!key.algorithm || !policy.keyAlgorithms.includes(key.algorithm)) {
    return {
      code: "KEY_UNSUPPORTED",
      field: "key",
      message: `the key is ${key.name}; this cluster accepts ${policy.keyAlgorithms.join(", ")}`,
    };
  }
  const dnsNames = (request.dnsNames ?? []).map((n) => n.toLowerCase());
  const wildcards = dnsNames.filter((n) => n.startsWith("*."));
  if (wildcards.length > 0 && !policy.names.allowWildcards) {
    return {
      code: "NAME_NOT_PERMITTED",
      field: "names",
      message: `${wildcards.join(", ")}: wildcard names are not allowed in this cluster (allow them in its settings)`,
    };
  }
  const constraints = nameConstraintsFor(policy.names.permittedNames);
  const outside = constraints ? namesOutside(constraints, { dnsNames, ipAddresses: request.ipAddresses ?? [] }) : [];
  if (constraints && outside.length > 0) {
    const permitted = constraints.permitted.map(formatSubtree).join(", ");
    return {
      code: "NAME_NOT_PERMITTED",
      field: "names",
      message: `${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} outside the cluster's permitted names (permitted: ${permitted})`,
    };
  }
  return null;
}

function describeAlgorithm(algorithm: KeyAlgorithm): SpkiDescription {
  const info = keyAlgorithmInfo(algorithm);
  return {
    algorithm: info.id,
    name: info.family === "Ed25519" ? "Ed25519" : `${info.family} ${info.family === "RSA" ? info.bits : `P-${info.bits}`}`,
    bits: info.bits,
  };
}
