import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { enrollAgent } from "@/lib/services/agents/enroll-agent";

export const dynamic = "force-dynamic";

/**
 * `{code, csrPem}` → the node's certificate from the agent's CSR and its node credential (shown
 * once). The enrollment code is the only credential: no Authorization header.
 */
export const POST = apiHandler(
  async ({ request, db }) => {
    const body = await readJsonObject(request);
    const { keyRing } = await getRuntime();
    const { credential, reissued, clusterName } = await enrollAgent(db, keyRing, body, requestInfoFrom(request.headers));
    return NextResponse.json({ credential, clusterName, ...nodeCertificateJson(reissued) }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { anonymous: true },
);
