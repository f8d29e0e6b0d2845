import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { enrollAgentOperation } from "@/lib/api/openapi/operations";
import { enrollAgent } from "@/lib/services/agents/enroll-agent";

export const dynamic = "force-dynamic";

/**
 * `{code, csrPem}` → the node's certificate from the agent's CSR and its node credential (shown
 * once). The enrollment code is the only credential: no Authorization header.
 */
export const POST = apiHandler(enrollAgentOperation, async ({ db, keyRing, requestInfo, input }) => {
  const { credential, reissued, clusterName } = await enrollAgent(db, keyRing, input, requestInfo);
  return NextResponse.json(
    { credential, clusterName, ...nodeCertificateJson(reissued) },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
