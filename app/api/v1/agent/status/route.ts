import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { recordAgentStatus } from "@/lib/services/agents/record-agent-status";

export const dynamic = "force-dynamic";

/**
 * The agent's report after each poll: installed and served serial, CRLs, last install's result.
 * `npm start` answers it before Next.js (lib/api/agent-fast-path.ts) once the credential is good.
 */
export const POST = apiHandler(async ({ request, db, actor }) => {
  const body = await readJsonObject(request);
  return NextResponse.json(await recordAgentStatus(db, actor, body));
});
