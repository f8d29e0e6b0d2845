import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { signClientCsr } from "@/lib/services/certificates/sign-client-csr";

export const dynamic = "force-dynamic";

/** `{databaseUser, days?, csrPem?, p12Password?}` → a client bundle zip, or JSON with the certificate when a CSR was given. */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const body = await readJsonObject(request);
  const { keyRing } = await getRuntime();
  if (typeof body.csrPem === "string") {
    const certificate = await signClientCsr(db, actor, keyRing, params.cluster, { databaseUser: String(body.databaseUser ?? ""), csrPem: body.csrPem, days: typeof body.days === "number" ? body.days : undefined });
    return NextResponse.json(certificate, { status: 201 });
  }
  const bundle = await issueClientBundle(db, actor, keyRing, params.cluster, body as { databaseUser: string });
  return new Response(new Uint8Array(bundle.zip), {
    status: 201,
    headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${bundle.filename}"`, "Cache-Control": "no-store" },
  });
});
