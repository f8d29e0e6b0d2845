import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { signClientCsr } from "@/lib/services/certificates/sign-client-csr";

export const dynamic = "force-dynamic";

/** `{databaseUser, days?, csrPem?, p12Password?}` → a client bundle zip, or JSON with the certificate when a CSR was given. */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const body = await readJsonObject(request);
  const { keyRing } = await getRuntime();
  // A CSR that is not text must not fall through to "generate a key for me".
  if ("csrPem" in body && typeof body.csrPem !== "string") throw new AppError("VALIDATION_FAILED", "csrPem: must be the PEM text of a certificate request");
  if (body.days !== undefined && !(typeof body.days === "number" && Number.isInteger(body.days) && body.days > 0)) throw new AppError("VALIDATION_FAILED", "days: must be a whole number of days");
  if (typeof body.csrPem === "string") {
    const certificate = await signClientCsr(db, actor, keyRing, params.cluster, { databaseUser: String(body.databaseUser ?? ""), csrPem: body.csrPem, days: body.days as number | undefined });
    return NextResponse.json(certificate, { status: 201 });
  }
  const bundle = await issueClientBundle(db, actor, keyRing, params.cluster, body as { databaseUser: string });
  return new Response(new Uint8Array(bundle.zip), {
    status: 201,
    headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${bundle.filename}"`, "Cache-Control": "no-store" },
  });
});
