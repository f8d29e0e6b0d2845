import "server-only";
import type { schema } from "@/lib/db";
import {
  describeSpki,
  issuancePolicyFor,
  issueServerCertificate,
  parseCertificate,
  signCsr,
  type IssuedLeaf,
  type Issuer,
} from "@/lib/pki";
import { assertIssuancePolicy } from "@/lib/services/pki/apply-issuance-policy";

type NodeAndCluster = {
  node: Pick<typeof schema.nodes.$inferSelect, "hostname" | "dnsNames" | "ipAddresses">;
  cluster: Pick<
    typeof schema.clusters.$inferSelect,
    "sharedDnsNames" | "subjectTemplate" | "serverCertDays" | "clientCertDays" | "keyAlgorithm" | "allowWildcardNames" | "permittedNames"
  >;
};
type IssueOptions = { csrPem?: string; days?: number };

/** The longest server lifetime the cluster's issuance policy allows (what a CSR form offers). */
export function serverCertDaysOf(cluster: Parameters<typeof issuancePolicyFor>[0]): number {
  return issuancePolicyFor(cluster).maxDays.server;
}

/**
 * A node's new server certificate, signed but not recorded: from its CSR, for the key its current
 * certificate holds (`keptCertificatePem`: a CSR-keyed node), or for a new key of the cluster's
 * algorithm. Names are the node's own plus the cluster's shared names; the cluster's issuance
 * policy (lifetime, names, key) is applied to the request before anything is signed.
 */
export async function issueForNode(
  { node, cluster }: NodeAndCluster,
  issuer: Issuer,
  options: IssueOptions = {},
  keptCertificatePem?: string,
): Promise<IssuedLeaf> {
  const policy = issuancePolicyFor(cluster);
  const dnsNames = [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames])];
  const common = { issuer, subjectTemplate: cluster.subjectTemplate, namePolicy: policy.names };
  if (options.csrPem !== undefined) {
    const days = options.days ?? policy.maxDays.server;
    // The lifetime is known before the CSR is read: refused first, as for any bad field.
    assertIssuancePolicy(policy, { kind: "server", days });
    const csrPolicy = {
      allowedDnsNames: dnsNames,
      allowedIpAddresses: node.ipAddresses,
      maxDays: policy.maxDays.server,
      minRsaBits: policy.minRsaBits,
      namesWhenNoneRequested: { dnsNames, ipAddresses: node.ipAddresses },
    };
    return signCsr({
      ...common,
      csr: options.csrPem,
      kind: "server",
      days,
      policy: csrPolicy,
      check: (request) => assertIssuancePolicy(policy, request),
    });
  }
  // A CSR-keyed node keeps its names as the node row says now, not as its last CSR said.
  const keptSpki = keptCertificatePem ? (await parseCertificate(keptCertificatePem)).publicKeySpki : null;
  const days = policy.maxDays.server;
  assertIssuancePolicy(policy, {
    kind: "server",
    days,
    dnsNames,
    ipAddresses: node.ipAddresses,
    key: keptSpki ? { described: describeSpki(keptSpki) } : { generate: cluster.keyAlgorithm },
  });
  return issueServerCertificate({
    ...common,
    days,
    dnsNames,
    ipAddresses: node.ipAddresses,
    key: keptSpki ? { publicKeySpki: keptSpki } : { generate: cluster.keyAlgorithm },
  });
}
