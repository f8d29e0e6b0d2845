import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { nodeCertificateJson } from "@/lib/api/node-certificate-json";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { signAgentCsr } from "@/lib/services/agents/sign-agent-csr";

export const dynamic = "force-dynamic";

/** `{csrPem}` from the agent's own new key → its node's new certificate (own names only). */
export const POST = apiHandler(async ({ request, db, actor }) => {
  const body = await readJsonObject(request);
  const { keyRing } = await getRuntime();
  return NextResponse.json(nodeCertificateJson(await signAgentCsr(db, actor, keyRing, body)), { status: 201 });
});
