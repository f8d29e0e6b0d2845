import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { signNodeCsrOperation } from "@/lib/api/openapi/operations";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

export const dynamic = "force-dynamic";

/**
 * `{csrPem, days?, revokePrevious?}` → the node's certificate signed from its own CSR (the key
 * never leaves the node). Every name in the CSR must be one of the node's; the previous
 * certificate is superseded (or revoked) as on re-issue.
 */
export const POST = apiHandler(signNodeCsrOperation, async ({ db, actor, keyRing, params, input }) => {
  const reissued = await reissueNodeCertificate(db, actor, keyRing, params.node, input);
  return NextResponse.json(nodeCertificateJson(reissued), { status: 201 });
});
