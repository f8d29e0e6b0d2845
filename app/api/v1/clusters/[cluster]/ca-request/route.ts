import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { completeCaRequestOperation, getCaRequestOperation } from "@/lib/api/openapi/operations";
import { AppError } from "@/lib/errors/app-error";
import { completeCaRequest, getCaRequest } from "@/lib/services/clusters/external-ca";

export const dynamic = "force-dynamic";

/** The CSR of the intermediate CA a cluster created with `ca: "csr"` waits on. */
export const GET = apiHandler(getCaRequestOperation, async ({ db, actor, params }) => {
  const request = await getCaRequest(db, actor, params.cluster);
  if (!request) throw new AppError("NOT_FOUND", `cluster ${JSON.stringify(params.cluster)} is not waiting for a CA certificate`);
  return NextResponse.json({
    subject: request.subject,
    keyAlgorithm: request.keyAlgorithm,
    csrPem: request.csrPem,
    createdAt: request.createdAt.toISOString(),
  });
});

/** `{certificatePem, chainPem, crlPem}`: the certificate the external root signed → the cluster's active CA. */
export const POST = apiHandler(completeCaRequestOperation, async ({ db, actor, keyRing, params, input }) => {
  const completed = await completeCaRequest(db, actor, keyRing, params.cluster, input);
  return NextResponse.json(
    { serial: completed.serial, subject: completed.subject, issuer: completed.issuer, notAfter: completed.notAfter.toISOString() },
    { status: 201 },
  );
});
