import { NextResponse } from "next/server";
import { apiHandler, CRL_BODY_LIMIT, readJsonObject } from "@/lib/api/api-handler";
import { updateExternalCrl } from "@/lib/services/clusters/external-ca";

export const dynamic = "force-dynamic";

/** `{crlPem}`: fresh CRLs of the external issuers above the cluster's intermediate CA (they go into root.crl). */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const { crlPem } = await readJsonObject(request, { maxBytes: CRL_BODY_LIMIT });
  const { nextUpdate } = await updateExternalCrl(db, actor, params.cluster, crlPem);
  return NextResponse.json({ nextUpdate: nextUpdate?.toISOString() ?? null });
});
