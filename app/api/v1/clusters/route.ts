import { NextResponse } from "next/server";
import { apiHandler, CRL_BODY_LIMIT, readJsonObject } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import type { TCreateClusterInput } from "@/lib/validations/clusters";

export const dynamic = "force-dynamic";

export const GET = apiHandler(async ({ db, actor }) => NextResponse.json({ clusters: await listClusters(db, actor) }));

/**
 * `{name, keyAlgorithm?, ca?, …}` → `{id, name, caCertificatePem}`. `ca` is "generate" (a new root,
 * default), "import" (with caCertificatePem, caPrivateKeyPem, and for an intermediate caChainPem +
 * caCrlPem) or "csr" (caCertificatePem is null and caCsrPem is the intermediate's CSR for the external root).
 */
export const POST = apiHandler(async ({ request, db, actor }) => {
  const body = await readJsonObject(request, { maxBytes: CRL_BODY_LIMIT });
  const { keyRing } = await getRuntime();
  const { id, name, caCertificatePem, caCsrPem } = await createCluster(db, actor, keyRing.current, body as TCreateClusterInput);
  return NextResponse.json({ id, name, caCertificatePem, ...(caCsrPem ? { caCsrPem } : {}) }, { status: 201 });
});
