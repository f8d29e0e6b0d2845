import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { signAgentCsrOperation } from "@/lib/api/openapi/operations";
import { signAgentCsr } from "@/lib/services/agents/sign-agent-csr";

export const dynamic = "force-dynamic";

/** `{csrPem}` from the agent's own new key → its node's new certificate (own names only). */
export const POST = apiHandler(signAgentCsrOperation, async ({ db, actor, keyRing, input }) => {
  return NextResponse.json(nodeCertificateJson(await signAgentCsr(db, actor, keyRing, input)), { status: 201 });
});
