import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { issueLoginCertificate } from "@/lib/services/devices/issue-login-certificate";

export const dynamic = "force-dynamic";

/**
 * `{databaseUser, csrPem}` with a device credential → a short-lived client certificate for the
 * laptop's key, root.crt, root.crl and where to connect (`cluster-tls connect`).
 */
export const POST = apiHandler<{ cluster: string }>(
  async ({ request, db, actor, params }) => {
    const body = await readJsonObject(request);
    const { keyRing } = await getRuntime();
    const issued = await issueLoginCertificate(db, actor, keyRing, params.cluster, body as { databaseUser: string; csrPem: string });
    return NextResponse.json(issued, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { device: true },
);
