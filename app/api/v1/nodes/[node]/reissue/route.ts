import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

export const dynamic = "force-dynamic";

/** `{revokePrevious?}` → the node's new certificate; the previous one is superseded (or revoked). */
export const POST = apiHandler<{ node: string }>(async ({ request, db, actor, params }) => {
  const { revokePrevious = false } = await readJsonObject(request, { optional: true });
  if (typeof revokePrevious !== "boolean") throw new AppError("VALIDATION_FAILED", "revokePrevious must be true or false");
  const { keyRing } = await getRuntime();
  return NextResponse.json(nodeCertificateJson(await reissueNodeCertificate(db, actor, keyRing, params.node, { revokePrevious })));
});
