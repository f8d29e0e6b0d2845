import { NextResponse } from "next/server";
import { apiHandler, CRL_BODY_LIMIT, readJsonObject } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { completeCaRequest, getCaRequest } from "@/lib/services/clusters/external-ca";

export const dynamic = "force-dynamic";

/** The CSR of the intermediate CA a cluster created with `ca: "csr"` waits on. */
export const GET = apiHandler<{ cluster: string }>(async ({ db, actor, params }) => {
  const request = await getCaRequest(db, actor, params.cluster);
  if (!request) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(params.cluster)} is not waiting for a CA certificate`);
  return NextResponse.json({ subject: request.subject, keyAlgorithm: request.keyAlgorithm, csrPem: request.csrPem, createdAt: request.createdAt.toISOString() });
});

/** `{certificatePem, chainPem, crlPem}`: the certificate the external root signed → the cluster's active CA. */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const body = await readJsonObject(request, { maxBytes: CRL_BODY_LIMIT });
  for (const field of ["certificatePem", "chainPem", "crlPem"] as const) {
    if (body[field] !== undefined && typeof body[field] !== "string") throw new AppError("VALIDATION_FAILED", `${field}: must be PEM text`, { [field]: ["PEM text"] });
  }
  const { keyRing } = await getRuntime();
  const completed = await completeCaRequest(db, actor, keyRing, params.cluster, body as { certificatePem: string; chainPem?: string; crlPem?: string });
  return NextResponse.json({ serial: completed.serial, subject: completed.subject, issuer: completed.issuer, notAfter: completed.notAfter.toISOString() }, { status: 201 });
});
