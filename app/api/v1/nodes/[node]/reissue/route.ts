import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { reissueNodeOperation } from "@/lib/api/openapi/operations";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

export const dynamic = "force-dynamic";

/** `{revokePrevious?}` → the node's new certificate; the previous one is superseded (or revoked). */
export const POST = apiHandler(reissueNodeOperation, async ({ db, actor, keyRing, params, input }) =>
  NextResponse.json(nodeCertificateJson(await reissueNodeCertificate(db, actor, keyRing, params.node, input))),
);
