import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { createClusterOperation, listClustersOperation } from "@/lib/api/openapi/operations";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { listClusters } from "@/lib/services/clusters/list-clusters";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listClustersOperation, async ({ db, actor }) =>
  NextResponse.json({ clusters: await listClusters(db, actor) }),
);

/**
 * `{name, keyAlgorithm?, ca?, …}` → `{id, name, caCertificatePem}`. `ca` is "generate" (a new root,
 * default), "import" (with caCertificatePem, caPrivateKeyPem, and for an intermediate caChainPem +
 * caCrlPem) or "csr" (caCertificatePem is null and caCsrPem is the intermediate's CSR for the external root).
 */
export const POST = apiHandler(createClusterOperation, async ({ db, actor, keyRing, input }) => {
  const { id, name, caCertificatePem, caCsrPem } = await createCluster(db, actor, keyRing.current, input);
  return NextResponse.json({ id, name, caCertificatePem, ...(caCsrPem ? { caCsrPem } : {}) }, { status: 201 });
});
