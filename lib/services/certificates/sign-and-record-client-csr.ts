import "server-only";
import type { Database } from "@/lib/db";
import { issuancePolicyFor, signCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import type { ClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { assertIssuancePolicy } from "@/lib/services/pki/apply-issuance-policy";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { recordClientCertificate } from "./record-client-certificate";

type ClientCsrRequest = {
  databaseUser: string;
  csrPem: string;
  /** Whole days (a CSR from the dashboard or the API), or whole hours (a developer login). */
  lifetime: { days: number } | { hours: number };
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * A person's client certificate for their own key, in a scope whose permission the caller has
 * checked: the cluster's issuance policy on the CSR's key, CN = the database user, then the
 * certificate and its audit row in one transaction. No private key is ever here.
 */
export async function signAndRecordClientCsr(db: Database, scope: ClusterScope, keyRing: KeyRing, request: ClientCsrRequest) {
  const { cluster, actor } = scope;
  const { databaseUser, csrPem, lifetime, audit } = request;
  const policy = issuancePolicyFor(cluster);
  const { caId, issuer, chainPem } = await loadClusterIssuer(db, cluster, keyRing.all);
  const issued = await signCsr({
    csr: csrPem,
    issuer,
    kind: "client",
    ...lifetime,
    subjectTemplate: cluster.subjectTemplate,
    policy: { allowedCommonNames: [databaseUser], maxDays: policy.maxDays.client, minRsaBits: policy.minRsaBits },
    check: (checked) => assertIssuancePolicy(policy, checked),
  });
  await recordClientCertificate(db, actor, { clusterId: cluster.id, caId, databaseUser, issued, fromCsr: true, audit });
  return { issued, chainPem };
}
