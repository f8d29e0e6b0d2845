import "server-only";
import type { schema } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { issueServerCertificate, parseCertificate, signCsr, type IssuedLeaf, type Issuer } from "@/lib/pki";

type NodeAndCluster = {
  node: Pick<typeof schema.nodes.$inferSelect, "hostname" | "dnsNames" | "ipAddresses">;
  cluster: Pick<typeof schema.clusters.$inferSelect, "sharedDnsNames" | "subjectTemplate" | "serverCertDays" | "keyAlgorithm">;
};
type IssueOptions = { csrPem?: string; days?: number };

/**
 * A node's new server certificate, signed but not recorded: from its CSR, for the key its current
 * certificate holds (`keptCertificatePem`: a CSR-keyed node), or for a new key of the cluster's
 * algorithm. Names are the node's own plus the cluster's shared names.
 */
export async function issueForNode({ node, cluster }: NodeAndCluster, issuer: Issuer, options: IssueOptions = {}, keptCertificatePem?: string): Promise<IssuedLeaf> {
  const dnsNames = [...new Set([node.hostname, ...node.dnsNames, ...cluster.sharedDnsNames])];
  const common = { issuer, subjectTemplate: cluster.subjectTemplate };
  if (options.csrPem !== undefined) {
    const days = options.days ?? cluster.serverCertDays;
    if (!Number.isInteger(days) || days < 1 || days > cluster.serverCertDays) {
      throw new AppError("VALIDATION_FAILED", `days: this cluster issues server certificates for 1 to ${cluster.serverCertDays} days`, { days: [`1 to ${cluster.serverCertDays}`] });
    }
    return signCsr({ ...common, csr: options.csrPem, kind: "server", days, policy: { allowedDnsNames: dnsNames, allowedIpAddresses: node.ipAddresses, maxDays: cluster.serverCertDays, namesWhenNoneRequested: { dnsNames, ipAddresses: node.ipAddresses } } });
  }
  // A CSR-keyed node keeps its names as the node row says now, not as its last CSR said.
  const key = keptCertificatePem ? { publicKeySpki: (await parseCertificate(keptCertificatePem)).publicKeySpki } : { generate: cluster.keyAlgorithm };
  return issueServerCertificate({ ...common, days: cluster.serverCertDays, dnsNames, ipAddresses: node.ipAddresses, key });
}
