import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { issueLoginCertificateOperation } from "@/lib/api/openapi/operations";
import { issueLoginCertificate } from "@/lib/services/devices/issue-login-certificate";

export const dynamic = "force-dynamic";

/**
 * `{databaseUser, csrPem}` with a device credential → a short-lived client certificate for the
 * laptop's key, root.crt, root.crl and where to connect (`cluster-tls connect`).
 */
export const POST = apiHandler(issueLoginCertificateOperation, async ({ db, actor, keyRing, params, input }) => {
  const issued = await issueLoginCertificate(db, actor, keyRing, params.cluster, input);
  return NextResponse.json(issued, { status: 201, headers: { "Cache-Control": "no-store" } });
});
