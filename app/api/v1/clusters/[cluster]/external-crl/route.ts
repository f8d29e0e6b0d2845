import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { updateExternalCrlOperation } from "@/lib/api/openapi/operations";
import { updateExternalCrl } from "@/lib/services/clusters/external-ca";

export const dynamic = "force-dynamic";

/** `{crlPem}`: fresh CRLs of the external issuers above the cluster's intermediate CA (they go into root.crl). */
export const POST = apiHandler(updateExternalCrlOperation, async ({ db, actor, params, input }) => {
  const { nextUpdate } = await updateExternalCrl(db, actor, params.cluster, input.crlPem);
  return NextResponse.json({ nextUpdate: nextUpdate?.toISOString() ?? null });
});
