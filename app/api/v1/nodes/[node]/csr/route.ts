import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

export const dynamic = "force-dynamic";

/**
 * `{csrPem, days?, revokePrevious?}` → the node's certificate signed from its own CSR (the key
 * never leaves the node). Every name in the CSR must be one of the node's; the previous
 * certificate is superseded (or revoked) as on re-issue.
 */
export const POST = apiHandler<{ node: string }>(async ({ request, db, actor, params }) => {
  const { csrPem, days, revokePrevious = false } = await readJsonObject(request);
  if (typeof csrPem !== "string" || !csrPem.trim()) throw new AppError("VALIDATION_FAILED", "csrPem: the PEM text of a certificate request is required", { csrPem: ["Required"] });
  if (days !== undefined && !(typeof days === "number" && Number.isInteger(days) && days > 0)) throw new AppError("VALIDATION_FAILED", "days: must be a whole number of days", { days: ["Whole number"] });
  if (typeof revokePrevious !== "boolean") throw new AppError("VALIDATION_FAILED", "revokePrevious must be true or false");
  const { keyRing } = await getRuntime();
  const reissued = await reissueNodeCertificate(db, actor, keyRing, params.node, { csrPem, days: days as number | undefined, revokePrevious });
  return NextResponse.json(nodeCertificateJson(reissued), { status: 201 });
});
