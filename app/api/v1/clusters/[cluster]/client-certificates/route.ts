import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { issueClientCertificateOperation } from "@/lib/api/openapi/operations";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { signClientCsr } from "@/lib/services/certificates/sign-client-csr";

export const dynamic = "force-dynamic";

/** `{databaseUser, days?, csrPem?, p12Password?}` → a client bundle zip, or JSON with the certificate when a CSR was given. */
export const POST = apiHandler(issueClientCertificateOperation, async ({ db, actor, keyRing, params, input }) => {
  const { csrPem, databaseUser, days, p12Password } = input;
  if (csrPem !== undefined) {
    const certificate = await signClientCsr(db, actor, keyRing, params.cluster, { databaseUser, csrPem, days });
    return NextResponse.json(certificate, { status: 201 });
  }
  const bundle = await issueClientBundle(db, actor, keyRing, params.cluster, { databaseUser, days, p12Password });
  return new Response(new Uint8Array(bundle.zip), {
    status: 201,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${bundle.filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
