import "server-only";
import type { schema } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { issueServerCertificate, MAX_SERVER_CERT_DAYS, parseCertificate, signCsr, type IssuedLeaf, type Issuer } from "@/lib/pki";

type NodeAndCluster = {
  node: Pick<typeof schema.nodes.$inferSelect, "hostname" | "dnsNames" | "ipAddresses">;
  cluster: Pick<typeof schema.clusters.$inferSelect, "sharedDnsNames" | "subjectTemplate" | "serverCertDays" | "keyAlgorithm" | "allowWildcardNames" | "permittedNames">;
};
type IssueOptions = { csrPem?: string; days?: number };

/**
 * The server lifetime a cluster issues. Clusters saved before the 398-day cap may hold up to 825:
 * they are clamped here rather than refused, so their renewals keep working.
 */
export function serverCertDaysOf(cluster: Pick<NodeAndCluster["cluster"], "serverCertDays">): number {
  return Math.min(cluster.serverCertDays, MAX_SERVER_CERT_DAYS);
}

/**
 * A node's new server certificate, signed but not recorded: from its CSR, for the key its current
 * certificate holds (`keptCertificatePem`: a CSR-keyed node), or for a new key of the cluster's
 * algorithm. Names are the node's own plus the cluster's shared names; the cluster's name policy
 * (wildcards, permitted names) is checked before anything is signed.
 */
export async function issueForNode({ node, cluster }: NodeAndCluster, issuer: Issuer, options: IssueOptions = {}, keptCertificatePem?: string): Promise<IssuedLeaf> {
  const dnsNames = [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames])];
  const maxDays = serverCertDaysOf(cluster);
  const common = { issuer, subjectTemplate: cluster.subjectTemplate, namePolicy: { allowWildcards: cluster.allowWildcardNames, permittedNames: cluster.permittedNames } };
  if (options.csrPem !== undefined) {
    const days = options.days ?? maxDays;
    if (!Number.isInteger(days) || days < 1 || days > maxDays) {
      throw new AppError("VALIDATION_FAILED", `days: this cluster issues server certificates for 1 to ${maxDays} days`, { days: [`1 to ${maxDays}`] });
    }
    return signCsr({ ...common, csr: options.csrPem, kind: "server", days, policy: { allowedDnsNames: dnsNames, allowedIpAddresses: node.ipAddresses, maxDays, namesWhenNoneRequested: { dnsNames, ipAddresses: node.ipAddresses } } });
  }
  // A CSR-keyed node keeps its names as the node row says now, not as its last CSR said.
  const key = keptCertificatePem ? { publicKeySpki: (await parseCertificate(keptCertificatePem)).publicKeySpki } : { generate: cluster.keyAlgorithm };
  return issueServerCertificate({ ...common, days: maxDays, dnsNames, ipAddresses: node.ipAddresses, key });
}
